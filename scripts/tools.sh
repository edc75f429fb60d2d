#!/usr/bin/env bash
# Installs the project's non-Go tools from npm into ./.tools, pinned to exact
# versions so every machine and CI run compiles contracts with the same solc
# and runs the same just. Safe to run again: a tool already at its pinned
# version is not reinstalled.
#
# Usage:
#   scripts/tools.sh         install both tools, print their paths
#   scripts/tools.sh just    install if needed, print only the just binary path
#   scripts/tools.sh solc    install if needed, print only the solc-js binary path
#
# Only paths go to stdout (so `$(scripts/tools.sh solc)` works); npm's output
# and progress go to stderr.
set -euo pipefail

# Pinned versions (bump deliberately: a new solc changes the compiled bytecode
# and therefore the committed bindings).
readonly JUST_VERSION=1.57.0
readonly SOLC_VERSION=0.8.37

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly tools="$root/.tools"
readonly just_bin="$tools/node_modules/.bin/just"
readonly solc_bin="$tools/node_modules/.bin/solcjs"

die() {
	echo "scripts/tools.sh: $*" >&2
	exit 1
}

# installed_version PKG prints the version of PKG under .tools, or nothing.
installed_version() {
	local manifest="$tools/node_modules/$1/package.json"
	[ -f "$manifest" ] || return 0
	node -p "require(process.argv[1]).version" "$manifest" 2>/dev/null || true
}

# ensure PKG VERSION BIN installs PKG@VERSION unless it is already there.
ensure() {
	local pkg="$1" want="$2" bin="$3"
	if [ "$(installed_version "$pkg")" = "$want" ] && [ -x "$bin" ]; then
		return 0
	fi
	command -v npm >/dev/null 2>&1 ||
		die "npm not found: install Node.js and npm (e.g. apt-get install nodejs npm), then rerun"
	command -v node >/dev/null 2>&1 || die "node not found: install Node.js, then rerun"
	echo "installing $pkg@$want into $tools" >&2
	mkdir -p "$tools"
	# A package.json of our own keeps npm from walking up into the repo root.
	[ -f "$tools/package.json" ] || echo '{"private": true}' >"$tools/package.json"
	npm install --prefix "$tools" --save-exact --no-audit --no-fund \
		"$pkg@$want" 1>&2 || die "npm install $pkg@$want failed"
	[ "$(installed_version "$pkg")" = "$want" ] || die "$pkg@$want did not install into $tools"
	[ -x "$bin" ] || die "$pkg@$want installed but $bin is missing"
}

case "${1:-all}" in
just)
	ensure rust-just "$JUST_VERSION" "$just_bin"
	echo "$just_bin"
	;;
solc)
	ensure solc "$SOLC_VERSION" "$solc_bin"
	echo "$solc_bin"
	;;
all)
	ensure rust-just "$JUST_VERSION" "$just_bin"
	ensure solc "$SOLC_VERSION" "$solc_bin"
	echo "just: $just_bin"
	echo "solc: $solc_bin"
	;;
*)
	die "unknown tool \"$1\": want just or solc (or no argument for both)"
	;;
esac
