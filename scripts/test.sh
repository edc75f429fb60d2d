#!/usr/bin/env bash
# The project's test command: the README's "run the tests" and what CI runs
# (.ci/run). Needs Go, and apt for Debian's postgresql package when missing. Checks, in order, stopping at the first failure:
#   1. gofmt -l prints nothing
#   2. go vet ./... is clean
#   3. go mod tidy would not change go.mod or go.sum
#   4. (when scripts/contracts.sh exists) the committed contract bindings are fresh
#   5. go test -count=1 ./..., with any arguments passed through (e.g. -race),
#      with the real mev-boost built for the interop test
#   6. (when scripts/e2e-real.sh exists) the end-to-end run
#
# Usage: scripts/test.sh [go test flags...]     e.g. scripts/test.sh -race -v
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { echo "==> $*" >&2; }
fail() {
	echo "scripts/test.sh: FAILED: $*" >&2
	exit 1
}

command -v go >/dev/null 2>&1 || fail "go not found on PATH: install Go (see go.mod for the version)"

step "gofmt -l ."
unformatted="$(gofmt -l .)" || fail "gofmt could not parse the files above"
if [ -n "$unformatted" ]; then
	printf '%s\n' "$unformatted" >&2
	fail "gofmt: the files above are not formatted; run 'gofmt -w' on them"
fi

step "go vet ./..."
go vet ./... || fail "go vet reported the problems above"

# -diff prints what tidy would change and exits non-zero, without touching the
# files, so a dirty module is reported instead of silently fixed.
step "go mod tidy -diff"
go mod tidy -diff || fail "go.mod/go.sum are not tidy: run 'go mod tidy' and commit the diff above"

# --- Later steps: each runs once its script lands, so this file works today. ---

# Contract bindings: scripts/contracts.sh --check recompiles the Solidity
# sources and fails if the committed abigen bindings differ. It needs npm (for
# solc-js); the tests must still pass on a machine with only Go, so without
# npm the check is skipped, loudly.
if [ -x scripts/contracts.sh ] && ! command -v npm >/dev/null 2>&1; then
	step "SKIPPED scripts/contracts.sh --check: npm not found, contract bindings not checked for freshness"
elif [ -x scripts/contracts.sh ]; then
	step "scripts/contracts.sh --check"
	scripts/contracts.sh --check || fail "contract bindings are stale: run 'scripts/contracts.sh' and commit the result"
fi

# The real flashbots mev-boost, built from the Go module proxy, runs against
# pledge relay in internal/mevboost's interop test; without it that test skips.
step "scripts/build-mevboost.sh"
PLEDGE_MEVBOOST="$(bash scripts/build-mevboost.sh)" || fail "could not build flashbots mev-boost for the interop test"
export PLEDGE_MEVBOOST

step "scripts/build-clef.sh"
PLEDGE_CLEF="$(bash scripts/build-clef.sh)" || fail "could not build go-ethereum's Clef for the remote-signer tests"
export PLEDGE_CLEF

# A throwaway PostgreSQL (Debian's package, installed when missing) for the
# PostgreSQL promise store and the high-availability tests; under CI=true a
# test that needs it fails without it instead of skipping.
step "scripts/postgres.sh start"
pg_dir="$(mktemp -d -t pledge-pg.XXXXXX)"
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
PLEDGE_POSTGRES_DSN="$(bash scripts/postgres.sh start "$pg_dir")" || fail "could not start PostgreSQL for the store tests"
export PLEDGE_POSTGRES_DSN

step "go test -count=1 $* ./..."
go test -count=1 "$@" ./... || fail "go test: see the failures above"

# End to end with real clients (geth, Prysm, mev-boost). The script itself
# decides whether it can run here and says so when it skips.
if [ -x scripts/e2e-real.sh ]; then
	step "scripts/e2e-real.sh"
	scripts/e2e-real.sh || fail "end-to-end run failed: see the output above"
fi

echo "scripts/test.sh: all checks passed" >&2
