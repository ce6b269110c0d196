"""`make bench`: run the benchmarks, print a table, write bench/results.json.

Sections (all by default; BENCH_SECTIONS=http,import,search picks some):

- http: throughput and latency of the pages and the API under gunicorn beside a static file of
  the same size (bench/http_bench.py), worker memory, cold start;
- import: import rate of a synthetic corpus written as source texts (bench/import_bench.py);
- search: search latency and indexing rate against corpus size on SQLite and PostgreSQL beside
  the icontains baseline (bench/search_bench.py);
- edits: requests/s on cached pages of the 1,000-article corpus while an article is saved every
  10 s, beside the same load without edits (bench/edits_bench.py).
- scale: content at scale, the 1,000-article corpus imported, then page sizes, queries per page,
  uncached and cached latency of home, a category and an article, and the import rate
  (bench/scale_bench.py; BENCH_SCALE_ARTICLES sets the size).

bench/report.py turns results.json into the tables of bench/RESULTS.md.

Each measurement runs in a fresh process against a database of its own (a temporary SQLite
file, or a temporary PostgreSQL database), so runs do not share caches. Search sizes and
backends can be narrowed: BENCH_SIZES=1000,10000 BENCH_BACKENDS=sqlite make bench. Servers
listen on ports from KB_LIVE_PORTS (default 8201-8299).
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


def run_script(script, *arguments):
    """Run bench/<script> in a fresh process; its last line of output is one JSON object."""
    command = [sys.executable, str(ROOT / "bench" / script), *map(str, arguments)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_search(backend, causes):
    arguments = ["--backend", backend, "--causes", causes]
    if causes >= 100_000:
        arguments += ["--baseline-queries", "30"]
    return run_script("search_bench.py", *arguments)


def table(rows, columns):
    widths = [max(len(str(c)), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    lines = ["  ".join(str(c).rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines += [
        "  ".join(str(r.get(c, "")).rjust(w) for c, w in zip(columns, widths, strict=True))
        for r in rows
    ]
    return "\n".join(lines)


def bench_http(results):
    print("http benchmark: gunicorn, pages beside a static file ...", file=sys.stderr, flush=True)
    results["http"] = run_script(
        "http_bench.py",
        "--rounds",
        os.environ.get("BENCH_HTTP_ROUNDS", "7"),
        "--seconds",
        os.environ.get("BENCH_HTTP_SECONDS", "3"),
    )
    http = results["http"]
    print(
        f"HTTP, {http['connections']} keep-alive connections (new after "
        f"{http['requests_per_connection']} requests), {http['rounds']} interleaved rounds "
        f"of {http['seconds_per_round']} s, medians; static file of {http['page_bytes']} bytes"
    )
    print(
        table(
            http["throughput"],
            ["target", "requests_per_second", "vs_static", "p50_ms", "p99_ms", "failures", "cache"],
        )
    )
    memory, cold = http["memory"], http["cold_start"]
    print(
        f"\nworker memory after load: RSS {memory['worker_rss_mib']} MiB, "
        f"PSS {memory['worker_pss_mib']} MiB"
    )
    print(
        f"cold start: /healthz after {cold['healthz_seconds']} s, first page after "
        f"{cold['first_page_seconds']} s (median of {cold['starts']})\n"
    )


def bench_import(results):
    print("import benchmark: synthetic source texts ...", file=sys.stderr, flush=True)
    results["import"] = run_script(
        "import_bench.py", "--articles", os.environ.get("BENCH_IMPORT_ARTICLES", "1000")
    )
    print("import_content of a synthetic corpus (fresh SQLite)")
    print(
        table(
            [results["import"]],
            [
                "articles",
                "causes",
                "import_seconds",
                "articles_per_second",
                "causes_per_second",
                "reimport_seconds",
                "reimport_changes",
            ],
        )
        + "\n"
    )


def bench_search(results):
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if s]
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    if "postgresql" in backends and not postgres_available():
        backends.remove("postgresql")
    results["search"] = []
    for causes in sizes:
        for backend in backends:
            print(f"search benchmark: {backend}, {causes} causes ...", file=sys.stderr, flush=True)
            results["search"].append(run_search(backend, causes))
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


def bench_edits(results):
    print("edits benchmark: 1,000 articles, an edit every 10 s ...", file=sys.stderr, flush=True)
    results["edits"] = run_script(
        "edits_bench.py",
        "--articles",
        os.environ.get("BENCH_EDITS_ARTICLES", "1000"),
        "--seconds",
        os.environ.get("BENCH_EDITS_SECONDS", "30"),
        "--rounds",
        os.environ.get("BENCH_EDITS_ROUNDS", "2"),
    )
    edits = results["edits"]
    print(
        f"Cached pages under load while an editor saves ({edits['articles']} articles, "
        f"{edits['pages']} pages, {edits['connections']} connections, {edits['rounds']} rounds "
        f"of {edits['seconds_per_round']} s, medians)"
    )
    print(
        table(
            edits["throughput"],
            ["load", "requests_per_second", "vs_no_edits", "p50_ms", "p99_ms", "misses", "saves"],
        )
        + "\n"
    )


def bench_scale(results):
    articles = os.environ.get("BENCH_SCALE_ARTICLES", "1000")
    print(f"content at scale: {articles} articles ...", file=sys.stderr, flush=True)
    results["scale"] = run_script("scale_bench.py", "--articles", articles)
    scale = results["scale"]
    print(f"content at scale: {scale['articles']} articles, in-process (test client), p50/p90")
    print(
        table(
            scale["pages"],
            [
                "page",
                "html_bytes",
                "queries",
                "uncached_p50_ms",
                "uncached_p90_ms",
                "cached_p50_ms",
                "cached_p90_ms",
            ],
        )
    )
    print(
        table(
            [scale["import"]],
            [
                "articles",
                "causes",
                "import_seconds",
                "import_cpu_seconds",
                "causes_per_second",
                "causes_per_cpu_second",
                "reindex_causes_per_cpu_second",
                "reimport_seconds",
            ],
        )
        + "\n"
    )


SECTIONS = {
    "http": bench_http,
    "import": bench_import,
    "search": bench_search,
    "edits": bench_edits,
    "scale": bench_scale,
}


def main():
    chosen = os.environ.get("BENCH_SECTIONS", ",".join(SECTIONS)).split(",")
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        sys.exit(
            f"BENCH_SECTIONS: unknown {', '.join(sorted(unknown))} (known: {', '.join(SECTIONS)})"
        )
    results = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    for name in chosen:
        SECTIONS[name](results)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(
        f"\nwritten to {RESULTS.relative_to(ROOT)}; bench/report.py fills bench/RESULTS.md from it"
    )


if __name__ == "__main__":
    main()
