package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	boostssz "github.com/flashbots/go-boost-utils/ssz"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// Internal outcomes of the builder flow: before the proposer signs, any
// failure falls back to a local block; after, the slot is lost, since
// signing a second block for it would be a slashable equivocation.
var (
	errUseLocal = errors.New("builder not used")
	errMissed   = errors.New("signed blinded block not revealed")
)

// maxBuilderAnswer bounds a builder answer (a payload with blobs).
const maxBuilderAnswer = 64 << 20

// viaBuilder runs the validator client's builder flow for the slot.
func (n *Network) viaBuilder(ctx context.Context, info SlotInfo, url string) (*acceptedBlock, error) {
	url = strings.TrimRight(url, "/")
	if err := n.register(ctx, url); err != nil {
		// Validator clients keep going: the builder may know the
		// registrations from an earlier call, and a local block is next.
		n.log.Warn().Err(err).Str("relay", url).Msg("register validators")
	}
	bid, err := n.getHeader(ctx, info, url)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errUseLocal, err)
	}
	if err := n.checkBid(info, bid); err != nil {
		return nil, fmt.Errorf("%w: %w", errUseLocal, err)
	}
	v := n.validators[info.ProposerIndex]
	reveal, err := n.randaoReveal(v, info.Slot)
	if err != nil {
		return nil, err
	}
	msg := bid.Data.Message
	reqs := msg.ExecutionRequests
	if reqs == nil {
		reqs = builderapi.EmptyExecutionRequests()
	}
	blinded := n.blindedBlock(info, reveal, msg.Header, msg.BlobKZGCommitments, reqs)
	sig, err := boostssz.SignMessage(blinded, n.proposerDomain, v.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("sign blinded block: %w", err)
	}
	signed := &apiv1electra.SignedBlindedBeaconBlock{Message: blinded, Signature: sig}

	inf := &inflight{slot: info.Slot, proposerIndex: info.ProposerIndex, parentRoot: info.ParentBeaconRoot, done: make(chan struct{})}
	n.mu.Lock()
	n.inflight = inf
	n.mu.Unlock()

	if n.cfg.BlindedBlockV1 {
		return n.revealV1(ctx, info, url, signed, reveal)
	}
	submitErr := n.submit(ctx, url, "/eth/v2/builder/blinded_blocks", signed, http.StatusAccepted, nil)
	if submitErr != nil {
		// The builder may have published before failing its answer.
		if blk := inf.result(); blk != nil {
			return blk, nil
		}
		return nil, fmt.Errorf("%w: %w", errMissed, submitErr)
	}
	timer := time.NewTimer(n.cfg.SubmitTimeout)
	defer timer.Stop()
	select {
	case <-inf.done:
		return inf.result(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, fmt.Errorf("%w: builder answered 202 but published no block within %s", errMissed, n.cfg.SubmitTimeout)
	}
}

// revealV1 submits to /eth/v1 and imports the payload that comes back.
func (n *Network) revealV1(ctx context.Context, info SlotInfo, url string, signed *apiv1electra.SignedBlindedBeaconBlock, reveal phase0.BLSSignature) (*acceptedBlock, error) {
	var got builderapi.VersionedExecutionPayloadAndBlobsBundle
	if err := n.submit(ctx, url, "/eth/v1/builder/blinded_blocks", signed, http.StatusOK, &got); err != nil {
		return nil, fmt.Errorf("%w: %w", errMissed, err)
	}
	if got.Data == nil || got.Data.ExecutionPayload == nil {
		return nil, fmt.Errorf("%w: no payload in the answer", errMissed)
	}
	hdr, err := builderapi.HeaderFromPayload(got.Data.ExecutionPayload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errMissed, err)
	}
	gotRoot, err := hdr.HashTreeRoot()
	if err != nil {
		return nil, fmt.Errorf("%w: header root: %w", errMissed, err)
	}
	wantRoot, err := signed.Message.Body.ExecutionPayloadHeader.HashTreeRoot()
	if err != nil {
		return nil, fmt.Errorf("%w: header root: %w", errMissed, err)
	}
	if gotRoot != wantRoot {
		return nil, fmt.Errorf("%w: revealed payload is not the signed header's", errMissed)
	}
	body := signed.Message.Body
	block := n.fullBlock(info, reveal, got.Data.ExecutionPayload, body.BlobKZGCommitments, body.ExecutionRequests)
	if err := n.importBlock(ctx, block); err != nil {
		return nil, fmt.Errorf("%w: %w", errMissed, err)
	}
	return acceptedFull(SourceRelay, block, signed.Signature)
}

// importBlock hands a full block's payload to geth with the blob hashes
// and requests of its body, as a beacon node does.
func (n *Network) importBlock(ctx context.Context, block *electra.BeaconBlock) error {
	d, err := builderapi.PayloadToEngine(block.Body.ExecutionPayload)
	if err != nil {
		return err
	}
	reqs, err := builderapi.RequestsToEngine(block.Body.ExecutionRequests)
	if err != nil {
		return err
	}
	env := &engine.ExecutionPayloadEnvelope{ExecutionPayload: d}
	if err := n.el.ImportPayload(ctx, env, common.Hash(block.ParentRoot), builderapi.VersionedHashes(block.Body.BlobKZGCommitments), reqs); err != nil {
		return fmt.Errorf("import block %d: %w", d.Number, err)
	}
	return nil
}

