"""HTTP benchmark (run by bench/run.py in a fresh process): the production configuration as the
image runs it (support.live: deploy/app.sh, gunicorn.conf.py, SQLite, the file cache), driven over
loopback by support.load. Prints one JSON object with three parts:

- throughput: home, article (cached and uncached), search page and /api/search, each beside a
  static file of the article page's size served by the same server, the stack's ceiling. Targets
  run interleaved, in a new order each round, ROUNDS times, each for SECONDS; medians are
  reported (the machine is noisy);
- memory: RSS and PSS of each gunicorn worker after the load (PSS counts the pages the workers
  share with the master, preload_app, once);
- cold start: from launching gunicorn to the first answered page, median of a few starts.
"""

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from support.live import Server, prepare_site
from support.load import run_load

ARTICLE = "/articles/huabei-fenqi-wufa-huankuan/"
CEILING = "/static/bench-ceiling.html"
QUERIES = ["花呗", "还款失败", "huabei", "催收电话", "分期乐 联系人", "余额不足", "網絡繁忙"]


def targets(run):
    """name -> paths for one run (a round, or the warm-up). Uncached pages get a query string
    never asked before, on every request of every run: a page cache miss, so each one is
    rendered from the database (and stored)."""
    fresh = [f"{ARTICLE}?u={run}-{n}" for n in range(200_000)]
    return {
        "static file (ceiling)": [CEILING],
        "article, cached": [ARTICLE],
        "article, uncached": fresh,
        "home, cached": ["/"],
        "search page": [f"/search/?q={quote(q)}" for q in QUERIES],
        "/api/search": [f"/api/search?q={quote(q)}" for q in QUERIES],
    }


def memory_kib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    pss = int(next(line for line in rollup.splitlines() if line.startswith("Pss:")).split()[1])
    return rss, pss


def cold_starts(env, folder, times):
    """Seconds from launching gunicorn to the first answer to /healthz, then to the first page."""
    healthz, page = [], []
    for n in range(times):
        server = Server(env, folder / f"cold-{n}.log")
        try:
            started = time.monotonic()
            status = server.get("/?cold")[0]
            assert status == 200, status
            healthz.append(server.ready_seconds)
            page.append(server.ready_seconds + time.monotonic() - started)
        finally:
            server.stop()
    return {
        "healthz_seconds": round(statistics.median(healthz), 2),
        "first_page_seconds": round(statistics.median(page), 2),
        "starts": times,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--connections", type=int, default=16)
    # Connections are replaced now and then, as browsers and balancers do: which gunicorn
    # worker accepts a connection is luck, and 16 connections held for a whole round would
    # leave one worker with most of them in some rounds and not in others.
    parser.add_argument("--requests-per-connection", type=int, default=50)
    parser.add_argument("--cold-starts", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kb-bench-http-"))
    try:
        print(json.dumps(measure(folder, args), ensure_ascii=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(folder, args):
    env = prepare_site(folder)
    cold = cold_starts(env, folder, args.cold_starts)

    # The ceiling: a static file exactly as large as the article page, served by WhiteNoise in
    # the same gunicorn (it reads the static folder at start, so the file is written first).
    probe = Server(env, folder / "probe.log")
    try:
        status, _, body, _ = probe.get(ARTICLE)
        assert status == 200, status
    finally:
        probe.stop()
    (Path(env["KB_STATIC_ROOT"]) / CEILING.rsplit("/", 1)[1]).write_bytes(b"x" * len(body))

    server = Server(env, folder / "gunicorn.log")
    try:
        plan = targets("warm-up")
        for paths in plan.values():  # warm-up: templates loaded, cached pages stored
            run_load(server.port, paths[:50], connections=4, requests=100)
        rounds = {name: [] for name in plan}
        for round_number in range(args.rounds):
            # A new order every round (seeded: the same for every run), so no target always
            # follows the same neighbour on a machine whose speed drifts.
            plan = targets(round_number)
            order = random.Random(round_number).sample(list(plan), len(plan))
            for name in order:
                paths = plan[name]
                result = run_load(
                    server.port,
                    paths,
                    connections=args.connections,
                    seconds=args.seconds,
                    keepalive=args.requests_per_connection,
                )
                rounds[name].append(result.summary())
        memory = [memory_kib(pid) for pid in server.worker_pids()]
    finally:
        server.stop()

    ceiling = statistics.median(r["requests_per_second"] for r in rounds["static file (ceiling)"])
    throughput = []
    for name, runs in rounds.items():
        rps = statistics.median(r["requests_per_second"] for r in runs)
        page_cache = sum((Counter(r["page_cache"]) for r in runs), Counter())
        answered = sum(page_cache.values()) or 1
        throughput.append(
            {
                "target": name,
                "requests_per_second": round(rps, 1),
                "vs_static": round(rps / ceiling, 2),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "failures": sum(r["failures"] for r in runs),
                # X-Page-Cache of the answers: "hit", "miss", or "none" (not a cached page).
                "page_cache": dict(page_cache.most_common()),
                "cache": " ".join(
                    f"{state} {count / answered:.0%}" for state, count in page_cache.most_common()
                ),
                "rounds_rps": [r["requests_per_second"] for r in runs],
            }
        )
    return {
        "page_bytes": len(body),
        "connections": args.connections,
        "requests_per_connection": args.requests_per_connection,
        "rounds": args.rounds,
        "seconds_per_round": args.seconds,
        "throughput": throughput,
        "memory": {
            "workers": len(memory),
            "worker_rss_mib": [round(rss / 1024, 1) for rss, _ in memory],
            "worker_pss_mib": [round(pss / 1024, 1) for _, pss in memory],
        },
        "cold_start": cold,
    }


if __name__ == "__main__":
    main()
