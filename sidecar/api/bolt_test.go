package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Conformance with Bolt's clients (chainbound/bolt): requests as Bolt's
// sidecar tests and its client send them, answers read as Bolt's types read
// them — serde structs that ignore unknown members and refuse 0 where Bolt
// types a field NonZero.

// boltVectorTx is the EIP-1559 transaction of Bolt's own InclusionRequest
// deserialisation test (bolt-sidecar primitives/commitment.rs).
const boltVectorTx = "02f86c870c72dd9d5e883e4d0183408f2382520894d2e2adf7177b7a8afddbc12d1634cf23ea1a71020180c001a08556dcfea479b34675db3fe08e29486fe719c2b22f6b0c1741ecbbdce4575cc6a01cd48009ccafd6b9f1290bbe2ceea268f94101d1d322c787018423ebcbc87ab4"

// boltInclusionCommitment mirrors Bolt's InclusionCommitment: the request's
// slot and txs flattened beside the signature (0x-hex, 65 bytes).
type boltInclusionCommitment struct {
	Slot      *uint64   `json:"slot"`
	Txs       *[]string `json:"txs"`
	Signature *string   `json:"signature"`
}

// boltMetadataResponse mirrors Bolt's MetadataResponse: LimitsOpts flattened
// beside version.
type boltMetadataResponse struct {
	MaxCommittedGasPerSlot *uint64 `json:"max_committed_gas_per_slot"` // NonZero<u64>
	MinInclusionProfit     *uint64 `json:"min_inclusion_profit"`       // u64
	MaxAccountStatesSize   *uint64 `json:"max_account_states_size"`    // NonZero<usize>
	Version                *string `json:"version"`
}

func TestBoltRequestInclusionConformance(t *testing.T) {
	t.Parallel()
	// A real signature, so the test can show the answer carries the
	// backend's signature unchanged and in the form Bolt parses.
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	digest := crypto.Keccak256([]byte("promise"))
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		t.Fatal(err)
	}
	signed := *testSigned
	signed.Signature = sig

	tests := []struct {
		name, body string
	}{
		// bolt-sidecar's server tests: id 1, the request in an array, 0x txs.
		{"bolt sidecar test request", `{"jsonrpc":"2.0","id":1,"method":"bolt_requestInclusion","params":[{"slot":10,"txs":["0x` + boltVectorTx + `"]}]}`},
		// bolt-client: id "1", txs hex-encoded without 0x.
		{"bolt client request", `{"id":"1","jsonrpc":"2.0","method":"bolt_requestInclusion","params":[{"slot":10,"txs":["` + boltVectorTx + `"]}]}`},
		{"named form", `{"jsonrpc":"2.0","id":2,"method":"bolt_requestInclusion","params":{"slot":10,"txs":["0x` + boltVectorTx + `"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			be := &fakeBackend{request: func(context.Context, protocol.CommitmentRequest) (*protocol.SignedCommitment, error) {
				return &signed, nil
			}}
			ts := newTestServer(t, be, nil)
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			r.Header.Set("x-bolt-signature", "0x0000000000000000000000000000000000000001:0x"+strings.Repeat("11", 65))
			w := httptest.NewRecorder()
			ts.Handler().ServeHTTP(w, r)
			a := decodeAnswer(t, w)
			if a.Error != nil {
				t.Fatalf("error %+v", a.Error)
			}
			var got boltInclusionCommitment
			decodeInto(t, a.Result, &got, false)
			allSet(t, &got)
			if *got.Slot != 10 || len(*got.Txs) != 1 {
				t.Fatalf("answer %s", a.Result)
			}
			// Bolt decodes each tx as an EIP-2718 envelope.
			var tx types.Transaction
			if err := tx.UnmarshalBinary(hexutil.MustDecode((*got.Txs)[0])); err != nil {
				t.Fatalf("echoed tx does not decode: %v", err)
			}
			gotSig, err := hexutil.Decode(*got.Signature)
			if err != nil || len(gotSig) != 65 || !bytes.Equal(gotSig, sig) {
				t.Fatalf("signature %s, want the backend's 65 bytes", *got.Signature)
			}
			pub, err := crypto.SigToPub(digest, gotSig)
			if err != nil || crypto.PubkeyToAddress(*pub) != crypto.PubkeyToAddress(key.PublicKey) {
				t.Fatalf("signature does not recover the signer: %v", err)
			}

			reqs, _, _ := be.recorded()
			if len(reqs) != 1 || reqs[0].CommitmentType != protocol.TypeL1Inclusion || reqs[0].Slasher != testSlasher {
				t.Fatalf("backend got %+v", reqs)
			}
			p, err := protocol.DecodeRequestPayload(reqs[0].CommitmentType, reqs[0].Payload)
			if err != nil || p.Slot != 10 || len(p.Txs) != 1 || !bytes.Equal(p.Txs[0], hexutil.MustDecode("0x"+boltVectorTx)) {
				t.Fatalf("payload %+v, err %v", p, err)
			}
		})
	}
}

func TestBoltMetadataConformance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		params   string
		metadata *BoltMetadata
		want     string
	}{
		{"as Bolt's tests call it", `[]`, nil, testMetadataAnswer},
		{"params left out", ``, nil, testMetadataAnswer},
		{"named form", `{}`, nil, testMetadataAnswer},
		{"an account-state size given", `[]`,
			&BoltMetadata{Version: "pledge/v1", Limits: BoltLimits{MaxCommittedGasPerSlot: 30_000_000, MaxAccountStatesSize: 4096}},
			`{"max_committed_gas_per_slot":30000000,"min_inclusion_profit":0,"max_account_states_size":4096,"max_txs_per_request":16,"version":"pledge/v1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{metadata: tt.metadata}, nil)
			a := decodeAnswer(t, ts.rpc(call("bolt_metadata", tt.params)))
			if a.Error != nil {
				t.Fatalf("error %+v", a.Error)
			}
			var md boltMetadataResponse
			decodeInto(t, a.Result, &md, false)
			allSet(t, &md)
			if *md.MaxCommittedGasPerSlot == 0 || *md.MaxAccountStatesSize == 0 {
				t.Fatalf("a NonZero field is 0: %s", a.Result)
			}
			sameJSON(t, a.Result, tt.want)
		})
	}
}

