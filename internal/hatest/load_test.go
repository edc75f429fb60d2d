package hatest

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
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// JSON-RPC codes the load reacts to (docs/protocol.md §4).
const (
	codeSlotNotOffered = -32004
	codeDeadlinePassed = -32005
	codeSlotFull       = -32010
	codeNotFound       = -32016
	codeNonce          = -32006
	codeUnavailable    = -32017
	codeConflict       = -32018
)

// Sidecar indexes.
const (
	sidecarA = 0
	sidecarB = 1
)

var sidecarNames = [2]string{"A", "B"}

// senderKind says where a sender's requests go.
type senderKind string

const (
	// ownA and ownB send to one sidecar; when it does not answer they send
	// the same request to the other, and stay there while it is down.
	ownA senderKind = "own-A"
	ownB senderKind = "own-B"
	// twin sends the same request to both sidecars at once: both must
	// answer the same promise.
	twin senderKind = "twin"
	// rival sends two different transactions for one nonce, one to each
	// sidecar, at once: at most one may be promised.
	rival senderKind = "rival"
)

// attempt is one request to one sidecar and what came back.
type attempt struct {
	Sidecar     int
	Kind        senderKind
	Sender      common.Address
	Nonce       uint64
	Slot        uint64
	TxHash      common.Hash
	RequestHash common.Hash
	Round       uint64 // attempts of one sender's round share it
	Retry       bool   // resent to the other sidecar after no answer
	SentAt      time.Time
	AnsweredAt  time.Time
	// Promise is the acknowledged promise; nil when refused or unanswered.
	Promise  *protocol.SignedCommitment
	Code     int // JSON-RPC error code when refused
	Message  string
	NoAnswer bool // no JSON-RPC answer (the sidecar is down)
}

// journal is every attempt of the run, in the order they were answered.
type journal struct {
	mu  sync.Mutex
	all []attempt
}

func (j *journal) add(a attempt) {
	j.mu.Lock()
	j.all = append(j.all, a)
	j.mu.Unlock()
}

func (j *journal) count(match func(*attempt) bool) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for i := range j.all {
		if match(&j.all[i]) {
			n++
		}
	}
	return n
}

func (j *journal) snapshot() []attempt {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]attempt(nil), j.all...)
}

// fleet is the two sidecars as the load sees them; the test marks one down
// when it kills it and up again when it has restarted it.
type fleet struct {
	mu   sync.Mutex
	urls [2]string
	up   [2]bool
}

func (f *fleet) set(i int, url string, up bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if url != "" {
		f.urls[i] = url
	}
	f.up[i] = up
}

func (f *fleet) url(i int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.urls[i]
}

func (f *fleet) isUp(i int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.up[i]
}

// rpcError is a JSON-RPC error answer.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

var (
	httpClient = &http.Client{Timeout: 10 * time.Second}
	rpcID      atomic.Uint64
)

// call returns an *rpcError for a JSON-RPC error answer, and any other
// error when there was no answer.
func call(ctx context.Context, url, method string, params, out any) error {
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": rpcID.Add(1), "method": method, "params": params})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
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
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Result, out)
}

// load drives both sidecars with signed transfers, every sender one nonce
// at a time, until its context ends.
type load struct {
	fleet   *fleet
	journal *journal
	chainID *big.Int
	slasher common.Address
	pace    time.Duration
	// retired lists senders that stopped: an unanswered request whose fate
	// they cannot know, or a refusal they do not handle. Not a failure by
	// itself: every answer they got is judged like the others'.
	mu      sync.Mutex
	retired []string
	// inflight counts the promise requests each sidecar has not answered yet.
	inflight [2]atomic.Int32
}

type sender struct {
	kind  senderKind
	key   *ecdsa.PrivateKey
	from  common.Address
	nonce uint64
	min   uint64 // the slot of its last promise: the next nonce's is not earlier
	round uint64
	// gaps counts the rounds in a row refused for a nonce gap.
	gaps int
}

func (l *load) run(ctx context.Context, kind senderKind, key *ecdsa.PrivateKey) {
	s := &sender{kind: kind, key: key, from: crypto.PubkeyToAddress(key.PublicKey)}
	tick := time.NewTicker(l.pace)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if !l.round(ctx, s) {
			return
		}
	}
}

// maxGapRounds bounds the rounds a sender retries a nonce refused for a
// gap (-32006): far more than a sync interval at any pace the test uses.
const maxGapRounds = 50

// targets are the sidecars a sender's next round goes to.
func (l *load) targets(s *sender) []int {
	var out []int
	switch s.kind {
	case ownA, ownB:
		home, other := sidecarA, sidecarB
		if s.kind == ownB {
			home, other = other, home
		}
		switch {
		case l.fleet.isUp(home):
			out = []int{home}
		case l.fleet.isUp(other):
			out = []int{other}
		}
	default:
		for i := range 2 {
			if l.fleet.isUp(i) {
				out = append(out, i)
			}
		}
	}
	return out
}

// request is one signed request for one sidecar.
type request struct {
	sidecar int
	slot    uint64
	tx      *types.Transaction
	req     protocol.CommitmentRequest
}

