package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/chaintest"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing"
)

// econSeed replays one seed of TestEconomicProperties (go test ./contracts
// -run TestEconomicProperties -seed N); 0 runs the fixed list.
var econSeed = flag.Uint64("seed", 0, "TestEconomicProperties: run only this seed (0: the fixed seeds)")

// econSeeds are the seeds TestEconomicProperties runs by default.
var econSeeds = []uint64{1, 2, 3}

// Key indices of the economy's chain. 1..3 are slEnv's operator, watcher and
// funder; op 0 is slEnv's operator.
const (
	ecOpKeys   = 4 // owners of ops 1..3: keys 4, 5, 6
	ecWatcher2 = 7
	ecCopier   = 8 // copies watchers' calls; also the attacker of honest operators
	ecFlooder  = 9
	ecKeys     = 10
)

// ecFault names the Slasher's fault enum for messages and coverage.
var ecFaultName = map[slashing.Fault]string{
	slashing.FaultSafety: "safety", slashing.FaultLiveness: "liveness",
	slashing.FaultL2Inclusion: "l2", slashing.FaultEquivocation: "equivocation",
}

// ecRevertNames maps each Judge sentinel to the Slasher reverts it stands for.
// Most are 1:1; ErrNotIncludable, ErrNotAnchored, ErrBadProof and
// ErrInvalidPromise each cover a family of checks the Judge does not tell
// apart. More specific sentinels come first (ErrMalformedSignature wraps
// ErrWrongSigner, ErrBadPrior wraps ErrNotIncludable).
var ecRevertNames = []struct {
	sentinel error
	names    []string
}{
	{slashing.ErrSettled, []string{"AlreadySettled"}},
	{slashing.ErrExpired, []string{"EvidenceExpired"}},
	{slashing.ErrLedgerPending, []string{"NotInLedger"}},
	{slashing.ErrNotInLedger, []string{"NotInLedger"}},
	{slashing.ErrMalformedSignature, []string{"MalformedSignature"}},
	{slashing.ErrWrongSigner, []string{"WrongSigner"}}, // also ErrNotLedgerCommitter, ErrNoCommitter
	{slashing.ErrPromiseKept, []string{"PromiseKept"}},
	{slashing.ErrBadPrior, []string{"BadPrior"}},
	{slashing.ErrNotIncludable, []string{"SenderHasCode", "NonceAlreadyUsed", "NonceGap", "InsufficientBalance", "FeeBelowBaseFee", "BlobFeeBelowBlobBaseFee", "GasAboveBlockLimit"}},
	{slashing.ErrNotAnchored, []string{"HeaderNotAnchored", "NotSlotBlock", "NotParent", "HeaderTooShort", "RLPMalformed"}},
	{slashing.ErrSlotHasBlock, []string{"SlotNotMissed"}},
	{slashing.ErrBatchMismatch, []string{"BatchMismatch"}},
	{slashing.ErrNotEquivocation, []string{"NotEquivocation", "DifferentOperators"}},
	{slashing.ErrInvalidPromise, []string{"InvalidPromise", "InclusionIndex", "NotL1Inclusion", "NotL2Inclusion"}},
	{slashing.ErrBadProof, []string{"ProofNodeMismatch", "ProofLength", "BadNode", "InlineNode", "BadAccount", "RLPMalformed"}},
	{slashing.ErrClaimNotCommitted, []string{"ClaimNotCommitted"}},
	{slashing.ErrZeroBeneficiary, []string{"ZeroBeneficiary"}},
}

// ecRevertsFor returns the Slasher reverts a Judge error stands for (nil: none).
func ecRevertsFor(err error) []string {
	for _, m := range ecRevertNames {
		if errors.Is(err, m.sentinel) {
			return m.names
		}
	}
	return nil
}

// ecState is an operator's Registry state as the model tracks it.
type ecState uint8

const (
	ecRegistered ecState = iota + 1
	ecExiting
	ecWithdrawn
)

// ecCheckpoint is one committer binding: addr signs for slots >= from.
type ecCheckpoint struct {
	from uint64
	addr common.Address
}

// ecOp is an operator and the model's record of it.
type ecOp struct {
	n      int
	idx    int // owner key index
	addr   common.Address
	honest bool
	poster *ecdsa.PrivateKey // posts its L2 batches; named as poster by its ledgers
	keys   map[common.Address]*ecdsa.PrivateKey
	order  []common.Address // committer keys in the order it got them
	cps    []ecCheckpoint
	revkd  map[common.Address]bool
	state  ecState
	exit   uint64
	coll   *big.Int // collateral, as the model computes it
	resv   *big.Int // reserved
	fakes  []*ecdsa.PrivateKey
	claim  slashing.Claim          // its claims when it slashes itself
	accts  map[common.Address]bool // every account it owns
	list   []common.Address        // accts, in a fixed order
	w0     *big.Int                // wealth at the start
	net    *big.Int                // Σ over slashes against it of (taken − paid back to its own accounts)
	burnt  *big.Int                // Σ burnt by the slashes it submitted itself
	last   *big.Int                // collateral after the previous step
	owned  []*ecPromise            // fakes and 1-wei equivocations it may slash itself
}

func (o *ecOp) String() string {
	h := "dishonest"
	if o.honest {
		h = "honest"
	}
	return fmt.Sprintf("op%d(%s %s)", o.n, h, o.addr.Hex()[:10])
}

// committerAt is Registry.committerAt by the model.
func (o *ecOp) committerAt(slot uint64) common.Address {
	if o.state != ecRegistered && slot >= o.exit {
		return common.Address{}
	}
	var c common.Address
	for _, cp := range o.cps {
		if cp.from <= slot {
			c = cp.addr
		}
	}
	if o.revkd[c] {
		return common.Address{}
	}
	return c
}

func (o *ecOp) own(a common.Address) {
	if !o.accts[a] {
		o.accts[a] = true
		o.list = append(o.list, a)
	}
}

// ecKind is who holds a promise.
type ecKind uint8

const (
	ecVictim ecKind = iota + 1 // sold to a user, who holds it (public)
	ecFake                     // names the operator's own account: a fake leaf or a back-dated promise
	ecEquivA                   // the operator's 1-wei promise on a victim's (sender, nonce)
	ecForged                   // an attacker's, against an honest operator
)

// ecPromise is one signed promise and what became of it.
type ecPromise struct {
	id        int
	sp        slashing.SignedPromise
	op        *ecOp
	digest    common.Hash
	signer    common.Address
	slot      uint64
	kind      ecKind
	l2        bool
	raw       []byte
	tx        *types.Transaction
	user      common.Address // the inclusion's sender: who a slash pays
	delivered bool
	public    bool // known to the watchers
	final     bool // judged not slashable past its ledger grace: stays so
	victimOf  *ecPromise
	settled   *ecSlash
	fate      ecFate // of an L1 promise in a slot with a block, read once
}

// ecFate is what the chain says of an L1 promise's slot, read (without
// proofs) while the state is still available: the node keeps only recent states.
type ecFate uint8

const (
	ecFateUnread ecFate = iota
	ecFateExecuted
	ecFateUnincludable
	ecFateBroken // not executed, includable at the parent state
)

func (p *ecPromise) String() string {
	k := map[ecKind]string{ecVictim: "victim", ecFake: "fake", ecEquivA: "equivA", ecForged: "forged"}[p.kind]
	t := "L1"
	if p.l2 {
		t = "L2"
	}
	return fmt.Sprintf("promise #%d (%s %s of %s, slot %d, amount %s, delivered %v)", p.id, k, t, p.op, p.slot, p.sp.Promise.SlashAmount, p.delivered)
}

// ecPair is one orientation of two public promises that sold one nonce twice.
type ecPair struct {
	a, b  *ecPromise
	born  uint64 // head slot when both were public
	final bool
}

// ecSlash is a successful slash.
type ecSlash struct {
	fault    slashing.Fault
	user     common.Address
	taken    *big.Int
	userPaid *big.Int
}

type ecLedgerKey struct {
	who  common.Address
	slot uint64
}

// ecLedger is a ledger the model saw opened.
type ecLedger struct {
	committer common.Address
	poster    common.Address
	leaves    map[common.Hash]*big.Int
	left      *big.Int
	released  bool
}

type ecUser struct {
	key     *ecdsa.PrivateKey
	addr    common.Address
	l2Nonce uint64
}

// ecActor is a watcher or the copier: its key index and its claim's beneficiary.
type ecActor struct {
	idx int
	ben common.Address
	r   *rand.Rand
}

// claim returns the actor's claim with a salt of its own.
func (a *ecActor) claim() slashing.Claim {
	var s common.Hash
	binary.BigEndian.PutUint64(s[:], a.r.Uint64())
	binary.BigEndian.PutUint64(s[8:], a.r.Uint64())
	return slashing.Claim{Beneficiary: a.ben, Salt: s}
}

// ecCase is one slashing call.
type ecCase struct {
	fault  slashing.Fault
	p      *ecPromise // the promise slashed (A of an equivocation)
	b      *ecPromise // B of an equivocation
	safety *slashing.SafetyEvidence
	live   *slashing.LivenessEvidence
	l2     *slashing.L2Evidence
	equiv  *slashing.EquivocationEvidence
}

func (c *ecCase) String() string {
	s := fmt.Sprintf("%s slash of %s", ecFaultName[c.fault], c.p)
	if c.b != nil {
		s += fmt.Sprintf(" against %s", c.b)
	}
	return s
}

// ecOpening is one openLedger call.
type ecOpening struct {
	o     *ecOp
	key   *ecdsa.PrivateKey
	slot  uint64
	ps    []*ecPromise
	alter map[*ecPromise]*big.Int // leaves listed with another amount than the promise's
	late  bool                    // a pending opening meant to miss the grace
	want  string
	tx    *types.Transaction
	lg    *protocol.Ledger
}

// econ is one run of the economy.
type econ struct {
	t        *testing.T
	seed     uint64
	e        *slEnv
	c        *chaintest.Chain
	r        *rand.Rand
	ctx      context.Context
	prm      chaintest.Params
	ops      []*ecOp
	users    []*ecUser
	watchers []*ecActor
	copier   *ecActor
	thief    *ecdsa.PrivateKey
	ps       []*ecPromise
	pairs    []*ecPair
	ledgers  map[ecLedgerKey]*ecLedger
	posted   map[ecLedgerKey][]common.Hash // (poster, slot): L2 tx hashes it posted
	blocks   map[uint64]*types.Header      // slot: the block of a slot promises were sold for
	skipped  map[uint64]bool
	pending  []*ecOpening
	burned   *big.Int
	payees   map[common.Address]bool
	cov      map[string]int
	step     int
	steps    int
	what     string
	nextID   int
	first    uint64 // first slot of the run
	regABI   *abi.ABI
	inboxABI *abi.ABI
}

