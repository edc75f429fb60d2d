package contracts_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/registry"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Accounts of the registry tests.
const (
	deployer = iota
	operatorA
	operatorB
	committer1
	committer2
	user
	watcher
	slasherEOA
	numAccounts
)

type registryEnv struct {
	*chain
	addr common.Address
	reg  *bindings.Registry
}

func deployRegistry(t *testing.T) *registryEnv {
	t.Helper()
	c := newChain(t, numAccounts)
	addr, tx, reg, err := bindings.DeployRegistry(c.opts(deployer), c.client, registryConfig(c))
	c.mine(tx, err)
	return &registryEnv{chain: c, addr: addr, reg: reg}
}

// registryConfig is the Registry's constructor argument on c.
func registryConfig(c *chain) bindings.RegistryConfig {
	return bindings.RegistryConfig{
		MinCollateral: minCollateral, GenesisTime: c.genesis, SecondsPerSlot: secondsPerSlot,
		Lookahead: lookahead, RotationDelay: rotationDelay, UnregistrationDelay: unregistrationDelay,
		SlashWindow: slashWindow, LedgerGrace: ledgerGrace,
	}
}

// slasherConfig is the Slasher's constructor argument matching registryConfig.
func slasherConfig(c *chain) bindings.ISlasherConfig {
	return bindings.ISlasherConfig{
		GenesisTime: c.genesis, SecondsPerSlot: secondsPerSlot, SlashWindow: slashWindow, LivenessBps: 5000,
		UserBps: 8000, BurnBps: 1000, BlobBaseFeeUpdateFraction: 5007716,
	}
}

// The constructor refuses parameters whose ordering would let a sold promise
// change signer, outlive its collateral, or its ledger outlive its window.
func TestRegistryConfigRefusals(t *testing.T) {
	t.Parallel()
	c := newChain(t, 1)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	for name, edit := range map[string]func(*bindings.RegistryConfig){
		"seconds per slot zero":           func(r *bindings.RegistryConfig) { r.SecondsPerSlot = 0 },
		"lookahead zero":                  func(r *bindings.RegistryConfig) { r.Lookahead = 0 },
		"rotation not above lookahead":    func(r *bindings.RegistryConfig) { r.RotationDelay = r.Lookahead },
		"grace zero":                      func(r *bindings.RegistryConfig) { r.LedgerGrace = 0 },
		"window not above grace":          func(r *bindings.RegistryConfig) { r.SlashWindow = r.LedgerGrace },
		"window above EIP-2935":           func(r *bindings.RegistryConfig) { r.SlashWindow, r.UnregistrationDelay = 8192, 9000 },
		"unregistration not above window": func(r *bindings.RegistryConfig) { r.UnregistrationDelay = r.SlashWindow },
	} {
		cfg := registryConfig(c)
		edit(&cfg)
		_, _, _, err := bindings.DeployRegistry(c.opts(deployer), c.client, cfg)
		if got := revertName(t, err, regABI); got != "InvalidConfig" {
			t.Errorf("%s: %s", name, got)
		}
	}
}

func newKeys(t *testing.T, n int) []*bls.SecretKey {
	t.Helper()
	keys := make([]*bls.SecretKey, n)
	for i := range keys {
		sk, _, err := bls.GenerateNewKeypair()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = sk
	}
	return keys
}

// proofs builds the PoPs of keys for operator in this registry.
func (e *registryEnv) proofs(keys []*bls.SecretKey, operator common.Address) (pubkeys, sigs [][]byte, compressed [][]byte) {
	e.t.Helper()
	for _, sk := range keys {
		p, err := registry.Prove(sk, e.chainID, e.addr, operator)
		if err != nil {
			e.t.Fatal(err)
		}
		pubkeys = append(pubkeys, p.PublicKeyG1)
		sigs = append(sigs, p.Signature)
		compressed = append(compressed, p.PublicKey)
	}
	return pubkeys, sigs, compressed
}

func (e *registryEnv) withValue(i int, v *big.Int) *bind.TransactOpts {
	o := e.opts(i)
	o.Value = v
	return o
}

