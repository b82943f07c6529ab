"""Eligibility: each admission requirement a program states, checked against the person's profile.

A requirement comes from a verified program fact (``min_gpa``, ``gre``, the paraphrased
``prerequisites``) and gets one status:

* ``met`` — the profile satisfies it, or the program states it is not needed;
* ``not_met`` — the profile contradicts it. ``hard`` ones (a minimum GPA, a degree level, required
  years of experience) exclude the program from the ranking; soft ones (a degree field that is not
  among those named, a preference) only cost points;
* ``bridgeable`` — missing now, but a named bridge closes it (an intro programming course taken
  before the program, the GRE, a waiver the program offers) with its time and cost assumptions;
* ``unknown`` — the profile cannot decide it, or no verified source states it ("unknown — verify").
  Unknown never counts as met.

The prerequisite texts are the team's paraphrases; they are read with plain keyword rules, so a
requirement the rules do not understand stays ``unknown`` rather than being guessed. Application
paperwork (letters, transcripts, statements) is listed separately as a checklist, not scored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from gradpath.plan.profile import Profile

Status = Literal["met", "not_met", "bridgeable", "unknown"]
STATUSES: tuple[Status, ...] = ("met", "not_met", "bridgeable", "unknown")
BRIDGE_COURSES_PER_TERM = 2  # planner choice: two bridge courses at a time, like a part-time load
_DEGREE_RANK = {"bachelor": 1, "master": 2, "doctorate": 3}
HEALTH_SOC_PREFIXES = ("29-", "31-", "11-9111", "19-1041", "19-1042", "21-1091", "21-1094", "43-6013")
UNKNOWN_VERIFY = "unknown — verify"
SEMESTER_UNITS = frozenset({"credits", "credit hours", "semester hours", "semester credits", "graduate credit hours",
                            "hours", "points"})  # fmt: skip


@dataclass(frozen=True)
class Fact:
    """One verified program fact with its page (``quote`` only for review-queue facts read locally)."""

    field: str
    value: Any
    source_url: str
    as_of: str
    slug: str
    program_name: str
    origin: str = "curated"
    quote: str | None = None

    def source(self) -> dict[str, Any]:
        """The source block of an eligibility item or a cost line."""
        return {"url": self.source_url, "as_of": self.as_of, "kind": "verified_fact", "program": self.program_name,
                "origin": self.origin}  # fmt: skip


@dataclass(frozen=True)
class OfferingFacts:
    """Every verified fact of one program linked to an offering — all its pages, field by field (page order).

    An offering linked to several programs has one of these per program (see :mod:`gradpath.plan.evaluate`).
    """

    facts: tuple[Fact, ...] = ()

    @property
    def name(self) -> str:
        """The program's name (as the team wrote it), or "" without facts."""
        return self.facts[0].program_name if self.facts else ""

    def all(self, name: str) -> list[Fact]:
        """All facts of one field, one per page that states it."""
        return [f for f in self.facts if f.field == name]

    def first(self, name: str) -> Fact | None:
        """The first page's fact for a field, or ``None`` when no page states it."""
        return next((f for f in self.facts if f.field == name), None)

    def stated(self, name: str) -> Any:
        """The first page's value of a field (lists as tuples, so values can be memo keys), or ``None``."""
        fact = self.first(name)
        return None if fact is None else tuple(fact.value) if isinstance(fact.value, list) else fact.value

    def formats(self) -> frozenset[str] | None:
        """Formats the pages state (hybrid counts as campus too); ``None`` when no page states one."""
        found: set[str] = set()
        for f in self.all("formats_offered") + self.all("format"):
            found.update([f.value] if isinstance(f.value, str) else f.value)
        if "hybrid" in found:
            found.add("campus")  # hybrid programs meet on campus part of the time
        return frozenset(found) or None

    def credits(self) -> tuple[float | None, str | None, str]:
        """Stated credits (page units), the unit for the timeline (semester | quarter | None) and a note."""
        fact = self.first("credits")
        if fact is None:
            return None, None, "credits not stated"
        unit_fact = next((u for u in self.all("credits_unit") if u.slug == fact.slug), None)
        unit = str(unit_fact.value).lower() if unit_fact else "credits"
        if "quarter" in unit:
            return float(fact.value), "quarter", f"{fact.value:g} {unit}"
        if unit in SEMESTER_UNITS:
            return float(fact.value), "semester", f"{fact.value:g} {unit}"
        return float(fact.value), None, f"{fact.value:g} {unit}: not convertible to semester credits"

    @property
    def pages(self) -> list[dict[str, str]]:
        """The linked pages (slug, program, url, as_of), once each."""
        seen: dict[str, dict[str, str]] = {}
        for f in self.facts:
            seen.setdefault(f.slug, {"slug": f.slug, "program": f.program_name, "url": f.source_url, "as_of": f.as_of})
        return list(seen.values())


