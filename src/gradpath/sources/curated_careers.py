"""The team's curated career data: roles, certifications, CIP relevance tiers, and claims files.

These files are written by the GradPath team in its own words and live in the repository, not in a
mirror or a download:

* ``<curated_dir>/roles.yaml`` — career roles mapped onto SOC 2018 occupations (weighted), with a
  skill profile, the CIP families that lead there, O*NET task ids and hot technologies, and the
  certifications that fit;
* ``<curated_dir>/certifications.yaml`` — certifications with eligibility, fees *as stated* (who
  stated them, whether the issuer's own page did) and renewal, each with sources and an as-of date;
* ``<curated_dir>/cip_relevance.yaml`` — a healthcare-AI relevance tier per 6-digit CIP code;
* claims files (e.g. ``docs/claims/*.yaml``) — figures stated by third parties, structured so the
  claim checker can compare them with BLS data.

Every loader validates with pydantic (unknown keys are errors) and then cross-checks the files
against each other. A problem raises :class:`CuratedDataError` (a :class:`SourceError`) naming
the file, the YAML line and the field path, e.g. ``roles.yaml, line 40, field roles[2].socs``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn, TypeVar, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from gradpath.config import get_settings
from gradpath.sources.base import SourceError, SourceInfo, SourceMissing

INFO = SourceInfo(
    id="gradpath-curated",
    title="GradPath curated career data: roles, certifications, CIP relevance tiers",
    publisher="GradPath team",
    vintage="as of 2026-11-27",
    license="CC BY 4.0 (the team's own text; cited facts keep their sources)",
    url="https://github.com/gradpath/gradpath/tree/main/data/curated",
    attribution="GradPath team; each fact names its own source URL and as-of date.",
    notes="Kept in the repository (data/curated), not in the data mirror or the downloads.",
)

ROLES_FILE = "roles.yaml"
CERTIFICATIONS_FILE = "certifications.yaml"
CIP_RELEVANCE_FILE = "cip_relevance.yaml"
CURATED_FILES = (ROLES_FILE, CERTIFICATIONS_FILE, CIP_RELEVANCE_FILE)
WEIGHT_TOLERANCE = 0.001

# fmt: off
Skill = Literal[
    "machine_learning", "deep_learning", "medical_imaging", "clinical_nlp", "hl7_fhir", "ethics",
    "privacy_hipaa", "regulatory_fda", "genomics", "statistics", "databases_sql", "python", "r", "cloud",
]
# fmt: on
TOPICS: tuple[str, ...] = get_args(Skill)
SkillLevel = Literal["core", "useful"]
CertTiming = Literal["before_program", "during_program", "after_program", "after_experience"]
Tier = Literal["core", "adjacent", "context"]
Metric = Literal["growth_percent", "median_annual_wage", "mean_annual_wage", "employment"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
CertId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:_[a-z0-9]+)*$")]
SocCode = Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}$")]
OnetCode = Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}\.\d{2}$")]
CipFamily = Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}$")]
Cip6 = Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{4}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
# "2024-2034" (start-end), "by 2029" (only the end year is stated), "year-over-year" (years not stated)
Period = Annotated[str, StringConstraints(pattern=r"^(\d{4}-\d{4}|by \d{4}|year-over-year)$")]

YamlPath = tuple[str | int, ...]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, faster
ModelT = TypeVar("ModelT", bound=BaseModel)


class CuratedDataError(SourceError):
    """A curated file is malformed or inconsistent; names the file, YAML line and field path."""

    def __init__(self, file: str | Path, message: str, *, line: int | None = None, field: str | None = None):
        super().__init__(file, message, line=line, column=field)
        self.field = field
        where = self.file + (f", line {line}" if line is not None else "")
        where += f", field {field}" if field else ""
        self.args = (f"{where}: {message}",)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Roles ------------------------------------------------------------------------------------------
class SocShare(_Model):
    """The share of a role's jobs the team judges BLS counts under one SOC 2018 occupation."""

    soc: SocCode
    weight: float = Field(gt=0, le=1)
    rationale: Text
    # O*NET-SOC profiles that describe the role best (e.g. 15-1211.01, not 15-1211.00); empty = .00
    onet: tuple[OnetCode, ...] = ()

    @property
    def onet_codes(self) -> tuple[str, ...]:
        """The O*NET-SOC codes whose tasks and technologies describe this share."""
        return self.onet or (f"{self.soc}.00",)


class CipLink(_Model):
    """A 4-digit CIP family whose graduates reach the role (from the crosswalk, or added by the team)."""

    cip: CipFamily
    via: Literal["crosswalk", "added"]
    note: Text


