package builder

import (
	"context"
	"testing"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

type noEL struct{}

func (noEL) Build(context.Context, uint64, phase0.Hash32, PayloadAttributes, [][]byte) (*Built, error) {
	return nil, nil
}

func TestNewChecksInputs(t *testing.T) {
	t.Parallel()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sk   *bls.SecretKey
		url  string
		el   PayloadBuilder
		ok   bool
	}{
		{"complete", sk, "http://127.0.0.1:1", noEL{}, true},
		{"no key", nil, "http://127.0.0.1:1", noEL{}, false},
		{"no execution client", sk, "http://127.0.0.1:1", nil, false},
		{"relative URL", sk, "relay:1", noEL{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tc.sk, tc.url, phase0.Version{}, tc.el)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestTopOfBlockKeepsOrderAndProposer(t *testing.T) {
	t.Parallel()
	a, b := protocol.BLSPubkey{1}, protocol.BLSPubkey{2}
	msg := func(p protocol.BLSPubkey, payloads ...byte) *protocol.SignedConstraints {
		m := protocol.ConstraintsMessage{Proposer: p, Delegate: p}
		for _, x := range payloads {
			m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: []byte{x}})
		}
		m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: 99, Payload: []byte{0xff}})
		return &protocol.SignedConstraints{Message: m}
	}
	got := TopOfBlock([]*protocol.SignedConstraints{msg(a, 1, 2), msg(b, 9), msg(a, 3)}, phase0.BLSPubKey(a))
	if len(got) != 3 || got[0][0] != 1 || got[1][0] != 2 || got[2][0] != 3 {
		t.Fatalf("top of block %v, want [1 2 3]", got)
	}
}

func TestSubmissionRefusesShortPayload(t *testing.T) {
	t.Parallel()
	sk, _, _ := bls.GenerateNewKeypair()
	b, err := New(sk, "http://127.0.0.1:1", phase0.Version{}, noEL{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Submission(Job{}, nil, nil); err == nil {
		t.Fatal("accepted a nil payload")
	}
}