func TestPopMessageMatchesContract(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	for _, op := range []int{operatorA, operatorB} {
		got, err := e.reg.PopMessage(nil, e.accts[op].addr)
		if err != nil {
			t.Fatal(err)
		}
		want := registry.PopMessage(e.chainID, e.addr, e.accts[op].addr)
		if !bytes.Equal(got, want) {
			t.Fatalf("popMessage: contract %x, Go %x", got, want)
		}
	}
}

func TestRegisterWithGoodProofs(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3} {
		e := deployRegistry(t)
		op := e.accts[operatorA].addr
		pubkeys, sigs, compressed := e.proofs(newKeys(t, n), op)
		collateral := new(big.Int).Mul(minCollateral, big.NewInt(2))
		rcpt := e.mine(e.reg.Register(e.withValue(operatorA, collateral), pubkeys, sigs, e.accts[committer1].addr))
		slot := e.slotOf(rcpt)

		for i, pk := range compressed {
			got, err := e.reg.OperatorOf(nil, pk)
			if err != nil {
				t.Fatal(err)
			}
			if got != op {
				t.Fatalf("n=%d key %d: operatorOf = %s, want %s", n, i, got, op)
			}
		}
		st, err := e.reg.Status(nil, op)
		if err != nil {
			t.Fatal(err)
		}
		if st.State != uint8(registry.StateRegistered) || st.Keys != uint32(n) || st.Collateral.Cmp(collateral) != 0 ||
			st.RegisteredSlot != slot || st.Committer != e.accts[committer1].addr {
			t.Fatalf("n=%d: status %+v", n, st)
		}
		// The KeyRegistered events carry the compressed keys, in order.
		it, err := e.reg.FilterKeyRegistered(nil, []common.Address{op}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var seen int
		for it.Next() {
			if !bytes.Equal(it.Event.Pubkey, compressed[seen]) || it.Event.KeyHash != registry.KeyHash(compressed[seen]) {
				t.Fatalf("event %d: pubkey %x hash %x", seen, it.Event.Pubkey, it.Event.KeyHash)
			}
			seen++
		}
		if seen != n {
			t.Fatalf("%d KeyRegistered events, want %d", seen, n)
		}
		t.Logf("register %d key(s): %d gas", n, rcpt.GasUsed)
	}
}