class CertLink(_Model):
    """A certification that fits the role, and when in a career it can be taken."""

    id: CertId
    when: CertTiming
    note: Text


class Role(_Model):
    """A career role and the evidence the catalog joins to it."""

    id: Slug
    title: Text
    description: Text
    socs: tuple[SocShare, ...] = Field(min_length=1)
    skills: dict[Skill, SkillLevel] = Field(min_length=1)
    cip_families: tuple[CipLink, ...] = Field(min_length=1)
    onet_tasks: tuple[int, ...] = Field(min_length=3, max_length=6)
    hot_technologies: tuple[Text, ...] = Field(min_length=4, max_length=10)
    certifications: tuple[CertLink, ...] = ()

    @property
    def soc_codes(self) -> tuple[str, ...]:
        """The role's SOC 2018 codes, in file order."""
        return tuple(share.soc for share in self.socs)

    @property
    def onet_codes(self) -> tuple[str, ...]:
        """Every O*NET-SOC code the role draws tasks and technologies from."""
        return tuple(code for share in self.socs for code in share.onet_codes)


class _RolesFile(_Model):
    as_of: date
    sources: tuple[Text, ...] = Field(min_length=1)
    roles: tuple[Role, ...] = Field(min_length=1)


# Certifications ---------------------------------------------------------------------------------
class Fee(_Model):
    """One fee exactly as a page stated it; ``verified`` only when the issuer's own page did."""

    amount_usd: float = Field(gt=0)
    what: Literal[
        "exam",
        "retake",
        "reschedule",
        "extension",
        "maintenance",
        "membership",
        "administrative",
        "supplement",
    ] = "exam"
    who: Literal["member", "nonmember", "all"] = "all"
    # issuer_copy: the issuer's text reproduced on another site (reseller, mirror) — not verified
    as_stated_by: Literal["issuer", "issuer_copy", "third_party"]
    verified: bool = False
    source_url: Url
    as_of: date
    page_date: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _verified_needs_issuer(self) -> Fee:
        if self.verified and self.as_stated_by != "issuer":
            raise ValueError(f"verified is true but the fee was stated by {self.as_stated_by}, not the issuer")
        return self


class Certification(_Model):
    """A professional certification (or, with status not_found, a name with no real issuer)."""

    id: CertId
    name: Text
    short_name: Text | None = None
    status: Literal["found", "retirement_reported", "not_found"] = "found"
    issuer: Text | None = None
    issuer_url: Url | None = None
    eligibility: Text
    fees: tuple[Fee, ...] = ()
    fee_note: Text | None = None
    exam_format: Text
    renewal: Text
    sources: tuple[Url, ...] = ()
    as_of: date
    notes: Text | None = None
    alternatives: tuple[CertId, ...] = ()


class _CertificationsFile(_Model):
    as_of: date
    certifications: tuple[Certification, ...] = Field(min_length=1)


# CIP relevance ----------------------------------------------------------------------------------
class CipRelevance(_Model):
    """How directly programs under one 6-digit CIP code prepare for healthcare-AI work."""

    cip: Cip6
    title: Text
    tier: Tier
    rationale: Text


class _CipEntry(_Model):
    title: Text
    tier: Tier
    rationale: Text


class _CipRelevanceFile(_Model):
    as_of: date
    sources: tuple[Text, ...] = Field(min_length=1)
    codes: dict[Cip6, _CipEntry] = Field(min_length=1)


# Claims -----------------------------------------------------------------------------------------
class Claim(_Model):
    """A figure a third party states, structured so it can be checked against BLS data."""

    id: Slug
    text: Text
    metric: Metric
    soc: SocCode | None = None
    role: Slug | None = None
    area: Text = "national"
    period: Period | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    value: float | tuple[float, float]
    where: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        if (self.soc is None) == (self.role is None):
            raise ValueError("give exactly one of soc or role")
        if self.metric == "growth_percent":
            if self.period is None:
                raise ValueError("a growth_percent claim needs a period (e.g. 2024-2034, by 2029)")
            if self.year is not None:
                raise ValueError("a growth_percent claim takes a period, not a year")
        elif self.period is not None:
            raise ValueError(f"a {self.metric} claim takes a year, not a period")
        if isinstance(self.value, tuple) and self.value[0] > self.value[1]:
            raise ValueError(f"range {list(self.value)} has low > high")
        return self

    @property
    def low(self) -> float:
        """The stated value, or the low end of a stated range."""
        return self.value[0] if isinstance(self.value, tuple) else self.value

    @property
    def high(self) -> float:
        """The stated value, or the high end of a stated range."""
        return self.value[1] if isinstance(self.value, tuple) else self.value

    @property
    def period_years(self) -> tuple[int | None, int | None]:
        """(start, end) years of the period; None where the claim does not state them."""
        if self.period is None or self.period == "year-over-year":
            return (None, None)
        if self.period.startswith("by "):
            return (None, int(self.period[3:]))
        start, end = self.period.split("-")
        return (int(start), int(end))


