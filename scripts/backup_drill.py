"""A backup and restore drill: pg_dump a database, pg_restore it into a scratch one, and compare
the exact row count of every table. Exits non-zero when any count differs.

    make backup-drill                      (a scratch copy of the demo)
    DRILL_SOURCE_URL=postgres://... make backup-drill   (an existing database, left untouched)
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
SOURCE = os.environ.get("DRILL_SOURCE_URL", "")
SCRATCH_SOURCE, TARGET = "baliwg_drill", "baliwg_drill_restored"


def run(*args, env=None):
    result = subprocess.run(args, cwd=PROJECT, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def psql(url: str, sql: str) -> str:
    return run("psql", url, "-At", "-c", sql)


def row_counts(url: str) -> dict[str, int]:
    tables = psql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").split()
    counts = {}
    for table in tables:
        counts[table] = int(psql(url, f'SELECT count(*) FROM "{table}"'))
    return counts


def main():
    source = SOURCE
    if not source:
        source = f"{SERVER}/{SCRATCH_SOURCE}"
        psql(f"{SERVER}/postgres", f"DROP DATABASE IF EXISTS {SCRATCH_SOURCE}")
        psql(f"{SERVER}/postgres", f"CREATE DATABASE {SCRATCH_SOURCE}")
        env = {"DATABASE_URL": source, "DEBUG": "1"}
        run(sys.executable, "manage.py", "migrate", "--no-input", "-v0", env=env)
        run(sys.executable, "manage.py", "load_demo", env=env)
    dump = PROJECT / "backups" / "drill.dump"
    dump.parent.mkdir(exist_ok=True)
    run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
    psql(f"{SERVER}/postgres", f"DROP DATABASE IF EXISTS {TARGET}")
    psql(f"{SERVER}/postgres", f"CREATE DATABASE {TARGET}")
    run("pg_restore", "--no-owner", "--single-transaction", f"--dbname={SERVER}/{TARGET}", str(dump))
    before, after = row_counts(source), row_counts(f"{SERVER}/{TARGET}")
    differing = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
    report = {
        "tables": len(before),
        "rows": sum(before.values()),
        "rows_restored": sum(after.values()),
        "tables_differing": differing,
        "dump_bytes": dump.stat().st_size,
    }
    print(json.dumps(report, indent=2))
    psql(f"{SERVER}/postgres", f"DROP DATABASE IF EXISTS {TARGET}")
    if not SOURCE:
        psql(f"{SERVER}/postgres", f"DROP DATABASE IF EXISTS {SCRATCH_SOURCE}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
