"""One release at a time: servers that deploy together must not migrate together.

`manage.py release` (deploy/app.sh release) migrates and imports under this lock. Two servers
of a rolling deploy starting at once otherwise race through the same migrations and one of them
fails ("relation already exists", a duplicate key in django_migrations). The second now waits
for the first and then finds nothing left to do.

- PostgreSQL: a session-level advisory lock (``pg_advisory_lock``), held on its own connection,
  released when that connection closes, so a killed release frees it too.
- SQLite (one machine): an exclusive ``flock`` on a file beside the database; the kernel drops it
  when the process ends.
"""

import contextlib
import fcntl
import hashlib
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

# A fixed key of this application's releases: the first 8 bytes of a hash of its name.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"kb:release").digest()[:8], "big", signed=True)


@contextlib.contextmanager
def release_lock(alias=DEFAULT_DB_ALIAS):
    connection = connections[alias]
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as lock_connection:
            lock_connection.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_KEY])
            try:
                yield
            finally:
                lock_connection.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
    elif connection.vendor == "sqlite" and connection.settings_dict["NAME"] != ":memory:":
        database = Path(connection.settings_dict["NAME"])
        database.parent.mkdir(parents=True, exist_ok=True)
        with open(database.with_name(database.name + ".release-lock"), "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
    else:
        yield
