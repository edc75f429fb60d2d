package protocol

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Commitment types, as carried in the Commitments API's commitment_type field and
// in the signed promise.
const (
	// TypeL1Inclusion promises one L1 transaction in the slot's block.
	TypeL1Inclusion uint64 = 1
	// TypeL2Inclusion promises one transaction of a based rollup in the batch
	// posted to the rollup's inbox in the slot's block.
	TypeL2Inclusion uint64 = 2
	// TypeBundle promises several transactions over L1 and rollups, all or nothing.
	TypeBundle uint64 = 3
)

// MaxBundleSize bounds the inclusions of a bundle: the slasher iterates over them.
const MaxBundleSize = 16

// Inclusion is one promised transaction. Every field is derived by the sidecar
// from the signed transaction itself (see InclusionFromTx), so that the slasher
// can judge the promise from public data alone.
type Inclusion struct {
	ChainID          uint64         `json:"chainId"`
	TxHash           common.Hash    `json:"txHash"`
	Sender           common.Address `json:"sender"`
	Nonce            uint64         `json:"nonce"`
	MaxFeePerGas     *big.Int       `json:"maxFeePerGas"`
	MaxFeePerBlobGas *big.Int       `json:"maxFeePerBlobGas"`
	GasLimit         uint64         `json:"gasLimit"`
	MaxCost          *big.Int       `json:"maxCost"`
}

// Promise is the message the committer signs: that every inclusion lands in
// slot Slot (in the L1 block for L1 transactions, in the rollup batch posted in
// that block for L2 transactions), or SlashAmount of the operator's collateral
// is forfeit.
type Promise struct {
	CommitmentType uint64         `json:"commitmentType"`
	Operator       common.Address `json:"operator"`
	Slot           uint64         `json:"slot"`
	Inclusions     []Inclusion    `json:"inclusions"`
	SlashAmount    *big.Int       `json:"slashAmount"`
	RequestHash    common.Hash    `json:"requestHash"`
}

// Domain is where promises are judged: the L1 chain whose slots they name and
// the Slasher contract that is the commitment's `slasher`. The Slasher is
// inside every signed commitment, so a promise is never valid against another
// deployment; the chain is checked by Validate (an L1 inclusion names it).
type Domain struct {
	ChainID uint64
	Slasher common.Address
}

// Validate checks the structure of a promise against the rules of its type.
// l1ChainID is the chain whose blocks the slots belong to.
func (p *Promise) Validate(l1ChainID uint64) error {
	n := len(p.Inclusions)
	switch p.CommitmentType {
	case TypeL1Inclusion, TypeL2Inclusion:
		if n != 1 {
			return fmt.Errorf("%w: type %d needs 1, got %d", ErrInclusionCount, p.CommitmentType, n)
		}
		onL1 := p.Inclusions[0].ChainID == l1ChainID
		if onL1 != (p.CommitmentType == TypeL1Inclusion) {
			return fmt.Errorf("%w: chain %d for commitment type %d", ErrWrongChain, p.Inclusions[0].ChainID, p.CommitmentType)
		}
	case TypeBundle:
		if n < 2 || n > MaxBundleSize {
			return fmt.Errorf("%w: a bundle needs 2 to %d, got %d", ErrInclusionCount, MaxBundleSize, n)
		}
	default:
		return fmt.Errorf("%w: %d", ErrUnknownCommitmentType, p.CommitmentType)
	}
	if err := checkAmount("slashAmount", p.SlashAmount); err != nil {
		return err
	}
	if p.SlashAmount.Sign() == 0 {
		return fmt.Errorf("%w: slashAmount is zero", ErrBadAmount)
	}
	for i := range p.Inclusions {
		inc := &p.Inclusions[i]
		for _, a := range []struct {
			name string
			v    *big.Int
		}{{"maxFeePerGas", inc.MaxFeePerGas}, {"maxFeePerBlobGas", inc.MaxFeePerBlobGas}, {"maxCost", inc.MaxCost}} {
			if err := checkAmount(fmt.Sprintf("inclusions[%d].%s", i, a.name), a.v); err != nil {
				return err
			}
		}
		for j := 0; j < i; j++ {
			if p.Inclusions[j].TxHash == inc.TxHash {
				return fmt.Errorf("%w: %s", ErrDuplicateTx, inc.TxHash)
			}
		}
	}
	return nil
}