// TestEconomicProperties runs a randomized economy on the simulated chain with
// the real contracts: 2–4 operators, each honest or dishonest, users, two
// watchers, a copier and a flooder, ~40–80 random steps per seed. Steps:
// selling promises for the next slot (honest operators deliver every promised
// L1 tx and L2 tx in that slot and open the slot's ledger with every promise
// they sold; dishonest ones drop txs, leave victims out of the ledger or list
// them with another amount, add fake leaves naming their own accounts and
// 1-wei promises on a victim's nonce, sign with a stale key, open late or
// never, flood their own Inbox record, miss the slot), back-dating fakes to
// past slots, self-slashing (own claims), committer rotation and revocation,
// unregistering and early withdrawal, deposits, releases, inbox floods (the
// cap gives SlotFull), attacks on honest promises, and watchers judging every
// promise they know with the Judge (Assess, Equivocation) and submitting
// when it says slashable, with a copier re-submitting their calls.
//
// After every step and every slashing call it checks:
//
//  1. an honest operator's collateral never decreases and no slash against
//     its promises succeeds (honest operators here never miss a slot);
//  2. every successful slash takes judge.Taken of judge.Amount and pays
//     judge.Split of it (events and balances), and a backed promise's user
//     gets exactly ⌊⌊λ·a⌋·u⌋ (rule 1: the ledger still holds the full amount);
//  3. a slash an operator submits itself moves its wealth W (below) by
//     −taken + what its accounts got − gas, hence by at most −⌊β·taken⌋;
//  4. for every operator, with W = collateral + Σ (balance + Registry.owed)
//     over every account it owns (owner, committer keys, poster, fake
//     accounts, its claim beneficiary), after every step
//     W ≤ W₀ − Σ_{slashes s against it} (taken_s − paid_s to its accounts),
//     and at the end, when every backed victim of a broken promise (by the
//     model's own oracle: a missed slot, an L1 tx includable at the parent
//     state but not executed, an L2 tx its poster did not post, or a nonce it
//     sold twice with a valid second signature) has been judged within the
//     window: each such victim was paid exactly ⌊⌊λ·a⌋·u⌋ and
//     W_end ≤ W₀ − Σ_{those victims} ⌊⌊λ·a⌋·u⌋ − Σ_{its self-slashes} ⌊β·taken⌋;
//  5. the Judge agrees with the contract on every call sent: nil ⇔ the call
//     succeeds, an error ⇔ a revert whose name is the sentinel's (ecRevertNames).
//
// It also keeps its own model of collateral, reservations, ledgers and
// committer bindings and checks the Registry against it after every step, and
// that the Registry holds exactly every operator's collateral plus what was
// burnt and what is owed. A run ends with every ledger grace over, final
// sweeps, the victim check, then every dishonest operator exiting (early
// withdrawals refused) and withdrawing, and the bound of property 4 again.
//
// The sub-test release_after_withdraw holds a Registry bug this test found;
// it is skipped, with the bug named, until the contract is fixed.
func TestEconomicProperties(t *testing.T) {
	seeds := econSeeds
	if *econSeed != 0 {
		seeds = []uint64{*econSeed}
	}
	var mu sync.Mutex
	total := map[string]int{}
	t.Run("release after withdraw", testReleaseAfterWithdraw)
	t.Run("seeds", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				t.Logf("seed %d (replay with -seed %d)", seed, seed)
				cov := runEconomy(t, seed)
				mu.Lock()
				defer mu.Unlock()
				for k, v := range cov {
					total[k] += v
				}
			})
		}
	})
	if t.Failed() || *econSeed != 0 {
		return
	}
	keys := make([]string, 0, len(total))
	for k := range total {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d ", k, total[k])
	}
	t.Logf("coverage over seeds %v: %s", seeds, b.String())
	// The fixed seeds must reach every kind of event the properties speak of.
	for _, k := range []string{
		"slash:safety", "slash:l2", "slash:liveness", "slash:equivocation",
		"self-slash", "self-slash:equivA", "victim paid",
		"revert:PromiseKept", "revert:NotInLedger", "revert:WrongSigner", "revert:AlreadySettled",
		"revert:ClaimNotCommitted", "revert:SlotNotMissed", "copier pays the watcher",
		"inbox:SlotFull", "open:LedgerTooLate", "open:NotCommitter", "open:LedgerExists",
		"withdraw:DelayNotOver", "withdraw:ok", "rotate:ok", "revoke:ok", "own flood", "open:NotEnoughFreeCollateral",
	} {
		if total[k] == 0 {
			t.Errorf("the fixed seeds never reached %q", k)
		}
	}
}

// testReleaseAfterWithdraw: once an operator has withdrawn (every window
// closed, all of its collateral paid out, reservations included), releasing
// one of its ledgers has nothing to give back: the call must be a no-op or a
// named refusal. Found by seed 3 of the economy: Registry.withdraw zeroes
// op.reserved but leaves each ledger's `left`, so release's
// `op.reserved -= left` underflowed and reverted with Panic(0x11); release now
// leaves a withdrawn operator's reservation alone.
func testReleaseAfterWithdraw(t *testing.T) {
	t.Parallel()
	e := newSlEnv(t)
	s := e.c.Slot() + 2
	sp := e.promise(s, slAmount, incOf(e.l1Tx(e.user(big.NewInt(1e18)), 0, highFee)))
	e.ledger(s, sp)
	e.c.Mine(e.k.Registry.Unregister(e.c.Opts(slOperator)))
	st, err := e.k.Registry.Status(&bind.CallOpts{}, e.op.Addr)
	if err != nil {
		t.Fatal(err)
	}
	e.advanceTo(st.ExitSlot + e.k.Params.UnregistrationDelay)
	before := e.balance(e.op.Addr)
	r := e.c.Mine(e.k.Registry.Withdraw(e.c.Opts(slOperator)))
	gas := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	if got := new(big.Int).Sub(e.balance(e.op.Addr), before); got.Cmp(new(big.Int).Sub(slCollateral, gas)) != 0 {
		t.Fatalf("withdraw paid %s (after gas), want all of the collateral %s, the unreleased reservation included", got, slCollateral)
	}
	if l := e.c.LedgerOf(e.k, e.op, s); l.Released || l.Left.Cmp(slAmount) != 0 {
		t.Fatalf("ledger of slot %d after withdraw: released %v, left %s", s, l.Released, l.Left)
	}
	// Releasing it is a no-op now: the ledger is marked released, nothing moves.
	e.c.Mine(e.k.Registry.Release(e.c.Opts(slWatcher), e.op.Addr, []uint64{s}))
	if l := e.c.LedgerOf(e.k, e.op, s); !l.Released || l.Left.Sign() != 0 {
		t.Fatalf("ledger of slot %d after release: released %v, left %s", s, l.Released, l.Left)
	}
}

// runEconomy runs one seed and returns its coverage counters.
func runEconomy(t *testing.T, seed uint64) map[string]int {
	x := newEcon(t, seed)
	x.steps = 40 + x.r.IntN(41)
	x.check()
	for x.step = 1; x.step <= x.steps; x.step++ {
		x.openPending()
		x.randomStep()
		if x.sweepDue() {
			x.what += " + forced sweep"
			x.sweep(x.watchers[x.r.IntN(2)])
		}
		x.check()
	}
	x.finish()
	return x.cov
}

func newEcon(t *testing.T, seed uint64) *econ {
	c := chaintest.New(t, ecKeys)
	e := newSlEnvOn(t, c)
	regABI, err := bindings.RegistryMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	inboxABI, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	x := &econ{
		t: t, seed: seed, e: e, c: c, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), ctx: context.Background(),
		prm: e.k.Params, ledgers: map[ecLedgerKey]*ecLedger{}, posted: map[ecLedgerKey][]common.Hash{},
		blocks: map[uint64]*types.Header{}, skipped: map[uint64]bool{}, burned: new(big.Int),
		payees: map[common.Address]bool{}, cov: map[string]int{}, regABI: regABI, inboxABI: inboxABI,
	}
	x.what = "setup"
	ar := rand.New(rand.NewPCG(seed, 7))
	for _, idx := range []int{slWatcher, ecWatcher2} {
		x.watchers = append(x.watchers, &ecActor{idx: idx, ben: crypto.PubkeyToAddress(x.key().PublicKey), r: ar})
	}
	x.copier = &ecActor{idx: ecCopier, ben: crypto.PubkeyToAddress(x.key().PublicKey), r: ar}

	// Operators: 2–4, each honest or dishonest, at least one of each.
	n := 2 + x.r.IntN(3)
	honest := make([]bool, n)
	for i := range honest {
		honest[i] = x.r.IntN(2) == 0
	}
	if all(honest, true) || all(honest, false) {
		honest[n-1] = !honest[0]
	}
	eth := func(v int64) *big.Int { return new(big.Int).Mul(big.NewInt(v), big.NewInt(params.Ether)) }
	for i := 0; i < n; i++ {
		var op *chaintest.Operator
		idx := slOperator
		if i == 0 {
			op = e.op // registered by newSlEnvOn with slCollateral
		} else {
			idx = ecOpKeys + i - 1
			coll := eth(100)
			if !honest[i] {
				coll = eth(3 + int64(x.r.IntN(10))) // small: its ledgers can run out of free collateral
			}
			op = c.RegisterOperator(e.k, idx, coll)
		}
		st, err := e.k.Registry.Status(&bind.CallOpts{}, op.Addr)
		if err != nil {
			t.Fatal(err)
		}
		o := &ecOp{
			n: i, idx: idx, addr: op.Addr, honest: honest[i], poster: op.Committer,
			keys: map[common.Address]*ecdsa.PrivateKey{}, revkd: map[common.Address]bool{},
			state: ecRegistered, coll: new(big.Int).Set(st.Collateral), resv: new(big.Int),
			accts: map[common.Address]bool{}, net: new(big.Int), burnt: new(big.Int),
		}
		ca := crypto.PubkeyToAddress(op.Committer.PublicKey)
		o.keys[ca] = op.Committer
		o.order = append(o.order, ca)
		o.cps = []ecCheckpoint{{from: st.RegisteredSlot, addr: ca}}
		o.own(op.Addr)
		o.own(ca)
		for k := 0; k < 2; k++ {
			fk := x.key()
			o.fakes = append(o.fakes, fk)
			o.own(crypto.PubkeyToAddress(fk.PublicKey))
		}
		ben := x.key()
		o.own(crypto.PubkeyToAddress(ben.PublicKey))
		o.claim = (&ecActor{ben: crypto.PubkeyToAddress(ben.PublicKey), r: ar}).claim()
		x.ops = append(x.ops, o)
		t.Logf("%s: collateral %s", o, o.coll)
	}
	for i := 0; i < 10; i++ {
		k := x.key()
		x.users = append(x.users, &ecUser{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)})
	}
	x.thief = x.key()
	var to []common.Address
	for _, u := range x.users {
		to = append(to, u.addr)
	}
	x.fund(slFunder, eth(5), append(to, crypto.PubkeyToAddress(x.thief.PublicKey))...)
	for _, o := range x.ops {
		var fs []common.Address
		for _, fk := range o.fakes {
			fs = append(fs, crypto.PubkeyToAddress(fk.PublicKey))
		}
		x.fund(o.idx, eth(1), fs...) // from the owner: wealth moves within the operator
	}
	for _, o := range x.ops {
		o.w0 = x.wealth(o, nil)
		o.last = new(big.Int).Set(o.coll)
	}
	x.first = x.head() + 1
	return x
}

func all(bs []bool, v bool) bool {
	for _, b := range bs {
		if b != v {
			return false
		}
	}
	return true
}

// ---- plumbing ----

