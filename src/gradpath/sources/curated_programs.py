"""Curated program facts and institution tuition rates, and their links to IPEDS offerings.

The team keeps three hand-written files in ``data/curated`` (its own words, each fact with the
page URL and the date it was reviewed; page text itself never enters the repository):

* ``programs.yaml`` — one entry per reviewed program page (``programs: [...]``);
* ``tuition.yaml`` — institution-level graduate tuition rates as pages state them (``rates: [...]``);
* ``program_links.yaml`` — link overrides for the hard cases (``programs: {slug: ...}`` and
  ``institutions: {name: ...}``).

The linker ties a program to an IPEDS institution by the page's host against the institution's web
address, falling back to a fuzzy institution-name match; tuition rows are linked by name the same
way. Overrides always win, and a page outside the U.S. is kept but flagged (IPEDS covers U.S.
institutions only). Within the institution, a program whose 6-digit CIP code the team set
(``cip6``, when its name makes the field plain) links to that offering only; any other links to
every 6-digit offering of its 4-digit family except codes whose CIP title names another field
(:func:`other_field`: Medical Illustration never receives an informatics program).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rapidfuzz import fuzz

from gradpath.sources.base import SourceError
from gradpath.sources.ipeds_hd import Institution

PROGRAMS_FILE = "programs.yaml"
TUITION_FILE = "tuition.yaml"
LINKS_FILE = "program_links.yaml"

#: A fuzzy name match below this score is no match: near misses are the overrides file's job
#: (90 would let "Georgia Institute of Technology" match "Florida Institute of Technology").
NAME_THRESHOLD = 93.0
#: The best name must beat the runner-up by this much, else the name is ambiguous.
NAME_MARGIN = 3.0

Topic = Literal[
    "machine_learning", "deep_learning", "medical_imaging", "clinical_nlp", "hl7_fhir", "ethics",
    "privacy_hipaa", "regulatory_fda", "genomics", "statistics", "databases_sql", "python", "r",
    "cloud", "capstone",
]  # fmt: skip
Format = Literal["online", "campus", "hybrid"]
Gre = Literal["required", "waivable", "optional", "not required"]
Money = float | dict[str, float]
Months = float | list[float]
LinkMethod = Literal["host", "name", "override", "none"]

_CIP4 = r"^\d{2}\.\d{2}$"
_CIP6 = r"^\d{2}\.\d{4}$"
#: Words in a CIP title that name a field apart from the computing, informatics, data and statistics
#: programs the team curates, though the code shares a 4-digit family with them ...
_OTHER_FIELD = re.compile(
    r"illustrat|design|business|financ|environmental|occupational|maternal|physics|genetics|behavioral|clerk|"
    r"transcription|reception|secretar|biller|coder|coding|claims|office|long term care|regulatory|clinical research",
    re.IGNORECASE,
)
#: ... unless the title also names one of those fields ("Medical Illustration and Informatics, Other").
_CURATED_FIELD = re.compile(
    r"informatic|statistic|data|artificial intelligence|computer (and information )?science|information science",
    re.IGNORECASE,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProgramFacts(_Strict):
    """What a program page states, in the team's words; a fact no page states is absent (None)."""

    format: Format | None = None
    formats_offered: list[Format] = Field(default_factory=list)
    credits: float | None = Field(default=None, gt=0)
    credits_unit: str | None = None
    duration_months_fulltime: Months | None = None
    duration_months_parttime: Months | None = None
    tuition_total_usd: Money | None = None
    tuition_per_credit_usd: Money | None = None
    tuition_year: str | None = None
    gre: Gre | None = None
    min_gpa: float | None = Field(default=None, gt=0, le=4.0)
    prerequisites: list[str] = Field(default_factory=list)
    accreditation: list[str] = Field(default_factory=list)
    curriculum_topics: list[Topic] = Field(default_factory=list)
    capstone_or_practicum: bool | None = None
    thesis: bool | None = None
    start_terms: list[str] = Field(default_factory=list)

    @field_validator("duration_months_fulltime", "duration_months_parttime")
    @classmethod
    def _range(cls, value: Months | None) -> Months | None:
        if isinstance(value, list) and (len(value) != 2 or value[0] > value[1]):
            raise ValueError("a duration range is [min, max] with min <= max")
        return value


