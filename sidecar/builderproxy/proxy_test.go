package builderproxy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/builderproxy"
)

// misbehaving returns fake relays, each paying more than any honest bid,
// that break the promises in one way each.
func misbehaving(t *testing.T, txs [][]byte) map[string]*fakeRelay {
	t.Helper()
	extra := signedTxs(t, 2)
	full := append(append([][]byte{}, txs...), extra...)
	omitted := append(append([][]byte{}, txs[1:]...), extra...)

	badProof := bidFor(t, newKey(t).sk, payload(full, "bad-proof"), len(txs), 1000)
	badProof.Proofs.Payloads[0][len(badProof.Proofs.Payloads[0])-1] ^= 1

	badSig := bidFor(t, newKey(t).sk, payload(full, "bad-sig"), len(txs), 1000)
	badSig.Message.Pubkey = newKey(t).pub // signed by another key than it names

	noProof := bidFor(t, newKey(t).sk, payload(full, "no-proof"), 0, 1000)

	return map[string]*fakeRelay{
		"omits a constrained tx": newFakeRelay(t, bidFor(t, newKey(t).sk, payload(omitted, "omit"), len(txs), 1000), 0, 0),
		"bad proof":              newFakeRelay(t, badProof, 0, 0),
		"bad signature":          newFakeRelay(t, badSig, 0, 0),
		"no proofs":              newFakeRelay(t, noProof, 0, 0),
		"times out":              newFakeRelay(t, bidFor(t, newKey(t).sk, payload(full, "slow"), len(txs), 1000), 0, 5*time.Second),
		"answers 500":            newFakeRelay(t, nil, http.StatusInternalServerError, 0),
		"no bid":                 newFakeRelay(t, nil, 0, 0),
	}
}

func TestPromisedSlotTakesTheCompliantRelay(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	txs := signedTxs(t, 3)
	rr := newRealRelay(t)
	rr.submit(t, proposer, txs, 7)
	urls := []string{rr.srv.URL}
	bad := misbehaving(t, txs)
	for _, f := range bad {
		urls = append(urls, f.srv.URL)
	}
	fb := &fakeFallback{t: t, sk: newKey(t).sk}
	_, srv := newProxy(t, promises{targetSlot: txs}, urls, builderproxy.WithFallback(fb))

	start := time.Now()
	v := getHeader(t, srv.URL, proposer.pub)
	if v == nil {
		t.Fatal("no header served")
	}
	if v.Data.Message.Pubkey != rr.key.pub || v.Data.Message.Value.Uint64() != 7 {
		t.Fatalf("served a bid of %s worth %s, want the compliant relay's", v.Data.Message.Pubkey, v.Data.Message.Value.Dec())
	}
	if time.Since(start) > 4*time.Second {
		t.Fatal("the slow relay held the answer past the hard timeout")
	}
	for name, f := range bad {
		if f.hits.Load() == 0 {
			t.Errorf("%s: never asked", name)
		}
	}

	// The blinded block goes back to the relay, which reveals the payload.
	block := blindedBlock(t, v.Data.Message)
	code, hdr, body := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/blinded_blocks", mustJSON(t, block), map[string]string{"Eth-Consensus-Version": "fulu"})
	if code != http.StatusOK {
		t.Fatalf("v1: %d %s", code, body)
	}
	var got builderapi.VersionedExecutionPayloadAndBlobsBundle
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Data.ExecutionPayload.BlockHash != v.Data.Message.Header.BlockHash || hdr.Get("Eth-Consensus-Version") != "fulu" {
		t.Fatal("v1 revealed another block")
	}
	for i, tx := range txs {
		if string(got.Data.ExecutionPayload.Transactions[i]) != string(tx) {
			t.Fatalf("promised tx %d is not at position %d", i, i)
		}
	}
	// v2: the relay publishes and the proxy answers 202.
	code, _, body = do(t, http.MethodPost, srv.URL+"/eth/v2/builder/blinded_blocks", mustJSON(t, block), nil)
	if code != http.StatusAccepted {
		t.Fatalf("v2: %d %s", code, body)
	}
	if n := len(rr.pub.published()); n != 2 {
		t.Fatalf("relay published %d blocks, want 2 (v1 and v2)", n)
	}
}

