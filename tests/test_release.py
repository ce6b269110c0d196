"""`manage.py release` (deploy/app.sh release) on several servers at once: one at a time.

Two servers of a deploy starting together used to race through the same migrations, and one
failed. Each test starts two real releases as processes on a new, empty database.
"""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection


def release_env(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        KB_VAR_DIR=str(tmp_path / "var"),
    )
    return env


def release_twice_at_once(env):
    runs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "release"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=240)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
    return outputs


def articles_in(env):
    count = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from kb.models import Article; print(Article.objects.count())",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return int(count.stdout.strip().splitlines()[-1])


def test_two_releases_at_once_on_one_sqlite_database_both_succeed(tmp_path):
    env = release_env(tmp_path, f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}")
    outputs = release_twice_at_once(env)
    # One of them migrated; the other waited and found nothing to apply.
    assert sum("No migrations to apply" in output for output in outputs) == 1
    assert articles_in(env) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the CI run on PostgreSQL")
def test_two_releases_at_once_on_one_postgresql_database_both_succeed(tmp_path):
    import psycopg

    name = f"kb_release_{uuid.uuid4().hex[:12]}"
    params = connection.get_connection_params()
    admin = psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user, host, port = params.get("user"), params.get("host"), params.get("port")
        env = release_env(tmp_path, f"postgres://{user}@{host}:{port}/{name}")
        outputs = release_twice_at_once(env)
        assert sum("No migrations to apply" in output for output in outputs) == 1
        assert articles_in(env) == 2
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