func checkAmount(name string, v *big.Int) error {
	if v == nil || v.Sign() < 0 || v.BitLen() > 256 {
		return fmt.Errorf("%w: %s", ErrBadAmount, name)
	}
	return nil
}

// Commitment returns the Commitments API commitment carrying the promise:
// its type, abi.encode(promise) as payload, its request hash, and the Slasher.
func (p *Promise) Commitment(d Domain) (Commitment, error) {
	payload, err := p.MarshalABI()
	if err != nil {
		return Commitment{}, err
	}
	return Commitment{CommitmentType: p.CommitmentType, Payload: payload, RequestHash: p.RequestHash, Slasher: d.Slasher}, nil
}

// Digest returns what the committer signs for the promise: the signing root
// of the commitment that carries it (Commitment.SigningRoot). It identifies the
// promise everywhere: ledger leaves, the Slasher's settled set, the watcher's
// journal. A promise whose amounts do not fit a uint256 cannot be encoded; its
// digest is then taken over the low 256 bits, and Validate refuses it anyway.
func (p *Promise) Digest(d Domain) common.Hash {
	c, err := p.Commitment(d)
	if err != nil {
		c = Commitment{CommitmentType: p.CommitmentType, Payload: p.lenientABI(), RequestHash: p.RequestHash, Slasher: d.Slasher}
	}
	return c.SigningRoot()
}

// SignPromise signs the promise's digest with the committer key. The signature
// is 65 bytes r ‖ s ‖ v with v ∈ {27, 28}, as Solidity's ecrecover takes it.
func SignPromise(p *Promise, d Domain, key *ecdsa.PrivateKey) ([]byte, error) {
	digest := p.Digest(d)
	return SignDigest(digest, key)
}

// SignDigest signs a 32-byte signing root as it is (no EIP-191 prefix): 65
// bytes r ‖ s ‖ v, v ∈ {27, 28}, s in the lower half of the order.
func SignDigest(digest common.Hash, key *ecdsa.PrivateKey) ([]byte, error) {
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sig[64] += 27
	return sig, nil
}

// secp256k1halfN is half the curve order: signatures with a larger s are
// malleable twins of valid ones and are refused (EIP-2).
var secp256k1halfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// RecoverPromiseSigner returns the address that signed the promise. It refuses
// signatures that are not 65 bytes, have v outside {27, 28}, or a high s.
func RecoverPromiseSigner(p *Promise, d Domain, sig []byte) (common.Address, error) {
	return RecoverDigestSigner(p.Digest(d), sig)
}

// RecoverDigestSigner returns the address whose key signed digest. It accepts
// only what the Slasher accepts: 65 bytes, v ∈ {27, 28}, low s.
func RecoverDigestSigner(digest common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != crypto.SignatureLength {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadSignature, len(sig), crypto.SignatureLength)
	}
	v := sig[64]
	if v != 27 && v != 28 {
		return common.Address{}, fmt.Errorf("%w: v = %d, want 27 or 28", ErrBadSignature, v)
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if !crypto.ValidateSignatureValues(v-27, r, s, true) || s.Cmp(secp256k1halfN) > 0 {
		return common.Address{}, fmt.Errorf("%w: r or s out of range", ErrBadSignature)
	}
	rsv := make([]byte, crypto.SignatureLength)
	copy(rsv, sig)
	rsv[64] = v - 27
	pub, err := crypto.SigToPub(digest[:], rsv)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// VerifyPromise checks that sig is the signature of want over the promise.
func VerifyPromise(p *Promise, d Domain, sig []byte, want common.Address) error {
	got, err := RecoverPromiseSigner(p, d, sig)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%w: signed by %s, want %s", ErrWrongSigner, got, want)
	}
	return nil
}

var word256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// putBigWord writes v as a 32-byte big-endian word; nil counts as zero.
// Callers validate the range first (Validate); here an out-of-range value is
// cut to its low 256 bits of |v| rather than panic on untrusted input.
func putBigWord(dst []byte, v *big.Int) {
	if v == nil {
		return
	}
	if v.BitLen() > 256 {
		v = new(big.Int).And(new(big.Int).Abs(v), word256)
	}
	v.FillBytes(dst[:32])
}