func TestPromisedSlotFallsBackWhenNoBidProvesThePromises(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 3)
	bad := misbehaving(t, txs)
	closed := newFakeRelay(t, nil, 0, 0)
	closed.srv.Close()
	cases := map[string][]string{"all relays down": {closed.srv.URL}}
	for name, f := range bad {
		cases[name] = []string{f.srv.URL}
	}
	// A relay that is right but only about another proposer's slot still
	// does not prove ours: the real relay without our constraints.
	for name, urls := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			proposer := newKey(t)
			fb := &fakeFallback{t: t, sk: newKey(t).sk}
			_, srv := newProxy(t, promises{targetSlot: txs}, urls, builderproxy.WithFallback(fb))
			v := getHeader(t, srv.URL, proposer.pub)
			if v == nil {
				t.Fatal("no header served")
			}
			fb.mu.Lock()
			built := fb.built
			fb.mu.Unlock()
			if built == nil || v.Data.Message.Header.BlockHash != built.Payload.BlockHash {
				t.Fatal("served header is not the fallback block")
			}
			reqs := fb.requests()
			if len(reqs) != 1 || reqs[0].Slot != targetSlot || reqs[0].ParentHash != parentHash || reqs[0].Proposer != proposer.pub || len(reqs[0].TopTxs) != len(txs) {
				t.Fatalf("fallback asked %+v", reqs)
			}
		})
	}
}

func TestPromisedSlotWithoutFallbackOrValidBid(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 2)
	bad := misbehaving(t, txs)["bad proof"]
	for name, opts := range map[string][]builderproxy.Option{
		"no fallback":       nil,
		"fallback fails":    {builderproxy.WithFallback(&fakeFallback{t: t, sk: newKey(t).sk, fail: errors.New("EL down")})},
		"fallback too slow": {builderproxy.WithFallback(&fakeFallback{t: t, sk: newKey(t).sk, delay: 5 * time.Second})},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, srv := newProxy(t, promises{targetSlot: txs}, []string{bad.srv.URL}, opts...)
			if v := getHeader(t, srv.URL, newKey(t).pub); v != nil {
				t.Fatal("served a bid that does not prove the promises")
			}
		})
	}
}

func TestSoftTimeoutServesTheBidInHand(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	txs := signedTxs(t, 2)
	full := append(append([][]byte{}, txs...), signedTxs(t, 1)...)
	fast := newFakeRelay(t, bidFor(t, newKey(t).sk, payload(full, "fast"), len(txs), 5), 0, 0)
	// Pays more but answers after the soft timeout (150 ms), before the hard one.
	late := newFakeRelay(t, bidFor(t, newKey(t).sk, payload(full, "late"), len(txs), 50), 0, 400*time.Millisecond)
	fb := &fakeFallback{t: t, sk: newKey(t).sk}
	_, srv := newProxy(t, promises{targetSlot: txs}, []string{fast.srv.URL, late.srv.URL}, builderproxy.WithFallback(fb))
	v := getHeader(t, srv.URL, proposer.pub)
	if v == nil || v.Data.Message.Value.Uint64() != 5 {
		t.Fatal("did not serve the valid bid in hand at the soft timeout")
	}
}

func TestBestValidBidAcrossRelays(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 2)
	full := append(append([][]byte{}, txs...), signedTxs(t, 1)...)
	low := newFakeRelay(t, bidFor(t, newKey(t).sk, payload(full, "low"), len(txs), 5), 0, 0)
	high := newFakeRelay(t, bidFor(t, newKey(t).sk, payload(full, "high"), len(txs), 9), 0, 0)
	_, srv := newProxy(t, promises{targetSlot: txs}, []string{low.srv.URL, high.srv.URL})
	if v := getHeader(t, srv.URL, newKey(t).pub); v == nil || v.Data.Message.Value.Uint64() != 9 {
		t.Fatal("did not serve the highest valid bid")
	}
}

