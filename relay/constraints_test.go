package relay_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func (f *fixture) getConstraints(slot uint64, hdr map[string]string) []*protocol.SignedConstraints {
	f.t.Helper()
	code, body := f.do(http.MethodGet, "/constraints/v0/relay/constraints/101", nil, hdr)
	if code != http.StatusOK {
		f.t.Fatalf("get constraints: %d %s", code, body)
	}
	var out []*protocol.SignedConstraints
	if err := json.Unmarshal(body, &out); err != nil {
		f.t.Fatalf("decode %s: %v", body, err)
	}
	return out
}

func TestPostConstraints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		setup  func(f *fixture) // delegations, revocations before the post
		batch  func(f *fixture) []*protocol.SignedConstraints
		status int
		stored int
	}{
		{"from the proposer", nil, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(targetSlot, f.proposer, f.txs[:2])}
		}, http.StatusOK, 1},
		{"from a delegate with a delegation", func(f *fixture) {
			if code, b := f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(f.t, f.delegation(targetSlot, f.delegate)), nil); code != http.StatusOK {
				f.t.Fatalf("delegate: %d %s", code, b)
			}
		}, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(targetSlot, f.delegate, f.txs[:2])}
		}, http.StatusOK, 1},
		{"from an undelegated key", nil, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(targetSlot, f.stranger, f.txs[:2])}
		}, http.StatusBadRequest, 0},
		{"delegation for another slot", func(f *fixture) {
			if code, b := f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(f.t, f.delegation(targetSlot+1, f.delegate)), nil); code != http.StatusOK {
				f.t.Fatalf("delegate: %d %s", code, b)
			}
		}, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(targetSlot, f.delegate, f.txs[:2])}
		}, http.StatusBadRequest, 0},
		{"after revocation", func(f *fixture) {
			f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(f.t, f.delegation(targetSlot, f.delegate)), nil)
			if code, b := f.do(http.MethodPost, "/constraints/v0/builder/revoke", mustJSON(f.t, f.revocation(targetSlot, f.delegate)), nil); code != http.StatusOK {
				f.t.Fatalf("revoke: %d %s", code, b)
			}
		}, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(targetSlot, f.delegate, f.txs[:2])}
		}, http.StatusBadRequest, 0},
		{"bad signature", nil, func(f *fixture) []*protocol.SignedConstraints {
			sc := f.constraints(targetSlot, f.proposer, f.txs[:2])
			sc.Message.Constraints[0].Payload = f.txs[2]
			return []*protocol.SignedConstraints{sc}
		}, http.StatusBadRequest, 0},
		{"one bad in a batch stores none", nil, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(targetSlot, f.proposer, f.txs[:1]), f.constraints(targetSlot, f.stranger, f.txs[1:2])}
		}, http.StatusBadRequest, 0},
		{"too many constraints", nil, func(f *fixture) []*protocol.SignedConstraints {
			// Signed before the limit is known to the message: build by hand.
			m := &protocol.ConstraintsMessage{Proposer: f.proposer.pub, Delegate: f.proposer.pub, Slot: targetSlot}
			for range protocol.MaxConstraintsPerSlot + 1 {
				m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: 1, Payload: f.txs[0]})
			}
			return []*protocol.SignedConstraints{{Message: *m}}
		}, http.StatusBadRequest, 0},
		{"slot already gone", nil, func(f *fixture) []*protocol.SignedConstraints {
			return []*protocol.SignedConstraints{f.constraints(10, f.proposer, f.txs[:1])}
		}, http.StatusBadRequest, 0},
		{"unsupported constraint type", nil, func(f *fixture) []*protocol.SignedConstraints {
			m := &protocol.ConstraintsMessage{Proposer: f.proposer.pub, Delegate: f.proposer.pub, Slot: targetSlot,
				Constraints: []protocol.Constraint{{ConstraintType: 7, Payload: []byte{1}}}}
			sc, err := protocol.SignConstraints(m, f.domains, f.proposer.sk)
			if err != nil {
				f.t.Fatal(err)
			}
			return []*protocol.SignedConstraints{sc}
		}, http.StatusBadRequest, 0},
		{"empty batch", nil, func(*fixture) []*protocol.SignedConstraints { return []*protocol.SignedConstraints{} }, http.StatusBadRequest, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			code, body := f.postConstraints(tc.batch(f)...)
			if code != tc.status {
				t.Fatalf("status %d (%s), want %d", code, body, tc.status)
			}
			if code != http.StatusOK {
				var e struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(body, &e); err != nil || e.Code != code || e.Message == "" {
					t.Fatalf("error body %s is not {code, message}", body)
				}
			}
			if got := f.getConstraints(targetSlot, nil); len(got) != tc.stored {
				t.Fatalf("%d messages stored, want %d", len(got), tc.stored)
			}
		})
	}
}