func TestRegisterRefusals(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	opA, opB := e.accts[operatorA].addr, e.accts[operatorB].addr
	keys := newKeys(t, 2)
	pubA, sigA, _ := e.proofs(keys[:1], opA)
	pubOther, sigOther, _ := e.proofs(keys[1:], opA)
	_, sigForB, _ := e.proofs(keys[:1], opB)

	// A valid G2 point that is the right key's signature of another message.
	otherMsg := bls.Sign(keys[0], registry.PopMessage(e.chainID, common.Address{1}, opA))
	sigOtherRegistry := registry.EncodeG2(otherMsg)
	tampered := bytes.Clone(sigA[0])
	tampered[255] ^= 1
	badPadding := bytes.Clone(pubA[0])
	badPadding[0] = 1
	committer := e.accts[committer1].addr

	cases := []struct {
		name      string
		pubkeys   [][]byte
		sigs      [][]byte
		committer common.Address
		value     *big.Int
		want      string
		sentinel  error
	}{
		{"other key's signature", pubA, sigOther, committer, minCollateral, "BadProofOfPossession", registry.ErrBadProofOfPossession},
		{"signed for another operator", pubA, sigForB, committer, minCollateral, "BadProofOfPossession", registry.ErrBadProofOfPossession},
		{"signed for another registry", pubA, [][]byte{sigOtherRegistry}, committer, minCollateral, "BadProofOfPossession", registry.ErrBadProofOfPossession},
		{"tampered signature", pubA, [][]byte{tampered}, committer, minCollateral, "BadProofOfPossession", registry.ErrBadProofOfPossession},
		{"short signature", pubA, [][]byte{sigA[0][:255]}, committer, minCollateral, "BadSignature", registry.ErrBadSignatureEncoding},
		{"bad key padding", [][]byte{badPadding}, sigA, committer, minCollateral, "BadPublicKey", registry.ErrBadPublicKey},
		{"key at infinity", [][]byte{make([]byte, 128)}, sigA, committer, minCollateral, "BadPublicKey", registry.ErrBadPublicKey},
		{"short key", [][]byte{pubA[0][:127]}, sigA, committer, minCollateral, "BadPublicKey", registry.ErrBadPublicKey},
		{"too little collateral", pubA, sigA, committer, new(big.Int).Sub(minCollateral, big.NewInt(1)), "NotEnoughCollateral", registry.ErrNotEnoughCollateral},
		{"zero committer", pubA, sigA, common.Address{}, minCollateral, "ZeroCommitter", registry.ErrZeroCommitter},
		{"no keys", nil, nil, committer, minCollateral, "NoKeys", registry.ErrNoKeys},
		{"length mismatch", [][]byte{pubA[0], pubOther[0]}, sigA, committer, minCollateral, "LengthMismatch", registry.ErrLengthMismatch},
		{"same key twice", [][]byte{pubA[0], pubA[0]}, [][]byte{sigA[0], sigA[0]}, committer, minCollateral, "KeyAlreadyRegistered", registry.ErrKeyAlreadyRegistered},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.reg.Register(e.withValue(operatorA, tc.value), tc.pubkeys, tc.sigs, tc.committer)
			if got := revertName(t, err, regABI); got != tc.want {
				t.Fatalf("revert %s, want %s", got, tc.want)
			}
			if !errors.Is(registry.DecodeRevert(err), tc.sentinel) {
				t.Fatalf("DecodeRevert(%v) does not wrap %v", err, tc.sentinel)
			}
		})
	}

	// Nothing was registered by the refused calls.
	if st, _ := e.reg.Status(nil, opA); st.State != uint8(registry.StateNone) {
		t.Fatalf("refused registrations left state %d", st.State)
	}

	// key registered by another operator
	{
		e.mine(e.reg.Register(e.withValue(operatorA, minCollateral), pubA, sigA, committer))
		pubB, sigB, _ := e.proofs(keys[:1], opB)
		_, err := e.reg.Register(e.withValue(operatorB, minCollateral), pubB, sigB, committer)
		if got := revertName(t, err, regABI); got != "KeyAlreadyRegistered" {
			t.Fatalf("revert %s", got)
		}
	}
	// operator registers twice
	{
		_, err := e.reg.Register(e.withValue(operatorA, minCollateral), pubOther, sigOther, committer)
		if got := revertName(t, err, regABI); got != "AlreadyRegistered" {
			t.Fatalf("revert %s", got)
		}
	}
	// addKeys binds more keys with the same proof
	{
		e.mine(e.reg.AddKeys(e.opts(operatorA), pubOther, sigOther))
		st, _ := e.reg.Status(nil, opA)
		if st.Keys != 2 {
			t.Fatalf("keys = %d, want 2", st.Keys)
		}
		_, err := e.reg.AddKeys(e.opts(operatorB), pubOther, sigOther)
		if got := revertName(t, err, regABI); got != "NotActive" {
			t.Fatalf("addKeys by a stranger: revert %s", got)
		}
	}
}

