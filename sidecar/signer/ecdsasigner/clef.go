package ecdsasigner

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/sidecar/signer"
)

// clef reaches go-ethereum's Clef through its external API (account_*,
// API 6.x), over HTTP or its IPC socket. Clef signs transactions
// (account_signTransaction) but no raw 32-byte root: account_signData
// hashes an EIP-191 prefix (text/plain 0x19 "Ethereum Signed Message",
// text/validator 0x19 0x00) or a Clique header's RLP, account_signTypedData
// the EIP-712 0x19 0x01 form. So it signs the committer's and the poster's
// transactions and never a promise (docs/protocol.md §2.1).
type clef struct {
	where string // URL or IPC path, without credentials
	conn  *rpcConn
	// methods are the Solidity signatures of the calls Pledge sends, by
	// selector: Clef refuses call data whose selector is not in its 4byte
	// database unless the call names its method (account_signTransaction's
	// second parameter), which Clef then checks against the data.
	methods map[[4]byte]string
}

// NewClef returns a Signer for addr through the Clef at r.URL (http(s)://
// host:port, or the path of clef.ipc). methods are the Solidity signatures
// ("release(address,uint64[])") of the contract calls it will be asked to
// sign: Clef is told which method each transaction calls, or it refuses
// call data its 4byte database does not know. Clef must run with rules that
// approve the account's transactions and listing, and hold the account's
// password (clef setpw): see the signers documentation. It does no I/O.
func NewClef(r Remote, addr common.Address, methods []string, opts ...Option) (*Signer, error) {
	known := make(map[[4]byte]string, len(methods))
	for _, m := range methods {
		if _, err := abi.ParseSelector(m); err != nil {
			return nil, fmt.Errorf("%w: method signature %q: %w", ErrConfig, m, err)
		}
		var id [4]byte
		copy(id[:], crypto.Keccak256([]byte(m))[:4])
		known[id] = m
	}
	target := strings.TrimSpace(r.URL)
	if target == "" {
		return nil, fmt.Errorf("%w: no Clef endpoint", ErrConfig)
	}
	var copts []rpc.ClientOption
	if strings.Contains(target, "://") {
		hc, err := signer.NewClient(r)
		if err != nil {
			return nil, err
		}
		target = hc.URL()
		copts = rpcOptions(hc, r)
	} else if r.TLS != nil || r.BearerToken != "" {
		return nil, fmt.Errorf("%w: TLS and bearer tokens need an http(s) Clef endpoint, not the IPC path %s", ErrConfig, target)
	}
	return newSigner(&clef{where: target, conn: &rpcConn{target: target, opts: copts}, methods: known}, addr, opts)
}

func (c *clef) kind() string     { return KindClef }
func (c *clef) endpoint() string { return c.where }

// clefTx is Clef's SendTxArgs for an EIP-1559 transaction.
type clefTx struct {
	From                 common.MixedcaseAddress  `json:"from"`
	To                   *common.MixedcaseAddress `json:"to"`
	Gas                  hexutil.Uint64           `json:"gas"`
	MaxFeePerGas         *hexutil.Big             `json:"maxFeePerGas"`
	MaxPriorityFeePerGas *hexutil.Big             `json:"maxPriorityFeePerGas"`
	Value                hexutil.Big              `json:"value"`
	Nonce                hexutil.Uint64           `json:"nonce"`
	Data                 hexutil.Bytes            `json:"data"`
	ChainID              *hexutil.Big             `json:"chainId"`
}

func (c *clef) signTx(ctx context.Context, from common.Address, tx *types.Transaction) (*types.Transaction, error) {
	args := clefTx{
		From:                 common.NewMixedcaseAddress(from),
		Gas:                  hexutil.Uint64(tx.Gas()),
		MaxFeePerGas:         (*hexutil.Big)(tx.GasFeeCap()),
		MaxPriorityFeePerGas: (*hexutil.Big)(tx.GasTipCap()),
		Value:                hexutil.Big(*valueOf(tx)),
		Nonce:                hexutil.Uint64(tx.Nonce()),
		Data:                 tx.Data(),
		ChainID:              (*hexutil.Big)(tx.ChainId()),
	}
	if to := tx.To(); to != nil {
		m := common.NewMixedcaseAddress(*to)
		args.To = &m
	}
	if len(tx.AccessList()) > 0 {
		return nil, fmt.Errorf("%w: Clef's account_signTransaction is sent no access list", ErrUnsupported)
	}
	var method *string
	if data := tx.Data(); len(data) >= 4 {
		if m, ok := c.methods[[4]byte(data[:4])]; ok {
			method = &m
		}
	}
	res, err := c.conn.call(ctx, "account_signTransaction", args, method)
	if err != nil {
		return nil, err
	}
	var out struct {
		Raw hexutil.Bytes `json:"raw"`
	}
	if err := json.Unmarshal(res, &out); err != nil || len(out.Raw) == 0 {
		return nil, fmt.Errorf("%w: account_signTransaction: no raw transaction in %s", ErrMalformed, signer.Truncate(string(res)))
	}
	signed := new(types.Transaction)
	if err := signed.UnmarshalBinary(out.Raw); err != nil {
		return nil, fmt.Errorf("%w: account_signTransaction: raw transaction: %w", ErrMalformed, err)
	}
	return signed, nil
}

func (c *clef) signRoot(context.Context, common.Address, []byte, common.Hash) ([]byte, error) {
	return nil, fmt.Errorf("%w: Clef signs no raw 32-byte root (account_signData and account_signTypedData add an EIP-191 or EIP-712 prefix), which a promise needs (docs/protocol.md §2.1)", ErrUnsupported)
}

// holds lists Clef's accounts (account_list, which its rules must approve).
func (c *clef) holds(ctx context.Context, addr common.Address) error {
	res, err := c.conn.call(ctx, "account_list")
	if err != nil {
		return err
	}
	var accounts []common.Address
	if err := json.Unmarshal(res, &accounts); err != nil {
		return fmt.Errorf("%w: account_list: %w", ErrMalformed, err)
	}
	for _, a := range accounts {
		if a == addr {
			return nil
		}
	}
	return fmt.Errorf("%w: Clef lists %d accounts, not %s (or its rules hide it)", ErrUnknownKey, len(accounts), addr)
}

func valueOf(tx *types.Transaction) *big.Int {
	if v := tx.Value(); v != nil {
		return v
	}
	return new(big.Int)
}
