#!/usr/bin/env bash
# Builds go-ethereum's Clef (cmd/clef), the remote ECDSA signer the sidecar's
# tests run for real (sidecar/signer/ecdsa, PLEDGE_CLEF), from the Go module
# proxy, into
#   ./.tools/clef-<version>/clef
#
# Which version: go-ethereum v1.17.4 moved Clef out of its tree (the release
# notes; eth-docker and ethereum.nix dropped it from their geth builds then),
# so the go-ethereum go.mod pins (v1.17.10) has no cmd/clef. v1.17.3 is the
# last go-ethereum release that ships it; its external API (account_*) is the
# one Clef has spoken since API 6.0.0, unchanged since. Bump CLEF_VERSION only
# to a module that still contains cmd/clef.
#
# go-ethereum has no replace directives, so plain `go install pkg@version`
# works (as for geth in scripts/build-clients.sh).
#
# Safe to run again: if the binary exists it is not rebuilt (a warm run takes
# no time). The binary is installed under a temporary directory and renamed,
# so an interrupted build never leaves a half-written file that would pass
# that check. Only the binary's path goes to stdout (so
# `PLEDGE_CLEF=$(scripts/build-clef.sh)` works); go's output goes to stderr.
#
# Usage: scripts/build-clef.sh
set -euo pipefail

readonly GETH_MODULE=github.com/ethereum/go-ethereum
readonly CLEF_VERSION=v1.17.3

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
	echo "scripts/build-clef.sh: FAILED: $*" >&2
	exit 1
}

readonly version="$CLEF_VERSION"
readonly out_dir="$root/.tools/clef-$version"
readonly out_bin="$out_dir/clef"

if [ -x "$out_bin" ]; then
	echo "$out_bin"
	exit 0
fi

command -v go >/dev/null 2>&1 || die "go not found on PATH: install Go (see go.mod for the version)"

# The build must not inherit the repo's go.work or module settings.
export GOWORK=off
export GOFLAGS="-mod=mod -buildvcs=false"
# libsecp256k1 through cgo, as the sidecar is built.
export CGO_ENABLED=1

start=$(date +%s)
# A directory of this build's own: several test binaries may run the script at
# once on a cold cache; each builds apart and the rename is atomic.
mkdir -p "$out_dir"
tmp="$(mktemp -d "$out_dir/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "building clef $version (go install $GETH_MODULE/cmd/clef@$version)" >&2
GOBIN="$tmp" go install "$GETH_MODULE/cmd/clef@$version" >&2 ||
	die "go install $GETH_MODULE/cmd/clef@$version (is the Go module proxy reachable?)"
mv "$tmp/clef" "$out_bin"
echo "built $out_bin in $(($(date +%s) - start)) s" >&2
echo "$out_bin"
