"""Planner numbers: one full plan over the whole catalog in-process, and the /plan pages' server time.

Targets (issue "Plan"): one full plan ≤ 100 ms in-process; the /plan page ≤ 150 ms server time. Prints
numbers only (no assertions). "fresh process" is each example's first plan in a new Python process (it
reads the offerings list, which is then kept per catalog build, and compiles the queries); "first" is
the first plan of that profile in this process; the others are repeated plans, as a running server
sees them. Process CPU time is printed beside wall time because the machine may be shared; the
minimum is the least disturbed run.
Run: .venv/bin/python -m bench bench_plan   (BENCH_PLAN_HOME=<a home with a catalog> skips the build)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.common import REPO, bench_env, catalog_home, summary

PLAN_RUNS = 30
FRESH_RUNS = 5
WEB_RUNS = 20
TODAY = date(2026, 11, 27)
EXAMPLES = sorted((REPO / "examples").glob("*.toml"))
NURSE_QUERY = urlencode({
    "bachelor_field": "nursing", "gpa": "3.2", "coursework": "statistics", "years_experience": "6",
    "current_soc": "29-1141", "area": "Boston", "online_only": "true", "part_time": "true", "max_total_cost": "60000",
    "start_term": "Fall 2026", "employer_assistance_per_year": "5250", "roles": "clinical-data-scientist",
})  # fmt: skip


def _timed(call: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


FRESH = """
import sys, time
from datetime import date
from pathlib import Path
from gradpath.config import settings_from_env
from gradpath.db import open_catalog
from gradpath.plan.profile import load_profile
from gradpath.plan.service import run_plan
engine = open_catalog(settings_from_env())
profile = load_profile(Path(sys.argv[1]))
with engine.connect() as conn:
    wall, cpu = time.perf_counter(), time.process_time()
    run_plan(conn, profile, today=date(2026, 11, 27))
    print(f"{(time.perf_counter() - wall) * 1000:.0f} {(time.process_time() - cpu) * 1000:.0f}")
"""


def bench_fresh(env: dict[str, str]) -> None:
    """Each example's plan as the first thing a new process does (imports and the engine not timed)."""
    for path in EXAMPLES:
        samples = [subprocess.run([sys.executable, "-c", FRESH, str(path)], env=env, check=True, capture_output=True,
                                  text=True).stdout.split() for _ in range(FRESH_RUNS)]  # fmt: skip
        wall, cpu = [float(w) for w, _ in samples], [float(c) for _, c in samples]
        print(f"run_plan({path.name}) in a fresh process: wall {summary(wall)}; cpu {summary(cpu)} "
              f"(target ≤ 100 ms)")  # fmt: skip


def bench_service(env: dict[str, str]) -> None:
    from gradpath.config import settings_from_env
    from gradpath.db import open_catalog
    from gradpath.plan.profile import load_profile
    from gradpath.plan.service import plan_program, run_plan

    engine = open_catalog(settings_from_env(env))
    with engine.connect() as conn:
        for path in EXAMPLES:
            profile = load_profile(path)
            first_wall, first_cpu = _timed(partial(run_plan, conn, profile, today=TODAY), 1)
            wall, cpu = _timed(partial(run_plan, conn, profile, today=TODAY), PLAN_RUNS)
            doc = run_plan(conn, profile, today=TODAY)
            n = doc["counts"]["candidates"]
            print(f"run_plan({path.name}) over {n} offerings: first {first_wall[0]:.0f} ms (cpu {first_cpu[0]:.0f}); "
                  f"repeated {summary(wall)}, min {min(wall):.0f} ms; cpu {summary(cpu)}, min {min(cpu):.0f} ms "
                  "(target ≤ 100 ms)")  # fmt: skip
            offering = doc["programs"][0]["id"]
            wall, cpu = _timed(partial(plan_program, conn, profile, offering, today=TODAY), PLAN_RUNS)
            print(f"plan_program({path.name}, {offering}): {summary(wall)}; cpu {summary(cpu)}")
    engine.dispose()


def _get(client: Any, path: str, headers: dict[str, str]) -> None:
    client.get(path, headers=headers).raise_for_status()


def bench_web(env: dict[str, str]) -> None:
    from fastapi.testclient import TestClient

    from gradpath.config import settings_from_env
    from gradpath.web.app import create_app

    html = {"accept": "text/html"}
    with TestClient(create_app(settings_from_env(env))) as client:
        first = client.get(f"/plan.json?{NURSE_QUERY}").json()["plan"]["programs"][0]["id"]
        paths = (f"/plan?{NURSE_QUERY}", f"/plan.json?{NURSE_QUERY}", f"/plan/{first}?{NURSE_QUERY}",
                 f"/plan/{first}.json?{NURSE_QUERY}", f"/plan/{first}.pdf?{NURSE_QUERY}", "/plan")  # fmt: skip
        for path in paths:
            headers = {} if path.split("?")[0].endswith((".json", ".pdf")) else html
            client.get(path, headers=headers).raise_for_status()
            wall, cpu = _timed(partial(_get, client, path, headers), WEB_RUNS)
            print(f"GET {path.split('?')[0]} (nurse profile; in-process server time + test client): {summary(wall)}; "
                  f"cpu {summary(cpu)} (target ≤ 150 ms for /plan)")  # fmt: skip


def main() -> None:
    home = os.environ.get("BENCH_PLAN_HOME")
    env = bench_env(Path(home) if home else catalog_home())
    bench_fresh(env)
    bench_service(env)
    bench_web(env)


if __name__ == "__main__":
    main()
