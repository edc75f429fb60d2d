package builderapi

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"

	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/holiman/uint256"
)

// ErrEngineConvert is returned when an engine API payload, blobs bundle or
// request list does not convert to its consensus (Builder API) form.
var ErrEngineConvert = errors.New("engine API conversion failed")

// The conversions between the engine API (what an execution client builds)
// and the consensus types the Builder API carries. Electra and Fulu use
// Deneb's execution payload.

// Execution request type bytes of EIP-7685 as the engine API carries them.
const (
	depositRequestType       = 0x00
	withdrawalRequestType    = 0x01
	consolidationRequestType = 0x02
)

// SSZ sizes of the fixed-size execution requests.
const (
	depositRequestSize       = 48 + 32 + 8 + 96 + 8
	withdrawalRequestSize    = 20 + 48 + 8
	consolidationRequestSize = 20 + 48 + 48
)

// PayloadFromEngine converts an engine API payload to the consensus type.
func PayloadFromEngine(d *engine.ExecutableData) (*deneb.ExecutionPayload, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: no execution payload", ErrEngineConvert)
	}
	if len(d.LogsBloom) != 256 {
		return nil, fmt.Errorf("%w: logs bloom of %d bytes", ErrEngineConvert, len(d.LogsBloom))
	}
	if d.BaseFeePerGas == nil || d.BaseFeePerGas.Sign() < 0 || d.BlobGasUsed == nil || d.ExcessBlobGas == nil {
		return nil, fmt.Errorf("%w: payload lacks base fee or blob gas fields", ErrEngineConvert)
	}
	if len(d.ExtraData) > 32 {
		return nil, fmt.Errorf("%w: extra data of %d bytes", ErrEngineConvert, len(d.ExtraData))
	}
	if len(d.Withdrawals) > MaxWithdrawalsPerPayload {
		return nil, fmt.Errorf("%w: %d withdrawals", ErrEngineConvert, len(d.Withdrawals))
	}
	baseFee, overflow := uint256.FromBig(d.BaseFeePerGas)
	if overflow {
		return nil, fmt.Errorf("%w: base fee overflows 256 bits", ErrEngineConvert)
	}
	p := &deneb.ExecutionPayload{
		ParentHash:    phase0.Hash32(d.ParentHash),
		FeeRecipient:  bellatrix.ExecutionAddress(d.FeeRecipient),
		StateRoot:     phase0.Root(d.StateRoot),
		ReceiptsRoot:  phase0.Root(d.ReceiptsRoot),
		PrevRandao:    d.Random,
		BlockNumber:   d.Number,
		GasLimit:      d.GasLimit,
		GasUsed:       d.GasUsed,
		Timestamp:     d.Timestamp,
		ExtraData:     append([]byte{}, d.ExtraData...),
		BaseFeePerGas: baseFee,
		BlockHash:     phase0.Hash32(d.BlockHash),
		Transactions:  make([]bellatrix.Transaction, len(d.Transactions)),
		Withdrawals:   make([]*capella.Withdrawal, len(d.Withdrawals)),
		BlobGasUsed:   *d.BlobGasUsed,
		ExcessBlobGas: *d.ExcessBlobGas,
	}
	copy(p.LogsBloom[:], d.LogsBloom)
	for i, tx := range d.Transactions {
		p.Transactions[i] = bellatrix.Transaction(tx)
	}
	for i, w := range d.Withdrawals {
		p.Withdrawals[i] = &capella.Withdrawal{
			Index:          capella.WithdrawalIndex(w.Index),
			ValidatorIndex: phase0.ValidatorIndex(w.Validator),
			Address:        bellatrix.ExecutionAddress(w.Address),
			Amount:         phase0.Gwei(w.Amount),
		}
	}
	return p, nil
}

