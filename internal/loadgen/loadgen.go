// Package loadgen drives a running sidecar with real preconfirmation
// requests — transactions signed by funded accounts, with the nonces the
// sidecar expects — and measures latency and throughput. `pledge bench
// requests` runs it; the end-to-end tests use it as the load under which the
// sidecar is killed.
package loadgen

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// JSON-RPC error codes the generator reacts to (docs/protocol.md §4).
const (
	codeDeadlinePassed = -32005
	codeSlotNotOffered = -32004
	codeSlotFull       = -32010
)

// Config describes the load.
type Config struct {
	// URL is the sidecar's user API (JSON-RPC on POST /).
	URL string
	// ChainID is the L1 chain id the transactions are signed for.
	ChainID *big.Int
	// Slasher is named in every request.
	Slasher common.Address
	// Senders are funded accounts; each is driven by one worker, with nonces
	// starting at StartNonces[i] (its nonce at the head, or after promises).
	Senders     []*ecdsa.PrivateKey
	StartNonces []uint64
	// Rate is the valid requests per second over all workers; 0 sends as fast
	// as the workers can.
	Rate float64
	// InvalidRate is the invalid requests per second sent beside (a nonce
	// gap: decoded, signature-checked and refused by the rules).
	InvalidRate float64
	// Duration bounds the run; Requests, when > 0, stops it after that many
	// valid requests.
	Duration time.Duration
	Requests int
	// GasFeeCap and GasTipCap of the generated transfers.
	GasFeeCap, GasTipCap *big.Int
	// OnPromise, when set, is called for every acknowledged promise.
	OnPromise func(requestHash common.Hash, sc *protocol.SignedCommitment)
}

// Result is what a run measured.
type Result struct {
	Elapsed   time.Duration
	Valid     Counts
	Invalid   Counts
	Latencies []time.Duration // of acknowledged valid requests, sorted
	Errors    map[int]int     // JSON-RPC error code → count, valid requests
}

// Counts of one kind of request.
type Counts struct {
	Sent, OK, Refused, Failed int
}

// Percentile returns the p-th percentile (0..100) of the acknowledged
// requests' latency.
func (r *Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.Latencies)-1))
	return r.Latencies[i]
}

// Throughput is acknowledged valid promises per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Valid.OK) / r.Elapsed.Seconds()
}

