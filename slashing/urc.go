package slashing

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The URC path (docs/protocol.md §9.9): an operator registered in the
// Universal Registry Contract sells promises naming operator zero; a
// challenger slashes them through the URC, which checks the delegation and the
// commitment's signature and calls Slasher.slash with the evidence below. The
// Slasher returns what the URC takes from the operator's URC collateral and
// burns: no user is paid on this path.

// URCSlashSignature is the URC's ISlasher.slash, in the canonical form its
// selector is computed from.
const URCSlashSignature = "slash(((bytes32,bytes32,bytes32,bytes32),(bytes32,bytes32,bytes32,bytes32),address,uint64,bytes),(uint64,bytes,bytes32,address),address,bytes,address)"

// G1Point is a BLS12-381 G1 point as the URC encodes it: (x_a, x_b, y_a, y_b),
// each coordinate 64 bytes split into two words.
type G1Point [4]common.Hash

// URCDelegation is the URC's ISlasher.Delegation. The zero value is what the
// URC passes for an operator that opted in to the Slasher without a
// delegation; a real one has a nonzero Slot.
type URCDelegation struct {
	Proposer  G1Point
	Delegate  G1Point
	Committer common.Address
	Slot      uint64
	// Metadata is, for Pledge, abi.encode(address poster) (PosterMetadata): the
	// account whose Inbox batches carry the slot's L2 promises.
	Metadata []byte
}

// PosterMetadata is the delegation metadata naming poster: abi.encode(poster).
func PosterMetadata(poster common.Address) []byte {
	return common.LeftPadBytes(poster[:], 32)
}

// Poster returns the poster the delegation's metadata names, mirroring the
// Slasher: only a real delegation with 32 bytes of metadata whose high 12
// bytes are zero and whose address is not zero names one.
func (d URCDelegation) Poster() (common.Address, bool) {
	if d.Slot == 0 || len(d.Metadata) != 32 {
		return common.Address{}, false
	}
	for _, b := range d.Metadata[:12] {
		if b != 0 {
			return common.Address{}, false // not abi.encode(address)
		}
	}
	a := common.BytesToAddress(d.Metadata[12:])
	return a, a != (common.Address{})
}

// Binding is the delegation as the Slasher binding takes it.
func (d URCDelegation) Binding() bindings.ISlasherDelegation {
	g := func(p G1Point) bindings.ISlasherG1Point {
		return bindings.ISlasherG1Point{XA: p[0], XB: p[1], YA: p[2], YB: p[3]}
	}
	md := d.Metadata
	if md == nil {
		md = []byte{}
	}
	return bindings.ISlasherDelegation{Proposer: g(d.Proposer), Delegate: g(d.Delegate), Committer: d.Committer, Slot: d.Slot, Metadata: md}
}

// URCSlash is one call of Slasher.slash as the URC makes it, after its own
// checks: the delegation it verified (zero for the opt-in form), the
// commitment, the committer it recovered from the commitment's signature,
// the challenger's evidence and the challenger.
type URCSlash struct {
	Delegation URCDelegation
	Commitment protocol.Commitment
	Committer  common.Address
	Evidence   []byte
	Challenger common.Address
}

// NewURCSlash is the call the URC makes to slash sp (a promise naming
// operator zero, for the Slasher at slasher) with evidence (a
// *SafetyEvidence, *LivenessEvidence, *L2Evidence or *EquivocationEvidence
// whose A is sp), sold under delegation d. The committer is sp's signer, as
// the URC recovers it.
func NewURCSlash(slasher common.Address, sp SignedPromise, d URCDelegation, evidence any, challenger common.Address) (*URCSlash, error) {
	c, err := sp.Promise.Commitment(protocol.Domain{Slasher: slasher})
	if err != nil {
		return nil, err
	}
	committer, err := protocol.RecoverDigestSigner(c.SigningRoot(), sp.Signature)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedSignature, err)
	}
	ev, err := URCEvidence(evidence)
	if err != nil {
		return nil, err
	}
	return &URCSlash{Delegation: d, Commitment: c, Committer: committer, Evidence: ev, Challenger: challenger}, nil
}

