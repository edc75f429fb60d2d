package beaconmock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/attestantio/go-eth2-client/api"
	apiv1fulu "github.com/attestantio/go-eth2-client/api/v1/fulu"
	"github.com/attestantio/go-eth2-client/spec/altair"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/electra"
	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/holiman/uint256"

	"github.com/pledgeproto/pledge/internal/beaconmock"
)

func get(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, body
}

func TestChainEndpoints(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{
		SlotsPerEpoch: 4,
		Forks: []beaconmock.Fork{
			{PreviousVersion: [4]byte{1}, CurrentVersion: [4]byte{1}},
			{PreviousVersion: [4]byte{1}, CurrentVersion: [4]byte{7}, Epoch: 2},
		},
		Spec: map[string]string{"FULU_FORK_VERSION": "0x07000000", "SLOTS_PER_EPOCH": "4"},
	})
	t.Cleanup(m.Close)
	m.SetDutiesProvider(func(epoch uint64) ([]beaconmock.Duty, [32]byte, bool) {
		if epoch > 5 {
			return nil, [32]byte{}, false
		}
		return []beaconmock.Duty{{Slot: epoch*4 + 1, ValidatorIndex: epoch}}, [32]byte{byte(epoch + 1)}, true
	})
	m.SetDuties(3, []beaconmock.Duty{{Slot: 13, ValidatorIndex: 42}}, [32]byte{0xee})
	m.SetRandao(0, [32]byte{0xa0})
	m.SetRandao(5, [32]byte{0xa5})
	m.AddHeader(beaconmock.BlockHeader{Slot: 5, ProposerIndex: 3, Root: [32]byte{0x55}, ParentRoot: [32]byte{0x44}})
	m.AddHeader(beaconmock.BlockHeader{Slot: 4, ProposerIndex: 2, Root: [32]byte{0x44}})
	m.EmitHead(5, [32]byte{0x55})

	hex32 := func(b byte) string { return "0x" + hexByte(b) + strings.Repeat("00", 31) }
	cases := []struct {
		name   string
		path   string
		status int
		check  func(t *testing.T, body map[string]any)
	}{
		{"fork schedule", beaconmock.PathForkSchedule, 200, func(t *testing.T, b map[string]any) {
			forks := b["data"].([]any)
			if len(forks) != 2 || forks[1].(map[string]any)["current_version"] != "0x07000000" || forks[1].(map[string]any)["epoch"] != "2" {
				t.Fatalf("forks %v", forks)
			}
		}},
		{"spec extras", beaconmock.PathSpec, 200, func(t *testing.T, b map[string]any) {
			if b["data"].(map[string]any)["FULU_FORK_VERSION"] != "0x07000000" {
				t.Fatalf("spec %v", b["data"])
			}
		}},
		{"duties from provider", beaconmock.PathProposerDuties + "2", 200, func(t *testing.T, b map[string]any) {
			d := b["data"].([]any)
			if len(d) != 1 || d[0].(map[string]any)["slot"] != "9" || b["dependent_root"] != hex32(3) {
				t.Fatalf("duties %v root %v", d, b["dependent_root"])
			}
		}},
		{"explicit duties win", beaconmock.PathProposerDuties + "3", 200, func(t *testing.T, b map[string]any) {
			d := b["data"].([]any)
			if len(d) != 1 || d[0].(map[string]any)["validator_index"] != "42" {
				t.Fatalf("duties %v", d)
			}
		}},
		{"epoch the provider does not know", beaconmock.PathProposerDuties + "9", 200, func(t *testing.T, b map[string]any) {
			if d := b["data"].([]any); len(d) != 0 {
				t.Fatalf("duties %v", d)
			}
		}},
		{"randao at head", "/eth/v1/beacon/states/head/randao", 200, func(t *testing.T, b map[string]any) {
			if b["data"].(map[string]any)["randao"] != hex32(0xa5) {
				t.Fatalf("randao %v", b["data"])
			}
		}},
		{"randao of a slot between mixes", "/eth/v1/beacon/states/3/randao", 200, func(t *testing.T, b map[string]any) {
			if b["data"].(map[string]any)["randao"] != hex32(0xa0) {
				t.Fatalf("randao %v", b["data"])
			}
		}},
		{"randao of a bad state id", "/eth/v1/beacon/states/nope/randao", 400, nil},
		{"head header", beaconmock.PathHeaders + "head", 200, func(t *testing.T, b map[string]any) {
			d := b["data"].(map[string]any)
			msg := d["header"].(map[string]any)["message"].(map[string]any)
			if d["root"] != hex32(0x55) || msg["slot"] != "5" || msg["parent_root"] != hex32(0x44) || msg["proposer_index"] != "3" {
				t.Fatalf("header %v", d)
			}
		}},
		{"header by slot", beaconmock.PathHeaders + "4", 200, func(t *testing.T, b map[string]any) {
			if b["data"].(map[string]any)["root"] != hex32(0x44) {
				t.Fatalf("header %v", b["data"])
			}
		}},
		{"header by root", beaconmock.PathHeaders + hex32(0x44), 200, nil},
		{"header of an empty slot", beaconmock.PathHeaders + "3", 404, nil},
		{"block root", beaconmock.PathBlockRoot + "head/root", 200, func(t *testing.T, b map[string]any) {
			if b["data"].(map[string]any)["root"] != hex32(0x55) {
				t.Fatalf("root %v", b["data"])
			}
		}},
		{"expected withdrawals", "/eth/v1/builder/states/head/expected_withdrawals", 200, func(t *testing.T, b map[string]any) {
			if d, ok := b["data"].([]any); !ok || len(d) != 0 {
				t.Fatalf("withdrawals %v", b["data"])
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			status, body := get(t, m.URL()+tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&0xf]})
}

// block is a minimal fulu block that encodes in SSZ and JSON.
func block(slot uint64) *apiv1fulu.SignedBlockContents {
	return &apiv1fulu.SignedBlockContents{
		SignedBlock: &electra.SignedBeaconBlock{Message: &electra.BeaconBlock{
			Slot: phase0.Slot(slot),
			Body: &electra.BeaconBlockBody{
				ETH1Data:              &phase0.ETH1Data{BlockHash: make([]byte, 32)},
				ProposerSlashings:     []*phase0.ProposerSlashing{},
				AttesterSlashings:     []*electra.AttesterSlashing{},
				Attestations:          []*electra.Attestation{},
				Deposits:              []*phase0.Deposit{},
				VoluntaryExits:        []*phase0.SignedVoluntaryExit{},
				SyncAggregate:         &altair.SyncAggregate{SyncCommitteeBits: make([]byte, 64)},
				ExecutionPayload:      &deneb.ExecutionPayload{BaseFeePerGas: uint256.NewInt(7), Transactions: []bellatrix.Transaction{}},
				BLSToExecutionChanges: nil,
				BlobKZGCommitments:    []deneb.KZGCommitment{},
				ExecutionRequests:     &electra.ExecutionRequests{},
			},
		}},
		KZGProofs: []deneb.KZGProof{},
		Blobs:     []deneb.Blob{},
	}
}

func TestPublishBlock(t *testing.T) {
	t.Parallel()
	m := beaconmock.New(beaconmock.Config{})
	t.Cleanup(m.Close)
	var mu sync.Mutex
	var got []uint64
	post := func(version, contentType string, body []byte) (int, string) {
		req, err := http.NewRequest(http.MethodPost, m.URL()+beaconmock.PathPublishBlock, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		if version != "" {
			req.Header.Set("Eth-Consensus-Version", version)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	sszBody, err := block(7).MarshalSSZ()
	if err != nil {
		t.Fatal(err)
	}
	jsonBody, err := json.Marshal(block(8))
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := post("fulu", "application/octet-stream", sszBody); code != http.StatusServiceUnavailable {
		t.Fatalf("no handler: %d, want 503", code)
	}
	m.SetPublishHandler(func(_ context.Context, b *api.VersionedSignedProposal) error {
		slot := uint64(b.Fulu.SignedBlock.Message.Slot)
		if slot == 9 {
			return errors.New("not this one")
		}
		mu.Lock()
		got = append(got, slot)
		mu.Unlock()
		return nil
	})
	refused, err := block(9).MarshalSSZ()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, version, contentType string
		body                       []byte
		status                     int
		msg                        string
	}{
		{"ssz", "fulu", "application/octet-stream", sszBody, 200, ""},
		{"json", "fulu", "application/json", jsonBody, 200, ""},
		{"no version header", "", "application/octet-stream", sszBody, 400, "Eth-Consensus-Version"},
		{"unknown fork", "gloas", "application/octet-stream", sszBody, 400, "unsupported"},
		{"truncated ssz", "fulu", "application/octet-stream", sszBody[:40], 400, "decode fulu block"},
		{"handler refuses", "fulu", "application/octet-stream", refused, 400, "not this one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := post(tc.version, tc.contentType, tc.body)
			if code != tc.status || !strings.Contains(msg, tc.msg) {
				t.Fatalf("status %d %q, want %d with %q", code, msg, tc.status, tc.msg)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != 7 || got[1] != 8 {
		t.Fatalf("handler saw slots %v, want [7 8]", got)
	}
}