// String is a one-screen summary.
func (r *Result) String() string {
	return fmt.Sprintf("valid: sent %d, promised %d, refused %d, failed %d | invalid: sent %d, refused %d | "+
		"latency p50 %s p90 %s p99 %s max %s | %.0f promises/s over %s",
		r.Valid.Sent, r.Valid.OK, r.Valid.Refused, r.Valid.Failed, r.Invalid.Sent, r.Invalid.Refused,
		r.Percentile(50), r.Percentile(90), r.Percentile(99), r.Percentile(100), r.Throughput(), r.Elapsed.Round(time.Millisecond))
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// client speaks the sidecar's JSON-RPC.
type client struct {
	url  string
	http *http.Client
	id   atomic.Uint64
}

func (c *client) call(ctx context.Context, method string, params any, out any) error {
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id.Add(1), "method": method, "params": params})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *rpcError       `json:"error"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("%s: HTTP %d, not JSON-RPC: %.200s", method, resp.StatusCode, data)
	}
	if env.Error != nil {
		return env.Error
	}
	if out != nil {
		return json.Unmarshal(env.Result, out)
	}
	return nil
}

// slotBook tracks the slots on offer; workers move to a later slot when one
// fills up or its deadline passes.
type slotBook struct {
	c     *client
	mu    sync.Mutex
	slots []uint64
	at    time.Time
}

func (b *slotBook) refresh(ctx context.Context) error {
	var resp protocol.SlotInfoResponse
	if err := b.c.call(ctx, "slots", []any{}, &resp); err != nil {
		return fmt.Errorf("slots: %w", err)
	}
	slots := make([]uint64, 0, len(resp.Slots))
	for _, s := range resp.Slots {
		slots = append(slots, s.Slot)
	}
	slices.Sort(slots)
	b.mu.Lock()
	b.slots, b.at = slots, time.Now()
	b.mu.Unlock()
	return nil
}

// after returns the first offered slot >= min, refreshing when none is known.
func (b *slotBook) after(ctx context.Context, min uint64) (uint64, error) {
	for attempt := 0; ; attempt++ {
		b.mu.Lock()
		for _, s := range b.slots {
			if s >= min {
				b.mu.Unlock()
				return s, nil
			}
		}
		stale := time.Since(b.at) > 200*time.Millisecond
		b.mu.Unlock()
		if attempt > 0 && !stale {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
		if err := b.refresh(ctx); err != nil {
			return 0, err
		}
	}
}

// Run drives the sidecar until the duration or request count is reached.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if len(cfg.Senders) == 0 || len(cfg.StartNonces) != len(cfg.Senders) {
		return nil, errors.New("loadgen: senders and their start nonces are required")
	}
	if cfg.Duration <= 0 {
		return nil, errors.New("loadgen: a duration is required (the run must stop by itself)")
	}
	if cfg.GasFeeCap == nil || cfg.GasTipCap == nil {
		return nil, errors.New("loadgen: gas fee cap and tip cap are required")
	}
	c := &client{url: cfg.URL, http: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: len(cfg.Senders) + 8},
	}}
	book := &slotBook{c: c}
	if err := book.refresh(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()

	var (
		mu    sync.Mutex
		res   = &Result{Errors: map[int]int{}}
		ticks <-chan time.Time
		valid atomic.Int64
	)
	if cfg.Rate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / cfg.Rate))
		defer t.Stop()
		ticks = t.C
	}
	signer := types.LatestSignerForChainID(cfg.ChainID)
	to := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	start := time.Now()
	var wg sync.WaitGroup
	for i, key := range cfg.Senders {
		nonce := cfg.StartNonces[i]
		wg.Go(func() {
			slot := uint64(0)
			for ctx.Err() == nil {
				if cfg.Requests > 0 && valid.Load() >= int64(cfg.Requests) {
					return
				}
				if ticks != nil {
					select {
					case <-ctx.Done():
						return
					case <-ticks:
					}
				}
				s, err := book.after(ctx, slot)
				if err != nil {
					return
				}
				slot = s
				tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
					ChainID: cfg.ChainID, Nonce: nonce, GasTipCap: cfg.GasTipCap, GasFeeCap: cfg.GasFeeCap, Gas: 21_000, To: &to, Value: big.NewInt(1),
				})
				if err != nil {
					return
				}
				raw, _ := tx.MarshalBinary()
				payload, _ := protocol.EncodeRequestPayload(slot, [][]byte{raw})
				req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: cfg.Slasher}
				var sc protocol.SignedCommitment
				valid.Add(1)
				t0 := time.Now()
				err = c.call(ctx, "commitmentRequest", []any{req}, &sc)
				lat := time.Since(t0)
				var rerr *rpcError
				mu.Lock()
				res.Valid.Sent++
				switch {
				case err == nil:
					res.Valid.OK++
					res.Latencies = append(res.Latencies, lat)
				case errors.As(err, &rerr):
					res.Valid.Refused++
					res.Errors[rerr.Code]++
				default:
					if ctx.Err() == nil {
						res.Valid.Failed++
					}
				}
				mu.Unlock()
				switch {
				case err == nil:
					nonce++
					if cfg.OnPromise != nil {
						cfg.OnPromise(sc.Commitment.RequestHash, &sc)
					}
				case rerr != nil && (rerr.Code == codeSlotFull || rerr.Code == codeDeadlinePassed || rerr.Code == codeSlotNotOffered):
					slot++ // same nonce, a later slot
				case rerr != nil:
					return // the sender is out of step (nonce, balance): stop it rather than spin
				}
			}
		})
	}
	if cfg.InvalidRate > 0 {
		wg.Go(func() { invalidLoad(ctx, c, book, cfg, signer, &mu, res) })
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.Latencies)
	return res, nil
}

// invalidLoad sends requests that decode and verify but break the nonce
// rule: the rejection path every validation step runs through.
func invalidLoad(ctx context.Context, c *client, book *slotBook, cfg Config, signer types.Signer, mu *sync.Mutex, res *Result) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return
	}
	to := common.HexToAddress("0x000000000000000000000000000000000000bEEF")
	t := time.NewTicker(time.Duration(float64(time.Second) / cfg.InvalidRate))
	defer t.Stop()
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	defer wg.Wait()
	for n := uint64(1 << 40); ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		slot, err := book.after(ctx, 0)
		if err != nil {
			return
		}
		tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: cfg.ChainID, Nonce: n, GasTipCap: cfg.GasTipCap, GasFeeCap: cfg.GasFeeCap, Gas: 21_000, To: &to,
		})
		if err != nil {
			return
		}
		raw, _ := tx.MarshalBinary()
		payload, _ := protocol.EncodeRequestPayload(slot, [][]byte{raw})
		req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: cfg.Slasher}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Go(func() {
			defer func() { <-sem }()
			err := c.call(ctx, "commitmentRequest", []any{req}, nil)
			var rerr *rpcError
			mu.Lock()
			res.Invalid.Sent++
			switch {
			case err == nil:
				res.Invalid.OK++ // a bug in the sidecar: reported by the caller
			case errors.As(err, &rerr):
				res.Invalid.Refused++
			default:
				if ctx.Err() == nil {
					res.Invalid.Failed++
				}
			}
			mu.Unlock()
		})
	}
}
