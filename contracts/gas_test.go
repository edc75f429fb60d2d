package contracts_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// gasTableEnv names the file TestGasTable writes its markdown table to (the
// table is printed with -v in any case). docs/gas.md quotes that table.
const gasTableEnv = "PLEDGE_GAS_TABLE"

// mainnetProofNodes are the account-proof depths assumed for mainnet: with
// ~3·10^8 accounts a path crosses 7–8 branch nodes (16^7 ≈ 2.7·10^8) and ends
// in a leaf.
var mainnetProofNodes = []int{8, 9}

// Targets of issue 3.
const (
	targetGasPerKey = 200_000
	targetSafetyGas = 400_000
)

// gasRow is one line of the table.
type gasRow struct {
	op, cases string
	gas       uint64
	per       string // gas per unit (key, L2 tx), when it applies
	note      string
}

type gasTable struct{ rows []gasRow }

func (g *gasTable) add(op, cases string, gas uint64, per, note string) {
	g.rows = append(g.rows, gasRow{op, cases, gas, per, note})
}

func (g *gasTable) markdown() string {
	var b strings.Builder
	b.WriteString("| Operation | Case | Gas | Per unit | Note |\n|---|---|---:|---:|---|\n")
	for _, r := range g.rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.op, r.cases, thousands(r.gas), r.per, r.note)
	}
	return b.String()
}

// thousands writes n with comma separators, as the docs quote gas.
func thousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestGasTable measures the gas of every Pledge operation on the simulated
// Prague chain and prints the table docs/gas.md quotes:
//
//	PLEDGE_GAS_TABLE=/tmp/gas.md go test ./contracts -run TestGasTable -v
//
// Gas used includes the 21,000 base and the calldata of the transaction. It
// also holds the targets where they are defined as measured here.
func TestGasTable(t *testing.T) {
	var tab gasTable
	t.Run("registry", func(t *testing.T) { gasRegistry(t, &tab) })
	t.Run("ledgers", func(t *testing.T) { gasLedgers(t, &tab) })
	t.Run("faults", func(t *testing.T) { gasFaults(t, &tab) })
	t.Run("safety_depth", func(t *testing.T) { gasSafetyDepth(t, &tab) })
	t.Run("inbox", func(t *testing.T) { gasInbox(t, &tab) })
	t.Run("urc", func(t *testing.T) { gasURC(t, &tab) })
	if t.Failed() {
		return
	}
	md := tab.markdown()
	if testing.Verbose() {
		fmt.Print("\n" + md + "\n")
	}
	if path := os.Getenv(gasTableEnv); path != "" {
		if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
			t.Fatalf("write gas table: %v", err)
		}
	}
}

// gasRegistry measures registration with 1, 4 and 16 keys per call and the
// operator's other writes.
func gasRegistry(t *testing.T, tab *gasTable) {
	c := chaintest.New(t, 4)
	k := c.Deploy(chaintest.DefaultParams())
	var one uint64
	for i, n := range []int{1, 4, 16} {
		owner := 1 + i
		msg, err := k.Registry.PopMessage(&bind.CallOpts{}, c.Addr(owner))
		if err != nil {
			t.Fatal(err)
		}
		pubkeys, sigs := make([][]byte, n), make([][]byte, n)
		for j := range pubkeys {
			if pubkeys[j], sigs[j], err = chaintest.ProofOfPossession(msg); err != nil {
				t.Fatal(err)
			}
		}
		opts := c.Opts(owner)
		opts.Value = k.Params.MinCollateral
		r := c.Mine(k.Registry.Register(opts, pubkeys, sigs, c.Addr(0)))
		per := r.GasUsed / uint64(n)
		note := "fixed part: tx, operator record, hash-to-G2 of the PoP message"
		if n == 1 {
			one = r.GasUsed
		} else {
			marginal := (r.GasUsed - one) / uint64(n-1)
			note = fmt.Sprintf("%s gas per key beyond the first (pairing check, key index)", thousands(marginal))
			if marginal > targetGasPerKey {
				t.Errorf("register %d keys: %d gas per extra key, target %d", n, marginal, targetGasPerKey)
			}
		}
		if n >= 4 && per > targetGasPerKey {
			t.Errorf("register %d keys: %d gas per key, target %d", n, per, targetGasPerKey)
		}
		tab.add("register", fmt.Sprintf("%d key(s) per call", n), r.GasUsed, thousands(per)+" / key", note)
	}
	op := 1
	r := c.Mine(k.Registry.SetCommitter(c.Opts(op), c.Addr(2)))
	tab.add("setCommitter", "rotation", r.GasUsed, "", "appends a committer checkpoint")
	o := c.Opts(op)
	o.Value = k.Params.MinCollateral
	r = c.Mine(k.Registry.Deposit(o))
	tab.add("deposit", "top-up", r.GasUsed, "", "")
	r = c.Mine(k.Registry.RevokeCommitter(c.Opts(op), c.Addr(0)))
	tab.add("revokeCommitter", "", r.GasUsed, "", "voids the key for every slot at once")
	r = c.Mine(k.Registry.Unregister(c.Opts(op)))
	tab.add("unregister", "", r.GasUsed, "", "")
	// withdraw opens unregistrationDelay slots after the exit slot, itself rotationDelay ahead.
	c.SkipSlots(k.Params.RotationDelay + k.Params.UnregistrationDelay)
	r = c.Mine(k.Registry.Withdraw(c.Opts(op)))
	tab.add("withdraw", "after the delay", r.GasUsed, "", "pays the collateral out")
}

