package watcher_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/slashing/watcher"
)

// A broken promise is slashed exactly once, in two transactions (its claim's
// commitment, then the evidence naming the claim), whatever goes wrong on the
// way: sends that fail, answers that are lost, restarts before and after each
// send and between the two. The claim paid is the one journaled first.
func TestBrokenPromiseSlashedOnce(t *testing.T) {
	cases := []struct {
		name     string
		minSends int32 // sends the injected failures must have caused
		// drive runs the watcher from the promise's acceptance to its outcome.
		drive func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record
	}{
		{"plain", 1, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record { return e.runUntil(w, d, 12) }},
		{"send fails twice", 3, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			e.backend.dropSends.Store(2)
			return e.runUntil(w, d, 12)
		}},
		{"answer of the send lost", 2, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			e.backend.loseAnswers.Store(1)
			stepUntilState(e, w, d, watcher.StateCommitting)
			e.step(w) // sends the same commitment again before any block: the pool already knows it
			return e.runUntil(w, d, 12)
		}},
		{"answer of the evidence send lost", 2, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			stepUntilState(e, w, d, watcher.StateCommitted)
			e.backend.loseAnswers.Store(1)
			stepUntilState(e, w, d, watcher.StatePending)
			e.step(w)
			return e.runUntil(w, d, 12)
		}},
		{"restart after sending", 1, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			stepUntilState(e, w, d, watcher.StatePending)
			if err := w.Journal().Close(); err != nil {
				t.Fatal(err)
			}
			return e.runUntil(e.watcher(), d, 12)
		}},
		{"restart between journal and send", 2, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			e.backend.dropSends.Store(1)
			stepUntilState(e, w, d, watcher.StateCommitting)
			if got, _ := e.c.Client.PendingNonceAt(t.Context(), e.c.Addr(keyWatcher)); got != 0 {
				t.Fatalf("the failed send reached the pool (pending nonce %d)", got)
			}
			_ = w.Journal().Close()
			return e.runUntil(e.watcher(), d, 12)
		}},
		{"restart after the commitment was sent", 1, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			stepUntilState(e, w, d, watcher.StateCommitting)
			_ = w.Journal().Close()
			return e.runUntil(e.watcher(), d, 12)
		}},
		{"restart between commitment and evidence", 1, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			stepUntilState(e, w, d, watcher.StateCommitted)
			_ = w.Journal().Close()
			return e.runUntil(e.watcher(), d, 12)
		}},
		{"evidence lost after the commitment", 1, func(e *env, w *watcher.Watcher, d [32]byte) watcher.Record {
			// The journal forgets that the claim was committed (as when its
			// evidence is lost): the claim on-chain is used, not committed again.
			stepUntilState(e, w, d, watcher.StateCommitted)
			if err := w.Journal().Append(watcher.Record{Digest: d, State: watcher.StateSeen, Reason: "test: evidence lost"}); err != nil {
				t.Fatal(err)
			}
			_ = w.Journal().Close()
			return e.runUntil(e.watcher(), d, 12)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			user := e.user(big.NewInt(1e18))
			s := e.c.Slot() + 2
			sc := e.promise(s, slashAmt, e.tx(user, 0, highFee)) // the operator never includes it
			e.ledger(s, sc)
			w := e.watcher()
			d, st, err := w.Add(t.Context(), sc)
			if err != nil || st != watcher.StateSeen {
				t.Fatalf("add: %v, %s", err, st)
			}
			rec := tc.drive(e, w, d)
			if rec.State != watcher.StateSlashed || rec.Fault != "safety" || rec.Tx == nil {
				t.Fatalf("outcome %+v, want slashed for safety", rec)
			}
			if !e.settled(d) {
				t.Fatal("promise not settled on-chain")
			}
			if n := e.backend.sends.Load(); n < tc.minSends {
				t.Fatalf("%d sends, want at least %d: the failure was not exercised", n, tc.minSends)
			}
			// Another restart and more blocks do not submit again.
			_ = w.Journal().Close()
			w2 := e.watcher()
			for range 3 {
				e.step(w2)
				e.c.Commit()
			}
			e.checkClaimPaid(w2, d, e.c.Addr(keyWatcher))
			if n := e.sentByWatcher(); n != 2 {
				t.Fatalf("watcher sent %d transactions, want 2 (the claim's commitment and the evidence)", n)
			}
		})
	}
}