@dataclass(frozen=True)
class Bridge:
    """What closes a gap before the program starts, with its time and cost assumptions."""

    name: str
    courses: tuple[str, ...]
    terms: int
    cost: float | None
    cost_basis: str
    required: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "courses": list(self.courses), "terms": self.terms, "cost": self.cost,
                "cost_basis": self.cost_basis, "required": self.required}  # fmt: skip


@dataclass(frozen=True)
class Requirement:
    """One stated requirement and how the profile meets it."""

    requirement: str
    kind: str
    status: Status
    hard: bool
    reason: str
    source: dict[str, Any] | None
    evidence: str | None = None
    bridge: Bridge | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form (``evidence`` is a page quote when one exists locally, else ``null``)."""
        return {"requirement": self.requirement, "kind": self.kind, "status": self.status, "hard": self.hard,
                "reason": self.reason, "evidence": self.evidence, "source": self.source,
                "bridge": None if self.bridge is None else self.bridge.as_dict()}  # fmt: skip


@dataclass(frozen=True)
class Eligibility:
    """The requirements of one program for one person, and the application checklist."""

    items: tuple[Requirement, ...]
    checklist: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def excluding(self) -> list[Requirement]:
        """Hard requirements that are not met: any one excludes the program."""
        return [r for r in self.items if r.status == "not_met" and r.hard]

    @property
    def excluded(self) -> bool:
        """Whether a hard requirement is not met."""
        return bool(self.excluding)

    @cached_property
    def bridge_courses(self) -> tuple[str, ...]:
        """Courses the person must take first (required bridges only), each once."""
        names: list[str] = []
        for r in self.items:
            if r.status == "bridgeable" and r.bridge is not None and r.bridge.required:
                names += [c for c in r.bridge.courses if c not in names]
        return tuple(names)

    @property
    def bridge_terms(self) -> int:
        """Terms of bridge courses before the program (two courses a term)."""
        return math.ceil(len(self.bridge_courses) / BRIDGE_COURSES_PER_TERM)

    def counts(self) -> dict[str, int]:
        """How many items have each status."""
        return {s: sum(1 for r in self.items if r.status == s) for s in STATUSES}

    @property
    def value(self) -> float:
        """Share of requirements met (bridgeable counts half; unknown and not met count nothing).

        Statements about the program ("no prerequisites") are shown but not counted.
        """
        scored = [r for r in self.items if r.kind != "information"]
        if not scored:
            return 0.0
        met = sum(1.0 if r.status == "met" else 0.5 if r.status == "bridgeable" else 0.0 for r in scored)
        return met / len(scored)


# --- reading the profile ----------------------------------------------------------------------------------

_FIELD_WORDS: tuple[tuple[str, str], ...] = (
    (r"health informatics|informatics", "informatics"),
    (r"health science|health|medic|clinical|nursing|\bnurse|pharm|public health|dental|therap", "health"),
    (r"biolog|life.science|biochem|biomedical|genetic", "biology"),
    (r"computer|computing|software|\bcs\b|information technology|\bit\b", "computing"),
    (r"information", "information"),
    (r"math", "math"),
    (r"statistic", "statistics"),
    (r"engineering", "engineering"),
    (r"physics", "physics"),
    (r"chemistry", "chemistry"),
    (r"psycholog", "psychology"),
    (r"philosoph", "philosophy"),
    (r"linguist", "linguistics"),
    (r"\blogic\b", "logic"),
    (r"econom", "economics"),
    (r"business|management|finance|account", "business"),
)
_HEDGES = re.compile(r"related|similar|close field|relevant|equivalent|such as|or another|comparable")


def field_families(text: str | None) -> set[str]:
    """Broad field families a degree text names (nursing → health, computer science → computing)."""
    low = (text or "").lower()
    found = set()
    for pattern, family in _FIELD_WORDS:
        if re.search(pattern, low):
            found.add(family)
            low = re.sub(pattern, " ", low)  # "health informatics" must not also count as "health"
    return found


def has_health_background(profile: Profile) -> bool | None:
    """Health-care background from the bachelor's field or the current occupation; ``None`` if neither says."""
    soc = profile.background.current_soc
    if soc is not None and soc.startswith(HEALTH_SOC_PREFIXES):
        return True
    if "health" in field_families(profile.background.bachelor_field):
        return True
    if soc is None and profile.background.bachelor_field is None:
        return None
    return False


