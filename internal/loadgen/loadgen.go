// Package loadgen drives a running sidecar with real preconfirmation
// requests — transactions signed by funded accounts, with the nonces the
// sidecar expects — and measures latency and throughput. `pledge bench
// requests` runs it; the end-to-end tests use it as the load under which the
// sidecar is killed.
//
// Two shapes of load: with a Rate the generator is open-loop (a request is
// due every 1/Rate whatever the answers do, so a slow sidecar cannot slow
// the load down and hide its own latency); without one every worker sends
// its next request as soon as the previous is answered (the throughput
// shape). Transactions can be signed before the clock starts (Presign), so
// the generator's own secp256k1 work stays out of the measured seconds.
package loadgen

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"runtime"
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

// lateAfter is how far behind its due time an open-loop request may start
// before it counts as late (the generator could not keep the rate).
const lateAfter = time.Millisecond

// Config describes the load.
type Config struct {
	// URL is the sidecar's user API (JSON-RPC on POST /).
	URL string
	// ChainID is the L1 chain id the transactions are signed for.
	ChainID *big.Int
	// Slasher is named in every request.
	Slasher common.Address
	// Senders are funded accounts with nonces starting at StartNonces[i]
	// (its nonce at the head, or after promises). A sender has at most one
	// request in flight: its next nonce stacks on the previous promise.
	Senders     []*ecdsa.PrivateKey
	StartNonces []uint64
	// Rate is the valid requests per second, sent open-loop by whichever
	// sender is idle; 0 sends as fast as the senders' answers come back.
	Rate float64
	// InvalidRate is the invalid requests per second sent beside, up to 64
	// in flight (a nonce gap: decoded, signature-checked and refused by the
	// rules).
	InvalidRate float64
	// Duration bounds the run; Requests, when > 0, stops it after that many
	// valid requests.
	Duration time.Duration
	Requests int
	// GasFeeCap and GasTipCap of the generated transfers.
	GasFeeCap, GasTipCap *big.Int
	// Presign is how many transactions each sender signs before the clock
	// starts (more are signed on the way if needed); 0 signs each request's
	// transaction just before sending it. Invalid requests come from a
	// pre-signed pool of up to Presign×len(Senders) (at least 1,024) when
	// Presign > 0.
	Presign int
	// SkipSlots makes requests skip the first SkipSlots offered slots, so a
	// throughput run fills slots whose blocks are built after it ends.
	SkipSlots int
	// Batch, when > 1, sends valid requests as JSON-RPC batches of Batch
	// calls, one per sender (closed loop only).
	Batch int
	// ValidFrom and InvalidFrom are local IPs the connections are made from
	// (sender i uses ValidFrom[i mod len]); the sidecar's rate limit is per
	// client IP. Empty: the system's choice.
	ValidFrom   []string
	InvalidFrom string
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
	// Late counts open-loop requests that started more than 1 ms after they
	// were due: the generator, not the sidecar, fell behind.
	Late int
	// SignedDuring counts transactions signed inside the measured time
	// (the pre-signed ones ran out).
	SignedDuring int
	// FirstError is the first failure (not a refusal) of a valid request.
	FirstError error
}

