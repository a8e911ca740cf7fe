#!/usr/bin/env bash
# Run the browser tests N times while the whole suite runs beside them (a second pytest process on the other
# core), and print how many browser runs passed. Issue 14's proof that browser tests wait for states, not time.
#
#   bash scripts/browser_under_load.sh [rounds=5]
#
# Each side has its own LAWDESK_VAR_DIR (and SQLite test database); the load loops until the rounds are done.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-5}"
work="$(mktemp -d -t lawdesk-load.XXXXXX)"
trap 'kill -- -$load_pid 2>/dev/null; rm -rf "$work"' EXIT
export LAWDESK_REQUIRE_BROWSER=1

set -m
(
    while true; do
        LAWDESK_VAR_DIR="$work/load" .venv/bin/python -m pytest -q -p no:cacheprovider -m "not browser" \
            >>"$work/load.log" 2>&1
    done
) &
load_pid=$!
set +m

passed=0
for i in $(seq 1 "$rounds"); do
    start=$SECONDS
    if LAWDESK_VAR_DIR="$work/browser" .venv/bin/python -m pytest -q -p no:cacheprovider -m browser \
        >"$work/browser-$i.log" 2>&1; then
        passed=$((passed + 1))
        result="passed"
    else
        result="FAILED"
        grep -E "^(FAILED|ERROR)" "$work/browser-$i.log" | sed 's/^/    /'
    fi
    echo "round $i: $result in $((SECONDS - start)) s, $(tail -n 1 "$work/browser-$i.log"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "browser tests under load: $passed of $rounds runs passed"
[[ $passed -eq $rounds ]]