func (x *econ) fatalf(format string, args ...any) {
	x.t.Helper()
	x.t.Fatalf("seed %d, step %d (%s), chain %s: %s", x.seed, x.step, x.what, x.c, fmt.Sprintf(format, args...))
}

// key derives a secp256k1 key from the seeded generator.
func (x *econ) key() *ecdsa.PrivateKey {
	for {
		var b [32]byte
		for i := 0; i < 4; i++ {
			binary.BigEndian.PutUint64(b[8*i:], x.r.Uint64())
		}
		if k, err := crypto.ToECDSA(b[:]); err == nil {
			return k
		}
	}
}

func (x *econ) head() uint64 { return x.c.Slot() }

func (x *econ) fund(from int, v *big.Int, to ...common.Address) {
	x.t.Helper()
	nonce, err := x.c.Client.PendingNonceAt(x.ctx, x.c.Addr(from))
	if err != nil {
		x.t.Fatal(err)
	}
	for _, a := range to {
		x.c.Send(x.c.Transfer(x.c.Keys[from], nonce, a, v, highFee))
		nonce++
	}
	x.c.Commit()
}

// amount is a slash amount with odd wei, so every share is rounded.
func (x *econ) amount() *big.Int {
	return new(big.Int).SetUint64(1e16 + x.r.Uint64N(99e16))
}

func (x *econ) balanceAt(a common.Address, n *big.Int) *big.Int {
	x.t.Helper()
	b, err := x.c.Client.BalanceAt(x.ctx, a, n)
	if err != nil {
		x.t.Fatal(err)
	}
	return b
}

// wealth is W of the properties: collateral + Σ (balance + owed) over the
// operator's accounts, at block n (nil: the head).
func (x *econ) wealth(o *ecOp, n *big.Int) *big.Int {
	x.t.Helper()
	opts := &bind.CallOpts{BlockNumber: n}
	w, err := x.e.k.Registry.CollateralOf(opts, o.addr)
	if err != nil {
		x.t.Fatal(err)
	}
	w = new(big.Int).Set(w)
	for _, a := range o.list {
		w.Add(w, x.balanceAt(a, n))
		owed, err := x.e.k.Registry.Owed(opts, a)
		if err != nil {
			x.t.Fatal(err)
		}
		w.Add(w, owed)
	}
	return w
}

// ecRevert names the custom error of a refused call by a, or describes err.
func ecRevert(err error, a *abi.ABI) string {
	var de interface{ ErrorData() any }
	if !errors.As(err, &de) {
		return "error: " + err.Error()
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return "error: " + err.Error()
	}
	data, derr := hexutil.Decode(s)
	if derr != nil || len(data) < 4 {
		return "error: " + err.Error()
	}
	if def, err := a.ErrorByID([4]byte(data[:4])); err == nil {
		return def.Name
	}
	if hexutil.Encode(data[:4]) == "0x4e487b71" && len(data) == 36 { // Panic(uint256)
		return fmt.Sprintf("Panic(%#x)", new(big.Int).SetBytes(data[4:]))
	}
	return "unknown " + hexutil.Encode(data[:4])
}

// registryCall sends a Registry call from key index i: on a refused estimate
// it returns the revert's name, else it mines the call and requires success.
func (x *econ) registryCall(i int, send func(*bind.TransactOpts) (*types.Transaction, error)) string {
	x.t.Helper()
	tx, err := send(x.c.Opts(i))
	if err != nil {
		return ecRevert(err, x.regABI)
	}
	x.c.Mine(tx, nil)
	return ""
}

func (x *econ) expectRegistry(what, got, want string) {
	x.t.Helper()
	if got != want {
		x.fatalf("%s: Registry answered %q, the model expects %q", what, orOK(got), orOK(want))
	}
	x.cov[what+":"+orOK(got)]++
}

func orOK(s string) string {
	if s == "" {
		return "ok"
	}
	return s
}

// sign builds and signs a single-inclusion promise of o (not yet tracked).
func (x *econ) sign(o *ecOp, key *ecdsa.PrivateKey, slot uint64, amount *big.Int, inc protocol.Inclusion, kind ecKind) *ecPromise {
	x.t.Helper()
	x.nextID++
	typ := protocol.TypeL1Inclusion
	if inc.ChainID != x.c.ChainID.Uint64() {
		typ = protocol.TypeL2Inclusion
	}
	p := &protocol.Promise{CommitmentType: typ, Operator: o.addr, Slot: slot, Inclusions: []protocol.Inclusion{inc}, SlashAmount: amount,
		RequestHash: crypto.Keccak256Hash([]byte(fmt.Sprintf("econ request %d", x.nextID)))}
	sig, err := protocol.SignPromise(p, x.e.dom, key)
	if err != nil {
		x.t.Fatal(err)
	}
	return &ecPromise{id: x.nextID, sp: slashing.SignedPromise{Promise: p, Signature: sig}, op: o, digest: p.Digest(x.e.dom),
		signer: crypto.PubkeyToAddress(key.PublicKey), slot: slot, kind: kind, l2: typ == protocol.TypeL2Inclusion, user: inc.Sender}
}

// publish makes p known to the watchers, with every nonce it shares with
// another public promise of its operator.
func (x *econ) publish(p *ecPromise) {
	if p.public {
		return
	}
	p.public = true
	a := p.sp.Promise.Inclusions[0]
	for _, q := range x.ps {
		if q == p || !q.public || q.op != p.op {
			continue
		}
		b := q.sp.Promise.Inclusions[0]
		if a.ChainID == b.ChainID && a.Sender == b.Sender && a.Nonce == b.Nonce && a.TxHash != b.TxHash {
			born := x.head()
			x.pairs = append(x.pairs, &ecPair{a: p, b: q, born: born}, &ecPair{a: q, b: p, born: born})
		}
	}
}

// encodeL2Post is Inbox.post's argument for raw L2 txs of l2Chain.
func encodeL2Post(raws [][]byte) []byte {
	data := binary.BigEndian.AppendUint64(nil, l2Chain)
	data = binary.BigEndian.AppendUint16(data, uint16(len(raws)))
	for _, r := range raws {
		data = append(data, byte(len(r)>>16), byte(len(r)>>8), byte(len(r)))
		data = append(data, r...)
	}
	return data
}

func junk(tag string, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(fmt.Sprintf("%s %d", tag, i))
	}
	return out
}

// ---- the steps ----

func (x *econ) randomStep() {
	d := x.r.IntN(100)
	switch {
	case d < 40:
		x.stepSell()
	case d < 55:
		x.what = "watchers sweep"
		x.sweep(x.watchers[x.r.IntN(2)])
	case d < 65:
		x.stepSelfSlash()
	case d < 71:
		x.stepBackdate()
	case d < 76:
		x.stepRotate()
	case d < 79:
		x.stepRevoke()
	case d < 83:
		x.stepExit()
	case d < 87:
		x.stepFlood()
	case d < 93:
		x.stepAttackHonest()
	case d < 97:
		x.stepRelease()
	default:
		x.stepDeposit()
	}
}

// saleKey is the key o signs a promise for slot with: an honest operator's
// committer for the slot; a dishonest one's, or now and then a stale key
// (the promise is then in no ledger its signer opened: void).
func (x *econ) saleKey(o *ecOp, slot uint64) *ecdsa.PrivateKey {
	c := o.committerAt(slot)
	if o.honest {
		return o.keys[c]
	}
	if c == (common.Address{}) || (len(o.order) > 1 && x.r.IntN(7) == 0) {
		x.cov["stale key"]++
		return o.keys[o.order[x.r.IntN(len(o.order))]]
	}
	return o.keys[c]
}

type ecSale struct {
	o      *ecOp
	key    *ecdsa.PrivateKey
	sold   []*ecPromise // to users
	extra  []*ecPromise // fakes and 1-wei equivocations
	posts  [][]byte
	postTx *types.Transaction
}

// stepSell: operators sell promises for the next slot, deliver (or not), and
// open (or not) the slot's ledger.
func (x *econ) stepSell() {
	s := x.head() + 1
	skip := x.r.IntN(8) == 0 // the slot gets no block: only dishonest operators sell it
	flood := !skip && x.r.IntN(6) == 0
	x.what = fmt.Sprintf("sell slot %d (missed %v, flood %v)", s, skip, flood)
	usedUsers := map[int]bool{}
	var sales []*ecSale
	var txs []*types.Transaction
	for _, o := range x.ops {
		if o.state == ecWithdrawn || (o.honest && skip) || x.r.IntN(10) < 3 {
			continue
		}
		key := x.saleKey(o, s)
		if key == nil {
			continue
		}
		sl := &ecSale{o: o, key: key}
		reserved := new(big.Int)
		for i, n := 0, 1+x.r.IntN(3); i < n; i++ {
			ui := -1
			for _, j := range x.r.Perm(len(x.users)) {
				if !usedUsers[j] {
					ui = j
					break
				}
			}
			if ui < 0 {
				break
			}
			amount := x.amount()
			if o.honest {
				// §9.6: an honest sidecar never sells past its free collateral.
				free := new(big.Int).Sub(o.coll, o.resv)
				if free.Cmp(new(big.Int).Add(reserved, amount)) < 0 {
					x.cov["honest exposure limit"]++
					break
				}
				reserved.Add(reserved, amount)
			}
			usedUsers[ui] = true
			u := x.users[ui]
			var p *ecPromise
			if x.r.IntN(10) < 3 {
				raw := []byte(fmt.Sprintf("econ l2 tx %d of %s", x.nextID+1, u.addr))
				p = x.sign(o, key, s, amount, l2Inc(raw, u.addr, u.l2Nonce), ecVictim)
				u.l2Nonce++
				p.raw = raw
			} else {
				nonce, err := x.c.Client.NonceAt(x.ctx, u.addr, nil)
				if err != nil {
					x.t.Fatal(err)
				}
				tx := x.c.Transfer(u.key, nonce, x.c.Addr(slDeployer), big.NewInt(int64(1000+x.nextID)), highFee)
				p = x.sign(o, key, s, amount, incOf(tx), ecVictim)
				p.tx = tx
			}
			p.delivered = o.honest || (!skip && x.r.IntN(10) < 6)
			if p.delivered {
				if p.l2 {
					sl.posts = append(sl.posts, p.raw)
				} else {
					txs = append(txs, p.tx)
				}
			} else {
				x.cov["dropped"]++
			}
			x.ps = append(x.ps, p)
			x.publish(p)
			sl.sold = append(sl.sold, p)
		}
		if !o.honest {
			x.dishonestExtras(sl, s, skip)
		}
		sales = append(sales, sl)
	}

	if skip {
		x.c.SkipSlots(1)
		if x.head() != s+1 {
			x.fatalf("after a missed slot %d the head is at slot %d", s, x.head())
		}
		x.skipped[s] = true
		x.cov["missed slot"]++
	} else {
		for _, tx := range txs {
			x.c.Send(tx)
		}
		for _, sl := range sales {
			if len(sl.posts) == 0 {
				continue
			}
			var err error
			opts := x.c.OptsFor(sl.o.poster)
			opts.GasLimit = 5_000_000
			if sl.postTx, err = x.e.k.Inbox.Post(opts, encodeL2Post(sl.posts)); err != nil {
				x.fatalf("post of %s: %v", sl.o, err)
			}
		}
		var floodTx *types.Transaction
		if flood {
			opts := x.c.Opts(ecFlooder)
			opts.GasLimit = 5_000_000
			var err error
			if floodTx, err = x.e.k.Inbox.Post(opts, encodeL2Post(junk(fmt.Sprintf("f%d", s), 1024))); err != nil {
				x.fatalf("flood: %v", err)
			}
		}
		h := x.c.Commit()
		if x.head() != s {
			x.fatalf("the slot's block is at slot %d, want %d", x.head(), s)
		}
		x.blocks[s] = h
		for _, tx := range txs {
			x.landed(tx, h, "promised tx")
		}
		for _, sl := range sales {
			if sl.postTx == nil {
				continue
			}
			x.landed(sl.postTx, h, "L2 post")
			k := ecLedgerKey{crypto.PubkeyToAddress(sl.o.poster.PublicKey), s}
			for _, raw := range sl.posts {
				x.posted[k] = append(x.posted[k], crypto.Keccak256Hash(raw))
			}
		}
		if floodTx != nil {
			x.landed(floodTx, h, "flood")
			x.slotFull()
		}
	}

	// Ledgers: honest operators open theirs with everything they sold.
	var open []*ecOpening
	sort.SliceStable(sales, func(i, j int) bool { return sales[i].o.honest && !sales[j].o.honest })
	for _, sl := range sales {
		o := sl.o
		if o.honest {
			if len(sl.sold) > 0 {
				open = append(open, &ecOpening{o: o, key: o.keys[o.committerAt(s)], slot: s, ps: sl.sold})
			}
			continue
		}
		op := &ecOpening{o: o, slot: s, alter: map[*ecPromise]*big.Int{}}
		for _, p := range sl.sold {
			if x.r.IntN(4) == 0 {
				x.cov["victim left out"]++
				continue
			}
			op.ps = append(op.ps, p)
			if x.r.IntN(10) == 0 {
				op.alter[p] = new(big.Int).Rsh(p.sp.Promise.SlashAmount, 1)
				x.cov["victim leaf with another amount"]++
			}
		}
		op.ps = append(op.ps, sl.extra...)
		if len(op.ps) == 0 {
			continue
		}
		c := o.committerAt(s)
		op.key = o.keys[c]
		if op.key == nil || (len(o.order) > 1 && x.r.IntN(10) == 0) {
			op.key = o.keys[o.order[x.r.IntN(len(o.order))]]
		}
		switch d := x.r.IntN(10); {
		case d == 0:
			x.cov["no ledger"]++
		case d <= 2:
			op.late = x.r.IntN(3) == 0
			x.pending = append(x.pending, op)
		default:
			open = append(open, op)
		}
	}
	x.openLedgers(open)

	// An honest sidecar releases its expired ledgers.
	for _, o := range x.ops {
		if !o.honest {
			continue
		}
		if slots := x.expired(o); len(slots) > 0 {
			x.release(o, o.idx, slots)
		}
	}
}

