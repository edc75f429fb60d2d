// Package web3signerfake is a FAKE of Web3Signer in eth1 mode, not the real
// one (a Java service we cannot run here), for tests and `pledge bench`. It
// speaks the wire format sidecar/signer/ecdsasigner reaches Web3Signer by,
// as Web3Signer's sources define it, with a real secp256k1 key:
//
//   - POST /api/v1/eth1/sign/{identifier} {"data": "0x…"} answers text/plain
//     0x r‖s‖v (v 27/28) over keccak256(data), no prefix; an unknown
//     identifier is 404 {"message": "Signer not found for identifier"};
//   - GET /api/v1/eth1/publicKeys lists the key's identifier;
//   - JSON-RPC eth_signTransaction on / answers the EIP-1559 transaction's
//     encoding, signed for the fake's chain id.
//
// Misbehaviours (a delay, another key, a high s, an error status, garbage, a
// tampered nonce) are set on the Fake before it serves.
package web3signerfake

import (
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Fake is an http.Handler playing Web3Signer for one key.
type Fake struct {
	Key     *ecdsa.PrivateKey
	ChainID *big.Int

	// Misbehaviours, set before serving.
	Delay       time.Duration     // answers this late (or not at all if the caller gives up)
	WrongKey    *ecdsa.PrivateKey // signs with this key instead
	HighS       bool              // answers the high-s twin of a root's signature
	Status      int               // answers every call with this status and Body
	Body        string
	RPCError    string // eth_signTransaction answers this JSON-RPC error
	Garbage     string // answers this instead of a signature or a transaction
	TamperNonce bool   // signs the transaction with the next nonce

	// Calls counts every request; Signs the roots and Txs the transactions signed.
	Calls, Signs, Txs atomic.Int64
}

// New returns a well-behaved fake for key on chainID.
func New(key *ecdsa.PrivateKey, chainID *big.Int) *Fake {
	return &Fake{Key: key, ChainID: chainID}
}

// ID is the key's eth1 identifier: the uncompressed public key without 0x04.
func (f *Fake) ID() string {
	return hexutil.Encode(crypto.FromECDSAPub(&f.Key.PublicKey)[1:])
}

func (f *Fake) signer() *ecdsa.PrivateKey {
	if f.WrongKey != nil {
		return f.WrongKey
	}
	return f.Key
}

// ServeHTTP answers one call.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.Calls.Add(1)
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if f.Status != 0 {
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/eth1/publicKeys":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]string{f.ID()})
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/eth1/sign/"):
		f.signRoot(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/":
		f.signTx(w, r)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *Fake) signRoot(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(strings.TrimPrefix(r.URL.Path, "/api/v1/eth1/sign/"), f.ID()) {
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
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if f.Garbage != "" {
		_, _ = io.WriteString(w, f.Garbage)
		return
	}
	sig, err := crypto.Sign(crypto.Keccak256(req.Data), f.signer())
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if f.HighS {
		s := new(big.Int).Sub(crypto.S256().Params().N, new(big.Int).SetBytes(sig[32:64]))
		s.FillBytes(sig[32:64])
		sig[64] ^= 1
	}
	sig[64] += 27
	f.Signs.Add(1)
	_, _ = io.WriteString(w, hexutil.Encode(sig))
}

func (f *Fake) signTx(w http.ResponseWriter, r *http.Request) {
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
	rpcError := func(code int, msg string) {
		answer(map[string]any{"error": map[string]any{"code": code, "message": msg}})
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Method != "eth_signTransaction" || len(req.Params) != 1 ||
		req.Params[0].Nonce == nil || req.Params[0].MaxFeePerGas == nil || req.Params[0].MaxPriorityFeePerGas == nil {
		rpcError(-32602, "Invalid params")
		return
	}
	p := req.Params[0]
	switch {
	case f.RPCError != "":
		rpcError(-32000, f.RPCError)
		return
	case p.From != crypto.PubkeyToAddress(f.Key.PublicKey):
		rpcError(-32000, "From address is not an unlocked account")
		return
	case f.Garbage != "":
		answer(map[string]any{"result": f.Garbage})
		return
	}
	nonce := uint64(*p.Nonce)
	if f.TamperNonce {
		nonce++
	}
	value := new(big.Int)
	if p.Value != nil {
		value = p.Value.ToInt()
	}
	tx, err := types.SignNewTx(f.signer(), types.LatestSignerForChainID(f.ChainID), &types.DynamicFeeTx{
		ChainID: f.ChainID, Nonce: nonce, GasTipCap: p.MaxPriorityFeePerGas.ToInt(), GasFeeCap: p.MaxFeePerGas.ToInt(),
		Gas: uint64(p.Gas), To: p.To, Value: value, Data: p.Data,
	})
	if err != nil {
		rpcError(-32000, err.Error())
		return
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		rpcError(-32000, err.Error())
		return
	}
	f.Txs.Add(1)
	answer(map[string]any{"result": hexutil.Encode(raw)})
}
