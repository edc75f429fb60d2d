package devnet

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"github.com/pledgeproto/pledge/relay/builderapi"

	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec/altair"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	boostssz "github.com/flashbots/go-boost-utils/ssz"

	"github.com/pledgeproto/pledge/internal/elnode"
)

// graffiti marks the devnet's blocks.
var graffiti = [32]byte{'p', 'l', 'e', 'd', 'g', 'e', '-', 'd', 'e', 'v', 'n', 'e', 't'}

// epochObj is an epoch as an SSZ object: the randao reveal signs its root.
type epochObj uint64

// HashTreeRoot is the root of a uint64: little-endian, zero-padded.
func (e epochObj) HashTreeRoot() ([32]byte, error) {
	var r [32]byte
	binary.LittleEndian.PutUint64(r[:8], uint64(e))
	return r, nil
}

// randaoReveal signs the slot's epoch with the proposer's key (DOMAIN_RANDAO).
func (n *Network) randaoReveal(v Validator, slot uint64) (phase0.BLSSignature, error) {
	sig, err := boostssz.SignMessage(epochObj(slot/n.cfg.SlotsPerEpoch), n.randaoDomain, v.SecretKey)
	if err != nil {
		return phase0.BLSSignature{}, fmt.Errorf("randao reveal: %w", err)
	}
	return sig, nil
}

// nextMix is process_randao: the mix XOR the hash of the reveal.
func nextMix(mix [32]byte, reveal phase0.BLSSignature) [32]byte {
	h := sha256.Sum256(reveal[:])
	for i := range mix {
		mix[i] ^= h[i]
	}
	return mix
}

// stateRoot stands in for the post-state root: the devnet keeps no beacon
// state, but the root must differ per block and be reproducible.
func stateRoot(parent phase0.Root, slot uint64) phase0.Root {
	var b [40]byte
	copy(b[:32], parent[:])
	binary.BigEndian.PutUint64(b[32:], slot)
	return sha256.Sum256(b[:])
}

// blindedBlock is the unsigned blinded block a proposer signs for header.
func (n *Network) blindedBlock(info SlotInfo, reveal phase0.BLSSignature, header *deneb.ExecutionPayloadHeader, commitments []deneb.KZGCommitment, reqs *electra.ExecutionRequests) *apiv1electra.BlindedBeaconBlock {
	return &apiv1electra.BlindedBeaconBlock{
		Slot:          phase0.Slot(info.Slot),
		ProposerIndex: phase0.ValidatorIndex(info.ProposerIndex),
		ParentRoot:    info.ParentBeaconRoot,
		StateRoot:     stateRoot(info.ParentBeaconRoot, info.Slot),
		Body: &apiv1electra.BlindedBeaconBlockBody{
			RANDAOReveal:           reveal,
			ETH1Data:               eth1Data(),
			Graffiti:               graffiti,
			ProposerSlashings:      []*phase0.ProposerSlashing{},
			AttesterSlashings:      []*electra.AttesterSlashing{},
			Attestations:           []*electra.Attestation{},
			Deposits:               []*phase0.Deposit{},
			VoluntaryExits:         []*phase0.SignedVoluntaryExit{},
			SyncAggregate:          emptySyncAggregate(),
			ExecutionPayloadHeader: header,
			BLSToExecutionChanges:  []*capella.SignedBLSToExecutionChange{},
			BlobKZGCommitments:     commitments,
			ExecutionRequests:      reqs,
		},
	}
}

