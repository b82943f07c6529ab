"""The planner: eligibility, timeline, cost and return on investment for one person and one program.

The arithmetic modules (``assumptions``, ``timeline``, ``finance``, ``roi``) are pure functions with
no I/O and no database access; every default they use is a dated, sourced or reasoned assumption
listed in :mod:`gradpath.plan.assumptions` and explained in ``docs/plan-method.md``.
"""