// dishonestExtras adds a dishonest operator's fakes and 1-wei equivocations
// to its sale for slot s, and maybe floods its own Inbox record.
func (x *econ) dishonestExtras(sl *ecSale, s uint64, skip bool) {
	o := sl.o
	if x.r.IntN(10) < 3 {
		for i, n := 0, 1+x.r.IntN(2); i < n; i++ {
			p := x.fake(o, sl.key, s)
			sl.extra = append(sl.extra, p)
		}
	}
	var l1 []*ecPromise
	for _, p := range sl.sold {
		if !p.l2 {
			l1 = append(l1, p)
		}
	}
	if len(l1) > 0 && x.r.IntN(4) == 0 {
		v := l1[x.r.IntN(len(l1))]
		inc := v.sp.Promise.Inclusions[0]
		binary.BigEndian.PutUint64(inc.TxHash[:], x.r.Uint64()) // another tx on the victim's nonce
		amount := big.NewInt(1)
		if x.r.IntN(3) == 0 {
			amount = big.NewInt(int64(1 + x.r.IntN(1_000_000)))
		}
		a := x.sign(o, sl.key, s, amount, inc, ecEquivA)
		a.victimOf = v
		x.ps = append(x.ps, a)
		o.owned = append(o.owned, a)
		sl.extra = append(sl.extra, a)
		x.cov["equivA signed"]++
	}
	if !skip && x.r.IntN(6) == 0 {
		// Lengthen the evidence against its own L2 promises: up to the cap.
		room := 1024 - len(sl.posts)
		sl.posts = append(sl.posts, junk(fmt.Sprintf("o%d.%d", o.n, s), room)...)
		x.cov["own flood"]++
	}
}

// fake signs a promise of o for slot naming one of its own accounts.
func (x *econ) fake(o *ecOp, key *ecdsa.PrivateKey, slot uint64) *ecPromise {
	fk := o.fakes[x.r.IntN(len(o.fakes))]
	var inc protocol.Inclusion
	var raw []byte
	if x.r.IntN(3) > 0 {
		// Nonce 0 of an account that never sends, funded: includable, never executed.
		inc = incOf(x.c.Transfer(fk, 0, x.c.Addr(slDeployer), big.NewInt(int64(2000+x.nextID)), highFee))
	} else {
		raw = []byte(fmt.Sprintf("econ fake l2 tx %d", x.nextID+1))
		inc = l2Inc(raw, crypto.PubkeyToAddress(fk.PublicKey), uint64(x.nextID+1))
	}
	p := x.sign(o, key, slot, new(big.Int).SetUint64(1e15+x.r.Uint64N(5e17)), inc, ecFake)
	p.raw = raw
	x.ps = append(x.ps, p)
	o.owned = append(o.owned, p)
	x.cov["fake signed"]++
	return p
}

// landed requires tx to be in block h, successful.
func (x *econ) landed(tx *types.Transaction, h *types.Header, what string) {
	x.t.Helper()
	r, err := x.c.Client.TransactionReceipt(x.ctx, tx.Hash())
	if err != nil {
		x.fatalf("%s %s did not land: %v", what, tx.Hash(), err)
	}
	if r.BlockHash != h.Hash() || r.Status != types.ReceiptStatusSuccessful {
		x.fatalf("%s %s landed in block %s with status %d, want block %s", what, tx.Hash(), r.BlockNumber, r.Status, h.Number)
	}
}

// slotFull checks the flooder's record of the head slot is full: one more
// post is refused.
func (x *econ) slotFull() {
	x.t.Helper()
	_, err := x.e.k.Inbox.Post(x.c.Opts(ecFlooder), encodeL2Post(junk("one more", 1)))
	if err == nil {
		x.fatalf("a post past the cap of 1024 was accepted")
	}
	if got := ecRevert(err, x.inboxABI); got != "SlotFull" {
		x.fatalf("post past the cap: %s, want SlotFull", got)
	}
	x.cov["inbox:SlotFull"]++
}

// expectOpen is Registry.openLedger by the model, as eth_estimateGas runs it
// (in the head's context).
func (x *econ) expectOpen(o *ecOp, sender common.Address, slot uint64, total *big.Int) string {
	now := x.head()
	switch {
	case o.state != ecRegistered && o.state != ecExiting:
		return "NotRegistered"
	case o.state == ecExiting && slot >= o.exit:
		return "LedgerAfterExit"
	}
	if c := o.committerAt(slot); c == (common.Address{}) || c != sender {
		return "NotCommitter"
	}
	switch {
	case now < slot:
		return "LedgerTooEarly"
	case now-slot > x.prm.LedgerGrace:
		return "LedgerTooLate"
	case x.ledgers[ecLedgerKey{o.addr, slot}] != nil:
		return "LedgerExists"
	}
	if free := new(big.Int).Sub(o.coll, o.resv); total.Cmp(free) > 0 {
		return "NotEnoughFreeCollateral"
	}
	return ""
}

// openLedgers sends the openings (at most one per operator) in one block and
// checks each against the model.
func (x *econ) openLedgers(list []*ecOpening) {
	x.t.Helper()
	if len(list) == 0 {
		return
	}
	// An estimate at the head's slot S+grace passes but lands too late: step over it.
	for _, op := range list {
		if x.head()-op.slot == x.prm.LedgerGrace {
			x.c.Commit()
			break
		}
	}
	sent := 0
	for _, op := range list {
		leaves := make([]protocol.LedgerLeaf, 0, len(op.ps))
		for _, p := range op.ps {
			a := p.sp.Promise.SlashAmount
			if v, ok := op.alter[p]; ok {
				a = v
			}
			leaves = append(leaves, protocol.LedgerLeaf{Digest: p.digest, Amount: a})
		}
		lg, err := protocol.NewLedger(leaves)
		if err != nil {
			x.fatalf("ledger of %s: %v", op.o, err)
		}
		op.lg = lg
		sender := crypto.PubkeyToAddress(op.key.PublicKey)
		op.want = x.expectOpen(op.o, sender, op.slot, lg.Total())
		tx, err := x.c.SendOpenLedger(x.e.k, op.key, op.o.addr, op.slot, crypto.PubkeyToAddress(op.o.poster.PublicKey), lg.Pack())
		if err != nil {
			x.expectRegistry("open", ecRevert(err, x.regABI), op.want)
			if op.want == "NotEnoughFreeCollateral" && len(op.ps) > 1 && x.r.IntN(2) == 0 {
				// It backs fewer of them instead: the rest are void.
				retry := &ecOpening{o: op.o, key: op.key, slot: op.slot, ps: op.ps[:len(op.ps)/2], alter: op.alter}
				list = append(list, retry)
				x.cov["backs fewer"]++
			}
			continue
		}
		if op.want != "" {
			x.fatalf("openLedger of %s for slot %d by %s passed its estimate, the model expects %s", op.o, op.slot, sender, op.want)
		}
		op.tx = tx
		sent++
	}
	if sent == 0 {
		return
	}
	x.c.Commit()
	for _, op := range list {
		if op.tx == nil {
			continue
		}
		r, err := x.c.Client.TransactionReceipt(x.ctx, op.tx.Hash())
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			x.fatalf("openLedger of %s for slot %d failed on-chain (%v)", op.o, op.slot, err)
		}
		x.cov["open:ok"]++
		l := &ecLedger{committer: crypto.PubkeyToAddress(op.key.PublicKey), poster: crypto.PubkeyToAddress(op.o.poster.PublicKey),
			leaves: map[common.Hash]*big.Int{}, left: op.lg.Total()}
		for _, lf := range op.lg.Leaves {
			l.leaves[lf.Digest] = lf.Amount
		}
		x.ledgers[ecLedgerKey{op.o.addr, op.slot}] = l
		op.o.resv.Add(op.o.resv, l.left)
		got := x.c.LedgerOf(x.e.k, &chaintest.Operator{Addr: op.o.addr}, op.slot)
		if got.Count != uint32(len(op.lg.Leaves)) || got.Left.Cmp(l.left) != 0 || got.Committer != l.committer || got.Poster != l.poster || common.Hash(got.Root) != op.lg.Root() {
			x.fatalf("ledger of %s for slot %d: Registry holds %+v", op.o, op.slot, got)
		}
	}
}

