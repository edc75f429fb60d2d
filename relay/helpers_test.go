package relay_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/flashbots/go-boost-utils/bls"
	boostssz "github.com/flashbots/go-boost-utils/ssz"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

var (
	genesisForkVersion = phase0.Version{0x10, 0x00, 0x00, 0x38}
	fuluForkVersion    = phase0.Version{0x70, 0x00, 0x00, 0x38}
	genesisValRoot     = phase0.Root{0x42, 0x01}
	genesisTime        = time.Unix(1_700_000_000, 0)
)

const (
	currentSlot = 100
	targetSlot  = 101
)

// key is a BLS key pair for tests.
type key struct {
	sk  *bls.SecretKey
	pub protocol.BLSPubkey
}

func newKey(t testing.TB) key {
	t.Helper()
	sk, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := protocol.PubkeyFromSecretKey(sk)
	if err != nil {
		t.Fatal(err)
	}
	return key{sk: sk, pub: pub}
}

func (k key) p0() phase0.BLSPubKey { return phase0.BLSPubKey(k.pub) }

// publisher is a fake beacon node recording published blocks.
type publisher struct {
	mu     sync.Mutex
	blocks []*api.VersionedSignedProposal
	err    error
}

func (p *publisher) PublishBlock(_ context.Context, b *api.VersionedSignedProposal) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.blocks = append(p.blocks, b)
	return nil
}

func (p *publisher) published() []*api.VersionedSignedProposal {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*api.VersionedSignedProposal(nil), p.blocks...)
}

// fixture is a relay on an ephemeral port with the keys of every role.
type fixture struct {
	t         testing.TB
	relay     *relay.Relay
	srv       *httptest.Server
	pub       *publisher
	relayKey  key
	proposer  key
	delegate  key
	stranger  key
	builder   key
	domains   protocol.Domains
	bdomain   phase0.Domain
	txs       [][]byte // three signed transactions
	committer [20]byte
}

func newFixture(t testing.TB, opts ...relay.Option) *fixture {
	t.Helper()
	return newFixtureWith(t, nil, opts...)
}

// newFixtureWith is newFixture with the relay's config edited by edit.
func newFixtureWith(t testing.TB, edit func(*relay.Config), opts ...relay.Option) *fixture {
	t.Helper()
	f := &fixture{
		t: t, pub: &publisher{},
		relayKey: newKey(t), proposer: newKey(t), delegate: newKey(t), stranger: newKey(t), builder: newKey(t),
		domains: protocol.NewDomains(genesisForkVersion, 0),
		bdomain: builderapi.BuilderDomain(genesisForkVersion),
	}
	now := genesisTime.Add(currentSlot*12*time.Second + time.Second)
	cfg := relay.Config{
		GenesisForkVersion:    genesisForkVersion,
		GenesisTime:           genesisTime,
		SecondsPerSlot:        12,
		SlotsPerEpoch:         32,
		Forks:                 []relay.Fork{{Version: spec.DataVersionFulu, Epoch: 0, ForkVersion: fuluForkVersion}},
		GenesisValidatorsRoot: genesisValRoot,
	}
	if edit != nil {
		edit(&cfg)
	}
	all := append([]relay.Option{relay.WithClock(func() time.Time { return now }), relay.WithPublisher(f.pub)}, opts...)
	r, err := relay.New(f.relayKey.sk, cfg, all...)
	if err != nil {
		t.Fatal(err)
	}
	f.relay = r
	f.srv = httptest.NewServer(r.Handler())
	t.Cleanup(f.srv.Close)
	f.txs = signedTxs(t, 3)
	return f
}

// signedTxs returns n signed EIP-1559 transactions in network encoding.
func signedTxs(t testing.TB, n int) [][]byte {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return signedTxsFrom(t, k, n)
}

