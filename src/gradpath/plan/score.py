"""The fit score: named components that sum to the score, and the hard constraints that filter first.

The score is the **sum of named components**, each ``weight × value`` with the value between 0
and 1 and the weight set by the person (defaults below, summing to 100). Every component carries a
note saying how its value was reached, so each program shows its decomposition. An unknown input
gives the component no points (``value = None``) — unknown never counts as met — and the note says
what is missing.

Hard constraints filter before scoring (see :func:`exclusions`): a hard requirement not met, a
verified format that excludes online study when the person wants online only, and a known total
cost above the person's maximum. Unknown format or cost never excludes; it is flagged instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gradpath.plan.eligibility import Eligibility
from gradpath.plan.profile import COMPONENTS

DEFAULT_WEIGHTS: dict[str, float] = {
    "eligibility": 25.0,
    "cost": 15.0,
    "roi": 15.0,
    "flexibility": 15.0,
    "curriculum": 15.0,
    "outcomes": 10.0,
    "accreditation": 5.0,
}
COST_SCALE = 100_000.0  # planner choice: without a maximum, a net cost of $100,000 or more scores 0
ROI_SCALE = 250_000.0  # planner choice: an NPV of $250,000 or more scores full points
FIELD_SHARE = 0.5  # curriculum: half for the field (CIP) leading to the role, half for the stated topics
SCORING_NOTES: tuple[dict[str, Any], ...] = (
    {"name": "cost_scale", "value": COST_SCALE, "kind": "planner choice",
     "note": "without a maximum total cost, cost points fall linearly from full at $0 to none at this amount"},
    {"name": "roi_scale", "value": ROI_SCALE, "kind": "planner choice",
     "note": "ROI points rise linearly from none at NPV <= 0 to full at this NPV"},
    {"name": "curriculum_field_share", "value": FIELD_SHARE, "kind": "planner choice",
     "note": "share of the curriculum points for a field of study the role's curated CIP list includes; the rest "
             "for the role's skills (core x2, useful x1) among the program's verified curriculum topics"},
    {"name": "eligibility_value", "value": "met 1, bridgeable 0.5, unknown or not met 0", "kind": "planner choice",
     "note": "share over the stated requirements; statements about the program are shown, not counted"},
    {"name": "linked_programs", "value": "best fit", "kind": "planner choice",
     "note": "an offering linked to several verified programs takes its figures from the best-fitting one (not "
             "excluded first, then the highest score); it is excluded only when every linked program is"},
)  # fmt: skip


def resolve_weights(overrides: Sequence[tuple[str, float]] | Mapping[str, float] = ()) -> dict[str, float]:
    """The default weights with the person's overrides applied (component names as in :data:`COMPONENTS`)."""
    weights = dict(DEFAULT_WEIGHTS)
    items = overrides.items() if isinstance(overrides, Mapping) else overrides
    for name, weight in items:
        if name not in COMPONENTS:
            raise ValueError(f"unknown ranking component {name!r}")
        if weight < 0:
            raise ValueError(f"weight of {name} must not be negative")
        weights[name] = float(weight)
    return weights


@dataclass(frozen=True)
class Component:
    """One named part of the score; ``value`` in [0, 1], ``None`` when unknown (no points)."""

    name: str
    weight: float
    value: float | None
    note: str

    @property
    def points(self) -> float:
        """``weight × value`` to two decimals (0 when unknown)."""
        return round(self.weight * (self.value or 0.0), 2)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        value = None if self.value is None else round(self.value, 4)
        return {"points": self.points, "weight": self.weight, "value": value, "note": self.note}


class FitScore:
    """The score of one program: its components and their sum (``total``).

    Built for every offering of a plan, so it keeps plain tuples and makes :class:`Component`
    objects only when asked; ``total`` is the sum of the same rounded points the components show.
    """

    __slots__ = ("_parts", "_weights", "total")

    def __init__(
        self, weights: Mapping[str, float] | tuple[float, ...], parts: Sequence[tuple[float | None, str]]
    ) -> None:
        self._weights = weights if isinstance(weights, tuple) else tuple(weights[name] for name in COMPONENTS)
        self._parts = tuple(parts)
        self.total = round(
            sum(round(w * (v or 0.0), 2) for w, (v, _) in zip(self._weights, self._parts, strict=True)), 2
        )

    @property
    def components(self) -> tuple[Component, ...]:
        """The named components in the fixed order."""
        return tuple(
            Component(name, w, v, note)
            for name, w, (v, note) in zip(COMPONENTS, self._weights, self._parts, strict=True)
        )

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """``{component: {points, weight, value, note}}`` in the fixed component order."""
        return {c.name: c.as_dict() for c in self.components}


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


# --- the components ------------------------------------------------------------------------------------