// openPending opens the ledgers dishonest operators held back: a late one
// once its grace is over, the others within it.
func (x *econ) openPending() {
	if len(x.pending) == 0 {
		return
	}
	head := x.head()
	var now, keep []*ecOpening
	busy := map[*ecOp]bool{}
	for _, op := range x.pending {
		age := head - op.slot
		due := age >= 1 && ((op.late && age > x.prm.LedgerGrace) || (!op.late && (age+1 >= x.prm.LedgerGrace || x.r.IntN(2) == 0)))
		if due && !busy[op.o] {
			busy[op.o] = true
			now = append(now, op)
		} else {
			keep = append(keep, op)
		}
	}
	x.pending = keep
	if len(now) > 0 {
		x.what = "delayed ledgers"
		x.openLedgers(now)
	}
}

// expired lists o's ledgers whose window has closed and that are not released.
func (x *econ) expired(o *ecOp) []uint64 {
	var out []uint64
	for k, l := range x.ledgers {
		if k.who == o.addr && !l.released && x.head() > k.slot+x.prm.SlashWindow {
			out = append(out, k.slot)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// release calls Registry.release(o, slots) from key index from and checks it
// against the model.
func (x *econ) release(o *ecOp, from int, slots []uint64) {
	x.t.Helper()
	want := ""
	for _, s := range slots {
		l := x.ledgers[ecLedgerKey{o.addr, s}]
		if l == nil {
			want = "NoLedger"
			break
		}
		if x.head() <= s+x.prm.SlashWindow {
			want = "LedgerNotExpired"
			break
		}
	}
	collBefore := new(big.Int).Set(o.coll)
	got := x.registryCall(from, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return x.e.k.Registry.Release(opts, o.addr, slots)
	})
	x.expectRegistry("release", got, want)
	if got != "" {
		return
	}
	for _, s := range slots {
		l := x.ledgers[ecLedgerKey{o.addr, s}]
		if l.released {
			continue
		}
		o.resv.Sub(o.resv, l.left)
		l.left = new(big.Int)
		l.released = true
	}
	if x.collateralOf(o).Cmp(collBefore) != 0 {
		x.fatalf("release moved the collateral of %s", o)
	}
}

func (x *econ) collateralOf(o *ecOp) *big.Int {
	v, err := x.e.k.Registry.CollateralOf(&bind.CallOpts{}, o.addr)
	if err != nil {
		x.t.Fatal(err)
	}
	return v
}

func (x *econ) dishonest() *ecOp {
	var ds []*ecOp
	for _, o := range x.ops {
		if !o.honest {
			ds = append(ds, o)
		}
	}
	return ds[x.r.IntN(len(ds))]
}

// stepBackdate: a dishonest operator signs a fake for a past slot and tries
// to put it in that slot's ledger (it can while the slot has none and is in
// its grace: then it is just another fake leaf it pays β to recover).
func (x *econ) stepBackdate() {
	o := x.dishonest()
	back := uint64(x.r.IntN(int(x.prm.LedgerGrace) + 3))
	head := x.head()
	if head < x.first+back {
		x.what = "back-date (too early in the run)"
		return
	}
	s := head - back
	x.what = fmt.Sprintf("%s back-dates a fake to slot %d (head %d)", o, s, head)
	key := o.keys[o.committerAt(s)]
	if key == nil {
		key = o.keys[o.order[len(o.order)-1]]
	}
	p := x.fake(o, key, s)
	x.cov["back-dated"]++
	x.openLedgers([]*ecOpening{{o: o, key: key, slot: s, ps: []*ecPromise{p}}})
}

// stepRotate: an operator binds a new committer key (funded by its owner); a
// dishonest one sometimes tries a key it revoked.
func (x *econ) stepRotate() {
	o := x.ops[x.r.IntN(len(x.ops))]
	if !o.honest && len(o.revkd) > 0 && x.r.IntN(3) == 0 {
		var rk common.Address
		for _, a := range o.order {
			if o.revkd[a] {
				rk = a
				break
			}
		}
		x.what = fmt.Sprintf("%s re-binds revoked key %s", o, rk)
		got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
			return x.e.k.Registry.SetCommitter(opts, rk)
		})
		want := "RevokedCommitter"
		if o.state == ecWithdrawn {
			want = "NotRegistered"
		}
		x.expectRegistry("rotate", got, want)
		return
	}
	x.rotate(o)
}

func (x *econ) rotate(o *ecOp) {
	k := x.key()
	a := crypto.PubkeyToAddress(k.PublicKey)
	x.what = fmt.Sprintf("%s rotates to %s", o, a)
	o.own(a)
	x.fund(o.idx, big.NewInt(params.Ether), a)
	want := ""
	if o.state == ecWithdrawn {
		want = "NotRegistered"
	}
	got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return x.e.k.Registry.SetCommitter(opts, a)
	})
	x.expectRegistry("rotate", got, want)
	if got != "" {
		return
	}
	o.keys[a] = k
	o.order = append(o.order, a)
	eff := x.head() + x.prm.RotationDelay
	if last := &o.cps[len(o.cps)-1]; last.from == eff {
		last.addr = a
	} else {
		o.cps = append(o.cps, ecCheckpoint{from: eff, addr: a})
	}
}

// stepRevoke: a dishonest operator revokes its current committer key, and
// usually binds a new one.
func (x *econ) stepRevoke() {
	o := x.dishonest()
	c := o.committerAt(x.head() + 1)
	if c == (common.Address{}) {
		c = o.order[len(o.order)-1]
	}
	x.what = fmt.Sprintf("%s revokes %s", o, c)
	want := ""
	if o.state == ecWithdrawn {
		want = "NotRegistered"
	}
	got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return x.e.k.Registry.RevokeCommitter(opts, c)
	})
	x.expectRegistry("revoke", got, want)
	if got == "" {
		o.revkd[c] = true
		if x.r.IntN(10) < 7 {
			x.rotate(o)
		}
	}
}

// stepExit: a dishonest operator unregisters and tries to withdraw at once;
// later calls try again.
func (x *econ) stepExit() {
	o := x.dishonest()
	x.what = fmt.Sprintf("%s exits / withdraws", o)
	active := 0
	for _, d := range x.ops {
		if !d.honest && d.state == ecRegistered {
			active++
		}
	}
	// Unregister (for good) only while another dishonest operator stays
	// active, or late in the run: an exited operator backs nothing new.
	exit := active >= 2 || x.step >= x.steps*2/3
	if o.state != ecRegistered && x.r.IntN(3) == 0 {
		got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
			return x.e.k.Registry.Unregister(opts)
		})
		x.expectRegistry("unregister", got, "NotActive")
	}
	if o.state == ecRegistered && exit {
		got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
			return x.e.k.Registry.Unregister(opts)
		})
		x.expectRegistry("unregister", got, "")
		o.state = ecExiting
		o.exit = x.head() + x.prm.RotationDelay
	}
	want := ""
	switch {
	case o.state != ecExiting:
		want = "NotRegistered"
	case x.head() < o.exit+x.prm.UnregistrationDelay:
		want = "DelayNotOver"
	}
	got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		return x.e.k.Registry.Withdraw(opts)
	})
	x.expectRegistry("withdraw", got, want)
	if got == "" {
		o.state = ecWithdrawn
		o.coll, o.resv = new(big.Int), new(big.Int)
	}
}

// stepDeposit: an operator tops up its collateral.
func (x *econ) stepDeposit() {
	o := x.ops[x.r.IntN(len(x.ops))]
	v := new(big.Int).Mul(big.NewInt(int64(1+x.r.IntN(3))), big.NewInt(params.Ether))
	x.what = fmt.Sprintf("%s deposits %s", o, v)
	want := ""
	if o.state == ecWithdrawn {
		want = "NotRegistered"
	}
	got := x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
		opts.Value = v
		return x.e.k.Registry.Deposit(opts)
	})
	x.expectRegistry("deposit", got, want)
	if got == "" {
		o.coll.Add(o.coll, v)
	}
}

// stepRelease: anyone releases an operator's expired ledgers, sometimes
// naming one still in its window (the whole call is refused).
func (x *econ) stepRelease() {
	o := x.ops[x.r.IntN(len(x.ops))]
	if o.state == ecWithdrawn {
		// Releasing a withdrawn operator's ledger hits the Registry bug
		// TestEconomicProperties/release_after_withdraw reproduces.
		x.what = fmt.Sprintf("release of withdrawn %s (skipped: see release after withdraw)", o)
		return
	}
	slots := x.expired(o)
	if len(slots) > 3 {
		slots = slots[:3]
	}
	if x.r.IntN(3) == 0 {
		var live []uint64
		for k, l := range x.ledgers {
			if k.who == o.addr && !l.released && x.head() <= k.slot+x.prm.SlashWindow {
				live = append(live, k.slot)
			}
		}
		sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
		if len(live) > 0 {
			slots = append(slots, live[x.r.IntN(len(live))])
		}
	}
	x.what = fmt.Sprintf("release %v of %s", slots, o)
	if len(slots) > 0 {
		x.release(o, ecCopier, slots)
	}
}

// stepFlood: a flooder fills its Inbox record of the next slot to the cap;
// one more post is refused.
func (x *econ) stepFlood() {
	x.what = "inbox flood"
	opts := x.c.Opts(ecFlooder)
	opts.GasLimit = 5_000_000
	tx, err := x.e.k.Inbox.Post(opts, encodeL2Post(junk(fmt.Sprintf("F%d", x.step), 1024)))
	if err != nil {
		x.fatalf("flood: %v", err)
	}
	h := x.c.Commit()
	x.landed(tx, h, "flood")
	x.slotFull()
}

// ---- slashing ----

// claimFor commits claims of key index i for the digests in one block, then
// seals one more, so slashes naming them pass from the head on.
func (x *econ) commitClaims(i int, claims []slashing.Claim, digests []common.Hash) {
	x.t.Helper()
	if len(digests) == 0 {
		return
	}
	hs := make([]common.Hash, len(digests))
	for k, d := range digests {
		hs[k] = claims[k].Hash(d)
	}
	x.c.CommitClaim(x.e.k, i, hs...)
	x.c.Commit()
}

// judgeCase is the Judge's answer for c paid to claim: the fault's rule, then
// the claim (the Slasher checks it last).
func (x *econ) judgeCase(c *ecCase, claim slashing.Claim) error {
	var err error
	switch {
	case c.safety != nil:
		err = x.e.judge.Safety(x.ctx, c.p.sp, c.safety)
	case c.live != nil:
		err = x.e.judge.Liveness(x.ctx, c.p.sp, c.live)
	case c.l2 != nil:
		err = x.e.judge.L2Inclusion(x.ctx, c.p.sp, c.l2)
	case c.equiv != nil:
		err = x.e.judge.Equivocation(x.ctx, c.equiv)
	}
	if err != nil {
		return err
	}
	return x.e.judge.CheckClaim(x.ctx, c.p.digest, claim)
}

