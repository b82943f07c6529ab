"""Ranking: every current offering scored for one person, hard constraints applied, the best shown first.

The score of an offering is the sum of its named components (:mod:`gradpath.plan.score`), taken from
its best-fitting linked program (:mod:`gradpath.plan.evaluate`). Offerings a hard constraint
excludes are not ranked; they are listed with the reasons. Ties go to the lower offering id, so the
order is stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gradpath.plan.context import PlanContext
from gradpath.plan.evaluate import Evaluated, evaluate, prepare


def rank(ctx: PlanContext, rows: Sequence[Any], top: int) -> tuple[list[Evaluated], list[Evaluated], int]:
    """The top ``top`` offerings by score (ties by id), every excluded one, and how many were ranked.

    Scores are computed for all; full evaluations (notes, linked programs) only for those shown and
    those excluded.
    """
    scored, excluded = [], []
    for row in rows:
        prepared = prepare(ctx, row)
        if prepared.excluded:
            excluded.append(row)
        else:
            scored.append((-prepared.total, row["id"], row))
    scored.sort(key=lambda item: (item[0], item[1]))
    shown = [evaluate(ctx, row) for _, _, row in scored[:top]]
    return shown, [evaluate(ctx, row) for row in excluded], len(scored)
