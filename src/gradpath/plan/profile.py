"""The planner's profile: who the person is, where they live, what they can do and what they want.

The profile is a contract. The CLI reads it from a TOML or JSON file; the web form carries it in
the URL query (never stored on the server). Both go through :func:`parse_profile`, which checks
every section and key: an unknown key or a value of the wrong type is a :class:`ProfileError`
naming the key (``background.gpa``) — nothing is silently ignored.

Sections and keys (everything optional unless stated)::

    [background]  bachelor_field (text), gpa (0-4.3), gre (false | true | {quant, verbal, writing}),
                  coursework (list of COURSEWORK), years_experience, highest_degree (bachelor | master |
                  doctorate; default bachelor), current_soc ("29-1141"), current_occupation (free text,
                  mapped to a SOC through O*NET titles), current_salary (a number, or "oews_median"),
                  international (default false)
    [location]    area (as elsewhere: national, state code, CBSA, name fragment; default national),
                  relocate (willing to move for a campus program; default false)
    [constraints] online_only, part_time (booleans), max_total_cost, start_term ("Fall 2026"),
                  hours_per_week
    [money]       employer_assistance_per_year, scholarships (total), savings, borrow (boolean),
                  fees_per_year, books_per_year, relocation_living_cost_per_year, bridge_course_cost
                  (per course), own_tuition (table: offering id -> your tuition figure)
    [goals]       roles (role ids from `gradpath careers list`)
    [ranking]     weights (table: component -> weight), top (programs shown; default 25)
    [assumptions] discount_rate, horizon_years, wage_growth, ramp_years, tax_rate_on_taxable_aid
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from gradpath.plan.timeline import parse_start_term

COURSEWORK = (
    "programming",
    "statistics",
    "calculus",
    "linear_algebra",
    "biology",
    "clinical",
    "probability",
    "data_structures",
    "discrete_math",
    "databases",
)
DEGREES = ("bachelor", "master", "doctorate")
COMPONENTS = ("eligibility", "cost", "roi", "flexibility", "curriculum", "outcomes", "accreditation")
DEFAULT_TOP = 25
MAX_TOP = 500
_ROLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_OFFERING_ID = re.compile(r"^\d{5,7}-\d{2}\.\d{4}$")


class ProfileError(ValueError):
    """A profile value is invalid; ``key`` names it (``section.key``) for the CLI and the web form."""

    def __init__(self, key: str, message: str, candidates: Sequence[Mapping[str, Any]] | None = None) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message
        self.candidates = list(candidates or [])


@dataclass(frozen=True)
class Gre:
    """GRE taken, with the scores the person gave (any may be missing)."""

    quant: float | None = None
    verbal: float | None = None
    writing: float | None = None


@dataclass(frozen=True)
class Background:
    bachelor_field: str | None = None
    gpa: float | None = None
    gre: Gre | None = None  # None: not taken
    coursework: tuple[str, ...] = ()
    years_experience: float | None = None
    highest_degree: str = "bachelor"
    current_soc: str | None = None
    current_occupation: str | None = None
    current_salary: float | None = None  # None: use the OEWS median for current_soc in the area
    international: bool = False


@dataclass(frozen=True)
class Location:
    area: str = "national"
    relocate: bool = False


@dataclass(frozen=True)
class Constraints:
    online_only: bool = False
    part_time: bool = False
    max_total_cost: float | None = None
    start_term: str | None = None
    hours_per_week: float | None = None


@dataclass(frozen=True)
class Money:
    employer_assistance_per_year: float = 0.0
    scholarships: float = 0.0
    savings: float = 0.0
    borrow: bool = False
    fees_per_year: float | None = None
    books_per_year: float | None = None
    relocation_living_cost_per_year: float | None = None
    bridge_course_cost: float | None = None
    own_tuition: tuple[tuple[str, float], ...] = ()

    def own_tuition_for(self, offering_id: str) -> float | None:
        """The person's own tuition figure for one offering, if they gave one."""
        return dict(self.own_tuition).get(offering_id)


@dataclass(frozen=True)
class Goals:
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    weights: tuple[tuple[str, float], ...] = ()  # overrides of the default weights
    top: int = DEFAULT_TOP


@dataclass(frozen=True)
class AssumptionOverrides:
    discount_rate: float | None = None
    horizon_years: int | None = None
    wage_growth: float | None = None
    ramp_years: float | None = None
    tax_rate_on_taxable_aid: float | None = None