// Counts of one kind of request: Sent = OK + Refused + Failed + CutOff.
type Counts struct {
	Sent, OK, Refused, Failed int
	// CutOff were still in flight when the run ended; their answer is unknown.
	CutOff int
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

// sender is one funded account and where it is.
type sender struct {
	key    *ecdsa.PrivateKey
	client *client
	nonce  uint64
	slot   uint64 // the earliest slot its next request may name
	base   uint64 // nonce of signed[0]
	signed [][]byte
	done   bool // out of step (a nonce or balance refusal): no more requests
}

// raw returns the signed transaction for the sender's current nonce.
func (s *sender) raw(g *gen) ([]byte, bool, error) {
	if i := s.nonce - s.base; s.nonce >= s.base && i < uint64(len(s.signed)) {
		return s.signed[i], false, nil
	}
	raw, err := g.sign(s.key, s.nonce, g.to, big.NewInt(1))
	return raw, true, err
}

// gen is one run's shared state.
type gen struct {
	cfg    Config
	signer types.Signer
	to     common.Address
	book   *slotBook

	mu  sync.Mutex
	res *Result

	requests atomic.Int64 // valid requests started
}

func (g *gen) sign(key *ecdsa.PrivateKey, nonce uint64, to common.Address, value *big.Int) ([]byte, error) {
	tx, err := types.SignNewTx(key, g.signer, &types.DynamicFeeTx{
		ChainID: g.cfg.ChainID, Nonce: nonce, GasTipCap: g.cfg.GasTipCap, GasFeeCap: g.cfg.GasFeeCap, Gas: 21_000, To: &to, Value: value,
	})
	if err != nil {
		return nil, err
	}
	return tx.MarshalBinary()
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
	if cfg.Batch > 1 && cfg.Rate > 0 {
		return nil, errors.New("loadgen: batches are sent closed-loop only (no rate)")
	}
	g := &gen{
		cfg: cfg, signer: types.LatestSignerForChainID(cfg.ChainID),
		to:  common.HexToAddress("0x000000000000000000000000000000000000dEaD"),
		res: &Result{Errors: map[int]int{}},
	}
	clients, err := newClients(cfg.URL, cfg.ValidFrom, len(cfg.Senders)+8)
	if err != nil {
		return nil, err
	}
	g.book = &slotBook{c: clients[0], skip: cfg.SkipSlots}
	if err := g.book.refresh(ctx); err != nil {
		return nil, err
	}
	senders := make([]*sender, len(cfg.Senders))
	for i, key := range cfg.Senders {
		senders[i] = &sender{key: key, client: clients[i%len(clients)], nonce: cfg.StartNonces[i], base: cfg.StartNonces[i]}
	}
	if err := g.presign(ctx, senders); err != nil {
		return nil, err
	}
	var invalid [][]byte
	if cfg.InvalidRate > 0 {
		if invalid, err = g.invalidPool(ctx); err != nil {
			return nil, err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	if cfg.InvalidRate > 0 {
		ic, err := newClients(cfg.URL, []string{cfg.InvalidFrom}, 72)
		if err != nil {
			return nil, err
		}
		wg.Go(func() { g.invalidLoad(ctx, ic[0], invalid) })
	}
	switch {
	case cfg.Rate > 0:
		g.openLoop(ctx, senders, start)
	case cfg.Batch > 1:
		for group := range slices.Chunk(senders, cfg.Batch) {
			wg.Go(func() { g.closedLoop(ctx, group) })
		}
	default:
		for _, s := range senders {
			wg.Go(func() { g.closedLoop(ctx, []*sender{s}) })
		}
	}
	wg.Wait()
	g.res.Elapsed = time.Since(start)
	slices.Sort(g.res.Latencies)
	return g.res, nil
}

// presign signs cfg.Presign transactions per sender on every core.
func (g *gen) presign(ctx context.Context, senders []*sender) error {
	if g.cfg.Presign <= 0 {
		return nil
	}
	return parallel(ctx, len(senders), func(i int) error {
		s := senders[i]
		s.signed = make([][]byte, g.cfg.Presign)
		for k := range s.signed {
			raw, err := g.sign(s.key, s.base+uint64(k), g.to, big.NewInt(1))
			if err != nil {
				return err
			}
			s.signed[k] = raw
		}
		return nil
	})
}

// invalidPool signs the invalid transactions: far-future nonces (a gap)
// from a few fresh keys. With Presign they are signed before the clock
// starts and reused round-robin (a refused request leaves no trace, so a
// repeat costs the sidecar the same); without, each is signed on the way.
func (g *gen) invalidPool(ctx context.Context) ([][]byte, error) {
	n := 0
	if g.cfg.Presign > 0 {
		n = max(1024, g.cfg.Presign*len(g.cfg.Senders))
		n = min(n, 100_000)
	}
	keys := make([]*ecdsa.PrivateKey, 16)
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	pool := make([][]byte, max(n, len(keys)))
	to := common.HexToAddress("0x000000000000000000000000000000000000bEEF")
	err := parallel(ctx, len(pool), func(i int) error {
		raw, err := g.sign(keys[i%len(keys)], 1<<40+uint64(i), to, new(big.Int))
		pool[i] = raw
		return err
	})
	if n == 0 {
		return nil, err // sign on the way: the pool only checked the keys
	}
	return pool, err
}

// openLoop starts a request every 1/Rate on an idle sender.
func (g *gen) openLoop(ctx context.Context, senders []*sender, start time.Time) {
	idle := make(chan *sender, len(senders))
	for _, s := range senders {
		idle <- s
	}
	interval := time.Duration(float64(time.Second) / g.cfg.Rate)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
		if ctx.Err() != nil || g.enough() {
			return
		}
		var s *sender
		select {
		case s = <-idle:
		case <-ctx.Done():
			return
		}
		if s.done {
			continue // out of step: taken out of the rotation
		}
		late := time.Since(due) > lateAfter
		wg.Go(func() {
			if late {
				g.mu.Lock()
				g.res.Late++
				g.mu.Unlock()
			}
			g.send(ctx, []*sender{s})
			idle <- s
		})
	}
}

// closedLoop sends the group's next requests as soon as the last are
// answered, as one call or one batch.
func (g *gen) closedLoop(ctx context.Context, group []*sender) {
	for ctx.Err() == nil && !g.enough() {
		live := group[:0:0]
		for _, s := range group {
			if !s.done {
				live = append(live, s)
			}
		}
		if len(live) == 0 {
			return
		}
		g.send(ctx, live)
	}
}

func (g *gen) enough() bool {
	return g.cfg.Requests > 0 && g.requests.Load() >= int64(g.cfg.Requests)
}

// send makes one request per sender (one call, or a batch) and moves each
// sender on by its answer.
func (g *gen) send(ctx context.Context, group []*sender) {
	calls := make([]call, 0, len(group))
	var signedDuring int
	for _, s := range group {
		slot, err := g.book.after(ctx, s.slot)
		if err != nil {
			return
		}
		s.slot = slot
		raw, fresh, err := s.raw(g)
		if err != nil {
			return
		}
		if fresh {
			signedDuring++
		}
		payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, slot, [][]byte{raw})
		if err != nil {
			return
		}
		calls = append(calls, call{method: "commitmentRequest",
			params: protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: g.cfg.Slasher}})
	}
	g.requests.Add(int64(len(calls)))
	t0 := time.Now()
	answers, err := group[0].client.batch(ctx, calls, g.cfg.Batch > 1)
	lat := time.Since(t0)

	g.mu.Lock()
	g.res.SignedDuring += signedDuring
	for i, s := range group {
		g.res.Valid.Sent++
		var a answer
		if err == nil {
			a = answers[i]
		}
		var rerr *rpcError
		switch {
		case err != nil && ctx.Err() != nil:
			g.res.Valid.CutOff++
		case err != nil:
			g.res.Valid.Failed++
			if g.res.FirstError == nil {
				g.res.FirstError = err
			}
		case a.err != nil:
			rerr = a.err
			g.res.Valid.Refused++
			g.res.Errors[rerr.Code]++
		default:
			g.res.Valid.OK++
			g.res.Latencies = append(g.res.Latencies, lat)
		}
		switch {
		case err == nil && a.err == nil:
			s.nonce++
		case rerr != nil && (rerr.Code == codeDeadlinePassed || rerr.Code == codeSlotNotOffered):
			g.book.passed(s.slot)
			s.slot++ // same nonce, a later slot
		case rerr != nil && rerr.Code == codeSlotFull:
			s.slot++
		case rerr != nil:
			s.done = true // out of step (nonce, balance): stop it rather than spin
		case ctx.Err() == nil:
			// A transport failure: the promise may or may not exist, so the
			// sender's next nonce is unknown.
			s.done = true
		}
	}
	g.mu.Unlock()
	if g.cfg.OnPromise != nil && err == nil {
		for _, a := range answers {
			if a.err == nil && a.sc != nil {
				g.cfg.OnPromise(a.sc.Commitment.RequestHash, a.sc)
			}
		}
	}
}

