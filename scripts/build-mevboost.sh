#!/usr/bin/env bash
# Builds flashbots mev-boost at one pinned version from the Go module proxy into
# ./.tools/mev-boost-<version>/mev-boost, for the interop test that runs the
# real mev-boost against `pledge relay` (internal/mevboost, PLEDGE_MEVBOOST).
#
# Why a wrapper module: `go install github.com/flashbots/mev-boost@v1.12.0`
# fails here (the proxy refuses some of its version lists, and go install
# ignores replace directives), so the script makes a throwaway module that
# requires mev-boost at the exact version, copies mev-boost's own `replace`
# lines into it, and runs `go build github.com/flashbots/mev-boost`.
#
# Safe to run again: if the binary exists it is not rebuilt. Only the binary's
# path goes to stdout (so `PLEDGE_MEVBOOST=$(scripts/build-mevboost.sh)` works);
# go's output goes to stderr.
#
# Usage: scripts/build-mevboost.sh
set -euo pipefail

readonly MEVBOOST_MODULE=github.com/flashbots/mev-boost
readonly MEVBOOST_VERSION=v1.12.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly out_dir="$root/.tools/mev-boost-$MEVBOOST_VERSION"
readonly out_bin="$out_dir/mev-boost"

die() {
	echo "scripts/build-mevboost.sh: $*" >&2
	exit 1
}

if [ -x "$out_bin" ]; then
	echo "$out_bin"
	exit 0
fi

command -v go >/dev/null 2>&1 || die "go not found on PATH: install Go (see go.mod for the version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The wrapper must not inherit the repo's go.work or module settings, and the
# checksum database does not hold every module mev-boost's graph pulls in
# (quic-go versions, as with Prysm), so those are fetched without it.
export GOWORK=off
export GOFLAGS="-mod=mod -buildvcs=false"
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/quic-go/quic-go"

start=$(date +%s)
echo "building $MEVBOOST_MODULE@$MEVBOOST_VERSION in $work" >&2
cd "$work"
go mod init pledge.local/mevboost-wrapper >&2 2>&1 || die "go mod init failed"

# mev-boost's own go.mod, straight from the proxy, to copy its replace lines
# (a dependency's replace directives are ignored unless the main module repeats them).
modfile="$(go mod download -json "$MEVBOOST_MODULE@$MEVBOOST_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[ -f "$modfile" ] || die "could not download $MEVBOOST_MODULE@$MEVBOOST_VERSION from the module proxy"

# Copy both forms: `replace a => b v` and the block `replace ( ... )`.
awk '
	/^replace[[:space:]]*\($/ { inblock = 1; next }
	inblock && /^\)/ { inblock = 0; next }
	inblock && NF > 0 { print "replace " $0; next }
	/^replace[[:space:]]/ && !/\($/ { print }
' "$modfile" >>go.mod

# Exact version: the go directive of mev-boost's go.mod may be newer than the
# wrapper's, so go get raises it as needed.
go get "$MEVBOOST_MODULE@$MEVBOOST_VERSION" >&2 || die "go get $MEVBOOST_MODULE@$MEVBOOST_VERSION failed"
grep -q "$MEVBOOST_MODULE $MEVBOOST_VERSION" go.mod ||
	die "go get resolved a different version of $MEVBOOST_MODULE than $MEVBOOST_VERSION"

mkdir -p "$out_dir"
# Build to a temp name and rename, so an interrupted build never leaves a
# half-written binary that the idempotency check above would accept.
go build -o "$out_bin.tmp" "$MEVBOOST_MODULE" >&2 || die "go build $MEVBOOST_MODULE failed"
mv "$out_bin.tmp" "$out_bin"

echo "built $out_bin in $(($(date +%s) - start)) s" >&2
echo "$out_bin"