// PayloadToEngine converts a consensus payload to the engine API type.
func PayloadToEngine(p *deneb.ExecutionPayload) (*engine.ExecutableData, error) {
	if p == nil || p.BaseFeePerGas == nil {
		return nil, fmt.Errorf("%w: no execution payload or base fee", ErrEngineConvert)
	}
	blobGas, excess := p.BlobGasUsed, p.ExcessBlobGas
	d := &engine.ExecutableData{
		ParentHash:    common.Hash(p.ParentHash),
		FeeRecipient:  common.Address(p.FeeRecipient),
		StateRoot:     common.Hash(p.StateRoot),
		ReceiptsRoot:  common.Hash(p.ReceiptsRoot),
		LogsBloom:     append([]byte{}, p.LogsBloom[:]...),
		Random:        common.Hash(p.PrevRandao),
		Number:        p.BlockNumber,
		GasLimit:      p.GasLimit,
		GasUsed:       p.GasUsed,
		Timestamp:     p.Timestamp,
		ExtraData:     append([]byte{}, p.ExtraData...),
		BaseFeePerGas: p.BaseFeePerGas.ToBig(),
		BlockHash:     common.Hash(p.BlockHash),
		Transactions:  make([][]byte, len(p.Transactions)),
		Withdrawals:   make([]*types.Withdrawal, len(p.Withdrawals)),
		BlobGasUsed:   &blobGas,
		ExcessBlobGas: &excess,
	}
	for i, tx := range p.Transactions {
		d.Transactions[i] = tx
	}
	for i, w := range p.Withdrawals {
		d.Withdrawals[i] = &types.Withdrawal{
			Index:     uint64(w.Index),
			Validator: uint64(w.ValidatorIndex),
			Address:   common.Address(w.Address),
			Amount:    uint64(w.Amount),
		}
	}
	return d, nil
}

// BlobsBundleFromEngine converts the engine API blobs bundle (nil: none).
func BlobsBundleFromEngine(b *engine.BlobsBundle) (*BlobsBundle, error) {
	out := &BlobsBundle{
		Commitments: []deneb.KZGCommitment{}, Proofs: []deneb.KZGProof{}, Blobs: []deneb.Blob{},
	}
	if b == nil {
		return out, nil
	}
	for i, c := range b.Commitments {
		if len(c) != len(deneb.KZGCommitment{}) {
			return nil, fmt.Errorf("%w: commitment %d of %d bytes", ErrEngineConvert, i, len(c))
		}
		out.Commitments = append(out.Commitments, deneb.KZGCommitment(c))
	}
	for i, p := range b.Proofs {
		if len(p) != len(deneb.KZGProof{}) {
			return nil, fmt.Errorf("%w: proof %d of %d bytes", ErrEngineConvert, i, len(p))
		}
		out.Proofs = append(out.Proofs, deneb.KZGProof(p))
	}
	for i, blob := range b.Blobs {
		if len(blob) != len(deneb.Blob{}) {
			return nil, fmt.Errorf("%w: blob %d of %d bytes", ErrEngineConvert, i, len(blob))
		}
		out.Blobs = append(out.Blobs, deneb.Blob(blob))
	}
	return out, nil
}

