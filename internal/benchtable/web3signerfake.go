package benchtable

import (
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// web3signerFake is a FAKE of Web3Signer in eth1 mode, not the real one (a
// Java service), for the remote-signer rows: it speaks the wire format
// sidecar/signer/ecdsasigner reaches Web3Signer by (its tests hold the same
// fake with misbehaviours) — POST /api/v1/eth1/sign/{identifier} {"data"}
// answering text/plain 0x r‖s‖v (v 27/28) over keccak256(data), no prefix;
// GET /api/v1/eth1/publicKeys; JSON-RPC eth_signTransaction on / answering
// the signed transaction's encoding for its chain — with a real secp256k1
// key, on an httptest server on loopback in the bench process.
type web3signerFake struct {
	key     *ecdsa.PrivateKey
	chainID *big.Int
	srv     *httptest.Server
	// signs counts the promises (raw roots) it signed, txs the transactions.
	signs, txs atomic.Uint64
}

func startWeb3SignerFake(key *ecdsa.PrivateKey, chainID *big.Int) *web3signerFake {
	f := &web3signerFake{key: key, chainID: chainID}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func (f *web3signerFake) close() { f.srv.Close() }

// id is the key's eth1 identifier: the uncompressed public key without 0x04.
func (f *web3signerFake) id() string {
	return hexutil.Encode(crypto.FromECDSAPub(&f.key.PublicKey)[1:])
}

// committerFlags are `pledge sidecar`'s flags signing the promises through it.
func (f *web3signerFake) committerFlags() []string {
	return []string{"--committer-signer", "web3signer", "--committer-signer-url", f.srv.URL, "--committer-signer-pubkey", f.id()}
}

func (f *web3signerFake) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/eth1/publicKeys":
		w.Header().Set("Content-Type", "application/json")
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
		sig, err := crypto.Sign(crypto.Keccak256(req.Data), f.key)
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		sig[64] += 27
		f.signs.Add(1)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, hexutil.Encode(sig))
	case r.Method == http.MethodPost && r.URL.Path == "/":
		f.rpc(w, r)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// rpc answers eth_signTransaction for an EIP-1559 transaction of its key.
func (f *web3signerFake) rpc(w http.ResponseWriter, r *http.Request) {
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
	answer := func(v map[string]any) {
		v["jsonrpc"], v["id"] = "2.0", req.ID
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Method != "eth_signTransaction" || len(req.Params) != 1 ||
		req.Params[0].Nonce == nil || req.Params[0].MaxFeePerGas == nil || req.Params[0].MaxPriorityFeePerGas == nil {
		answer(map[string]any{"error": map[string]any{"code": -32602, "message": "Invalid params"}})
		return
	}
	p := req.Params[0]
	if p.From != crypto.PubkeyToAddress(f.key.PublicKey) {
		answer(map[string]any{"error": map[string]any{"code": -32000, "message": "From address is not an unlocked account"}})
		return
	}
	value := new(big.Int)
	if p.Value != nil {
		value = p.Value.ToInt()
	}
	tx, err := types.SignNewTx(f.key, types.LatestSignerForChainID(f.chainID), &types.DynamicFeeTx{
		ChainID: f.chainID, Nonce: uint64(*p.Nonce), GasTipCap: p.MaxPriorityFeePerGas.ToInt(), GasFeeCap: p.MaxFeePerGas.ToInt(),
		Gas: uint64(p.Gas), To: p.To, Value: value, Data: p.Data,
	})
	if err != nil {
		answer(map[string]any{"error": map[string]any{"code": -32000, "message": err.Error()}})
		return
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		answer(map[string]any{"error": map[string]any{"code": -32000, "message": err.Error()}})
		return
	}
	f.txs.Add(1)
	answer(map[string]any{"result": hexutil.Encode(raw)})
}