# --- the rules ----------------------------------------------------------------------------------------------

_COURSE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"programming|python|coding|computer science (?:course|concept)|\bcs course|computing background|"
     r"computing experience|programming language", ("programming",)),
    (r"information systems", ("programming", "databases")),
    (r"\bsql\b|data management", ("databases",)),
    (r"statistic", ("statistics",)),
    (r"probability", ("probability", "statistics")),
    (r"calculus", ("calculus",)),
    (r"linear algebra|matrix algebra", ("linear_algebra",)),
    (r"\bbiology", ("biology",)),
    (r"data structures|algorithm", ("data_structures",)),
    (r"discrete math", ("discrete_math",)),
    (r"\bcomputer science\b", ("programming",)),
    (r"math or computer science courses", ("calculus", "linear_algebra", "programming", "discrete_math")),
)  # fmt: skip
_COURSE_NAMES = {
    "programming": "an introductory programming course", "statistics": "an introductory statistics course",
    "probability": "a probability course", "calculus": "a calculus course", "linear_algebra": "a linear algebra course",
    "biology": "an introductory biology course", "data_structures": "a data structures and algorithms course",
    "discrete_math": "a discrete mathematics course", "databases": "an introductory databases/SQL course",
    "clinical": "a clinical or health-care course",
}  # fmt: skip
_CHECKLIST = re.compile(
    r"letter|recommendation|reference|transcript|statement|\bcv\b|resume|writing sample|interview|"
    r"application|portal|deposit|\bfee\b|test scores"
)
_INFO = re.compile(r"preparatory courses|conditionally admitted|no prior degree required|^no prerequisites")
_UNCHECKABLE = re.compile(r"pathway|employment|protected time|b-? or better in every")
_SOFT = re.compile(r"recommend|encourag|suggest|prefer|refresher")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}


@dataclass(frozen=True)
class _Verdict:
    kind: str
    status: Status
    hard: bool
    reason: str
    bridge: Bridge | None = None

    def on(self, text: str, fact: Fact | None) -> Requirement:
        source, quote = (None, None) if fact is None else (fact.source(), fact.quote)
        return Requirement(text, self.kind, self.status, self.hard, self.reason, source, quote, self.bridge)


def _course_needs(low: str) -> list[tuple[str, ...]]:
    needs: list[tuple[str, ...]] = []
    for pattern, alternatives in _COURSE_WORDS:
        if re.search(pattern, low) and alternatives not in needs:
            needs.append(alternatives)
    if ("probability", "statistics") in needs:
        needs = [n for n in needs if n != ("statistics",)]
    if "either" in low and len(needs) > 1:  # "a background in either biology or computer science"
        needs = [tuple(dict.fromkeys(c for alts in needs for c in alts))]
    return needs


def _bridge(profile: Profile, courses: Sequence[str], required: bool) -> Bridge:
    per_course = profile.money.bridge_course_cost
    names = ", ".join(_COURSE_NAMES.get(c, c) for c in courses)
    terms = math.ceil(len(courses) / BRIDGE_COURSES_PER_TERM)
    when = f"; about {terms} term(s) at {BRIDGE_COURSES_PER_TERM} courses a term, before the program"
    if per_course is None:
        return Bridge(names, tuple(courses), terms, None, "cost unknown: set money.bridge_course_cost" + when, required)
    basis = f"your figure: ${per_course:,.0f} a course x {len(courses)}" + when
    return Bridge(names, tuple(courses), terms, per_course * len(courses), basis, required)


def _coursework(low: str, profile: Profile, needs: list[tuple[str, ...]]) -> _Verdict:
    done = set(profile.background.coursework)
    missing = [alts[0] for alts in needs if not done.intersection(alts)]
    soft = bool(_SOFT.search(low))
    if not missing:
        have = ", ".join(sorted(done.intersection({c for alts in needs for c in alts})))
        return _Verdict("coursework", "met", False, f"your coursework includes {have}")
    why = f"missing from your coursework: {', '.join(missing)}" + ("; the program only recommends it" if soft else "")
    return _Verdict("coursework", "bridgeable", False, why, _bridge(profile, missing, required=not soft))


