package ecdsasigner

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

// web3signer reaches Web3Signer in eth1 mode (`web3signer eth1`):
//   - a promise through its REST API, POST /api/v1/eth1/sign/{identifier}
//     with {"data": "0x…"}: Web3Signer signs keccak256(data) with no prefix
//     and answers r ‖ s ‖ v (v 27/28) as text, so it is sent the signing
//     root's preimage and returns §2.1's signature;
//   - a transaction through its JSON-RPC eth_signTransaction on the same
//     port, which answers the signed transaction's encoding. Web3Signer signs
//     for its own --chain-id; the answer is checked for ours.
//
// The identifier is the key's uncompressed public key without the 0x04
// prefix (64 bytes, 0x-hex), as GET /api/v1/eth1/publicKeys lists it.
type web3signer struct {
	http *signer.Client
	id   string // 0x + 128 lowercase hex
	rpc  *rpcConn
}

// NewWeb3Signer returns a Signer for the key pub held by the Web3Signer at
// r.URL (eth1 mode). It does no I/O.
func NewWeb3Signer(r Remote, pub *ecdsa.PublicKey, opts ...Option) (*Signer, error) {
	if pub == nil {
		return nil, fmt.Errorf("%w: no Web3Signer public key", ErrConfig)
	}
	hc, err := signer.NewClient(r)
	if err != nil {
		return nil, err
	}
	w := &web3signer{
		http: hc,
		id:   hexutil.Encode(crypto.FromECDSAPub(pub)[1:]),
		rpc:  &rpcConn{target: hc.URL(), opts: rpcOptions(hc, r)},
	}
	return newSigner(w, crypto.PubkeyToAddress(*pub), opts)
}

// Web3SignerPublicKey parses a Web3Signer eth1 identifier (the 64-byte
// uncompressed public key, 0x04 prefix optional) or a compressed key.
func Web3SignerPublicKey(s string) (*ecdsa.PublicKey, error) {
	b, err := hexutil.Decode(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrConfig, err)
	}
	var pub *ecdsa.PublicKey
	switch len(b) {
	case 64:
		pub, err = crypto.UnmarshalPubkey(append([]byte{4}, b...))
	case 65:
		pub, err = crypto.UnmarshalPubkey(b)
	case 33:
		pub, err = crypto.DecompressPubkey(b)
	default:
		return nil, fmt.Errorf("%w: public key of %d bytes (want the 64-byte identifier Web3Signer lists)", ErrConfig, len(b))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrConfig, err)
	}
	return pub, nil
}

func (w *web3signer) kind() string     { return KindWeb3Signer }
func (w *web3signer) endpoint() string { return w.http.URL() }

// do makes one REST exchange and returns a 200 answer's body.
func (w *web3signer) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	status, answer, err := w.http.Do(ctx, method, path, body, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, signer.StatusError(method, path, status, answer)
	}
	return answer, nil
}

func (w *web3signer) signRoot(ctx context.Context, _ common.Address, preimage []byte, _ common.Hash) ([]byte, error) {
	body, err := json.Marshal(struct {
		Data hexutil.Bytes `json:"data"`
	}{preimage})
	if err != nil {
		return nil, err
	}
	path := "/api/v1/eth1/sign/" + w.id
	answer, err := w.do(ctx, http.MethodPost, path, body)
	if err != nil {
		return nil, err
	}
	// text/plain "0x…"; a JSON string is taken too.
	text := strings.Trim(strings.TrimSpace(string(answer)), `"`)
	sig, err := hexutil.Decode(text)
	if err != nil {
		return nil, fmt.Errorf("%w: POST %s: signature %q: %w", ErrMalformed, path, signer.Truncate(text), err)
	}
	return sig, nil
}

// web3signerTx is eth_signTransaction's parameter for an EIP-1559 transaction.
type web3signerTx struct {
	From                 common.Address  `json:"from"`
	To                   *common.Address `json:"to,omitempty"`
	Gas                  hexutil.Uint64  `json:"gas"`
	MaxFeePerGas         *hexutil.Big    `json:"maxFeePerGas"`
	MaxPriorityFeePerGas *hexutil.Big    `json:"maxPriorityFeePerGas"`
	Value                *hexutil.Big    `json:"value"`
	Nonce                hexutil.Uint64  `json:"nonce"`
	Data                 hexutil.Bytes   `json:"data"`
}

func (w *web3signer) signTx(ctx context.Context, from common.Address, tx *types.Transaction) (*types.Transaction, error) {
	if len(tx.AccessList()) > 0 {
		return nil, fmt.Errorf("%w: Web3Signer's eth_signTransaction is sent no access list", ErrUnsupported)
	}
	res, err := w.rpc.call(ctx, "eth_signTransaction", web3signerTx{
		From:                 from,
		To:                   tx.To(),
		Gas:                  hexutil.Uint64(tx.Gas()),
		MaxFeePerGas:         (*hexutil.Big)(tx.GasFeeCap()),
		MaxPriorityFeePerGas: (*hexutil.Big)(tx.GasTipCap()),
		Value:                (*hexutil.Big)(valueOf(tx)),
		Nonce:                hexutil.Uint64(tx.Nonce()),
		Data:                 tx.Data(),
	})
	if err != nil {
		return nil, err
	}
	var raw hexutil.Bytes
	if err := json.Unmarshal(res, &raw); err != nil {
		return nil, fmt.Errorf("%w: eth_signTransaction: %s: %w", ErrMalformed, signer.Truncate(string(res)), err)
	}
	signed := new(types.Transaction)
	if err := signed.UnmarshalBinary(raw); err != nil {
		return nil, fmt.Errorf("%w: eth_signTransaction: raw transaction: %w", ErrMalformed, err)
	}
	return signed, nil
}

// holds lists Web3Signer's eth1 keys.
func (w *web3signer) holds(ctx context.Context, _ common.Address) error {
	const path = "/api/v1/eth1/publicKeys"
	answer, err := w.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	var keys []string
	if err := json.Unmarshal(answer, &keys); err != nil {
		return fmt.Errorf("%w: GET %s: %w", ErrMalformed, path, err)
	}
	for _, k := range keys {
		if strings.EqualFold(strings.TrimSpace(k), w.id) {
			return nil
		}
	}
	return fmt.Errorf("%w: Web3Signer lists %d eth1 keys, not %s", ErrUnknownKey, len(keys), w.id)
}