// TestBoltMetadataZeroGasBudgetIsInternal: Bolt's client cannot read a 0 gas
// budget, so the server does not send one; the fault is the backend's.
func TestBoltMetadataZeroGasBudgetIsInternal(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, &fakeBackend{metadata: &BoltMetadata{Version: "pledge/v1"}}, nil)
	a := decodeAnswer(t, ts.rpc(call("bolt_metadata", "[]")))
	if a.Error == nil || a.Error.Code != CodeInternal || a.Error.Data.RequestID == "" {
		t.Fatalf("got %+v, want an internal error", a.Error)
	}
	if !strings.Contains(ts.log.String(), "max committed gas per slot of 0") {
		t.Fatalf("log lacks the cause: %s", ts.log)
	}
}

func TestBoltGetVersion(t *testing.T) {
	t.Parallel()
	for _, params := range []string{``, `[]`, `{}`} {
		t.Run(params, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			a := decodeAnswer(t, ts.rpc(call("bolt_getVersion", params)))
			var v string
			if a.Error != nil || json.Unmarshal(a.Result, &v) != nil || v != testMetadata.Version {
				t.Fatalf("got %s %+v, want the string %q", a.Result, a.Error, testMetadata.Version)
			}
		})
	}
	ts := newTestServer(t, &fakeBackend{}, nil)
	if a := decodeAnswer(t, ts.rpc(call("bolt_getVersion", `["x"]`))); a.Error == nil || a.Error.Code != CodeInvalidParams {
		t.Fatalf("bolt_getVersion with a param: %+v", a.Error)
	}
}

