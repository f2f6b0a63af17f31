#!/usr/bin/env bash
# Runs every fuzz target (func FuzzX in a _test.go file) for FUZZTIME each
# (default 10s), one after the other: go test -fuzz takes one target of one
# package per run. An input that fails is written to
# <package>/testdata/fuzz/<FuzzX>/; plain `go test` replays everything there
# as a regression case, so commit it together with the fix.
# FUZZ narrows the run to targets whose name matches (a grep -E pattern).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-10s}"
FUZZ="${FUZZ:-.}"

# package directory and target name, one pair a line, from the sources.
targets=$(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . \
	| sed -E 's#^\./(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)$#\1 \2#' \
	| grep -E " (${FUZZ})" | sort -u || true)
if [ -z "$targets" ]; then
	echo "no fuzz targets match ${FUZZ}" >&2
	exit 1
fi

failed=0
while read -r dir name; do
	echo "== fuzz ${dir} ${name} for ${FUZZTIME}"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./${dir}"; then
		echo "FAIL: ${dir} ${name}; the failing input is in ${dir}/testdata/fuzz/${name}/" >&2
		failed=1
	fi
done <<<"$targets"
exit "$failed"