// sendCase sends c from key index from, paying claim, and seals it. It
// returns the receipt, or the name of the revert.
func (x *econ) sendCase(from int, c *ecCase, claim slashing.Claim) (*types.Receipt, string) {
	x.t.Helper()
	opts := x.c.Opts(from)
	var tx *types.Transaction
	var err error
	switch {
	case c.safety != nil:
		be, berr := c.safety.Binding()
		if berr != nil {
			x.t.Fatal(berr)
		}
		tx, err = x.e.k.Slasher.SlashSafety(opts, x.e.payload(c.p.sp), c.p.sp.Signature, big.NewInt(int64(c.safety.Index)), be, c.safety.Backing.Binding(), claim.Binding())
	case c.live != nil:
		tx, err = x.e.k.Slasher.SlashLiveness(opts, x.e.payload(c.p.sp), c.p.sp.Signature, c.live.Header1, c.live.Header2, c.live.Backing.Binding(), claim.Binding())
	case c.l2 != nil:
		hs := make([][32]byte, len(c.l2.TxHashes))
		for i, h := range c.l2.TxHashes {
			hs[i] = h
		}
		tx, err = x.e.k.Slasher.SlashL2Inclusion(opts, x.e.payload(c.p.sp), c.p.sp.Signature, big.NewInt(int64(c.l2.Index)), c.l2.Header, hs, c.l2.Backing.Binding(), claim.Binding())
	case c.equiv != nil:
		ev := c.equiv
		tx, err = x.e.k.Slasher.SlashEquivocation(opts, x.e.payload(ev.A), ev.A.Signature, big.NewInt(int64(ev.IndexA)), x.e.payload(ev.B), ev.B.Signature, big.NewInt(int64(ev.IndexB)), ev.BackingA.Binding(), claim.Binding())
	}
	if err != nil {
		return nil, slRevert(x.t, err)
	}
	x.c.Commit()
	r, err := x.c.Client.TransactionReceipt(x.ctx, tx.Hash())
	if err != nil {
		x.t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		// Replay it in the block it landed in (a reverted call changed nothing) for its name.
		_, err := x.c.Client.CallContract(x.ctx, ethereum.CallMsg{From: x.c.Addr(from), To: tx.To(), Gas: tx.Gas(), Data: tx.Data()}, r.BlockNumber)
		if err == nil {
			return r, "reverted on-chain, passes on replay"
		}
		return r, slRevert(x.t, err)
	}
	return r, ""
}

// submit sends c from key index from with claim and checks properties 1–5 on
// the outcome. It returns whether the promise was slashed.
func (x *econ) submit(from int, c *ecCase, claim slashing.Claim) bool {
	x.t.Helper()
	o := c.p.op
	if x.head() == c.p.slot+x.prm.SlashWindow {
		// The one slot where eth_estimateGas (run in the head's context) still
		// takes the evidence and the block it lands in refuses it as expired:
		// the Judge answers for the landing block, and a refused estimate would
		// name another check. Step past it so both contexts agree.
		x.c.Commit()
	}
	jerr := x.judgeCase(c, claim)
	amount := x.e.judge.Amount(c.fault, c.p.sp.Promise)
	taken, err := x.e.judge.Taken(x.ctx, o.addr, c.p.slot, amount)
	if err != nil {
		x.t.Fatal(err)
	}
	wantUser, wantBurnt, wantBen := x.e.judge.Split(taken)
	collBefore := x.collateralOf(o)

	r, rev := x.sendCase(from, c, claim)

	// Property 5: the Judge and the contract agree.
	if (jerr == nil) != (rev == "") {
		x.fatalf("property 5: %s sent by key %d: the judge says %v, the contract %q", c, from, jerr, orOK(rev))
	}
	if jerr != nil {
		names := ecRevertsFor(jerr)
		ok := false
		for _, n := range names {
			ok = ok || n == rev
		}
		if !ok {
			x.fatalf("property 5: %s: the contract reverted %q, the judge's %v stands for %v", c, rev, jerr, names)
		}
		x.cov["revert:"+rev]++
		if now := x.collateralOf(o); now.Cmp(collBefore) != 0 {
			x.fatalf("a refused %s moved %s's collateral from %s to %s", c, o, collBefore, now)
		}
		return false
	}

	// Property 1: never against an honest operator.
	if o.honest {
		x.fatalf("property 1: %s succeeded against an honest operator", c)
	}
	// The model's ledger, and rule 1: a backed leaf's ledger still holds its amount.
	l := x.ledgers[ecLedgerKey{o.addr, c.p.slot}]
	if l == nil || l.leaves[c.p.digest] == nil || l.leaves[c.p.digest].Cmp(c.p.sp.Promise.SlashAmount) != 0 || l.committer != c.p.signer {
		x.fatalf("%s succeeded, but the model has no ledger leaf signed by %s for it", c, c.p.signer)
	}
	modelTaken := new(big.Int).Set(amount)
	if l.left.Cmp(modelTaken) < 0 {
		modelTaken.Set(l.left)
	}
	if modelTaken.Cmp(taken) != 0 || taken.Cmp(amount) != 0 {
		x.fatalf("property 2 / rule 1: %s of a backed promise: the judge takes %s, the model %s, of %s asked", c, taken, modelTaken, amount)
	}
	// Property 2: the payout is judge.Split of judge.Taken.
	ps, rs := x.e.slashedEvent(r), x.e.registrySlashed(r)
	if common.Hash(ps.Digest) != c.p.digest || slashing.Fault(ps.Fault) != c.fault || ps.User != c.p.user || ps.Taken.Cmp(taken) != 0 ||
		ps.UserPaid.Cmp(wantUser) != 0 || ps.Beneficiary != claim.Beneficiary || ps.Operator != o.addr {
		x.fatalf("property 2: %s: PromiseSlashed %+v; want user %s paid %s of %s to beneficiary %s", c, ps, c.p.user, wantUser, taken, claim.Beneficiary)
	}
	if rs.Operator != o.addr || rs.User != c.p.user || rs.UserPaid.Cmp(wantUser) != 0 || rs.Watcher != claim.Beneficiary ||
		rs.WatcherPaid.Cmp(wantBen) != 0 || rs.Burned.Cmp(wantBurnt) != 0 {
		x.fatalf("property 2: %s: Registry.Slashed %+v; want %s / %s / %s", c, rs, wantUser, wantBen, wantBurnt)
	}
	// Rule 1: the user gets ⌊⌊λ·a⌋·u⌋.
	if want := new(big.Int).Div(new(big.Int).Mul(amount, big.NewInt(int64(x.prm.UserBps))), big.NewInt(10_000)); wantUser.Cmp(want) != 0 {
		x.fatalf("rule 1: %s paid its user %s, want ⌊⌊λ·a⌋·u⌋ = %s", c, wantUser, want)
	}
	// Balances: the user and the beneficiary get their shares, the sender pays gas.
	n := r.BlockNumber
	prev := new(big.Int).Sub(n, big.NewInt(1))
	sender := x.c.Addr(from)
	gas := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	delta := map[common.Address]*big.Int{c.p.user: new(big.Int), claim.Beneficiary: new(big.Int), sender: new(big.Int)}
	delta[c.p.user].Add(delta[c.p.user], wantUser)
	delta[claim.Beneficiary].Add(delta[claim.Beneficiary], wantBen)
	delta[sender].Sub(delta[sender], gas)
	for a, want := range delta {
		if got := new(big.Int).Sub(x.balanceAt(a, n), x.balanceAt(a, prev)); got.Cmp(want) != 0 {
			x.fatalf("property 2: %s: the balance of %s moved by %s, want %s", c, a, got, want)
		}
	}
	x.payees[c.p.user], x.payees[claim.Beneficiary] = true, true
	// Property 3 and the accounting of 4: W moves by −taken + what its accounts got − gas.
	paidOwn := new(big.Int)
	if o.accts[c.p.user] {
		paidOwn.Add(paidOwn, wantUser)
	}
	if o.accts[claim.Beneficiary] {
		paidOwn.Add(paidOwn, wantBen)
	}
	wantW := new(big.Int).Sub(paidOwn, taken)
	if o.accts[sender] {
		wantW.Sub(wantW, gas)
	}
	gotW := new(big.Int).Sub(x.wealth(o, n), x.wealth(o, prev))
	if gotW.Cmp(wantW) != 0 {
		x.fatalf("property 4: %s moved %s's wealth by %s, want %s (taken %s, back to its accounts %s)", c, o, gotW, wantW, taken, paidOwn)
	}
	if from == o.idx {
		if gotW.Cmp(new(big.Int).Neg(wantBurnt)) > 0 {
			x.fatalf("property 3: %s, submitted by %s itself, moved its wealth by %s: more than −⌊β·taken⌋ = −%s", c, o, gotW, wantBurnt)
		}
		o.burnt.Add(o.burnt, wantBurnt)
		x.cov["self-slash"]++
		if c.p.kind == ecEquivA {
			x.cov["self-slash:equivA"]++
		}
	}
	o.net.Add(o.net, new(big.Int).Sub(taken, paidOwn))

	// A victim is slashed only for a fault the model's oracle sees.
	if c.p.kind == ecVictim {
		if !x.oracleAllows(c) {
			x.fatalf("%s succeeded, but the model's oracle finds no such fault (%v)", c, x.wronged(c.p, 0))
		}
		x.cov["victim paid"]++
	}

	// The model follows.
	l.left.Sub(l.left, taken)
	o.coll.Sub(o.coll, taken)
	o.resv.Sub(o.resv, taken)
	x.burned.Add(x.burned, wantBurnt)
	c.p.settled = &ecSlash{fault: c.fault, user: c.p.user, taken: taken, userPaid: wantUser}
	x.cov["slash:"+ecFaultName[c.fault]]++
	// The call is public: so are the promises in it.
	x.publish(c.p)
	if c.b != nil {
		x.publish(c.b)
	}
	return true
}

// ---- the oracle ----

// backed: the model saw p's (digest, slashAmount) opened in its slot's ledger
// by the key that signed p.
func (x *econ) backed(p *ecPromise) bool {
	l := x.ledgers[ecLedgerKey{p.op.addr, p.slot}]
	return l != nil && l.leaves[p.digest] != nil && l.leaves[p.digest].Cmp(p.sp.Promise.SlashAmount) == 0 && l.committer == p.signer
}

// broken is the model's own answer, from chain state read without proofs:
// the fault (safety, L2 inclusion or liveness) p's slot shows, if any.
func (x *econ) broken(p *ecPromise) (slashing.Fault, bool) {
	x.t.Helper()
	if x.skipped[p.slot] {
		return slashing.FaultLiveness, true
	}
	if p.l2 {
		l := x.ledgers[ecLedgerKey{p.op.addr, p.slot}]
		if l == nil {
			return 0, false
		}
		for _, h := range x.posted[ecLedgerKey{l.poster, p.slot}] {
			if h == p.sp.Promise.Inclusions[0].TxHash {
				return 0, false
			}
		}
		return slashing.FaultL2Inclusion, true
	}
	if p.fate == ecFateUnread {
		p.fate = x.readFate(p)
	}
	return slashing.FaultSafety, p.fate == ecFateBroken
}