// stepUntilState steps (committing a block between steps) until d is in state st.
func stepUntilState(e *env, w *watcher.Watcher, d [32]byte, st watcher.State) {
	e.t.Helper()
	for range 10 {
		_ = w.Step(e.t.Context()) // injected send failures are expected here
		if r, _ := w.Journal().Latest(d); r.State == st {
			return
		}
		e.c.Commit()
	}
	e.t.Fatalf("promise never reached %s", st)
}

// A watcher that lost its journal still does not pay for evidence of a
// settled promise: it asks the Slasher first.
func TestLostJournalDoesNotResubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sc := e.promise(s, slashAmt, e.tx(user, 0, highFee))
	e.ledger(s, sc)
	w := e.watcher()
	d, _, err := w.Add(t.Context(), sc)
	if err != nil {
		t.Fatal(err)
	}
	e.runUntil(w, d, 12)
	_ = w.Journal().Close()
	e.journal += ".new" // a fresh, empty journal
	w2 := e.watcher()
	if _, _, err := w2.Add(t.Context(), sc); err != nil {
		t.Fatal(err)
	}
	rec := e.runUntil(w2, d, 4)
	if rec.State != watcher.StateRefused || !strings.Contains(rec.Reason, "settled") {
		t.Fatalf("outcome %+v, want refused as settled", rec)
	}
	if n := e.sentByWatcher(); n != 2 {
		t.Fatalf("watcher sent %d transactions, want 2", n)
	}
}

// Kept and unslashable promises are never submitted, nor their claims committed.
func TestNoSubmissionForKeptPromises(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rich := e.user(big.NewInt(1e18))
	kept := e.tx(rich, 0, highFee)
	lowFee := e.tx(e.user(big.NewInt(1e18)), 0, big.NewInt(1)) // below any base fee: not includable
	poor := e.tx(e.user(big.NewInt(1e9)), 0, highFee)          // cannot pay its max cost
	s := e.c.Slot() + 3
	cases := []struct {
		name   string
		sc     *protocol.SignedCommitment
		want   watcher.State
		reason string
	}{
		{"included in its slot", e.promise(s, slashAmt, kept), watcher.StateKept, "kept"},
		{"fee below the base fee", e.promise(s, slashAmt, lowFee), watcher.StateRefused, "not includable"},
		{"balance below the max cost", e.promise(s, slashAmt, poor), watcher.StateRefused, "balance"},
	}
	w := e.watcher()
	digests := make([]common.Hash, len(cases))
	for i, tc := range cases {
		d, _, err := w.Add(t.Context(), tc.sc)
		if err != nil {
			t.Fatal(err)
		}
		digests[i] = d
	}
	for e.c.Slot() < s-1 {
		e.step(w)
		e.c.Commit()
	}
	e.c.Send(kept)
	e.c.Commit() // slot s holds kept
	if e.c.Slot() != s {
		t.Fatalf("at slot %d, want %d", e.c.Slot(), s)
	}
	scs := make([]*protocol.SignedCommitment, len(cases))
	for i, tc := range cases {
		scs[i] = tc.sc
	}
	e.ledger(s, scs...) // in slot s+1, within the grace
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.runUntil(w, digests[i], 6)
			if rec.State != tc.want || !strings.Contains(rec.Reason, tc.reason) {
				t.Fatalf("outcome %s (%s), want %s (%s)", rec.State, rec.Reason, tc.want, tc.reason)
			}
		})
	}
	for range 3 {
		e.step(w)
		e.c.Commit()
	}
	if n := e.sentByWatcher(); n != 0 {
		t.Fatalf("watcher sent %d transactions for promises that cannot be slashed", n)
	}
}

