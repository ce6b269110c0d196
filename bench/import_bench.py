"""Import benchmark (run by bench/run.py in a fresh process): a synthetic corpus (bench.corpus)
written as source texts in the content format, imported by kb.content.import_paths into a fresh
SQLite database, as `manage.py import_content PATH` would. Prints one JSON object.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARTICLES_PER_FILE = 50


def write_sources(folder, articles, causes_per_article):
    from bench.corpus import Corpus, source_text

    corpus = Corpus()
    for start in range(0, articles, ARTICLES_PER_FILE):
        texts = [
            source_text(corpus.article(i, causes_per_article))
            for i in range(start, min(start + ARTICLES_PER_FILE, articles))
        ]
        (folder / f"bench_{start:06d}.txt").write_text("".join(texts), encoding="utf-8")
    shutil.copy(ROOT / "content" / "catalog.toml", folder / "catalog.toml")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--causes-per-article", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kb-bench-import-"))
    try:
        sources = work / "content"
        sources.mkdir()
        write_sources(sources, args.articles, args.causes_per_article)
        os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        import django

        django.setup()
        from django.core.management import call_command

        from kb.content import import_paths

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        report = import_paths([sources])
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = import_paths([sources])  # a re-run: everything unchanged, nothing written
        rerun_seconds = time.perf_counter() - started
        causes = report.causes.created
        print(
            json.dumps(
                {
                    "articles": report.articles.created,
                    "causes": causes,
                    "source_bytes": sum(p.stat().st_size for p in sources.glob("*.txt")),
                    "import_seconds": round(seconds, 2),
                    "articles_per_second": round(report.articles.created / seconds, 1),
                    "causes_per_second": round(causes / seconds, 1),
                    "reimport_seconds": round(rerun_seconds, 2),
                    "reimport_changes": again.changes,
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
