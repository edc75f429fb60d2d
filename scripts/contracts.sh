#!/usr/bin/env bash
# Compiles contracts/src/*.sol with the project's pinned solc-js (scripts/tools.sh)
# and regenerates the committed artifacts and Go bindings:
#   contracts/build/<Contract>.abi, contracts/build/<Contract>.bin
#   contracts/bindings/<contract>.go   (package bindings, abigen of go.mod's go-ethereum version)
#
# Every top-level file contracts/src/<Name>.sol that defines a deployable contract
# <Name> gets artifacts and a binding; interfaces and libraries are compiled as its
# imports. Settings: evmVersion prague, optimizer on (200 runs). The IR pipeline
# (viaIR) is used only where needed: for a file whose legacy compile fails with
# "stack too deep", or one that asks for it with a line `// pledge:via-ir`.
# Warnings are printed, errors fail.
#
# Usage:
#   scripts/contracts.sh [NAME...]          regenerate contracts/build and contracts/bindings
#                                           (only NAME.sol's artifacts when names are given)
#   scripts/contracts.sh --check [NAME...]  regenerate into a temp dir, fail if the committed
#                                           artifacts or bindings differ (stale)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

die() {
	echo "scripts/contracts.sh: $*" >&2
	exit 1
}

check=false
if [ "${1:-}" = "--check" ]; then
	check=true
	shift
fi
only=("$@")
for n in "${only[@]}"; do
	[ -f "contracts/src/$n.sol" ] || die "unknown contract \"$n\": no contracts/src/$n.sol"
done

solc="$(bash scripts/tools.sh solc)" || die "could not install solc (scripts/tools.sh solc)"
command -v go >/dev/null 2>&1 || die "go not found"

# abigen at go.mod's go-ethereum version. The module's go.sum lacks cmd/abigen's
# dependencies (cmd/utils pulls in half of geth), so it is installed on its own from
# the module proxy into .tools once (a few minutes), then reused.
readonly ABIGEN_VERSION=v1.17.10
abigen="$root/.tools/abigen-$ABIGEN_VERSION/abigen"
if [ ! -x "$abigen" ]; then
	echo "installing abigen@$ABIGEN_VERSION into .tools (first run only)" >&2
	GOBIN="$(dirname "$abigen")" go install "github.com/ethereum/go-ethereum/cmd/abigen@$ABIGEN_VERSION" ||
		die "go install abigen@$ABIGEN_VERSION failed"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build" "$work/bindings"

# compile NAME: writes $work/build/NAME.{abi,bin} from contracts/src/NAME.sol, or
# nothing when NAME.sol defines no deployable contract NAME.
compile() {
	local name="$1" via_ir=false rc=0
	grep -q '^// pledge:via-ir' "contracts/src/$name.sol" && via_ir=true
	compile_with "$name" "$via_ir" || rc=$?
	if [ "$rc" -eq 3 ] && ! $via_ir; then
		echo "contracts: $name.sol: stack too deep on the legacy pipeline, compiling with viaIR" >&2
		rc=0
		compile_with "$name" true || rc=$?
	fi
	[ "$rc" -eq 0 ] || die "compiling $name.sol failed (errors above)"
}

# compile_with NAME VIA_IR: one solc run; exit status 3 means only "stack too deep".
compile_with() {
	local name="$1" via_ir="$2"
	# Every source goes in by content, so imports resolve without a file callback.
	node - "$name" "$via_ir" >"$work/$name.in.json" <<'EOF'
const fs = require("fs"), path = require("path");
const [name, viaIR] = process.argv.slice(2);
// Only the file and its transitive imports go in (by content, so no file callback is
// needed): a broken unrelated file must not fail this one.
const sources = {};
(function add(unit) {
  if (sources[unit]) return;
  const file = path.join("contracts", unit);
  if (!fs.existsSync(file)) throw new Error(`import ${unit} not found (${file})`);
  const content = fs.readFileSync(file, "utf8");
  sources[unit] = { content };
  for (const m of content.matchAll(/^\s*import\s+[^;]*?["']([^"']+)["']\s*;/gm)) {
    const dep = m[1].startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(unit), m[1])) : m[1];
    add(dep);
  }
})(`src/${name}.sol`);
const settings = {
  evmVersion: "prague",
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { [`src/${name}.sol`]: { [name]: ["abi", "evm.bytecode.object"] } },
};
if (viaIR === "true") settings.viaIR = true;
process.stdout.write(JSON.stringify({ language: "Solidity", sources, settings }));
EOF
	"$solc" --standard-json <"$work/$name.in.json" >"$work/$name.out.json" 2>"$work/$name.err" ||
		die "solc failed on $name.sol: $(cat "$work/$name.err")"
	node - "$name" "$work" "$via_ir" <<'EOF' || return $?
