package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// JSON-RPC codes of the sidecar that mean "ask for a later slot"
// (docs/protocol.md §4).
const (
	codeSlotNotOffered = -32004
	codeDeadlinePassed = -32005
	codeSlotFull       = -32010
	codeNotFound       = -32016
)

// ack is one acknowledged promise, as drive records it (one JSON line each,
// written before the transaction goes anywhere else).
type ack struct {
	RequestHash common.Hash    `json:"request_hash"`
	TxHash      common.Hash    `json:"tx_hash"`
	Slot        uint64         `json:"slot"`
	Sender      common.Address `json:"sender"`
	Nonce       uint64         `json:"nonce"`
	Signature   hexutil.Bytes  `json:"signature"`
	Payload     hexutil.Bytes  `json:"payload"`
	AckedAtMs   int64          `json:"acked_at_ms"`
	// ChainID is the rollup's for an L2 promise (type 2); 0 for L1.
	ChainID uint64 `json:"chain_id,omitempty"`
	// Sidecar is the user API URL that answered (several with -sidecar A,B).
	Sidecar string `json:"sidecar,omitempty"`
}

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// sidecarClient speaks the sidecar's JSON-RPC.
type sidecarClient struct {
	url  string
	http *http.Client
	id   atomic.Uint64
}

// call returns an *rpcError for an answer of the sidecar and any other error
// when there was no answer (the sidecar is down: the request may or may not
// have been acknowledged).
func (c *sidecarClient) call(ctx context.Context, method string, params, out any) error {
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
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Result, out)
}

// driveStats counts what happened to the requests.
type driveStats struct {
	mu        sync.Mutex
	sent      int
	acked     int
	refused   map[int]int
	noAnswer  int
	firstDown time.Time
	lastDown  time.Time
}

func (s *driveStats) add(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent++
	var rerr *rpcError
	switch {
	case err == nil:
		s.acked++
	case errors.As(err, &rerr):
		s.refused[rerr.Code]++
	default:
		s.noAnswer++
		s.downLocked()
	}
}

// down notes that the sidecar did not answer a call.
func (s *driveStats) down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.downLocked()
}

func (s *driveStats) downLocked() {
	now := time.Now()
	if s.firstDown.IsZero() {
		s.firstDown = now
	}
	s.lastDown = now
}

// ackLog appends acknowledged promises to a file, synced line by line, so
// what the check reads is exactly what was acknowledged before any crash.
type ackLog struct {
	mu sync.Mutex
	f  *os.File
}

func (l *ackLog) write(a ack) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return l.f.Sync()
}

// driver is one drive run.
type driver struct {
	// sidecars are the user APIs driven: one, or several sidecars of one
	// operator sharing a promise store (each sender starts on one of them,
	// in turn, and moves to the next when it gets no answer).
	sidecars  []*sidecarClient
	el        *ethclient.Client
	slasher   common.Address
	feeCap    *big.Int
	tip       *big.Int
	broadcast bool
	acks      *ackLog
	// l1 is the L1 transfers; l2, when -l2-rpc is set, the rollup's.
	l1, l2 *lane
}

// lane is one kind of request drive sends, with its own senders.
type lane struct {
	typ      uint64            // protocol.TypeL1Inclusion or protocol.TypeL2Inclusion
	chainID  *big.Int          // the chain the transactions are signed for
	state    *ethclient.Client // where a sender's nonce is read
	interval time.Duration     // between one sender's requests
	stats    *driveStats
}

