#!/usr/bin/env bash
# Builds the real Ethereum clients that scripts/e2e-real.sh runs, at pinned
# versions, from the Go module proxy, into ./.tools:
#   .tools/geth-v1.17.10/geth
#   .tools/prysm-v7.0.0/{beacon-chain,validator,prysmctl}
#
# geth installs with plain `go install`. Prysm does not: its go.mod replaces
# json-iterator with a fork, and `go install pkg@version` refuses modules with
# replace directives. So, as scripts/build-mevboost.sh does for mev-boost, a
# throwaway wrapper module requires Prysm at the exact version, repeats
# Prysm's replace lines, and runs `go build` on the three commands at once
# (one build shares the compiled dependencies). The checksum database does not
# hold every quic-go version Prysm's graph pulls in, so quic-go is fetched
# without it (GONOSUMDB).
#
# Safe to run again: a binary that exists is not rebuilt, so a warm run takes
# no time. Binaries are written under a temporary name and renamed, so an
# interrupted build never leaves a half-written file that would pass that check.
#
# Output: the two directories, one per line, on stdout (geth's first);
# everything else on stderr. On any failure it says exactly what failed and
# exits non-zero.
#
# Usage: scripts/build-clients.sh [geth|prysm|all]
set -euo pipefail

readonly GETH_MODULE=github.com/ethereum/go-ethereum
readonly GETH_VERSION=v1.17.10
readonly PRYSM_MODULE=github.com/OffchainLabs/prysm/v7
readonly PRYSM_VERSION=v7.0.0
readonly PRYSM_CMDS=(beacon-chain validator prysmctl)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly geth_dir="$root/.tools/geth-$GETH_VERSION"
readonly prysm_dir="$root/.tools/prysm-$PRYSM_VERSION"

die() {
	echo "scripts/build-clients.sh: FAILED: $*" >&2
	exit 1
}

command -v go >/dev/null 2>&1 || die "go not found on PATH: install Go (see go.mod for the version)"

# The builds must not inherit the repo's go.work or module settings.
export GOWORK=off
export GOFLAGS="-mod=mod -buildvcs=false"
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/quic-go/quic-go"
# Prysm's BLS (blst) and geth's secp256k1 are cgo.
export CGO_ENABLED=1

work=""
trap '[ -z "$work" ] || rm -rf "$work"' EXIT

build_geth() {
	if [ -x "$geth_dir/geth" ]; then
		return 0
	fi
	local start tmp
	start=$(date +%s)
	echo "building geth $GETH_VERSION (go install $GETH_MODULE/cmd/geth@$GETH_VERSION)" >&2
	tmp="$geth_dir/.tmp"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	GOBIN="$tmp" go install "$GETH_MODULE/cmd/geth@$GETH_VERSION" >&2 ||
		die "go install $GETH_MODULE/cmd/geth@$GETH_VERSION (is the Go module proxy reachable?)"
	mv "$tmp/geth" "$geth_dir/geth"
	rm -rf "$tmp"
	echo "built $geth_dir/geth in $(($(date +%s) - start)) s" >&2
}

build_prysm() {
	local missing=0 cmd
	for cmd in "${PRYSM_CMDS[@]}"; do
		[ -x "$prysm_dir/$cmd" ] || missing=1
	done
	if [ "$missing" = 0 ]; then
		return 0
	fi
	local start modfile pkgs=()
	start=$(date +%s)
	work="$(mktemp -d)"
	echo "building Prysm $PRYSM_VERSION (${PRYSM_CMDS[*]}) in $work" >&2
	(
		cd "$work"
		go mod init pledge.local/prysm-wrapper >&2 2>&1 || die "go mod init failed"
		# Prysm's own go.mod, straight from the proxy, to copy its replace lines.
		modfile="$(go mod download -json "$PRYSM_MODULE@$PRYSM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')" ||
			die "go mod download $PRYSM_MODULE@$PRYSM_VERSION (is the Go module proxy reachable?)"
		[ -f "$modfile" ] || die "could not download $PRYSM_MODULE@$PRYSM_VERSION from the module proxy"
		# Copy both forms: `replace a => b v` and the block `replace ( ... )`.
		awk '
			/^replace[[:space:]]*\($/ { inblock = 1; next }
			inblock && /^\)/ { inblock = 0; next }
			inblock && NF > 0 { print "replace " $0; next }
			/^replace[[:space:]]/ && !/\($/ { print }
		' "$modfile" >>go.mod
		go get "$PRYSM_MODULE@$PRYSM_VERSION" >&2 || die "go get $PRYSM_MODULE@$PRYSM_VERSION"
		grep -q "$PRYSM_MODULE $PRYSM_VERSION" go.mod ||
			die "go get resolved a different version of $PRYSM_MODULE than $PRYSM_VERSION"
		for cmd in "${PRYSM_CMDS[@]}"; do
			pkgs+=("$PRYSM_MODULE/cmd/$cmd")
		done
		# No `go get` of the command packages: it queries the proxy for each
		# path prefix as a possible module, and the proxy answers 403 for
		# those. go build with -mod=mod resolves them inside Prysm's module.
		mkdir -p "$work/bin"
		go build -o "$work/bin/" "${pkgs[@]}" >&2 || die "go build ${pkgs[*]}"
	) || exit 1
	mkdir -p "$prysm_dir"
	for cmd in "${PRYSM_CMDS[@]}"; do
		[ -x "$work/bin/$cmd" ] || die "go build did not produce $cmd"
		mv "$work/bin/$cmd" "$prysm_dir/$cmd"
	done
	echo "built Prysm $PRYSM_VERSION into $prysm_dir in $(($(date +%s) - start)) s" >&2
}

case "${1:-all}" in
geth) build_geth ;;
prysm) build_prysm ;;
all)
	build_geth
	build_prysm
	;;
*) die "unknown argument '$1' (want geth, prysm or all)" ;;
esac
echo "$geth_dir"
echo "$prysm_dir"
