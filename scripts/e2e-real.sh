#!/usr/bin/env bash
# End to end with the real clients validators run: a loopback devnet of geth
# v1.17.10 and Prysm v7.0.0 (beacon-chain + validator, interop keys, 2 s
# slots, every fork through Fulu/Osaka from genesis), the Pledge contracts
# deployed on it with the validators registered, and `pledge sidecar`
# selling preconfirmations for their slots, L1 ones and the L2 ones of one
# based rollup: its node (`e2ectl rollup`, internal/rollupnode, the devnet's)
# follows the Inbox, and the real Clef (scripts/build-clef.sh), run headless
# with a fresh poster key only it holds, signs each slot's batch post. It then
#   1. drives the sidecar with signed requests from funded senders, L1
#      transfers and the rollup's L2 transfers,
#   2. kills the sidecar with SIGKILL in the middle of the load and restarts it,
#   3. checks that every acknowledged promise is still served by
#      commitmentResult after the restart, and that every promised
#      transaction landed in a block the Prysm validator proposed, no later
#      than its promised slot, and that every L2 promise is in the poster's
#      Inbox record of its rollup and slot, posted in that slot's block by
#      transactions Clef signed (its audit log lists them),
#   4. high availability (PLEDGE_E2E_HA=1, the default): starts PostgreSQL
#      (scripts/postgres.sh, a throwaway cluster on loopback), restarts the
#      sidecar on it and starts a second sidecar of the same operator (same
#      delegations, delegate key and committer) on the same database, drives
#      both, SIGKILLs the second mid-load (its senders move to the first),
#      and checks that every promise either acknowledged is served by the
#      survivor, in its slot's ledger and landed in its slot, and that no
#      sender nonce was promised to two transactions,
#   5. checks that the chain justifies epochs (the validator's attestations count).
# It exits non-zero on any failure, with the tail of every client's log, and
# stops every process it started.
#
# The clients are built from the Go module proxy by scripts/build-clients.sh
# and Clef by scripts/build-clef.sh, cached in ./.tools (cold: several
# minutes; warm: nothing to build). A Clef that cannot be built or started
# fails the run: it is never skipped.
#
# Two modes:
# - builder mode (PLEDGE_E2E_BUILDER=1, the default, what CI runs): the
#   beacon node takes the sidecar's --builder-listen as its MEV relay, the
#   validator asks for builder blocks, the sidecar builds them itself through
#   geth (testing_buildBlockV1, promised transactions first, in order; no
#   relay) from the beacon node's payload_attributes events, nothing
#   promised goes to the mempool, and a late or missing promised transaction
#   fails the run (except for slots whose time overlaps the sidecar's
#   outage, reported as broken by the crash).
# - mempool mode (PLEDGE_E2E_BUILDER=0): every requested transaction is
#   also sent to geth's public mempool and lands because geth builds the
#   Prysm validator's blocks from it. It proves the devnet, the
#   registration, the sidecar's duties from a real beacon node, its promises
#   and their survival across SIGKILL — not that the sidecar forces
#   transactions in; a transaction landing after its slot is reported, not
#   failed.
#
# Environment (all optional):
#   PLEDGE_E2E_REAL=skip       skip the whole run, saying so (for quick local test runs)
#   PLEDGE_E2E_BUILDER=1|0     see above (default 1)
#   PLEDGE_E2E_VALIDATORS=N    interop validators (default 64)
#   PLEDGE_E2E_SENDERS=N       request senders (default 8)
#   PLEDGE_E2E_DURATION=SECS   load duration (default 40)
#   PLEDGE_E2E_HA=1|0          run the high-availability step (default 1)
#   PLEDGE_E2E_HA_DURATION=S   its load duration (default 24)
#   PLEDGE_E2E_PORT_BASE=P     first of the loopback ports used (default 18500)
#   PLEDGE_E2E_DIR=DIR         work directory (default: a new temp dir; kept on failure)
#   PLEDGE_CLEF=PATH           a clef binary to use instead of scripts/build-clef.sh's
#
# Usage: scripts/e2e-real.sh
set -euo pipefail

