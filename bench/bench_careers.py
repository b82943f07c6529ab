"""Career numbers: `careers show` end to end (interpreter start included), the service alone, and the
server time of the career pages and their JSON twins.

Targets (issue "Careers"): `careers show` ≤ 300 ms end to end; web page ≤ 50 ms server time. Prints
numbers only (no assertions). Also prints the interpreter-plus-imports floor the CLI pays before any
query, so the service's share is visible.
Run: .venv/bin/python -m bench bench_careers
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.common import GRADPATH, bench_env, catalog_home, summary

ROLE = "healthcare-ai-specialist"
CLI_RUNS = 15
SERVICE_RUNS = 50
WEB_RUNS = 40


def _timed_runs(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm the page cache
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_cli(env: dict[str, str]) -> None:
    floor = [sys.executable, "-c", "import gradpath.cli, gradpath.careers"]
    print(f"python + CLI and service imports (floor): {summary(_timed_runs(floor, env, CLI_RUNS))}")
    for area in ("national", "14460", "Dallas"):
        command = [GRADPATH, "careers", "show", ROLE, "--area", area, "--json"]
        print(f"gradpath careers show {ROLE} --area {area} --json: {summary(_timed_runs(command, env, CLI_RUNS))}")
    command = [GRADPATH, "careers", "list", "--json"]
    print(f"gradpath careers list --json: {summary(_timed_runs(command, env, CLI_RUNS))}")


def bench_service(env: dict[str, str]) -> None:
    from gradpath.careers import list_roles, show_role
    from gradpath.config import settings_from_env
    from gradpath.db import open_catalog

    settings = settings_from_env(env)
    engine = open_catalog(settings)
    with engine.connect() as conn:
        for label, call in (
            (f"show_role({ROLE}, 14460)", lambda: show_role(conn, ROLE, "14460")),
            ("list_roles(national)", lambda: list_roles(conn, None)),
        ):
            call()
            samples = []
            for _ in range(SERVICE_RUNS):
                started = time.perf_counter()
                call()
                samples.append((time.perf_counter() - started) * 1000)
            print(f"service {label}: {summary(samples)}")
    engine.dispose()


def bench_web(env: dict[str, str]) -> None:
    from fastapi.testclient import TestClient

    from gradpath.config import settings_from_env
    from gradpath.web.app import create_app

    settings = settings_from_env(env)
    paths = (
        f"/careers/{ROLE}?area=14460",
        f"/careers/{ROLE}.json?area=14460",
        f"/careers/{ROLE}",
        "/careers",
        "/careers.json",
    )
    with TestClient(create_app(settings)) as client:
        for path in paths:
            headers = {"accept": "text/html"} if ".json" not in path else {}
            client.get(path, headers=headers)
            samples = []
            for _ in range(WEB_RUNS):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            print(f"GET {path} (in-process, server time + test client): {summary(samples)} (target ≤ 50 ms pages)")


def main() -> None:
    env = bench_env(catalog_home())
    bench_cli(env)
    bench_service(env)
    bench_web(env)


if __name__ == "__main__":
    main()