// TestBoltErrorCodes: a bolt_* call answers Bolt's code for the condition
// (Pledge's -32001 is Bolt's "duplicate request", so it must not leak), with
// Pledge's own in data.pledge_code; the Commitments API methods keep Pledge's.
func TestBoltErrorCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err        error
		pledge     int
		bolt       int
		translated bool
	}{
		{protocol.ErrTxMalformed, CodeTxMalformed, BoltCodeValidation, true},
		{protocol.ErrTxSignature, CodeTxSignature, BoltCodeValidation, true},
		{protocol.ErrWrongChain, CodeWrongChain, BoltCodeValidation, true},
		{protocol.ErrIntrinsicGas, CodeIntrinsicGas, BoltCodeValidation, true},
		{protocol.ErrBlobFeeTooLow, CodeBlobFeeTooLow, BoltCodeValidation, true},
		{protocol.ErrTxTooLarge, CodeTooLarge, BoltCodeValidation, true},
		{errNonce, CodeNonce, BoltCodeValidation, true},
		{errBalance, CodeBalance, BoltCodeValidation, true},
		{errFeeBelowBase, CodeFeeBelowBase, BoltCodeValidation, true},
		{errUnderpriced, CodeUnderpriced, BoltCodeValidation, true},
		{errSlotFull, CodeSlotFull, BoltCodeValidation, true},
		{errConflict, CodeConflict, BoltCodeValidation, true},
		{errSenderHasCode, CodeSenderHasCode, BoltCodeValidation, true},
		{errSlotNotOffered, CodeSlotNotOffered, BoltCodeConsensus, true},
		{errDeadline, CodeDeadlinePassed, BoltCodeConsensus, true},
		// No Bolt code for these conditions: Pledge's, which Bolt leaves unused.
		{errExposure, CodeExposure, CodeExposure, false},
		{errUnavailable, CodeUnavailable, CodeUnavailable, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.pledge), func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{err: tt.err}, func(c *Config) { c.Codes = admissionCodes() })
			a := decodeAnswer(t, ts.rpc(call("bolt_requestInclusion", `[{"slot":10,"txs":["0x`+boltVectorTx+`"]}]`)))
			if a.Error == nil || a.Error.Code != tt.bolt {
				t.Fatalf("bolt_requestInclusion: got %+v, want code %d", a.Error, tt.bolt)
			}
			wantPledge := 0
			if tt.translated {
				wantPledge = tt.pledge
			}
			if a.Error.Data.PledgeCode != wantPledge || !strings.Contains(a.Error.Data.Reason, tt.err.Error()) {
				t.Fatalf("bolt_requestInclusion: data %+v, want pledge_code %d and the cause", a.Error.Data, wantPledge)
			}
			a = decodeAnswer(t, ts.rpc(call("commitmentRequest", "["+requestJSON(1, []byte{0xc0}, testSlasher)+"]")))
			if a.Error == nil || a.Error.Code != tt.pledge || a.Error.Data.PledgeCode != 0 {
				t.Fatalf("commitmentRequest: got %+v, want Pledge's code %d", a.Error, tt.pledge)
			}
		})
	}
}

// TestBoltCodesCoverEveryCode: each code of docs/protocol.md §4 is either
// translated for Bolt or kept on purpose, so a new code needs a decision.
func TestBoltCodesCoverEveryCode(t *testing.T) {
	t.Parallel()
	// Standard JSON-RPC codes mean the same to Bolt; the rest are conditions
	// Bolt has no code for, at numbers Bolt does not use.
	kept := []int{CodeParse, CodeInvalidRequest, CodeMethodNotFound, CodeInvalidParams, CodeInternal,
		CodeExposure, CodeUnknownRollup, CodeRateLimited, CodeNotFound, CodeUnavailable, CodeUnknownType}
	for code := range codeInfo {
		_, translated := boltCodes[code]
		if translated == slices.Contains(kept, code) {
			t.Errorf("code %d: translated %v, kept %v; want exactly one", code, translated, !translated)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(boltCodes)) {
		if b := boltCodes[code]; b != BoltCodeConsensus && b != BoltCodeValidation {
			t.Errorf("code %d translates to %d, not one of Bolt's", code, b)
		}
	}
}

func TestBoltRequestInclusionRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, params string
		code         int
		reason       string
	}{
		{"bare hex of odd length", `[{"slot":1,"txs":["02f"]}]`, CodeInvalidParams, "params[0].txs[0]: hex string of odd length"},
		{"bare hex that is not hex", `[{"slot":1,"txs":["zz"]}]`, CodeInvalidParams, "params[0].txs[0]: invalid hex string"},
		{"empty string tx", `[{"slot":1,"txs":[""]}]`, CodeInvalidParams, "params[0].txs[0]: empty transaction"},
		{"tx a number", `[{"slot":1,"txs":[2]}]`, CodeInvalidParams, "params[0].txs[0]: want a hex string"},
		{"named form missing txs", `{"slot":1}`, CodeInvalidParams, "params.txs is missing"},
		{"named form unknown member", `{"slot":1,"txs":["0x02"],"signature":"0x"}`, CodeInvalidParams, `params: unknown member "signature"`},
		{"two requests", `[{"slot":1,"txs":["0x02"]},{"slot":2,"txs":["0x02"]}]`, CodeInvalidParams, "want 1 param, got 2"},
		{"17 txs in the named form", `{"slot":1,"txs":[` + strings.TrimSuffix(strings.Repeat(`"02",`, 17), ",") + `]}`, BoltCodeValidation, "params.txs: 17 transactions, limit 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, &fakeBackend{}, nil)
			a := decodeAnswer(t, ts.rpc(call("bolt_requestInclusion", tt.params)))
			if a.Error == nil || a.Error.Code != tt.code || a.Error.Data.Reason != tt.reason {
				t.Fatalf("got %+v, want code %d reason %q", a.Error, tt.code, tt.reason)
			}
			if reqs, _, _ := ts.be.recorded(); len(reqs) != 0 {
				t.Fatal("a refused request reached the backend")
			}
		})
	}
}
