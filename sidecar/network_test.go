package sidecar_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	"github.com/attestantio/go-eth2-client/spec/altair"
	"github.com/attestantio/go-eth2-client/spec/capella"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/holiman/uint256"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/deploy"
	"github.com/pledgeproto/pledge/internal/devnet"
	"github.com/pledgeproto/pledge/internal/devnettest"
	"github.com/pledgeproto/pledge/relay"
	"github.com/pledgeproto/pledge/relay/builder"
	"github.com/pledgeproto/pledge/relay/builderapi"
	"github.com/pledgeproto/pledge/sidecar"
	"github.com/pledgeproto/pledge/sidecar/admission"
	"github.com/pledgeproto/pledge/sidecar/api"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The tests below run the sidecar in process with block building on, on
// the in-process devnet: the proposer's builder endpoint is the sidecar's
// builder proxy, the relays are Pledge relays (behind fronts that count
// and, for some, misbehave) with the reference builder, and the fallback
// builds through the devnet's engine API.

const netSlot = 2 * time.Second

// buildWorld is a running devnet with the Pledge contracts, an operator
// registered with some validators, and a sidecar with block building.
type buildWorld struct {
	net      *devnet.Network
	el       *ethclient.Client
	chainID  *big.Int
	k        *deploy.Contracts
	operator common.Address
	senders  []*ecdsa.PrivateKey
	nonces   map[common.Address]uint64
	svc      *sidecar.Service
	reg      *prometheus.Registry
	userURL  string
	proxyURL string
	logs     *lockedBuffer
	// registered are the validator indexes bound to our operator.
	registered map[uint64]bool
}

type buildWorldConfig struct {
	validators int
	registered []int // validators bound to our operator
	held       []int // validator keys given to the sidecar
	// relays returns the relays' URLs, once the network runs.
	relays func(t *testing.T, n *devnet.Network) []string
	// configure, when set, adjusts the sidecar's config last (it gets the
	// committer address the Registry binds).
	configure func(t *testing.T, n *devnet.Network, cfg *sidecar.Config, committer common.Address)
}

