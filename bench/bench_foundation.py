"""Foundation numbers: full build time and peak memory; CLI end-to-end latency (interpreter start included).

Targets (issue "Foundation"): build ≤ 60 s wall and ≤ 1 GiB peak RSS on 2 cores; `offerings search
--cip 51.27 --json` and `occupations show` ≤ 300 ms end to end.
"""

from __future__ import annotations

import resource
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import GRADPATH, bench_env, catalog_home, summary

CLI_RUNS = 15


def bench_build() -> None:
    home = Path(tempfile.mkdtemp(prefix="gradpath-bench-build-"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([GRADPATH, "build", "--json"], env=bench_env(home), check=True, capture_output=True)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"build (full, from the mirror): {wall:.1f} s wall, peak RSS {max(peak, before) / 1024:.0f} MiB "
        "(targets ≤ 60 s, ≤ 1024 MiB)"
    )


def bench_cli() -> None:
    env = bench_env(catalog_home())
    commands = {
        "offerings search --cip 51.27 --json": ["offerings", "search", "--cip", "51.27", "--json"],
        "occupations show 15-2051 --area 14460 --json": ["occupations", "show", "15-2051", "--area", "14460", "--json"],
    }
    for label, args in commands.items():
        subprocess.run([GRADPATH, *args], env=env, check=True, capture_output=True)  # warm the page cache
        samples = []
        for _ in range(CLI_RUNS):
            started = time.perf_counter()
            subprocess.run([GRADPATH, *args], env=env, check=True, capture_output=True)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"gradpath {label}: {summary(samples)} (target ≤ 300 ms)")


def main() -> None:
    bench_build()
    bench_cli()