class ClaimSource(_Model):
    """Where a claims file's figures come from (a description; the text itself is never kept)."""

    description: Text
    url: Url | None = None
    published: Text | None = None
    read_on: date | None = None


class _ClaimsFile(_Model):
    source: ClaimSource | None = None
    claims: tuple[Claim, ...] = Field(min_length=1)


# Loaders ----------------------------------------------------------------------------------------
def load_roles(curated_dir: Path, *, families: Sequence[str] | None = None) -> list[Role]:
    """Roles from ``roles.yaml``, cross-checked against ``certifications.yaml`` and the CIP families.

    ``families`` defaults to the configured ``cip_families``.
    """
    doc = _YamlDoc.read(curated_dir / ROLES_FILE)
    roles = doc.validate(_RolesFile).roles
    certs = {cert.id: cert for cert in load_certifications(curated_dir)}
    allowed = set(families if families is not None else get_settings().cip_families)
    doc.unique([("roles", i, "id") for i in range(len(roles))], [role.id for role in roles])
    for i, role in enumerate(roles):
        at: YamlPath = ("roles", i)
        total = math.fsum(share.weight for share in role.socs)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            doc.fail((*at, "socs"), f"SOC weights sum to {total:g}, not 1 (±{WEIGHT_TOLERANCE})")
        doc.unique([(*at, "socs", j, "soc") for j in range(len(role.socs))], role.soc_codes)
        for j, share in enumerate(role.socs):
            for k, code in enumerate(share.onet):
                if not code.startswith(share.soc + "."):
                    doc.fail((*at, "socs", j, "onet", k), f"O*NET-SOC {code} is not under SOC {share.soc}")
        cips = [link.cip for link in role.cip_families]
        doc.unique([(*at, "cip_families", j, "cip") for j in range(len(cips))], cips)
        for j, cip in enumerate(cips):
            if cip not in allowed:
                doc.fail((*at, "cip_families", j, "cip"), f"CIP family {cip} is not a configured family")
        for j, link in enumerate(role.certifications):
            cert = certs.get(link.id)
            if cert is None:
                doc.fail((*at, "certifications", j, "id"), f"unknown certification id {link.id!r}")
            if cert.status == "not_found":
                doc.fail((*at, "certifications", j, "id"), f"{link.id!r} has no real issuer (not_found)")
        doc.unique([(*at, "onet_tasks", k) for k in range(len(role.onet_tasks))], role.onet_tasks)
        techs = role.hot_technologies
        doc.unique([(*at, "hot_technologies", k) for k in range(len(techs))], techs)
    return list(roles)


def load_certifications(curated_dir: Path) -> list[Certification]:
    """Certifications from ``certifications.yaml``, with fee, status and alternative cross-checks."""
    doc = _YamlDoc.read(curated_dir / CERTIFICATIONS_FILE)
    certs = doc.validate(_CertificationsFile).certifications
    doc.unique([("certifications", i, "id") for i in range(len(certs))], [cert.id for cert in certs])
    by_id = {cert.id: cert for cert in certs}
    for i, cert in enumerate(certs):
        at: YamlPath = ("certifications", i)
        if not cert.fees and cert.fee_note is None:
            doc.fail((*at, "fee_note"), "no fees listed: say why in fee_note (e.g. not found)")
        if cert.status == "not_found":
            if cert.fees:
                doc.fail((*at, "fees"), "a certification with status not_found cannot list fees")
            if not cert.alternatives:
                doc.fail((*at, "alternatives"), "status not_found needs real alternatives")
        else:
            for name in ("issuer", "issuer_url", "sources"):
                if not getattr(cert, name):
                    doc.fail((*at, name), f"{name} is required unless status is not_found")
        for j, alt in enumerate(cert.alternatives):
            target = by_id.get(alt)
            if target is None or target.status == "not_found" or alt == cert.id:
                doc.fail((*at, "alternatives", j), f"alternative {alt!r} is not another listed certification")
    return list(certs)