// ledgerLeafCounts are the ledger sizes openLedger is measured at.
var ledgerLeafCounts = []int{1, 16, 256}

// gasLedgers measures openLedger with 1, 16 and 256 leaves (random digests,
// as commitment digests are), release of an expired ledger, and commitClaim.
func gasLedgers(t *testing.T, tab *gasTable) {
	e := newSlEnv(t)
	var one uint64
	start := e.c.Slot() + 1
	for i, n := range ledgerLeafCounts {
		leaves := make([]protocol.LedgerLeaf, n)
		for j := range leaves {
			leaves[j] = protocol.LedgerLeaf{Digest: crypto.Keccak256Hash([]byte(fmt.Sprintf("leaf %d of %d", j, n))), Amount: big.NewInt(params.GWei)}
		}
		lg, err := protocol.NewLedger(leaves)
		if err != nil {
			t.Fatal(err)
		}
		slot := start + uint64(i)
		e.advanceTo(slot)
		o := e.c.OptsFor(e.op.Committer)
		o.GasLimit = chaintest.OpenLedgerGas(n)
		r := e.c.Mine(e.k.Registry.OpenLedger(o, e.op.Addr, slot, e.op.Poster, lg.Pack()))
		note := "fixed part: tx, ledger record, reservation"
		if n == 1 {
			one = r.GasUsed
		} else {
			note = fmt.Sprintf("%s gas per leaf beyond the first (calldata, leaf hash, tree, event data)", thousands((r.GasUsed-one)/uint64(n-1)))
		}
		what := fmt.Sprintf("%d leaves", n)
		if n == 1 {
			what = "1 leaf"
		}
		tab.add("openLedger", what, r.GasUsed, thousands(r.GasUsed/uint64(n))+" / leaf", note)
	}
	e.advanceTo(start + e.k.Params.SlashWindow + 1)
	r := e.c.Mine(e.k.Registry.Release(e.c.Opts(slWatcher), e.op.Addr, []uint64{start}))
	tab.add("release", "one expired ledger", r.GasUsed, "", "gives its reservation back to the free collateral")
	r = e.c.CommitClaim(e.k, slWatcher, crypto.Keccak256Hash([]byte("a claim")))
	tab.add("commitClaim", "", r.GasUsed, "", "a block before each slash: names the beneficiary")
}

// warmUp slashes once on a fresh deployment, unmeasured: the first slash ever
// also creates the Registry's burned counter (a fresh storage slot, ~17k gas
// more), which every later slash only updates.
func warmUp(t *testing.T, e *slEnv) {
	t.Helper()
	if _, err := gasSafetySlash(e); err != nil {
		t.Fatalf("warm-up slash: %v", err)
	}
}