func TestSlotWithoutPromisesPassesThrough(t *testing.T) {
	t.Parallel()
	proposer := newKey(t)
	rr := newRealRelay(t)
	rr.submit(t, proposer, nil, 9)
	txs := signedTxs(t, 3)
	other := newFakeRelay(t, bidFor(t, newKey(t).sk, payload(txs, "other"), 0, 5), 0, 0)
	forged := bidFor(t, newKey(t).sk, payload(txs, "forged"), 0, 100)
	forged.Message.Pubkey = newKey(t).pub
	bad := newFakeRelay(t, forged, 0, 0)
	fb := &fakeFallback{t: t, sk: newKey(t).sk}
	_, srv := newProxy(t, promises{}, []string{rr.srv.URL, other.srv.URL, bad.srv.URL}, builderproxy.WithFallback(fb))
	v := getHeader(t, srv.URL, proposer.pub)
	if v == nil || v.Data.Message.Pubkey != rr.key.pub || v.Data.Message.Value.Uint64() != 9 {
		t.Fatal("did not pass through the best valid bid")
	}
	if len(fb.requests()) != 0 {
		t.Fatal("fallback built for a slot without promises")
	}
	// Proxy-forwarded reveal of a pass-through header.
	block := blindedBlock(t, v.Data.Message)
	if code, _, body := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/blinded_blocks", mustJSON(t, block), nil); code != http.StatusOK {
		t.Fatalf("v1: %d %s", code, body)
	}

	// No bid anywhere: 204, like mev-boost.
	empty := newFakeRelay(t, nil, 0, 0)
	_, srv2 := newProxy(t, promises{}, []string{empty.srv.URL}, builderproxy.WithFallback(fb))
	if v := getHeader(t, srv2.URL, proposer.pub); v != nil {
		t.Fatal("served a bid when no relay had one")
	}
	// The bad relay's only bid is refused, even alone.
	_, srv3 := newProxy(t, promises{}, []string{bad.srv.URL})
	if v := getHeader(t, srv3.URL, proposer.pub); v != nil {
		t.Fatal("served a bid with a bad signature")
	}
}

// fallbackServed sets up a promised slot that only the fallback serves.
func fallbackServed(t *testing.T) (*served, *builderapi.VersionedSignedBuilderBid, *fakeFallback, *publisher) {
	t.Helper()
	txs := signedTxs(t, 2)
	fb := &fakeFallback{t: t, sk: newKey(t).sk}
	pub := &publisher{}
	down := newFakeRelay(t, nil, http.StatusInternalServerError, 0)
	_, srv := newProxy(t, promises{targetSlot: txs}, []string{down.srv.URL}, builderproxy.WithFallback(fb), builderproxy.WithPublisher(pub))
	v := getHeader(t, srv.URL, newKey(t).pub)
	if v == nil {
		t.Fatal("no header")
	}
	return &served{srv.URL}, v, fb, pub
}

// served is the URL of a proxy that served a fallback header.
type served struct{ URL string }

func TestFallbackBlockV1ReturnsThePayload(t *testing.T) {
	t.Parallel()
	srv, v, fb, pub := fallbackServed(t)
	block := blindedBlock(t, v.Data.Message)
	code, _, body := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/blinded_blocks", mustJSON(t, block), map[string]string{"Eth-Consensus-Version": "fulu"})
	if code != http.StatusOK {
		t.Fatalf("v1: %d %s", code, body)
	}
	var got builderapi.VersionedExecutionPayloadAndBlobsBundle
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != spec.DataVersionFulu || got.Data.ExecutionPayload.BlockHash != fb.built.Payload.BlockHash {
		t.Fatal("v1 returned another payload")
	}
	if len(pub.published()) != 0 {
		t.Fatal("v1 published: the beacon node does that itself")
	}
}

