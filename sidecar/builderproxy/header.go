package builderproxy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// headerRequest is the path of getHeader.
type headerRequest struct {
	slot     uint64
	parent   phase0.Hash32
	proposer phase0.BLSPubKey
}

func (h headerRequest) path(prefix string) string {
	return fmt.Sprintf("%s/%d/%s/%s", prefix, h.slot, h.parent, h.proposer)
}

func parseHeaderRequest(req *http.Request) (headerRequest, error) {
	var h headerRequest
	slot, err := strconv.ParseUint(req.PathValue("slot"), 10, 64)
	if err != nil {
		return h, fmt.Errorf("%w: slot %q", ErrBadRequest, req.PathValue("slot"))
	}
	h.slot = slot
	if err := decodeFixed(req.PathValue("parent_hash"), h.parent[:]); err != nil {
		return h, fmt.Errorf("%w: parent hash: %w", ErrBadRequest, err)
	}
	if err := decodeFixed(req.PathValue("pubkey"), h.proposer[:]); err != nil {
		return h, fmt.Errorf("%w: pubkey: %w", ErrBadRequest, err)
	}
	return h, nil
}

func decodeFixed(s string, dst []byte) error {
	b, err := hexutil.Decode(s)
	if err != nil {
		return err
	}
	if len(b) != len(dst) {
		return fmt.Errorf("%d bytes, want %d", len(b), len(dst))
	}
	copy(dst, b)
	return nil
}

// servedBid is a header given to the beacon node: the relays that offered
// it, or the fallback block behind it.
type servedBid struct {
	slot     uint64
	version  spec.DataVersion
	bid      *builderapi.SignedBuilderBid
	relays   []*relayClient
	fallback *FallbackBlock
}

// relayBid is one relay's checked answer.
type relayBid struct {
	relay   *relayClient
	version spec.DataVersion
	bid     *builderapi.SignedBuilderBid
	err     error
}

func (p *Proxy) handleGetHeader(w http.ResponseWriter, req *http.Request) {
	start := time.Now()
	h, err := parseHeaderRequest(req)
	if err != nil {
		writeError(w, err)
		return
	}
	sv := p.getHeader(req.Context(), h.slot, h.parent, h.proposer)
	p.m.headerSeconds.Observe(time.Since(start).Seconds())
	if sv == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Eth-Consensus-Version", sv.version.String())
	if prefersSSZ(req) {
		b, err := sv.bid.MarshalSSZ()
		if err == nil {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(b)
			return
		}
	}
	writeJSON(w, http.StatusOK, &builderapi.VersionedSignedBuilderBid{Version: sv.version, Data: sv.bid})
}

// prefersSSZ reports whether the first media type the client accepts is SSZ.
func prefersSSZ(req *http.Request) bool {
	a := strings.TrimSpace(strings.Split(req.Header.Get("Accept"), ",")[0])
	return strings.HasPrefix(a, "application/octet-stream")
}

// getHeader asks every relay for a bid and returns the one to serve, nil
// for none. For a slot with promises only bids that prove them count, and
// the fallback block stands in when none does. It answers at the soft
// timeout if it holds a valid bid, and never after the hard timeout.
func (p *Proxy) getHeader(ctx context.Context, slot uint64, parent phase0.Hash32, proposer phase0.BLSPubKey) *servedBid {
	h := headerRequest{slot: slot, parent: parent, proposer: proposer}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.HardTimeout)
	defer cancel()
	txs := p.promises.TopOfBlock(slot)
	promised := strconv.FormatBool(len(txs) > 0)
	log := p.log.With().Uint64("slot", slot).Str("pubkey", proposer.String()).Int("promised_txs", len(txs)).Logger()

	// The fallback builds beside the fan-out, so a block is ready when every
	// relay fails; it is dropped as soon as a relay bid wins.
	var fb chan *FallbackBlock
	fctx, fcancel := context.WithCancel(ctx)
	defer fcancel()
	if len(txs) > 0 && p.opts.fallback != nil {
		fb = make(chan *FallbackBlock, 1)
		go func() { fb <- p.buildFallback(fctx, h, txs) }()
	}

	results := make(chan relayBid, len(p.relays))
	for _, r := range p.relays {
		go func() { results <- p.fetchHeader(ctx, r, h, txs) }()
	}
	soft := time.NewTimer(p.cfg.SoftTimeout)
	defer soft.Stop()
	var best *servedBid
	var block *FallbackBlock
	fbc := fb // nil once the fallback answered
	softPassed := false
