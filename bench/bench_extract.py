"""Extraction speed: pages per second over the fixture pages and, when present, the local dev pages.

Prints numbers only (no assertions). Single process, single thread, so the figure is per core.
Run: .venv/bin/python bench/bench_extract.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gradpath.extract import extract_text, load_page

ROOT = Path(__file__).resolve().parents[1]
SETS = {"fixtures": ROOT / "tests" / "fixtures" / "pages", "dev-pages": ROOT / "dev-pages"}


def bench(folder: Path, repeat: int) -> tuple[int, float, int]:
    """(pages, pages per second, total characters) for every PAGE.txt in ``folder``."""
    pages = [load_page(p) for p in sorted(folder.glob("*.txt"))]
    extract_text(*pages[0])  # warm the taxonomy cache and compiled patterns
    started = time.perf_counter()
    for _ in range(repeat):
        for url, text in pages:
            extract_text(url, text)
    elapsed = time.perf_counter() - started
    return len(pages), len(pages) * repeat / elapsed, sum(len(t) for _, t in pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="passes over each page set")
    args = parser.parse_args()
    for name, folder in SETS.items():
        if not folder.is_dir() or not any(folder.glob("*.txt")):
            print(f"{name:10} (absent)")
            continue
        n, rate, chars = bench(folder, args.repeat)
        per_page = chars / n
        print(
            f"{name:10} {n:4d} pages  {per_page:7.0f} chars/page  {rate:8.1f} pages/s (one core, {args.repeat} passes)"
        )


if __name__ == "__main__":
    main()