func TestFallbackBlockV2Publishes(t *testing.T) {
	t.Parallel()
	srv, v, fb, pub := fallbackServed(t)
	block := blindedBlock(t, v.Data.Message)
	sszBody, err := block.MarshalSSZ()
	if err != nil {
		t.Fatal(err)
	}
	code, _, body := do(t, http.MethodPost, srv.URL+"/eth/v2/builder/blinded_blocks", sszBody, map[string]string{"Content-Type": "application/octet-stream"})
	if code != http.StatusAccepted || len(body) != 0 {
		t.Fatalf("v2: %d %s, want 202", code, body)
	}
	got := pub.published()
	if len(got) != 1 || got[0].Fulu == nil {
		t.Fatalf("published %d blocks", len(got))
	}
	full := got[0].Fulu.SignedBlock
	if full.Message.Body.ExecutionPayload.BlockHash != fb.built.Payload.BlockHash || full.Signature != block.Signature {
		t.Fatal("published block is not the signed one with the fallback payload")
	}
	fr, _ := full.Message.HashTreeRoot()
	br, _ := block.Message.HashTreeRoot()
	if fr != br {
		t.Fatal("unblinded block root differs: the proposer's signature would not hold")
	}
	// The same block again is fine; another one for the slot is not.
	if code, _, _ := do(t, http.MethodPost, srv.URL+"/eth/v2/builder/blinded_blocks", mustJSON(t, block), nil); code != http.StatusAccepted {
		t.Fatalf("same block again: %d", code)
	}
	block.Message.Body.Graffiti[0] ^= 1
	if code, _, _ := do(t, http.MethodPost, srv.URL+"/eth/v2/builder/blinded_blocks", mustJSON(t, block), nil); code != http.StatusBadRequest {
		t.Fatalf("second block for the slot: %d, want 400", code)
	}
	if len(pub.published()) != 2 {
		t.Fatal("the refused block was published")
	}
}

func TestFallbackBlockV2PublishFailures(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 1)
	for name, tc := range map[string]struct {
		pub  *publisher
		want int
	}{
		"beacon node refuses": {&publisher{err: errors.New("invalid block")}, http.StatusBadGateway},
		"no beacon node":      {nil, http.StatusInternalServerError},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := []builderproxy.Option{builderproxy.WithFallback(&fakeFallback{t: t, sk: newKey(t).sk})}
			if tc.pub != nil {
				opts = append(opts, builderproxy.WithPublisher(tc.pub))
			}
			down := newFakeRelay(t, nil, http.StatusInternalServerError, 0)
			_, srv := newProxy(t, promises{targetSlot: txs}, []string{down.srv.URL}, opts...)
			v := getHeader(t, srv.URL, newKey(t).pub)
			code, _, body := do(t, http.MethodPost, srv.URL+"/eth/v2/builder/blinded_blocks", mustJSON(t, blindedBlock(t, v.Data.Message)), nil)
			if code != tc.want {
				t.Fatalf("status %d %s, want %d", code, body, tc.want)
			}
		})
	}
}

func TestBlindedBlockForAHeaderNotServed(t *testing.T) {
	t.Parallel()
	srv, v, _, pub := fallbackServed(t)
	tests := map[string]func(b *builderapi.BuilderBid) *builderapi.BuilderBid{
		"unknown block hash": func(b *builderapi.BuilderBid) *builderapi.BuilderBid {
			h := *b.Header
			h.BlockHash[0] ^= 1
			return &builderapi.BuilderBid{Header: &h, BlobKZGCommitments: b.BlobKZGCommitments, ExecutionRequests: b.ExecutionRequests, Value: b.Value}
		},
		"served hash, other header": func(b *builderapi.BuilderBid) *builderapi.BuilderBid {
			h := *b.Header
			h.GasUsed++
			return &builderapi.BuilderBid{Header: &h, BlobKZGCommitments: b.BlobKZGCommitments, ExecutionRequests: b.ExecutionRequests, Value: b.Value}
		},
		"extra blob commitment": func(b *builderapi.BuilderBid) *builderapi.BuilderBid {
			return &builderapi.BuilderBid{Header: b.Header, BlobKZGCommitments: []deneb.KZGCommitment{{1}}, ExecutionRequests: b.ExecutionRequests, Value: b.Value}
		},
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			for _, path := range []string{"/eth/v1/builder/blinded_blocks", "/eth/v2/builder/blinded_blocks"} {
				code, _, body := do(t, http.MethodPost, srv.URL+path, mustJSON(t, blindedBlock(t, mutate(v.Data.Message))), nil)
				if code != http.StatusBadRequest {
					t.Fatalf("%s: %d %s, want 400", path, code, body)
				}
			}
		})
	}
	t.Run("other slot", func(t *testing.T) {
		b := blindedBlock(t, v.Data.Message)
		b.Message.Slot++
		if code, _, _ := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/blinded_blocks", mustJSON(t, b), nil); code != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", code)
		}
	})
	t.Run("wrong fork header", func(t *testing.T) {
		b := blindedBlock(t, v.Data.Message)
		if code, _, _ := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/blinded_blocks", mustJSON(t, b), map[string]string{"Eth-Consensus-Version": "electra"}); code != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", code)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		if code, _, _ := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/blinded_blocks", []byte(`{"message":`), nil); code != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", code)
		}
	})
	if len(pub.published()) != 0 {
		t.Fatal("a refused block was published")
	}
}

