// Package builder is Pledge's reference block builder: for a slot it reads
// the slot's constraints from a relay, has an execution client build a
// payload that opens with the constrained transactions, proves them with one
// SSZ multiproof against the payload's transactions_root, signs the bid
// trace and submits the block to the relay's blocks_with_proofs endpoint.
package builder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Sentinel errors of the builder.
var (
	// ErrRelay is returned when the relay refuses a request or cannot be reached.
	ErrRelay = errors.New("relay request failed")
	// ErrPayload is returned when the execution client's payload does not open with the constrained transactions.
	ErrPayload = errors.New("payload does not honour the constraints")
)

// PayloadAttributes are the engine API's payload attributes (V3) plus the
// gas limit the proposer registered.
type PayloadAttributes struct {
	Timestamp             uint64
	PrevRandao            phase0.Root
	SuggestedFeeRecipient bellatrix.ExecutionAddress
	Withdrawals           []*capella.Withdrawal
	ParentBeaconBlockRoot phase0.Root
	GasLimit              uint64
}

// Built is what an execution client returns for a payload (engine_getPayload).
type Built struct {
	Payload           *deneb.ExecutionPayload
	BlobsBundle       *builderapi.BlobsBundle
	ExecutionRequests *electra.ExecutionRequests
	// Value is the payment to the proposer's fee recipient, in wei.
	Value *uint256.Int
}

// PayloadBuilder builds a payload on parentHash whose first transactions
// are topTxs, in order (network encoding: a blob transaction comes with its
// sidecar), then whatever else the execution client picks.
type PayloadBuilder interface {
	Build(ctx context.Context, slot uint64, parentHash phase0.Hash32, attrs PayloadAttributes, topTxs [][]byte) (*Built, error)
}

// Job is one slot to build for.
type Job struct {
	Slot         uint64
	ParentHash   phase0.Hash32
	Proposer     phase0.BLSPubKey
	FeeRecipient bellatrix.ExecutionAddress
	Attrs        PayloadAttributes
}

// Option configures a Builder.
type Option func(*Builder)

// WithLogger sets the logger (default: disabled).
func WithLogger(l zerolog.Logger) Option {
	return func(b *Builder) { b.log = l.With().Str("service", "builder").Logger() }
}

// WithHTTPClient replaces the relay client (default: 5 s timeout).
func WithHTTPClient(c *http.Client) Option { return func(b *Builder) { b.client = c } }

// Builder builds and submits blocks for one relay.
type Builder struct {
	sk            *bls.SecretKey
	pubkey        phase0.BLSPubKey
	relay         *url.URL
	payloads      PayloadBuilder
	builderDomain phase0.Domain
	client        *http.Client
	log           zerolog.Logger
}

// New returns a builder signing with sk and submitting to relayURL. It does no I/O.
func New(sk *bls.SecretKey, relayURL string, genesisForkVersion phase0.Version, payloads PayloadBuilder, opts ...Option) (*Builder, error) {
	if sk == nil {
		return nil, errors.New("builder: no BLS secret key specified")
	}
	if payloads == nil {
		return nil, errors.New("builder: no payload builder specified")
	}
	u, err := url.Parse(relayURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("builder: relay URL %q is not absolute", relayURL)
	}
	pub, err := builderapi.PubkeyOf(sk)
	if err != nil {
		return nil, fmt.Errorf("builder: %w", err)
	}
	b := &Builder{
		sk: sk, pubkey: pub, relay: u, payloads: payloads,
		builderDomain: builderapi.BuilderDomain(genesisForkVersion),
		client:        &http.Client{Timeout: 5 * time.Second},
		log:           zerolog.Nop(),
	}
	for _, o := range opts {
		o(b)
	}
	return b, nil
}

// Pubkey is the builder's BLS key.
func (b *Builder) Pubkey() phase0.BLSPubKey { return b.pubkey }

// Run builds each job it receives until ctx ends or jobs is closed. A failed
// slot is logged and the next one taken: a builder that stops on one bad
// slot would miss all the following ones.
func (b *Builder) Run(ctx context.Context, jobs <-chan Job) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case job, ok := <-jobs:
			if !ok {
				return nil
			}
			if err := b.BuildAndSubmit(ctx, job); err != nil {
				b.log.Warn().Err(err).Uint64("slot", job.Slot).Msg("build for slot")
			}
		}
	}
}

// BuildAndSubmit builds one block for job with the slot's constraints on
// top and submits it with its proofs.
func (b *Builder) BuildAndSubmit(ctx context.Context, job Job) error {
	start := time.Now()
	scs, err := b.Constraints(ctx, job.Slot)
	if err != nil {
		return err
	}
	top := TopOfBlock(scs, job.Proposer)
	built, err := b.payloads.Build(ctx, job.Slot, job.ParentHash, job.Attrs, top)
	if err != nil {
		return fmt.Errorf("build payload for slot %d: %w", job.Slot, err)
	}
	req, err := b.Submission(job, built, top)
	if err != nil {
		return err
	}
	if err := b.Submit(ctx, req); err != nil {
		return err
	}
	b.log.Info().Uint64("slot", job.Slot).Int("constrained_txs", len(top)).
		Int64("duration_ms", time.Since(start).Milliseconds()).Msg("block submitted")
	return nil
}