def eligibility_value(eligibility: Eligibility) -> tuple[float | None, str]:
    """Share of stated requirements met (bridgeable half); no verified requirement → unknown."""
    scored = [r for r in eligibility.items if r.kind != "information"]
    if all(r.kind == "none_stated" for r in scored):
        return None, "requirements not verified: unknown — verify"
    counts = eligibility.counts()
    parts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n)
    return eligibility.value, f"{parts} (of {len(eligibility.items)} stated)"


def cost_value(net_cost: float | None, max_total_cost: float | None, reason: str = "") -> tuple[float | None, str]:
    """Lower known net cost scores higher, against the person's maximum (else :data:`COST_SCALE`)."""
    if net_cost is None:
        return None, reason or "cost unknown"
    scale = max_total_cost if max_total_cost else COST_SCALE
    basis = "your maximum" if max_total_cost else "the planner's $100,000 scale"
    return _clamp(1.0 - net_cost / scale), f"net cost ${net_cost:,.0f} against {basis} (${scale:,.0f})"


def roi_value(npv: float | None, reason: str = "") -> tuple[float | None, str]:
    """NPV at the target median: none at or below 0, full at :data:`ROI_SCALE`."""
    if npv is None:
        return None, reason or "ROI unknown"
    return _clamp(npv / ROI_SCALE), f"NPV ${npv:,.0f} (full points at ${ROI_SCALE:,.0f})"


@dataclass(frozen=True)
class Check:
    """One flexibility check against a constraint; ``passed=None`` when the program does not say."""

    name: str
    passed: bool | None
    note: str


def flexibility_value(checks: Sequence[Check]) -> tuple[float | None, str]:
    """Share of the person's soft constraints the program is known to meet (unknown counts 0)."""
    if not checks:
        return 1.0, "no flexibility constraint given: every program fits"
    passed = sum(1 for c in checks if c.passed)
    notes = "; ".join(f"{c.name}: {'yes' if c.passed else 'no' if c.passed is False else 'unknown'} ({c.note})"
                      for c in checks)  # fmt: skip
    return passed / len(checks), notes


def curriculum_value(
    field_fit: bool | None, covered: float | None, total: float, role_title: str | None
) -> tuple[float | None, str]:
    """Field leading to the role (share :data:`FIELD_SHARE`) plus weighted share of role skills taught."""
    if role_title is None:
        return None, "no target role: set goals.roles"
    field_part = FIELD_SHARE if field_fit else 0.0
    field_note = "field leads to the role" if field_fit else "field not in the role's curated CIP list"
    if covered is None or total <= 0:
        return field_part or None, f"{role_title}: {field_note}; curriculum topics not verified"
    share = covered / total
    value = field_part + (1.0 - FIELD_SHARE) * share
    return value, f"{role_title}: {field_note}; {share:.0%} of the role's weighted skills among stated topics"


def outcomes_value(earnings: float | None, reference: float | None, reason: str | None) -> tuple[float | None, str]:
    """Scorecard field-level earnings a year after completion, as a share of the reference wage (capped at 1)."""
    if earnings is None:
        return None, f"earnings unknown: {reason or 'not published'}"
    if not reference:
        return None, f"earnings ${earnings:,.0f} but no reference wage (target role median) to compare"
    return _clamp(earnings / reference), f"field-level earnings 1 yr after ${earnings:,.0f} vs target ${reference:,.0f}"


def accreditation_value(accreditor: str | None, note: str | None) -> tuple[float | None, str]:
    """Full points for a known institutional accreditor; unknown scores nothing."""
    if not accreditor:
        return None, f"institutional accreditor unknown: {note or 'not in the accreditation files'}"
    return 1.0, f"institutional accreditor: {accreditor}"


def fit_score(weights: Mapping[str, float], values: Mapping[str, tuple[float | None, str]]) -> FitScore:
    """Assemble the score from each component's (value, note); missing components are unknown."""
    missing = (None, "not computed")
    return FitScore(weights, [values.get(name, missing) for name in COMPONENTS])


# --- hard constraints --------------------------------------------------------------------------------------


def exclusions(
    eligibility: Eligibility,
    formats: frozenset[str] | None,
    online_only: bool,
    net_cost: float | None,
    max_total_cost: float | None,
) -> list[str]:
    """Why a program is filtered out (empty when it stays): hard requirement not met, format, cost."""
    reasons = [f"hard requirement not met: {r.requirement} ({r.reason})" for r in eligibility.excluding]
    # net_cost is the program's own price (a verified fact or the person's figure): an institution-level
    # rate only flags, because it is not this program's price
    if online_only and formats is not None and "online" not in formats:
        reasons.append(f"you want online only; the verified format is {', '.join(sorted(formats))}")
    if max_total_cost is not None and net_cost is not None and net_cost > max_total_cost:
        reasons.append(f"known net cost ${net_cost:,.0f} is above your maximum ${max_total_cost:,.0f}")
    return reasons