readonly SECONDS_PER_SLOT=2
readonly CHAIN_ID=32382    # must match scripts/e2e/config.yaml
readonly ROLLUP_CHAIN_ID=167001 # the demo rollup's L2 chain id (as the in-process devnet's first)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "e2e-real: $*" >&2; }

if [ "${PLEDGE_E2E_REAL:-}" = skip ]; then
	say "SKIPPED: PLEDGE_E2E_REAL=skip (the real-client end-to-end run did not run)"
	exit 0
fi

builder_mode="${PLEDGE_E2E_BUILDER:-1}"
validators="${PLEDGE_E2E_VALIDATORS:-64}"
senders="${PLEDGE_E2E_SENDERS:-8}"
duration="${PLEDGE_E2E_DURATION:-40}"
ha="${PLEDGE_E2E_HA:-1}"
ha_duration="${PLEDGE_E2E_HA_DURATION:-24}"

# Loopback ports: PORT_BASE + 3..62 (PostgreSQL picks its own). Without PLEDGE_E2E_PORT_BASE the first
# free block of 100 from 18500 is taken, so two runs on one machine (two
# engineers' test runs) do not collide.
port_offsets=(3 17 18 19 20 21 22 40 45 51 52 60 61 62)
port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
block_free() {
	local o
	for o in "${port_offsets[@]}"; do port_free $(($1 + o)) || return 1; done
}
if [ -n "${PLEDGE_E2E_PORT_BASE:-}" ]; then
	port_base="$PLEDGE_E2E_PORT_BASE"
	block_free "$port_base" || { say "FAILED: ports $port_base+{${port_offsets[*]}} are not all free on 127.0.0.1"; exit 1; }
else
	port_base=""
	for b in $(seq 18500 100 20400); do
		if block_free "$b"; then
			port_base=$b
			break
		fi
	done
	[ -n "$port_base" ] || { say "FAILED: no free block of loopback ports in 18500-20500: set PLEDGE_E2E_PORT_BASE"; exit 1; }
fi
readonly geth_http=$((port_base + 45)) geth_auth=$((port_base + 51)) geth_p2p=$((port_base + 3))
readonly beacon_rpc=$((port_base + 40)) beacon_http=$((port_base + 52))
readonly beacon_tcp=$((port_base + 60)) beacon_udp=$((port_base + 61)) beacon_quic=$((port_base + 62))
readonly sidecar_port=$((port_base + 17)) builder_port=$((port_base + 18))
# The HA step's second sidecar.
readonly sidecar_b_port=$((port_base + 19)) builder_b_port=$((port_base + 20))
# The demo rollup's L2 JSON-RPC and Clef's HTTP endpoint.
readonly rollup_port=$((port_base + 21)) clef_port=$((port_base + 22))
readonly el_url="http://127.0.0.1:$geth_http" beacon_url="http://127.0.0.1:$beacon_http"
readonly sidecar_url="http://127.0.0.1:$sidecar_port" sidecar_b_url="http://127.0.0.1:$sidecar_b_port"
readonly rollup_url="http://127.0.0.1:$rollup_port" clef_url="http://127.0.0.1:$clef_port"

work="${PLEDGE_E2E_DIR:-}"
[ -n "$work" ] || work="$(mktemp -d "${TMPDIR:-/tmp}/pledge-e2e.XXXXXX")"
mkdir -p "$work/logs" "$work/bin"
readonly work logs="$work/logs"

# --- processes: every one we start is recorded and stopped on exit ---------

declare -A pids=()
ok=0
pg_dir=""     # the HA step's PostgreSQL cluster, once started
clef_stdin="" # the file descriptor holding Clef's stdin open, once started