func TestCommitterRotation(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	op := e.accts[operatorA].addr
	c1, c2, c3 := e.accts[committer1].addr, e.accts[committer2].addr, e.accts[user].addr

	_, err := e.reg.SetCommitter(e.opts(operatorA), c2)
	if got := revertName(t, err, regABI); got != "NotRegistered" {
		t.Fatalf("setCommitter before register: %s", got)
	}

	pubkeys, sigs, _ := e.proofs(newKeys(t, 1), op)
	s0 := e.slotOf(e.mine(e.reg.Register(e.withValue(operatorA, minCollateral), pubkeys, sigs, c1)))
	e.advance(2)
	s1 := e.slotOf(e.mine(e.reg.SetCommitter(e.opts(operatorA), c2)))
	eff1 := s1 + rotationDelay
	e.advance(1)
	s2 := e.slotOf(e.mine(e.reg.SetCommitter(e.opts(operatorA), c3)))
	eff2 := s2 + rotationDelay
	if eff2 <= eff1 {
		t.Fatalf("rotations not in distinct slots: %d, %d", eff1, eff2)
	}

	cases := []struct {
		slot uint64
		want common.Address
	}{
		{s0 - 1, common.Address{}}, // before registration nobody signs for the operator
		{s0, c1},
		{s1, c1}, // the rotation call itself changes nothing yet
		{eff1 - 1, c1},
		{eff1, c2},
		{eff2 - 1, c2},
		{eff2, c3},
		{eff2 + 1000, c3},
	}
	for _, tc := range cases {
		got, err := e.reg.CommitterAt(nil, op, tc.slot)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("committerAt(%d) = %s, want %s (reg %d, rot %d->%d, %d->%d)", tc.slot, got, tc.want, s0, s1, eff1, s2, eff2)
		}
	}

	// Two rotations in one slot: the later one wins for that effective slot.
	e.advance(1)
	o := e.opts(operatorA)
	tx1, err := e.reg.SetCommitter(o, c1)
	if err != nil {
		t.Fatal(err)
	}
	o.Nonce = big.NewInt(int64(tx1.Nonce() + 1))
	rcpt := e.mine(e.reg.SetCommitter(o, c2))
	eff3 := e.slotOf(rcpt) + rotationDelay
	if got, _ := e.reg.CommitterAt(nil, op, eff3); got != c2 {
		t.Fatalf("same-slot rotations: committerAt(%d) = %s, want %s", eff3, got, c2)
	}
	if got, _ := e.reg.CommitterAt(nil, op, eff3-1); got != c3 {
		t.Fatalf("same-slot rotations: committerAt(%d) = %s, want %s", eff3-1, got, c3)
	}
	_, err = e.reg.SetCommitter(e.opts(operatorA), common.Address{})
	if got := revertName(t, err, regABI); got != "ZeroCommitter" {
		t.Fatalf("zero committer: %s", got)
	}
}

func TestUnregisterWithdraw(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	op := e.accts[operatorA].addr
	pubkeys, sigs, compressed := e.proofs(newKeys(t, 1), op)
	collateral := new(big.Int).Mul(minCollateral, big.NewInt(3))

	_, err := e.reg.Deposit(e.withValue(operatorA, big.NewInt(1)))
	if got := revertName(t, err, regABI); got != "NotRegistered" {
		t.Fatalf("deposit before register: %s", got)
	}
	e.mine(e.reg.Register(e.withValue(operatorA, minCollateral), pubkeys, sigs, e.accts[committer1].addr))
	e.mine(e.reg.Deposit(e.withValue(operatorA, new(big.Int).Sub(collateral, minCollateral))))
	if got, _ := e.reg.CollateralOf(nil, op); got.Cmp(collateral) != 0 {
		t.Fatalf("collateral after deposit %s, want %s", got, collateral)
	}

	_, err = e.reg.Withdraw(e.opts(operatorA))
	if got := revertName(t, err, regABI); got != "NotRegistered" {
		t.Fatalf("withdraw before unregister: %s", got)
	}
	// The exit slot is rotationDelay ahead (#11): no promise already sold is voided.
	exit := e.slotOf(e.mine(e.reg.Unregister(e.opts(operatorA)))) + rotationDelay
	if c, _ := e.reg.CommitterAt(nil, op, exit-1); c != e.accts[committer1].addr {
		t.Fatalf("committerAt(exit-1) = %s, want the committer", c)
	}
	if c, _ := e.reg.CommitterAt(nil, op, exit); c != (common.Address{}) {
		t.Fatalf("committerAt(exit) = %s, want none", c)
	}
	_, err = e.reg.Unregister(e.opts(operatorA))
	if got := revertName(t, err, regABI); got != "NotActive" {
		t.Fatalf("unregister twice: %s", got)
	}
	st, _ := e.reg.Status(nil, op)
	if st.State != uint8(registry.StateExiting) || st.ExitSlot != exit || st.WithdrawableSlot != exit+unregistrationDelay {
		t.Fatalf("status after unregister: %+v (exit %d)", st, exit)
	}

	_, err = e.reg.Withdraw(e.opts(operatorA))
	if got := revertName(t, err, regABI); got != "DelayNotOver" {
		t.Fatalf("withdraw right after unregister: %s", got)
	}
	// One slot short of the delay: still refused (calls run at the head's time).
	e.advance(exit + unregistrationDelay - 1 - e.headSlot())
	if _, err = e.reg.Withdraw(e.opts(operatorA)); !errors.Is(registry.DecodeRevert(err), registry.ErrDelayNotOver) {
		t.Fatalf("withdraw one slot early: %v", err)
	}

	e.advance(1)
	st, _ = e.reg.Status(nil, op)
	if st.State != uint8(registry.StateWithdrawable) {
		t.Fatalf("state after the delay = %d, want withdrawable", st.State)
	}
	before := e.balance(op)
	rcpt := e.mine(e.reg.Withdraw(e.opts(operatorA)))
	fee := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	want := new(big.Int).Sub(new(big.Int).Add(before, collateral), fee)
	if got := e.balance(op); got.Cmp(want) != 0 {
		t.Fatalf("balance after withdraw %s, want %s", got, want)
	}
	st, _ = e.reg.Status(nil, op)
	if st.State != uint8(registry.StateWithdrawn) || st.Collateral.Sign() != 0 {
		t.Fatalf("status after withdraw: %+v", st)
	}
	_, err = e.reg.Withdraw(e.opts(operatorA))
	if got := revertName(t, err, regABI); got != "NotRegistered" {
		t.Fatalf("withdraw twice: %s", got)
	}
	// The key stays bound: nobody can register it again, not even its operator.
	if got, _ := e.reg.OperatorOf(nil, compressed[0]); got != op {
		t.Fatalf("operatorOf after withdraw = %s", got)
	}
	_, err = e.reg.Register(e.withValue(operatorA, minCollateral), pubkeys, sigs, e.accts[committer1].addr)
	if got := revertName(t, err, regABI); got != "AlreadyRegistered" {
		t.Fatalf("register after withdraw: %s", got)
	}
}