func TestConstraintsBodyTooLarge(t *testing.T) {
	t.Parallel()
	f := newFixture(t, relay.WithLimits(relay.Limits{MaxBodyBytes: 1024}))
	code, _ := f.postConstraints(f.constraints(targetSlot, f.proposer, [][]byte{make([]byte, 2048)}))
	if code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", code)
	}
}

func TestRevocationDropsDelegateConstraintsAndReplayedDelegation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.delegation(targetSlot, f.delegate)
	f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(t, d), nil)
	if code, b := f.postConstraints(f.constraints(targetSlot, f.delegate, f.txs[:1])); code != http.StatusOK {
		t.Fatalf("constraints: %d %s", code, b)
	}
	if code, b := f.do(http.MethodPost, "/constraints/v0/builder/revoke", mustJSON(t, f.revocation(targetSlot, f.delegate)), nil); code != http.StatusOK {
		t.Fatalf("revoke: %d %s", code, b)
	}
	if got := f.getConstraints(targetSlot, nil); len(got) != 0 {
		t.Fatalf("revoked delegate's constraints still served: %d", len(got))
	}
	// Replaying the signed delegation must not bring the delegate back.
	if code, _ := f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(t, d), nil); code != http.StatusBadRequest {
		t.Fatalf("replayed delegation: status %d, want 400", code)
	}
	code, body := f.do(http.MethodGet, "/constraints/v0/relay/delegations/101", nil, nil)
	if code != http.StatusOK || strings.TrimSpace(string(body)) != "[]" {
		t.Fatalf("delegations after revocation: %d %s", code, body)
	}
	// A revocation signed by someone else than the proposer is refused.
	bad := f.revocation(targetSlot, f.delegate)
	bad.Signature[3] ^= 1
	if code, _ := f.do(http.MethodPost, "/constraints/v0/builder/revoke", mustJSON(t, bad), nil); code != http.StatusBadRequest {
		t.Fatalf("bad revocation: status %d, want 400", code)
	}
}

func TestGetDelegations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.delegation(targetSlot, f.delegate)
	f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(t, d), nil)
	bad := f.delegation(targetSlot, f.stranger)
	bad.Signature[0] ^= 0x01
	if code, _ := f.do(http.MethodPost, "/constraints/v0/builder/delegate", mustJSON(t, bad), nil); code != http.StatusBadRequest {
		t.Fatalf("bad delegation: %d, want 400", code)
	}
	code, body := f.do(http.MethodGet, "/constraints/v0/relay/delegations/101", nil, nil)
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	var got []*protocol.SignedDelegation
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Signature != d.Signature {
		t.Fatalf("delegations %s", body)
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	code, body := f.do(http.MethodGet, "/constraints/v0/builder/capabilities", nil, nil)
	if code != http.StatusOK || strings.TrimSpace(string(body)) != `{"constraintTypes":["1"]}` {
		t.Fatalf("capabilities: %d %s", code, body)
	}
}