stop() { # stop NAME: TERM, then KILL after 10 s
	local name="$1" pid="${pids[$1]:-}"
	[ -n "$pid" ] || return 0
	unset "pids[$name]"
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

tails() {
	local f
	for f in "$logs"/*.log; do
		[ -f "$f" ] || continue
		echo "----- last 25 lines of $f -----" >&2
		tail -n 25 "$f" >&2
	done
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$pg_dir" ]; then
		cp "$pg_dir/server.log" "$logs/postgres-server.log" 2>/dev/null || true
	fi
	if [ "$ok" != 1 ]; then
		tails
	fi
	local name
	for name in driver sidecar_b sidecar rollup clef validator beacon geth; do
		stop "$name"
	done
	if [ -n "$clef_stdin" ]; then
		exec {clef_stdin}>&-
	fi
	if [ -n "$pg_dir" ]; then
		scripts/postgres.sh stop "$pg_dir" 2>>"$logs/postgres.log" || say "scripts/postgres.sh stop $pg_dir failed"
	fi
	if [ "$ok" = 1 ] && [ -z "${PLEDGE_E2E_DIR:-}" ]; then
		rm -rf "$work"
	else
		say "logs and data kept in $work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	say "FAILED: $*"
	exit 1
}

# start NAME CMD...: run CMD in the background with its output in logs/NAME.log.
start() {
	local name="$1"
	shift
	"$@" >>"$logs/$name.log" 2>&1 &
	pids[$name]=$!
}

# alive NAME: fail if NAME exited.
alive() {
	kill -0 "${pids[$1]}" 2>/dev/null || fail "$1 exited (see $logs/$1.log below)"
}

# wait_for DESCRIPTION TIMEOUT CMD...: retry CMD each second until it succeeds.
wait_for() {
	local what="$1" timeout="$2"
	shift 2
	local deadline=$((SECONDS + timeout))
	until "$@" >/dev/null 2>&1; do
		local name
		for name in "${!pids[@]}"; do alive "$name"; done
		[ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${timeout}s waiting for $what"
		sleep 1
	done
}

# rpc URL METHOD PARAMS: a JSON-RPC call's result (needs the result to be a string).
rpc() {
	curl -sf -m 5 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1" |
		sed -n 's/.*"result":"\([^"]*\)".*/\1/p'
}

el_block() { printf '%d' "$(rpc "$el_url" eth_blockNumber '[]')"; }
head_slot() { curl -sf -m 5 "$beacon_url/eth/v1/beacon/headers/head" | sed -n 's/.*"slot":"\([0-9]*\)".*/\1/p'; }
checkpoint_epoch() { # checkpoint_epoch current_justified|finalized
	curl -sf -m 5 "$beacon_url/eth/v1/beacon/states/head/finality_checkpoints" |
		sed -n "s/.*\"$1\":{\"epoch\":\"\([0-9]*\)\".*/\1/p"
}
at_least() { # at_least N CMD...: CMD prints a number >= N
	local v
	v="$("${@:2}")" || return 1
	[ -n "$v" ] && [ "$v" -ge "$1" ]
}

command -v curl >/dev/null 2>&1 || fail "curl not found on PATH"
[[ "$builder_mode" =~ ^[01]$ ]] || fail "PLEDGE_E2E_BUILDER must be 0 or 1, got '$builder_mode'"
[[ "$ha" =~ ^[01]$ ]] || fail "PLEDGE_E2E_HA must be 0 or 1, got '$ha'"

# --- 1. binaries -------------------------------------------------------------

t0=$SECONDS
say "building the clients (scripts/build-clients.sh; cached in .tools)"
dirs="$(scripts/build-clients.sh)" || fail "scripts/build-clients.sh could not build the real clients (see above); nothing was skipped"
geth_bin="$(sed -n 1p <<<"$dirs")/geth"
prysm_dir="$(sed -n 2p <<<"$dirs")"
say "building pledge and e2ectl"
go build -o "$work/bin/pledge" ./cmd/pledge || fail "go build ./cmd/pledge"
go build -o "$work/bin/e2ectl" ./scripts/e2e/e2ectl || fail "go build ./scripts/e2e/e2ectl"
e2ectl="$work/bin/e2ectl"
if [ -n "${PLEDGE_CLEF:-}" ]; then
	clef_bin="$PLEDGE_CLEF"
else
	say "building Clef, the batch poster's signer (scripts/build-clef.sh; cached in .tools)"
	clef_bin="$(scripts/build-clef.sh)" ||
		fail "scripts/build-clef.sh could not build Clef, the batch poster's signer (see above); nothing was skipped"
fi
[ -x "$clef_bin" ] || fail "Clef binary $clef_bin is not executable; nothing was skipped"
say "binaries ready in $((SECONDS - t0)) s"

# --- 2. genesis ----------------------------------------------------------------

# Far enough ahead for geth init and the beacon node's start, so slot 1 is not missed.
genesis_time=$(($(date +%s) + 25))
cp scripts/e2e/config.yaml "$work/config.yaml"
"$e2ectl" setup -dir "$work" -genesis-time "$genesis_time" -validators "$validators" \
	-senders "$senders" -chain-id "$CHAIN_ID" || fail "e2ectl setup"
"$prysm_dir/prysmctl" testnet generate-genesis --fork fulu --num-validators "$validators" \
	--genesis-time "$genesis_time" --chain-config-file "$work/config.yaml" \
	--geth-genesis-json-in "$work/el-genesis.json" --geth-genesis-json-out "$work/el-genesis.prysm.json" \
	--output-ssz "$work/genesis.ssz" >"$logs/prysmctl.log" 2>&1 || fail "prysmctl testnet generate-genesis (see $logs/prysmctl.log)"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/jwt.hex"
"$geth_bin" init --datadir "$work/geth" --state.scheme hash "$work/el-genesis.json" >"$logs/geth-init.log" 2>&1 ||
	fail "geth init (see $logs/geth-init.log)"

# --- 3. the devnet -------------------------------------------------------------

fee_recipient=0x000000000000000000000000000000000000fee5
relay_flags=() builder_flags=() http_api=eth,net,web3,txpool
if [ "$builder_mode" = 1 ]; then
	# testing_buildBlockV1 lets the sidecar's fallback put the promised
	# transactions at the top of its block, in order, without the mempool.
	http_api+=,testing
	# No boost for the local block: the sidecar's bid only carries the
	# promised transactions' tips, and must win whenever it has any.
	relay_flags=(--http-mev-relay "http://127.0.0.1:$builder_port" --local-block-value-boost 0)
	builder_flags=(--enable-builder)
fi

start geth "$geth_bin" --datadir "$work/geth" --networkid "$CHAIN_ID" --syncmode full \
	--http --http.addr 127.0.0.1 --http.port "$geth_http" --http.api "$http_api" \
	--authrpc.addr 127.0.0.1 --authrpc.port "$geth_auth" --authrpc.jwtsecret "$work/jwt.hex" \
	--nodiscover --maxpeers 0 --port "$geth_p2p" --ipcdisable --state.scheme hash \
	--miner.recommit 200ms --verbosity 3
wait_for "geth's JSON-RPC on $el_url" 30 rpc "$el_url" eth_chainId '[]'

start beacon "$prysm_dir/beacon-chain" --datadir "$work/beacon" --accept-terms-of-use --force-clear-db \
	--chain-config-file "$work/config.yaml" --genesis-state "$work/genesis.ssz" \
	--chain-id "$CHAIN_ID" --contract-deployment-block 0 --deposit-contract 0x4242424242424242424242424242424242424242 \
	--interop-eth1data-votes --execution-endpoint "http://127.0.0.1:$geth_auth" --jwt-secret "$work/jwt.hex" \
	--rpc-host 127.0.0.1 --rpc-port "$beacon_rpc" --http-host 127.0.0.1 --http-port "$beacon_http" \
	--no-discovery --bootstrap-node= --min-sync-peers 0 --minimum-peers-per-subnet 0 \
	--p2p-local-ip 127.0.0.1 --p2p-tcp-port "$beacon_tcp" --p2p-udp-port "$beacon_udp" --p2p-quic-port "$beacon_quic" \
	--suggested-fee-recipient "$fee_recipient" --disable-monitoring "${relay_flags[@]}"
wait_for "the beacon node's REST API on $beacon_url" 60 curl -sf -m 2 "$beacon_url/eth/v1/node/version"

start validator "$prysm_dir/validator" --datadir "$work/validator" --accept-terms-of-use \
	--chain-config-file "$work/config.yaml" --beacon-rpc-provider "127.0.0.1:$beacon_rpc" \
	--interop-num-validators "$validators" --interop-start-index 0 \
	--suggested-fee-recipient "$fee_recipient" --disable-monitoring "${builder_flags[@]}"

say "ports $port_base+{${port_offsets[*]}}"
say "devnet starting: genesis at $(date -d "@$genesis_time" +%T), $validators validators, ${SECONDS_PER_SLOT}s slots"
blocks_ready() { at_least 3 head_slot && at_least 2 el_block; }
wait_for "the first blocks (beacon head slot >= 3, geth block >= 2)" $((60 + genesis_time - $(date +%s))) blocks_ready
say "devnet producing blocks: head slot $(head_slot), geth block $(el_block)"

# --- 4. Pledge on top -------------------------------------------------------------

say "deploying the contracts and registering the $validators validator keys"
"$e2ectl" deploy -rpc "$el_url" -beacon "$beacon_url" -validators "$validators" \
	-genesis-time "$genesis_time" -seconds-per-slot "$SECONDS_PER_SLOT" -out "$work/contracts.env" ||
	fail "e2ectl deploy"
# shellcheck source=/dev/null
. "$work/contracts.env"

# Delegation-first (issue 14): the sidecar holds no validator key. The
# interop keys sign, offline, delegations of every slot of the run to a
# fresh delegate key (31 random bytes: always below the curve order); the
# sidecar gets the delegate key and the delegations only.
printf '00%s\n' "$(head -c 31 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$work/keys/delegate.key"
delegate_from=$(($(head_slot) + 1))
# The load, the SIGKILL restart and the checks fit in this many slots (and
# the HA step's, when on).
ha_slack=0
[ "$ha" = 1 ] && ha_slack=$((ha_duration + 150))
delegate_to=$((delegate_from + (duration + 240 + ha_slack) / SECONDS_PER_SLOT))
say "signing delegations of slots $delegate_from-$delegate_to for the $validators validators"
"$work/bin/pledge" delegate --validator-keys "$work/keys/wallet" --validator-password-file "$work/keys/wallet-password.txt" \
	--delegate-key "$work/keys/delegate.key" --committer "$COMMITTER" --slots "$delegate_from-$delegate_to" \
	--genesis-fork-version "$(sed -n 's/^GENESIS_FORK_VERSION: *//p' "$work/config.yaml")" --chain-id "$CHAIN_ID" \
	--out "$work/delegations.json" >"$logs/delegate.log" 2>&1 || fail "pledge delegate (see $logs/delegate.log)"

# --- the based rollup and its batch poster's signer, Clef ------------------------

# Clef, headless as docs/signers.md runs it: its own commands set it up on
# stdin (master seed, the fresh poster key imported with --lightkdf, the
# key's password in its credential store, the rules' hash attested), and it
# then starts with the rules and the master password on stdin, which stays
# open. The rules approve only the poster's transactions to the Inbox, and
# the listing; the key file is deleted once Clef holds the key.
poster="$(tr -d ' \n' <"$work/keys/poster.address")"
clef_dir="$work/clef"
mkdir -p "$clef_dir"
readonly clef_master="pledge-e2e-clef-master" clef_account_pw="pledge-e2e-clef-poster"
clef_base=(--suppress-bootwarn --configdir "$clef_dir/config" --keystore "$clef_dir/keystore" --lightkdf --loglevel 3)
clef_setup() { # clef_setup STDIN ARGS...
	local in="$1"
	shift
	printf '%s' "$in" | "$clef_bin" "${clef_base[@]}" "$@" >>"$logs/clef-setup.log" 2>&1 ||
		fail "Clef could not be set up: clef $1 failed (see $logs/clef-setup.log); nothing was skipped"
}
say "setting up Clef headless with the batch poster $poster (rules: only its posts to the Inbox $INBOX)"
clef_setup "$clef_master"$'\n'"$clef_master"$'\n' init
clef_setup "$clef_account_pw"$'\n'"$clef_account_pw"$'\n' importraw "$work/keys/poster.key"
rm -f "$work/keys/poster.key"
clef_setup "$clef_account_pw"$'\n'"$clef_account_pw"$'\n'"$clef_master"$'\n' setpw "$poster"
cat >"$clef_dir/rules.js" <<JS
function ApproveListing() { return "Approve" }
function ApproveTx(r) {
  // only the batch poster's posts to the Inbox
  var tx = r.transaction
  if (tx.from && tx.to && tx.from.toLowerCase() == "${poster,,}" && tx.to.toLowerCase() == "${INBOX,,}") { return "Approve" }
  return "Reject"
}
function ApproveSignData(r) { return "Reject" }
JS
clef_setup "$clef_master"$'\n' attest "$(sha256sum "$clef_dir/rules.js" | cut -d' ' -f1)"
mkfifo "$clef_dir/stdin"
"$clef_bin" "${clef_base[@]}" --nousb --chainid "$CHAIN_ID" --http --http.addr 127.0.0.1 --http.port "$clef_port" \
	--ipcdisable --auditlog "$logs/clef-audit.log" --4bytedb-custom "$clef_dir/4byte.json" --rules "$clef_dir/rules.js" \
	<"$clef_dir/stdin" >>"$logs/clef.log" 2>&1 &
pids[clef]=$!
exec {clef_stdin}>"$clef_dir/stdin"
printf '%s\n' "$clef_master" >&"$clef_stdin"
clef_lists_poster() {
	curl -sf -m 2 -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"account_list","params":[]}' "$clef_url" |
		grep -qi "${poster#0x}"
}
wait_for "Clef's HTTP endpoint on $clef_url" 30 grep -q 'HTTP endpoint opened' "$logs/clef.log"
# Without its attested rules Clef would wait on a prompt for every call.
grep -q 'Rule engine configured' "$logs/clef.log" || fail "Clef started without its rules (see $logs/clef.log)"
wait_for "Clef to list the poster $poster" 15 clef_lists_poster
say "Clef ready (pid ${pids[clef]}) on $clef_url, holding the poster key (light scrypt), rules attested"

