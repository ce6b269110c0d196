"""Edits benchmark (run by bench/run.py in a fresh process): requests/s on cached pages of the
1,000-article corpus (bench.corpus, imported with import_content) while an editor saves an
article every 10 s, beside the same load without edits. Prints one JSON object.

The production configuration as the image runs it (support.live: gunicorn, SQLite, the file
cache). The load asks for a working set of cached pages (home, categories, articles in both
scripts) small enough for each worker's recent pages; the edits change a cause of an article of
that set, saved through the ORM as the admin saves it (the signals bump its scopes, kb.signals).
Rounds alternate: no edits, edits, and edits that make every page again (``bump_content_version``,
what every edit did while there was one global content version), each ROUNDS times; medians.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import write_sources  # noqa: E402
from support.live import Server, app_sh, production_env  # noqa: E402
from support.load import run_load  # noqa: E402

MODES = ("no edits", "an edit every 10 s", "every 10 s, all pages again (one global version)")


def prepare(folder, articles):
    """A production site with the synthetic corpus imported, and Django set up on its database
    in this process (the editor's saves)."""
    env = production_env(folder / "var", folder / "static")
    app_sh("collectstatic", env)
    app_sh("release", env)
    sources = folder / "corpus"
    sources.mkdir()
    write_sources(sources, articles, 5)
    app_sh("python", env, "manage.py", "import_content", str(sources))
    os.environ.update(env)
    import django

    django.setup()
    return env


def working_set(size):
    from kb.models import Article, Category

    articles = list(Article.objects.published().order_by("pk").values_list("slug", flat=True))
    chosen = random.Random(1).sample(articles, min(size, len(articles)))
    categories = list(Category.objects.order_by("pk").values_list("slug", flat=True))[:20]
    paths = ["/", "/zh-hant/"]
    paths += [f"/categories/{slug}/" for slug in categories]
    paths += [f"/articles/{slug}/" for slug in chosen]
    paths += [f"/zh-hant/articles/{slug}/" for slug in chosen[: size // 4]]
    return paths, chosen


class Editor(threading.Thread):
    """Saves a cause of one article of ``slugs`` every ``every`` seconds until stopped."""

    def __init__(self, slugs, every, everything=False):
        super().__init__(daemon=True)
        self.slugs, self.every, self.everything = slugs, every, everything
        self.stopped = threading.Event()
        self.saves = 0

    def run(self):
        from django.db import connection

        from kb.cache import bump_content_version
        from kb.models import Cause

        n = 0
        while not self.stopped.wait(self.every if n else 1):
            cause = Cause.objects.filter(article__slug=self.slugs[n % len(self.slugs)]).first()
            cause.title = f"{cause.title.split(' #')[0]} #{n}"
            cause.save()
            if self.everything:
                bump_content_version()
            self.saves += 1
            n += 1
        connection.close()

    def stop(self):
        self.stopped.set()
        self.join()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--every", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--working-set", type=int, default=120)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="kb-bench-edits-"))
    try:
        print(json.dumps(measure(folder, args), ensure_ascii=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(folder, args):
    env = prepare(folder, args.articles)
    paths, slugs = working_set(args.working_set)
    server = Server(env, folder / "gunicorn.log")
    try:
        run_load(server.port, paths, connections=4, requests=len(paths) * 4)  # warm-up
        rounds = {mode: [] for mode in MODES}
        saves = Counter()
        for _ in range(args.rounds):
            for mode in MODES:
                editor = None
                if mode != MODES[0]:
                    editor = Editor(slugs, args.every, everything=mode == MODES[2])
                    editor.start()
                result = run_load(
                    server.port,
                    paths,
                    connections=args.connections,
                    seconds=args.seconds,
                    keepalive=50,
                )
                if editor:
                    editor.stop()
                    saves[mode] += editor.saves
                rounds[mode].append(result.summary())
                # Every page made again before the next round, whatever this one left.
                run_load(server.port, paths, connections=4, requests=len(paths) * 4)
    finally:
        server.stop()

    baseline = statistics.median(r["requests_per_second"] for r in rounds[MODES[0]])
    rows = []
    for mode, runs in rounds.items():
        rps = statistics.median(r["requests_per_second"] for r in runs)
        page_cache = sum((Counter(r["page_cache"]) for r in runs), Counter())
        answered = sum(page_cache.values()) or 1
        rows.append(
            {
                "load": mode,
                "requests_per_second": round(rps, 1),
                "vs_no_edits": round(rps / baseline, 3),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 1),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 1),
                "failures": sum(r["failures"] for r in runs),
                "saves": saves[mode],
                "misses": f"{page_cache.get('miss', 0) / answered:.2%}",
                "rounds_rps": [r["requests_per_second"] for r in runs],
            }
        )
    return {
        "articles": args.articles,
        "pages": len(paths),
        "connections": args.connections,
        "seconds_per_round": args.seconds,
        "rounds": args.rounds,
        "edit_every_seconds": args.every,
        "throughput": rows,
    }


if __name__ == "__main__":
    main()