// Only the Slasher slashes, and the deployer binds it once, after checking it
// judges this Registry on the same clock and window. (initSlasher takes no
// account without code since #11, so the slash accounting — shares, burn,
// caps, payments credited for claim() — is tested through the real Slasher:
// TestSlashCapsAtSource and the payouts of slasher_test.go.)
func TestInitSlasher(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	op := e.accts[operatorA].addr
	usr, wat := e.accts[user].addr, e.accts[watcher].addr
	pubkeys, sigs, _ := e.proofs(newKeys(t, 1), op)
	e.mine(e.reg.Register(e.withValue(operatorA, minCollateral), pubkeys, sigs, e.accts[committer1].addr))
	slash := func(from int) error {
		_, err := e.reg.Slash(e.opts(from), op, 0, big.NewInt(1e15), usr, big.NewInt(8000), wat, big.NewInt(1000))
		return err
	}
	if got := revertName(t, slash(slasherEOA), regABI); got != "NotSlasher" {
		t.Fatalf("slash before initSlasher: %s", got)
	}
	clock := slasherConfig(e.chain)
	inbox, itx, _, err := bindings.DeployInbox(e.opts(deployer), e.client, clock.GenesisTime, clock.SecondsPerSlot)
	e.mine(itx, err)
	deploySlasher := func(registry common.Address, cfg bindings.ISlasherConfig) common.Address {
		t.Helper()
		addr, tx, _, err := bindings.DeploySlasher(e.opts(deployer), e.client, registry, inbox, cfg)
		e.mine(tx, err)
		return addr
	}
	// The Slasher refuses an Inbox on another clock (#11 row 8).
	otherClock, otx, _, err := bindings.DeployInbox(e.opts(deployer), e.client, clock.GenesisTime+1, clock.SecondsPerSlot)
	e.mine(otx, err)
	slABI, _ := bindings.SlasherMetaData.GetAbi()
	if _, _, _, err := bindings.DeploySlasher(e.opts(deployer), e.client, e.addr, otherClock, clock); revertName(t, err, slABI) != "InvalidConfig" {
		t.Fatalf("Slasher over an Inbox on another clock: %v", err)
	}
	good := deploySlasher(e.addr, slasherConfig(e.chain))
	otherRegistry := deploySlasher(common.Address{2}, slasherConfig(e.chain))
	otherWindowCfg := slasherConfig(e.chain)
	otherWindowCfg.SlashWindow++
	otherWindow := deploySlasher(e.addr, otherWindowCfg)

	for _, tc := range []struct {
		name    string
		from    int
		slasher common.Address
		want    string
	}{
		{"by a stranger", operatorA, good, "NotDeployer"},
		{"zero address", deployer, common.Address{}, "ZeroAddress"},
		{"Slasher of another Registry", deployer, otherRegistry, "SlasherMismatch"},
		{"Slasher with another window", deployer, otherWindow, "SlasherMismatch"},
	} {
		_, err := e.reg.InitSlasher(e.opts(tc.from), tc.slasher)
		if got := revertName(t, err, regABI); got != tc.want {
			t.Fatalf("initSlasher %s: %s, want %s", tc.name, got, tc.want)
		}
	}
	e.mine(e.reg.InitSlasher(e.opts(deployer), good))
	_, err = e.reg.InitSlasher(e.opts(deployer), good)
	if got := revertName(t, err, regABI); got != "SlasherAlreadySet" {
		t.Fatalf("initSlasher twice: %s", got)
	}
	if got := revertName(t, slash(watcher), regABI); got != "NotSlasher" {
		t.Fatalf("slash by a watcher: %s", got)
	}
}