start rollup "$e2ectl" rollup -rpc "$el_url" -inbox "$INBOX" -chain-id "$ROLLUP_CHAIN_ID" \
	-listen "127.0.0.1:$rollup_port" -senders-file "$work/keys/l2-senders.txt" -genesis-time "$genesis_time" \
	-sidecar "$sidecar_url" -slasher "$SLASHER"
wait_for "the rollup node's L2 JSON-RPC on $rollup_url" 30 rpc "$rollup_url" eth_chainId '[]'
say "rollup $ROLLUP_CHAIN_ID node ready (pid ${pids[rollup]}) on $rollup_url"

sidecar_args=(
	--log-format json sidecar
	--beacon-url "$beacon_url" --execution-url "$el_url"
	--registry "$REGISTRY" --slasher "$SLASHER" --operator "$OPERATOR"
	--data-dir "$work/sidecar-data" --listen "127.0.0.1:$sidecar_port"
	--delegations "$work/delegations.json" --delegate-key "$work/keys/delegate.key"
	--committer-key "$work/keys/committer.key"
	--slash-window "$SLASH_WINDOW" --rate-limit 0 --poll-interval 500ms
	# The rollup's L2 promises; Clef holds the poster key, the sidecar none.
	--rollup "$ROLLUP_CHAIN_ID=$rollup_url" --inbox "$INBOX"
	--poster-signer clef --poster-signer-url "$clef_url" --poster-signer-address "$poster"
)
if [ "$builder_mode" = 1 ]; then
	# The beacon node's builder endpoint; no relay, so the sidecar's own
	# fallback block (built through geth's engine API) carries the promises.
	sidecar_args+=(--builder-listen "127.0.0.1:$builder_port" --engine-url "http://127.0.0.1:$geth_auth"
		--jwt-secret "$work/jwt.hex" --fee-recipient "$fee_recipient")
