"""Institutional accreditors (and the few programmatic accreditation statements we hold).

Official release: the College Scorecard institution file
``https://ed-public-download.scorecard.network/downloads/Most-Recent-Cohorts-Institution_<MMDDYYYY>.zip``
→ ``Most-Recent-Cohorts-Institution.csv``; column ACCREDAGENCY names the institutional accreditor
(missing values read ``NULL``). The Department of Education's DAPIP download is the other
official route (documented in OFFICIAL_SOURCES.md) and not read yet.

Mirror (``accreditation/``):
* ``scorecard-extract-2022/Most-Recent-Cohorts-Institution.csv`` — a 26-column subset of the same
  official file, from a Scorecard release of early 2022 (vintage inferred, not stated), read by the
  same parser; the primary accreditor source.
* ``ed-accreditor-dashboard-2018/opeid6_primary_accreditor_2018.csv`` — DERIVED from the Department
  of Education's "Institutional Performance by Accreditor" file (accreditors as of March 2018),
  keyed by 6-digit OPEID: the fallback, always labelled with its 2018 vintage.
* ``programmatic_accreditation.csv`` — 17 statements read on program or school pages (CAHIIM,
  CEPH; accredited and applicant status), each with its source URL and as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gradpath.sources.base import SourceError, SourceInfo, SourceMissing, SourceRead, read_csv_rows

INFO = SourceInfo(
    id="accreditation",
    title="Institutional accreditor by institution (College Scorecard extract ~2022; ED accreditor file 2018) "
    "and programmatic accreditation statements",
    publisher="U.S. Department of Education (College Scorecard; Office of Postsecondary Education)",
    vintage="Scorecard institution file, early 2022 (inferred); ED accreditor file as of March 2018",
    license="Public domain (U.S. federal government data); programmatic statements cite their pages",
    url="https://collegescorecard.ed.gov/data/",
    mirror_folder="accreditation",
)
OFFICIAL_INFO = SourceInfo(
    id=INFO.id,
    title="College Scorecard: Most Recent Cohorts, Institution (ACCREDAGENCY)",
    publisher="U.S. Department of Education, College Scorecard",
    vintage="Most recent cohorts release (see download date)",
    license="Public domain (U.S. federal government data)",
    url="https://collegescorecard.ed.gov/data/",
)
SCORECARD_FILE = "Most-Recent-Cohorts-Institution.csv"
MIRROR_2022 = f"scorecard-extract-2022/{SCORECARD_FILE}"
MIRROR_2018 = "ed-accreditor-dashboard-2018/opeid6_primary_accreditor_2018.csv"
MIRROR_PROGRAMMATIC = "programmatic_accreditation.csv"
VINTAGE_2022 = "College Scorecard institution file, early 2022 (inferred)"
VINTAGE_2018 = "ED accreditor file, as of March 2018"


@dataclass(frozen=True)
class Accreditor:
    unitid: int | None
    opeid6: str
    name: str
    vintage: str


@dataclass(frozen=True)
class ProgrammaticStatement:
    institution: str
    program: str
    degree_level: str
    accreditor: str
    status: str
    accredited: bool
    as_of: str
    source_url: str
    note: str


@dataclass
class AccreditationData:
    by_unitid: dict[int, Accreditor]
    by_opeid6_2018: dict[str, Accreditor]
    programmatic: list[ProgrammaticStatement]


def find(mirror: Path | None, downloads: Path | None) -> SourceRead:
    """The mirror's extracts first, then the downloaded Scorecard institution file."""
    if mirror is not None:
        root = mirror / INFO.mirror_folder
        if (root / MIRROR_2022).is_file():
            return SourceRead(info=INFO, layout="mirror", root=root)
    if downloads is not None and (downloads / INFO.id / SCORECARD_FILE).is_file():
        return SourceRead(info=OFFICIAL_INFO, layout="official", root=downloads / INFO.id)
    raise SourceMissing(INFO.id, f"no accreditor file ({MIRROR_2022} in the mirror or a downloaded {SCORECARD_FILE})")


def load(read: SourceRead) -> AccreditationData:
    """Accreditor per UNITID (+ the 2018 fallback per OPEID6 and programmatic statements in the mirror)."""
    if read.layout == "mirror":
        primary = _load_scorecard(read, read.root / MIRROR_2022, VINTAGE_2022)
        fallback = _load_2018(read, read.root / MIRROR_2018) if (read.root / MIRROR_2018).is_file() else {}
        prog_path = read.root / MIRROR_PROGRAMMATIC
        programmatic = _load_programmatic(read, prog_path) if prog_path.is_file() else []
        return AccreditationData(by_unitid=primary, by_opeid6_2018=fallback, programmatic=programmatic)
    return AccreditationData(
        by_unitid=_load_scorecard(read, read.root / SCORECARD_FILE, read.info.vintage),
        by_opeid6_2018={},
        programmatic=[],
    )


def _load_scorecard(read: SourceRead, path: Path, vintage: str) -> dict[int, Accreditor]:
    out: dict[int, Accreditor] = {}
    n = 0
    for line, row in read_csv_rows(path, ["UNITID", "OPEID6", "ACCREDAGENCY"]):
        n += 1
        unit = row["UNITID"].strip()
        if not unit.isdigit():
            raise SourceError(path, f"UNITID is not an integer: {unit!r}", line=line, column="UNITID")
        agency = row["ACCREDAGENCY"].strip()
        if agency in ("", "NULL"):
            continue
        out[int(unit)] = Accreditor(
            unitid=int(unit), opeid6=row["OPEID6"].strip().zfill(6), name=agency, vintage=vintage
        )
    read.record(path, rows=n)
    return out


def _load_2018(read: SourceRead, path: Path) -> dict[str, Accreditor]:
    out: dict[str, Accreditor] = {}
    n = 0
    for _line, row in read_csv_rows(path, ["OPEID6", "ACCREDITOR_NAME"]):
        n += 1
        name = row["ACCREDITOR_NAME"].strip()
        if name:
            key = row["OPEID6"].strip().zfill(6)
            out[key] = Accreditor(unitid=None, opeid6=key, name=name, vintage=VINTAGE_2018)
    read.record(path, rows=n)
    return out


def _load_programmatic(read: SourceRead, path: Path) -> list[ProgrammaticStatement]:
    cols = [
        "institution",
        "program_or_unit",
        "degree_level",
        "accreditor",
        "status_as_stated",
        "as_of",
        "source_url",
        "note",
    ]
    out = []
    for _line, row in read_csv_rows(path, cols):
        status = row["status_as_stated"].strip()
        out.append(
            ProgrammaticStatement(
                institution=row["institution"].strip(),
                program=row["program_or_unit"].strip(),
                degree_level=row["degree_level"].strip(),
                accreditor=row["accreditor"].strip(),
                status=status,
                # Applicants are explicitly not accredited; every other row states an accreditation term.
                accredited="applicant" not in status.lower(),
                as_of=row["as_of"].strip(),
                source_url=row["source_url"].strip(),
                note=row["note"].strip(),
            )
        )
    read.record(path, rows=len(out))
    return out