// CallData is the call data of Slasher.slash for s (what the URC sends).
func (s *URCSlash) CallData() ([]byte, error) {
	c := bindings.ISlasherCommitment{CommitmentType: s.Commitment.CommitmentType, Payload: s.Commitment.Payload, RequestHash: s.Commitment.RequestHash, Slasher: s.Commitment.Slasher}
	if c.Payload == nil {
		c.Payload = []byte{}
	}
	ev := s.Evidence
	if ev == nil {
		ev = []byte{}
	}
	return packSlasher("slash", s.Delegation.Binding(), c, s.Committer, ev, s.Challenger)
}

// urcArgs are the ABI argument lists of the URC evidence encodings.
type urcArgs struct {
	envelope, safety, liveness, l2, equivocation abi.Arguments
}

var urcABI = sync.OnceValues(func() (*urcArgs, error) {
	a, err := slasherABI()
	if err != nil {
		return nil, err
	}
	m, ok := a.Methods["slashSafety"]
	if !ok || len(m.Inputs) < 4 {
		return nil, fmt.Errorf("slashing: Slasher ABI has no slashSafety(…, SafetyEvidence, …)")
	}
	ty := func(s string) abi.Type {
		t, err2 := abi.NewType(s, "", nil)
		if err2 != nil {
			panic(err2) // the literals below are valid types
		}
		return t
	}
	args := func(ts ...abi.Type) abi.Arguments {
		out := make(abi.Arguments, len(ts))
		for i, t := range ts {
			out[i] = abi.Argument{Type: t}
		}
		return out
	}
	u256, bs := ty("uint256"), ty("bytes")
	return &urcArgs{
		envelope:     args(ty("uint8"), bs),
		safety:       args(u256, m.Inputs[3].Type),
		liveness:     args(bs, bs),
		l2:           args(u256, bs, ty("bytes32[]")),
		equivocation: args(u256, bs, bs, u256),
	}, nil
})

// URCEvidence encodes evidence for Slasher.slash: abi.encode(uint8 fault,
// bytes data), data per fault as in URCSafetyEvidence, URCLivenessEvidence,
// URCL2Evidence and URCEquivocationEvidence.
func URCEvidence(evidence any) ([]byte, error) {
	switch ev := evidence.(type) {
	case *SafetyEvidence:
		return URCSafetyEvidence(ev)
	case *LivenessEvidence:
		return URCLivenessEvidence(ev)
	case *L2Evidence:
		return URCL2Evidence(ev)
	case *EquivocationEvidence:
		return URCEquivocationEvidence(ev)
	}
	return nil, fmt.Errorf("%w: no URC encoding for evidence of type %T", ErrBadConfig, evidence)
}

func urcEnvelope(f Fault, pack func(*urcArgs) ([]byte, error)) ([]byte, error) {
	a, err := urcABI()
	if err != nil {
		return nil, err
	}
	data, err := pack(a)
	if err != nil {
		return nil, fmt.Errorf("encode %s evidence: %w", f, err)
	}
	return a.envelope.Pack(uint8(f), data)
}

// URCSafetyEvidence is abi.encode(FaultSafety, abi.encode(uint256 index,
// SafetyEvidence)). The priors need no leaf (LeafIndex and LeafProof are
// ignored): on this path a prior binds when the committer signed it.
func URCSafetyEvidence(ev *SafetyEvidence) ([]byte, error) {
	b, err := ev.Binding()
	if err != nil {
		return nil, err
	}
	return urcEnvelope(FaultSafety, func(a *urcArgs) ([]byte, error) {
		return a.safety.Pack(big.NewInt(int64(ev.Index)), b)
	})
}

