package sidecar

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/builderproxy"
)

// attrsEvent is a payload_attributes event shaped as the beacon-API spec
// (and Prysm v7) sends it, for slot on parent hash 0x11…, with the given
// payload_attributes object.
func attrsEvent(slot uint64, attrs string) string {
	return fmt.Sprintf(`{"version":"fulu","data":{"proposer_index":"7","proposal_slot":"%d",`+
		`"parent_block_number":"41","parent_block_root":"0x`+strings.Repeat("22", 32)+`",`+
		`"parent_block_hash":"0x`+strings.Repeat("11", 32)+`","payload_attributes":%s}}`, slot, attrs)
}

const goodAttrs = `{"timestamp":"1700000042","prev_randao":"0x` + "3333333333333333333333333333333333333333333333333333333333333333" + `",` +
	`"suggested_fee_recipient":"0x000000000000000000000000000000000000fee5",` +
	`"withdrawals":[{"index":"5","validator_index":"9","address":"0x00000000000000000000000000000000000000aa","amount":"1234"}],` +
	`"parent_beacon_block_root":"0x` + "2222222222222222222222222222222222222222222222222222222222222222" + `"}`

var parentHash = common.HexToHash("0x" + strings.Repeat("11", 32))

func TestBuildingParsePayloadAttributes(t *testing.T) {
	slot, parent, pc, err := parsePayloadAttributes([]byte(attrsEvent(42, goodAttrs)))
	if err != nil {
		t.Fatal(err)
	}
	if slot != 42 || parent != parentHash {
		t.Errorf("key = (%d, %s), want (42, %s)", slot, parent, parentHash)
	}
	if pc.timestamp != 1700000042 {
		t.Errorf("timestamp = %d", pc.timestamp)
	}
	if pc.prevRandao != common.HexToHash("0x"+strings.Repeat("33", 32)) {
		t.Errorf("prev_randao = %s", pc.prevRandao)
	}
	if pc.parentRoot != common.HexToHash("0x"+strings.Repeat("22", 32)) {
		t.Errorf("parent beacon root = %s", pc.parentRoot)
	}
	if len(pc.withdrawals) != 1 || pc.withdrawals[0].Index != 5 || pc.withdrawals[0].ValidatorIndex != 9 ||
		pc.withdrawals[0].Amount != 1234 || pc.withdrawals[0].Address[19] != 0xaa {
		t.Errorf("withdrawals = %+v", pc.withdrawals)
	}

	t.Run("empty withdrawals are a list, not missing", func(t *testing.T) {
		a := strings.Replace(goodAttrs, goodAttrs[strings.Index(goodAttrs, `"withdrawals"`):strings.Index(goodAttrs, `,"parent_beacon`)], `"withdrawals":[]`, 1)
		_, _, pc, err := parsePayloadAttributes([]byte(attrsEvent(1, a)))
		if err != nil {
			t.Fatal(err)
		}
		if pc.withdrawals == nil || len(pc.withdrawals) != 0 {
			t.Errorf("withdrawals = %#v, want an empty list", pc.withdrawals)
		}
	})

	bad := []struct {
		name, event string
	}{
		{"not json", `{"version":`},
		{"slot not a number", strings.Replace(attrsEvent(42, goodAttrs), `"proposal_slot":"42"`, `"proposal_slot":"x"`, 1)},
		{"short parent hash", strings.Replace(attrsEvent(42, goodAttrs), "0x"+strings.Repeat("11", 32), "0x1111", 1)},
		{"no timestamp", attrsEvent(42, strings.Replace(goodAttrs, `"timestamp":"1700000042",`, ``, 1))},
		{"bad randao", attrsEvent(42, strings.Replace(goodAttrs, "0x"+strings.Repeat("33", 32), "0xzz", 1))},
		{"capella attributes (no parent beacon root)", attrsEvent(42, goodAttrs[:strings.Index(goodAttrs, `,"parent_beacon`)]+"}")},
		{"bellatrix attributes (no withdrawals)", attrsEvent(42, `{"timestamp":"1","prev_randao":"0x`+strings.Repeat("33", 32)+
			`","suggested_fee_recipient":"0x000000000000000000000000000000000000fee5","parent_beacon_block_root":"0x`+strings.Repeat("22", 32)+`"}`)},
		{"null withdrawal", attrsEvent(42, strings.Replace(goodAttrs, `"withdrawals":[`, `"withdrawals":[null,`, 1))},
		{"bad withdrawal amount", attrsEvent(42, strings.Replace(goodAttrs, `"amount":"1234"`, `"amount":"-1"`, 1))},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if _, _, _, err := parsePayloadAttributes([]byte(c.event)); !errors.Is(err, ErrBeacon) {
				t.Errorf("err = %v, want ErrBeacon", err)
			}
		})
	}
}

