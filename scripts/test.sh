#!/usr/bin/env bash
# The test command of the README: vet, then every test with the race
# detector off (the machine has two cores; the race build of FerretDB and
# SQLite is slow) and a generous timeout for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
go vet ./...
go test -count=1 -timeout 30m ./... "$@"
