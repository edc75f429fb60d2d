package protocol

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/params"
)

// Size limits of a raw transaction in a request. They follow geth's txpool:
// 128 KiB for ordinary transactions, and for blob transactions in network form
// the blobs themselves plus the same 128 KiB for the rest.
const (
	MaxTxSize        = 128 << 10
	MaxBlobsPerTx    = 6
	MaxBlobTxSize    = MaxTxSize + MaxBlobsPerTx*(params.BlobTxFieldElementsPerBlob*32+2*48+1024)
	MaxGasPerTx      = params.MaxTxGas // EIP-7825: no block may hold a tx above this gas
	blobTxProofsV1   = kzg4844.CellProofsPerBlob
	maxSetCodeAuths  = 256
	maxAccessEntries = 1024
)

// Tx is a decoded, signature-checked transaction with the fields of its
// inclusion already derived.
type Tx struct {
	// Raw is the network encoding the request carried (blob txs with sidecar).
	Raw []byte
	// Tx is the decoded transaction, with its blob sidecar if any.
	Tx *types.Transaction
	// Inclusion holds the promise fields derived from the transaction.
	Inclusion Inclusion
}

// Canonical returns the transaction's consensus encoding, the one that sits in
// a block's transaction list (for blob txs, without the sidecar).
func (t *Tx) Canonical() ([]byte, error) {
	if t.Tx.Type() == types.BlobTxType {
		return t.Tx.WithoutBlobTxSidecar().MarshalBinary()
	}
	return t.Tx.MarshalBinary()
}

// DecodeTransaction decodes a raw signed transaction of type 0 (EIP-155 only),
// 1, 2, 3 (network form, with a blob sidecar whose commitments and KZG proofs
// verify) or 4, checks that it is for chainID, recovers its sender and derives
// the inclusion fields. It knows neither the chain's forks nor its state: the
// rules of the block that is to hold the transaction are CheckIncludable's,
// and nonce, balance and base fee belong to the sidecar's validation.
func DecodeTransaction(raw []byte, chainID uint64) (*Tx, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrTxMalformed)
	}
	limit := MaxTxSize
	if raw[0] == types.BlobTxType {
		limit = MaxBlobTxSize
	}
	if len(raw) > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTxTooLarge, len(raw), limit)
	}
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(raw); err != nil {
		if errors.Is(err, types.ErrTxTypeNotSupported) {
			return nil, fmt.Errorf("%w: type byte 0x%02x", ErrTxType, raw[0])
		}
		return nil, fmt.Errorf("%w: %v", ErrTxMalformed, err)
	}
	switch tx.Type() {
	case types.LegacyTxType:
		if !tx.Protected() {
			return nil, ErrTxUnprotected
		}
	case types.AccessListTxType, types.DynamicFeeTxType, types.BlobTxType, types.SetCodeTxType:
	default:
		return nil, fmt.Errorf("%w: %d", ErrTxType, tx.Type())
	}
	if tx.ChainId() == nil || !tx.ChainId().IsUint64() || tx.ChainId().Uint64() != chainID {
		return nil, fmt.Errorf("%w: transaction is for chain %v, want %d", ErrWrongChain, tx.ChainId(), chainID)
	}
	if tx.Gas() > MaxGasPerTx {
		return nil, fmt.Errorf("%w: gas %d above the per-transaction cap %d", ErrTxInvalid, tx.Gas(), MaxGasPerTx)
	}
	if tx.GasFeeCap().Cmp(tx.GasTipCap()) < 0 {
		return nil, fmt.Errorf("%w: max priority fee above max fee", ErrTxInvalid)
	}
	if len(tx.AccessList()) > maxAccessEntries {
		return nil, fmt.Errorf("%w: %d access list entries, limit %d", ErrTxInvalid, len(tx.AccessList()), maxAccessEntries)
	}
	if err := checkBlobs(tx); err != nil {
		return nil, err
	}
	if tx.Type() == types.SetCodeTxType {
		if n := len(tx.SetCodeAuthorizations()); n == 0 || n > maxSetCodeAuths {
			return nil, fmt.Errorf("%w: %d authorizations, want 1 to %d", ErrTxInvalid, n, maxSetCodeAuths)
		}
	}
	sender, err := types.Sender(types.LatestSignerForChainID(new(big.Int).SetUint64(chainID)), tx)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTxSignature, err)
	}
	return &Tx{Raw: raw, Tx: tx, Inclusion: InclusionFromTx(tx, sender)}, nil
}