class AsOf(_Strict):
    """When the team reviewed the page, and the catalog year the page itself states (if any)."""

    reviewed: date
    catalog_year: str | None = None


class CuratedProgram(_Strict):
    """One reviewed program page: identity, field (CIP4), review date and facts."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    url: str = Field(pattern=r"^https?://")
    institution: str
    program_name: str
    degree: str | None = None
    cip4: str = Field(pattern=_CIP4)
    cip4_reason: str | None = None
    cip6: str | None = Field(default=None, pattern=_CIP6)
    cip6_reason: str | None = None
    country: Literal["US", "UK", "CA"]
    as_of: AsOf
    facts: ProgramFacts
    note: str | None = None
    corrections: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cip6_in_cip4(self) -> CuratedProgram:
        if self.cip6 is not None and self.cip6[:5] != self.cip4:
            raise ValueError(f"cip6 {self.cip6} is not in the program's cip4 {self.cip4}")
        return self


class TuitionRate(_Strict):
    """One graduate tuition rate exactly as a page states it (never converted)."""

    institution: str
    unitid: int | None = None
    scope: str
    residency: Literal["resident", "nonresident", "all", "online"]
    amount_usd: float = Field(gt=0)
    per: Literal["credit", "semester", "term", "year", "program", "course"]
    academic_year: str | None = None
    note: str | None = None
    source_url: str = Field(pattern=r"^https?://")


class LinkOverride(_Strict):
    """A hand-made link: a UNITID (and optionally the CIP4 IPEDS uses), or none with a reason."""

    unitid: int | None
    cip4: str | None = Field(default=None, pattern=_CIP4)
    reason: str | None = None

    @field_validator("reason")
    @classmethod
    def _reason_text(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("reason must not be blank")
        return value


class LinkOverrides(_Strict):
    """Overrides for program slugs and for institution names (tuition rows)."""

    programs: dict[str, LinkOverride] = Field(default_factory=dict)
    institutions: dict[str, LinkOverride] = Field(default_factory=dict)


@dataclass(frozen=True)
class ProgramLink:
    """Where a curated program sits in IPEDS: institution, field and the offerings found there."""

    slug: str
    unitid: int | None
    cip4: str
    offering_cip6: tuple[str, ...]
    method: LinkMethod
    score: float
    flags: tuple[str, ...] = ()
    reason: str | None = None
    cip6: str | None = None  # the program's own 6-digit code, when the team set one

    @property
    def flag(self) -> str | None:
        """The most important flag (or None), for one-column displays."""
        return self.flags[0] if self.flags else None


@dataclass(frozen=True)
class TuitionLink:
    """The UNITID a tuition row's institution name resolved to (None with a reason when not)."""

    index: int
    institution: str
    unitid: int | None
    method: LinkMethod
    score: float
    reason: str | None = None


# --- loading -------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    if not path.is_file():
        raise SourceError(path, "curated file is missing")
    text = path.read_text(encoding="utf-8")
    try:
        # Composing keeps node positions, so a bad entry can be reported by its line.
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(path, f"not valid YAML: {exc}", line=mark.line + 1 if mark else None) from None


