"""`make bench`: run the benchmarks, print a table, write bench/results.json.

Each measurement runs in a fresh process against a database of its own (a temporary SQLite
file, or a temporary PostgreSQL database), so runs do not share caches. Sizes and backends can
be narrowed: BENCH_SIZES=1000,10000 BENCH_BACKENDS=sqlite make bench.
"""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


def postgres_available():
    try:
        import psycopg

        url = os.environ.get(
            "KB_BENCH_POSTGRES_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        psycopg.connect(url, connect_timeout=3).close()
        return True
    except Exception as error:  # any failure means: no PostgreSQL to measure
        print(f"PostgreSQL not reachable, skipped: {error}", file=sys.stderr)
        return False


def run_search(backend, causes):
    command = [
        sys.executable,
        str(ROOT / "bench" / "search_bench.py"),
        "--backend",
        backend,
        "--causes",
        str(causes),
    ]
    if causes >= 100_000:
        command += ["--baseline-queries", "30"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def table(rows, columns):
    widths = [max(len(str(c)), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    lines = ["  ".join(str(c).rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines += [
        "  ".join(str(r.get(c, "")).rjust(w) for c, w in zip(columns, widths, strict=True))
        for r in rows
    ]
    return "\n".join(lines)


def main():
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if s]
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    if "postgresql" in backends and not postgres_available():
        backends.remove("postgresql")
    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "search": [],
    }
    for causes in sizes:
        for backend in backends:
            print(f"search benchmark: {backend}, {causes} causes ...", file=sys.stderr, flush=True)
            results["search"].append(run_search(backend, causes))
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(
        table(
            results["search"],
            [
                "backend",
                "causes",
                "index_causes_per_second",
                "search_p50_ms",
                "search_p95_ms",
                "icontains_p50_ms",
                "icontains_p95_ms",
                "speedup_p50",
                "speedup_p95",
            ],
        )
    )
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