// TopOfBlock returns the inclusion constraints of proposer, in the order the
// relay checks them: messages in the relay's order, constraints in message order.
func TopOfBlock(scs []*protocol.SignedConstraints, proposer phase0.BLSPubKey) [][]byte {
	var txs [][]byte
	for _, sc := range scs {
		if phase0.BLSPubKey(sc.Message.Proposer) != proposer {
			continue
		}
		for _, c := range sc.Message.Constraints {
			if c.ConstraintType == protocol.ConstraintTypeInclusion {
				txs = append(txs, c.Payload)
			}
		}
	}
	return txs
}

// Submission makes the signed submission with proofs for a built payload.
// It checks the proof itself first, so an execution client that reordered
// or dropped a constrained transaction is caught here, not at the relay.
func (b *Builder) Submission(job Job, built *Built, top [][]byte) (*builderapi.SubmitBlockRequest, error) {
	if built == nil || built.Payload == nil {
		return nil, fmt.Errorf("%w: no payload", ErrPayload)
	}
	p := built.Payload
	header, err := builderapi.HeaderFromPayload(p)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPayload, err)
	}
	var proofs *protocol.ConstraintProofs
	if len(top) > 0 {
		txs := make([][]byte, len(p.Transactions))
		for i, tx := range p.Transactions {
			txs[i] = tx
		}
		if len(txs) < len(top) {
			return nil, fmt.Errorf("%w: %d transactions for %d constraints", ErrPayload, len(txs), len(top))
		}
		idx := make([]uint64, len(top))
		for i := range idx {
			idx[i] = uint64(i)
		}
		mp, err := protocol.NewInclusionMultiProof(txs, idx)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrPayload, err)
		}
		if err := protocol.VerifyTopOfBlock(header.TransactionsRoot, top, mp); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrPayload, err)
		}
		enc, err := mp.MarshalSSZ()
		if err != nil {
			return nil, fmt.Errorf("encode multiproof: %w", err)
		}
		proofs = &protocol.ConstraintProofs{
			ConstraintTypes: []uint64{protocol.ConstraintTypeInclusion},
			Payloads:        [][]byte{enc},
		}
	}
	value := built.Value
	if value == nil {
		value = new(uint256.Int)
	}
	trace := &builderapi.BidTrace{
		Slot:                 job.Slot,
		ParentHash:           p.ParentHash,
		BlockHash:            p.BlockHash,
		ProposerPubkey:       job.Proposer,
		ProposerFeeRecipient: job.FeeRecipient,
		GasLimit:             p.GasLimit,
		GasUsed:              p.GasUsed,
		Value:                value,
	}
	sig, err := builderapi.SignBidTrace(trace, b.builderDomain, b.sk)
	if err != nil {
		return nil, err
	}
	blobs := built.BlobsBundle
	if blobs == nil {
		blobs = &builderapi.BlobsBundle{}
	}
	reqs := built.ExecutionRequests
	if reqs == nil {
		reqs = builderapi.EmptyExecutionRequests()
	}
	return &builderapi.SubmitBlockRequest{
		Message: trace, ExecutionPayload: p, BlobsBundle: blobs, ExecutionRequests: reqs,
		Signature: sig, Proofs: proofs,
	}, nil
}

// Constraints reads the slot's constraints the builder may see, signing the
// slot as a receiver.
func (b *Builder) Constraints(ctx context.Context, slot uint64) ([]*protocol.SignedConstraints, error) {
	sig, err := builderapi.SignReceiver(slot, b.builderDomain, b.sk)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.endpoint("/constraints/v0/relay/constraints/"+strconv.FormatUint(slot, 10)), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRelay, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set(builderapi.HeaderReceiverSignature, sig.String())
	req.Header.Set(builderapi.HeaderReceiverPublicKey, b.pubkey.String())
	body, err := b.do(req)
	if err != nil {
		return nil, fmt.Errorf("constraints for slot %d: %w", slot, err)
	}
	var out []*protocol.SignedConstraints
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("%w: constraints for slot %d: %w", ErrRelay, slot, err)
	}
	return out, nil
}

// Submit posts a submission to blocks_with_proofs.
func (b *Builder) Submit(ctx context.Context, sub *builderapi.SubmitBlockRequest) error {
	body, err := json.Marshal(sub)
	if err != nil {
		return fmt.Errorf("encode submission: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.endpoint("/constraints/v0/relay/blocks_with_proofs"), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRelay, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if _, err := b.do(req); err != nil {
		return fmt.Errorf("submit block for slot %d: %w", sub.Message.Slot, err)
	}
	return nil
}

func (b *Builder) endpoint(path string) string {
	return strings.TrimRight(b.relay.String(), "/") + path
}

// do sends req and returns the body of a 2xx answer.
func (b *Builder) do(req *http.Request) ([]byte, error) {
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRelay, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: read answer: %w", ErrRelay, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%w: %s: %s", ErrRelay, resp.Status, bytes.TrimSpace(body))
	}
	return body, nil
}
