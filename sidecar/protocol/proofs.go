package protocol

import (
	"errors"
	"fmt"
)

// ErrConstraintProofs is returned by VerifyTopOfBlockProofs for proofs that do
// not show the constrained transactions at the top of the block.
var ErrConstraintProofs = errors.New("constraint proofs do not verify")

// VerifyTopOfBlockProofs checks the proofs a bid carries beside its header
// (header_with_proofs, blocks_with_proofs): the one ConstraintTypeInclusion
// payload must be an InclusionMultiProof showing txs (network encoding, in
// constraint order) as the first transactions under root. With no
// constrained transactions any proofs, or none, pass.
func VerifyTopOfBlockProofs(root [32]byte, txs [][]byte, proofs *ConstraintProofs) error {
	if len(txs) == 0 {
		return nil
	}
	if proofs == nil {
		return fmt.Errorf("%w: %d constrained transactions and no proofs", ErrConstraintProofs, len(txs))
	}
	if err := proofs.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrConstraintProofs, err)
	}
	var payload []byte
	found := 0
	for i, t := range proofs.ConstraintTypes {
		if t == ConstraintTypeInclusion {
			payload = proofs.Payloads[i]
			found++
		}
	}
	if found != 1 {
		return fmt.Errorf("%w: want one inclusion proof, got %d", ErrConstraintProofs, found)
	}
	var mp InclusionMultiProof
	if err := mp.UnmarshalSSZ(payload); err != nil {
		return fmt.Errorf("%w: %w", ErrConstraintProofs, err)
	}
	if err := VerifyTopOfBlock(root, txs, &mp); err != nil {
		return fmt.Errorf("%w: %w", ErrConstraintProofs, err)
	}
	return nil
}