// InclusionFromTx derives the promise fields of a transaction whose sender is
// already known.
func InclusionFromTx(tx *types.Transaction, sender common.Address) Inclusion {
	blobFee := new(big.Int)
	if tx.Type() == types.BlobTxType {
		blobFee = tx.BlobGasFeeCap()
	}
	return Inclusion{
		ChainID:          tx.ChainId().Uint64(),
		TxHash:           tx.Hash(),
		Sender:           sender,
		Nonce:            tx.Nonce(),
		MaxFeePerGas:     tx.GasFeeCap(), // the gas price for legacy and access-list txs
		MaxFeePerBlobGas: blobFee,
		GasLimit:         tx.Gas(),
		MaxCost:          tx.Cost(), // gas*feeCap + value + blobGas*blobFeeCap
	}
}

// checkBlobs requires a blob transaction to carry its sidecar, with one
// commitment per versioned hash and proofs that verify: the sidecar is what a
// builder needs to include the tx, and a bad one would make the promise
// impossible to keep.
func checkBlobs(tx *types.Transaction) error {
	if tx.Type() != types.BlobTxType {
		return nil
	}
	hashes := tx.BlobHashes()
	if len(hashes) == 0 || len(hashes) > MaxBlobsPerTx {
		return fmt.Errorf("%w: %d blobs, want 1 to %d", ErrBlobSidecar, len(hashes), MaxBlobsPerTx)
	}
	sc := tx.BlobTxSidecar()
	if sc == nil {
		return fmt.Errorf("%w: missing (send the network encoding with blobs, commitments and proofs)", ErrBlobSidecar)
	}
	if len(sc.Blobs) != len(hashes) {
		return fmt.Errorf("%w: %d blobs for %d versioned hashes", ErrBlobSidecar, len(sc.Blobs), len(hashes))
	}
	if err := sc.ValidateBlobCommitmentHashes(hashes); err != nil {
		return fmt.Errorf("%w: %v", ErrBlobSidecar, err)
	}
	switch sc.Version {
	case types.BlobSidecarVersion0:
		if len(sc.Proofs) != len(sc.Blobs) {
			return fmt.Errorf("%w: %d proofs for %d blobs", ErrBlobSidecar, len(sc.Proofs), len(sc.Blobs))
		}
		for i := range sc.Blobs {
			if err := kzg4844.VerifyBlobProof(&sc.Blobs[i], sc.Commitments[i], sc.Proofs[i]); err != nil {
				return fmt.Errorf("%w: blob %d: %v", ErrBlobSidecar, i, err)
			}
		}
	case types.BlobSidecarVersion1:
		if len(sc.Proofs) != len(sc.Blobs)*blobTxProofsV1 {
			return fmt.Errorf("%w: %d cell proofs for %d blobs", ErrBlobSidecar, len(sc.Proofs), len(sc.Blobs))
		}
		if err := kzg4844.VerifyCellProofs(sc.Blobs, sc.Commitments, sc.Proofs); err != nil {
			return fmt.Errorf("%w: %v", ErrBlobSidecar, err)
		}
	default:
		return fmt.Errorf("%w: unknown sidecar version %d", ErrBlobSidecar, sc.Version)
	}
	return nil
}

// Accepted transaction types, as go-ethereum's txpool.ValidationOptions
// takes them: the fork active at the block decides which of them it may hold.
const acceptedTypes = 1<<types.LegacyTxType | 1<<types.AccessListTxType | 1<<types.DynamicFeeTxType |
	1<<types.BlobTxType | 1<<types.SetCodeTxType

