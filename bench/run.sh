#!/bin/sh
# The city benchmark (docs/benchmarks.md): creates lawdesk_bench on the local PostgreSQL, migrates, generates
# the city, fills the statistics, analyses, measures, prints the table and drops the database.
#   bench/run.sh                                   # 1 million matters
#   bench/run.sh --matters 10000000 --fill-months 1
#   bench/run.sh --keep                            # keep the database (drop it later: dropdb lawdesk_bench)
set -e
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/run.py "$@"
