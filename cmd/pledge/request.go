package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/keys"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

const (
	flagKeyFile = "key-file"
	flagTo      = "to"
	flagValue   = "value"
	flagSlot    = "slot"
	flagWait    = "wait"
)

// requestCommand is a minimal wallet: it signs a transfer, asks a sidecar
// for a preconfirmation, verifies the promise against the committer the
// sidecar names for the slot, and can wait for the receipt.
func requestCommand() *cli.Command {
	str := func(name, usage, value string) cli.Flag {
		return &cli.StringFlag{Name: name, Usage: usage, Value: value, EnvVars: envVars(name)}
	}
	return &cli.Command{
		Name:  "request",
		Usage: "sign a transfer, get it preconfirmed by a sidecar, verify the promise, optionally wait for inclusion",
		Flags: []cli.Flag{
			str(flagSidecarURL, "the sidecar's user API", "http://127.0.0.1:8017"),
			str(flagExecutionURL, "execution client JSON-RPC URL (nonce, fees, receipt)", "http://127.0.0.1:8545"),
			str(flagSlasher, "Slasher address (the slasher the promise's commitment names)", ""),
			str(flagKeyFile, "sender's key: a raw hex key file or a geth keystore file", ""),
			str(flagPasswordFile, "password file of a --key-file keystore", ""),
			str(flagTo, "recipient address", "0x000000000000000000000000000000000000dEaD"),
			str(flagValue, "amount (wei, or with gwei/ether suffix)", "1gwei"),
			&cli.Uint64Flag{Name: flagSlot, Usage: "slot to ask for (0: the first one on offer)", EnvVars: envVars(flagSlot)},
			str(flagTip, "priority fee per gas", "5gwei"),
			str(flagFeeCap, "max fee per gas (0: twice the current base fee plus the tip)", "0"),
			&cli.BoolFlag{Name: flagWait, Usage: "wait for the receipt, then for the slot's ledger, and check the promise is a leaf of it (backed by collateral)", EnvVars: envVars(flagWait)},
		},
		Action: runRequest,
	}
}

const flagPasswordFile = "password-file"