// RequestsFromEngine decodes the engine API's typed request lists
// (EIP-7685: type byte then the SSZ of each request).
func RequestsFromEngine(reqs [][]byte) (*electra.ExecutionRequests, error) {
	out := EmptyExecutionRequests()
	last := -1
	for i, r := range reqs {
		if len(r) < 2 {
			return nil, fmt.Errorf("%w: request list %d is empty", ErrEngineConvert, i)
		}
		// EIP-7685: one list per type, in ascending type order.
		if int(r[0]) <= last {
			return nil, fmt.Errorf("%w: request type %d after %d", ErrEngineConvert, r[0], last)
		}
		last = int(r[0])
		body := r[1:]
		switch r[0] {
		case depositRequestType:
			if len(body)%depositRequestSize != 0 {
				return nil, fmt.Errorf("%w: deposit requests of %d bytes", ErrEngineConvert, len(body))
			}
			for off := 0; off < len(body); off += depositRequestSize {
				var d electra.DepositRequest
				if err := d.UnmarshalSSZ(body[off : off+depositRequestSize]); err != nil {
					return nil, fmt.Errorf("%w: deposit request: %w", ErrEngineConvert, err)
				}
				out.Deposits = append(out.Deposits, &d)
			}
		case withdrawalRequestType:
			if len(body)%withdrawalRequestSize != 0 {
				return nil, fmt.Errorf("%w: withdrawal requests of %d bytes", ErrEngineConvert, len(body))
			}
			for off := 0; off < len(body); off += withdrawalRequestSize {
				var w electra.WithdrawalRequest
				if err := w.UnmarshalSSZ(body[off : off+withdrawalRequestSize]); err != nil {
					return nil, fmt.Errorf("%w: withdrawal request: %w", ErrEngineConvert, err)
				}
				out.Withdrawals = append(out.Withdrawals, &w)
			}
		case consolidationRequestType:
			if len(body)%consolidationRequestSize != 0 {
				return nil, fmt.Errorf("%w: consolidation requests of %d bytes", ErrEngineConvert, len(body))
			}
			for off := 0; off < len(body); off += consolidationRequestSize {
				var c electra.ConsolidationRequest
				if err := c.UnmarshalSSZ(body[off : off+consolidationRequestSize]); err != nil {
					return nil, fmt.Errorf("%w: consolidation request: %w", ErrEngineConvert, err)
				}
				out.Consolidations = append(out.Consolidations, &c)
			}
		default:
			return nil, fmt.Errorf("%w: unknown request type %#x", ErrEngineConvert, r[0])
		}
	}
	return out, nil
}

// RequestsToEngine encodes execution requests as the engine API's typed
// lists, leaving out empty ones as EIP-7685 requires.
func RequestsToEngine(r *electra.ExecutionRequests) ([][]byte, error) {
	out := [][]byte{}
	if r == nil {
		return out, nil
	}
	add := func(typ byte, items []interface{ MarshalSSZ() ([]byte, error) }) error {
		if len(items) == 0 {
			return nil
		}
		list := []byte{typ}
		for _, it := range items {
			b, err := it.MarshalSSZ()
			if err != nil {
				return fmt.Errorf("%w: request type %d: %w", ErrEngineConvert, typ, err)
			}
			list = append(list, b...)
		}
		out = append(out, list)
		return nil
	}
	deps := make([]interface{ MarshalSSZ() ([]byte, error) }, len(r.Deposits))
	for i, d := range r.Deposits {
		deps[i] = d
	}
	wds := make([]interface{ MarshalSSZ() ([]byte, error) }, len(r.Withdrawals))
	for i, w := range r.Withdrawals {
		wds[i] = w
	}
	cons := make([]interface{ MarshalSSZ() ([]byte, error) }, len(r.Consolidations))
	for i, c := range r.Consolidations {
		cons[i] = c
	}
	for _, l := range []struct {
		typ   byte
		items []interface{ MarshalSSZ() ([]byte, error) }
	}{{depositRequestType, deps}, {withdrawalRequestType, wds}, {consolidationRequestType, cons}} {
		if err := add(l.typ, l.items); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// VersionedHashes derives the blob versioned hashes of KZG commitments
// (kzg_to_versioned_hash: sha256 with the first byte set to version 1).
func VersionedHashes(commitments []deneb.KZGCommitment) []common.Hash {
	out := make([]common.Hash, len(commitments))
	for i, c := range commitments {
		h := sha256.Sum256(c[:])
		h[0] = 0x01
		out[i] = h
	}
	return out
}

// weiToUint256 converts a block value; nil is zero.
// WeiToUint256 converts a block value in wei to the bid value type.
func WeiToUint256(v *big.Int) (*uint256.Int, error) {
	if v == nil {
		return new(uint256.Int), nil
	}
	u, overflow := uint256.FromBig(v)
	if overflow {
		return nil, fmt.Errorf("%w: value overflows 256 bits", ErrEngineConvert)
	}
	return u, nil
}
