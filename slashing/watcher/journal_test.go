package watcher

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestJournalReplay(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := common.Hash{1}, common.Hash{2}
	tx1, tx2 := common.Hash{0xa1}, common.Hash{0xa2}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(j.Append(Record{Digest: a, State: StateSeen, Slot: 7}, Record{Digest: b, State: StateSeen, Slot: 8}))
	must(j.Append(Record{Digest: a, State: StatePending, Tx: &tx1, RawTx: []byte{1}, Fault: "safety"}))
	must(j.Append(Record{Digest: a, State: StatePending, Tx: &tx2, RawTx: []byte{2}, Fault: "safety"}))
	must(j.Append(Record{Digest: b, State: StateKept}))
	must(j.Close())

	r, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if p := r.Pending(a); len(p) != 2 || p[0].Hash != tx1 || p[1].Hash != tx2 || p[1].Raw[0] != 2 {
		t.Fatalf("pending of a: %+v", p)
	}
	if rec, _ := r.Latest(b); rec.State != StateKept || rec.Slot != 0 {
		t.Fatalf("latest of b: %+v", rec)
	}
	out := r.Outcomes()
	if len(out) != 2 || out[0].Digest != a || out[1].Digest != b {
		t.Fatalf("outcomes not in first-seen order: %+v", out)
	}
	// A final record clears the pending list.
	must(r.Append(Record{Digest: a, State: StateSlashed, Tx: &tx2}))
	if p := r.Pending(a); len(p) != 0 {
		t.Fatalf("pending after slashed: %+v", p)
	}
}

func TestJournalDamage(t *testing.T) {
	t.Parallel()
	good := `{"digest":"0x0100000000000000000000000000000000000000000000000000000000000000","state":"seen","slot":1,"operator":"0x0000000000000000000000000000000000000000","time":1}` + "\n"
	cases := []struct {
		name    string
		content string
		records int
		err     string
	}{
		{"empty", "", 0, ""},
		{"torn last line", good + `{"digest":"0x02`, 1, ""},
		{"garbage last line with newline", good + "not json\n", 1, ""},
		{"damage in the middle", "not json\n" + good, 0, "line 1 is not a journal record"},
		{"record without state", `{"digest":"0x0100000000000000000000000000000000000000000000000000000000000000"}` + "\n" + good, 0, "line 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "j.jsonl")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			j, err := OpenJournal(path)
			if tc.err != "" {
				if !errors.Is(err, ErrJournal) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if n := len(j.Outcomes()); n != tc.records {
				t.Fatalf("%d records, want %d", n, tc.records)
			}
			// The torn tail is cut, so the next record is a line of its own.
			if err := j.Append(Record{Digest: common.Hash{9}, State: StateKept}); err != nil {
				t.Fatal(err)
			}
			r, err := ReadJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(r.Outcomes()); n != tc.records+1 {
				t.Fatalf("after append: %d records, want %d", n, tc.records+1)
			}
		})
	}
	if _, err := OpenJournal(""); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("empty path: %v", err)
	}
	if _, err := ReadJournal(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, ErrJournal) {
		t.Fatalf("missing journal: %v", err)
	}
}

// The records of the two-phase slash round-trip through the file: the claim
// (first one wins), the commitment's transactions, its block, the
// equivocation's other promise, and the switch from the commitment's
// transactions to the evidence's.
func TestJournalClaimRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	d, other := common.Hash{1}, common.Hash{2}
	claim := ClaimRecord{Beneficiary: common.Address{0xbe}, Salt: common.Hash{0x5a}}
	forged := ClaimRecord{Beneficiary: common.Address{0xee}, Salt: common.Hash{0xee}}
	c1, c2, ev := common.Hash{0xc1}, common.Hash{0xc2}, common.Hash{0xe1}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(j.Append(Record{Digest: d, State: StateSeen, Slot: 7}))
	must(j.Append(Record{Digest: d, State: StateCommitting, Fault: "equivocation", Other: &other, Tx: &c1, RawTx: []byte{0xc1}, Claim: &claim}))
	must(j.Append(Record{Digest: d, State: StateCommitting, Fault: "equivocation", Other: &other, Tx: &c2, RawTx: []byte{0xc2}, Claim: &forged}))
	must(j.Close())

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"state":"committing"`, `"claim":{"beneficiary":"0xbe00000000000000000000000000000000000000","salt":"0x5a00`, `"other":"0x0200`} {
		if !strings.Contains(string(raw), want) {
			t.Fatalf("journal lacks %s:\n%s", want, raw)
		}
	}

	r, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, ok := r.Claim(d); !ok || got != claim {
		t.Fatalf("claim %+v (%v), want the first one %+v", got, ok, claim)
	}
	p := r.Pending(d)
	if len(p) != 2 || p[0].Hash != c1 || p[1].Hash != c2 || p[1].State != StateCommitting || p[1].Other == nil || *p[1].Other != other {
		t.Fatalf("pending commitments %+v", p)
	}
	must(r.Append(Record{Digest: d, State: StateCommitted, Fault: "equivocation", Other: &other, Tx: &c2, CommitBlock: 42}))
	if p := r.Pending(d); len(p) != 0 {
		t.Fatalf("pending after committed: %+v", p)
	}
	must(r.Append(Record{Digest: d, State: StatePending, Fault: "equivocation", Other: &other, Tx: &ev, RawTx: []byte{0xe1}}))
	must(r.Close())

	back, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := back.Claim(d); got != claim {
		t.Fatalf("claim after replay %+v", got)
	}
	if p := back.Pending(d); len(p) != 1 || p[0].Hash != ev || p[0].State != StatePending {
		t.Fatalf("pending evidence after replay: %+v (the commitment's transactions must not be among them)", p)
	}
	rec, _ := back.Latest(d)
	if rec.State != StatePending || rec.Slot != 0 || rec.Other == nil || *rec.Other != other {
		t.Fatalf("latest %+v", rec)
	}
	// A record that is only the committed block is kept as such.
	j2 := MemoryJournal()
	must(j2.Append(Record{Digest: d, State: StateCommitted, CommitBlock: 9}))
	if rec, _ := j2.Latest(d); rec.CommitBlock != 9 || rec.State.Final() || rec.State.inFlight() {
		t.Fatalf("committed record %+v", rec)
	}
	if c := claim.Claim(); c.Beneficiary != claim.Beneficiary || c.Salt != claim.Salt {
		t.Fatalf("claim %+v", c)
	}
}