// URCLivenessEvidence is abi.encode(FaultLiveness, abi.encode(bytes header1, bytes header2)).
func URCLivenessEvidence(ev *LivenessEvidence) ([]byte, error) {
	return urcEnvelope(FaultLiveness, func(a *urcArgs) ([]byte, error) {
		return a.liveness.Pack(nonNil(ev.Header1), nonNil(ev.Header2))
	})
}

// URCL2Evidence is abi.encode(FaultL2Inclusion, abi.encode(uint256 index,
// bytes header, bytes32[] txHashes)); the txHashes are those of the poster
// the delegation names.
func URCL2Evidence(ev *L2Evidence) ([]byte, error) {
	return urcEnvelope(FaultL2Inclusion, func(a *urcArgs) ([]byte, error) {
		return a.l2.Pack(big.NewInt(int64(ev.Index)), nonNil(ev.Header), hashes32(ev.TxHashes))
	})
}

// URCEquivocationEvidence is abi.encode(FaultEquivocation, abi.encode(uint256
// indexA, bytes payloadB, bytes signatureB, uint256 indexB)). A is the
// commitment the URC passes; ev.A is not encoded.
func URCEquivocationEvidence(ev *EquivocationEvidence) ([]byte, error) {
	payloadB, err := ev.B.Promise.MarshalABI()
	if err != nil {
		return nil, err
	}
	return urcEnvelope(FaultEquivocation, func(a *urcArgs) ([]byte, error) {
		return a.equivocation.Pack(big.NewInt(int64(ev.IndexA)), payloadB, nonNil(ev.B.Signature), big.NewInt(int64(ev.IndexB)))
	})
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// DecodeURCEvidence decodes Slasher.slash's evidence into the fault and a
// *SafetyEvidence, *LivenessEvidence, *L2Evidence or *EquivocationEvidence
// (whose A is left empty: it is the commitment). It takes the canonical
// encodings the encoders above produce; the prior and B payloads must be
// canonical promise encodings.
func DecodeURCEvidence(b []byte) (Fault, any, error) {
	a, err := urcABI()
	if err != nil {
		return 0, nil, err
	}
	vals, err := a.envelope.Unpack(b)
	if err != nil || len(vals) != 2 {
		return 0, nil, fmt.Errorf("%w: envelope: %v", ErrMalformedEvidence, err)
	}
	f, _ := vals[0].(uint8)
	data, _ := vals[1].([]byte)
	bad := func(err error) (Fault, any, error) {
		return 0, nil, fmt.Errorf("%w: %s: %v", ErrMalformedEvidence, Fault(f), err)
	}
	switch Fault(f) {
	case FaultSafety:
		vs, err := a.safety.Unpack(data)
		if err != nil {
			return bad(err)
		}
		be, ok := abi.ConvertType(vs[1], new(bindings.ISlasherSafetyEvidence)).(*bindings.ISlasherSafetyEvidence)
		if !ok {
			return bad(fmt.Errorf("not a SafetyEvidence"))
		}
		ev := &SafetyEvidence{Index: index(vs[0]), Header: be.Header, ParentHeader: be.ParentHeader, ParentProof: be.ParentProof, BlockProof: be.BlockProof}
		for i, pr := range be.Priors {
			p, err := protocol.UnmarshalPromiseABI(pr.Payload)
			if err != nil {
				return bad(fmt.Errorf("prior %d: %w", i, err))
			}
			ev.Priors = append(ev.Priors, Prior{SignedPromise: SignedPromise{Promise: p, Signature: pr.Signature}, Index: index(pr.Index)})
		}
		return FaultSafety, ev, nil
	case FaultLiveness:
		vs, err := a.liveness.Unpack(data)
		if err != nil {
			return bad(err)
		}
		h1, _ := vs[0].([]byte)
		h2, _ := vs[1].([]byte)
		return FaultLiveness, &LivenessEvidence{Header1: h1, Header2: h2}, nil
	case FaultL2Inclusion:
		vs, err := a.l2.Unpack(data)
		if err != nil {
			return bad(err)
		}
		h, _ := vs[1].([]byte)
		raw, _ := vs[2].([][32]byte)
		hs := make([]common.Hash, len(raw))
		for i, x := range raw {
			hs[i] = x
		}
		return FaultL2Inclusion, &L2Evidence{Index: index(vs[0]), Header: h, TxHashes: hs}, nil
	case FaultEquivocation:
		vs, err := a.equivocation.Unpack(data)
		if err != nil {
			return bad(err)
		}
		payloadB, _ := vs[1].([]byte)
		sigB, _ := vs[2].([]byte)
		pb, err := protocol.UnmarshalPromiseABI(payloadB)
		if err != nil {
			return bad(fmt.Errorf("promise B: %w", err))
		}
		return FaultEquivocation, &EquivocationEvidence{B: SignedPromise{Promise: pb, Signature: sigB}, IndexA: index(vs[0]), IndexB: index(vs[3])}, nil
	}
	return 0, nil, fmt.Errorf("%w: fault %d", ErrMalformedEvidence, f)
}

// index converts an ABI uint256 index; one past any promise's inclusions
// becomes -1, which the judge refuses as the contract does (InclusionIndex).
func index(v any) int {
	x, _ := v.(*big.Int)
	if x == nil || !x.IsInt64() || x.Int64() > math.MaxInt32 {
		return -1
	}
	return int(x.Int64())
}

// URCVerdict is what Slasher.slash does with a call the Judge accepts.
type URCVerdict struct {
	Fault  Fault
	Digest common.Hash    // the promise's, now settled
	User   common.Address // the PromiseSlashed event's user (paid nothing here)
	// Amount is what slash returns: what the URC takes from the operator's URC
	// collateral and burns.
	Amount *big.Int
	// Other is promise B's digest for an equivocation, else zero.
	Other common.Hash
}

// URC judges a call of Slasher.slash (the URC path) as the contract does, in
// its order, assuming the caller is the deployment's URC. nil error: the
// Slasher returns v.Amount and settles v.Digest. It takes only canonical ABI
// encodings of the promise (≤ 8 KiB, as the sidecar signs them) and of the
// evidence (as URCEvidence makes them); the contract, which reads calldata
// in place, may also take non-canonical ones.
func (j *Judge) URC(ctx context.Context, s *URCSlash) (*URCVerdict, error) {
	if j.cfg.URC == (common.Address{}) {
		return nil, ErrNotURC
	}
	c := s.Commitment
	if c.Slasher != j.cfg.Config.Slasher {
		return nil, fmt.Errorf("%w: %s", ErrNotThisSlasher, c.Slasher)
	}
	p, err := protocol.UnmarshalPromiseABI(c.Payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrInvalidPromise, err)
	}
	if err := j.checkShape(p); err != nil {
		return nil, err
	}
	if p.Operator != (common.Address{}) {
		return nil, fmt.Errorf("%w: operator %s", ErrNotURCPromise, p.Operator)
	}
	if c.CommitmentType != p.CommitmentType || c.RequestHash != p.RequestHash {
		return nil, ErrCommitmentMismatch
	}
	v := &URCVerdict{Digest: c.SigningRoot(), Amount: new(big.Int).Set(orZero(p.SlashAmount))}
	if err := j.checkOpen(ctx, v.Digest, p.Slot); err != nil {
		return nil, err
	}
	d := s.Delegation
	if s.Committer == (common.Address{}) {
		return nil, fmt.Errorf("%w: no committer", ErrWrongSigner)
	}
	if d.Slot != 0 && (d.Slot != p.Slot || d.Committer != s.Committer) {
		return nil, fmt.Errorf("%w: delegation for slot %d to %s, promise for slot %d signed by %s", ErrDelegationMismatch, d.Slot, d.Committer, p.Slot, s.Committer)
	}
	f, ev, err := DecodeURCEvidence(s.Evidence)
	if err != nil {
		return nil, err
	}
	v.Fault = f
	switch ev := ev.(type) {
	case *SafetyEvidence:
		if err := j.judgeSafety(ctx, p, ev, s.Committer); err != nil {
			return nil, err
		}
		v.User = p.Inclusions[ev.Index].Sender
	case *LivenessEvidence:
		if err := j.judgeMissed(ctx, p.Slot, ev); err != nil {
			return nil, err
		}
		v.User = p.Inclusions[0].Sender
		v.Amount = j.Amount(FaultLiveness, p)
	case *L2Evidence:
		inc, err := j.judgeL2Block(ctx, p, ev)
		if err != nil {
			return nil, err
		}
		poster, ok := d.Poster()
		if !ok {
			return nil, ErrNoPoster
		}
		if err := j.judgeBatch(ctx, inc, p.Slot, poster, ev.TxHashes); err != nil {
			return nil, err
		}
		v.User = inc.Sender
	case *EquivocationEvidence:
		ev.A = SignedPromise{Promise: p}
		signerB, err := j.judgeEquivocation(p, ev)
		if err != nil {
			return nil, err
		}
		if signerB != s.Committer {
			return nil, fmt.Errorf("%w: second promise signed by %s, committer %s", ErrWrongSigner, signerB, s.Committer)
		}
		v.User = p.Inclusions[ev.IndexA].Sender
		v.Other = ev.B.Promise.Digest(j.domain())
	}
	return v, nil
}