// registrations signs every validator's registration with its fee
// recipient and gas limit; signed once, so resending is idempotent.
func (n *Network) registrations() ([]*apiv1.SignedValidatorRegistration, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.regs != nil {
		return n.regs, nil
	}
	now := time.Now().Truncate(time.Second)
	regs := make([]*apiv1.SignedValidatorRegistration, len(n.validators))
	for i, v := range n.validators {
		r, err := builderapi.SignRegistration(&apiv1.ValidatorRegistration{
			FeeRecipient: bellatrix.ExecutionAddress(v.FeeRecipient), GasLimit: n.cfg.GasLimit, Timestamp: now,
		}, n.builderDomain, v.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("validator %d: %w", v.Index, err)
		}
		regs[i] = r
	}
	n.regs = regs
	return regs, nil
}

// register posts the registrations once per builder URL.
func (n *Network) register(ctx context.Context, url string) error {
	n.mu.Lock()
	done := n.registered == url
	n.mu.Unlock()
	if done {
		return nil
	}
	regs, err := n.registrations()
	if err != nil {
		return err
	}
	body, err := json.Marshal(regs)
	if err != nil {
		return fmt.Errorf("encode registrations: %w", err)
	}
	rctx, cancel := context.WithTimeout(ctx, n.cfg.SubmitTimeout)
	defer cancel()
	if _, err := n.do(rctx, http.MethodPost, url+"/eth/v1/builder/validators", body, nil, http.StatusOK); err != nil {
		return err
	}
	n.mu.Lock()
	n.registered = url
	n.mu.Unlock()
	return nil
}

// getHeader asks for the slot's bid; ErrNoBid on 204.
func (n *Network) getHeader(ctx context.Context, info SlotInfo, url string) (*builderapi.VersionedSignedBuilderBid, error) {
	hctx, cancel := context.WithTimeout(ctx, n.cfg.BuilderTimeout)
	defer cancel()
	path := fmt.Sprintf("%s/eth/v1/builder/header/%d/%s/%s", url, info.Slot, info.ParentHash.Hex(), info.Proposer.String())
	body, err := n.do(hctx, http.MethodGet, path, nil, nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, ErrNoBid
	}
	var bid builderapi.VersionedSignedBuilderBid
	if err := json.Unmarshal(body, &bid); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadBid, err)
	}
	return &bid, nil
}

// checkBid is the validator client's check of a bid before it signs.
func (n *Network) checkBid(info SlotInfo, bid *builderapi.VersionedSignedBuilderBid) error {
	if bid.Version != spec.DataVersionFulu {
		return fmt.Errorf("%w: version %s, the chain is at fulu", ErrBadBid, bid.Version)
	}
	if err := builderapi.VerifyBid(bid.Data, n.builderDomain); err != nil {
		return fmt.Errorf("%w: %w", ErrBadBid, err)
	}
	h := bid.Data.Message.Header
	switch {
	case common.Hash(h.ParentHash) != info.ParentHash:
		return fmt.Errorf("%w: parent hash %s, head is %s", ErrBadBid, common.Hash(h.ParentHash), info.ParentHash)
	case h.BlockNumber != info.ParentNumber+1:
		return fmt.Errorf("%w: block number %d, want %d", ErrBadBid, h.BlockNumber, info.ParentNumber+1)
	case h.Timestamp != info.Timestamp:
		return fmt.Errorf("%w: timestamp %d, slot starts at %d", ErrBadBid, h.Timestamp, info.Timestamp)
	case common.Hash(h.PrevRandao) != info.PrevRandao:
		return fmt.Errorf("%w: prev_randao %x", ErrBadBid, h.PrevRandao)
	}
	return nil
}

// submit posts a signed blinded block and decodes the answer into out.
func (n *Network) submit(ctx context.Context, url, path string, signed *apiv1electra.SignedBlindedBeaconBlock, want int, out any) error {
	body, err := json.Marshal(signed)
	if err != nil {
		return fmt.Errorf("encode blinded block: %w", err)
	}
	sctx, cancel := context.WithTimeout(ctx, n.cfg.SubmitTimeout)
	defer cancel()
	answer, err := n.do(sctx, http.MethodPost, url+path, body, map[string]string{"Eth-Consensus-Version": spec.DataVersionFulu.String()}, want)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			return fmt.Errorf("%w: decode answer: %w", ErrBuilder, err)
		}
	}
	return nil
}

// do sends a JSON request and returns the body of a want-status answer,
// nil for 204.
func (n *Network) do(ctx context.Context, method, url string, body []byte, hdr map[string]string, want int) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBuilder, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := n.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBuilder, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBuilderAnswer))
	if err != nil {
		return nil, fmt.Errorf("%w: read answer: %w", ErrBuilder, err)
	}
	switch {
	case resp.StatusCode == http.StatusNoContent && want == http.StatusOK:
		return nil, nil
	case resp.StatusCode != want:
		return nil, fmt.Errorf("%w: %s %s: %s: %s", ErrBuilder, method, req.URL.Path, resp.Status, bytes.TrimSpace(answer))
	}
	return answer, nil
}
