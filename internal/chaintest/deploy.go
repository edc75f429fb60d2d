package chaintest

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Params are the deployment parameters; DefaultParams fits tests. The
// contracts require Lookahead < RotationDelay, LedgerGrace < SlashWindow <
// UnregistrationDelay, BurnBps > 0 and UserBps + BurnBps <= 10000.
type Params struct {
	MinCollateral       *big.Int
	Lookahead           uint64
	RotationDelay       uint64
	UnregistrationDelay uint64
	SlashWindow         uint64
	LedgerGrace         uint64
	LivenessBps         uint16
	UserBps             uint16
	BurnBps             uint16
	// URC is the Universal Registry Contract the Slasher answers (ISlasher.slash);
	// zero, the default, turns that path off.
	URC common.Address
}

// DefaultParams are decisions v1's defaults with short windows, so tests can
// run past the ledger grace and the slash window in a few blocks.
func DefaultParams() Params {
	return Params{
		MinCollateral:       big.NewInt(params.Ether),
		Lookahead:           2,
		RotationDelay:       4,
		UnregistrationDelay: 64,
		SlashWindow:         32,
		LedgerGrace:         4,
		LivenessBps:         5000,
		UserBps:             8000,
		BurnBps:             1000,
	}
}

// Contracts are the deployed Pledge contracts.
type Contracts struct {
	Registry     *bindings.Registry
	RegistryAddr common.Address
	Inbox        *bindings.Inbox
	InboxAddr    common.Address
	Slasher      *bindings.Slasher
	SlasherAddr  common.Address
	Params       Params
}

// Domain is the domain of promises judged by this deployment (its Slasher).
func (k *Contracts) Domain(c *Chain) protocol.Domain {
	return protocol.Domain{ChainID: c.ChainID.Uint64(), Slasher: k.SlasherAddr}
}

// Deploy deploys Registry, Inbox and Slasher from key 0 and binds the Slasher
// in the Registry. All three share the chain's slot clock.
func (c *Chain) Deploy(p Params) *Contracts {
	c.t.Helper()
	k := &Contracts{Params: p}
	// Explicit nonces: three sends in a row can race the pool's pending nonce.
	nonce, err := c.Client.PendingNonceAt(c.t.Context(), c.Addr(0))
	if err != nil {
		c.t.Fatal(err)
	}
	next := func() *bind.TransactOpts {
		o := c.Opts(0)
		o.Nonce = new(big.Int).SetUint64(nonce)
		nonce++
		return o
	}
	k.RegistryAddr, _, k.Registry, err = bindings.DeployRegistry(next(), c.Client, bindings.RegistryConfig{
		MinCollateral:       p.MinCollateral,
		GenesisTime:         c.GenesisTime,
		SecondsPerSlot:      SecondsPerSlot,
		Lookahead:           p.Lookahead,
		RotationDelay:       p.RotationDelay,
		UnregistrationDelay: p.UnregistrationDelay,
		SlashWindow:         p.SlashWindow,
		LedgerGrace:         p.LedgerGrace,
	})
	if err != nil {
		c.t.Fatalf("deploy Registry: %v", err)
	}
	k.InboxAddr, _, k.Inbox, err = bindings.DeployInbox(next(), c.Client, c.GenesisTime, SecondsPerSlot)
	if err != nil {
		c.t.Fatalf("deploy Inbox: %v", err)
	}
	// The Slasher's constructor reads the Inbox's clock, not mined yet: no estimate.
	so := next()
	so.GasLimit = 6_000_000
	k.SlasherAddr, _, k.Slasher, err = bindings.DeploySlasher(so, c.Client, k.RegistryAddr, k.InboxAddr, bindings.ISlasherConfig{
		GenesisTime:               c.GenesisTime,
		SecondsPerSlot:            SecondsPerSlot,
		SlashWindow:               p.SlashWindow,
		LivenessBps:               p.LivenessBps,
		UserBps:                   p.UserBps,
		BurnBps:                   p.BurnBps,
		BlobBaseFeeUpdateFraction: PragueBlobUpdateFraction,
		Urc:                       p.URC,
	})
	if err != nil {
		c.t.Fatalf("deploy Slasher: %v", err)
	}
	c.Commit()
	for name, addr := range map[string]common.Address{"Registry": k.RegistryAddr, "Inbox": k.InboxAddr, "Slasher": k.SlasherAddr} {
		code, err := c.Client.CodeAt(c.t.Context(), addr, nil)
		if err != nil || len(code) == 0 {
			c.t.Fatalf("%s not deployed at %s: %v", name, addr, err)
		}
	}
	init, err := k.Registry.InitSlasher(c.Opts(0), k.SlasherAddr)
	c.Mine(init, err)
	return k
}

// Operator is a registered operator: its owner key (the operator address) and
// its committer key.
type Operator struct {
	Key       *ecdsa.PrivateKey
	Addr      common.Address
	Committer *ecdsa.PrivateKey
	// Poster is the account OpenLedger names as the poster of the slot's L2
	// batches (RegisterOperator sets the committer's address).
	Poster common.Address
}

// CommitterFunding is what RegisterOperator sends the committer key, for the
// gas of its openLedger transactions.
var CommitterFunding = new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether))

// RegisterOperator registers key ownerIdx as an operator with one fresh BLS key
// (a real proof of possession), collateral wei and a fresh committer key, and
// funds the committer with CommitterFunding from the owner, in the same block.
func (c *Chain) RegisterOperator(k *Contracts, ownerIdx int, collateral *big.Int) *Operator {
	c.t.Helper()
	owner := c.Addr(ownerIdx)
	committer, err := crypto.GenerateKey()
	if err != nil {
		c.t.Fatal(err)
	}
	msg, err := k.Registry.PopMessage(&bind.CallOpts{Context: c.t.Context()}, owner)
	if err != nil {
		c.t.Fatalf("popMessage: %v", err)
	}
	pk, sig, err := ProofOfPossession(msg)
	if err != nil {
		c.t.Fatal(err)
	}
	committerAddr := crypto.PubkeyToAddress(committer.PublicKey)
	nonce, err := c.Client.PendingNonceAt(c.t.Context(), owner)
	if err != nil {
		c.t.Fatal(err)
	}
	c.Send(c.Transfer(c.Keys[ownerIdx], nonce, committerAddr, CommitterFunding, big.NewInt(100*params.GWei)))
	opts := c.Opts(ownerIdx)
	opts.Value = collateral
	opts.Nonce = new(big.Int).SetUint64(nonce + 1)
	tx, err := k.Registry.Register(opts, [][]byte{pk}, [][]byte{sig}, committerAddr)
	c.Mine(tx, err)
	return &Operator{Key: c.Keys[ownerIdx], Addr: owner, Committer: committer, Poster: committerAddr}
}

// ProofOfPossession makes a fresh BLS key and returns its EIP-2537 G1 encoding
// and its POP-ciphersuite signature of msg as an EIP-2537 G2 point.
func ProofOfPossession(msg []byte) (pubkey, signature []byte, err error) {
	sk, pk, err := bls.GenerateNewKeypair()
	if err != nil {
		return nil, nil, err
	}
	sig := bls.Sign(sk, msg)
	return append(fp64(&pk.X), fp64(&pk.Y)...),
		append(append(append(fp64(&sig.X.A0), fp64(&sig.X.A1)...), fp64(&sig.Y.A0)...), fp64(&sig.Y.A1)...), nil
}

// fp64 is EIP-2537's 64-byte field element: 16 zero bytes, then 48 big-endian.
func fp64(e *fp.Element) []byte {
	b := e.Bytes()
	return append(make([]byte, 16), b[:]...)
}
