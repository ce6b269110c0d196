"""Fill the tables of bench/RESULTS.md from bench/results.json (what `make bench` writes).

    .venv/bin/python bench/report.py [--results bench/results.json] [--markdown bench/RESULTS.md]

RESULTS.md is text written by hand (how each figure is measured, the faults found, the targets)
around blocks that this script owns:

    <!-- generated:http -->
    ...
    <!-- /generated -->

Each block is rewritten from its section of results.json: ``http`` (pages beside the static
file) and ``memory`` (worker memory, cold start) from the HTTP section, ``import``, ``search``
and ``scale`` from theirs. A block whose section the file does not hold (``BENCH_SECTIONS=http``
runs only one) keeps its table, so figures of different runs can stand side by side, each
block naming the run it comes from. The text around the blocks is never touched: after a run,
read it again against the new tables. Needs nothing but the standard library.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
MARKDOWN = ROOT / "bench" / "RESULTS.md"

BLOCK = re.compile(
    r"(<!-- generated:(?P<name>[a-z]+) -->\n)(?P<body>.*?)(<!-- /generated -->)", re.S
)

# Display names of the HTTP targets (bench/http_bench.py names them); {kb}: the page's size.
TARGET_LABELS = {
    "static file (ceiling)": "static file, {kb} kB (ceiling)",
    "article, uncached": "article, uncached (rendered from the database)",
    "/api/search": "`/api/search`",
}
BACKEND_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def ms(value):
    """Latencies as the tables print them: a decimal below 10 ms, whole milliseconds above."""
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def spread(values, unit):
    low, high = round(min(values)), round(max(values))
    return f"{low} {unit}" if low == high else f"{low}-{high} {unit}"


def table(header, alignments, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(alignments) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def run_line(results):
    machine = results.get("machine", {})
    day = results.get("started", "")[:10] or "an undated run"
    return f"`make bench` of {day}, Python {machine.get('python', '?')}, {machine.get('cpus', '?')} CPUs."


def cache_share(page_cache):
    """X-Page-Cache of the answers, "none" (not a cacheable page) left out: "hit 100 %"."""
    answered = sum(page_cache.values())
    shares = [
        f"{state} {count / answered:.0%}".replace("%", " %")
        for state, count in sorted(page_cache.items(), key=lambda item: -item[1])
        if state != "none"
    ]
    return " ".join(shares)


def render_http(results):
    http = results["http"]
    kb = f"{http['page_bytes'] / 1000:.1f}"
    rows, failed = [], []
    for target in http["throughput"]:
        label = TARGET_LABELS.get(target["target"], target["target"]).format(kb=kb)
        rows.append(
            [
                label,
                f"{target['requests_per_second']:.0f}",
                f"{target['vs_static']:.2f}",
                ms(target["p50_ms"]),
                ms(target["p99_ms"]),
                cache_share(target.get("page_cache", {})),
            ]
        )
        if target.get("failures"):
            failed.append(f"{label}: {target['failures']}")
    parts = [
        f"{run_line(results)} {http['connections']} keep-alive connections (each replaced after "
        f"{http['requests_per_connection']} requests), {http['rounds']} interleaved rounds of "
        f"{http['seconds_per_round']:g} s; medians.",
        table(
            ["target", "requests/s", "vs static file", "p50 ms", "p99 ms", "cache"],
            ["---", "---:", "---:", "---:", "---:", "---"],
            rows,
        ),
    ]
    if failed:
        parts.append(
            f"Failed requests (a status other than 200, or no answer): {'; '.join(failed)}."
        )
    return "\n\n".join(parts)


def render_memory(results):
    memory, cold = results["http"]["memory"], results["http"]["cold_start"]
    rows = [
        [
            f"RSS of each gunicorn worker after the load ({memory['workers']} workers)",
            spread(memory["worker_rss_mib"], "MiB"),
        ],
        [
            "PSS of each worker (pages shared with the master counted once)",
            spread(memory["worker_pss_mib"], "MiB"),
        ],
        [
            "from launching gunicorn to the first answer to `/healthz`",
            f"{cold['healthz_seconds']:.2f} s",
        ],
        ["from launching gunicorn to the first page", f"{cold['first_page_seconds']:.2f} s"],
    ]
    return "\n\n".join(
        [
            f"{run_line(results)} Cold start: median of {cold['starts']} starts.",
            table(["measure", "value"], ["---", "---:"], rows),
        ]
    )


def render_import(results):
    run = results["import"]
    row = [
        f"{run['articles']:,}",
        f"{run['causes']:,}",
        f"{run['source_bytes'] / 1_000_000:.1f} MB",
        f"{run['import_seconds']:.1f}",
        f"{run['causes_per_second']:,.0f}",
        f"{run['reimport_seconds']:.1f}",
        f"{run['reimport_changes']}",
    ]
    return "\n\n".join(
        [
            run_line(results),
            table(
                [
                    "articles",
                    "causes",
                    "source texts",
                    "import s",
                    "causes/s",
                    "re-import s",
                    "re-import changes",
                ],
                ["---:"] * 7,
                [row],
            ),
        ]
    )


def render_search(results):
    rows = [
        [
            BACKEND_LABELS.get(run["backend"], run["backend"]),
            f"{run['causes']:,}",
            f"{run['search_p50_ms']:.1f}",
            f"{run['search_p95_ms']:.1f}",
            f"{run['icontains_p50_ms']:.1f}",
            f"{run['icontains_p95_ms']:.1f}",
            f"{run['speedup_p50']:.1f} / {run['speedup_p95']:.1f}",
            f"{run['index_causes_per_second']:,.0f}",
        ]
        for run in results["search"]
    ]
    header = [
        "backend",
        "causes",
        "search p50 ms",
        "search p95 ms",
        "icontains p50 ms",
        "icontains p95 ms",
        "speedup p50 / p95",
        "indexing causes/s",
    ]
    return "\n\n".join([run_line(results), table(header, ["---"] + ["---:"] * 7, rows)])


def render_scale(results):
    scale = results["scale"]
    rows = [
        [
            page["page"],
            f"{page['html_bytes'] / 1000:.1f} kB",
            f"{page['queries']}",
            f"{ms(page['uncached_p50_ms'])} / {ms(page['uncached_p90_ms'])}",
            f"{ms(page['cached_p50_ms'])} / {ms(page['cached_p90_ms'])}",
        ]
        for page in scale["pages"]
    ]
    run = scale["import"]
    return "\n\n".join(
        [
            f"{run_line(results)} {scale['articles']:,} articles, read in-process through the "
            "whole middleware stack (Django's test client).",
            table(
                [
                    "page",
                    "HTML",
                    "queries (uncached)",
                    "uncached p50 / p90 ms",
                    "cached p50 / p90 ms",
                ],
                ["---", "---:", "---:", "---:", "---:"],
                rows,
            ),
            table(
                [
                    "causes",
                    "import s",
                    "causes/s",
                    "CPU s",
                    "causes per CPU s",
                    "index rebuild, causes per CPU s",
                    "re-import s",
                ],
                ["---:"] * 7,
                [
                    [
                        f"{run['causes']:,}",
                        f"{run['import_seconds']:.1f}",
                        f"{run['causes_per_second']:,.0f}",
                        f"{run['import_cpu_seconds']:.1f}",
                        f"{run['causes_per_cpu_second']:,.0f}",
                        f"{run['reindex_causes_per_cpu_second']:,.0f}",
                        f"{run['reimport_seconds']:.1f}",
                    ]
                ],
            ),
        ]
    )


# block name -> (section of results.json it needs, renderer)
RENDERERS = {
    "http": ("http", render_http),
    "memory": ("http", render_memory),
    "import": ("import", render_import),
    "search": ("search", render_search),
    "scale": ("scale", render_scale),
}


def fill(markdown, results):
    """``markdown`` with every block whose section ``results`` holds rewritten; returns the new
    text and the names of the blocks filled. Unknown block names are an error."""
    unknown = sorted({m["name"] for m in BLOCK.finditer(markdown)} - set(RENDERERS))
    if unknown:
        raise ValueError(
            f"unknown generated blocks: {', '.join(unknown)} (known: {', '.join(RENDERERS)})"
        )
    filled = []

    def replace(match):
        section, render = RENDERERS[match["name"]]
        if section not in results:
            return match[0]
        filled.append(match["name"])
        return f"{match[1]}{render(results)}\n{match[4]}"

    return BLOCK.sub(replace, markdown), filled


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--markdown", type=Path, default=MARKDOWN)
    args = parser.parse_args()
    if not args.results.exists():
        sys.exit(f"{args.results}: not found (make bench writes it)")
    try:
        results = json.loads(args.results.read_text(encoding="utf-8"))
        text, filled = fill(args.markdown.read_text(encoding="utf-8"), results)
    except (ValueError, KeyError, TypeError) as error:
        # A malformed or older results.json: say what is missing, write nothing.
        sys.exit(f"{args.results}: cannot fill {args.markdown.name}: {error!r}")
    args.markdown.write_text(text, encoding="utf-8")
    kept = [m["name"] for m in BLOCK.finditer(text) if m["name"] not in filled]
    print(
        f"{args.markdown.name}: filled {', '.join(filled) or 'nothing'}"
        + (f"; kept {', '.join(kept)} (not in {args.results.name})" if kept else "")
    )


if __name__ == "__main__":
    main()
