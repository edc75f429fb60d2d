package ecdsasigner_test

import (
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// fakeWeb3Signer is a FAKE of Web3Signer in eth1 mode, not the real one
// (a Java service): it speaks its wire format as its sources define it —
// POST /api/v1/eth1/sign/{identifier} {"data"} answering text/plain
// 0x r‖s‖v (v 27/28) over keccak256(data), no prefix; GET
// /api/v1/eth1/publicKeys; JSON-RPC eth_signTransaction on / answering the
// signed transaction's encoding for its own --chain-id — with a real
// secp256k1 key, and misbehaviours to order.
type fakeWeb3Signer struct {
	key     *ecdsa.PrivateKey
	chainID *big.Int
	srv     *httptest.Server
	calls   atomic.Int32

	// Misbehaviours, set before use.
	delay    time.Duration
	wrongKey *ecdsa.PrivateKey // signs with this key instead
	highS    bool              // answers the high-s twin
	status   int               // answers this status with body
	body     string
	rpcError string // eth_signTransaction answers this JSON-RPC error
	garbage  string // answers this instead of a signature
	tamper   bool   // signs a transaction with another nonce
	wrap     func(http.Handler) http.Handler
}

func newFakeWeb3Signer(t testing.TB, key *ecdsa.PrivateKey, chainID int64, opts ...func(*fakeWeb3Signer)) *fakeWeb3Signer {
	t.Helper()
	f := &fakeWeb3Signer{key: key, chainID: big.NewInt(chainID)}
	for _, o := range opts {
		o(f)
	}
	var h http.Handler = http.HandlerFunc(f.serve)
	if f.wrap != nil {
		h = f.wrap(h)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWeb3Signer) id() string {
	return hexutil.Encode(crypto.FromECDSAPub(&f.key.PublicKey)[1:])
}

func (f *fakeWeb3Signer) signer() *ecdsa.PrivateKey {
	if f.wrongKey != nil {
		return f.wrongKey
	}
	return f.key
}

func (f *fakeWeb3Signer) serve(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, f.body)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/eth1/publicKeys":
		_ = json.NewEncoder(w).Encode([]string{f.id()})
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/eth1/sign/"):
		if !strings.EqualFold(strings.TrimPrefix(r.URL.Path, "/api/v1/eth1/sign/"), f.id()) {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"message":"Signer not found for identifier"}`)
			return
		}
		var req struct {
			Data hexutil.Bytes `json:"data"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if f.garbage != "" {
			_, _ = io.WriteString(w, f.garbage)
			return
		}
		sig, _ := crypto.Sign(crypto.Keccak256(req.Data), f.signer())
		if f.highS {
			s := new(big.Int).Sub(crypto.S256().Params().N, new(big.Int).SetBytes(sig[32:64]))
			s.FillBytes(sig[32:64])
			sig[64] ^= 1
		}
		sig[64] += 27
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, hexutil.Encode(sig))
	case r.Method == http.MethodPost && r.URL.Path == "/":
		f.rpc(w, r)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *fakeWeb3Signer) rpc(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params []struct {
			From                 common.Address  `json:"from"`
			To                   *common.Address `json:"to"`
			Gas                  hexutil.Uint64  `json:"gas"`
			MaxFeePerGas         *hexutil.Big    `json:"maxFeePerGas"`
			MaxPriorityFeePerGas *hexutil.Big    `json:"maxPriorityFeePerGas"`
			Value                *hexutil.Big    `json:"value"`
			Nonce                *hexutil.Uint64 `json:"nonce"`
			Data                 hexutil.Bytes   `json:"data"`
		} `json:"params"`
	}
	answer := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Method != "eth_signTransaction" || len(req.Params) != 1 || req.Params[0].Nonce == nil {
		answer(map[string]any{"jsonrpc": "2.0", "id": req.ID, "error": map[string]any{"code": -32602, "message": "Invalid params"}})
		return
	}
	p := req.Params[0]
	if f.rpcError != "" || p.From != crypto.PubkeyToAddress(f.key.PublicKey) {
		msg := f.rpcError
		if msg == "" {
			msg = "From address is not an unlocked account"
		}
		answer(map[string]any{"jsonrpc": "2.0", "id": req.ID, "error": map[string]any{"code": -32000, "message": msg}})
		return
	}
	nonce := uint64(*p.Nonce)
	if f.tamper {
		nonce++
	}
	tx := types.MustSignNewTx(f.signer(), types.LatestSignerForChainID(f.chainID), &types.DynamicFeeTx{
		ChainID: f.chainID, Nonce: nonce, GasTipCap: p.MaxPriorityFeePerGas.ToInt(), GasFeeCap: p.MaxFeePerGas.ToInt(),
		Gas: uint64(p.Gas), To: p.To, Value: p.Value.ToInt(), Data: p.Data,
	})
	raw, _ := tx.MarshalBinary()
	if f.garbage != "" {
		answer(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": f.garbage})
		return
	}
	answer(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": hexutil.Encode(raw)})
}