const fs = require("fs");
const [name, work, viaIR] = process.argv.slice(2);
// solcjs prints notes (">>> Cannot retry compilation with SMT ...") before the JSON.
const raw = fs.readFileSync(`${work}/${name}.out.json`, "utf8");
const out = JSON.parse(raw.slice(raw.indexOf("{")));
const errors = (out.errors || []).filter((e) => e.severity === "error");
const stackOnly = errors.length > 0 && viaIR !== "true" && errors.every((e) => /stack too deep/i.test(e.message));
if (stackOnly) process.exit(3); // the caller retries with viaIR; no noise
for (const e of out.errors || []) {
  // Warnings of imported files show up in every run that imports them; print only this file's.
  if (e.severity === "error" || (e.sourceLocation && e.sourceLocation.file === `src/${name}.sol`))
    process.stderr.write((e.formattedMessage || e.message) + "\n");
}
if (errors.length > 0) process.exit(1);
const c = ((out.contracts || {})[`src/${name}.sol`] || {})[name];
if (!c || !c.evm || !c.evm.bytecode.object) process.exit(0); // interface or library: no artifact
fs.writeFileSync(`${work}/build/${name}.abi`, JSON.stringify(c.abi, null, 1) + "\n");
fs.writeFileSync(`${work}/build/${name}.bin`, c.evm.bytecode.object + "\n");
EOF
}

shopt -s nullglob
if [ "${#only[@]}" -eq 0 ]; then
	for f in contracts/src/*.sol; do only+=("$(basename "$f" .sol)"); done
	partial=false
else
	partial=true
fi
names=()
for n in "${only[@]}"; do
	compile "$n"
	if [ -f "$work/build/$n.abi" ]; then names+=("$n"); fi
done
[ "${#names[@]}" -gt 0 ] || die "no deployable contract found among: ${only[*]}"

for n in "${names[@]}"; do
	lower="$(echo "$n" | tr '[:upper:]' '[:lower:]')"
	"$abigen" \
		--abi "$work/build/$n.abi" --bin "$work/build/$n.bin" \
		--pkg bindings --type "$n" --out "$work/bindings/$lower.go" ||
		die "abigen failed for $n"
done

# files lists the generated files, relative to contracts/.
files() {
	for n in "${names[@]}"; do
		echo "build/$n.abi" "build/$n.bin" "bindings/$(echo "$n" | tr '[:upper:]' '[:lower:]').go"
	done
}

if $check; then
	stale=false
	for f in $(files); do
		if ! cmp -s "$work/$f" "contracts/$f"; then
			stale=true
			echo "contracts/$f is stale or missing" >&2
		fi
	done
	if ! $partial; then
		# A committed artifact whose source is gone is stale too.
		for f in contracts/build/* contracts/bindings/*; do
			[ -e "$work/${f#contracts/}" ] || { stale=true; echo "$f has no source any more" >&2; }
		done
	fi
	$stale && die "committed contract artifacts differ from contracts/src: run scripts/contracts.sh and commit"
	echo "contracts: build and bindings are up to date (${names[*]})"
	exit 0
fi

if ! $partial; then
	rm -rf contracts/build contracts/bindings
fi
mkdir -p contracts/build contracts/bindings
for f in $(files); do cp "$work/$f" "contracts/$f"; done
echo "contracts: compiled ${names[*]} into contracts/build and contracts/bindings"