// runDrive sends signed transfers from every sender, one at a time each,
// for the duration, riding through the sidecar being down: a request that
// got no answer is sent again, unchanged, until it gets one (a promise is
// idempotent, so the answer is the same promise if the first was signed).
func runDrive(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("drive", flag.ContinueOnError)
	sidecarURL := fs.String("sidecar", "", "sidecar user API URL; several sidecars of one operator (one promise store) comma-separated: senders are spread over them and move to the next when theirs does not answer")
	rpcURL := fs.String("rpc", "", "execution client JSON-RPC URL")
	slasher := fs.String("slasher", "", "Slasher address")
	sendersFile := fs.String("senders-file", "", "funded sender keys, one hex key a line")
	out := fs.String("out", "", "file the acknowledged promises are appended to (JSON lines)")
	duration := fs.Duration("duration", 40*time.Second, "how long to send")
	rate := fs.Float64("rate", 2, "requests per second of each sender")
	broadcast := fs.Bool("broadcast", true, "also send each transaction to the execution client's mempool (when the sidecar cannot force inclusion)")
	l2RPC := fs.String("l2-rpc", "", "a based rollup's L2 JSON-RPC (its node): also drive L2 inclusion requests (type 2) for it")
	l2SendersFile := fs.String("l2-senders-file", "", "the rollup's funded sender keys, one hex key a line (with -l2-rpc)")
	l2Rate := fs.Float64("l2-rate", 1, "L2 requests per second of each L2 sender")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sidecarURL == "" || *rpcURL == "" || !common.IsHexAddress(*slasher) || *sendersFile == "" || *out == "" || *rate <= 0 {
		return fmt.Errorf("drive: -sidecar, -rpc, -slasher, -senders-file, -out and -rate > 0 are required: %w", errUsage)
	}
	if (*l2RPC == "") != (*l2SendersFile == "") || *l2Rate <= 0 {
		return fmt.Errorf("drive: -l2-rpc and -l2-senders-file go together, with -l2-rate > 0: %w", errUsage)
	}
	var sidecars []*sidecarClient
	for _, u := range strings.Split(*sidecarURL, ",") {
		if u = strings.TrimSpace(u); u != "" {
			sidecars = append(sidecars, &sidecarClient{url: u, http: &http.Client{Timeout: 5 * time.Second}})
		}
	}
	if len(sidecars) == 0 {
		return fmt.Errorf("drive: -sidecar names no URL: %w", errUsage)
	}
	senders, err := readKeys(*sendersFile)
	if err != nil {
		return err
	}
	el, err := ethclient.DialContext(ctx, *rpcURL)
	if err != nil {
		return fmt.Errorf("execution client %s: %w", *rpcURL, err)
	}
	defer el.Close()
	chainID, err := el.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("execution client %s: chain id: %w", *rpcURL, err)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	d := &driver{
		sidecars:  sidecars,
		el:        el,
		slasher:   common.HexToAddress(*slasher),
		feeCap:    big.NewInt(100 * params.GWei),
		tip:       big.NewInt(5 * params.GWei),
		broadcast: *broadcast,
		acks:      &ackLog{f: f},
		l1: &lane{typ: protocol.TypeL1Inclusion, chainID: chainID, state: el,
			interval: time.Duration(float64(time.Second) / *rate), stats: &driveStats{refused: map[int]int{}}},
	}
	var l2Senders []*ecdsa.PrivateKey
	if *l2RPC != "" {
		if l2Senders, err = readKeys(*l2SendersFile); err != nil {
			return err
		}
		l2, err := ethclient.DialContext(ctx, *l2RPC)
		if err != nil {
			return fmt.Errorf("rollup node %s: %w", *l2RPC, err)
		}
		defer l2.Close()
		l2ChainID, err := l2.ChainID(ctx)
		if err != nil {
			return fmt.Errorf("rollup node %s: chain id: %w", *l2RPC, err)
		}
		d.l2 = &lane{typ: protocol.TypeL2Inclusion, chainID: l2ChainID, state: l2,
			interval: time.Duration(float64(time.Second) / *l2Rate), stats: &driveStats{refused: map[int]int{}}}
	}
	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	var (
		wg   sync.WaitGroup
		errs = make(chan error, len(senders)+len(l2Senders))
	)
	for i, k := range senders {
		wg.Go(func() {
			if err := d.sender(ctx, d.l1, k, i%len(sidecars)); err != nil && ctx.Err() == nil {
				errs <- err
			}
		})
	}
	for i, k := range l2Senders {
		wg.Go(func() {
			if err := d.sender(ctx, d.l2, k, i%len(sidecars)); err != nil && ctx.Err() == nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	d.l1.stats.report("", len(senders))
	if d.l2 != nil {
		d.l2.stats.report(fmt.Sprintf(" L2 (rollup %s)", d.l2.chainID), len(l2Senders))
	}
	for err := range errs {
		return err
	}
	if d.l1.stats.acked == 0 {
		return errors.New("drive: the sidecar acknowledged no request")
	}
	if d.l2 != nil && d.l2.stats.acked == 0 {
		return fmt.Errorf("drive: the sidecar acknowledged no L2 request for rollup %s", d.l2.chainID)
	}
	return nil
}

// report prints one summary line of a lane's requests.
func (s *driveStats) report(what string, senders int) {
	fmt.Printf("drive:%s sent %d requests from %d senders: %d promised, refused %v, %d requests without an answer",
		what, s.sent, senders, s.acked, s.refused, s.noAnswer)
	if !s.firstDown.IsZero() {
		fmt.Printf(" (sidecar unreachable from %s to %s)", s.firstDown.Format("15:04:05.000"), s.lastDown.Format("15:04:05.000"))
	}
	fmt.Println()
}

// sender drives one account of a lane: one request at a time, nonces in
// order, starting on sidecar home.
func (d *driver) sender(ctx context.Context, ln *lane, key *ecdsa.PrivateKey, home int) error {
	cur := home
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := ln.state.PendingNonceAt(ctx, from)
	if err != nil {
		return fmt.Errorf("nonce of %s: %w", from, err)
	}
	signer := types.LatestSignerForChainID(ln.chainID)
	to := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	var slot uint64
	tick := time.NewTicker(ln.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: ln.chainID, Nonce: nonce, GasTipCap: d.tip, GasFeeCap: d.feeCap, Gas: 21_000, To: &to, Value: big.NewInt(1),
		})
		if err != nil {
			return err
		}
		raw, err := tx.MarshalBinary()
		if err != nil {
			return err
		}
		if slot, err = d.nextSlot(ctx, ln, d.sidecars[cur], slot); err != nil {
			var rerr *rpcError
			if !errors.As(err, &rerr) && ctx.Err() == nil {
				ln.stats.down()
				cur = (cur + 1) % len(d.sidecars) // another sidecar of the operator, if any
			}
			continue // the sidecar is down or offers nothing yet
		}
		sc, err := d.request(ctx, ln, &cur, slot, raw)
		var rerr *rpcError
		switch {
		case err == nil:
			if err := d.record(ln, sc, tx, from, d.sidecars[cur].url); err != nil {
				return err
			}
			nonce++
			d.send(ctx, ln, tx)
		case errors.As(err, &rerr) && (rerr.Code == codeSlotNotOffered || rerr.Code == codeDeadlinePassed || rerr.Code == codeSlotFull):
			slot++ // same transaction, a later slot
		case errors.As(err, &rerr):
			// Out of step with the sidecar (say, a promise whose answer was
			// lost and whose deadline then passed): the transaction may still
			// have been promised, so it goes to the mempool, and the sender
			// starts again from the chain's pending nonce.
			d.send(ctx, ln, tx)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(2 * time.Second):
			}
			if nonce, err = ln.state.PendingNonceAt(ctx, from); err != nil {
				return fmt.Errorf("nonce of %s: %w", from, err)
			}
		default:
			return nil // request only gives up without an answer when the run ends
		}
	}
}