// openLedger: only the committer for the slot, within [slot, slot+grace],
// once, with well-formed ascending leaves whose total fits the free
// collateral; the Registry computes the root the Go tree computes and
// reserves the total until release() after the slash window.
func TestOpenLedger(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	op := e.accts[operatorA].addr
	pubkeys, sigs, _ := e.proofs(newKeys(t, 1), op)
	collateral := new(big.Int).Mul(minCollateral, big.NewInt(3))
	e.mine(e.reg.Register(e.withValue(operatorA, collateral), pubkeys, sigs, e.accts[committer1].addr))

	leaf := func(d byte, amount int64) protocol.LedgerLeaf {
		return protocol.LedgerLeaf{Digest: common.Hash{d}, Amount: big.NewInt(amount)}
	}
	lg, err := protocol.NewLedger([]protocol.LedgerLeaf{leaf(3, 1e18), leaf(1, 5e17), leaf(2, 25e16)})
	if err != nil {
		t.Fatal(err)
	}
	pack := func(ls ...protocol.LedgerLeaf) []byte {
		var out []byte
		for _, l := range ls {
			b := make([]byte, protocol.LedgerLeafBytes)
			copy(b, l.Digest[:])
			l.Amount.FillBytes(b[32:])
			out = append(out, b...)
		}
		return out
	}
	e.advance(ledgerGrace + 2) // so that a slot past the grace is after the registration
	s := e.headSlot()          // calls run at the head's slot
	poster := e.accts[user].addr
	for _, tc := range []struct {
		name   string
		from   int
		op     common.Address
		slot   uint64
		leaves []byte
		want   string
	}{
		{"not registered", committer1, e.accts[operatorB].addr, s, lg.Pack(), "NotRegistered"},
		{"by another account", operatorA, op, s, lg.Pack(), "NotCommitter"},
		{"slot not reached", committer1, op, s + 1, lg.Pack(), "LedgerTooEarly"},
		{"after the grace", committer1, op, s - ledgerGrace - 1, lg.Pack(), "LedgerTooLate"},
		{"no leaves", committer1, op, s, nil, "MalformedLedger"},
		{"truncated leaf", committer1, op, s, lg.Pack()[:43], "MalformedLedger"},
		{"descending", committer1, op, s, pack(leaf(2, 1), leaf(1, 1)), "LedgerNotSorted"},
		{"same digest twice", committer1, op, s, pack(leaf(1, 1), leaf(1, 1)), "LedgerNotSorted"},
		{"more than the free collateral", committer1, op, s, pack(leaf(1, 2e18), leaf(2, 1e18+1)), "NotEnoughFreeCollateral"},
	} {
		_, err := e.reg.OpenLedger(e.opts(tc.from), tc.op, tc.slot, poster, tc.leaves)
		if got := revertName(t, err, regABI); got != tc.want {
			t.Fatalf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}

	rcpt := e.mine(e.reg.OpenLedger(e.opts(committer1), op, s, poster, lg.Pack()))
	t.Logf("openLedger, 3 leaves: %d gas", rcpt.GasUsed)
	ev, err := e.reg.ParseLedgerOpened(*rcpt.Logs[0])
	if err != nil {
		t.Fatal(err)
	}
	if ev.Root != lg.Root() || ev.Count != 3 || ev.Total.Cmp(lg.Total()) != 0 || ev.Committer != e.accts[committer1].addr ||
		ev.Poster != poster || !bytes.Equal(ev.Leaves, lg.Pack()) || ev.Slot != s || ev.Operator != op {
		t.Fatalf("LedgerOpened %+v, Go root %s", ev, lg.Root())
	}
	l, err := e.reg.LedgerOf(nil, op, s)
	if err != nil {
		t.Fatal(err)
	}
	if l.Root != lg.Root() || l.Count != 3 || l.Left.Cmp(lg.Total()) != 0 || l.Committer != e.accts[committer1].addr || l.Poster != poster || l.Released {
		t.Fatalf("ledgerOf %+v", l)
	}
	free, _ := e.reg.FreeCollateral(nil, op)
	if st, _ := e.reg.Status(nil, op); st.Reserved.Cmp(lg.Total()) != 0 || free.Cmp(new(big.Int).Sub(collateral, lg.Total())) != 0 {
		t.Fatalf("reserved %s, free %s, after a ledger of %s", st.Reserved, free, lg.Total())
	}
	_, err = e.reg.OpenLedger(e.opts(committer1), op, s, poster, pack(leaf(9, 1)))
	if got := revertName(t, err, regABI); got != "LedgerExists" {
		t.Fatalf("second ledger for a slot: %s", got)
	}

	// release: refused until the window is over, then gives the reservation back, once.
	_, err = e.reg.Release(e.opts(user), op, []uint64{s})
	if got := revertName(t, err, regABI); got != "LedgerNotExpired" {
		t.Fatalf("release within the window: %s", got)
	}
	_, err = e.reg.Release(e.opts(user), op, []uint64{s + 1})
	if got := revertName(t, err, regABI); got != "NoLedger" {
		t.Fatalf("release of a slot without ledger: %s", got)
	}
	e.advance(slashWindow + 1)
	rcpt = e.mine(e.reg.Release(e.opts(user), op, []uint64{s}))
	rel, err := e.reg.ParseLedgerReleased(*rcpt.Logs[0])
	if err != nil || rel.Amount.Cmp(lg.Total()) != 0 {
		t.Fatalf("LedgerReleased %+v (%v)", rel, err)
	}
	e.mine(e.reg.Release(e.opts(user), op, []uint64{s})) // a second release is a no-op
	if free, _ := e.reg.FreeCollateral(nil, op); free.Cmp(collateral) != 0 {
		t.Fatalf("free collateral after release %s, want %s", free, collateral)
	}
	if l, _ := e.reg.LedgerOf(nil, op, s); !l.Released || l.Left.Sign() != 0 {
		t.Fatalf("ledger after release %+v", l)
	}
}

// revokeCommitter voids a key at once for every slot; setCommitter refuses it
// afterwards, and a new key takes over after the rotation delay.
func TestRevokeCommitter(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	regABI, _ := bindings.RegistryMetaData.GetAbi()
	op := e.accts[operatorA].addr
	c1, c2 := e.accts[committer1].addr, e.accts[committer2].addr
	_, err := e.reg.RevokeCommitter(e.opts(operatorA), c1)
	if got := revertName(t, err, regABI); got != "NotRegistered" {
		t.Fatalf("revoke before register: %s", got)
	}
	pubkeys, sigs, _ := e.proofs(newKeys(t, 1), op)
	s0 := e.slotOf(e.mine(e.reg.Register(e.withValue(operatorA, minCollateral), pubkeys, sigs, c1)))
	_, err = e.reg.RevokeCommitter(e.opts(operatorA), common.Address{})
	if got := revertName(t, err, regABI); got != "ZeroCommitter" {
		t.Fatalf("revoke zero: %s", got)
	}
	e.mine(e.reg.RevokeCommitter(e.opts(operatorA), c1))
	for _, slot := range []uint64{s0, s0 + 100} {
		if got, _ := e.reg.CommitterAt(nil, op, slot); got != (common.Address{}) {
			t.Fatalf("committerAt(%d) after revocation = %s", slot, got)
		}
	}
	if revoked, _ := e.reg.Revoked(nil, op, c1); !revoked {
		t.Fatal("revoked(c1) is false")
	}
	_, err = e.reg.SetCommitter(e.opts(operatorA), c1)
	if got := revertName(t, err, regABI); got != "RevokedCommitter" {
		t.Fatalf("set a revoked committer: %s", got)
	}
	eff := e.slotOf(e.mine(e.reg.SetCommitter(e.opts(operatorA), c2))) + rotationDelay
	if got, _ := e.reg.CommitterAt(nil, op, eff-1); got != (common.Address{}) {
		t.Fatalf("committerAt before the new key = %s", got)
	}
	if got, _ := e.reg.CommitterAt(nil, op, eff); got != c2 {
		t.Fatalf("committerAt(%d) = %s, want %s", eff, got, c2)
	}
}

func TestClientRegisterFlow(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	ctx := context.Background()
	cl, err := registry.New(e.client, e.addr)
	if err != nil {
		t.Fatal(err)
	}
	keys := newKeys(t, 2)
	wait := func(tx interface{ Hash() common.Hash }, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		e.commit()
	}
	tx, err := cl.Register(ctx, e.opts(operatorA), keys, e.accts[committer1].addr, minCollateral)
	wait(tx, err)
	if _, err := cl.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}
	st, err := cl.Status(ctx, e.accts[operatorA].addr)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != registry.StateRegistered || st.Keys != 2 || st.Committer != e.accts[committer1].addr {
		t.Fatalf("status %+v", st)
	}
	// The same keys again, by another operator: a named refusal, before sending.
	_, err = cl.Register(ctx, e.opts(operatorB), keys, e.accts[committer1].addr, minCollateral)
	var rev *registry.RevertError
	if !errors.As(err, &rev) || rev.Name != "KeyAlreadyRegistered" || !errors.Is(err, registry.ErrKeyAlreadyRegistered) {
		t.Fatalf("register taken keys: %v", err)
	}
	// A transaction sent with a fixed gas limit reverts on-chain; Wait names why.
	o := e.opts(operatorA)
	o.GasLimit = 100_000
	tx, err = cl.Withdraw(ctx, o)
	wait(tx, err)
	if _, err := cl.Wait(ctx, tx); !errors.Is(err, registry.ErrTxFailed) || !errors.Is(err, registry.ErrNotRegistered) {
		t.Fatalf("failed withdraw: %v", err)
	}
}