func startBuildWorld(t *testing.T, c buildWorldConfig) *buildWorld {
	t.Helper()
	dw := devnettest.Start(t, devnettest.Options{
		Network: devnet.Config{
			SlotDuration: netSlot, Validators: c.validators, FundedAccounts: 10,
			// The proxy answers within its hard timeout (800 ms here).
			BuilderTimeout: 1500 * time.Millisecond,
		},
		Registered: c.registered,
	})
	n, k, committerKey := dw.Net, dw.Contracts, dw.CommitterKey
	w := &buildWorld{
		net: n, el: dw.EL, chainID: dw.ChainID, k: k,
		operator: dw.Operator, senders: dw.Senders,
		nonces: map[common.Address]uint64{}, reg: prometheus.NewRegistry(), logs: &lockedBuffer{},
		registered: map[uint64]bool{},
	}
	for _, i := range c.registered {
		w.registered[uint64(i)] = true
	}
	var held []*bls.SecretKey
	for _, i := range c.held {
		held = append(held, n.Validators()[i].SecretKey)
	}

	secret := n.EL().JWTSecret()
	apiCfg := api.DefaultConfig()
	apiCfg.RateLimit = 0
	cfg := sidecar.Config{
		BeaconURL: n.BeaconURL(), ExecutionURL: n.EL().HTTPEndpoint(), Registry: k.Registry,
		DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		ValidatorKeys: held, Committer: admission.NewKeySigner(committerKey),
		Admission: admission.Config{
			Slasher: k.Slasher, Operator: w.operator, GasBudgetPerSlot: 10_000_000,
			Pricing:     admission.Pricing{MinPriorityFee: big.NewInt(1e9), FeeSlope: big.NewInt(0)},
			Slash:       admission.SlashPolicy{Base: big.NewInt(1e16), MaxCostBps: 10_000, Cap: big.NewInt(1e18)},
			SlashWindow: 32,
		},
		API:          apiCfg,
		PollInterval: 200 * time.Millisecond,
		Building: sidecar.BuildingConfig{
			Relays:        c.relays(t, n),
			BuilderListen: "127.0.0.1:0",
			EngineURL:     n.EL().EngineEndpoint(),
			JWTSecret:     &secret,
			FeeRecipient:  common.Address{0xfe, 0xe0},
			PoolTxs:       16,
			SoftTimeout:   300 * time.Millisecond,
			HardTimeout:   800 * time.Millisecond,
		},
	}
	if c.configure != nil {
		c.configure(t, n, &cfg, dw.Committer)
	}
	log := zerolog.New(w.logs).Level(zerolog.InfoLevel).With().Timestamp().Logger()
	svc, err := sidecar.New(cfg, log, w.reg)
	if err != nil {
		t.Fatal(err)
	}
	w.svc = svc
	svcCtx, svcCancel := context.WithCancel(context.Background())
	svcDone := make(chan error, 1)
	go func() { svcDone <- svc.Run(svcCtx) }()
	t.Cleanup(func() {
		svcCancel()
		select {
		case err := <-svcDone:
			if err != nil {
				t.Errorf("sidecar Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("sidecar Run did not stop")
		}
		if t.Failed() {
			t.Logf("sidecar log (tail):\n%s", w.logs.tail(120))
		}
	})
	select {
	case <-svc.Started():
	case err := <-svcDone:
		t.Fatalf("sidecar stopped: %v\n%s", err, w.logs.tail(40))
	case <-time.After(30 * time.Second):
		t.Fatalf("sidecar did not start\n%s", w.logs.tail(40))
	}
	w.userURL = "http://" + svc.Addr().String()
	w.proxyURL = "http://" + svc.BuilderAddr().String()
	waitFor(t, 30*time.Second, "sidecar ready", func() bool {
		resp, err := http.Get(w.userURL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	n.SetBuilderURL(w.proxyURL)
	return w
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// lockedBuffer is a log sink the sidecar's goroutines share with the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail(lines int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	all := strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

// nextSlot is the first slot the sidecar offers whose commitment deadline
// (2/3 into the slot before) is at least margin away.
func (w *buildWorld) nextSlot(t *testing.T, margin time.Duration, after uint64) uint64 {
	t.Helper()
	var found uint64
	waitFor(t, 20*time.Second, "an offered slot", func() bool {
		r := call(t, w.userURL, "slots")
		var slots protocol.SlotInfoResponse
		if r.Error != nil || json.Unmarshal(r.Result, &slots) != nil {
			return false
		}
		for _, s := range slots.Slots {
			deadline := w.net.SlotStart(s.Slot).Add(-netSlot + netSlot*2/3)
			if s.Slot > after && time.Until(deadline) > margin {
				found = s.Slot
				return true
			}
		}
		return false
	})
	return found
}

// promise has the sidecar promise a transfer from sender for slot; it is
// never sent to the EL's pool, so only a block built with the promises
// holds it.
func (w *buildWorld) promise(t *testing.T, sender *ecdsa.PrivateKey, slot uint64) *types.Transaction {
	t.Helper()
	from := crypto.PubkeyToAddress(sender.PublicKey)
	to := common.Address{0xde, 0xad, byte(slot)}
	tx, err := types.SignNewTx(sender, types.LatestSignerForChainID(w.chainID), &types.DynamicFeeTx{
		ChainID: w.chainID, Nonce: w.nonces[from], GasTipCap: big.NewInt(5e9), GasFeeCap: big.NewInt(100e9),
		Gas: 21_000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, slot, [][]byte{raw})
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, w.userURL, "commitmentRequest", protocol.CommitmentRequest{
		CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: w.k.Slasher,
	})
	if r.Error != nil {
		t.Fatalf("promise for slot %d: %d %s", slot, r.Error.Code, r.Error.Message)
	}
	w.nonces[from]++
	return tx
}

// record waits for the devnet's record of slot.
func (w *buildWorld) record(t *testing.T, slot uint64) devnet.SlotRecord {
	t.Helper()
	var rec devnet.SlotRecord
	waitFor(t, time.Until(w.net.SlotStart(slot))+15*time.Second, fmt.Sprintf("slot %d's block", slot), func() bool {
		for _, r := range w.net.Records() {
			if r.Slot == slot {
				rec = r
				return true
			}
		}
		return false
	})
	return rec
}

// checkLanded checks slot's block came through the builder endpoint and
// opens with want, in order, each receipt in a block of the slot's time.
func (w *buildWorld) checkLanded(t *testing.T, slot uint64, want []*types.Transaction) devnet.SlotRecord {
	t.Helper()
	rec := w.record(t, slot)
	if rec.Source != devnet.SourceRelay {
		t.Fatalf("slot %d: block from %q (%s), want the builder endpoint's", slot, rec.Source, rec.Reason)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	block, err := w.el.BlockByHash(ctx, rec.BlockHash)
	if err != nil {
		t.Fatalf("slot %d block %s: %v", slot, rec.BlockHash, err)
	}
	if block.Time() != w.net.SlotTime(slot) {
		t.Fatalf("slot %d block time %d, want %d", slot, block.Time(), w.net.SlotTime(slot))
	}
	txs := block.Transactions()
	if len(txs) < len(want) {
		t.Fatalf("slot %d block has %d txs, %d promised", slot, len(txs), len(want))
	}
	for i, tx := range want {
		if txs[i].Hash() != tx.Hash() {
			t.Fatalf("slot %d tx %d is %s, promised %s (promises must open the block in order)", slot, i, txs[i].Hash(), tx.Hash())
		}
		rcpt, err := w.el.TransactionReceipt(ctx, tx.Hash())
		if err != nil {
			t.Fatalf("receipt of promised %s: %v", tx.Hash(), err)
		}
		if rcpt.Status != types.ReceiptStatusSuccessful || rcpt.BlockHash != rec.BlockHash || rcpt.TransactionIndex != uint(i) {
			t.Fatalf("promised %s: receipt status %d block %s index %d", tx.Hash(), rcpt.Status, rcpt.BlockHash, rcpt.TransactionIndex)
		}
	}
	return rec
}

// counter reads a counter of the sidecar's registry; 0 when absent.
func (w *buildWorld) counter(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := w.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metric
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// Relay fronts: a Pledge relay behind a front that counts the constraints
// it receives by slot, records the block hashes it serves, and misbehaves
// as told.
type frontMode string

const (
	honest          frontMode = "honest"
	dropConstraints frontMode = "omits constrained txs" // the relay never learns the constraints
	badSignature    frontMode = "bad signature"         // inflates the bid's value after signing
	badProof        frontMode = "bad proof"             // corrupts a multiproof hash
)

type relayFront struct {
	mode   frontMode
	target http.Handler
	srv    *httptest.Server

	mu          sync.Mutex
	constraints map[uint64]int           // constraints received, by slot
	served      map[uint64][]common.Hash // block hashes of header_with_proofs answers, by slot
}

func newFront(t *testing.T, mode frontMode, target http.Handler) *relayFront {
	t.Helper()
	f := &relayFront{mode: mode, target: target, constraints: map[uint64]int{}, served: map[uint64][]common.Hash{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *relayFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/constraints/v0/builder/constraints":
		body, _ := io.ReadAll(r.Body)
		var batch []*protocol.SignedConstraints
		if err := json.Unmarshal(body, &batch); err == nil {
			f.mu.Lock()
			for _, sc := range batch {
				f.constraints[sc.Message.Slot] += len(sc.Message.Constraints)
			}
			f.mu.Unlock()
		}
		if f.mode == dropConstraints {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.target.ServeHTTP(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/constraints/v0/builder/header_with_proofs/"):
		rec := httptest.NewRecorder()
		f.target.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			var bid builderapi.VersionedSignedBuilderBidWithProofs
			if err := json.Unmarshal(body, &bid); err == nil && bid.Data != nil && bid.Data.Message != nil {
				// The path ends in {slot}/{parent_hash}/{pubkey}.
				parts := strings.Split(r.URL.Path, "/")
				slot, _ := strconv.ParseUint(parts[len(parts)-3], 10, 64)
				f.mu.Lock()
				f.served[slot] = append(f.served[slot], common.Hash(bid.Data.Message.Header.BlockHash))
				f.mu.Unlock()
				if f.tamper(&bid) {
					body, _ = json.Marshal(&bid)
				}
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	default:
		f.target.ServeHTTP(w, r)
	}
}

// tamper makes the bid fail the proxy's checks as the mode says.
func (f *relayFront) tamper(bid *builderapi.VersionedSignedBuilderBidWithProofs) bool {
	switch f.mode {
	case badSignature:
		bid.Data.Message.Value = new(uint256.Int).AddUint64(bid.Data.Message.Value, 1)
		return true
	case badProof:
		if p := bid.Data.Proofs; p != nil && len(p.Payloads) > 0 && len(p.Payloads[0]) > 0 {
			p.Payloads[0][len(p.Payloads[0])-1] ^= 1
			return true
		}
	}
	return false
}

func (f *relayFront) constraintsFor(slot uint64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.constraints[slot]
}

func (f *relayFront) constrainedSlots() map[uint64]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[uint64]int, len(f.constraints))
	for s, c := range f.constraints {
		out[s] = c
	}
	return out
}

func (f *relayFront) servedFor(slot uint64) []common.Hash {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.served[slot])
}

// newPledgeRelay starts a relay for n publishing through its beacon node,
// with a reference builder building for it at each slot's start.
func newPledgeRelay(t *testing.T, n *devnet.Network) *relay.Relay {
	t.Helper()
	relayKey, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	r, err := relay.New(relayKey, n.RelayConfig(), relay.WithPublisher(devnet.NewBlockPublisher(n.BeaconURL(), 0)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// withBuilder has the reference builder submit to the relay at url at each
// slot's start. A failed build is the relay's loss, not the test's: the
// proxy must cope with a relay that has no bid.
func withBuilder(t *testing.T, n *devnet.Network, url string) {
	t.Helper()
	key, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	b, err := builder.New(key, url, n.RelayConfig().GenesisForkVersion, devnet.NewELBuilder(n.EL(), 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	n.OnSlot(func(ctx context.Context, info devnet.SlotInfo) {
		_ = b.BuildAndSubmit(ctx, info.BuilderJob())
	})
}

// fakeRelay is a relay that takes registrations and constraints but
// answers headers badly: after hanging past the proxy's hard timeout, or 500.
func fakeRelay(t *testing.T, mode string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := strings.Contains(r.URL.Path, "/header")
		switch {
		case mode == "500":
			http.Error(w, `{"code":500,"message":"boom"}`, http.StatusInternalServerError)
		case mode == "timeout" && header:
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBuilderModeCompliantRelay: with a relay that follows the constraints,
// promised txs (never in the EL's pool) open their slot's block, from the
// relay, in promise order; constraints leave only for our slots with
// promises; a blinded block for a header the proxy never served is refused.
func TestBuilderModeCompliantRelay(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet with the sidecar in builder mode; skipped in -short")
	}
	var front *relayFront
	w := startBuildWorld(t, buildWorldConfig{
		validators: 4, registered: []int{0, 1}, held: []int{0, 1, 2},
		relays: func(t *testing.T, n *devnet.Network) []string {
			r := newPledgeRelay(t, n)
			front = newFront(t, honest, r.Handler())
			withBuilder(t, n, front.srv.URL)
			pk := r.Pubkey()
			u, _ := url.Parse(front.srv.URL)
			u.User = url.User(fmt.Sprintf("%#x", pk[:]))
			return []string{u.String()}
		},
	})

	var promisedSlots []uint64
	t.Run("promises land through the relay", func(t *testing.T) {
		slot := w.nextSlot(t, 700*time.Millisecond, 0)
		want := []*types.Transaction{
			w.promise(t, w.senders[0], slot),
			w.promise(t, w.senders[1], slot),
			w.promise(t, w.senders[0], slot),
		}
		promisedSlots = append(promisedSlots, slot)
		rec := w.checkLanded(t, slot, want)
		if !slices.Contains(front.servedFor(slot), rec.BlockHash) {
			t.Fatalf("slot %d: block %s is not the relay's (served %v)", slot, rec.BlockHash, front.servedFor(slot))
		}
		if got := front.constraintsFor(slot); got != len(want) {
			t.Fatalf("relay got %d constraints for slot %d, want %d", got, slot, len(want))
		}
		if n := w.counter(t, "pledge_builderproxy_blinded_blocks_total", map[string]string{"source": "fallback"}); n != 0 {
			t.Fatalf("%v fallback blocks revealed with a compliant relay", n)
		}

		// A second promised slot, so constraints are seen more than once.
		slot2 := w.nextSlot(t, 700*time.Millisecond, slot)
		want2 := []*types.Transaction{w.promise(t, w.senders[2], slot2)}
		promisedSlots = append(promisedSlots, slot2)
		w.checkLanded(t, slot2, want2)
	})

	t.Run("no constraints for slots not ours or without promises", func(t *testing.T) {
		if len(promisedSlots) == 0 {
			t.Skip("needs the promised slots of the test above")
		}
		last := w.net.LastSlot()
		got := front.constrainedSlots()
		for slot, count := range got {
			v := w.net.Proposer(slot).Index
			if !w.registered[v] {
				t.Errorf("slot %d (validator %d, not registered to us) got %d constraints", slot, v, count)
			}
			if !slices.Contains(promisedSlots, slot) {
				t.Errorf("slot %d has no promise but got %d constraints", slot, count)
			}
		}
		notOurs := 0
		for s := uint64(1); s <= last; s++ {
			if !w.registered[w.net.Proposer(s).Index] {
				notOurs++
			}
		}
		if notOurs == 0 {
			t.Fatalf("no slot of another validator in slots 1..%d: the check above proved nothing", last)
		}
		// Slots offered through the API are only the registered validators'.
		r := call(t, w.userURL, "slots")
		var slots protocol.SlotInfoResponse
		if r.Error != nil || json.Unmarshal(r.Result, &slots) != nil {
			t.Fatalf("slots: %+v", r.Error)
		}
		for _, s := range slots.Slots {
			if v := w.net.Proposer(s.Slot).Index; !w.registered[v] {
				t.Errorf("slot %d of validator %d offered", s.Slot, v)
			}
		}
	})

	t.Run("blinded block for a header not served is refused", func(t *testing.T) {
		for _, version := range []string{"v1", "v2"} {
			t.Run(version, func(t *testing.T) {
				body, err := json.Marshal(strayBlindedBlock(w.net.LastSlot() + 1))
				if err != nil {
					t.Fatal(err)
				}
				req, _ := http.NewRequest(http.MethodPost, w.proxyURL+"/eth/"+version+"/builder/blinded_blocks", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Eth-Consensus-Version", "fulu")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(msg), "not for a header this proxy served") {
					t.Fatalf("stray blinded block: %s %s, want 400 naming the unknown header", resp.Status, msg)
				}
			})
		}
	})
}

// strayBlindedBlock is a well-formed signed blinded block for a header no
// one served.
func strayBlindedBlock(slot uint64) *apiv1electra.SignedBlindedBeaconBlock {
	return &apiv1electra.SignedBlindedBeaconBlock{
		Message: &apiv1electra.BlindedBeaconBlock{
			Slot: phase0.Slot(slot),
			Body: &apiv1electra.BlindedBeaconBlockBody{
				ETH1Data:          &phase0.ETH1Data{BlockHash: make([]byte, 32)},
				ProposerSlashings: []*phase0.ProposerSlashing{},
				AttesterSlashings: []*electra.AttesterSlashing{},
				Attestations:      []*electra.Attestation{},
				Deposits:          []*phase0.Deposit{},
				VoluntaryExits:    []*phase0.SignedVoluntaryExit{},
				SyncAggregate:     &altair.SyncAggregate{SyncCommitteeBits: make([]byte, 64)},
				ExecutionPayloadHeader: &deneb.ExecutionPayloadHeader{
					BlockHash: phase0.Hash32{0x5, 0x7, 0x2, 0xa, 0xe}, BaseFeePerGas: uint256.NewInt(7), ExtraData: []byte{},
				},
				BLSToExecutionChanges: []*capella.SignedBLSToExecutionChange{},
				BlobKZGCommitments:    []deneb.KZGCommitment{},
				ExecutionRequests:     builderapi.EmptyExecutionRequests(),
			},
		},
	}
}

// TestBuilderModeFallback: relays that omit a constrained tx, send a bad
// proof, a bad signature, time out or answer 500 all lose to the local
// fallback block, which keeps every promise; so it does when every relay
// is down.
func TestBuilderModeFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet with the sidecar in builder mode; skipped in -short")
	}
	fronts := map[frontMode]*relayFront{}
	var fakes map[string]*httptest.Server
	w := startBuildWorld(t, buildWorldConfig{
		validators: 1, registered: []int{0}, held: []int{0},
		relays: func(t *testing.T, n *devnet.Network) []string {
			// One relay with the constraints behind the tampering fronts,
			// one that never gets them (its builder omits the promises).
			informed := newPledgeRelay(t, n)
			uninformed := newPledgeRelay(t, n)
			fronts[badSignature] = newFront(t, badSignature, informed.Handler())
			fronts[badProof] = newFront(t, badProof, informed.Handler())
			fronts[dropConstraints] = newFront(t, dropConstraints, uninformed.Handler())
			withBuilder(t, n, fronts[badProof].srv.URL)
			withBuilder(t, n, fronts[dropConstraints].srv.URL)
			fakes = map[string]*httptest.Server{"timeout": fakeRelay(t, "timeout"), "500": fakeRelay(t, "500")}
			var urls []string
			for _, f := range fronts {
				urls = append(urls, f.srv.URL)
			}
			for _, srv := range fakes {
				urls = append(urls, srv.URL)
			}
			return urls
		},
	})
	host := func(u string) string { p, _ := url.Parse(u); return p.Host }
	fallbacks := func() float64 {
		return w.counter(t, "pledge_builderproxy_blinded_blocks_total", map[string]string{"source": "fallback", "result": "ok"})
	}
	// A pool tx, so the uninformed relay's block is worth something and is
	// dropped for its proofs, not for a zero value.
	poolTx := func(nonce uint64) *types.Transaction {
		to := common.Address{0xb0}
		tx := types.MustSignNewTx(w.senders[5], types.LatestSignerForChainID(w.chainID), &types.DynamicFeeTx{
			ChainID: w.chainID, Nonce: nonce, GasTipCap: big.NewInt(2e9), GasFeeCap: big.NewInt(100e9), Gas: 21_000, To: &to,
		})
		if err := w.el.SendTransaction(context.Background(), tx); err != nil {
			t.Fatal(err)
		}
		return tx
	}

	t.Run("misbehaving relays", func(t *testing.T) {
		slot := w.nextSlot(t, 700*time.Millisecond, 0)
		want := []*types.Transaction{w.promise(t, w.senders[0], slot), w.promise(t, w.senders[1], slot)}
		before := fallbacks()
		// A pool tx sent once the block before is made is left for slot's
		// block: the uninformed relay's bid is then worth something, and is
		// dropped for its proofs rather than for a zero value.
		w.record(t, slot-1)
		pool := poolTx(0)
		rec := w.checkLanded(t, slot, want)
		// The fallback block may equal a relay's (the same txs on the same
		// parent build the same block), so its use is read from the proxy.
		if fallbacks() <= before {
			t.Fatalf("no fallback block revealed for slot %d", slot)
		}
		block, err := w.el.BlockByHash(context.Background(), rec.BlockHash)
		if err != nil {
			t.Fatal(err)
		}
		if txs := block.Transactions(); len(txs) != len(want)+1 || txs[len(want)].Hash() != pool.Hash() {
			t.Errorf("fallback block has %d txs, want the %d promised then the pool tx", len(txs), len(want))
		}
		for _, c := range []struct {
			relay   string
			outcome string
		}{
			{fronts[dropConstraints].srv.URL, "bad_proofs"},
			{fronts[badProof].srv.URL, "bad_proofs"},
			{fronts[badSignature].srv.URL, "bad_signature"},
			{fakes["timeout"].URL, "error"},
			{fakes["500"].URL, "error"},
		} {
			labels := map[string]string{"relay": host(c.relay), "endpoint": "header_with_proofs"}
			if ok := w.counter(t, "pledge_builderproxy_relay_requests_total", withLabel(labels, "outcome", "ok")); ok != 0 {
				t.Errorf("relay %s: %v bids accepted", c.relay, ok)
			}
			if n := w.counter(t, "pledge_builderproxy_relay_requests_total", withLabel(labels, "outcome", c.outcome)); n == 0 {
				t.Errorf("relay %s: no %s outcome counted", c.relay, c.outcome)
			}
		}
	})

	t.Run("all relays down", func(t *testing.T) {
		for _, f := range fronts {
			f.srv.Close()
		}
		for _, srv := range fakes {
			srv.Close()
		}
		slot := w.nextSlot(t, 700*time.Millisecond, w.net.LastSlot())
		want := []*types.Transaction{w.promise(t, w.senders[2], slot), w.promise(t, w.senders[0], slot)}
		before := fallbacks()
		w.checkLanded(t, slot, want)
		if fallbacks() <= before {
			t.Fatalf("no fallback block revealed for slot %d", slot)
		}
	})
}

func withLabel(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for a, b := range m {
		out[a] = b
	}
	return out
}

// TestSidecarBuilderFlags: each bad block-building setting stops `pledge
// sidecar` before it connects anywhere, with one line naming the flag.
func TestSidecarBuilderFlags(t *testing.T) {
	bin, err := buildPledge()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goodJWT := write("jwt.hex", "0x"+strings.Repeat("ab", 32)+"\n")
	shortJWT := write("short.hex", strings.Repeat("ab", 31))
	notAKey := write("builder.key", "not a key")
	engine := []string{"--builder-listen", "127.0.0.1:0", "--engine-url", "http://127.0.0.1:8551", "--jwt-secret", goodJWT, "--fee-recipient", "0x00000000000000000000000000000000000000fe"}
	base := []string{
		"sidecar",
		"--registry", "0x0000000000000000000000000000000000000001",
		"--slasher", "0x0000000000000000000000000000000000000002",
		"--operator", "0x0000000000000000000000000000000000000003",
		// An address nothing listens on: a flag error must come first.
		"--beacon-url", "http://127.0.0.1:1", "--execution-url", "http://127.0.0.1:1",
	}
	replace := func(args []string, flag, value string) []string {
		out := slices.Clone(args)
		i := slices.Index(out, flag)
		if value == "" {
			return slices.Delete(out, i, i+2)
		}
		out[i+1] = value
		return out
	}
	for _, c := range []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"bad relay URL", []string{"--relays", "http://127.0.0.1:1,ftp://relay"}, nil, "invalid --relays entry"},
		{"relay pubkey not a key", []string{"--relays", "http://0x1234@127.0.0.1:1"}, nil, "not a 0x BLS public key"},
		{"relay from env", nil, []string{"PLEDGE_RELAYS=relay.example:80"}, "invalid --relays entry"},
		{"builder listen not host:port", []string{"--builder-listen", "8018", "--relays", "http://127.0.0.1:1"}, nil, "invalid --builder-listen"},
		{"builder listen without a source", []string{"--builder-listen", "127.0.0.1:0"}, nil, "--builder-listen needs --relays or --engine-url"},
		{"engine without builder listen", replace(engine, "--builder-listen", ""), nil, "--engine-url needs --builder-listen"},
		{"engine URL not a URL", replace(engine, "--engine-url", "127.0.0.1:8551"), nil, "invalid --engine-url"},
		{"engine without JWT", replace(engine, "--jwt-secret", ""), nil, "missing --jwt-secret"},
		{"JWT too short", replace(engine, "--jwt-secret", shortJWT), nil, "want 32 bytes in hex"},
		{"JWT file missing", replace(engine, "--jwt-secret", dir+"/none"), nil, "--jwt-secret"},
		{"engine without fee recipient", replace(engine, "--fee-recipient", ""), nil, "missing --fee-recipient"},
		{"fee recipient not an address", replace(engine, "--fee-recipient", "0x12"), nil, "invalid --fee-recipient"},
		{"builder key unreadable", append(slices.Clone(engine), "--builder-key", notAKey), nil, "--builder-key"},
		{"JWT without engine", []string{"--jwt-secret", goodJWT}, nil, "--jwt-secret is only used with --engine-url"},
		{"soft timeout over hard", []string{"--relays", "http://127.0.0.1:1", "--builder-soft-timeout", "2s", "--builder-hard-timeout", "1s"}, nil, "want 0 < soft <= hard"},
		{"negative pool txs", append(slices.Clone(engine), "--fallback-pool-txs", "-1"), nil, "invalid --fallback-pool-txs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(bin, append(slices.Clone(base), c.args...)...)
			cmd.Env = append(os.Environ(), c.env...)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit %v, want status 1; output:\n%s", err, out)
			}
			text := strings.TrimSpace(string(out))
			if strings.Contains(text, "\n") || !strings.HasPrefix(text, "pledge: ") || !strings.Contains(text, c.want) {
				t.Fatalf("output %q: want one line naming %q", text, c.want)
			}
		})
	}
}

// TestNewRefusesBuildingConfig: sidecar.New refuses a block-building setup
// that cannot work, before any I/O, naming what is missing.
func TestNewRefusesBuildingConfig(t *testing.T) {
	t.Parallel()
	key, _, err := bls.GenerateNewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	committer, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	secret := [32]byte{1}
	base := sidecar.Config{
		BeaconURL: "http://127.0.0.1:1", ExecutionURL: "http://127.0.0.1:1", Registry: common.Address{1},
		DataDir: t.TempDir(), Listen: "127.0.0.1:0", ValidatorKeys: []*bls.SecretKey{key},
		Committer: admission.NewKeySigner(committer),
		Admission: admission.Config{Slasher: common.Address{2}, Operator: common.Address{3}},
	}
	engine := sidecar.BuildingConfig{BuilderListen: "127.0.0.1:0", EngineURL: "http://127.0.0.1:8551", JWTSecret: &secret, FeeRecipient: common.Address{4}}
	for _, c := range []struct {
		name  string
		edit  func(*sidecar.BuildingConfig)
		want  string
		valid bool
	}{
		{"off", func(b *sidecar.BuildingConfig) { *b = sidecar.BuildingConfig{} }, "", true},
		{"fallback only", func(*sidecar.BuildingConfig) {}, "", true},
		{"relays only", func(b *sidecar.BuildingConfig) { *b = sidecar.BuildingConfig{Relays: []string{"http://127.0.0.1:1"}} }, "", true},
		{"bad relay", func(b *sidecar.BuildingConfig) { b.Relays = []string{"relay:1"} }, "relay URL", false},
		{"engine without listen", func(b *sidecar.BuildingConfig) { b.BuilderListen = "" }, "builder listen address", false},
		{"engine without JWT", func(b *sidecar.BuildingConfig) { b.JWTSecret = nil }, "JWT secret", false},
		{"engine without fee recipient", func(b *sidecar.BuildingConfig) { b.FeeRecipient = common.Address{} }, "fee recipient", false},
		{"listen with nothing to serve", func(b *sidecar.BuildingConfig) { *b = sidecar.BuildingConfig{BuilderListen: "127.0.0.1:0"} }, "needs relays or an engine URL", false},
		{"negative timeout", func(b *sidecar.BuildingConfig) { b.HardTimeout = -time.Second }, "negative", false},
		{"negative pool txs", func(b *sidecar.BuildingConfig) { b.PoolTxs = -1 }, "negative", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := base
			cfg.Building = engine
			c.edit(&cfg.Building)
			_, err := sidecar.New(cfg, zerolog.Nop(), nil)
			switch {
			case c.valid && err != nil:
				t.Fatalf("refused: %v", err)
			case !c.valid && (!errors.Is(err, sidecar.ErrConfig) || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want ErrConfig naming %q", err, c.want)
			}
		})
	}
}
