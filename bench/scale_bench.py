"""Content-at-scale benchmark (run by bench/run.py in a fresh process): the synthetic corpus
(bench.corpus, 1,000 articles by default) written as source texts and imported with
``import_content`` into a fresh SQLite database, then its pages read in-process through Django's
test client, the whole middleware stack and page cache included. Prints one JSON object:

- import: articles and causes per second (wall clock and CPU time: the machine is shared, and
  CPU seconds move less with its load), beside ``rebuild_search_index`` of the same rows (the
  speed to match), and the unchanged re-run;
- pages: for home, a category page and an article, the HTML size, the queries an uncached
  render makes, and the latency uncached (a query string never asked before: a page-cache miss,
  rendered from the database) and cached (the same URL again: a hit), p50 and p90.

Throughput with edits under load is the HTTP benchmark's (bench/http_bench.py).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentiles(seconds):
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 2), round(p90 * 1000, 2)


def import_corpus(sources):
    from kb.content import import_paths

    wall, cpu = time.perf_counter(), time.process_time()
    report = import_paths([sources])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rerun = time.perf_counter()
    again = import_paths([sources])  # everything unchanged: nothing written
    rerun = time.perf_counter() - rerun
    # The speed to match: the index alone, rebuilt from the same rows.
    from kb.search.indexer import rebuild_index

    index_cpu = time.process_time()
    rebuild_index()
    index_cpu = time.process_time() - index_cpu
    causes = report.causes.created
    return {
        "articles": report.articles.created,
        "causes": causes,
        "import_seconds": round(wall, 2),
        "import_cpu_seconds": round(cpu, 2),
        "causes_per_second": round(causes / wall, 1),
        "causes_per_cpu_second": round(causes / cpu, 1),
        "reindex_causes_per_cpu_second": round(causes / index_cpu, 1),
        "reimport_seconds": round(rerun, 2),
        "reimport_changes": again.changes,
    }


def measure_page(client, name, url, requests):
    from django.db import connection

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    separator = "&" if "?" in url else "?"
    get(f"{url}{separator}warm")  # templates loaded, lazy imports done
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted as they run: the debug log is emptied at each request, and off without DEBUG.
    with connection.execute_wrapper(count):
        page = get(f"{url}{separator}queries")
    uncached = []
    for n in range(requests):
        started = time.perf_counter()
        get(f"{url}{separator}u={n}")
        uncached.append(time.perf_counter() - started)
    get(url)  # stored
    cached = []
    for _ in range(requests):
        started = time.perf_counter()
        response = get(url)
        cached.append(time.perf_counter() - started)
    assert response["X-Page-Cache"] == "hit", response["X-Page-Cache"]
    uncached_p50, uncached_p90 = percentiles(uncached)
    cached_p50, cached_p90 = percentiles(cached)
    return {
        "page": name,
        "url": url,
        "html_bytes": len(page.content),
        "queries": len(queries),
        "uncached_p50_ms": uncached_p50,
        "uncached_p90_ms": uncached_p90,
        "cached_p50_ms": cached_p50,
        "cached_p90_ms": cached_p90,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--causes-per-article", type=int, default=5)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kb-bench-scale-"))
    try:
        sources = work / "content"
        sources.mkdir()
        from bench.import_bench import write_sources

        write_sources(sources, args.articles, args.causes_per_article)
        os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
        os.environ["KB_VAR_DIR"] = str(work / "var")
        os.environ.pop("REDIS_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import override_settings

        # Static files as written (no manifest: nothing was collected); the test client's host.
        override_settings(
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            ALLOWED_HOSTS=["testserver"],
        ).enable()
        call_command("migrate", verbosity=0)
        imported = import_corpus(sources)

        from kb.models import Article, Category

        # The article in the middle of the corpus, and the product that holds most of them.
        article = Article.objects.order_by("pk")[args.articles // 2]
        product = max(
            Category.objects.filter(parent=None),
            key=lambda p: Article.objects.filter(category__in=[p, *p.children.all()]).count(),
        )
        from kb.listings import CATEGORY_PAGE_SIZE

        urls = [("home", "/"), ("category", product.get_absolute_url())]
        if args.articles > CATEGORY_PAGE_SIZE:
            urls.append(("category, page 2", f"{product.get_absolute_url()}?page=2"))
        urls.append(("article", article.get_absolute_url()))
        client = Client()
        pages = [measure_page(client, name, url, args.requests) for name, url in urls]
        print(
            json.dumps(
                {"articles": args.articles, "import": imported, "pages": pages},
                ensure_ascii=False,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