// AssessURC decides whether sp, a promise of a URC-registered operator sold
// under delegation d (zero: opted in without one), was kept, as Assess does
// for the own path: it builds the evidence of the fault that applies
// (liveness when the slot has no block, else safety or L2 inclusion per
// inclusion, priors taken from known when sp's committer signed them) and
// judges it as the URC would pass it. A slashable verdict's Evidence is
// encoded for the URC with URCEvidence.
func (j *Judge) AssessURC(ctx context.Context, sp SignedPromise, d URCDelegation, known []SignedPromise) (*Verdict, error) {
	if err := j.checkShape(sp.Promise); err != nil {
		return &Verdict{Reason: err}, nil
	}
	// judge is the Judge's answer for ev as the URC would pass it (nil: slashable).
	judge := func(ev any) error {
		s, err := NewURCSlash(j.cfg.Config.Slasher, sp, d, ev, common.Address{})
		if err != nil {
			return err
		}
		_, err = j.URC(ctx, s)
		return err
	}
	at, _, _, err := j.builder.SlotHeaders(ctx, sp.Promise.Slot)
	if err != nil {
		return nil, err
	}
	if at == nil {
		ev, err := j.builder.URCLiveness(ctx, sp)
		if err != nil {
			return nil, err
		}
		jerr := judge(ev)
		return &Verdict{Fault: FaultLiveness, Slashable: jerr == nil, Reason: jerr, Evidence: ev}, nil
	}
	var reason error
	for i, inc := range sp.Promise.Inclusions {
		var ev any
		fault := FaultSafety
		if inc.ChainID == j.cfg.L1ChainID {
			ev, err = j.builder.URCSafety(ctx, sp, i, known)
		} else {
			fault = FaultL2Inclusion
			poster, ok := d.Poster()
			if !ok {
				reason = joinReason(reason, i, ErrNoPoster)
				continue
			}
			ev, err = j.builder.URCL2Inclusion(ctx, sp, i, poster)
		}
		if err != nil {
			return nil, err
		}
		jerr := judge(ev)
		if jerr == nil {
			return &Verdict{Fault: fault, Slashable: true, Evidence: ev, Index: i}, nil
		}
		reason = joinReason(reason, i, jerr)
	}
	return &Verdict{Reason: reason}, nil
}

func joinReason(reason error, i int, err error) error {
	if reason == nil {
		return fmt.Errorf("inclusion %d: %w", i, err)
	}
	return fmt.Errorf("%w; inclusion %d: %w", reason, i, err)
}
