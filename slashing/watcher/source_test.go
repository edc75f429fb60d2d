package watcher

import (
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

func testCommitment(t *testing.T, slot uint64) *protocol.SignedCommitment {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	p := &protocol.Promise{CommitmentType: protocol.TypeL1Inclusion, Operator: common.Address{1}, Slot: slot, SlashAmount: big.NewInt(1),
		Inclusions: []protocol.Inclusion{{ChainID: 1, TxHash: common.Hash{byte(slot)}, MaxFeePerGas: big.NewInt(1), MaxFeePerBlobGas: new(big.Int), GasLimit: 21000, MaxCost: big.NewInt(21000)}}}
	sc, err := protocol.NewSignedCommitment(p, protocol.Domain{ChainID: 1, Slasher: common.Address{2}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestParsePromises(t *testing.T) {
	t.Parallel()
	a, b := testCommitment(t, 1), testCommitment(t, 2)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	arr, _ := json.Marshal([]any{a, b})
	cases := []struct {
		name  string
		in    string
		n     int
		error string
	}{
		{"lines", string(ja) + "\n\n" + string(jb) + "\n", 2, ""},
		{"array", string(arr), 2, ""},
		{"single", string(ja), 1, ""},
		{"empty", "  \n", 0, ""},
		{"bad line", string(ja) + "\n{\"x\":1}\n", 0, "line 2"},
		{"not json", "hello", 0, "line 1"},
		{"bad array", "[1]", 0, "not a JSON array"},
		{"array with empty item", "[{}]", 0, "item 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePromises([]byte(tc.in))
			if tc.error != "" {
				if err == nil || !strings.Contains(err.Error(), tc.error) {
					t.Fatalf("got %v, want %q", err, tc.error)
				}
				return
			}
			if err != nil || len(got) != tc.n {
				t.Fatalf("got %d, %v; want %d", len(got), err, tc.n)
			}
		})
	}
}

func TestFileSourceDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, scs ...*protocol.SignedCommitment) {
		var lines []string
		for _, sc := range scs {
			b, _ := json.Marshal(sc)
			lines = append(lines, string(b))
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(lines, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", testCommitment(t, 1))
	write("b.jsonl", testCommitment(t, 2), testCommitment(t, 3))
	write("ignored.txt", testCommitment(t, 4))
	src, err := NewFileSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Promises(t.Context())
	if err != nil || len(got) != 3 {
		t.Fatalf("got %d, %v; want 3", len(got), err)
	}
	write("a.json", testCommitment(t, 1), testCommitment(t, 5)) // grows: read again
	if got, err = src.Promises(t.Context()); err != nil || len(got) != 4 {
		t.Fatalf("after change: %d, %v; want 4", len(got), err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.json"), []byte("nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Promises(t.Context()); !errors.Is(err, ErrSource) || !strings.Contains(err.Error(), "c.json") {
		t.Fatalf("bad file: %v", err)
	}
	if _, err := NewFileSource(""); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("empty path: %v", err)
	}
	missing, _ := NewFileSource(filepath.Join(dir, "missing"))
	if _, err := missing.Promises(t.Context()); !errors.Is(err, ErrSource) {
		t.Fatalf("missing: %v", err)
	}
}

// The RPC source speaks the sidecar's commitmentResult: known hashes come back,
// unknown ones (-32016) stay tracked, and a found one is not asked for again.
func TestRPCSource(t *testing.T) {
	t.Parallel()
	known := testCommitment(t, 7)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params []common.Hash   `json:"params"`
		}
		if err := json.Unmarshal(body, &req); err != nil || req.Method != "commitmentResult" || len(req.Params) != 1 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if req.Params[0] != known.Commitment.RequestHash {
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(req.ID) + `,"error":{"code":-32016,"message":"no commitment for this request hash"}}`))
			return
		}
		res, _ := json.Marshal(known)
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":` + string(res) + `}`))
	}))
	defer srv.Close()
	c, err := rpc.Dial(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	src, err := NewRPCSource(c, 0)
	if err != nil {
		t.Fatal(err)
	}
	src.Track(known.Commitment.RequestHash)
	src.Track(common.Hash{0xee})
	got, err := src.Promises(t.Context())
	if err != nil || len(got) != 1 || got[0].Commitment.RequestHash != known.Commitment.RequestHash {
		t.Fatalf("got %v, %v", got, err)
	}
	if src.Tracked() != 1 {
		t.Fatalf("%d hashes tracked, want 1 (the unknown one)", src.Tracked())
	}
	calls.Store(0)
	if got, err = src.Promises(t.Context()); err != nil || len(got) != 1 || calls.Load() != 1 {
		t.Fatalf("second round: %d promises, %d calls, %v", len(got), calls.Load(), err)
	}
	srv.Close()
	if _, err := src.Promises(t.Context()); !errors.Is(err, ErrSource) {
		t.Fatalf("sidecar down: %v", err)
	}
	if _, err := NewRPCSource(nil, 0); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("nil client: %v", err)
	}
}