def _item_lines(root: yaml.Node | None, key: str) -> list[int]:
    """1-based start lines of the items of the top-level list ``key``."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _field(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return ".".join(str(part) for part in first["loc"]) or "(entry)"


def _list_of(path: Path, key: str, model: type[_Strict]) -> list[Any]:
    data, root = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise SourceError(path, f"expected a top-level '{key}:' list", column=key)
    lines = _item_lines(root, key)
    out = []
    for i, item in enumerate(data[key]):
        line = lines[i] if i < len(lines) else None
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"]
            raise SourceError(path, f"{key}[{i}]: {msg}", line=line, column=_field(exc)) from None
    return out


def load_programs(curated_dir: Path) -> list[CuratedProgram]:
    """Read ``programs.yaml``; slugs must be unique. Raises SourceError naming file, line and field."""
    path = Path(curated_dir) / PROGRAMS_FILE
    programs: list[CuratedProgram] = _list_of(path, "programs", CuratedProgram)
    seen: set[str] = set()
    for program in programs:
        if program.slug in seen:
            raise SourceError(path, f"duplicate slug {program.slug!r}", column="slug")
        seen.add(program.slug)
    return programs


def load_tuition(curated_dir: Path) -> list[TuitionRate]:
    """Read ``tuition.yaml`` (every rate as stated). Raises SourceError naming file, line and field."""
    rates: list[TuitionRate] = _list_of(Path(curated_dir) / TUITION_FILE, "rates", TuitionRate)
    return rates


def load_link_overrides(curated_dir: Path) -> LinkOverrides:
    """Read ``program_links.yaml`` (absent file = no overrides)."""
    path = Path(curated_dir) / LINKS_FILE
    if not path.is_file():
        return LinkOverrides()
    data, _ = _read_yaml(path)
    try:
        return LinkOverrides.model_validate(data or {})
    except ValidationError as exc:
        raise SourceError(path, exc.errors()[0]["msg"], column=_field(exc)) from None


# --- matching helpers ------------------------------------------------------------------------------


def normalise_host(url_or_host: str) -> str:
    """Lower-case host of a URL or bare web address, without port, trailing dot or ``www.`` prefix."""
    text = url_or_host.strip()
    if "://" not in text:
        text = "http://" + text
    host = (urlsplit(text).hostname or "").rstrip(".").lower()
    return re.sub(r"^www\d?\.", "", host)


# Public suffixes with two labels that occur in the data (registrable domain = three labels).
_TWO_LABEL_SUFFIXES = frozenset({"ac.uk", "co.uk", "org.uk", "gc.ca", "edu.au", "com.au"})


def registrable_domain(host: str) -> str:
    """The domain an organisation registers: ``catalog.utah.edu`` → ``utah.edu``."""
    labels = normalise_host(host).split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def host_suffixes(host: str) -> list[str]:
    """The host and its parents down to the registrable domain, most specific first."""
    host = normalise_host(host)
    floor = registrable_domain(host)
    labels = host.split(".")
    out = []
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        out.append(suffix)
        if suffix == floor:
            break
    return out


def normalise_name(name: str) -> str:
    """Comparable institution name: ASCII, lower case, '&' → 'and', no punctuation, leading 'the'
    or trailing '(main) campus' (IPEDS says "X-Main Campus" where people say "X")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"\s+(main\s+)?campus$", "", text)
    return re.sub(r"^the ", "", text)


def _aliases(inst: Institution) -> list[str]:
    # IALIAS lists alternatives separated by '|' (sometimes by commas); short codes are noise.
    parts = re.split(r"[|,;]", inst.alias) if inst.alias else []
    return [inst.name] + [p.strip() for p in parts if len(p.strip()) > 5]


def name_score(query: str, inst: Institution) -> float:
    """Best fuzzy score (0–100) of ``query`` against an institution's name and aliases."""
    q = normalise_name(query)
    return max(fuzz.token_sort_ratio(q, normalise_name(n)) for n in _aliases(inst))


def best_name_match(query: str, candidates: Iterable[Institution]) -> tuple[Institution | None, float]:
    """The candidate whose name fits ``query`` best, if it clears the threshold and margin."""
    scored = sorted(((name_score(query, c), c) for c in candidates), key=lambda t: -t[0])
    if not scored or scored[0][0] < NAME_THRESHOLD:
        return None, scored[0][0] if scored else 0.0
    if len(scored) > 1 and scored[0][0] - scored[1][0] < NAME_MARGIN and scored[1][1].unitid != scored[0][1].unitid:
        return None, scored[0][0]
    return scored[0][1], scored[0][0]