// nextSlot is the first slot sc offers at or after min (for an L2 lane: that
// offers L2 inclusion for its rollup).
func (d *driver) nextSlot(ctx context.Context, ln *lane, sc *sidecarClient, min uint64) (uint64, error) {
	var resp protocol.SlotInfoResponse
	if err := sc.call(ctx, "slots", []any{}, &resp); err != nil {
		return min, err
	}
	best := uint64(0)
	for _, s := range resp.Slots {
		if ln.typ == protocol.TypeL2Inclusion && !offers(s.Offerings, ln.chainID.Uint64(), ln.typ) {
			continue
		}
		if s.Slot >= min && (best == 0 || s.Slot < best) {
			best = s.Slot
		}
	}
	if best == 0 {
		return min, errors.New("no slot on offer")
	}
	return best, nil
}

// request asks sidecar *cur for a promise, sending the same request again
// while no sidecar answers (it is being restarted), until ctx ends. With
// several sidecars, each retry goes to the next one, and *cur is left on
// the one that answered: the same request gets the same promise from any
// sidecar of the operator, so one that died after committing it is no loss.
func (d *driver) request(ctx context.Context, ln *lane, cur *int, slot uint64, raw []byte) (*protocol.SignedCommitment, error) {
	payload, err := protocol.EncodeRequestPayload(ln.typ, slot, [][]byte{raw})
	if err != nil {
		return nil, err
	}
	req := protocol.CommitmentRequest{CommitmentType: ln.typ, Payload: payload, Slasher: d.slasher}
	for {
		var sc protocol.SignedCommitment
		err := d.sidecars[*cur].call(ctx, "commitmentRequest", []any{req}, &sc)
		ln.stats.add(err)
		var rerr *rpcError
		if err == nil || errors.As(err, &rerr) || ctx.Err() != nil {
			if err == nil {
				return &sc, nil
			}
			return nil, err
		}
		*cur = (*cur + 1) % len(d.sidecars)
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// record checks the promise names our transaction and appends it to the log.
func (d *driver) record(ln *lane, sc *protocol.SignedCommitment, tx *types.Transaction, from common.Address, sidecar string) error {
	p, err := protocol.UnmarshalPromiseABI(sc.Commitment.Payload)
	if err != nil {
		return fmt.Errorf("promise for %s: %w", tx.Hash(), err)
	}
	if len(p.Inclusions) != 1 || p.Inclusions[0].TxHash != tx.Hash() {
		return fmt.Errorf("promise %s does not name transaction %s", sc.Commitment.RequestHash, tx.Hash())
	}
	a := ack{
		RequestHash: sc.Commitment.RequestHash, TxHash: tx.Hash(), Slot: p.Slot, Sender: from, Nonce: tx.Nonce(),
		Signature: sc.Signature, Payload: sc.Commitment.Payload, AckedAtMs: time.Now().UnixMilli(), Sidecar: sidecar,
	}
	if ln.typ == protocol.TypeL2Inclusion {
		if p.Inclusions[0].ChainID != ln.chainID.Uint64() {
			return fmt.Errorf("promise %s names chain %d, asked for rollup %s", sc.Commitment.RequestHash, p.Inclusions[0].ChainID, ln.chainID)
		}
		a.ChainID = ln.chainID.Uint64()
	}
	return d.acks.write(a)
}

// offers reports whether offerings sell commitment type typ for chain.
func offers(offerings []protocol.Offering, chain, typ uint64) bool {
	for _, o := range offerings {
		if o.ChainID == chain && slices.Contains(o.CommitmentTypes, typ) {
			return true
		}
	}
	return false
}

// send gives an L1 transaction to the execution client when -broadcast is
// on. "Already known" and nonce errors are expected (a resent transaction).
// An L2 transaction reaches its rollup only through the batch post.
func (d *driver) send(ctx context.Context, ln *lane, tx *types.Transaction) {
	if !d.broadcast || ln.typ != protocol.TypeL1Inclusion {
		return
	}
	_ = d.el.SendTransaction(ctx, tx)
}

// readKeys reads hex secp256k1 keys, one a line.
func readKeys(path string) ([]*ecdsa.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*ecdsa.PrivateKey
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimPrefix(strings.TrimSpace(sc.Text()), "0x")
		if text == "" {
			continue
		}
		b, err := hex.DecodeString(text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a hex key", path, line)
		}
		k, err := crypto.ToECDSA(b)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a secp256k1 key", path, line)
		}
		out = append(out, k)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no keys", path)
	}
	return out, nil
}
