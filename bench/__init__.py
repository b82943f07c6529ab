"""Benchmarks: `make bench` (python -m bench) runs each bench_*.py module's main(); they print, never assert."""
