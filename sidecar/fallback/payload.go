package fallback

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/attestantio/go-eth2-client/spec"
	"github.com/ethereum/go-ethereum/beacon/engine"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

// errTopMismatch marks a payload that does not open with the promised
// transactions; Build reports it as ErrOrderNotForced or ErrPayloadMismatch
// depending on how the payload was built.
var errTopMismatch = errors.New("payload does not open with the promised transactions in order")

// topTx is one promised transaction, prepared for the build.
type topTx struct {
	// send is the network encoding handed to the client: a blob
	// transaction carries its sidecar, with the proofs the fork wants.
	send []byte
	// canon is the consensus encoding the payload must hold.
	canon  []byte
	tx     *types.Transaction
	sender common.Address
}

// prepareTop decodes the promised transactions. A Fulu block needs cell
// proofs in its blobs bundle, so a blob sidecar with one proof per blob is
// converted (the canonical transaction does not change); an Electra block
// cannot use cell proofs.
func prepareTop(raws [][]byte, version spec.DataVersion) ([]topTx, error) {
	out := make([]topTx, len(raws))
	for i, raw := range raws {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, fmt.Errorf("%w: promised tx %d: %w", ErrBadRequest, i, err)
		}
		if tx.ChainId() == nil || tx.ChainId().Sign() == 0 {
			return nil, fmt.Errorf("%w: promised tx %d %s has no chain id", ErrBadRequest, i, tx.Hash())
		}
		sender, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
		if err != nil {
			return nil, fmt.Errorf("%w: promised tx %d %s: sender: %w", ErrBadRequest, i, tx.Hash(), err)
		}
		send := raw
		if tx.Type() == types.BlobTxType {
			sc := tx.BlobTxSidecar()
			if sc == nil {
				return nil, fmt.Errorf("%w: promised blob tx %d %s has no sidecar", ErrBadRequest, i, tx.Hash())
			}
			switch {
			case version == spec.DataVersionFulu && sc.Version == types.BlobSidecarVersion0:
				v1 := sc.Copy()
				if err := v1.ToV1(); err != nil {
					return nil, fmt.Errorf("%w: promised blob tx %d %s: cell proofs: %w", ErrBadRequest, i, tx.Hash(), err)
				}
				tx = tx.WithBlobTxSidecar(v1)
				if send, err = tx.MarshalBinary(); err != nil {
					return nil, fmt.Errorf("encode blob tx %d with cell proofs: %w", i, err)
				}
			case version == spec.DataVersionElectra && sc.Version != types.BlobSidecarVersion0:
				return nil, fmt.Errorf("%w: promised blob tx %d %s carries cell proofs, an electra block needs blob proofs", ErrBadRequest, i, tx.Hash())
			}
		}
		canon, err := tx.WithoutBlobTxSidecar().MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("encode promised tx %d: %w", i, err)
		}
		out[i] = topTx{send: send, canon: canon, tx: tx, sender: sender}
	}
	return out, nil
}

// checkPayload checks a built payload against the request before anyone
// sees it: the parent, the attributes, the promised transactions on top in
// order (byte for byte), and a blobs bundle that matches the payload's blob
// transactions. The parent beacon root is not in the payload; newPayload
// checks it through the block hash.
func checkPayload(env *engine.ExecutionPayloadEnvelope, parent common.Hash, attrs engine.PayloadAttributes, top []topTx, version spec.DataVersion) error {
	p := env.ExecutionPayload
	switch {
	case p.ParentHash != parent:
		return fmt.Errorf("parent %s, want %s", p.ParentHash, parent)
	case p.Timestamp != attrs.Timestamp:
		return fmt.Errorf("timestamp %d, want %d", p.Timestamp, attrs.Timestamp)
	case p.FeeRecipient != attrs.SuggestedFeeRecipient:
		return fmt.Errorf("fee recipient %s, want %s", p.FeeRecipient, attrs.SuggestedFeeRecipient)
	case p.Random != attrs.Random:
		return fmt.Errorf("prev_randao %s, want %s", p.Random, attrs.Random)
	case len(p.Withdrawals) != len(attrs.Withdrawals):
		return fmt.Errorf("%d withdrawals, want %d", len(p.Withdrawals), len(attrs.Withdrawals))
	}
	for i, w := range p.Withdrawals {
		if *w != *attrs.Withdrawals[i] {
			return fmt.Errorf("withdrawal %d is %+v, want %+v", i, *w, *attrs.Withdrawals[i])
		}
	}
	if len(p.Transactions) < len(top) {
		return fmt.Errorf("%w: %d transactions for %d promised", errTopMismatch, len(p.Transactions), len(top))
	}
	for i := range top {
		if !bytes.Equal(p.Transactions[i], top[i].canon) {
			return fmt.Errorf("%w: position %d does not hold promised tx %s", errTopMismatch, i, top[i].tx.Hash())
		}
	}
	return checkBlobs(env, version)
}

// checkBlobs requires the bundle's commitments to be those of the
// payload's blob transactions, in order, with the proof count of the fork.
func checkBlobs(env *engine.ExecutionPayloadEnvelope, version spec.DataVersion) error {
	want, err := blobHashes(env.ExecutionPayload.Transactions)
	if err != nil {
		return err
	}
	bundle, err := builderapi.BlobsBundleFromEngine(env.BlobsBundle)
	if err != nil {
		return err
	}
	if len(bundle.Commitments) != len(want) {
		return fmt.Errorf("blobs bundle has %d commitments for %d blob hashes", len(bundle.Commitments), len(want))
	}
	if err := bundle.CheckShape(version); err != nil {
		return err
	}
	h := sha256.New()
	for i := range bundle.Commitments {
		c := kzg4844.Commitment(bundle.Commitments[i])
		if got := common.Hash(kzg4844.CalcBlobHashV1(h, &c)); got != want[i] {
			return fmt.Errorf("blob commitment %d hashes to %s, payload has %s", i, got, want[i])
		}
	}
	return nil
}