fi
sidecar_ready() { curl -sf -m 2 "$sidecar_url/readyz"; }
start_sidecar() {
	start sidecar "$work/bin/pledge" "${sidecar_args[@]}"
	wait_for "the sidecar's /readyz on $sidecar_url" 60 sidecar_ready
}
start_sidecar
say "sidecar ready (pid ${pids[sidecar]})"
if [ "$builder_mode" = 1 ]; then
	# The validator registered with the builder endpoint at genesis, before
	# the sidecar existed (it needs the contracts, which need blocks), and
	# the beacon node asks a builder only for registered validators. Prysm's
	# validator registers again at every epoch start: wait for the next one.
	next_epoch_slot=$((($(head_slot) / 32 + 1) * 32 + 2))
	say "builder mode: waiting for slot $next_epoch_slot, after the validator's next registration"
	wait_for "slot $next_epoch_slot" 90 at_least "$next_epoch_slot" head_slot
fi

# The load runs for $duration s; the sidecar is killed a third of the way in
# and restarted 3 s later, while the senders keep sending.
broadcast=true
[ "$builder_mode" = 1 ] && broadcast=false
start driver "$e2ectl" drive -sidecar "$sidecar_url" -rpc "$el_url" -slasher "$SLASHER" \
	-senders-file "$work/keys/senders.txt" -out "$work/acks.jsonl" -duration "${duration}s" \
	-broadcast="$broadcast" -l2-rpc "$rollup_url" -l2-senders-file "$work/keys/l2-senders.txt"