def host_index(institutions: Iterable[Institution]) -> dict[str, list[Institution]]:
    """Institutions by the normalised host of their IPEDS web address."""
    index: dict[str, list[Institution]] = defaultdict(list)
    for inst in institutions:
        if inst.website:
            index[normalise_host(inst.website)].append(inst)
    return dict(index)


def host_candidates(url: str, index: Mapping[str, list[Institution]]) -> list[Institution]:
    """Institutions whose web host is the page host or one of its parents (most specific wins)."""
    for suffix in host_suffixes(urlsplit(url).hostname or url):
        if suffix in index:
            return index[suffix]
    return []


def domain_index(institutions: Iterable[Institution]) -> dict[str, list[Institution]]:
    """Institutions by the registrable domain of their IPEDS web address."""
    index: dict[str, list[Institution]] = defaultdict(list)
    for inst in institutions:
        if inst.website:
            index[registrable_domain(inst.website)].append(inst)
    return dict(index)


def other_field(title: str) -> bool:
    """Whether a CIP title names a field apart from the curated programs' ("Medical Illustration/Medical
    Illustrator", "Business Analytics"); a family's catch-all that also names one of theirs does not."""
    return bool(_OTHER_FIELD.search(title)) and not _CURATED_FIELD.search(title)


def _offered(
    program: CuratedProgram, cip4: str, codes: Sequence[str], titles: Mapping[str, str]
) -> tuple[tuple[str, ...], str]:
    """The 6-digit offerings a program links to in its institution, and the flag when there is none."""
    if program.cip6 is not None:
        return tuple(c for c in codes if c == program.cip6), "no_offering_in_cip6"
    return tuple(c for c in codes if c[:5] == cip4 and not other_field(titles.get(c, ""))), "no_offering_in_cip4"