// readFate reads the fate of an L1 promise from its slot's block and parent.
func (x *econ) readFate(p *ecPromise) ecFate {
	x.t.Helper()
	b := x.blocks[p.slot]
	if b == nil {
		x.fatalf("no block recorded for the slot of %s", p)
	}
	inc := p.sp.Promise.Inclusions[0]
	after, err := x.c.Client.NonceAt(x.ctx, inc.Sender, b.Number)
	if err != nil {
		x.t.Fatal(err)
	}
	if after > inc.Nonce {
		return ecFateExecuted // (or its nonce was)
	}
	parent := new(big.Int).Sub(b.Number, big.NewInt(1))
	before, err := x.c.Client.NonceAt(x.ctx, inc.Sender, parent)
	if err != nil {
		x.t.Fatal(err)
	}
	code, err := x.c.Client.CodeAt(x.ctx, inc.Sender, parent)
	if err != nil {
		x.t.Fatal(err)
	}
	if before != inc.Nonce {
		x.fatalf("%s: the sender's nonce before the slot is %d, promised %d: the model never stacks nonces", p, before, inc.Nonce)
	}
	if len(code) != 0 || x.balanceAt(inc.Sender, parent).Cmp(inc.MaxCost) < 0 || inc.MaxFeePerGas.Cmp(b.BaseFee) < 0 {
		return ecFateUnincludable // the user's fault
	}
	return ecFateBroken
}

// equivocated: a public promise q of p's operator sold p's nonce again, and
// q's signer is the operator's committer for q's slot (per the model).
func (x *econ) equivocated(p, q *ecPromise) bool {
	a, b := p.sp.Promise.Inclusions[0], q.sp.Promise.Inclusions[0]
	return q.public && q.op == p.op && a.ChainID == b.ChainID && a.Sender == b.Sender && a.Nonce == b.Nonce && a.TxHash != b.TxHash &&
		q.op.committerAt(q.slot) == q.signer
}

// wronged lists the faults the oracle sees for p, equivocation included.
// With margin, an equivocation counts only when its second promise became
// public with at least margin slots of p's window left (a watcher cannot
// use evidence it never saw in time).
func (x *econ) wronged(p *ecPromise, margin uint64) []slashing.Fault {
	var fs []slashing.Fault
	if f, ok := x.broken(p); ok {
		fs = append(fs, f)
	}
	for _, pr := range x.pairs {
		if pr.a == p && x.equivocated(p, pr.b) && pr.born+margin <= p.slot+x.prm.SlashWindow {
			fs = append(fs, slashing.FaultEquivocation)
			break
		}
	}
	return fs
}

// oracleAllows: the slash of case c is for a fault the oracle sees.
func (x *econ) oracleAllows(c *ecCase) bool {
	if !x.backed(c.p) {
		return false
	}
	if c.fault == slashing.FaultEquivocation {
		return x.equivocated(c.p, c.b)
	}
	f, ok := x.broken(c.p)
	return ok && f == c.fault
}

// ---- watchers ----

func (x *econ) inWindow(slot uint64) bool { return x.head()+1 <= slot+x.prm.SlashWindow }

// sweepDue: a promise or pair the watchers know is getting old unjudged (a
// diligent watcher judges everything well within the window).
func (x *econ) sweepDue() bool {
	limit := x.prm.LedgerGrace + 8
	for _, p := range x.ps {
		if p.public && p.settled == nil && !p.final && x.inWindow(p.slot) && x.head() >= p.slot+limit {
			return true
		}
	}
	for _, pr := range x.pairs {
		if !pr.final && pr.a.settled == nil && x.inWindow(pr.a.slot) && x.head() >= pr.a.slot+limit {
			return true
		}
	}
	return false
}

// evidence builds the evidence a watcher would send for p, slashable or not.
func (x *econ) evidence(p *ecPromise) *ecCase {
	x.t.Helper()
	c := &ecCase{p: p}
	var err error
	switch {
	case x.skipped[p.slot]:
		c.fault = slashing.FaultLiveness
		c.live, err = x.e.b.Liveness(x.ctx, p.sp)
	case p.l2:
		c.fault = slashing.FaultL2Inclusion
		c.l2, err = x.e.b.L2Inclusion(x.ctx, p.sp, 0)
	default:
		c.fault = slashing.FaultSafety
		c.safety, err = x.e.b.Safety(x.ctx, p.sp, 0, x.known(p.op))
	}
	if err != nil {
		x.fatalf("evidence for %s: %v", p, err)
	}
	return c
}

// caseOf turns an Assess verdict into a case.
func (x *econ) caseOf(p *ecPromise, v *slashing.Verdict) *ecCase {
	c := &ecCase{p: p, fault: v.Fault}
	switch ev := v.Evidence.(type) {
	case *slashing.SafetyEvidence:
		c.safety = ev
	case *slashing.LivenessEvidence:
		c.live = ev
	case *slashing.L2Evidence:
		c.l2 = ev
	default:
		x.fatalf("verdict for %s with evidence %T", p, v.Evidence)
	}
	return c
}

func (x *econ) known(o *ecOp) []slashing.SignedPromise {
	var out []slashing.SignedPromise
	for _, q := range x.ps {
		if q.public && q.op == o {
			out = append(out, q.sp)
		}
	}
	return out
}

func (x *econ) equivCase(a, b *ecPromise) *ecCase {
	x.t.Helper()
	bk, err := x.e.b.Backing(x.ctx, a.sp)
	if err != nil {
		x.fatalf("backing of %s: %v", a, err)
	}
	return &ecCase{p: a, b: b, fault: slashing.FaultEquivocation,
		equiv: &slashing.EquivocationEvidence{A: a.sp, B: b.sp, IndexA: 0, IndexB: 0, BackingA: bk}}
}

// sweep: watcher w judges every public promise and every pair that sold a
// nonce twice, and submits what the Judge finds slashable (oldest first),
// plus a few refusals to test the Judge against the contract. The copier
// interferes with some. It returns how many slashes succeeded.
func (x *econ) sweep(w *ecActor) int {
	x.t.Helper()
	head := x.head()
	var cases, refusals []*ecCase
	for _, p := range x.ps {
		if !p.public || p.settled != nil || p.final || head < p.slot+2 {
			continue
		}
		if !x.inWindow(p.slot) {
			p.final = true
			continue
		}
		v, err := x.e.judge.Assess(x.ctx, p.sp, x.known(p.op))
		if err != nil {
			x.fatalf("assess %s: %v", p, err)
		}
		pending := !v.Slashable && errors.Is(v.Reason, slashing.ErrLedgerPending)
		if head > p.slot+x.prm.LedgerGrace && !pending {
			// The oracle and the Judge agree on every promise past its grace.
			f, broken := x.broken(p)
			if want := broken && x.backed(p); v.Slashable != want {
				x.fatalf("the judge says %s is slashable=%v (%v), the model's oracle %v (broken %v %s, backed %v)", p, v.Slashable, v.Reason, want, broken, ecFaultName[f], x.backed(p))
			}
		}
		switch {
		case v.Slashable:
			cases = append(cases, x.caseOf(p, v))
		case pending:
			if x.r.IntN(8) == 0 {
				refusals = append(refusals, x.evidence(p))
			}
		default:
			p.final = true
			if x.r.IntN(4) == 0 || (p.op.honest && x.r.IntN(2) == 0) {
				refusals = append(refusals, x.evidence(p))
			}
		}
	}
	for _, pr := range x.pairs {
		if pr.final || pr.a.settled != nil || head < pr.a.slot+2 || head < pr.b.slot+1 {
			continue
		}
		if !x.inWindow(pr.a.slot) {
			pr.final = true
			continue
		}
		c := x.equivCase(pr.a, pr.b)
		jerr := x.e.judge.Equivocation(x.ctx, c.equiv)
		pending := errors.Is(jerr, slashing.ErrLedgerPending)
		if head > pr.a.slot+x.prm.LedgerGrace && !pending {
			if want := x.backed(pr.a) && x.equivocated(pr.a, pr.b); (jerr == nil) != want {
				x.fatalf("the judge says equivocation %s / %s: %v, the model's oracle slashable=%v", pr.a, pr.b, jerr, want)
			}
		}
		switch {
		case jerr == nil:
			cases = append(cases, c)
		case pending:
		default:
			pr.final = true
			if x.r.IntN(3) == 0 {
				refusals = append(refusals, c)
			}
		}
	}
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].p.slot < cases[j].p.slot })
	if len(cases) > 12 {
		cases = cases[:12] // the rest wait for the next sweep, unsettled and not final
	}
	if len(refusals) > 3 {
		refusals = refusals[:3]
	}
	if len(cases)+len(refusals) == 0 {
		return 0
	}
	x.what += fmt.Sprintf(" [watcher %d: %d slashable, %d refusals]", w.idx, len(cases), len(refusals))
	all := append(append([]*ecCase{}, cases...), refusals...)
	claims := make([]slashing.Claim, len(all))
	digests := make([]common.Hash, len(all))
	for i, c := range all {
		claims[i], digests[i] = w.claim(), c.p.digest
	}
	x.commitClaims(w.idx, claims, digests)
	slashed := 0
	for i, c := range all {
		claim := claims[i]
		if i < len(cases) && x.r.IntN(4) == 0 {
			// The copier re-submits the watcher's evidence with its own
			// (uncommitted) claim: refused.
			x.submit(x.copier.idx, c, x.copier.claim())
		}
		from := w.idx
		if i < len(cases) && x.r.IntN(5) == 0 {
			// The copier sends the watcher's very call: it pays the watcher's beneficiary.
			from = x.copier.idx
		}
		if x.submit(from, c, claim) {
			slashed++
			if from == x.copier.idx {
				x.cov["copier pays the watcher"]++
			}
			if x.r.IntN(3) == 0 {
				x.submit(x.copier.idx, c, x.copier.claim()) // too late: settled
			}
		}
	}
	return slashed
}