func signedTxsFrom(t testing.TB, k *ecdsa.PrivateKey, n int) [][]byte {
	t.Helper()
	signer := types.NewPragueSigner(big.NewInt(3151908))
	out := make([][]byte, n)
	for i := range n {
		to := crypto.PubkeyToAddress(k.PublicKey)
		tx := types.MustSignNewTx(k, signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(3151908), Nonce: uint64(i), GasTipCap: big.NewInt(1e9),
			GasFeeCap: big.NewInt(3e9), Gas: 21000, To: &to, Value: big.NewInt(int64(i + 1)),
		})
		b, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// do sends a request and returns status and body.
func (f *fixture) do(method, path string, body []byte, hdr map[string]string) (int, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode, b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// constraints signs a ConstraintsMessage for slot with signer's key.
func (f *fixture) constraints(slot uint64, signer key, txs [][]byte, receivers ...protocol.BLSPubkey) *protocol.SignedConstraints {
	f.t.Helper()
	m := &protocol.ConstraintsMessage{Proposer: f.proposer.pub, Delegate: signer.pub, Slot: slot, Receivers: receivers}
	for _, tx := range txs {
		m.Constraints = append(m.Constraints, protocol.Constraint{ConstraintType: protocol.ConstraintTypeInclusion, Payload: tx})
	}
	sc, err := protocol.SignConstraints(m, f.domains, signer.sk)
	if err != nil {
		f.t.Fatal(err)
	}
	return sc
}

func (f *fixture) postConstraints(scs ...*protocol.SignedConstraints) (int, []byte) {
	f.t.Helper()
	return f.do(http.MethodPost, "/constraints/v0/builder/constraints", mustJSON(f.t, scs), nil)
}

func (f *fixture) delegation(slot uint64, to key) *protocol.SignedDelegation {
	f.t.Helper()
	d, err := protocol.SignDelegation(&protocol.Delegation{Proposer: f.proposer.pub, Delegate: to.pub, Committer: f.committer, Slot: slot}, f.domains, f.proposer.sk)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) revocation(slot uint64, of key) *protocol.SignedRevocation {
	f.t.Helper()
	r, err := protocol.SignRevocation(&protocol.Revocation{Proposer: f.proposer.pub, Delegate: of.pub, Slot: slot}, f.domains, f.proposer.sk)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// fakeEL is a PayloadBuilder standing in for an execution client: the
// payload holds the top transactions then extra ones, with header fields
// derived from the inputs. mutate, when set, edits the transaction list (to
// play an execution client that drops or reorders).
type fakeEL struct {
	extra  [][]byte
	value  uint64
	mutate func([][]byte) [][]byte
}

func (e *fakeEL) Build(_ context.Context, slot uint64, parent phase0.Hash32, attrs builder.PayloadAttributes, top [][]byte) (*builder.Built, error) {
	txs := append(append([][]byte{}, top...), e.extra...)
	if e.mutate != nil {
		txs = e.mutate(txs)
	}
	p := &deneb.ExecutionPayload{
		ParentHash:    parent,
		FeeRecipient:  attrs.SuggestedFeeRecipient,
		BlockNumber:   slot,
		GasLimit:      30_000_000,
		GasUsed:       21_000 * uint64(len(txs)),
		Timestamp:     attrs.Timestamp,
		ExtraData:     []byte("pledge"),
		BaseFeePerGas: uint256.NewInt(7),
		Withdrawals:   attrs.Withdrawals,
	}
	for _, tx := range txs {
		p.Transactions = append(p.Transactions, bellatrix.Transaction(tx))
	}
	h := crypto.Keccak256(parent[:], []byte(strconv.FormatUint(slot, 10)), []byte(fmt.Sprint(len(txs), e.value)))
	copy(p.BlockHash[:], h)
	copy(p.StateRoot[:], crypto.Keccak256(h))
	return &builder.Built{Payload: p, Value: uint256.NewInt(e.value)}, nil
}

var parentHash = phase0.Hash32{0xaa, 0xbb}

func (f *fixture) job() builder.Job {
	return builder.Job{
		Slot: targetSlot, ParentHash: parentHash, Proposer: f.proposer.p0(),
		FeeRecipient: bellatrix.ExecutionAddress{0xfe},
		Attrs: builder.PayloadAttributes{
			Timestamp: uint64(genesisTime.Unix()) + targetSlot*12, SuggestedFeeRecipient: bellatrix.ExecutionAddress{0xbe},
		},
	}
}

func (f *fixture) newBuilder(el builder.PayloadBuilder) *builder.Builder {
	f.t.Helper()
	b, err := builder.New(f.builder.sk, f.srv.URL, genesisForkVersion, el)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func headerPath(prefix string, slot uint64, parent phase0.Hash32, proposer phase0.BLSPubKey) string {
	return fmt.Sprintf("%s/%d/%s/%s", prefix, slot, parent, proposer)
}

// blindedBlock returns the builder-specs Fulu example blinded block with
// bid's header, commitments and requests at slot, signed by signer as the
// proposer under the fork's proposer domain.
func (f *fixture) blindedBlock(slot uint64, bid *builderapi.BuilderBid, signer key) *apiv1electra.SignedBlindedBeaconBlock {
	f.t.Helper()
	raw, err := os.ReadFile("builderapi/testdata/fulu_signed_blinded_beacon_block.json")
	if err != nil {
		f.t.Fatal(err)
	}
	var wrap struct {
		Value apiv1electra.SignedBlindedBeaconBlock `json:"value"`
	}
	if err := json.Unmarshal(raw, &wrap); err != nil {
		f.t.Fatal(err)
	}
	b := &wrap.Value
	b.Message.Slot = phase0.Slot(slot)
	b.Message.Body.ExecutionPayloadHeader = bid.Header
	b.Message.Body.BlobKZGCommitments = bid.BlobKZGCommitments
	b.Message.Body.ExecutionRequests = bid.ExecutionRequests
	f.signBlinded(b, signer)
	return b
}

// signBlinded signs b as its proposer under the Fulu proposer domain.
func (f *fixture) signBlinded(b *apiv1electra.SignedBlindedBeaconBlock, signer key) {
	f.t.Helper()
	domain := boostssz.ComputeDomain(boostssz.DomainTypeBeaconProposer, fuluForkVersion, genesisValRoot)
	sig, err := boostssz.SignMessage(b.Message, domain, signer.sk)
	if err != nil {
		f.t.Fatal(err)
	}
	b.Signature = sig
}