def offerings_by_unitid(offerings: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    """Sorted 6-digit CIP codes per UNITID."""
    by: dict[int, set[str]] = defaultdict(set)
    for unitid, cip6 in offerings:
        by[int(unitid)].add(str(cip6))
    return {k: sorted(v) for k, v in by.items()}


# --- linking ---------------------------------------------------------------------------------------


def _graduate(inst: Institution) -> bool:
    # Graduate rates and master's programs only exist where IPEDS says master's or higher is offered.
    return inst.hloffer is None or inst.hloffer >= 7


def _by_host(
    program: CuratedProgram, hosts: Mapping[str, list[Institution]], domains: Mapping[str, list[Institution]]
) -> tuple[Institution | None, float, list[str]]:
    """Match on the page host; a shared host or domain is settled by the institution name."""
    exact = host_candidates(program.url, hosts)
    if len(exact) == 1:
        return exact[0], 100.0, []
    if exact:
        best, score = best_name_match(program.institution, exact)
        return best, score, [] if best else ["ambiguous_host"]
    # Campuses often sit on their own subdomain (newbrunswick.rutgers.edu, college.mayo.edu): the
    # registrable domain narrows the field, but only the name can pick the campus, even when one is left.
    shared = domains.get(registrable_domain(urlsplit(program.url).hostname or ""), [])
    best, score = best_name_match(program.institution, shared)
    return best, score, []


def link_programs(
    programs: Sequence[CuratedProgram],
    institutions: Sequence[Institution],
    offerings: Iterable[tuple[int, str]],
    overrides: LinkOverrides,
    cip_titles: Mapping[str, str] | None = None,
) -> list[ProgramLink]:
    """Link each program to a UNITID and its offerings there.

    Institution order: override → page host vs IPEDS web address (shared domains settled by name) →
    fuzzy institution name. Offerings: the program's own ``cip6`` only, when set; else every
    6-digit code of its CIP4 except those whose title (``cip_titles``) names another field. Flags:
    ``outside_us``, ``mirror_host`` (the page's domain is no institution's IPEDS web domain: a
    mirror, aggregator, blog or a school's separate site), ``ambiguous_host``, ``no_unitid``,
    ``no_offering_in_cip6`` (IPEDS lists no master's in the program's own code there) and
    ``no_offering_in_cip4`` (none in its family, or only codes of other fields).
    """
    titles = cip_titles or {}
    hosts, domains = host_index(institutions), domain_index(institutions)
    by_id = {inst.unitid: inst for inst in institutions}
    cips = offerings_by_unitid(offerings)
    pool = [inst for inst in institutions if _graduate(inst)]
    out = []
    for program in programs:
        cip4, unitid, score, reason = program.cip4, None, 0.0, None
        method: LinkMethod = "none"
        flags: list[str] = []
        page_domain = registrable_domain(urlsplit(program.url).hostname or "")
        override = overrides.programs.get(program.slug)
        if program.country != "US":
            flags.append("outside_us")
        elif page_domain not in domains:
            flags.append("mirror_host")
        if override is not None:
            method, score, unitid, reason = "override", 100.0, override.unitid, override.reason
            cip4 = override.cip4 or cip4
            if unitid is not None and unitid not in by_id:
                raise SourceError(LINKS_FILE, f"UNITID {unitid} is not in HD2024", column=program.slug)
            if program.cip6 is not None and program.cip6[:5] != cip4:
                raise SourceError(LINKS_FILE, f"the override's cip4 {cip4} does not hold cip6 {program.cip6}",
                                  column=program.slug)  # fmt: skip
        elif program.country != "US":
            reason = "outside the U.S.: IPEDS lists U.S. institutions only"
        else:
            inst, score, extra = _by_host(program, hosts, domains)
            flags.extend(extra)
            if inst is not None:
                method = "host"
            elif not extra:
                inst, score = best_name_match(program.institution, pool)
                method = "name" if inst else "none"
            unitid = inst.unitid if inst else None
        found, missing = _offered(program, cip4, cips.get(unitid, []), titles) if unitid else ((), "")
        if unitid is None and program.country == "US" and "ambiguous_host" not in flags:
            flags.append("no_unitid")
        if unitid is not None and not found:
            flags.append(missing)
        link = ProgramLink(
            program.slug, unitid, cip4, found, method, round(score, 1), tuple(flags), reason, program.cip6
        )
        out.append(link)
    return out


def link_tuition(
    rates: Sequence[TuitionRate], institutions: Sequence[Institution], overrides: LinkOverrides
) -> list[TuitionLink]:
    """Link each tuition row's institution name to a UNITID (override → exact name → fuzzy name)."""
    pool = [inst for inst in institutions if _graduate(inst)]
    known = {inst.unitid for inst in institutions}
    for name, fixed in overrides.institutions.items():
        if fixed.unitid is not None and fixed.unitid not in known:
            raise SourceError(LINKS_FILE, f"UNITID {fixed.unitid} is not in HD2024", column=name)
    exact: dict[str, set[int]] = defaultdict(set)
    for inst in pool:
        for name in _aliases(inst):
            exact[normalise_name(name)].add(inst.unitid)
    cache: dict[str, tuple[int | None, LinkMethod, float, str | None]] = {}
    out = []
    for i, rate in enumerate(rates):
        name = rate.institution
        if name not in cache:
            override = overrides.institutions.get(name)
            hits = exact.get(normalise_name(name), set())
            if override is not None:
                cache[name] = (override.unitid, "override", 100.0, override.reason)
            elif len(hits) == 1:
                cache[name] = (next(iter(hits)), "name", 100.0, None)
            else:
                best, score = best_name_match(name, pool)
                why = None if best else "no unambiguous IPEDS name match; add an override"
                cache[name] = (best.unitid if best else None, "name" if best else "none", round(score, 1), why)
        unitid, method, score, reason = cache[name]
        out.append(TuitionLink(i, name, unitid, method, score, reason))
    return out
