"""Shared helpers for the benchmarks: a catalog home to measure against, and simple statistics."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GRADPATH = str(Path(sys.executable).with_name("gradpath"))


def bench_env(home: Path) -> dict[str, str]:
    """Environment for running the CLI against a benchmark home (same mirror and database URL)."""
    env = dict(os.environ)
    env["GRADPATH_HOME"] = str(home)
    env.setdefault("GRADPATH_DATA_MIRROR", str(REPO.parent / "shared" / "data"))
    return env


_HOME: Path | None = None


def catalog_home() -> Path:
    """A home with a catalog built once per `make bench` run (the repository's var/ is left alone)."""
    global _HOME
    if _HOME is None:
        _HOME = Path(tempfile.mkdtemp(prefix="gradpath-bench-"))
        subprocess.run([GRADPATH, "build", "--json"], env=bench_env(_HOME), check=True, capture_output=True)
    return _HOME


def summary(samples_ms: list[float]) -> str:
    """median / p95 / max of a list of milliseconds."""
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms (n={len(ordered)})"
