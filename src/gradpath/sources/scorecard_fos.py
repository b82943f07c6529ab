"""College Scorecard field of study — earnings and debt by institution × 4-digit CIP × credential.

Outcomes are published per institution × **4-digit** CIP family and credential level, so every
6-digit master's program of a family at one school shares the same figures ("field-level").

Official release: ``https://ed-public-download.scorecard.network/downloads/
Most-Recent-Cohorts-Field-of-Study_<MMDDYYYY>.zip`` → ``Most-Recent-Cohorts-Field-of-Study.csv``.
Columns used: UNITID, INSTNM, CIPCODE (4 digits, no dot), CIPDESC, CREDLEV (5 = master's),
IPEDSCOUNT2 (awards, later year of the cohort), EARN_MDN_1YR, EARN_MDN_4YR, DEBT_ALL_STGP_EVAL_MDN.
Cells read ``PrivacySuppressed`` when the cohort is too small to publish and ``NULL`` when there
is no value; the two stay distinct.

Mirror: ``scorecard-fos-truewise/value_check.parquet`` — a DERIVED table (CC BY 4.0, Truewise)
built from the 2026-06-10 Scorecard release: unitid, inst_name, cip_code, cip_desc,
credential_level, completers_count, earnings_median_1yr, earnings_median_4yr, debt_median.
It writes suppressed small-cohort values as null, so in this layout a null means "not published
(privacy suppression or no data)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gradpath.sources.base import SourceError, SourceInfo, SourceMissing, SourceRead, read_csv_rows

INFO = SourceInfo(
    id="scorecard-fos-truewise",
    title="College Scorecard field of study (derived table: institution × CIP4 × credential)",
    publisher="U.S. Department of Education, College Scorecard; derived table by Truewise (truewise.dev)",
    vintage="Scorecard release of 2026-06-10",
    license="CC BY 4.0 (derived table, attribute Truewise, https://truewise.dev); underlying ED data public domain",
    url="https://collegescorecard.ed.gov/data/",
    attribution="Field-of-study outcomes: U.S. Department of Education College Scorecard (release 2026-06-10), "
    "via the Truewise value-check table, https://truewise.dev, CC BY 4.0.",
    mirror_folder="scorecard-fos-truewise",
)
OFFICIAL_INFO = SourceInfo(
    id=INFO.id,
    title="College Scorecard: Most Recent Cohorts, Field of Study",
    publisher="U.S. Department of Education, College Scorecard",
    vintage="Most recent cohorts release (see download date)",
    license="Public domain (U.S. federal government data)",
    url="https://collegescorecard.ed.gov/data/",
    attribution="Field-of-study outcomes: U.S. Department of Education College Scorecard.",
)
MIRROR_FILE = "value_check.parquet"
OFFICIAL_FILE = "Most-Recent-Cohorts-Field-of-Study.csv"
MASTERS = "5"
CIP4_RE = re.compile(r"^(\d{2})\.?(\d{2})$")

Status = Literal["published", "suppressed", "missing"]


@dataclass(frozen=True)
class FieldOutcome:
    unitid: int | None
    institution_name: str
    cip4: str  # "51.27"
    cip4_title: str
    completers: int | None
    earnings_1yr: float | None
    earnings_4yr: float | None
    debt_median: float | None
    # Why a value is missing: "suppressed" (official PrivacySuppressed) or "missing" (no value;
    # in the mirror layout this covers suppression too).
    earnings_1yr_status: Status
    earnings_4yr_status: Status
    debt_status: Status


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """The mirror's derived table first, then the downloaded official CSV."""
    if mirror is not None and (mirror / INFO.mirror_folder / MIRROR_FILE).is_file():
        return SourceRead(info=INFO, layout="mirror", root=mirror / INFO.mirror_folder)
    if downloads is not None and (downloads / INFO.id / OFFICIAL_FILE).is_file():
        return SourceRead(info=OFFICIAL_INFO, layout="official", root=downloads / INFO.id)
    raise SourceMissing(INFO.id, f"neither {MIRROR_FILE} (mirror) nor {OFFICIAL_FILE} (download) was found")


def normalise_cip4(raw: object) -> str | None:
    """'1101', '11.01' or 1101 → '11.01'."""
    text = str(raw).strip()
    if text.isdigit() and len(text) == 3:
        text = "0" + text
    m = CIP4_RE.match(text)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def load(read: SourceRead, families: list[str]) -> list[FieldOutcome]:
    """Master's rows (credential level 5) in the given CIP families."""
    if read.layout == "mirror":
        return _load_mirror(read, set(families))
    return _load_official(read, set(families))