func TestReceiversRestrictReading(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	receiver := newKey(t)
	public := f.constraints(targetSlot, f.proposer, f.txs[:1])
	private := f.constraints(targetSlot, f.proposer, f.txs[1:2], receiver.pub)
	if code, b := f.postConstraints(public, private); code != http.StatusOK {
		t.Fatalf("post: %d %s", code, b)
	}
	rdomain := builderapi.BuilderDomain(genesisForkVersion)
	sign := func(k key, slot uint64) string {
		sig, err := builderapi.SignReceiver(slot, rdomain, k.sk)
		if err != nil {
			t.Fatal(err)
		}
		return sig.String()
	}
	// The reference implementation's header: a Commit-Boost signature over
	// keccak256(slot big-endian) with X-Receiver-SigningId and -Nonce.
	signCB := func(k key, slot, nonce uint64) map[string]string {
		id := common.Hash{0x5e}
		root := protocol.NewDomains(genesisForkVersion, 0).SigningRoot(builderapi.ReceiverMessageHash(slot), id, nonce)
		sig := protocol.BLSSignature(bls.SignatureToBytes(bls.Sign(k.sk, root[:])))
		return map[string]string{
			builderapi.HeaderReceiverSignature: sig.String(), builderapi.HeaderReceiverPublicKey: k.p0().String(),
			builderapi.HeaderReceiverSigningID: id.Hex(), builderapi.HeaderReceiverNonce: strconv.FormatUint(nonce, 10),
		}
	}
	tests := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"no signature", nil, 1},
		{"receiver signature", map[string]string{builderapi.HeaderReceiverSignature: sign(receiver, targetSlot)}, 2},
		{"receiver signature with its key", map[string]string{
			builderapi.HeaderReceiverSignature: sign(receiver, targetSlot), builderapi.HeaderReceiverPublicKey: receiver.p0().String()}, 2},
		{"signature of another slot", map[string]string{builderapi.HeaderReceiverSignature: sign(receiver, targetSlot+1)}, 1},
		{"signature of a key not listed", map[string]string{builderapi.HeaderReceiverSignature: sign(f.stranger, targetSlot)}, 1},
		{"reference (Commit-Boost) form", signCB(receiver, targetSlot, 3), 2},
		{"reference form with the wrong nonce", func() map[string]string {
			h := signCB(receiver, targetSlot, 3)
			h[builderapi.HeaderReceiverNonce] = "4"
			return h
		}(), 1},
		{"builder.md signature sent as the reference form", map[string]string{
			builderapi.HeaderReceiverSignature: sign(receiver, targetSlot), builderapi.HeaderReceiverSigningID: protocol.DefaultSigningID.Hex(),
			builderapi.HeaderReceiverNonce: "0"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.getConstraints(targetSlot, tc.hdr); len(got) != tc.want {
				t.Fatalf("%d messages readable, want %d", len(got), tc.want)
			}
		})
	}
	if code, _ := f.do(http.MethodGet, "/constraints/v0/relay/constraints/101", nil, map[string]string{builderapi.HeaderReceiverSignature: "0x1234"}); code != http.StatusBadRequest {
		t.Fatalf("malformed signature header: %d, want 400", code)
	}
	if code, _ := f.do(http.MethodGet, "/constraints/v0/relay/constraints/101", nil, map[string]string{
		builderapi.HeaderReceiverSignature: sign(receiver, targetSlot), builderapi.HeaderReceiverNonce: "1"}); code != http.StatusBadRequest {
		t.Fatalf("nonce without signing id: %d, want 400", code)
	}
}

func TestConstraintsStream(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first := f.constraints(targetSlot, f.proposer, f.txs[:1])
	if code, b := f.postConstraints(first); code != http.StatusOK {
		t.Fatalf("post: %d %s", code, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL+"/constraints/v0/relay/constraints_stream/101", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan []*protocol.SignedConstraints, 4)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "json":
				var batch []*protocol.SignedConstraints
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &batch); err != nil {
					t.Errorf("event data: %v", err)
					return
				}
				events <- batch
			}
		}
	}()
	recv := func() []*protocol.SignedConstraints {
		select {
		case b, ok := <-events:
			if !ok {
				t.Fatal("stream ended")
			}
			return b
		case <-ctx.Done():
			t.Fatal("no event")
		}
		return nil
	}
	if got := recv(); len(got) != 1 || got[0].Signature != first.Signature {
		t.Fatalf("first event: %d messages", len(got))
	}
	second := f.constraints(targetSlot, f.proposer, f.txs[1:3])
	if code, b := f.postConstraints(second); code != http.StatusOK {
		t.Fatalf("post: %d %s", code, b)
	}
	got := recv()
	if len(got) != 1 || got[0].Signature != second.Signature || !got[0].Message.Equal(&second.Message) {
		t.Fatalf("second event differs")
	}
}