// TestRegistryGas logs the gas table of registration (run with -v; `just gas`)
// and holds the per-key target: each key beyond the first costs ≤ 200k gas.
func TestRegistryGas(t *testing.T) {
	t.Parallel()
	e := deployRegistry(t)
	ops := []int{operatorA, operatorB, committer2, user, watcher}
	var one uint64
	for i, n := range []int{1, 2, 4, 8, 16} {
		op := e.accts[ops[i]].addr
		pubkeys, sigs, _ := e.proofs(newKeys(t, n), op)
		rcpt := e.mine(e.reg.Register(e.withValue(ops[i], minCollateral), pubkeys, sigs, e.accts[committer1].addr))
		if n == 1 {
			one = rcpt.GasUsed
			t.Logf("gas | register, %2d key  | %7d total | %6d per key", n, rcpt.GasUsed, rcpt.GasUsed)
			continue
		}
		marginal := (rcpt.GasUsed - one) / uint64(n-1)
		t.Logf("gas | register, %2d keys | %7d total | %6d per key | %6d per extra key", n, rcpt.GasUsed, rcpt.GasUsed/uint64(n), marginal)
		if marginal > 200_000 {
			t.Errorf("%d keys: %d gas per extra key, target 200000", n, marginal)
		}
	}
	rcpt := e.mine(e.reg.SetCommitter(e.opts(operatorA), e.accts[committer2].addr))
	t.Logf("gas | setCommitter      | %7d", rcpt.GasUsed)
	rcpt = e.mine(e.reg.Deposit(e.withValue(operatorA, minCollateral)))
	t.Logf("gas | deposit           | %7d", rcpt.GasUsed)
	rcpt = e.mine(e.reg.Unregister(e.opts(operatorA)))
	t.Logf("gas | unregister        | %7d", rcpt.GasUsed)
}