wait:
	for pending := len(p.relays); pending > 0; {
		select {
		case rb := <-results:
			pending--
			if rb.err != nil {
				log.Warn().Err(rb.err).Str("relay", rb.relay.name).Msg("relay bid dropped")
				continue
			}
			if rb.bid == nil {
				continue
			}
			switch {
			case best == nil || rb.bid.Message.Value.Gt(best.bid.Message.Value):
				best = &servedBid{slot: slot, version: rb.version, bid: rb.bid, relays: []*relayClient{rb.relay}}
			case rb.bid.Message.Header.BlockHash == best.bid.Message.Header.BlockHash:
				// The same block through another relay: either may reveal it.
				best.relays = append(best.relays, rb.relay)
			}
			if softPassed {
				break wait
			}
		case block = <-fbc:
			fbc = nil
			if softPassed && block != nil {
				break wait
			}
		case <-soft.C:
			// Past the soft timeout, anything valid in hand is served.
			softPassed = true
			if best != nil || block != nil {
				break wait
			}
		case <-ctx.Done():
			break wait
		}
	}
	if best != nil {
		fcancel()
		p.remember(best)
		p.m.headers.WithLabelValues("relay", promised).Inc()
		log.Info().Str("relay", best.relays[0].name).Str("block_hash", best.bid.Message.Header.BlockHash.String()).
			Str("value", best.bid.Message.Value.Dec()).Msg("relay header served")
		return best
	}
	if fb == nil {
		p.m.headers.WithLabelValues("none", promised).Inc()
		if len(txs) > 0 {
			log.Error().Msg("no relay bid proves the promises and no fallback builder is configured")
		}
		return nil
	}
	if fbc != nil {
		select {
		case block = <-fbc:
		case <-ctx.Done():
		}
	}
	if block == nil {
		p.m.headers.WithLabelValues("none", promised).Inc()
		log.Error().Msg("no relay bid proves the promises and the fallback block is not ready: promises at risk")
		return nil
	}
	sv := &servedBid{slot: slot, version: block.Version, bid: block.Bid, fallback: block}
	p.remember(sv)
	p.m.headers.WithLabelValues("fallback", promised).Inc()
	log.Info().Str("block_hash", block.Bid.Message.Header.BlockHash.String()).Msg("fallback header served")
	return sv
}

// buildFallback asks the fallback for the slot's block; nil on failure.
func (p *Proxy) buildFallback(ctx context.Context, h headerRequest, txs [][]byte) *FallbackBlock {
	req := FallbackRequest{Slot: h.slot, ParentHash: h.parent, Proposer: h.proposer, TopTxs: txs}
	p.mu.Lock()
	if reg := p.regs[h.proposer]; reg != nil {
		req.FeeRecipient, req.GasLimit = reg.FeeRecipient, reg.GasLimit
	}
	p.mu.Unlock()
	block, err := p.opts.fallback.Build(ctx, req)
	if err == nil && (block == nil || block.Bid == nil || block.Bid.Message == nil || block.Bid.Message.Header == nil || block.Payload == nil) {
		err = fmt.Errorf("fallback returned an incomplete block")
	}
	if err == nil && block.Bid.Message.Header.BlockHash != block.Payload.BlockHash {
		err = fmt.Errorf("fallback bid is for block %s, payload is %s", block.Bid.Message.Header.BlockHash, block.Payload.BlockHash)
	}
	if err != nil {
		p.m.fallback.WithLabelValues("error").Inc()
		if ctx.Err() == nil {
			p.log.Error().Err(err).Uint64("slot", h.slot).Msg("fallback build failed")
		}
		return nil
	}
	p.m.fallback.WithLabelValues("ok").Inc()
	return block
}