sleep $((duration / 3))
alive sidecar
alive driver
killed_at_ms=$(date +%s%3N)
say "SIGKILL to the sidecar (pid ${pids[sidecar]}) under load"
kill -KILL "${pids[sidecar]}"
wait "${pids[sidecar]}" 2>/dev/null || true
unset "pids[sidecar]"
sleep 3
start_sidecar
restarted_at_ms=$(date +%s%3N)
say "sidecar restarted (pid ${pids[sidecar]}) after $((restarted_at_ms - killed_at_ms)) ms"

wait "${pids[driver]}" || fail "e2ectl drive (see $logs/driver.log)"
unset "pids[driver]"
cat "$logs/driver.log" >&2

strict=false
[ "$builder_mode" = 1 ] && strict=true
"$e2ectl" check -sidecar "$sidecar_url" -rpc "$el_url" -beacon "$beacon_url" -acks "$work/acks.jsonl" \
	-genesis-time "$genesis_time" -seconds-per-slot "$SECONDS_PER_SLOT" -validators "$validators" \
	-killed-at-ms "$killed_at_ms" -restarted-at-ms "$restarted_at_ms" -strict="$strict" \
	-poster "$poster" -clef-audit "$logs/clef-audit.log" >&2 ||
	fail "e2ectl check: promises lost or not kept (see above)"

