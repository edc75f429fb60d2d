package slashing

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/contracts/bindings"
)

// slasherABI is the Slasher's ABI, parsed once.
var slasherABI = sync.OnceValues(func() (*abi.ABI, error) {
	a, err := bindings.SlasherMetaData.GetAbi()
	if err != nil {
		return nil, fmt.Errorf("slashing: Slasher ABI: %w", err)
	}
	return a, nil
})

func packSlasher(method string, args ...any) ([]byte, error) {
	a, err := slasherABI()
	if err != nil {
		return nil, err
	}
	data, err := a.Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", method, err)
	}
	return data, nil
}

// CommitClaimCall is the call data of Slasher.commitClaim(claimHash). It must
// be mined in a block before the slash it is for.
func CommitClaimCall(claimHash common.Hash) ([]byte, error) {
	return packSlasher("commitClaim", claimHash)
}

// SafetyCall is the call data of Slasher.slashSafety for sp with ev, paying claim.
func SafetyCall(sp SignedPromise, ev *SafetyEvidence, claim Claim) ([]byte, error) {
	payload, err := sp.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	b, err := ev.Binding()
	if err != nil {
		return nil, err
	}
	return packSlasher("slashSafety", payload, sp.Signature, big.NewInt(int64(ev.Index)), b, ev.Backing.Binding(), claim.Binding())
}

// LivenessCall is the call data of Slasher.slashLiveness for sp with ev, paying claim.
func LivenessCall(sp SignedPromise, ev *LivenessEvidence, claim Claim) ([]byte, error) {
	payload, err := sp.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	return packSlasher("slashLiveness", payload, sp.Signature, ev.Header1, ev.Header2, ev.Backing.Binding(), claim.Binding())
}

// L2InclusionCall is the call data of Slasher.slashL2Inclusion for sp with ev, paying claim.
func L2InclusionCall(sp SignedPromise, ev *L2Evidence, claim Claim) ([]byte, error) {
	payload, err := sp.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	return packSlasher("slashL2Inclusion", payload, sp.Signature, big.NewInt(int64(ev.Index)), ev.Header, hashes32(ev.TxHashes), ev.Backing.Binding(), claim.Binding())
}

// EquivocationCall is the call data of Slasher.slashEquivocation for ev,
// paying claim (whose hash is bound to promise A's digest).
func EquivocationCall(ev *EquivocationEvidence, claim Claim) ([]byte, error) {
	a, err := ev.A.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	b, err := ev.B.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	return packSlasher("slashEquivocation", a, ev.A.Signature, big.NewInt(int64(ev.IndexA)), b, ev.B.Signature, big.NewInt(int64(ev.IndexB)),
		ev.BackingA.Binding(), claim.Binding())
}

// CallData is the call data slashing sp with the verdict's evidence, paying claim.
func CallData(sp SignedPromise, v *Verdict, claim Claim) ([]byte, error) {
	switch ev := v.Evidence.(type) {
	case *SafetyEvidence:
		return SafetyCall(sp, ev, claim)
	case *LivenessEvidence:
		return LivenessCall(sp, ev, claim)
	case *L2Evidence:
		return L2InclusionCall(sp, ev, claim)
	case *EquivocationEvidence:
		return EquivocationCall(ev, claim)
	}
	return nil, fmt.Errorf("%w: no evidence of type %T to slash with", ErrBadConfig, v.Evidence)
}