// fetchHeader asks one relay and checks its bid: for the request's parent,
// signed by the relay's key (the configured one, when given) under the
// builder domain, of non-zero value and, when txs is not empty, with proofs
// that txs open the block in order.
func (p *Proxy) fetchHeader(ctx context.Context, r *relayClient, h headerRequest, txs [][]byte) relayBid {
	endpoint, path := "get_header", h.path("/eth/v1/builder/header")
	if len(txs) > 0 {
		endpoint, path = "header_with_proofs", h.path("/constraints/v0/builder/header_with_proofs")
	}
	start := time.Now()
	rb := p.checkHeader(ctx, r, path, h, txs)
	p.m.relaySeconds.WithLabelValues(r.name, endpoint).Observe(time.Since(start).Seconds())
	p.m.relayRequests.WithLabelValues(r.name, endpoint, outcome(rb)).Inc()
	return rb
}

func outcome(rb relayBid) string {
	switch {
	case rb.err == nil && rb.bid == nil:
		return "no_bid"
	case rb.err == nil:
		return "ok"
	case isErr(rb.err, ErrBidSignature):
		return "bad_signature"
	case isErr(rb.err, ErrBidProofs):
		return "bad_proofs"
	case isErr(rb.err, ErrBid):
		return "bad_bid"
	}
	return "error"
}

func (p *Proxy) checkHeader(ctx context.Context, r *relayClient, path string, h headerRequest, txs [][]byte) relayBid {
	rb := relayBid{relay: r}
	ans, err := r.do(ctx, r.header, http.MethodGet, path, nil, http.Header{"Accept": {"application/json"}})
	if err != nil {
		rb.err = err
		return rb
	}
	switch ans.code {
	case http.StatusNoContent:
		return rb
	case http.StatusOK:
	default:
		rb.err = fmt.Errorf("%w: %s: status %d: %.200s", ErrRelay, r.name, ans.code, ans.body)
		return rb
	}
	var proofs *protocol.ConstraintProofs
	if len(txs) > 0 {
		var v builderapi.VersionedSignedBuilderBidWithProofs
		if err := json.Unmarshal(ans.body, &v); err != nil {
			rb.err = fmt.Errorf("%w: %s: %w", ErrBid, r.name, err)
			return rb
		}
		rb.version, rb.bid, proofs = v.Version, v.Data.Bid(), v.Data.Proofs
	} else {
		var v builderapi.VersionedSignedBuilderBid
		if err := json.Unmarshal(ans.body, &v); err != nil {
			rb.err = fmt.Errorf("%w: %s: %w", ErrBid, r.name, err)
			return rb
		}
		rb.version, rb.bid = v.Version, v.Data
	}
	if err := p.checkBid(r, h, rb.bid, txs, proofs); err != nil {
		rb.bid, rb.err = nil, fmt.Errorf("%s: %w", r.name, err)
	}
	return rb
}