// invalidLoad sends requests that decode and verify but break the nonce
// rule (the rejection path every validation step runs through), up to 64
// in flight, at InvalidRate.
func (g *gen) invalidLoad(ctx context.Context, c *client, pool [][]byte) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return
	}
	to := common.HexToAddress("0x000000000000000000000000000000000000bEEF")
	interval := time.Duration(float64(time.Second) / g.cfg.InvalidRate)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	defer wg.Wait()
	start := time.Now()
	for i := 0; ; i++ {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		slot, err := g.book.after(ctx, 0)
		if err != nil {
			<-sem
			return
		}
		var raw []byte
		if len(pool) > 0 {
			raw = pool[i%len(pool)]
		} else if raw, err = g.sign(key, 1<<41+uint64(i), to, new(big.Int)); err != nil {
			<-sem
			return
		}
		payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, slot, [][]byte{raw})
		if err != nil {
			<-sem
			return
		}
		req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: g.cfg.Slasher}
		wg.Go(func() {
			defer func() { <-sem }()
			answers, err := c.batch(ctx, []call{{method: "commitmentRequest", params: req}}, false)
			g.mu.Lock()
			defer g.mu.Unlock()
			g.res.Invalid.Sent++
			switch {
			case err != nil && ctx.Err() != nil:
				g.res.Invalid.CutOff++
			case err != nil:
				g.res.Invalid.Failed++
			case answers[0].err != nil:
				g.res.Invalid.Refused++
			default:
				g.res.Invalid.OK++ // a bug in the sidecar: reported by the caller
			}
		})
	}
}

// parallel runs fn(0..n-1) on every core and returns the first error.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	var (
		next  atomic.Int64
		first error
		mu    sync.Mutex
		wg    sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
