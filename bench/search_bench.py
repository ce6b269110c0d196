"""Search benchmark for one database and corpus size (run by bench/run.py in a fresh process).

Builds a synthetic corpus (bench.corpus) in its own database, times the index build, then the
latency of kb.search against the naive `icontains` baseline on the same queries. Prints one JSON
object.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def prepare_database(backend):
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="kb-bench-")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None
    import psycopg

    admin = os.environ.get("KB_BENCH_POSTGRES_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"kb_bench_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return admin.rsplit("/", 1)[0] + f"/{name}", drop


def load_corpus(causes, per_article=5, batch_articles=500):
    from bench.corpus import Corpus
    from kb.models import Article, Category, Cause, Remedy

    corpus = Corpus()
    categories = {}
    articles_total = causes // per_article
    for start in range(0, articles_total, batch_articles):
        drafts = [
            corpus.article(i, per_article)
            for i in range(start, min(start + batch_articles, articles_total))
        ]
        rows = []
        for draft in drafts:
            key = (draft["product"], draft["topic"])
            if key not in categories:
                product, _ = Category.objects.get_or_create(
                    slug=f"p{abs(hash(draft['product'])) % 10**8}",
                    defaults={"name": draft["product"]},
                )
                categories[key], _ = Category.objects.get_or_create(
                    slug=f"t{abs(hash(key)) % 10**8}",
                    defaults={"name": draft["topic"], "parent": product},
                )
            rows.append(
                Article(
                    category=categories[key],
                    title=draft["title"],
                    slug=draft["slug"],
                    summary=draft["summary"],
                    status=Article.Status.PUBLISHED,
                )
            )
        saved = Article.objects.bulk_create(rows)
        cause_rows, remedy_rows = [], []
        for article, draft in zip(saved, drafts, strict=True):
            for position, c in enumerate(draft["causes"], start=1):
                cause_rows.append(
                    Cause(
                        article=article,
                        position=position,
                        title=c["title"],
                        explanation=c["explanation"],
                    )
                )
        saved_causes = Cause.objects.bulk_create(cause_rows)
        index = 0
        for article, draft in zip(saved, drafts, strict=True):
            for position, text in enumerate(draft["advice"], start=1):
                remedy_rows.append(Remedy(article=article, position=position, text=text))
            for c in draft["causes"]:
                cause = saved_causes[index]
                index += 1
                for position, text in enumerate(c["remedies"], start=1):
                    remedy_rows.append(
                        Remedy(article=article, cause=cause, position=position, text=text)
                    )
        Remedy.objects.bulk_create(remedy_rows)
    return corpus


def icontains_search(text):
    """The naive baseline: what a Django site without a search engine does."""
    from django.db.models import Q

    from kb.models import Cause

    matches = Cause.objects.filter(article__status="published").filter(
        Q(title__icontains=text)
        | Q(explanation__icontains=text)
        | Q(remedies__text__icontains=text)
    )
    return list(matches.distinct()[:10])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--causes", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline-queries", type=int, default=60)
    args = parser.parse_args()

    url, cleanup = prepare_database(args.backend)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from kb.search.engine import search
    from kb.search.indexer import rebuild_index

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        corpus = load_corpus(args.causes)
        load_seconds = time.perf_counter() - started

        started = time.perf_counter()
        documents = rebuild_index(batch_size=1000)
        index_seconds = time.perf_counter() - started

        queries = corpus.queries(args.queries)
        for q in queries[:20]:  # warm-up: dictionaries, statistics, database pages
            search(q)
        latencies, found = [], 0
        for q in queries:
            t = time.perf_counter()
            page = search(q)
            latencies.append((time.perf_counter() - t) * 1000)
            found += page.count > 0
        baseline = []
        for q in queries[: args.baseline_queries]:
            t = time.perf_counter()
            icontains_search(q)
            baseline.append((time.perf_counter() - t) * 1000)
        result = {
            "backend": args.backend,
            "causes": args.causes,
            "documents": documents,
            "load_seconds": round(load_seconds, 2),
            "index_seconds": round(index_seconds, 2),
            "index_causes_per_second": round(args.causes / index_seconds),
            "queries": len(latencies),
            "queries_with_results": found,
            "search_p50_ms": round(percentile(latencies, 50), 2),
            "search_p95_ms": round(percentile(latencies, 95), 2),
            "search_mean_ms": round(statistics.fmean(latencies), 2),
            "icontains_p50_ms": round(percentile(baseline, 50), 2),
            "icontains_p95_ms": round(percentile(baseline, 95), 2),
        }
        result["speedup_p50"] = round(
            result["icontains_p50_ms"] / max(result["search_p50_ms"], 0.01), 1
        )
        result["speedup_p95"] = round(
            result["icontains_p95_ms"] / max(result["search_p95_ms"], 0.01), 1
        )
        print(json.dumps(result))
    finally:
        cleanup()


if __name__ == "__main__":
    main()