// CheckIncludable reports whether a block with header h on the chain config
// describes could hold the decoded transaction t, as far as the transaction
// itself decides. It runs go-ethereum's own validation of a transaction
// against a block's rules (txpool.ValidateTransaction, at h's number and
// time): the transaction type enabled by the fork, the EIP-3860 initcode
// limit, the EIP-7825 gas cap, gas within h.GasLimit, the intrinsic gas with
// its access list and authorizations and the EIP-7623 calldata floor, the blob
// count and sidecar shape; then it holds a blob transaction's max fee per
// blob gas to the blob base fee of h.ExcessBlobGas (which the caller projects
// as the highest the block can have).
//
// What depends on state (nonce, balance, sender code) and the max fee against
// the base fee are the caller's. A refusal wraps ErrIntrinsicGas,
// ErrBlobFeeTooLow, ErrTxType, ErrTxSignature, ErrBlobSidecar or ErrTxInvalid,
// with go-ethereum's reason.
func CheckIncludable(t *Tx, config *params.ChainConfig, h *types.Header) error {
	tx := t.Tx
	if sc := tx.BlobTxSidecar(); sc != nil && sc.Version == types.BlobSidecarVersion0 {
		// go-ethereum's pools take cell proofs only (its RPC converts a
		// version 0 sidecar first); DecodeTransaction verified these proofs
		// and a block carries no sidecar, so the tx is judged in the shape
		// the pool checks. The proofs' count is all that shape asks of them.
		tx = tx.WithBlobTxSidecar(&types.BlobTxSidecar{
			Version: types.BlobSidecarVersion1, Blobs: sc.Blobs, Commitments: sc.Commitments,
			Proofs: make([]kzg4844.Proof, len(sc.Blobs)*kzg4844.CellProofsPerBlob),
		})
	}
	opts := &txpool.ValidationOptions{
		Config: config,
		Accept: acceptedTypes,
		// DecodeTransaction applied the size limits: the pools' are theirs.
		MaxSize:      math.MaxUint64,
		MaxBlobCount: MaxBlobsPerTx,
		// The price is the operator's pricing rule, not a pool's floor.
		MinTip: new(big.Int),
	}
	if err := txpool.ValidateTransaction(tx, h, types.LatestSignerForChainID(config.ChainID), opts); err != nil {
		return includabilityError(err)
	}
	if tx.Type() != types.BlobTxType {
		return nil
	}
	if h.ExcessBlobGas == nil {
		return fmt.Errorf("%w: no blob base fee is known for the block", ErrBlobFeeTooLow)
	}
	if fee := eip4844.CalcBlobFee(config, h); tx.BlobGasFeeCapIntCmp(fee) < 0 {
		return fmt.Errorf("%w: max fee per blob gas %v, the block's blob base fee may reach %v", ErrBlobFeeTooLow, tx.BlobGasFeeCap(), fee)
	}
	return nil
}

// includabilityError wraps go-ethereum's reason for refusing a transaction
// in the sentinel of its JSON-RPC code.
func includabilityError(err error) error {
	var sentinel error
	switch {
	case errors.Is(err, core.ErrIntrinsicGas), errors.Is(err, core.ErrFloorDataGas):
		sentinel = ErrIntrinsicGas
	case errors.Is(err, txpool.ErrTxGasPriceTooLow):
		// With no tip floor given, only the blob fee cap's 1 wei minimum.
		sentinel = ErrBlobFeeTooLow
	case errors.Is(err, core.ErrTxTypeNotSupported):
		sentinel = ErrTxType
	case errors.Is(err, txpool.ErrInvalidSender):
		sentinel = ErrTxSignature
	case errors.Is(err, txpool.ErrTxBlobLimitExceeded), errors.Is(err, txpool.ErrSidecarFormatError):
		sentinel = ErrBlobSidecar
	case errors.Is(err, txpool.ErrOversizedData):
		sentinel = ErrTxTooLarge
	default:
		// The EIP-3860 initcode limit (vm.ErrMaxInitCodeSizeExceeded), the
		// EIP-7825 gas cap (core.ErrGasLimitTooHigh), gas above the block's
		// limit, the tip above the fee cap, the nonce at 2^64-1…
		sentinel = ErrTxInvalid
	}
	return fmt.Errorf("%w: %v", sentinel, err)
}