def load_cip_relevance(curated_dir: Path, *, families: Sequence[str] | None = None) -> dict[str, CipRelevance]:
    """CIP code → relevance tier from ``cip_relevance.yaml``; codes must be in the configured families."""
    doc = _YamlDoc.read(curated_dir / CIP_RELEVANCE_FILE)
    codes = doc.validate(_CipRelevanceFile).codes
    allowed = set(families if families is not None else get_settings().cip_families)
    result: dict[str, CipRelevance] = {}
    for code, entry in codes.items():
        if code[:5] not in allowed:
            doc.fail(("codes", code), f"CIP {code} is outside the configured families")
        result[code] = CipRelevance(cip=code, **entry.model_dump())
    return result


def load_claims(path: Path, *, roles: Collection[str] | None = None) -> list[Claim]:
    """Claims from a claims file (a mapping with ``claims:``, or a bare list of claims).

    When ``roles`` (known role ids) is given, a claim about an unknown role is an error.
    """
    doc = _YamlDoc.read(path)
    if isinstance(doc.data, list):  # a bare list: index it as if it sat under "claims:"
        doc = _YamlDoc(path, {"claims": doc.data}, {("claims", *key): n for key, n in doc.lines.items()})
    claims = doc.validate(_ClaimsFile).claims
    doc.unique([("claims", i, "id") for i in range(len(claims))], [claim.id for claim in claims])
    for i, claim in enumerate(claims):
        if roles is not None and claim.role is not None and claim.role not in roles:
            doc.fail(("claims", i, "role"), f"unknown role {claim.role!r}")
    return list(claims)


# YAML with line numbers -------------------------------------------------------------------------
class _YamlDoc:
    """A parsed YAML file plus the line of every key and list item, indexed by field path."""

    def __init__(self, path: Path, data: Any, lines: dict[YamlPath, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    @classmethod
    def read(cls, path: Path) -> _YamlDoc:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceMissing(path, "curated file not found") from None
        except UnicodeDecodeError:
            raise CuratedDataError(path, "not UTF-8 text") from None
        try:
            root = yaml.compose(text, Loader=_LOADER)
            data = yaml.load(text, Loader=_LOADER)  # a safe loader (SafeLoader or its libyaml twin)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            line = mark.line + 1 if mark else None
            raise CuratedDataError(path, f"not valid YAML: {problem}", line=line) from None
        if root is None:
            raise CuratedDataError(path, "file is empty")
        doc = cls(path, data, {})
        doc._index(root, ())
        return doc

    def _index(self, node: yaml.Node, at: YamlPath) -> None:
        self.lines.setdefault(at, node.start_mark.line + 1)
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*at, i))
        if not isinstance(node, yaml.MappingNode):
            return
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            # An unquoted 11.0102 or 2025 would become a number and silently lose its zeros.
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                key = getattr(key_node, "value", "?")
                message = f"key {key!r} must be text: quote it"
                raise CuratedDataError(self.path, message, line=line, field=_dotted(at) or None)
            key = str(key_node.value)
            if key in first_seen:  # PyYAML would silently keep the last value
                message = f"duplicate key {key!r} (first on line {first_seen[key]})"
                raise CuratedDataError(self.path, message, line=line, field=_dotted((*at, key)))
            first_seen[key] = line
            self.lines[(*at, key)] = line
            self._index(value_node, (*at, key))

    def validate(self, model: type[ModelT]) -> ModelT:
        """The document as ``model``; the first validation error becomes a CuratedDataError."""
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            first = errors[0]
            # pydantic adds parts the YAML does not have (union branches, "[key]"): keep the longest
            # prefix that the file has, plus the name of a missing field.
            at: YamlPath = ()
            for part in first["loc"]:
                if (*at, part) not in self.lines:
                    break
                at = (*at, part)
            shown = at
            if first["type"] == "missing" and len(first["loc"]) > len(at):
                shown = (*at, first["loc"][len(at)])
            more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
            message = f"{first['msg']}{more}"
            raise CuratedDataError(self.path, message, line=self.lines.get(at), field=_dotted(shown) or None) from None

    def fail(self, at: YamlPath, message: str) -> NoReturn:
        """Raise a CuratedDataError for the field at ``at`` (line of its nearest present ancestor)."""
        line = next((self.lines[at[:cut]] for cut in range(len(at), -1, -1) if at[:cut] in self.lines), None)
        raise CuratedDataError(self.path, message, line=line, field=_dotted(at))

    def unique(self, places: Sequence[YamlPath], values: Sequence[object]) -> None:
        """Fail at the second occurrence of any repeated value."""
        seen: set[object] = set()
        for at, value in zip(places, values, strict=True):
            if value in seen:
                self.fail(at, f"{value!r} appears twice")
            seen.add(value)


def _dotted(at: Sequence[str | int]) -> str:
    out = ""
    for part in at:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][\w-]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out