func TestRegisterValidators(t *testing.T) {
	t.Parallel()
	validator := newKey(t)
	rr := newRealRelay(t)
	down := newFakeRelay(t, nil, http.StatusInternalServerError, 0)
	fb := &fakeFallback{t: t, sk: newKey(t).sk}
	_, srv := newProxy(t, promises{targetSlot: signedTxs(t, 1)}, []string{rr.srv.URL, down.srv.URL}, builderproxy.WithFallback(fb))
	reg, err := builderapi.SignRegistration(&apiv1.ValidatorRegistration{
		FeeRecipient: bellatrix.ExecutionAddress{0x99}, GasLimit: 36_000_000, Timestamp: genesisTime.Add(100 * 12 * time.Second),
	}, builderDomain, validator.sk)
	if err != nil {
		t.Fatal(err)
	}
	code, _, body := do(t, http.MethodPost, srv.URL+"/eth/v1/builder/validators", mustJSON(t, []*apiv1.SignedValidatorRegistration{reg}), nil)
	if code != http.StatusOK {
		t.Fatalf("register: %d %s", code, body)
	}
	if rr.relay.Registration(validator.pub) == nil {
		t.Fatal("registration not forwarded to the relay")
	}
	// The fallback block pays the registered fee recipient.
	getHeader(t, srv.URL, validator.pub)
	reqs := fb.requests()
	if len(reqs) != 1 || reqs[0].FeeRecipient != (bellatrix.ExecutionAddress{0x99}) || reqs[0].GasLimit != 36_000_000 {
		t.Fatalf("fallback request %+v lacks the registration", reqs)
	}

	// Every relay failing is an error; a bad body is a 400.
	_, srv2 := newProxy(t, promises{}, []string{down.srv.URL})
	if code, _, _ := do(t, http.MethodPost, srv2.URL+"/eth/v1/builder/validators", mustJSON(t, []*apiv1.SignedValidatorRegistration{reg}), nil); code != http.StatusBadGateway {
		t.Fatalf("all relays failing: %d, want 502", code)
	}
	if code, _, _ := do(t, http.MethodPost, srv2.URL+"/eth/v1/builder/validators", []byte(`[null]`), nil); code != http.StatusBadRequest {
		t.Fatalf("bad body: %d, want 400", code)
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	up, down := newFakeRelay(t, nil, 0, 0), newFakeRelay(t, nil, http.StatusInternalServerError, 0)
	tests := []struct {
		name   string
		relays []string
		opts   []builderproxy.Option
		want   int
	}{
		{"one relay up", []string{down.srv.URL, up.srv.URL}, nil, http.StatusOK},
		{"all down", []string{down.srv.URL}, nil, http.StatusBadGateway},
		{"all down, fallback", []string{down.srv.URL}, []builderproxy.Option{builderproxy.WithFallback(&fakeFallback{t: t})}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, srv := newProxy(t, promises{}, tc.relays, tc.opts...)
			if code, _, _ := do(t, http.MethodGet, srv.URL+"/eth/v1/builder/status", nil, nil); code != tc.want {
				t.Fatalf("status %d, want %d", code, tc.want)
			}
		})
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    builderproxy.Promises
		cfg  builderproxy.Config
		want string
	}{
		{"no promises", nil, builderproxy.Config{Relays: []string{"http://r"}}, "promises"},
		{"nothing to ask", promises{}, builderproxy.Config{}, "no relay"},
		{"soft after hard", promises{}, builderproxy.Config{Relays: []string{"http://r"}, SoftTimeout: time.Second, HardTimeout: time.Millisecond}, "soft"},
		{"bad url", promises{}, builderproxy.Config{Relays: []string{"r:1"}}, "http(s)"},
		{"bad pubkey", promises{}, builderproxy.Config{Relays: []string{"http://0x12@r"}}, "public key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := builderproxy.New(tc.p, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRelayPubkeyPinned(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 3)
	honest := newKey(t)
	f := newFakeRelay(t, bidFor(t, honest.sk, payload(txs, "x"), 0, 5), 0, 0)
	pinned := strings.Replace(f.srv.URL, "http://", "http://"+newKey(t).pub.String()+"@", 1)
	_, srv := newProxy(t, promises{}, []string{pinned})
	if v := getHeader(t, srv.URL, newKey(t).pub); v != nil {
		t.Fatal("served a bid signed by a key other than the relay's configured one")
	}
	right := strings.Replace(f.srv.URL, "http://", "http://"+honest.pub.String()+"@", 1)
	_, srv2 := newProxy(t, promises{}, []string{right})
	if v := getHeader(t, srv2.URL, newKey(t).pub); v == nil {
		t.Fatal("refused the pinned relay's own bid")
	}
}

func TestGetHeaderSSZAndMetrics(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 2)
	bad := misbehaving(t, txs)["bad proof"]
	reg := prometheus.NewRegistry()
	fb := &fakeFallback{t: t, sk: newKey(t).sk}
	_, srv := newProxy(t, promises{targetSlot: txs}, []string{bad.srv.URL}, builderproxy.WithFallback(fb), builderproxy.WithRegisterer(reg))
	url := fmt.Sprintf("%s/eth/v1/builder/header/%d/%s/%s", srv.URL, targetSlot, parentHash, newKey(t).pub)
	code, hdr, body := do(t, http.MethodGet, url, nil, map[string]string{"Accept": "application/octet-stream;q=1.0,application/json;q=0.9"})
	if code != http.StatusOK || hdr.Get("Content-Type") != "application/octet-stream" || hdr.Get("Eth-Consensus-Version") != "fulu" {
		t.Fatalf("status %d, content type %q, version %q", code, hdr.Get("Content-Type"), hdr.Get("Eth-Consensus-Version"))
	}
	var bid builderapi.SignedBuilderBid
	if err := bid.UnmarshalSSZ(body); err != nil {
		t.Fatal(err)
	}
	if err := builderapi.VerifyBid(&bid, builderDomain); err != nil || bid.Message.Header.BlockHash != fb.built.Payload.BlockHash {
		t.Fatalf("SSZ bid is not the fallback's: %v", err)
	}
	name := strings.TrimPrefix(bad.srv.URL, "http://")
	if n := counterValue(t, reg, "pledge_builderproxy_relay_requests_total", map[string]string{"relay": name, "endpoint": "header_with_proofs", "outcome": "bad_proofs"}); n != 1 {
		t.Fatalf("bad_proofs counted %v times, want 1", n)
	}
}

// counterValue reads one labelled series of a counter vector on reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := 0
			for _, lp := range m.GetLabel() {
				if labels[lp.GetName()] == lp.GetValue() {
					match++
				}
			}
			if match == len(labels) {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}

func TestHardTimeoutBoundsGetHeader(t *testing.T) {
	t.Parallel()
	txs := signedTxs(t, 2)
	hang := newFakeRelay(t, nil, 0, 10*time.Second)
	fb := &fakeFallback{t: t, sk: newKey(t).sk, delay: 10 * time.Second}
	_, srv := newProxy(t, promises{targetSlot: txs}, []string{hang.srv.URL}, builderproxy.WithFallback(fb))
	start := time.Now()
	if v := getHeader(t, srv.URL, newKey(t).pub); v != nil {
		t.Fatal("served a header with nothing ready")
	}
	// Generous bound: the point is that neither the relay's 10 s nor the
	// fallback's 10 s holds the beacon node.
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("getHeader took %s", d)
	}
}
