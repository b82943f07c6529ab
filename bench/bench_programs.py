"""Program search numbers: loading the search index (as stored by the build, and derived from the
tables), the search service alone, /programs.json served by `gradpath serve` (server
time per request, and requests per second under load on loopback), and the search page's weight.

Targets (issue "Programs on the web"): /programs.json p95 ≤ 50 ms server time; ≥ 300 requests/s on
loopback with the load generator on the same 2 cores; search page ≤ 300 KB with its assets. Prints
numbers only (no assertions).

The load generator is a small asyncio HTTP/1.1 keep-alive client in a separate process (no extra
tools to install); it competes with the server for the two cores, as the target says.
Run: .venv/bin/python -m bench bench_programs
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import socket
import subprocess
import time
import urllib.request
from typing import Any

from bench.common import GRADPATH, bench_env, catalog_home, summary

SEARCHES = (
    "/programs.json?sort=name",
    "/programs.json?cip=51.27&state=MA",
    "/programs.json?q=health+informatics&sort=earnings",
    "/programs.json?cip=11.01&earnings_data=published&debt_max=40000&sort=debt",
    "/programs.json?q=data+science&control=public&distance=90-plus",
)


STATES = ("CA", "NY", "TX", "MA", "PA", "IL", "FL", "OH", "NC", "MI", "GA", "VA", "WA", "MN", "CO", "NJ")


def distinct_searches(base: str) -> list[str]:
    """About 1,000 different requests, each a page that exists (filters × sorts × page sizes × pages):
    none repeats soon, so the server's memo of recent answers (256 entries) never helps — the cold path."""
    import json

    filters = [s.split("sort=")[0].rstrip("&?") for s in SEARCHES] + [f"/programs.json?state={s}" for s in STATES]
    out = []
    for f in filters:
        count = json.loads(_get(f"{base}{f}{'&' if '?' in f else '?'}per_page=1"))["count"]
        for sort in ("name", "earnings", "debt", "completers"):
            for per_page in (10, 20, 50):
                pages = min(4, -(-count // per_page))
                sep = "&" if "?" in f else "?"
                out.extend(f"{f}{sep}sort={sort}&per_page={per_page}&page={p}" for p in range(1, pages + 1))
    return out


SERVICE_RUNS = 200
INDEX_RUNS = 20
LATENCY_RUNS = 100
LOAD_SECONDS = 10.0
LOAD_CONNECTIONS = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_index_load(conn: Any) -> None:
    """What a process pays at its first search: the index read as the build stored it, or derived."""
    from gradpath.catalog import derive_index_data, encode_index_data, load_search_index, stored_index_data

    stored = stored_index_data(conn)
    if stored is None:
        print("index: this catalog has no valid stored index (built by an older GradPath?): derived at first use")
    else:
        print(f"index: stored by the build, {len(encode_index_data(stored).encode()) / 1000:.0f} KB of JSON")
    for label, load in (("read as stored (one query + JSON)", stored_index_data),
                        ("derived from the tables (the fallback)", derive_index_data),
                        ("load_search_index (whole load, sources included)", load_search_index)):  # fmt: skip
        samples = []
        for _ in range(INDEX_RUNS):
            t = time.perf_counter()
            load(conn)
            samples.append((time.perf_counter() - t) * 1000)
        print(f"index data {label}: {summary(samples)}")


def bench_service(env: dict[str, str]) -> None:
    from gradpath.catalog import OfferingQuery, search_index, search_offerings
    from gradpath.config import settings_from_env
    from gradpath.db import open_catalog

    engine = open_catalog(settings_from_env(env))
    with engine.connect() as conn:
        started = time.perf_counter()
        search_offerings(conn, OfferingQuery(facets=True))
        took = (time.perf_counter() - started) * 1000
        print(f"service: first search (loads the in-memory index, {search_index(conn).origin}): {took:.0f} ms")
        bench_index_load(conn)
        cases = {
            "no filters, with facets": OfferingQuery(facets=True),
            "cip=51.27 state=MA, with facets": OfferingQuery(cip="51.27", state="MA", facets=True),
            "q='health informatics', with facets": OfferingQuery(q="health informatics", facets=True),
        }
        for label, query in cases.items():
            samples = []
            for _ in range(SERVICE_RUNS):
                t = time.perf_counter()
                search_offerings(conn, query)
                samples.append((time.perf_counter() - t) * 1000)
            print(f"service search_offerings({label}): {summary(samples)}")
    engine.dispose()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def bench_latency(base: str, distinct: list[str]) -> None:
    step = max(1, len(distinct) // LATENCY_RUNS)
    for label, paths in (("each search repeated", list(SEARCHES) * (LATENCY_RUNS // len(SEARCHES))),
                         ("distinct searches, cold", distinct[::step])):  # fmt: skip
        _get(base + paths[0])
        samples = []
        for path in paths:
            t = time.perf_counter()
            _get(base + path)
            samples.append((time.perf_counter() - t) * 1000)
        print(f"GET /programs.json, {label} (loopback, one at a time; the server's time is less): {summary(samples)} "
              "(target p95 ≤ 50 ms)")  # fmt: skip


async def _load(port: int, paths: list[str], seconds: float, connections: int) -> tuple[int, int]:
    """Keep-alive clients hammering the paths in turn; returns (responses, non-200 responses)."""
    done = errors = 0
    stop = time.perf_counter() + seconds

    async def client(k: int) -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += 1
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            done += 1
            errors += not head.startswith(b"HTTP/1.1 200")
        writer.close()

    await asyncio.gather(*(client(k) for k in range(connections)))
    return done, errors


def _load_process(port: int, paths: list[str], seconds: float, connections: int, out: Any) -> None:
    out.put(asyncio.run(_load(port, paths, seconds, connections)))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), to measure server work per request."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_throughput(port: int, server_pid: int, distinct: list[str]) -> None:
    cold = f"{len(distinct):,} distinct searches, cold"
    for label, paths in (("the same search", [SEARCHES[1]]), (cold, distinct)):
        queue: Any = multiprocessing.Queue()
        args = (port, paths, LOAD_SECONDS, LOAD_CONNECTIONS, queue)
        worker = multiprocessing.Process(target=_load_process, args=args)
        cpu = _cpu_seconds(server_pid)
        worker.start()
        done, errors = queue.get()
        worker.join()
        per_request = (_cpu_seconds(server_pid) - cpu) * 1000 / max(done, 1)
        print(
            f"/programs.json under load ({label}, {LOAD_CONNECTIONS} keep-alive connections, {LOAD_SECONDS:.0f} s, "
            f"load generator on the same cores): {done / LOAD_SECONDS:.0f} requests/s, {errors} non-200 "
            f"(target ≥ 300/s); server CPU {per_request:.2f} ms per request, i.e. {1000 / per_request:.0f} "
            "requests/s per core the server gets"
        )


def bench_page_weight(base: str) -> None:
    for path in ("/programs", "/programs?cip=51.27&state=MA", "/compare?ids=166027-51.2706,167358-51.2706"):
        request = urllib.request.Request(base + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=30) as response:
            html = response.read()
        assets = re.findall(rb'<(?:script|link)[^>]+(?:src|href)="(/(?:static|vendor)/[^"]+)"', html)
        sizes = {a.decode(): len(_get(base + a.decode())) for a in assets}
        total = len(html) + sum(sizes.values())
        parts = ", ".join(f"{a.split('?')[0].rsplit('/', 1)[-1]} {n / 1000:.0f} KB" for a, n in sizes.items())
        print(f"page weight {path}: {total / 1000:.0f} KB uncompressed (HTML {len(html) / 1000:.0f} KB; {parts})")


def main() -> None:
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} before the run (other work skews the rates)")
    env = bench_env(catalog_home())
    bench_service(env)
    port = _free_port()
    server = subprocess.Popen(
        [GRADPATH, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                _get(base + "/programs.json?per_page=1")
                break
            except OSError:
                time.sleep(0.1)
        distinct = distinct_searches(base)
        bench_latency(base, distinct)
        bench_throughput(port, server.pid, distinct)
        bench_page_weight(base)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