// checkBid runs the checks, cheapest first. The BLS check (~1 ms) and the
// proof check run side by side, and each relay's bid in its own goroutine:
// the pairing, not their sum, bounds what the proxy adds to a relay's time.
func (p *Proxy) checkBid(r *relayClient, h headerRequest, bid *builderapi.SignedBuilderBid, txs [][]byte, proofs *protocol.ConstraintProofs) error {
	m := bid.Message
	switch {
	case m == nil || m.Header == nil || m.Value == nil:
		return fmt.Errorf("%w: incomplete", ErrBid)
	case m.Header.ParentHash != h.parent:
		return fmt.Errorf("%w: parent %s, asked for %s", ErrBid, m.Header.ParentHash, h.parent)
	case m.Value.IsZero():
		return fmt.Errorf("%w: zero value", ErrBid)
	case r.Pubkey != nil && m.Pubkey != *r.Pubkey:
		return fmt.Errorf("%w: signed by %s, relay is %s", ErrBidSignature, m.Pubkey, *r.Pubkey)
	}
	var proofErr chan error
	if len(txs) > 0 {
		proofErr = make(chan error, 1)
		go func() { proofErr <- checkProofs(m.Header.TransactionsRoot, txs, proofs) }()
	}
	sigErr := p.verifyBid(bid)
	if proofErr != nil {
		if err := <-proofErr; err != nil {
			return err
		}
	}
	return sigErr
}

// maxCachedKeys bounds the decompressed-key cache: relays' keys are few,
// and a relay sending a new key each time must not grow it.
const maxCachedKeys = 64

// verifyBid checks the bid's signature by its pubkey under the builder
// domain, reusing the decompressed key of a relay seen before.
func (p *Proxy) verifyBid(bid *builderapi.SignedBuilderBid) error {
	pk, err := p.publicKey(bid.Message.Pubkey)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBidSignature, err)
	}
	sig, err := bls.SignatureFromBytes(bid.Signature[:])
	if err != nil {
		return fmt.Errorf("%w: malformed signature: %w", ErrBidSignature, err)
	}
	root, err := boostssz.ComputeSigningRoot(bid.Message, p.builderDomain)
	if err != nil {
		return fmt.Errorf("%w: signing root: %w", ErrBid, err)
	}
	if ok, err := bls.VerifySignature(sig, pk, root[:]); err != nil || !ok {
		return fmt.Errorf("%w: by %s", ErrBidSignature, bid.Message.Pubkey)
	}
	return nil
}

func (p *Proxy) publicKey(b phase0.BLSPubKey) (*bls.PublicKey, error) {
	p.keyMu.Lock()
	pk := p.keys[b]
	p.keyMu.Unlock()
	if pk != nil {
		return pk, nil
	}
	pk, err := bls.PublicKeyFromBytes(b[:])
	if err != nil {
		return nil, fmt.Errorf("public key %s: %w", b, err)
	}
	if pk.IsInfinity() {
		return nil, fmt.Errorf("public key is the point at infinity")
	}
	p.keyMu.Lock()
	if len(p.keys) < maxCachedKeys {
		p.keys[b] = pk
	}
	p.keyMu.Unlock()
	return pk, nil
}

// remember records a served header for submitBlindedBlock and forgets
// slots older than keepSlots.
func (p *Proxy) remember(sv *servedBid) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.served[sv.bid.Message.Header.BlockHash] = sv
	if sv.slot <= p.maxSlot {
		return
	}
	p.maxSlot = sv.slot
	if p.maxSlot < p.opts.keepSlots {
		return
	}
	lo := p.maxSlot - p.opts.keepSlots
	for k, s := range p.served {
		if s.slot < lo {
			delete(p.served, k)
		}
	}
	for slot := range p.revealed {
		if slot < lo {
			delete(p.revealed, slot)
		}
	}
}

func (p *Proxy) lookup(blockHash phase0.Hash32) *servedBid {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.served[blockHash]
}

// checkProofs checks the bid's proofs show txs are the first transactions,
// in order, under root: a bid that leaves out or reorders a constrained
// transaction cannot have them.
func checkProofs(root phase0.Root, txs [][]byte, proofs *protocol.ConstraintProofs) error {
	if len(txs) > 0 && proofs == nil {
		return fmt.Errorf("%w: no proofs", ErrBidProofs)
	}
	if err := protocol.VerifyTopOfBlockProofs(root, txs, proofs); err != nil {
		return fmt.Errorf("%w: %w", ErrBidProofs, err)
	}
	return nil
}
