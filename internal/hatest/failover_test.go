package hatest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// Senders of each kind.
const sendersPerKind = 2

// TestFailover runs two `pledge sidecar` processes of one operator (same
// validator key, same committer) on one PostgreSQL database, on the
// in-process devnet whose proposer builds through sidecar A, and drives
// load at both: senders of their own, senders sending one request to both,
// and senders sending two transactions for one nonce, one to each. Then:
//
//  1. SIGKILL to sidecar A mid-load; the proposer's builder endpoint moves
//     to B (the validator client failing over to the other beacon node).
//     B keeps selling, and its senders and A's (which resend an unanswered
//     request to B) get promises.
//  2. A restarted; then PostgreSQL stopped at once (pg_ctl stop -m
//     immediate) for a few seconds: both sidecars refuse new promises with
//     -32017 and acknowledge nothing; after PostgreSQL's restart both sell
//     again, neither restarted.
//
// Then every acknowledged promise is judged: in PostgreSQL and served by
// both sidecars byte for byte, in its slot's ledger, landed in its slot
// (except, exactly, those for a slot proposed through the killed sidecar
// and those stacked on such a promise's nonce), and no two transactions
// promised for one sender nonce across both sidecars' answers.
func TestFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL, a devnet and two sidecar processes; skipped in -short")
	}
	began := time.Now()
	pg := startCluster(t)
	w := startWorld(t, pg.dsn, 4*sendersPerKind)
	a := w.startSidecar(t, "A")
	b := w.startSidecar(t, "B")
	w.net.SetBuilderURL(a.builderURL)
	t.Logf("setup: PostgreSQL, devnet, contracts and two sidecars in %s", time.Since(began).Round(time.Second))

	fl := &fleet{}
	fl.set(sidecarA, a.url, true)
	fl.set(sidecarB, b.url, true)
	ld := &load{fleet: fl, journal: &journal{}, chainID: w.chainID, slasher: w.k.Slasher, pace: 100 * time.Millisecond}
	loadCtx, stopLoad := context.WithCancel(context.Background())
	loadStart := time.Now()
	var senders sync.WaitGroup
	kinds := []senderKind{ownA, ownB, twin, rival}
	for i, key := range w.senders {
		kind := kinds[i/sendersPerKind]
		senders.Go(func() { ld.run(loadCtx, kind, key) })
	}
	defer func() { stopLoad(); senders.Wait() }()
	j := ld.journal
	ackedBy := func(sc int, after time.Time) func(*attempt) bool {
		return func(x *attempt) bool { return x.Sidecar == sc && x.Promise != nil && x.SentAt.After(after) }
	}
	waitUntil(t, 90*time.Second, "40 promises from each sidecar", func() bool {
		return j.count(ackedBy(sidecarA, began)) >= 40 && j.count(ackedBy(sidecarB, began)) >= 40
	}, ld, a, b)

	// 1. SIGKILL to A, the proposer's builder, mid-load: when requests are
	// in flight, if that comes within a few seconds.
	for deadline := time.Now().Add(5 * time.Second); ld.inflight[sidecarA].Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	killedAt := time.Now()
	if err := a.kill(); err != nil {
		t.Fatal(err)
	}
	fl.set(sidecarA, "", false)
	w.net.SetBuilderURL(b.builderURL)
	// Slots after the one being proposed now were started after the switch.
	lastFailoverSlot := w.net.LastSlot() + 1
	t.Logf("SIGKILL to sidecar A (the builder); builder endpoint moved to B from slot %d", lastFailoverSlot+1)
	waitUntil(t, 90*time.Second, "B's 40 promises after the kill and 3 slots built by B", func() bool {
		return j.count(ackedBy(sidecarB, killedAt)) >= 40 && w.net.LastSlot() >= lastFailoverSlot+3
	}, ld, b)
	if !b.running() {
		t.Fatalf("sidecar B exited:\n%s", b.log.tail(40))
	}

	// 2. A again, then PostgreSQL cut off.
	a2 := w.startSidecar(t, "A2")
	restartedAt := time.Now()
	fl.set(sidecarA, a2.url, true)
	waitUntil(t, 60*time.Second, "20 promises from the restarted A", func() bool {
		return j.count(ackedBy(sidecarA, restartedAt)) >= 20
	}, ld, a2, b)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := pg.kill(ctx); err != nil {
		t.Fatal(err)
	}
	pgDownAt := time.Now()
	refusedBy := func(sc int) func(*attempt) bool {
		return func(x *attempt) bool { return x.Sidecar == sc && x.Code == codeUnavailable && x.SentAt.After(pgDownAt) }
	}
	waitUntil(t, 60*time.Second, "-32017 from both sidecars with PostgreSQL down", func() bool {
		return j.count(refusedBy(sidecarA)) >= 3 && j.count(refusedBy(sidecarB)) >= 3
	}, ld, a2, b)
	// Hold the outage a few seconds: both sidecars keep refusing meanwhile.
	time.Sleep(3*time.Second - time.Since(pgDownAt))
	pgStartAt := time.Now()
	if err := pg.start(ctx); err != nil {
		t.Fatal(err)
	}
	pgUpAt := time.Now()
	waitUntil(t, 60*time.Second, "10 promises from each sidecar after PostgreSQL's restart", func() bool {
		return j.count(ackedBy(sidecarA, pgUpAt)) >= 10 && j.count(ackedBy(sidecarB, pgUpAt)) >= 10
	}, ld, a2, b)
	for _, p := range []*sidecarProc{a2, b} {
		if !p.running() {
			t.Fatalf("sidecar %s exited during the database outage:\n%s", p.name, p.log.tail(40))
		}
	}
	stopLoad()
	senders.Wait()
	loadEnd := time.Now()

	// Judge.
	all := j.snapshot()
	ps, _ := acked(all)
	equivocations := checkAnswers(t, all, w.chainID.Uint64())
	rounds := checkRounds(t, all)

	outage := [2]int{}
	var firstAfter [2]time.Time
	for _, x := range all {
		if x.SentAt.After(pgDownAt) && x.AnsweredAt.Before(pgStartAt) {
			if x.Promise != nil {
				t.Errorf("sidecar %s acknowledged promise %s while PostgreSQL was down", sidecarNames[x.Sidecar], x.RequestHash)
			}
			if x.Code == codeUnavailable {
				outage[x.Sidecar]++
			}
		}
		if x.Promise != nil && x.SentAt.After(pgUpAt) && firstAfter[x.Sidecar].IsZero() {
			firstAfter[x.Sidecar] = x.AnsweredAt
		}
	}
	checkStored(t, pg.dsn, ps)
	checkServed(t, "A", a2.url, ps)
	checkServed(t, "B", b.url, ps)

	last := uint64(0)
	for _, p := range ps {
		last = max(last, p.first.Slot)
	}
	waitUntil(t, time.Duration(last+3-w.net.LastSlot())*slotDuration+30*time.Second,
		fmt.Sprintf("slot %d proposed", last+1), func() bool { return w.net.LastSlot() > last }, ld, a2, b)
	land := checkLanded(t, w, ps, lastFailoverSlot)
	ledgers := checkLedgers(t, w, ps)

	// What was measured.
	var per [2][4]int // sidecar × (before the kill, kill to restart, restart to outage, after the outage)
	for _, x := range all {
		if x.Promise == nil || x.Retry {
			continue
		}
		phase := 0
		switch {
		case x.SentAt.After(pgUpAt):
			phase = 3
		case x.SentAt.After(restartedAt):
			phase = 2
		case x.SentAt.After(killedAt):
			phase = 1
		}
		per[x.Sidecar][phase]++
	}
	retried := j.count(func(x *attempt) bool { return x.Retry && x.Promise != nil })
	noAnswer := j.count(func(x *attempt) bool { return x.NoAnswer })
	t.Logf("answers with a promise, by sidecar (before the kill / kill to A's restart / to the outage / after it): A %v, B %v", per[sidecarA], per[sidecarB])
	t.Logf("%d distinct promises acknowledged; %d requests unanswered by the killed A, %d of them then promised by B (same request)", len(ps), noAnswer, retried)
	t.Logf("lost 0 of %d (in PostgreSQL, served by both sidecars, in %d slot ledgers); equivocations %d", len(ps), ledgers, equivocations)
	t.Logf("same request to both: %d rounds promised by both (identical), %d by one (the other refusing in time); rivals: %d rounds won by one (%d losers refused -32018), %d by none",
		rounds.twinBoth, rounds.twinOne, rounds.rivalWon, rounds.rivalConflictRefusals, rounds.rivalNone)
	t.Logf("landed in their slot %d, earlier %d; broken by the kill %d (slots %v, proposed through the killed A), of which carried forward %d",
		land.exact, land.early, land.broken, land.fallen, land.carried)
	t.Logf("PostgreSQL down %s: -32017 answers A %d, B %d, promises 0; first promise after its restart: A %s, B %s",
		pgStartAt.Sub(pgDownAt).Round(time.Millisecond), outage[sidecarA], outage[sidecarB],
		firstAfter[sidecarA].Sub(pgUpAt).Round(time.Millisecond), firstAfter[sidecarB].Sub(pgUpAt).Round(time.Millisecond))
	refusals := map[string]int{}
	for _, x := range all {
		if x.Code != 0 {
			refusals[fmt.Sprintf("%s %d", sidecarNames[x.Sidecar], x.Code)]++
		}
	}
	t.Logf("refusals by sidecar and code: %v", refusals)
	if r := ld.retiredSenders(); len(r) > 0 {
		t.Logf("senders retired: %s", strings.Join(r, "; "))
	}
	t.Logf("load ran %s; whole test %s", loadEnd.Sub(loadStart).Round(time.Second), time.Since(began).Round(time.Second))
}

// waitUntil polls cond until it holds, failing the test at the deadline
// with the sidecars' log tails and the load's last answers.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool, ld *load, procs ...*sidecarProc) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		for _, p := range procs {
			if !p.running() {
				t.Fatalf("waiting for %s: sidecar %s exited:\n%s", what, p.name, p.log.tail(40))
			}
		}
		if time.Now().After(deadline) {
			all := ld.journal.snapshot()
			var last []string
			for _, x := range all[max(0, len(all)-15):] {
				last = append(last, fmt.Sprintf("%s %s nonce %d slot %d: promise %t code %d %s", sidecarNames[x.Sidecar], x.Kind, x.Nonce, x.Slot, x.Promise != nil, x.Code, x.Message))
			}
			t.Fatalf("timed out after %s waiting for %s; last answers:\n%s\nretired: %v", d, what, strings.Join(last, "\n"), ld.retiredSenders())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