// round sends the sender's current nonce to its targets once and moves on
// from the answers; false retires the sender.
func (l *load) round(ctx context.Context, s *sender) bool {
	targets := l.targets(s)
	if len(targets) == 0 {
		return true
	}
	slot, err := l.nextSlot(ctx, targets[0], s.min)
	if err != nil {
		return true // down, or nothing on offer yet
	}
	s.round++
	reqs := make([]request, len(targets))
	for i, sc := range targets {
		value := int64(1)
		if s.kind == rival {
			value += int64(sc) // a different transaction for each sidecar
		}
		r, err := l.sign(s, slot, value)
		if err != nil {
			return false
		}
		r.sidecar = sc
		reqs[i] = r
	}
	answers := make([]attempt, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() { answers[i] = l.send(ctx, s, r, false) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return true
	}
	for _, a := range answers {
		if a.Promise != nil {
			s.nonce++
			s.min = slot
			s.gaps = 0
			return true
		}
	}
	// No promise. An unanswered request may have been committed before its
	// sidecar died: send it, unchanged, to the other sidecar, which answers
	// the stored promise if there is one.
	unanswered := false
	for i, a := range answers {
		if !a.NoAnswer {
			continue
		}
		unanswered = true
		other := 1 - a.Sidecar
		if !l.fleet.isUp(other) {
			continue
		}
		r := reqs[i]
		r.sidecar = other
		if b := l.send(ctx, s, r, true); b.Promise != nil {
			s.nonce++
			s.min = slot
			return true
		}
	}
	if unanswered {
		l.retire(s, "a request got no answer and its fate is unknown")
		return false
	}
	moveOn, retry, gap := true, false, false
	for _, a := range answers {
		switch a.Code {
		case codeSlotNotOffered, codeDeadlinePassed, codeSlotFull:
		case codeUnavailable:
			retry = true
		case codeNonce:
			// The previous nonce was promised by the other sidecar a moment
			// ago: this one refuses on its own view of the promises until it
			// has read that one from the store (within its sync interval).
			gap = true
		default:
			moveOn = false
		}
	}
	if gap && s.gaps < maxGapRounds {
		s.gaps++
		return true
	}
	s.gaps = 0
	switch {
	case retry:
		return true // the same nonce and slot again, after the pace
	case moveOn:
		s.min = slot + 1
		return true
	}
	l.retire(s, fmt.Sprintf("refused: %d %s", answers[0].Code, answers[0].Message))
	return false
}

func (l *load) retire(s *sender, why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.retired = append(l.retired, fmt.Sprintf("%s sender %s at nonce %d: %s", s.kind, s.from, s.nonce, why))
}

func (l *load) retiredSenders() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.retired...)
}

// nextSlot is the first slot sidecar sc offers at or after min.
func (l *load) nextSlot(ctx context.Context, sc int, min uint64) (uint64, error) {
	var resp protocol.SlotInfoResponse
	if err := call(ctx, l.fleet.url(sc), "slots", []any{}, &resp); err != nil {
		return 0, err
	}
	best := uint64(0)
	for _, s := range resp.Slots {
		if s.Slot >= min && (best == 0 || s.Slot < best) {
			best = s.Slot
		}
	}
	if best == 0 {
		return 0, errors.New("no slot on offer")
	}
	return best, nil
}

func (l *load) sign(s *sender, slot uint64, value int64) (request, error) {
	to := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	tx, err := types.SignNewTx(s.key, types.LatestSignerForChainID(l.chainID), &types.DynamicFeeTx{
		ChainID: l.chainID, Nonce: s.nonce, GasTipCap: big.NewInt(5e9), GasFeeCap: big.NewInt(100e9),
		Gas: 21_000, To: &to, Value: big.NewInt(value),
	})
	if err != nil {
		return request{}, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return request{}, err
	}
	payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, slot, [][]byte{raw})
	if err != nil {
		return request{}, err
	}
	return request{slot: slot, tx: tx, req: protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: l.slasher}}, nil
}

// send asks one sidecar for a promise and journals the answer.
func (l *load) send(ctx context.Context, s *sender, r request, retry bool) attempt {
	a := attempt{
		Sidecar: r.sidecar, Kind: s.kind, Sender: s.from, Nonce: r.tx.Nonce(), Slot: r.slot,
		TxHash: r.tx.Hash(), RequestHash: r.req.RequestHash(), Round: s.round, Retry: retry, SentAt: time.Now(),
	}
	var sc protocol.SignedCommitment
	l.inflight[r.sidecar].Add(1)
	err := call(ctx, l.fleet.url(r.sidecar), "commitmentRequest", []any{r.req}, &sc)
	l.inflight[r.sidecar].Add(-1)
	a.AnsweredAt = time.Now()
	var rerr *rpcError
	switch {
	case err == nil:
		a.Promise = &sc
	case errors.As(err, &rerr):
		a.Code, a.Message = rerr.Code, rerr.Message
	case ctx.Err() != nil:
		return a // the run ended: not journaled
	default:
		a.NoAnswer, a.Message = true, err.Error()
	}
	l.journal.add(a)
	return a
}
