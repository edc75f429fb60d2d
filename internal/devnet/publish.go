package devnet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/phase0"

	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builderapi"
)

// inflight is the slot whose signed blinded block is out: the publish
// endpoint accepts that slot's block, once, from whoever unblinds it.
type inflight struct {
	slot          uint64
	proposerIndex uint64
	parentRoot    phase0.Root
	done          chan struct{} // closed when the block is imported

	mu    sync.Mutex // serializes publishes of the slot
	block *acceptedBlock
}

func (f *inflight) result() *acceptedBlock {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.block
}

// publish is the beacon node's POST /eth/v2/beacon/blocks: it checks the
// block is the one the proposer of the slot in flight signed (slot,
// proposer, parent, signature) and imports its payload into geth. The same
// block again is accepted (relays and proxies may both publish).
func (n *Network) publish(ctx context.Context, p *api.VersionedSignedProposal) error {
	if p.Version != spec.DataVersionFulu || p.Fulu == nil || p.Fulu.SignedBlock == nil {
		return fmt.Errorf("%w: the chain is at fulu, got a %s block", ErrBlockRefused, p.Version)
	}
	signed := p.Fulu.SignedBlock
	msg := signed.Message
	n.mu.Lock()
	inf := n.inflight
	n.mu.Unlock()
	if inf == nil || uint64(msg.Slot) != inf.slot {
		return fmt.Errorf("%w: slot %d is not being proposed", ErrBlockRefused, msg.Slot)
	}
	root, err := msg.HashTreeRoot()
	if err != nil {
		return fmt.Errorf("%w: block root: %w", ErrBlockRefused, err)
	}
	inf.mu.Lock()
	defer inf.mu.Unlock()
	if inf.block != nil {
		if inf.block.root == root {
			return nil
		}
		return fmt.Errorf("%w: another block was already published for slot %d", ErrBlockRefused, msg.Slot)
	}
	switch {
	case uint64(msg.ProposerIndex) != inf.proposerIndex:
		return fmt.Errorf("%w: proposer %d, slot %d is validator %d's", ErrBlockRefused, msg.ProposerIndex, msg.Slot, inf.proposerIndex)
	case msg.ParentRoot != inf.parentRoot:
		return fmt.Errorf("%w: parent root %s is not the head", ErrBlockRefused, msg.ParentRoot)
	case msg.Body.ExecutionPayload == nil:
		return fmt.Errorf("%w: no execution payload", ErrBlockRefused)
	}
	pub := n.validators[inf.proposerIndex].Pubkey
	if err := builderapi.VerifySigned(msg, n.proposerDomain, pub, signed.Signature); err != nil {
		return fmt.Errorf("%w: proposer signature: %w", ErrBlockRefused, err)
	}
	if err := n.importBlock(ctx, msg); err != nil {
		return fmt.Errorf("%w: %w", ErrBlockRefused, err)
	}
	blk, err := acceptedFull(SourceRelay, msg, signed.Signature)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBlockRefused, err)
	}
	inf.block = blk
	close(inf.done)
	return nil
}

// BlockPublisher publishes blocks through a beacon node's POST
// /eth/v2/beacon/blocks (SSZ), for a relay or builder proxy to reveal
// Fulu blocks with.
type BlockPublisher struct {
	url    string
	client *http.Client
}

var _ relay.BeaconPublisher = (*BlockPublisher)(nil)

// NewBlockPublisher returns a publisher to the beacon node at beaconURL;
// timeout bounds each request (0: 5 s).
func NewBlockPublisher(beaconURL string, timeout time.Duration) *BlockPublisher {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	return &BlockPublisher{url: strings.TrimRight(beaconURL, "/"), client: &http.Client{Timeout: timeout}}
}

// PublishBlock posts an electra or fulu block with its blobs.
func (p *BlockPublisher) PublishBlock(ctx context.Context, block *api.VersionedSignedProposal) error {
	var body []byte
	var err error
	switch {
	case block == nil:
		return fmt.Errorf("publish block: no block")
	case block.Version == spec.DataVersionFulu && block.Fulu != nil:
		body, err = block.Fulu.MarshalSSZ()
	case block.Version == spec.DataVersionElectra && block.Electra != nil:
		body, err = block.Electra.MarshalSSZ()
	default:
		return fmt.Errorf("publish block: unsupported %s block", block.Version)
	}
	if err != nil {
		return fmt.Errorf("publish block: encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url+"/eth/v2/beacon/blocks", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("publish block: %w", err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Eth-Consensus-Version", block.Version.String())
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("publish block: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("publish block: %s: %s", resp.Status, bytes.TrimSpace(answer))
	}
	return nil
}