// Two promises selling one nonce twice are each slashed as equivocation, A
// paid its own amount and B left unsettled by it (so B, paid as the A of the
// pair the other way, is slashed too), as soon as their ledgers are open,
// without waiting for their slots to be judged.
func TestEquivocationSlashed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 3
	bAmt := big.NewInt(3e18)
	a := e.promise(s, slashAmt, e.tx(user, 0, highFee))
	b := e.promise(s+1, bAmt, e.tx(user, 0, new(big.Int).Mul(highFee, big.NewInt(2))))
	other := e.promise(s, slashAmt, e.tx(user, 1, highFee)) // next nonce: no equivocation
	const confirmations = 10
	w := e.watcher(watcher.WithConfirmations(confirmations))
	var ds []common.Hash
	for _, sc := range []*protocol.SignedCommitment{a, other, b} {
		d, _, err := w.Add(t.Context(), sc)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	da, dOther, db := ds[0], ds[1], ds[2]
	e.ledger(s, a, other)
	e.ledger(s+1, b)
	ra := e.runUntil(w, da, 8)
	rb := e.runUntil(w, db, 4)
	for _, c := range []struct {
		name       string
		rec        watcher.Record
		d, against common.Hash
		amount     *big.Int
	}{{"A", ra, da, db, slashAmt}, {"B", rb, db, da, bAmt}} {
		if c.rec.State != watcher.StateSlashed || c.rec.Fault != "equivocation" || c.rec.Other == nil || *c.rec.Other != c.against {
			t.Fatalf("%s: outcome %+v, want slashed for equivocation with %s", c.name, c.rec, c.against)
		}
		evs := e.slashEvents(c.d)
		if len(evs) != 1 || common.Hash(evs[0].OtherDigest) != c.against || evs[0].Taken.Cmp(c.amount) != 0 || evs[0].Beneficiary != w.Beneficiary() {
			t.Fatalf("%s: PromiseSlashed %+v, want its own amount %s against %s", c.name, evs, c.amount, c.against)
		}
	}
	if *ra.Tx == *rb.Tx {
		t.Fatal("one transaction slashed both")
	}
	if e.c.Slot() >= s+confirmations {
		t.Fatalf("equivocation waited for the slot's judgement (now %d, slot %d)", e.c.Slot(), s)
	}
	if r, _ := w.Journal().Latest(dOther); r.State == watcher.StateSlashed || r.State.Final() {
		t.Fatalf("the promise of the next nonce is %s, want still undecided", r.State)
	}
	// Past the slots, the slashed pair is not judged again; the third promise
	// is slashed for safety on its own (a, backed, is its prior): three
	// commitments and three pieces of evidence in all.
	if r := e.runUntil(w, dOther, 30); r.State != watcher.StateSlashed || r.Fault != "safety" {
		t.Fatalf("third promise: %+v", r)
	}
	if n := e.sentByWatcher(); n != 6 {
		t.Fatalf("watcher sent %d transactions, want 6", n)
	}
}