// stepSelfSlash: a dishonest operator slashes its own fakes and its 1-wei
// promises against victims, with its own claims.
func (x *econ) stepSelfSlash() {
	o := x.dishonest()
	x.what = fmt.Sprintf("%s slashes itself", o)
	head := x.head()
	var cands []*ecPromise
	for _, p := range o.owned {
		if p.settled == nil && !p.final && head >= p.slot+2 && x.inWindow(p.slot) {
			cands = append(cands, p)
		}
	}
	x.r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	if len(cands) > 2 {
		cands = cands[:2]
	}
	var cs []*ecCase
	for _, p := range cands {
		var c *ecCase
		if p.kind == ecEquivA {
			c = x.equivCase(p, p.victimOf)
			if jerr := x.e.judge.Equivocation(x.ctx, c.equiv); jerr != nil && !errors.Is(jerr, slashing.ErrLedgerPending) {
				p.final = true
			}
		} else {
			v, err := x.e.judge.Assess(x.ctx, p.sp, nil)
			if err != nil {
				x.fatalf("assess %s: %v", p, err)
			}
			switch {
			case v.Slashable:
				c = x.caseOf(p, v)
			case errors.Is(v.Reason, slashing.ErrLedgerPending):
				continue
			default:
				p.final = true
				if x.r.IntN(2) == 0 {
					continue
				}
				c = x.evidence(p) // it tries anyway
			}
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return
	}
	claims := make([]slashing.Claim, len(cs))
	digests := make([]common.Hash, len(cs))
	for i, c := range cs {
		claims[i], digests[i] = o.claim, c.p.digest
	}
	x.commitClaims(o.idx, claims, digests)
	for _, c := range cs {
		if x.submit(o.idx, c, o.claim) {
			x.publish(c.p)
		}
	}
}

// stepAttackHonest: an attacker builds evidence against an honest operator's
// promise (a forged promise, a tampered one, a fake equivocation, liveness
// for a slot that has its block). Every call is refused, as the Judge says.
func (x *econ) stepAttackHonest() {
	head := x.head()
	var targets []*ecPromise
	for _, p := range x.ps {
		if p.op.honest && p.public && head >= p.slot+2 && x.inWindow(p.slot) {
			targets = append(targets, p)
		}
	}
	if len(targets) == 0 {
		x.what = "attack an honest operator (no target)"
		return
	}
	p := targets[x.r.IntN(len(targets))]
	o := p.op
	var c *ecCase
	switch v := x.r.IntN(5); v {
	case 0: // a promise of the operator signed by the thief, for the thief's includable tx
		f := x.sign(o, x.thief, p.slot, x.amount(), incOf(x.c.Transfer(x.thief, 0, x.c.Addr(slDeployer), big.NewInt(int64(x.nextID)), highFee)), ecForged)
		c = x.evidence(f)
		x.what = "attack: a forged promise"
	case 1: // the kept promise with a higher slash amount
		tp := *p.sp.Promise
		tp.SlashAmount = new(big.Int).Mul(tp.SlashAmount, big.NewInt(2))
		f := &ecPromise{id: -p.id, sp: slashing.SignedPromise{Promise: &tp, Signature: p.sp.Signature}, op: o, digest: tp.Digest(x.e.dom), slot: p.slot, kind: ecForged, l2: p.l2, user: p.user}
		c = x.evidence(f)
		x.what = "attack: a tampered promise"
	case 2, 3: // an equivocation with a second promise the thief signed
		inc := p.sp.Promise.Inclusions[0]
		binary.BigEndian.PutUint64(inc.TxHash[:], x.r.Uint64())
		f := x.sign(o, x.thief, p.slot, big.NewInt(1), inc, ecForged)
		if v == 2 {
			c = x.equivCase(p, f)
		} else {
			c = x.equivCase(f, p)
		}
		x.what = "attack: a forged equivocation"
	default: // liveness evidence around a slot that has its block
		if x.skipped[p.slot] || x.blocks[p.slot] == nil {
			x.what = "attack: liveness (no target)"
			return
		}
		b := x.blocks[p.slot]
		par, err := x.c.Client.HeaderByHash(x.ctx, b.ParentHash)
		if err != nil {
			x.t.Fatal(err)
		}
		h1, _ := rlp.EncodeToBytes(par)
		h2, _ := rlp.EncodeToBytes(b)
		bk, err := x.e.b.Backing(x.ctx, p.sp)
		if err != nil {
			x.t.Fatal(err)
		}
		c = &ecCase{p: p, fault: slashing.FaultLiveness, live: &slashing.LivenessEvidence{Header1: h1, Header2: h2, Backing: bk}}
		x.what = "attack: liveness of a slot with a block"
	}
	claim := x.copier.claim()
	x.commitClaims(x.copier.idx, []slashing.Claim{claim}, []common.Hash{c.p.digest})
	if x.submit(x.copier.idx, c, claim) {
		x.fatalf("property 1: the attack %s succeeded", c)
	}
}

// ---- invariants ----

// check runs after every step: the model against the Registry, conservation
// of the Registry's ether, property 1 (honest collateral never falls) and
// the per-step form of property 4.
func (x *econ) check() {
	x.t.Helper()
	for _, p := range x.ps {
		if p.kind == ecVictim && !p.l2 && p.fate == ecFateUnread && x.blocks[p.slot] != nil && x.head() > p.slot {
			p.fate = x.readFate(p)
		}
	}
	sum := new(big.Int)
	for _, o := range x.ops {
		st, err := x.e.k.Registry.Status(&bind.CallOpts{}, o.addr)
		if err != nil {
			x.t.Fatal(err)
		}
		if st.Collateral.Cmp(o.coll) != 0 || st.Reserved.Cmp(o.resv) != 0 {
			x.fatalf("%s: Registry collateral %s reserved %s, the model %s and %s", o, st.Collateral, st.Reserved, o.coll, o.resv)
		}
		sum.Add(sum, st.Collateral)
		next := x.head() + 1
		if got, err := x.e.k.Registry.CommitterAt(&bind.CallOpts{}, o.addr, next); err != nil || got != o.committerAt(next) {
			x.fatalf("%s: committerAt(%d) = %s (%v), the model %s", o, next, got, err, o.committerAt(next))
		}
		if o.honest {
			if st.Collateral.Cmp(o.last) < 0 {
				x.fatalf("property 1: the collateral of %s fell from %s to %s", o, o.last, st.Collateral)
			}
			if o.net.Sign() != 0 {
				x.fatalf("property 1: %s lost %s to slashes", o, o.net)
			}
		}
		o.last = new(big.Int).Set(st.Collateral)
		w := x.wealth(o, nil)
		if bound := new(big.Int).Sub(o.w0, o.net); w.Cmp(bound) > 0 {
			x.fatalf("property 4: %s has wealth %s, above W₀ − net slashed = %s − %s", o, w, o.w0, o.net)
		}
	}
	burned, err := x.e.k.Registry.Burned(&bind.CallOpts{})
	if err != nil {
		x.t.Fatal(err)
	}
	if burned.Cmp(x.burned) != 0 {
		x.fatalf("Registry.burned %s, the model %s", burned, x.burned)
	}
	sum.Add(sum, burned)
	for a := range x.payees {
		owed, err := x.e.k.Registry.Owed(&bind.CallOpts{}, a)
		if err != nil {
			x.t.Fatal(err)
		}
		sum.Add(sum, owed)
	}
	if bal := x.balanceAt(x.e.k.RegistryAddr, nil); bal.Cmp(sum) != 0 {
		x.fatalf("the Registry holds %s wei, Σ collateral + burned + owed = %s", bal, sum)
	}
}

// finish lets every ledger grace pass, has the watchers judge everything
// once more, and checks property 4 in full.
func (x *econ) finish() {
	x.t.Helper()
	x.step++
	x.what = "final sweeps"
	last := x.first
	for _, p := range x.ps {
		if p.slot > last {
			last = p.slot
		}
	}
	for x.head() < last+x.prm.LedgerGrace+2 {
		x.c.Commit()
	}
	x.pending = nil
	for round := 0; round < 8; round++ {
		if x.sweep(x.watchers[round%2]) == 0 && !x.sweepLeft() {
			break
		}
	}
	x.check()

	// Every backed victim of a broken promise was paid ⌊⌊λ·a⌋·u⌋; operators
	// end no richer than after paying them and the burn of their self-slashes.
	owes := map[*ecOp]*big.Int{}
	victims := 0
	for _, o := range x.ops {
		owes[o] = new(big.Int)
	}
	for _, p := range x.ps {
		if p.kind != ecVictim {
			continue
		}
		fs := x.wronged(p, x.prm.LedgerGrace+6)
		if p.op.honest {
			if len(fs) > 0 || p.settled != nil {
				x.fatalf("property 1: %s of an honest operator: oracle faults %v, slashed %v", p, fs, p.settled != nil)
			}
			continue
		}
		if len(fs) == 0 || !x.backed(p) {
			continue
		}
		victims++
		if p.settled == nil {
			x.fatalf("property 4 / rule 1: %s is a backed victim (faults %v) the watchers judged within its window, and was not paid", p, fs)
		}
		found := false
		for _, f := range fs {
			found = found || f == p.settled.fault
		}
		lambda := int64(10_000)
		if p.settled.fault == slashing.FaultLiveness {
			lambda = int64(x.prm.LivenessBps)
		}
		a := new(big.Int).Div(new(big.Int).Mul(p.sp.Promise.SlashAmount, big.NewInt(lambda)), big.NewInt(10_000))
		want := a.Div(a.Mul(a, big.NewInt(int64(x.prm.UserBps))), big.NewInt(10_000))
		if !found || p.settled.user != p.user || p.settled.userPaid.Cmp(want) != 0 {
			x.fatalf("property 4 / rule 1: %s was paid %s to %s for %s, want ⌊⌊λ·a⌋·u⌋ = %s to %s for one of %v",
				p, p.settled.userPaid, p.settled.user, ecFaultName[p.settled.fault], want, p.user, fs)
		}
		owes[p.op].Add(owes[p.op], want)
	}
	x.cov["backed victims"] += victims
	x.bound(owes)

	// The exit escape (threat model row 2), completed: every dishonest
	// operator unregisters (if it has not), waits out the delay, which closes
	// every window, and withdraws. Early calls are refused; then it gets its
	// collateral, and still ends no richer than the bound.
	x.what = "final exits"
	var exiting []*ecOp
	for _, o := range x.ops {
		if o.honest || o.state == ecWithdrawn {
			continue
		}
		if o.state == ecRegistered {
			x.expectRegistry("unregister", x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
				return x.e.k.Registry.Unregister(opts)
			}), "")
			o.state, o.exit = ecExiting, x.head()+x.prm.RotationDelay
		}
		exiting = append(exiting, o)
	}
	for _, o := range exiting {
		for x.head() < o.exit+x.prm.UnregistrationDelay {
			if x.head()+1 == o.exit+x.prm.UnregistrationDelay {
				// The estimate runs at the head's slot, one before the delay is over.
				x.expectRegistry("withdraw", x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
					return x.e.k.Registry.Withdraw(opts)
				}), "DelayNotOver")
			}
			x.c.Commit()
		}
		before := x.balanceAt(o.addr, nil)
		coll := new(big.Int).Set(o.coll)
		x.expectRegistry("withdraw", x.registryCall(o.idx, func(opts *bind.TransactOpts) (*types.Transaction, error) {
			return x.e.k.Registry.Withdraw(opts)
		}), "")
		o.state, o.coll, o.resv = ecWithdrawn, new(big.Int), new(big.Int)
		if got := new(big.Int).Sub(x.balanceAt(o.addr, nil), before); got.Cmp(coll) > 0 || new(big.Int).Sub(coll, got).Cmp(big.NewInt(1e16)) > 0 {
			x.fatalf("withdraw paid %s %s (net of gas), want its collateral %s", o, got, coll)
		}
	}
	x.check()
	x.bound(owes)
	x.t.Logf("seed %d: %d steps, %d promises, %d pairs, head slot %d; %v", x.seed, x.step-1, len(x.ps), len(x.pairs), x.head(), x.cov)
}

// bound checks the end form of property 4 for every operator.
func (x *econ) bound(owes map[*ecOp]*big.Int) {
	x.t.Helper()
	for _, o := range x.ops {
		w := x.wealth(o, nil)
		bound := new(big.Int).Sub(o.w0, owes[o])
		bound.Sub(bound, o.burnt)
		if w.Cmp(bound) > 0 {
			x.fatalf("property 4: %s ends with wealth %s, above W₀ %s − owed to its victims %s − burnt by its self-slashes %s", o, w, o.w0, owes[o], o.burnt)
		}
		x.t.Logf("%s (%s): wealth %s → %s; owed to its backed victims %s, net slashed %s, burnt by self-slashes %s", o, x.what, o.w0, w, owes[o], o.net, o.burnt)
	}
}

// sweepLeft: something public is still slashable-or-unjudged in its window.
func (x *econ) sweepLeft() bool {
	for _, p := range x.ps {
		if p.public && p.settled == nil && !p.final && x.inWindow(p.slot) {
			return true
		}
	}
	for _, pr := range x.pairs {
		if !pr.final && pr.a.settled == nil && x.inWindow(pr.a.slot) {
			return true
		}
	}
	return false
}
