package protocol

import (
	"errors"
	"testing"
)

func TestVerifyTopOfBlockProofs(t *testing.T) {
	t.Parallel()
	txs := make([][]byte, 10)
	for i := range txs {
		txs[i] = []byte{0x02, byte(i), 0xaa, byte(i * 7)}
	}
	root := TransactionsRoot(txs)
	mp, err := NewInclusionMultiProof(txs, []uint64{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := mp.MarshalSSZ()
	if err != nil {
		t.Fatal(err)
	}
	good := &ConstraintProofs{ConstraintTypes: []uint64{ConstraintTypeInclusion}, Payloads: [][]byte{enc}}
	if err := VerifyTopOfBlockProofs(root, txs[:3], good); err != nil {
		t.Fatalf("valid proofs refused: %v", err)
	}
	if err := VerifyTopOfBlockProofs(root, nil, nil); err != nil {
		t.Fatalf("no constrained txs must pass: %v", err)
	}
	cases := map[string]struct {
		txs    [][]byte
		proofs *ConstraintProofs
	}{
		"no proofs":          {txs[:3], nil},
		"two inclusion ones": {txs[:3], &ConstraintProofs{ConstraintTypes: []uint64{1, 1}, Payloads: [][]byte{enc, enc}}},
		"other type only":    {txs[:3], &ConstraintProofs{ConstraintTypes: []uint64{7}, Payloads: [][]byte{enc}}},
		"types vs payloads":  {txs[:3], &ConstraintProofs{ConstraintTypes: []uint64{1, 7}, Payloads: [][]byte{enc}}},
		"garbage payload":    {txs[:3], &ConstraintProofs{ConstraintTypes: []uint64{1}, Payloads: [][]byte{{1, 2, 3}}}},
		"another tx":         {[][]byte{txs[0], txs[1], txs[5]}, good},
		"wrong order":        {[][]byte{txs[1], txs[0], txs[2]}, good},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := VerifyTopOfBlockProofs(root, tc.txs, tc.proofs); !errors.Is(err, ErrConstraintProofs) {
				t.Fatalf("want ErrConstraintProofs, got %v", err)
			}
		})
	}
}