def _gpa(low: str, minimum: float, profile: Profile) -> _Verdict:
    gpa = profile.background.gpa
    note = " (the program may count only recent credits; your profile gives one GPA)" if "last" in low else ""
    if gpa is None:
        return _Verdict("gpa", "unknown", True, "your GPA is not in the profile")
    if gpa >= minimum:
        return _Verdict("gpa", "met", True, f"your GPA {gpa:g} ≥ {minimum:g}{note}")
    return _Verdict("gpa", "not_met", True, f"your GPA {gpa:g} < {minimum:g}{note}")


def _gre_policy(policy: str, profile: Profile) -> _Verdict:
    if policy in ("optional", "not required"):
        return _Verdict("gre", "met", False, f"the program states the GRE is {policy}")
    if profile.background.gre is not None:
        return _Verdict("gre", "met", False, "you have taken the GRE")
    name = "ask for the waiver the program offers, or take the GRE" if policy == "waivable" else "take the GRE"
    bridge = Bridge(name, (), 0, None, "test fee not in GradPath's data; allow time to prepare", policy == "required")
    return _Verdict("gre", "bridgeable", False, f"GRE {policy}; you have not taken it", bridge)


def _gre_text(low: str, profile: Profile) -> _Verdict:
    gre = profile.background.gre
    if gre is None:
        bridge = Bridge("take the GRE", (), 0, None, "test fee not in GradPath's data; allow time to prepare", True)
        return _Verdict("gre", "bridgeable", False, "you have not taken the GRE", bridge)
    total = re.search(r"verbal\s*\+\s*quantitative at least (\d{3})", low)
    if total and gre.quant is not None and gre.verbal is not None:
        need, have = float(total.group(1)), gre.quant + gre.verbal
        return _Verdict("gre", "met" if have >= need else "not_met", False, f"your verbal+quant {have:g} vs {need:g}")
    return _Verdict("gre", "unknown", False, "compare your GRE scores with the stated minimum")


def _degree(low: str, profile: Profile) -> _Verdict:
    bg = profile.background
    cleaned = re.sub(r"(plus|and) a prior bachelor'?s", "", low)  # a prior bachelor's beside a doctorate
    words = (("bachelor", 1), ("b.s.", 1), ("undergraduate degree", 1), ("master", 2), ("doctor", 3), ("phd", 3))
    needed = min([rank for word, rank in words if word in cleaned], default=1)
    if _DEGREE_RANK[bg.highest_degree] < needed:
        level = {2: "a master's", 3: "a doctorate"}[needed]
        return _Verdict("degree", "not_met", True, f"asks for {level}; your highest degree: {bg.highest_degree}")
    named = field_families(cleaned)
    if not named or re.search(r"no particular (major|field)", low):
        return _Verdict("degree", "met", False, f"your {bg.highest_degree}'s degree (your profile) is at this level; "
                        "its accreditation is yours to confirm")  # fmt: skip
    mine = field_families(bg.bachelor_field)
    if bg.bachelor_field is None:
        return _Verdict("degree", "unknown", False, "your bachelor's field is not in the profile")
    if not mine:
        return _Verdict("degree", "unknown", False, f"{UNKNOWN_VERIFY} whether {bg.bachelor_field} is among the fields")
    if mine & named:
        return _Verdict("degree", "met", False, f"your field ({bg.bachelor_field}) is among those named")
    if _HEDGES.search(low):
        return _Verdict("degree", "unknown", False, f"{UNKNOWN_VERIFY} whether {bg.bachelor_field} counts as related")
    return _Verdict("degree", "not_met", False, f"your field ({bg.bachelor_field}) is not among those named; "
                    "programs sometimes admit others — verify")  # fmt: skip


def _experience(low: str, profile: Profile, health: bool | None) -> _Verdict:
    hard = not (_SOFT.search(low) or "expected" in low)
    match = re.search(r"\b(a|one|two|three|four|five|six|ten|\d+)\b(?: or more)? years?", low)
    years = None if match is None else float(_NUMBER_WORDS.get(match.group(1)) or match.group(1))
    needs_health = "health" in low or "clinical" in low
    mine = profile.background.years_experience
    if "outside health" in low and health:
        return _Verdict("experience", "met", False, "applies to applicants from outside health care; you are not one")
    if (needs_health and health is None) or mine is None:
        return _Verdict("experience", "unknown", hard, "your years of work or your field are not in the profile")
    if needs_health and not health:
        return _Verdict("experience", "not_met", hard, "asks for health-care work; your profile shows none")
    if years is None:
        return _Verdict("experience", "unknown", False, f"{UNKNOWN_VERIFY}: no number of years is stated")
    status: Status = "met" if mine >= years else "not_met"
    return _Verdict("experience", status, hard, f"your {mine:g} years {'≥' if mine >= years else '<'} {years:g}")


