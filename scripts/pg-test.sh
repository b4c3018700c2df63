#!/usr/bin/env bash
# Run the test suite on a local PostgreSQL (started and prepared by scripts/pg-start.sh).
#
#   bash scripts/pg-test.sh                       # whole suite
#   bash scripts/pg-test.sh PYTEST_ARGS="tests/registry -x"
#
# The test runner creates and drops test_<database>; the database itself is left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
DATABASE_URL=$(bash scripts/pg-start.sh)
export DATABASE_URL
exec make test "$@"