func runRequest(c *cli.Context) error {
	ctx := c.Context
	slasher, err := addressFlag(c, flagSlasher)
	if err != nil {
		return err
	}
	to, err := addressFlag(c, flagTo)
	if err != nil {
		return err
	}
	value, err := parseWei(c.String(flagValue))
	if err != nil {
		return fmt.Errorf("invalid --%s: %w", flagValue, err)
	}
	tip, err := parseWei(c.String(flagTip))
	if err != nil {
		return fmt.Errorf("invalid --%s: %w", flagTip, err)
	}
	feeCap, err := parseWei(c.String(flagFeeCap))
	if err != nil {
		return fmt.Errorf("invalid --%s: %w", flagFeeCap, err)
	}
	if c.String(flagKeyFile) == "" {
		return fmt.Errorf("missing --%s: the sender's key", flagKeyFile)
	}
	var pw keys.PasswordSource
	if p := c.String(flagPasswordFile); p != "" {
		pw = keys.PasswordFile(p)
	}
	key, err := keys.LoadCommitterKey(c.String(flagKeyFile), pw)
	if err != nil {
		return fmt.Errorf("--%s: %w", flagKeyFile, err)
	}
	el, err := ethclient.DialContext(ctx, c.String(flagExecutionURL))
	if err != nil {
		return fmt.Errorf("execution client: %w", err)
	}
	defer el.Close()
	chainID, err := el.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("execution client %s: %w", c.String(flagExecutionURL), err)
	}
	sender := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := el.PendingNonceAt(ctx, sender)
	if err != nil {
		return fmt.Errorf("nonce of %s: %w", sender, err)
	}
	if feeCap.Sign() == 0 {
		head, err := el.HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("head: %w", err)
		}
		feeCap = new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	}

	sidecarRPC, err := rpc.DialContext(ctx, c.String(flagSidecarURL))
	if err != nil {
		return fmt.Errorf("sidecar %s: %w", c.String(flagSidecarURL), err)
	}
	defer sidecarRPC.Close()
	var slots protocol.SlotInfoResponse
	if err := rpcCall(ctx, sidecarRPC, "slots", &slots); err != nil {
		return err
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21_000, To: &to, Value: value,
	})
	if err != nil {
		return err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return err
	}
	// Ask for the requested slot, or the first on offer; when no slot was
	// named and the first one's deadline passes while we ask, take the next.
	var (
		info protocol.SlotInfo
		sc   protocol.SignedCommitment
	)
	for after := uint64(0); ; after = info.Slot + 1 {
		if info, err = pickSlot(slots, c.Uint64(flagSlot), after); err != nil {
			return err
		}
		payload, err := protocol.EncodeRequestPayload(protocol.TypeL1Inclusion, info.Slot, [][]byte{raw})
		if err != nil {
			return err
		}
		req := protocol.CommitmentRequest{CommitmentType: protocol.TypeL1Inclusion, Payload: payload, Slasher: slasher}
		err = rpcCall(ctx, sidecarRPC, "commitmentRequest", &sc, req)
		var rerr rpc.Error
		if errors.As(err, &rerr) && rerr.ErrorCode() == codeDeadlinePassed && c.Uint64(flagSlot) == 0 {
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	// Trust nothing the sidecar says without checking it: the promise must be
	// signed by the committer it named for the slot, for our tx and slot.
	p, err := sc.Verify(chainID.Uint64(), info.Committer)
	if err != nil {
		return fmt.Errorf("the sidecar's promise does not verify: %w", err)
	}
	if p.Slot != info.Slot || p.Inclusions[0].TxHash != tx.Hash() || sc.Commitment.Slasher != slasher {
		return errors.New("the sidecar's promise is not for the requested tx, slot and slasher")
	}
	w := c.App.Writer
	fmt.Fprintf(w, "promised  tx %s nonce %d in slot %d\n", tx.Hash().Hex(), nonce, p.Slot)
	fmt.Fprintf(w, "          operator %s, committer %s, slash amount %s wei\n", p.Operator.Hex(), info.Committer.Hex(), p.SlashAmount)
	fmt.Fprintf(w, "          request_hash %s (commitmentResult finds it again)\n", sc.Commitment.RequestHash.Hex())
	js, _ := json.Marshal(sc)
	fmt.Fprintf(w, "promise   %s\n", js)
	if !c.Bool(flagWait) {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	for {
		rcpt, err := el.TransactionReceipt(wctx, tx.Hash())
		if err == nil {
			fmt.Fprintf(w, "included  block %d, index %d, status %d\n", rcpt.BlockNumber, rcpt.TransactionIndex, rcpt.Status)
			break
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("no receipt for %s yet: if slot %d has passed, the promise is broken; hand it to a watcher (pledge slash)", tx.Hash(), p.Slot)
		case <-time.After(time.Second):
		}
	}
	return waitBacked(wctx, w, el, slasher, chainID.Uint64(), p)
}

// waitBacked waits for the promise's slot ledger and checks the promise is a
// leaf of it with its own slash amount: only then does collateral back it
// (docs/protocol.md §9.0). A wallet that finds no leaf by the end of the
// ledger grace holds a void promise.
func waitBacked(ctx context.Context, w io.Writer, el *ethclient.Client, slasher common.Address, chainID uint64, p *protocol.Promise) error {
	sl, err := bindings.NewSlasher(slasher, el)
	if err != nil {
		return err
	}
	regAddr, err := sl.Registry(&bind.CallOpts{Context: ctx})
	if err != nil {
		return fmt.Errorf("Slasher.registry: %w", err)
	}
	reg, err := bindings.NewRegistry(regAddr, el)
	if err != nil {
		return err
	}
	grace, err := reg.LedgerGrace(&bind.CallOpts{Context: ctx})
	if err != nil {
		return fmt.Errorf("Registry.ledgerGrace: %w", err)
	}
	digest := p.Digest(protocol.Domain{ChainID: chainID, Slasher: slasher})
	for {
		l, err := reg.LedgerOf(&bind.CallOpts{Context: ctx}, p.Operator, p.Slot)
		if err != nil {
			return fmt.Errorf("Registry.ledgerOf: %w", err)
		}
		if l.Count > 0 {
			it, err := reg.FilterLedgerOpened(&bind.FilterOpts{Context: ctx}, []common.Address{p.Operator}, []uint64{p.Slot})
			if err != nil {
				return fmt.Errorf("LedgerOpened events: %w", err)
			}
			var lg *protocol.Ledger
			for it.Next() {
				if it.Event.Root == l.Root {
					lg, err = protocol.DecodeLedger(it.Event.Leaves)
				}
			}
			if err != nil || lg == nil || lg.Root() != l.Root {
				return fmt.Errorf("slot %d's ledger: leaves not found or not matching its root (%v)", p.Slot, err)
			}
			i, found := lg.Find(digest)
			if !found || lg.Leaves[i].Amount.Cmp(p.SlashAmount) != 0 {
				return fmt.Errorf("VOID: slot %d's ledger (%d promises) does not hold this promise with its slash amount: no collateral backs it", p.Slot, l.Count)
			}
			fmt.Fprintf(w, "backed    leaf %d of slot %d's ledger (%d promises, root %s)\n", i, p.Slot, l.Count, common.Hash(l.Root).Hex())
			return nil
		}
		now, err := reg.CurrentSlot(&bind.CallOpts{Context: ctx})
		if err == nil && now > p.Slot+grace {
			return fmt.Errorf("VOID: no ledger for slot %d by slot %d (grace %d): no collateral backs this promise", p.Slot, now, grace)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("slot %d's ledger not open yet: %w", p.Slot, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// codeDeadlinePassed is the sidecar's "deadline passed for this slot" (docs/protocol.md §4).
const codeDeadlinePassed = -32005

// pickSlot takes the requested slot, or the first one from `after` on
// offer for L1 inclusion.
func pickSlot(slots protocol.SlotInfoResponse, want, after uint64) (protocol.SlotInfo, error) {
	for _, s := range slots.Slots {
		if want != 0 && s.Slot != want || s.Slot < after {
			continue
		}
		for _, o := range s.Offerings {
			for _, t := range o.CommitmentTypes {
				if t == protocol.TypeL1Inclusion {
					return s, nil
				}
			}
		}
	}
	if want != 0 {
		return protocol.SlotInfo{}, fmt.Errorf("slot %d is not on offer for L1 inclusion", want)
	}
	return protocol.SlotInfo{}, errors.New("no slot on offer for L1 inclusion")
}

// rpcCall makes one JSON-RPC call and turns an error answer into one line
// that keeps the sidecar's code (docs/protocol.md §4).
func rpcCall(ctx context.Context, c *rpc.Client, method string, out any, params ...any) error {
	err := c.CallContext(ctx, out, method, params...)
	var rerr rpc.Error
	if errors.As(err, &rerr) {
		return fmt.Errorf("%s refused: %d %w", method, rerr.ErrorCode(), err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}