func TestBuildingAttributesCache(t *testing.T) {
	other := common.Hash{0x99}
	t.Run("by slot and parent, latest wins", func(t *testing.T) {
		c := newAttributesCache()
		c.put(10, parentHash, &proposalContext{timestamp: 1})
		c.put(10, other, &proposalContext{timestamp: 2})
		c.put(10, parentHash, &proposalContext{timestamp: 3})
		if pc := c.get(10, parentHash); pc == nil || pc.timestamp != 3 {
			t.Errorf("get(10, parent) = %+v, want the latest (timestamp 3)", pc)
		}
		if pc := c.get(10, other); pc == nil || pc.timestamp != 2 {
			t.Errorf("get(10, other) = %+v, want timestamp 2", pc)
		}
		if pc := c.get(11, parentHash); pc != nil {
			t.Errorf("get(11) = %+v, want nil", pc)
		}
	})
	t.Run("old slots pruned", func(t *testing.T) {
		c := newAttributesCache()
		c.put(10, parentHash, &proposalContext{})
		c.put(10+attributesKeep, parentHash, &proposalContext{})
		if c.get(10, parentHash) == nil {
			t.Error("slot newest-attributesKeep pruned too early")
		}
		c.put(11+attributesKeep, parentHash, &proposalContext{})
		if c.get(10, parentHash) != nil {
			t.Error("slot older than attributesKeep kept")
		}
		if len(c.entries) != 2 {
			t.Errorf("%d entries kept, want 2", len(c.entries))
		}
	})
	t.Run("no wait without a live stream", func(t *testing.T) {
		c := newAttributesCache()
		start := time.Now()
		if pc := c.wait(context.Background(), 5, parentHash, time.Second); pc != nil {
			t.Errorf("wait = %+v, want nil", pc)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("waited %s with no stream", d)
		}
	})
	t.Run("live stream: wakes on the event", func(t *testing.T) {
		c := newAttributesCache()
		c.setStreaming(true)
		go func() {
			time.Sleep(20 * time.Millisecond)
			c.put(5, other, &proposalContext{}) // another proposal: keeps waiting
			time.Sleep(20 * time.Millisecond)
			c.put(5, parentHash, &proposalContext{timestamp: 55})
		}()
		if pc := c.wait(context.Background(), 5, parentHash, 5*time.Second); pc == nil || pc.timestamp != 55 {
			t.Errorf("wait = %+v, want the event put later", pc)
		}
	})
	t.Run("live stream: gives up after the wait", func(t *testing.T) {
		c := newAttributesCache()
		c.setStreaming(true)
		start := time.Now()
		if pc := c.wait(context.Background(), 5, parentHash, 50*time.Millisecond); pc != nil {
			t.Errorf("wait = %+v, want nil", pc)
		}
		if d := time.Since(start); d < 50*time.Millisecond || d > 2*time.Second {
			t.Errorf("waited %s, want about 50ms", d)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if pc := c.wait(ctx, 5, parentHash, time.Minute); pc != nil {
			t.Errorf("wait on a done ctx = %+v", pc)
		}
	})
}

func TestBuildingReadSSE(t *testing.T) {
	body := ": keep-alive\r\n\r\nevent: head\ndata: {\"slot\":\"1\"}\n\n" +
		"event: payload_attributes\ndata: {\"a\":\ndata: 1}\n\n" +
		"data: {}\n\n" + // no event name: the default "message"
		"event: payload_attributes\ndata: x" // cut off: not delivered
	type got struct{ event, data string }
	var all []got
	if err := readSSE(strings.NewReader(body), func(e string, d []byte) { all = append(all, got{e, string(d)}) }); err != nil {
		t.Fatal(err)
	}
	want := []got{{"head", `{"slot":"1"}`}, {"payload_attributes", "{\"a\":\n1}"}, {"", "{}"}}
	if fmt.Sprint(all) != fmt.Sprint(want) {
		t.Errorf("events = %q, want %q", all, want)
	}
	t.Run("line too long", func(t *testing.T) {
		long := "data: " + strings.Repeat("x", maxEventLine+1) + "\n\n"
		if err := readSSE(strings.NewReader(long), func(string, []byte) {}); !errors.Is(err, ErrBeacon) {
			t.Errorf("err = %v, want ErrBeacon", err)
		}
	})
}

// sseNode is a beacon node's event endpoint: the first `refuse` connections
// get a 503, the next ones get the events in frames and are then closed.
type sseNode struct {
	refuse  int32
	frames  []string
	conns   atomic.Int32
	mu      sync.Mutex
	queries []string
}

func (n *sseNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := n.conns.Add(1)
	n.mu.Lock()
	n.queries = append(n.queries, r.URL.Path+"?"+r.URL.RawQuery)
	n.mu.Unlock()
	if c <= n.refuse {
		http.Error(w, "not now", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	for _, f := range n.frames {
		_, _ = w.Write([]byte(f))
	}
}

func TestBuildingFollowPayloadAttributes(t *testing.T) {
	node := &sseNode{refuse: 1, frames: []string{
		"event: payload_attributes\ndata: " + attrsEvent(7, goodAttrs) + "\n\n",
		"event: payload_attributes\ndata: {\"version\":\"fulu\"}\n\n", // malformed: skipped, stream kept
		"event: payload_attributes\ndata: " + strings.Replace(attrsEvent(8, goodAttrs), "1700000042", "1700000044", 1) + "\n\n",
	}}
	srv := httptest.NewServer(node)
	defer srv.Close()
	b := newBeaconAPI(srv.URL)
	cache := newAttributesCache()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.followPayloadAttributes(ctx, cache, zerolog.Nop()) }()

	// Refused once, then reconnected after the backoff and fed.
	deadline := time.Now().Add(10 * time.Second)
	for cache.get(8, parentHash) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("slot 8's attributes never cached (%d connections)", node.conns.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if pc := cache.get(7, parentHash); pc == nil || pc.timestamp != 1700000042 {
		t.Errorf("slot 7 = %+v", pc)
	}
	if pc := cache.get(8, parentHash); pc.timestamp != 1700000044 {
		t.Errorf("slot 8 timestamp = %d", pc.timestamp)
	}
	// The node closes each stream after its frames: the follower keeps
	// reconnecting until ctx ends, then returns nil.
	for node.conns.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("no reconnection after a closed stream (%d connections)", node.conns.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("follow returned %v after ctx ended, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("follow did not return after ctx ended")
	}
	node.mu.Lock()
	defer node.mu.Unlock()
	if node.queries[0] != "/eth/v1/events?topics=payload_attributes" {
		t.Errorf("subscribed with %q", node.queries[0])
	}
}

// TestBuildingProposalSources checks the fallback reads the proposal from
// the event when it has one, and from the REST endpoints otherwise.
func TestBuildingProposalSources(t *testing.T) {
	var restCalls atomic.Int32
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		restCalls.Add(1)
		switch {
		case r.URL.Path == "/eth/v1/beacon/headers/head":
			fmt.Fprintf(w, `{"data":{"root":"0x%s","header":{"message":{"slot":"41"}}}}`, strings.Repeat("44", 32))
		case r.URL.Path == "/eth/v1/beacon/states/41/randao":
			fmt.Fprintf(w, `{"data":{"randao":"0x%s"}}`, strings.Repeat("55", 32))
		case strings.HasPrefix(r.URL.Path, "/eth/v1/builder/states/41/expected_withdrawals"):
			fmt.Fprint(w, `{"data":[]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer rest.Close()
	_, _, event, err := parsePayloadAttributes([]byte(attrsEvent(42, goodAttrs)))
	if err != nil {
		t.Fatal(err)
	}
	req := builderproxy.FallbackRequest{Slot: 42, ParentHash: phase0.Hash32(parentHash)}

	t.Run("event", func(t *testing.T) {
		cache := newAttributesCache()
		cache.put(42, parentHash, event)
		f := &fallbackBlocks{beacon: newBeaconAPI(rest.URL), attrs: cache, log: zerolog.Nop()}
		before := restCalls.Load()
		pc, err := f.proposal(context.Background(), req, 1700000042)
		if err != nil {
			t.Fatal(err)
		}
		if pc != event || restCalls.Load() != before {
			t.Errorf("did not use the event (%d REST calls)", restCalls.Load()-before)
		}
	})
	t.Run("event with another timestamp", func(t *testing.T) {
		cache := newAttributesCache()
		cache.put(42, parentHash, event)
		f := &fallbackBlocks{beacon: newBeaconAPI(rest.URL), attrs: cache, log: zerolog.Nop()}
		if _, err := f.proposal(context.Background(), req, 1700000040); !errors.Is(err, ErrBeacon) {
			t.Errorf("err = %v, want ErrBeacon", err)
		}
	})
	t.Run("no event: REST endpoints", func(t *testing.T) {
		cache := newAttributesCache()
		cache.put(42, common.Hash{0x99}, event) // another parent (a reorg)
		f := &fallbackBlocks{beacon: newBeaconAPI(rest.URL), attrs: cache, log: zerolog.Nop()}
		pc, err := f.proposal(context.Background(), req, 1700000042)
		if err != nil {
			t.Fatal(err)
		}
		if pc.timestamp != 1700000042 || pc.prevRandao != common.HexToHash("0x"+strings.Repeat("55", 32)) ||
			pc.parentRoot != common.HexToHash("0x"+strings.Repeat("44", 32)) || pc.withdrawals == nil {
			t.Errorf("proposal from REST = %+v", pc)
		}
	})
	t.Run("no event, no expected_withdrawals endpoint (Prysm v7)", func(t *testing.T) {
		prysm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/eth/v1/builder/") {
				http.NotFound(w, r)
				return
			}
			rest.Config.Handler.ServeHTTP(w, r)
		}))
		defer prysm.Close()
		f := &fallbackBlocks{beacon: newBeaconAPI(prysm.URL), attrs: newAttributesCache(), log: zerolog.Nop()}
		if _, err := f.proposal(context.Background(), req, 1700000042); !errors.Is(err, ErrBeacon) {
			t.Errorf("err = %v, want ErrBeacon", err)
		}
	})
}