_GPA_TEXT = re.compile(r"gpa of (?:at least )?(\d\.\d+)|(\d\.\d+)(?:/4\.0)? or (?:higher|more)|at least (\d\.\d+)")


def _prerequisite(low: str, profile: Profile, health: bool | None) -> _Verdict | None:
    """One paraphrased prerequisite (lower-cased) → a verdict, or ``None`` for the application checklist."""
    if re.search(r"toefl|ielts|english proficiency|non-native|international applicants|\bece\b|\bwes\b", low):
        if profile.background.international:
            return _Verdict("english", "unknown", False, "you are an international applicant: check the tests named")
        return _Verdict("english", "met", False, "applies to international or non-native applicants; you are not one")
    gpa = _GPA_TEXT.search(low)
    if "gpa" in low and gpa:
        return _gpa(low, float(next(g for g in gpa.groups() if g)), profile)
    if re.search(r"\bgre\b", low):
        return _gre_text(low, profile)
    if _INFO.search(low):
        return _Verdict("information", "met", False, "a statement about the program, not a condition")
    needs = _course_needs(low)
    if _UNCHECKABLE.search(low):
        return _Verdict("other", "unknown", False, f"{UNKNOWN_VERIFY}: GradPath cannot check this from your profile")
    if _CHECKLIST.search(low) and not needs:
        return None
    if re.search(r"bachelor|b\.s\.|undergraduate degree|master'?s|doctor|phd", low) and not re.search(
        r"course|semesters? of|skill|knowledge", low
    ):
        return _degree(low, profile)  # field names in a degree requirement are majors, not courses
    if re.search(r"years? of|year or more of|work experience|experience,|health-care work|work in health", low):
        return _experience(low, profile, health)
    if needs:
        return _coursework(low, profile, needs)
    if re.search(r"health.care|healthcare|clinician", low):
        if health:
            return _Verdict("health_background", "met", False, "you have a health-care background")
        return _Verdict("health_background", "unknown", False, f"{UNKNOWN_VERIFY}: no health-care background shown")
    return _Verdict("other", "unknown", False, f"{UNKNOWN_VERIFY}: GradPath cannot check this from your profile")


def assess_eligibility(facts: OfferingFacts | None, profile: Profile) -> Eligibility:
    """Check every stated requirement of one program against the profile (see the module docstring)."""
    if facts is None or not facts.facts:
        return NOT_VERIFIED
    health = has_health_background(profile)
    items: list[Requirement] = []
    checklist: list[dict[str, Any]] = []
    for fact in facts.all("min_gpa"):
        minimum = float(fact.value)
        items.append(_gpa("", minimum, profile).on(f"minimum GPA {minimum:g}", fact))
    for fact in facts.all("gre"):
        items.append(_gre_policy(str(fact.value), profile).on(f"GRE: {fact.value}", fact))
    has_min_gpa = bool(items) and items[0].kind == "gpa"
    seen: set[str] = set()
    for fact in facts.all("prerequisites"):
        for text in _texts(fact.value):
            low = text.lower()
            if low in seen or (has_min_gpa and "gpa" in low and _GPA_TEXT.search(low)):
                continue  # stated twice, or the min_gpa fact already says it
            seen.add(low)
            verdict = _prerequisite(low, profile, health)
            if verdict is None:
                checklist.append({"item": text, "source": fact.source()})
            else:
                items.append(verdict.on(text, fact))
    if not facts.all("prerequisites"):
        verdict = _Verdict("none_stated", "unknown", False, f"{UNKNOWN_VERIFY}: no verified source states them")
        items.append(verdict.on("prerequisites (degree, coursework, experience)", None))
    return Eligibility(tuple(_dedupe(items)), tuple(checklist))


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _dedupe(items: Iterable[Requirement]) -> list[Requirement]:
    out: list[Requirement] = []
    for item in items:
        if not any(o.requirement == item.requirement and o.status == item.status for o in out):
            out.append(item)
    return out


NOT_VERIFIED = Eligibility((
    Requirement("admission requirements (GPA, GRE, degree, coursework, experience)", "none_stated", "unknown", False,
                f"{UNKNOWN_VERIFY}: no verified source states this program's requirements", None),
))  # fmt: skip
