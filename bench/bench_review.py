"""Review queue and market view: what a reviewer and the /stats page wait for.

Measures, against a catalog built once for the benchmark run (its own temporary home, so the
local store starts empty): creating the local store (first Alembic run) and the check on later
calls, proposing a page (extract + store), re-proposing an unchanged page, accepting a fact,
`market_stats`, and `gradpath stats --json` end to end. Prints numbers only.
Run: .venv/bin/python -m bench bench_review
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import GRADPATH, REPO, bench_env, catalog_home, summary

PAGE = REPO / "tests" / "fixtures" / "pages" / "fx-online-health-informatics.txt"


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main() -> None:
    from sqlalchemy import select

    from gradpath import schema
    from gradpath.config import settings_from_env
    from gradpath.db import open_catalog
    from gradpath.local_schema import _ready, ensure_local_store, local_store_engine
    from gradpath.review import accept_fact, propose
    from gradpath.stats import market_stats

    with tempfile.TemporaryDirectory() as empty:
        fresh = settings_from_env(bench_env(Path(empty)))
        if fresh.is_postgres:  # a fresh schema would be the real <schema>_local: measure on SQLite only
            print("local store: first creation not measured on PostgreSQL")
        else:
            local = local_store_engine(fresh)
            started = time.perf_counter()
            ensure_local_store(local, fresh)
            print(f"local store: first creation (Alembic upgrade to head, new home) {_ms(started):.0f} ms")
            local.dispose()

    home = catalog_home()
    env = bench_env(home)
    settings = settings_from_env(env)
    engine = open_catalog(settings)
    ensure_local_store(engine, settings)  # the build created it already
    checks = []
    for _ in range(20):
        _ready.clear()
        started = time.perf_counter()
        ensure_local_store(engine, settings)
        checks.append(_ms(started))
    print(f"local store: check when already at head: {summary(checks)}")

    text = PAGE.read_text(encoding="utf-8").split("\n", 2)[2]
    offering = None
    proposes, repeats, accepts = [], [], []
    for i in range(20):
        url = f"https://www.lakeshore.example.edu/bench/{i}"
        started = time.perf_counter()
        with engine.begin() as conn:
            doc = propose(conn, url, text)
        proposes.append(_ms(started))
        started = time.perf_counter()
        with engine.begin() as conn:
            propose(conn, url, text)
        repeats.append(_ms(started))
        with engine.begin() as conn:
            if offering is None:
                o = schema.offering
                offering = conn.execute(select(o.c.id).where(o.c.cip4 == "51.27").order_by(o.c.id)).scalar()
            fact = next(p["id"] for p in doc["proposals"] if p["field"] == "credits")
            started = time.perf_counter()
            accept_fact(conn, fact, offering=offering)
        accepts.append(_ms(started))
    print(f"propose a page (extract + store ~12 facts): {summary(proposes)}")
    print(f"propose the same page again (unchanged):    {summary(repeats)}")
    print(f"accept a fact (new program + catalog write): {summary(accepts)}")

    stats = []
    for _ in range(20):
        started = time.perf_counter()
        with engine.connect() as conn:
            market_stats(conn)
        stats.append(_ms(started))
    print(f"market_stats over verified programs:         {summary(stats)}")
    engine.dispose()

    cli = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([GRADPATH, "stats", "--json"], env=env, check=True, capture_output=True)
        cli.append(_ms(started))
    print(f"`gradpath stats --json` end to end:          {summary(cli)}")
    print(f"(home {Path(home)})")


if __name__ == "__main__":
    main()