# --- 5. high availability: two sidecars of the operator on one PostgreSQL -------

if [ "$ha" = 1 ]; then
	t_ha=$SECONDS
	say "HA: starting PostgreSQL (scripts/postgres.sh) for two sidecars sharing one promise store"
	# Its own directory under /tmp, not in $work: as root the server runs as
	# the postgres user, which must reach it.
	pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/pledge-e2e-pg.XXXXXX")"
	dsn="$(scripts/postgres.sh start "$pg_dir" 2>>"$logs/postgres.log")" || fail "scripts/postgres.sh start (see $logs/postgres.log)"
	# Every slot the Pebble-backed sidecar promised has passed (check waited
	# for them): it restarts on PostgreSQL at the same ports, the beacon
	# node's builder, and a second sidecar of the same operator joins it.
	stop sidecar
	sidecar_args+=(--store "$dsn" --store-sync-interval 500ms)
	sidecar_b_args=()
	for ((i = 0; i < ${#sidecar_args[@]}; i++)); do
		arg="${sidecar_args[$i]}"
		sidecar_b_args+=("$arg")
		case "$arg" in
		--listen) sidecar_b_args+=("127.0.0.1:$sidecar_b_port") && i=$((i + 1)) ;;
		--builder-listen) sidecar_b_args+=("127.0.0.1:$builder_b_port") && i=$((i + 1)) ;;
		--data-dir) sidecar_b_args+=("$work/sidecar-b-data") && i=$((i + 1)) ;;
		esac
	done
	start_sidecar
	start sidecar_b "$work/bin/pledge" "${sidecar_b_args[@]}"
	sidecar_b_ready() { curl -sf -m 2 "$sidecar_b_url/readyz"; }
	wait_for "the second sidecar's /readyz on $sidecar_b_url" 60 sidecar_b_ready
	say "HA: sidecars A (pid ${pids[sidecar]}, the builder) and B (pid ${pids[sidecar_b]}) on one PostgreSQL"
	# Half the senders start on each; B is killed half way through and
	# its senders move to A, resending what B left unanswered.
	start driver "$e2ectl" drive -sidecar "$sidecar_url,$sidecar_b_url" -rpc "$el_url" -slasher "$SLASHER" \
		-senders-file "$work/keys/senders.txt" -out "$work/ha-acks.jsonl" -duration "${ha_duration}s" \
		-broadcast="$broadcast"
	sleep $((ha_duration / 2))
	alive sidecar
	alive sidecar_b
	alive driver
	peer_killed_at_ms=$(date +%s%3N)
	say "HA: SIGKILL to sidecar B (pid ${pids[sidecar_b]}) under load"
	kill -KILL "${pids[sidecar_b]}"
	wait "${pids[sidecar_b]}" 2>/dev/null || true
	unset "pids[sidecar_b]"
	wait "${pids[driver]}" || fail "HA: e2ectl drive (see $logs/driver.log)"
	unset "pids[driver]"
	tail -n 1 "$logs/driver.log" >&2
	alive sidecar
	# The builder never went down: every promise, B's included, must land.
	"$e2ectl" check -sidecar "$sidecar_url" -rpc "$el_url" -beacon "$beacon_url" -acks "$work/ha-acks.jsonl" \
		-genesis-time "$genesis_time" -seconds-per-slot "$SECONDS_PER_SLOT" -validators "$validators" \
		-peer-killed "$sidecar_b_url" -peer-killed-at-ms "$peer_killed_at_ms" -strict="$strict" >&2 ||
		fail "HA: e2ectl check: promises lost, not kept or promised twice (see above)"
	say "HA: passed in $((SECONDS - t_ha)) s"
fi

# With 64 s epochs the first justification comes about 3 minutes after
# genesis and finalization one epoch later; a justified epoch shows the
# validator's attestations count, without waiting that extra minute.
wait_for "a justified epoch (current_justified >= 1)" 300 at_least 1 checkpoint_epoch current_justified
say "justified epoch $(checkpoint_epoch current_justified), finalized epoch $(checkpoint_epoch finalized), head slot $(head_slot), geth block $(el_block)"
ok=1
mode="mempool mode: promised txs also sent to geth's mempool, inclusion not forced by the sidecar"
[ "$builder_mode" = 1 ] && mode="builder mode: the beacon node builds through the sidecar"
mode+="; rollup $ROLLUP_CHAIN_ID's batches posted through Clef"
[ "$ha" = 1 ] && mode+="; HA step on PostgreSQL"
say "PASSED in $SECONDS s ($mode)"