// fullBlock is the unsigned block holding payload.
func (n *Network) fullBlock(info SlotInfo, reveal phase0.BLSSignature, payload *deneb.ExecutionPayload, commitments []deneb.KZGCommitment, reqs *electra.ExecutionRequests) *electra.BeaconBlock {
	return &electra.BeaconBlock{
		Slot:          phase0.Slot(info.Slot),
		ProposerIndex: phase0.ValidatorIndex(info.ProposerIndex),
		ParentRoot:    info.ParentBeaconRoot,
		StateRoot:     stateRoot(info.ParentBeaconRoot, info.Slot),
		Body: &electra.BeaconBlockBody{
			RANDAOReveal:          reveal,
			ETH1Data:              eth1Data(),
			Graffiti:              graffiti,
			ProposerSlashings:     []*phase0.ProposerSlashing{},
			AttesterSlashings:     []*electra.AttesterSlashing{},
			Attestations:          []*electra.Attestation{},
			Deposits:              []*phase0.Deposit{},
			VoluntaryExits:        []*phase0.SignedVoluntaryExit{},
			SyncAggregate:         emptySyncAggregate(),
			ExecutionPayload:      payload,
			BLSToExecutionChanges: []*capella.SignedBLSToExecutionChange{},
			BlobKZGCommitments:    commitments,
			ExecutionRequests:     reqs,
		},
	}
}

func eth1Data() *phase0.ETH1Data {
	return &phase0.ETH1Data{BlockHash: make([]byte, 32)}
}

// emptySyncAggregate has no participant and the point-at-infinity signature,
// what a block carries when no sync committee member signed.
func emptySyncAggregate() *altair.SyncAggregate {
	sig := phase0.BLSSignature{0xc0}
	return &altair.SyncAggregate{SyncCommitteeBits: make([]byte, 64), SyncCommitteeSignature: sig}
}

// buildLocal builds the slot's block through the EL as a beacon node does
// without a builder, imports it, and signs its beacon block. With drop, the
// block holds the pending pool minus the dropped txs.
func (n *Network) buildLocal(ctx context.Context, info SlotInfo, drop func(*types.Transaction) bool) (*acceptedBlock, error) {
	args := elnode.BuildArgs{
		Timestamp:        info.Timestamp,
		FeeRecipient:     info.FeeRecipient,
		PrevRandao:       info.PrevRandao,
		ParentBeaconRoot: common.Hash(info.ParentBeaconRoot),
		BuildTime:        n.cfg.LocalBuildTime,
	}
	if drop != nil {
		txs, err := pendingTxs(ctx, n.el, nil)
		if err != nil {
			return nil, err
		}
		args.Txs = filterTxs(txs, drop)
	}
	env, err := n.el.BuildBlock(ctx, args)
	if err != nil {
		return nil, fmt.Errorf("build local block: %w", err)
	}
	payload, err := builderapi.PayloadFromEngine(env.ExecutionPayload)
	if err != nil {
		return nil, err
	}
	bundle, err := builderapi.BlobsBundleFromEngine(env.BlobsBundle)
	if err != nil {
		return nil, err
	}
	reqs, err := builderapi.RequestsFromEngine(env.Requests)
	if err != nil {
		return nil, err
	}
	v := n.validators[info.ProposerIndex]
	reveal, err := n.randaoReveal(v, info.Slot)
	if err != nil {
		return nil, err
	}
	block := n.fullBlock(info, reveal, payload, bundle.Commitments, reqs)
	sig, err := boostssz.SignMessage(block, n.proposerDomain, v.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("sign block: %w", err)
	}
	if err := n.el.ImportPayload(ctx, env, common.Hash(info.ParentBeaconRoot), nil, nil); err != nil {
		return nil, fmt.Errorf("import local block: %w", err)
	}
	return acceptedFull(SourceLocal, block, sig)
}

// acceptedFull describes an imported full block.
func acceptedFull(src Source, block *electra.BeaconBlock, sig phase0.BLSSignature) (*acceptedBlock, error) {
	root, err := block.HashTreeRoot()
	if err != nil {
		return nil, fmt.Errorf("block root: %w", err)
	}
	bodyRoot, err := block.Body.HashTreeRoot()
	if err != nil {
		return nil, fmt.Errorf("block body root: %w", err)
	}
	p := block.Body.ExecutionPayload
	return &acceptedBlock{
		source: src, root: root, parent: block.ParentRoot, stateRoot: block.StateRoot, bodyRoot: bodyRoot,
		signature: sig, reveal: block.Body.RANDAOReveal,
		hash: [32]byte(p.BlockHash), number: p.BlockNumber, txCount: len(p.Transactions),
	}, nil
}