// gasFaults measures one slash of each fault on the small simulated chain,
// each promise in its slot's ledger (backed).
func gasFaults(t *testing.T, tab *gasTable) {
	e := newSlEnv(t)
	ctx := context.Background()
	warmUp(t, e)

	// Safety: a shallow state (a handful of accounts).
	s, err := gasSafetySlash(e)
	if err != nil {
		t.Fatal(err)
	}
	tab.add("slashSafety", fmt.Sprintf("account proofs of %d + %d nodes (simulated chain)", s.parentNodes, s.blockNodes), s.gas, "",
		fmt.Sprintf("measured; backed by a 1-leaf ledger; %s calldata bytes of proofs", thousands(uint64(s.proofBytes))))
	if s.gas > targetSafetyGas {
		t.Errorf("slashSafety: %d gas, target %d", s.gas, targetSafetyGas)
	}
	// Backed by a 256-leaf ledger: an 8-hash Merkle proof.
	wide, err := gasSafetySlashIn(e, 255)
	if err != nil {
		t.Fatal(err)
	}
	tab.add("slashSafety", fmt.Sprintf("backed by a 256-leaf ledger (8-hash proof), proofs of %d + %d nodes", wide.parentNodes, wide.blockNodes), wide.gas, "",
		"measured; the leaf's proof adds calldata and 8 hashes")

	// Liveness: slot s has no block.
	user := e.user(nil)
	slot := e.c.Slot() + 2
	sp := e.promise(slot, slAmount, incOf(e.l1Tx(user, 0, highFee)))
	e.advanceTo(slot - 1)
	e.c.SkipSlots(1)
	e.c.Commit()
	e.ledger(slot, sp)
	lev, err := e.b.Liveness(ctx, sp)
	if err != nil {
		t.Fatal(err)
	}
	r, rev := e.liveness(sp, lev)
	if rev != "" {
		t.Fatalf("slashLiveness: %s", rev)
	}
	tab.add("slashLiveness", "two straddling headers", r.GasUsed, "", "")

	// L2 inclusion against batches of 3 and 128 posted L2 txs.
	for _, n := range []int{3, 128} {
		owner := crypto.PubkeyToAddress(e.user(nil).PublicKey)
		slot := e.c.Slot() + 2
		sp := e.promise(slot, slAmount, l2Inc([]byte(fmt.Sprintf("promised %d", n)), owner, 0))
		e.advanceTo(slot - 1)
		e.postL2(randomTxs(t, n, 120)...)
		if e.c.Slot() != slot {
			t.Fatalf("post landed in slot %d, want %d", e.c.Slot(), slot)
		}
		e.c.Commit()
		e.ledger(slot, sp)
		ev, err := e.b.L2Inclusion(ctx, sp, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, rev := e.l2(sp, ev)
		if rev != "" {
			t.Fatalf("slashL2Inclusion (%d txs): %s", n, rev)
		}
		tab.add("slashL2Inclusion", fmt.Sprintf("%d L2 txs posted in the slot", n), r.GasUsed,
			thousands(r.GasUsed/uint64(n))+" / posted tx", "calldata and hashing linear in the batch")
	}

	// Equivocation: one nonce sold twice.
	eq := e.user(nil)
	slot = e.c.Slot() + 5
	a := e.promise(slot, slAmount, incOf(e.l1Tx(eq, 3, highFee)))
	b := e.promise(slot+1, slAmount, incOf(e.l1Tx(eq, 3, new(big.Int).Mul(highFee, big.NewInt(2)))))
	e.ledger(slot, a)
	eev, err := e.b.Equivocation(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	r, rev = e.equivocation(eev)
	if rev != "" {
		t.Fatalf("slashEquivocation: %s", rev)
	}
	tab.add("slashEquivocation", "two one-tx promises", r.GasUsed, "", "A backed, paid its own amount and settled; B only checked")
}

// safetySample is one measured safety slash.
type safetySample struct {
	parentNodes, blockNodes, proofBytes int
	gas                                 uint64
	accounts                            int // genesis accounts of the chain it ran on
	calldata, zeroBytes                 int // of the whole slashing transaction
}

// floor is the EIP-7623 (Prague) calldata floor of the sample's transaction:
// 21,000 + 10 per zero byte + 40 per non-zero byte.
func (s safetySample) floor() uint64 {
	return uint64(21_000 + 10*s.zeroBytes + 40*(s.calldata-s.zeroBytes))
}

func (s safetySample) nodes() int { return s.parentNodes + s.blockNodes }

// gasSafetySlash has the operator break a one-tx L1 promise to a fresh user,
// alone in its slot's ledger, and slashes it.
func gasSafetySlash(e *slEnv) (safetySample, error) {
	return gasSafetySlashIn(e, 0)
}

// gasSafetySlashIn is gasSafetySlash with the promise in a ledger of 1 + others
// leaves (its Merkle proof grows with the log of the count).
func gasSafetySlashIn(e *slEnv, others int) (safetySample, error) {
	user := e.user(big.NewInt(1e18))
	tx := e.l1Tx(user, 0, highFee)
	slot := e.c.Slot() + 2
	sp := e.promise(slot, slAmount, incOf(tx))
	listed := []slashing.SignedPromise{sp}
	for i := range others {
		listed = append(listed, e.promise(slot, big.NewInt(params.GWei), l2Inc([]byte(fmt.Sprintf("listed %d", i)), crypto.PubkeyToAddress(user.PublicKey), uint64(i))))
	}
	e.advanceTo(slot + 1)
	e.ledger(slot, listed...)
	ev, err := e.b.Safety(context.Background(), sp, 0, nil)
	if err != nil {
		return safetySample{}, fmt.Errorf("build safety evidence: %w", err)
	}
	r, rev := e.safety(sp, ev)
	if rev != "" {
		return safetySample{}, fmt.Errorf("slashSafety reverted: %s", rev)
	}
	s := safetySample{parentNodes: len(ev.ParentProof), blockNodes: len(ev.BlockProof), gas: r.GasUsed}
	for _, n := range append(append(ev.ParentProof[:0:0], ev.ParentProof...), ev.BlockProof...) {
		s.proofBytes += len(n)
	}
	tx, _, txErr := e.c.Client.TransactionByHash(context.Background(), r.TxHash)
	if txErr != nil {
		return safetySample{}, txErr
	}
	s.calldata = len(tx.Data())
	for _, b := range tx.Data() {
		if b == 0 {
			s.zeroBytes++
		}
	}
	return s, nil
}

// newGasSlEnv is newSlEnv on a chain whose genesis holds extra funded
// accounts, so account proofs are deeper.
func newGasSlEnv(t *testing.T, extra int) *slEnv {
	t.Helper()
	return newSlEnvOn(t, chaintest.New(t, slKeys+extra))
}

// gasSafetyDepth measures safety slashes on states of growing size, fits gas
// against the number of proof nodes, and extrapolates to mainnet's depth.
func gasSafetyDepth(t *testing.T, tab *gasTable) {
	var samples []safetySample
	for _, extra := range []int{0, 3000, 40000} {
		e := newGasSlEnv(t, extra)
		warmUp(t, e)
		for range 5 { // depths vary with the fresh keys: several samples per state
			s, err := gasSafetySlash(e)
			if err != nil {
				t.Fatalf("%d extra accounts: %v", extra, err)
			}
			s.accounts = slKeys + extra
			t.Logf("%6d extra accounts: proofs %d + %d nodes (%d bytes): %d gas", extra, s.parentNodes, s.blockNodes, s.proofBytes, s.gas)
			samples = append(samples, s)
		}
	}
	fit, err := fitGas(samples)
	if err != nil {
		t.Fatal(err)
	}
	if fit.perNode <= 0 || fit.perByte <= 0 {
		t.Fatalf("gas does not grow with proof size (%.0f per node, %.1f per byte): the depth measurement is broken", fit.perNode, fit.perByte)
	}
	deepest := samples[0]
	for _, s := range samples {
		if s.nodes() > deepest.nodes() {
			deepest = s
		}
	}
	tab.add("slashSafety", fmt.Sprintf("account proofs of %d + %d nodes (%d-account state)", deepest.parentNodes, deepest.blockNodes, deepest.accounts),
		deepest.gas, "", fmt.Sprintf("measured; %s calldata bytes of proofs; the transaction's %s calldata bytes (%s zero) set an EIP-7623 floor of %s",
			thousands(uint64(deepest.proofBytes)), thousands(uint64(deepest.calldata)), thousands(uint64(deepest.zeroBytes)), thousands(deepest.floor())))
	full := fit.perNode + fit.perByte*fullBranchBytes
	tab.add("slashSafety", "each extra account-proof node (full branch, 532 bytes)", uint64(full+0.5), "",
		fmt.Sprintf("measured: least-squares fit over %d slashes at depths 2–%d gives %s gas per node + %.1f gas per proof byte (worst residual %s)",
			len(samples), maxDepth(samples), thousands(uint64(fit.perNode+0.5)), fit.perByte, thousands(uint64(fit.worst+0.5))))
	for _, n := range mainnetProofNodes {
		g := uint64(fit.at(2*n, 2*mainnetProofBytes(n)) + 0.5)
		tab.add("slashSafety", fmt.Sprintf("**extrapolated** to mainnet, proofs of %d + %d nodes", n, n), g, "",
			fmt.Sprintf("extrapolation, not measured: the fit at %s proof bytes (%d full branch nodes per proof)", thousands(uint64(2*mainnetProofBytes(n))), n-2))
		if g > targetSafetyGas {
			t.Logf("mainnet-depth extrapolation (%d nodes per proof): %d gas, above the %d target", n, g, targetSafetyGas)
		}
	}
}

// fullBranchBytes is the RLP size of a branch node with 16 children.
const fullBranchBytes = 532

// mainnetProofBytes models a mainnet account proof of n nodes: n-2 full branch
// nodes (16 hashes, 532 bytes), one sparse branch near the bottom (~100 bytes)
// and the leaf (~110 bytes).
func mainnetProofBytes(n int) int {
	return (n-2)*532 + 100 + 110
}

func maxDepth(samples []safetySample) int {
	m := 0
	for _, s := range samples {
		m = max(m, s.parentNodes, s.blockNodes)
	}
	return m
}

// gasFit is gas = base + perNode·nodes + perByte·bytes: every proof node
// costs its decoding and hash check, every byte its calldata and copying.
type gasFit struct {
	base, perNode, perByte float64
	worst                  float64 // largest |residual| over the samples
}

func (f gasFit) at(nodes, bytes int) float64 {
	return f.base + f.perNode*float64(nodes) + f.perByte*float64(bytes)
}

// fitGas fits gasFit to the samples by least squares (normal equations,
// Cramer's rule: three unknowns).
func fitGas(samples []safetySample) (gasFit, error) {
	var m [3][3]float64
	var v [3]float64
	for _, s := range samples {
		x := [3]float64{1, float64(s.nodes()), float64(s.proofBytes)}
		for i := range 3 {
			for j := range 3 {
				m[i][j] += x[i] * x[j]
			}
			v[i] += x[i] * float64(s.gas)
		}
	}
	det := func(a [3][3]float64) float64 {
		return a[0][0]*(a[1][1]*a[2][2]-a[1][2]*a[2][1]) - a[0][1]*(a[1][0]*a[2][2]-a[1][2]*a[2][0]) + a[0][2]*(a[1][0]*a[2][1]-a[1][1]*a[2][0])
	}
	d := det(m)
	if d == 0 {
		return gasFit{}, fmt.Errorf("%d safety slashes do not vary enough in proof depth and size to fit", len(samples))
	}
	var c [3]float64
	for k := range 3 {
		mk := m
		for i := range 3 {
			mk[i][k] = v[i]
		}
		c[k] = det(mk) / d
	}
	f := gasFit{base: c[0], perNode: c[1], perByte: c[2]}
	for _, s := range samples {
		r := f.at(s.nodes(), s.proofBytes) - float64(s.gas)
		f.worst = max(f.worst, r, -r)
	}
	return f, nil
}

// gasInbox measures posts of 1, 16 and 128 L2 txs for 1 and 3 rollups. The
// L2 txs are 120 random bytes, about a signed transfer.
func gasInbox(t *testing.T, tab *gasTable) {
	c := chaintest.New(t, 1)
	k := c.Deploy(chaintest.DefaultParams())
	for _, rollups := range []int{1, 3} {
		for _, n := range []int{1, 16, 128} {
			var batches []batch
			for r := range rollups {
				batches = append(batches, batch{uint64(1000 + r), randomTxs(t, n, 120)})
			}
			// Each post lands in a fresh slot: first writes of each record, the
			// common case. The gas limit is fixed because the simulated backend
			// estimates against a pending block in the previous post's slot,
			// where the record already exists and the writes are cheaper.
			o := c.Opts(0)
			o.GasLimit = 10_000_000
			r := c.Mine(k.Inbox.Post(o, encodePost(batches...)))
			total := uint64(rollups * n)
			tab.add("Inbox.post", fmt.Sprintf("%d rollup(s) × %d L2 txs", rollups, n), r.GasUsed,
				thousands(r.GasUsed/total)+" / L2 tx", "120-byte L2 txs")
		}
	}
}