def _num(value: object) -> tuple[float | None, Status]:
    if value is None:
        return None, "missing"
    if isinstance(value, float) and value != value:
        return None, "missing"
    return float(value), "published"  # type: ignore[arg-type]


def _load_mirror(read: SourceRead, fams: set[str]) -> list[FieldOutcome]:
    import pyarrow.parquet as pq

    path = read.root / MIRROR_FILE
    cols = [
        "unitid",
        "inst_name",
        "cip_code",
        "cip_desc",
        "credential_level",
        "completers_count",
        "earnings_median_1yr",
        "earnings_median_4yr",
        "debt_median",
    ]
    try:
        table = pq.read_table(path, columns=cols)
    except Exception as exc:  # pyarrow raises several types for damaged or foreign files
        raise SourceError(path, f"not a readable field-of-study parquet file (columns {cols}): {exc}") from None
    data = table.to_pydict()
    out = []
    for i in range(table.num_rows):
        if str(data["credential_level"][i]) != MASTERS:
            continue
        cip4 = normalise_cip4(data["cip_code"][i])
        if cip4 is None:
            raise SourceError(path, f"not a 4-digit CIP code: {data['cip_code'][i]!r}", line=i + 1, column="cip_code")
        if cip4 not in fams:
            continue
        raw_unit = data["unitid"][i]
        unitid = int(raw_unit) if raw_unit not in (None, "") and str(raw_unit).isdigit() else None
        e1, s1 = _num(data["earnings_median_1yr"][i])
        e4, s4 = _num(data["earnings_median_4yr"][i])
        debt, sd = _num(data["debt_median"][i])
        completers, _ = _num(data["completers_count"][i])
        out.append(
            FieldOutcome(
                unitid=unitid,
                institution_name=str(data["inst_name"][i] or ""),
                cip4=cip4,
                cip4_title=str(data["cip_desc"][i] or "").rstrip("."),
                completers=int(completers) if completers is not None else None,
                earnings_1yr=e1,
                earnings_4yr=e4,
                debt_median=debt,
                earnings_1yr_status=s1,
                earnings_4yr_status=s4,
                debt_status=sd,
            )
        )
    read.record(path, rows=table.num_rows)
    return out


def _cell(value: str, path: Path, line: int, column: str) -> tuple[float | None, Status]:
    text = value.strip()
    if text == "PrivacySuppressed":
        return None, "suppressed"
    if text in ("", "NULL", "NA"):
        return None, "missing"
    try:
        return float(text), "published"
    except ValueError:
        raise SourceError(path, f"not a number: {text[:40]!r}", line=line, column=column) from None


def _load_official(read: SourceRead, fams: set[str]) -> list[FieldOutcome]:
    path = read.root / OFFICIAL_FILE
    required = [
        "UNITID",
        "INSTNM",
        "CIPCODE",
        "CIPDESC",
        "CREDLEV",
        "IPEDSCOUNT2",
        "EARN_MDN_1YR",
        "EARN_MDN_4YR",
        "DEBT_ALL_STGP_EVAL_MDN",
    ]
    out = []
    n = 0
    for line, row in read_csv_rows(path, required):
        n += 1
        if row["CREDLEV"].strip() != MASTERS:
            continue
        cip4 = normalise_cip4(row["CIPCODE"])
        if cip4 is None:
            raise SourceError(path, f"not a 4-digit CIP code: {row['CIPCODE']!r}", line=line, column="CIPCODE")
        if cip4 not in fams:
            continue
        unit = row["UNITID"].strip()
        e1, s1 = _cell(row["EARN_MDN_1YR"], path, line, "EARN_MDN_1YR")
        e4, s4 = _cell(row["EARN_MDN_4YR"], path, line, "EARN_MDN_4YR")
        debt, sd = _cell(row["DEBT_ALL_STGP_EVAL_MDN"], path, line, "DEBT_ALL_STGP_EVAL_MDN")
        completers, _ = _cell(row["IPEDSCOUNT2"], path, line, "IPEDSCOUNT2")
        out.append(
            FieldOutcome(
                unitid=int(unit) if unit.isdigit() else None,
                institution_name=row["INSTNM"].strip(),
                cip4=cip4,
                cip4_title=row["CIPDESC"].strip().rstrip("."),
                completers=int(completers) if completers is not None else None,
                earnings_1yr=e1,
                earnings_4yr=e4,
                debt_median=debt,
                earnings_1yr_status=s1,
                earnings_4yr_status=s4,
                debt_status=sd,
            )
        )
    read.record(path, rows=n)
    return out
