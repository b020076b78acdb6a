#!/usr/bin/env bash
# Starts the local PostgreSQL if it is installed and not running, waits until it is up, and
# creates the database the tests use ("test") if it is missing. Does nothing when a database is
# given through HARE_TEST_JDBC_URL.
set -euo pipefail

if [ -n "${HARE_TEST_JDBC_URL:-}" ]; then
  exit 0
fi
if ! command -v psql >/dev/null 2>&1; then
  echo "psql not found: install PostgreSQL, or set HARE_TEST_JDBC_URL." >&2
  exit 0
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "Starting the local PostgreSQL..."
  if command -v pg_lsclusters >/dev/null 2>&1; then
    # Debian's clusters: start each one that is down.
    pg_lsclusters --no-header | while read -r version cluster port status _; do
      if [ "$status" != "online" ]; then
        pg_ctlcluster "$version" "$cluster" start
      fi
    done
  else
    service postgresql start
  fi
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test"
fi
echo "PostgreSQL is up."