// Users hand promises over HTTP; bad ones get a clear 4xx and are not kept.
func TestPostPromises(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.watcher()
	srv := httptest.NewServer(w.Handler(nil))
	t.Cleanup(srv.Close)
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	good := e.promise(s, slashAmt, e.tx(user, 0, highFee))
	e.ledger(s, good)
	forged := e.promiseBy(e.user(nil), s, slashAmt, e.tx(user, 1, highFee))
	wrongSlasher := e.promise(s, slashAmt, e.tx(user, 2, highFee))
	wrongSlasher.Commitment.Slasher[0] ^= 1

	post := func(body []byte) (int, watcher.PromiseStatus, string) {
		resp, err := http.Post(srv.URL+"/promises", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var raw json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		var st watcher.PromiseStatus
		_ = json.Unmarshal(raw, &st)
		return resp.StatusCode, st, string(raw)
	}
	enc := func(v any) []byte { b, _ := json.Marshal(v); return b }
	for _, tc := range []struct {
		name string
		body []byte
		code int
		want string
	}{
		{"not json", []byte("{"), http.StatusBadRequest, "not a SignedCommitment"},
		{"empty object", []byte("{}"), http.StatusBadRequest, "missing commitment payload"},
		{"signed by another key", enc(forged), http.StatusBadRequest, "committer of operator"},
		{"for another slasher", enc(wrongSlasher), http.StatusBadRequest, "this watcher judges"},
		{"too large", bytes.Repeat([]byte(" "), 70<<10), http.StatusRequestEntityTooLarge, "64 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, raw := post(tc.body)
			if code != tc.code || !strings.Contains(raw, tc.want) {
				t.Fatalf("got %d %s, want %d with %q", code, raw, tc.code, tc.want)
			}
		})
	}
	if n := len(w.Journal().Outcomes()); n != 0 {
		t.Fatalf("refused promises were journaled: %d records", n)
	}
	code, st, raw := post(enc(good))
	if code != http.StatusOK || st.State != watcher.StateSeen || st.Digest != e.digest(good) {
		t.Fatalf("good promise: %d %s", code, raw)
	}
	if code, st, _ := post(enc(good)); code != http.StatusOK || st.State != watcher.StateSeen {
		t.Fatalf("second post: %d %s", code, st.State)
	}
	rec := e.runUntil(w, st.Digest, 12)
	if rec.State != watcher.StateSlashed {
		t.Fatalf("posted promise: %+v", rec)
	}
	resp, err := http.Get(srv.URL + "/promises/" + st.Digest.Hex())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got watcher.PromiseStatus
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.State != watcher.StateSlashed || got.Tx == nil || *got.Tx != *rec.Tx {
		t.Fatalf("GET status: %+v, %v", got, err)
	}
	resp2, err := http.Get(srv.URL + "/promises/" + crypto.Keccak256Hash([]byte("x")).Hex())
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown digest: %d", resp2.StatusCode)
	}
}

// A promise for a slot with no block is slashed for liveness.
func TestMissedSlotSlashedForLiveness(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.user(big.NewInt(1e18))
	s := e.c.Slot() + 2
	sc := e.promise(s, slashAmt, e.tx(user, 0, highFee))
	w := e.watcher()
	d, _, err := w.Add(t.Context(), sc)
	if err != nil {
		t.Fatal(err)
	}
	for e.c.Slot() < s-1 {
		e.c.Commit()
	}
	e.c.SkipSlots(1) // slot s has no block
	e.ledger(s, sc)  // in slot s+2, within the grace
	rec := e.runUntil(w, d, 8)
	if rec.State != watcher.StateSlashed || rec.Fault != "liveness" {
		t.Fatalf("outcome %+v, want slashed for liveness", rec)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	j := watcher.MemoryJournal()
	key := e.c.Keys[keyWatcher]
	for _, tc := range []struct {
		name string
		new  func() (*watcher.Watcher, error)
	}{
		{"no backend", func() (*watcher.Watcher, error) { return watcher.New(nil, e.dep, key, j) }},
		{"no deployment", func() (*watcher.Watcher, error) { return watcher.New(e.backend, nil, key, j) }},
		{"no key", func() (*watcher.Watcher, error) { return watcher.New(e.backend, e.dep, nil, j) }},
		{"no journal", func() (*watcher.Watcher, error) { return watcher.New(e.backend, e.dep, key, nil) }},
		{"zero confirmations", func() (*watcher.Watcher, error) {
			return watcher.New(e.backend, e.dep, key, j, watcher.WithConfirmations(0))
		}},
		{"zero beneficiary", func() (*watcher.Watcher, error) {
			return watcher.New(e.backend, e.dep, key, j, watcher.WithBeneficiary(common.Address{}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.new(); !errors.Is(err, watcher.ErrBadConfig) {
				t.Fatalf("got %v, want ErrBadConfig", err)
			}
		})
	}
	if _, err := watcher.LoadDeployment(t.Context(), e.backend, e.c.Eth, e.c.ChainID.Uint64(), e.c.Addr(0)); !errors.Is(err, watcher.ErrBadConfig) {
		t.Fatalf("deployment at an account: %v", err)
	}
}
