"""Seeds accounts for the admin account search benchmark: `person000000@example.com` … as many as asked, straight into
the database of a running server (the search reads them as any account; nothing else about them matters to it).

  accounts.py sqlite PATH COUNT     (the server's SQLite file, in write-ahead-log mode: the server keeps running)
  accounts.py postgres URL COUNT    (through psql)
"""
import sqlite3
import subprocess
import sys
import uuid

ADDRESS = "person{:06d}@example.com"
CREATED_AT = 1_700_000_000


def seed_sqlite(path, count):
    database = sqlite3.connect(path, timeout=30)
    with database:
        database.executemany("INSERT INTO accounts (id, email, created_at) VALUES (?, ?, ?)",
                             ((str(uuid.uuid4()), ADDRESS.format(n), CREATED_AT + n) for n in range(count)))
    database.close()


def seed_postgres(url, count):
    statement = (f"INSERT INTO accounts (id, email, created_at) SELECT gen_random_uuid()::text, "
                 f"'person' || lpad(n::text, 6, '0') || '@example.com', {CREATED_AT} + n "
                 f"FROM generate_series(0, {count - 1}) AS n; ANALYZE accounts;")
    subprocess.run(["psql", url, "-qc", statement], check=True)


if __name__ == "__main__":
    engine, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    (seed_sqlite if engine == "sqlite" else seed_postgres)(target, count)