@dataclass(frozen=True)
class Profile:
    """One person's planning profile (immutable; hashable, so plans can be cached by profile)."""

    background: Background = field(default_factory=Background)
    location: Location = field(default_factory=Location)
    constraints: Constraints = field(default_factory=Constraints)
    money: Money = field(default_factory=Money)
    goals: Goals = field(default_factory=Goals)
    ranking: Ranking = field(default_factory=Ranking)
    assumptions: AssumptionOverrides = field(default_factory=AssumptionOverrides)


# --- value checkers: each takes (key, raw value) and returns the typed value or raises ----------------

Checker = Callable[[str, Any], Any]


def _type_name(value: Any) -> str:
    return {bool: "a boolean", str: "text", list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _number(low: float | None = None, high: float | None = None, *, integer: bool = False) -> Checker:
    def check(key: str, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ProfileError(key, f"must be a number, got {_type_name(value)} {value!r}")
        if integer and float(value) != int(value):
            raise ProfileError(key, f"must be a whole number, got {value!r}")
        if low is not None and value < low:
            raise ProfileError(key, f"must be at least {low:g}, got {value!r}")
        if high is not None and value > high:
            raise ProfileError(key, f"must be at most {high:g}, got {value!r}")
        return int(value) if integer else float(value)

    return check


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(key, f"must be true or false, got {_type_name(value)} {value!r}")
    return value


def _text(max_length: int = 200) -> Checker:
    def check(key: str, value: Any) -> str | None:
        if not isinstance(value, str):
            raise ProfileError(key, f"must be text, got {_type_name(value)} {value!r}")
        value = value.strip()
        if len(value) > max_length:
            raise ProfileError(key, f"at most {max_length} characters")
        return value or None

    return check


def _choice(options: Sequence[str]) -> Checker:
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in options:
            raise ProfileError(key, f"must be one of {', '.join(options)}; got {value!r}")
        return value.strip().lower()

    return check


def _gre(key: str, value: Any) -> Gre | None:
    if isinstance(value, bool):
        return Gre() if value else None
    if not isinstance(value, dict):
        raise ProfileError(key, f"must be false, true or a table {{quant, verbal, writing}}; got {value!r}")
    scores = _table(key, value, {"quant": _number(130, 170), "verbal": _number(130, 170), "writing": _number(0, 6)})
    return Gre(**scores)


def _coursework(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ProfileError(key, f'must be a list such as ["statistics"], got {_type_name(value)}')
    out: list[str] = []
    for item in value:
        name = item.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(item, str) else None
        if name not in COURSEWORK:
            raise ProfileError(key, f"unknown course {item!r}; use any of {', '.join(COURSEWORK)}")
        if name not in out:
            out.append(name)
    return tuple(out)


def _soc(key: str, value: Any) -> str:
    text = _text(12)(key, value)
    raw = (text or "").replace(".00", "")
    if re.fullmatch(r"\d{6}", raw):
        raw = f"{raw[:2]}-{raw[2:]}"
    if not re.fullmatch(r"\d{2}-\d{4}", raw):
        raise ProfileError(key, f"{value!r} is not a SOC code like 29-1141")
    return raw


def _salary(key: str, value: Any) -> float | None:
    if isinstance(value, str) and value.strip().lower() in ("oews", "oews_median", "median"):
        return None
    return _number(0, 10_000_000)(key, value)


def _start_term(key: str, value: Any) -> str | None:
    text = _text(40)(key, value)
    if text is None:
        return None
    try:
        parse_start_term(text)
    except ValueError:
        raise ProfileError(key, f"cannot read a start term from {value!r}; use e.g. 'Fall 2026'") from None
    return text


def _roles(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(key, 'must be a list of role ids, e.g. ["clinical-data-scientist"]')
    roles = []
    for v in value:
        role = v.strip().lower()
        if not _ROLE_ID.match(role):
            raise ProfileError(key, f"{v!r} is not a role id")
        if role not in roles:
            roles.append(role)
    return tuple(roles)


def _own_tuition(key: str, value: Any) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        raise ProfileError(key, "must be a table of offering id = amount")
    out = []
    for offering_id, amount in value.items():
        if not _OFFERING_ID.match(str(offering_id)):
            raise ProfileError(f"{key}.{offering_id}", "is not an offering id such as 166027-51.2706")
        out.append((str(offering_id), _number(0, 10_000_000)(f"{key}.{offering_id}", amount)))
    return tuple(sorted(out))


def _weights(key: str, value: Any) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        raise ProfileError(key, f"must be a table of component = weight ({', '.join(COMPONENTS)})")
    out = []
    for name, weight in value.items():
        if name not in COMPONENTS:
            raise ProfileError(f"{key}.{name}", f"unknown component; use any of {', '.join(COMPONENTS)}")
        out.append((name, _number(0, 1000)(f"{key}.{name}", weight)))
    return tuple(sorted(out))


SPEC: dict[str, tuple[type, dict[str, Checker]]] = {
    "background": (Background, {
        "bachelor_field": _text(120), "gpa": _number(0, 4.3), "gre": _gre, "coursework": _coursework,
        "years_experience": _number(0, 60), "highest_degree": _choice(DEGREES), "current_soc": _soc,
        "current_occupation": _text(120), "current_salary": _salary, "international": _boolean,
    }),
    "location": (Location, {"area": _text(120), "relocate": _boolean}),
    "constraints": (Constraints, {
        "online_only": _boolean, "part_time": _boolean, "max_total_cost": _number(0, 10_000_000),
        "start_term": _start_term, "hours_per_week": _number(1, 80),
    }),
    "money": (Money, {
        "employer_assistance_per_year": _number(0, 1_000_000), "scholarships": _number(0, 10_000_000),
        "savings": _number(0, 100_000_000), "borrow": _boolean, "fees_per_year": _number(0, 1_000_000),
        "books_per_year": _number(0, 1_000_000), "relocation_living_cost_per_year": _number(0, 1_000_000),
        "bridge_course_cost": _number(0, 100_000), "own_tuition": _own_tuition,
    }),
    "goals": (Goals, {"roles": _roles}),
    "ranking": (Ranking, {"weights": _weights, "top": _number(1, MAX_TOP, integer=True)}),
    "assumptions": (AssumptionOverrides, {
        "discount_rate": _number(-0.5, 0.5), "horizon_years": _number(1, 50, integer=True),
        "wage_growth": _number(-0.1, 0.2), "ramp_years": _number(0, 20), "tax_rate_on_taxable_aid": _number(0, 1),
    }),
}  # fmt: skip


def _table(prefix: str, value: Mapping[str, Any], checkers: Mapping[str, Checker]) -> dict[str, Any]:
    out = {}
    for key, raw in value.items():
        name = f"{prefix}.{key}"
        if key not in checkers:
            raise ProfileError(name, f"unknown key; allowed: {', '.join(checkers)}")
        checked = checkers[key](name, raw)
        if checked is not None:
            out[key] = checked
    return out


def parse_profile(data: Mapping[str, Any]) -> Profile:
    """Check a profile document (from TOML, JSON or the web form) and build the :class:`Profile`."""
    if not isinstance(data, Mapping):
        raise ProfileError("profile", "must be a table of sections")
    sections: dict[str, Any] = {}
    for section, value in data.items():
        if section not in SPEC:
            raise ProfileError(str(section), f"unknown section; allowed: {', '.join(SPEC)}")
        if not isinstance(value, Mapping):
            raise ProfileError(section, f"must be a table, got {_type_name(value)}")
        cls, checkers = SPEC[section]
        sections[section] = cls(**_table(section, value, checkers))
    profile = Profile(**sections)
    if profile.ranking.weights and not any(w > 0 for _, w in profile.ranking.weights):
        raise ProfileError("ranking.weights", "at least one weight must be above 0")
    return profile


def load_profile(path: Path) -> Profile:
    """Read a profile file: ``.toml`` or ``.json`` (the format is part of the contract)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError("profile", f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ProfileError(
            "profile", f"{path.name} is not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {exc}"
        ) from None
    return parse_profile(data)


# --- the web form: a flat query string <-> the same document -------------------------------------------

_FLAT: dict[str, str] = {key: section for section, (_, checkers) in SPEC.items() for key in checkers}
_LISTS = {"coursework", "roles"}
_FORM_ONLY = {"gre_taken", "gre_quant", "gre_verbal", "gre_writing"}
_NOT_IN_FORM = {"gre", "weights", "own_tuition"}
_TRUE, _FALSE = {"true", "on", "1", "yes"}, {"false", "off", "0", "no", ""}


def _kind(checker: Checker) -> str:
    if checker is _boolean:
        return "boolean"
    if checker is _salary:
        return "number_or_text"
    return "number" if checker.__qualname__.startswith("_number") else "text"


def _query_value(key: str, kind: str, raw: str) -> Any:
    text = raw.strip()
    if kind == "boolean":
        if text.lower() not in _TRUE | _FALSE:
            raise ProfileError(key, f"must be true or false, got {raw!r}")
        return text.lower() in _TRUE
    if kind in ("number", "number_or_text"):
        try:
            return float(text) if re.search(r"[.eE]", text) else int(text)
        except ValueError:
            if kind == "number":
                raise ProfileError(key, f"must be a number, got {raw!r}") from None
    return text


def profile_from_query(params: Mapping[str, Sequence[str]]) -> Profile:
    """Build a profile from the web form's query (``key -> values``); empty fields are left out.

    Names are the profile keys without their section (``gpa``, ``area``, ``roles``); the GRE is
    ``gre_taken`` with ``gre_quant``/``gre_verbal``/``gre_writing``; weights are ``w_<component>``.
    Parameters the form does not know are an error naming them, like unknown keys in a file.
    """
    doc: dict[str, dict[str, Any]] = {}
    gre: dict[str, Any] = {}
    weights: dict[str, Any] = {}
    for key, values in params.items():
        present = [v for v in values if v.strip()]
        if key.startswith("w_"):
            if present:
                weights[key[2:]] = _query_value(key, "number", present[-1])
            continue
        if key in _FORM_ONLY:
            if present:
                gre[key[4:]] = _query_value(key, "boolean" if key == "gre_taken" else "number", present[-1])
            continue
        if key not in _FLAT or key in _NOT_IN_FORM:
            raise ProfileError(key, "unknown parameter")
        if not present:
            continue
        section = _FLAT[key]
        value = present if key in _LISTS else _query_value(key, _kind(SPEC[section][1][key]), present[-1])
        doc.setdefault(section, {})[key] = value
    if gre:
        taken = gre.pop("taken", bool(gre))
        doc.setdefault("background", {})["gre"] = gre if (taken and gre) else bool(taken)
    if weights:
        unknown = [w for w in weights if w not in COMPONENTS]
        if unknown:
            raise ProfileError(f"w_{unknown[0]}", "unknown ranking component")
        doc.setdefault("ranking", {})["weights"] = weights
    return parse_profile(doc)


def profile_to_query(profile: Profile) -> list[tuple[str, str]]:
    """The form's query pairs for a profile (only what differs from the defaults), for links."""
    pairs: list[tuple[str, str]] = []
    for section in SPEC:
        current, default = getattr(profile, section), SPEC[section][0]()
        for f in fields(current):
            value = getattr(current, f.name)
            if value == getattr(default, f.name) or f.name == "own_tuition":
                continue
            if f.name == "gre":
                pairs.append(("gre_taken", "true"))
                pairs += [(f"gre_{k}", f"{v:g}") for k, v in vars(value).items() if v is not None]
            elif f.name == "weights":
                pairs += [(f"w_{k}", f"{v:g}") for k, v in value]
            elif isinstance(value, tuple):
                pairs += [(f.name, str(v)) for v in value]
            elif isinstance(value, bool):
                pairs.append((f.name, "true" if value else "false"))
            elif isinstance(value, float):
                pairs.append((f.name, f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"))
            else:
                pairs.append((f.name, str(value)))
    return pairs


def profile_echo(profile: Profile) -> dict[str, Any]:
    """The profile as JSON, every section and key with its value (defaults filled in)."""

    def plain(value: Any) -> Any:
        if isinstance(value, Gre):
            return {k: v for k, v in vars(value).items() if v is not None} or True
        if isinstance(value, tuple) and value and isinstance(value[0], tuple):
            return dict(value)
        if isinstance(value, tuple):
            return list(value)
        return value

    out: dict[str, Any] = {}
    for section in SPEC:
        current = getattr(profile, section)
        out[section] = {f.name: plain(getattr(current, f.name)) for f in fields(current)}
    out["background"]["gre"] = out["background"]["gre"] if profile.background.gre is not None else False
    return out


def query_param(key: str) -> str:
    """The web form's parameter for a profile key: ``background.gpa`` → ``gpa``, weights → ``w_<name>``."""
    parts = key.split(".")
    if key == "ranking.weights":
        return "w_*"
    if len(parts) >= 3 and parts[1] == "weights":
        return f"w_{parts[2]}"
    if len(parts) >= 3 and parts[1] == "gre":
        return f"gre_{parts[2]}"
    if parts[-1] == "gre":
        return "gre_taken"
    return parts[1] if len(parts) >= 2 else parts[0]


def form_fields() -> list[tuple[str, str, bool]]:
    """Every web-form parameter as (name, kind, repeated): kind is boolean, number, number_or_text or text."""
    fields_: list[tuple[str, str, bool]] = []
    for _, checkers in SPEC.values():
        fields_ += [
            (key, _kind(checker), key in _LISTS) for key, checker in checkers.items() if key not in _NOT_IN_FORM
        ]
    fields_ += [("gre_taken", "boolean", False)] + [
        (f"gre_{k}", "number", False) for k in ("quant", "verbal", "writing")
    ]
    return fields_ + [(f"w_{name}", "number", False) for name in COMPONENTS]
