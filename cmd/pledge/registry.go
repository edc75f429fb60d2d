package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/registry"
)

// Flags of `pledge registry`.
const (
	regFlagRPCURL     = "rpc-url"
	regFlagRegistry   = "registry"
	regFlagCommitter  = "committer"
	regFlagCollateral = "collateral"
	regFlagAmount     = "amount"
	regFlagOperator   = "operator"
	regFlagTxTimeout  = "tx-timeout"
)

// registryCommand is `pledge registry`: an operator's life in the Registry
// contract (register validator keys with collateral, top up, rotate the
// committer, revoke a leaked one, exit, withdraw) and its status, against
// any JSON-RPC endpoint.
func registryCommand() *cli.Command {
	sub := []*cli.Command{
		{
			Name:      "register",
			Usage:     "register the account as an operator with validator keys, a committer and collateral",
			UsageText: "pledge registry register --bls-keys PATH [--bls-keys PATH ...] --committer ADDRESS [--collateral AMOUNT]",
			Flags: append(append(connFlags(), blsFlags()...),
				&cli.StringFlag{Name: regFlagCommitter, Usage: "address whose signatures bind the operator's promises", Required: true, EnvVars: envVars(regFlagCommitter)},
				&cli.StringFlag{Name: regFlagCollateral, Usage: "collateral to post, in ETH (or with a unit: 1.5eth, 100gwei, 1000wei); default: the registry's minimum", EnvVars: envVars(regFlagCollateral)},
			),
			Action: registerAction,
		},
		{
			Name:   "deposit",
			Usage:  "add collateral to the account's operator record",
			Flags:  append(connFlags(), &cli.StringFlag{Name: regFlagAmount, Usage: "amount in ETH (or with a unit: 1.5eth, 100gwei, 1000wei)", Required: true, EnvVars: envVars(regFlagAmount)}),
			Action: depositAction,
		},
		{
			Name:   "set-committer",
			Usage:  "name a new committer; it takes effect after the registry's rotation delay",
			Flags:  append(connFlags(), &cli.StringFlag{Name: regFlagCommitter, Usage: "the new committer address", Required: true, EnvVars: envVars(regFlagCommitter)}),
			Action: setCommitterAction,
		},
		{
			Name: "revoke-committer",
			Usage: "emergency: void a committer key at once, for every slot (a leaked key); its promises in no ledger become void, " +
				"ledgers it opened stay; name a new committer with set-committer",
			Flags:  append(connFlags(), &cli.StringFlag{Name: regFlagCommitter, Usage: "the committer address to revoke", Required: true, EnvVars: envVars(regFlagCommitter)}),
			Action: revokeCommitterAction,
		},
		{
			Name:   "unregister",
			Usage:  "start the exit; the collateral stays slashable until the unregistration delay is over",
			Flags:  connFlags(),
			Action: unregisterAction,
		},
		{
			Name:   "withdraw",
			Usage:  "pay the collateral back to the account once the unregistration delay is over",
			Flags:  connFlags(),
			Action: withdrawAction,
		},
		{
			Name:   "status",
			Usage:  "print an operator's state, collateral, keys, committer and exit slots",
			Flags:  append(connFlags(), &cli.StringFlag{Name: regFlagOperator, Usage: "operator address (default: the account of the key flags)", EnvVars: envVars(regFlagOperator)}),
			Action: statusAction,
		},
	}
	for _, c := range sub {
		c.OnUsageError = usageError
	}
	return &cli.Command{
		Name:         "registry",
		Usage:        "manage an operator in the Pledge Registry contract",
		Subcommands:  sub,
		OnUsageError: usageError,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return fmt.Errorf("unknown command \"registry %s\": run \"pledge registry help\" for the list", c.Args().First())
			}
			return cli.ShowSubcommandHelp(c)
		},
	}
}

// connFlags are the flags every registry subcommand takes: where the chain
// and the contract are, the operator's account, and how long to wait.
func connFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: regFlagRPCURL, Usage: "execution client JSON-RPC URL (http, ws or ipc)", Required: true, EnvVars: envVars(regFlagRPCURL)},
		&cli.StringFlag{Name: regFlagRegistry, Usage: "address of the Registry contract", Required: true, EnvVars: envVars(regFlagRegistry)},
		&cli.DurationFlag{Name: regFlagTxTimeout, Usage: "how long to wait for a transaction to be mined", Value: 5 * time.Minute, EnvVars: envVars(regFlagTxTimeout)},
	}, accountFlags()...)
}

// session is one command's connection to the Registry.
type session struct {
	eth      *ethclient.Client
	client   *registry.Client
	address  common.Address
	key      *ecdsa.PrivateKey // nil when no account was given
	operator common.Address    // the account's address
	chainID  *big.Int
	out      io.Writer
	timeout  time.Duration
}

// openSession loads the account key (required when needKey), then dials the
// node and checks there is a contract at --registry. Local mistakes are
// reported before any network I/O.
func openSession(c *cli.Context, needKey bool) (*session, error) {
	addr, err := parseAddress(regFlagRegistry, c.String(regFlagRegistry))
	if err != nil {
		return nil, err
	}
	s := &session{address: addr, out: c.App.Writer, timeout: c.Duration(regFlagTxTimeout)}
	if needKey || hasAccount(c) {
		if s.key, err = loadAccountKey(c); err != nil {
			return nil, err
		}
		s.operator = crypto.PubkeyToAddress(s.key.PublicKey)
	}
	url := c.String(regFlagRPCURL)
	eth, err := ethclient.DialContext(c.Context, url)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", url, err)
	}
	s.eth = eth
	if s.chainID, err = eth.ChainID(c.Context); err != nil {
		eth.Close()
		return nil, fmt.Errorf("read chain id from %s: %w", url, err)
	}
	code, err := eth.CodeAt(c.Context, addr, nil)
	if err != nil {
		eth.Close()
		return nil, fmt.Errorf("read code at %s: %w", addr, err)
	}
	if len(code) == 0 {
		eth.Close()
		return nil, fmt.Errorf("no contract at %s on chain %s: check --%s", addr, s.chainID, regFlagRegistry)
	}
	if s.client, err = registry.New(eth, addr); err != nil {
		eth.Close()
		return nil, err
	}
	return s, nil
}

func (s *session) close() { s.eth.Close() }

func (s *session) opts() (*bind.TransactOpts, error) {
	o, err := bind.NewKeyedTransactorWithChainID(s.key, s.chainID)
	if err != nil {
		return nil, fmt.Errorf("signer for chain %s: %w", s.chainID, err)
	}
	return o, nil
}

// send sends one Registry transaction and waits for it to be mined. A refusal
// comes back as one readable line (see explain).
func (s *session) send(c *cli.Context, names *keyNames, fn func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, error) {
	o, err := s.opts()
	if err != nil {
		return nil, err
	}
	tx, err := fn(c.Context, o)
	if err != nil {
		return nil, explain(err, names)
	}
	appFrom(c).log.Info().Str("tx_hash", tx.Hash().Hex()).Msg("transaction sent, waiting for it to be mined")
	ctx, cancel := context.WithTimeout(c.Context, s.timeout)
	defer cancel()
	rcpt, err := s.client.Wait(ctx, tx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("transaction %s not mined within %s (--%s); it may still be", tx.Hash(), s.timeout, regFlagTxTimeout)
		}
		return nil, explain(err, names)
	}
	return rcpt, nil
}

func txNote(r *types.Receipt) string {
	return fmt.Sprintf("tx %s, block %s, gas %d", r.TxHash.Hex(), r.BlockNumber, r.GasUsed)
}

func registerAction(c *cli.Context) error {
	committer, err := parseAddress(regFlagCommitter, c.String(regFlagCommitter))
	if err != nil {
		return err
	}
	var collateral *big.Int
	if v := c.String(regFlagCollateral); v != "" {
		if collateral, err = parseAmount(regFlagCollateral, v); err != nil {
			return err
		}
	}
	secrets, loaded, err := loadBLSKeys(c)
	if err != nil {
		return err
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	if collateral == nil {
		if collateral, err = s.client.Contract().MinCollateral(&bind.CallOpts{Context: c.Context}); err != nil {
			return fmt.Errorf("read the registry's minimum collateral: %w", err)
		}
	}
	names := &keyNames{byHash: map[common.Hash]string{}}
	for _, k := range loaded {
		names.byHash[registry.KeyHash(k.Pubkey[:])] = k.Pubkey.String()
		names.byIndex = append(names.byIndex, k.Pubkey.String())
	}
	r, err := s.send(c, names, func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error) {
		return s.client.Register(ctx, o, secrets, committer, collateral)
	})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	fmt.Fprintf(s.out, "registered operator %s with %d validator key(s), collateral %s, committer %s (%s)\n",
		s.operator.Hex(), len(loaded), formatWei(collateral), committer.Hex(), txNote(r))
	for _, k := range loaded {
		fmt.Fprintf(s.out, "  key %s (%s)\n", k.Pubkey, k.Source)
	}
	return nil
}

func depositAction(c *cli.Context) error {
	amount, err := parseAmount(regFlagAmount, c.String(regFlagAmount))
	if err != nil {
		return err
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	r, err := s.send(c, nil, func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error) {
		return s.client.Deposit(ctx, o, amount)
	})
	if err != nil {
		return fmt.Errorf("deposit: %w", err)
	}
	total, err := s.client.Collateral(c.Context, s.operator)
	if err != nil {
		return fmt.Errorf("deposit mined (%s), but reading the collateral failed: %w", txNote(r), err)
	}
	fmt.Fprintf(s.out, "deposited %s for operator %s: collateral now %s (%s)\n", formatWei(amount), s.operator.Hex(), formatWei(total), txNote(r))
	return nil
}

func setCommitterAction(c *cli.Context) error {
	committer, err := parseAddress(regFlagCommitter, c.String(regFlagCommitter))
	if err != nil {
		return err
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	r, err := s.send(c, nil, func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error) {
		return s.client.SetCommitter(ctx, o, committer)
	})
	if err != nil {
		return fmt.Errorf("set committer: %w", err)
	}
	from := "after the rotation delay"
	for _, l := range r.Logs {
		if ev, err := s.client.Contract().ParseCommitterChanged(*l); err == nil {
			from = fmt.Sprintf("from slot %d", ev.EffectiveSlot)
		}
	}
	fmt.Fprintf(s.out, "committer of operator %s will be %s %s (%s)\n", s.operator.Hex(), committer.Hex(), from, txNote(r))
	return nil
}

func revokeCommitterAction(c *cli.Context) error {
	committer, err := parseAddress(regFlagCommitter, c.String(regFlagCommitter))
	if err != nil {
		return err
	}
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	r, err := s.send(c, nil, func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error) {
		return s.client.RevokeCommitter(ctx, o, committer)
	})
	if err != nil {
		return fmt.Errorf("revoke committer: %w", err)
	}
	fmt.Fprintf(s.out, "committer %s of operator %s is revoked for every slot (%s); name a new one with \"pledge registry set-committer\"\n",
		committer.Hex(), s.operator.Hex(), txNote(r))
	return nil
}

func unregisterAction(c *cli.Context) error {
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	r, err := s.send(c, nil, func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error) {
		return s.client.Unregister(ctx, o)
	})
	if err != nil {
		return fmt.Errorf("unregister: %w", err)
	}
	for _, l := range r.Logs {
		if ev, err := s.client.Contract().ParseUnregistered(*l); err == nil {
			fmt.Fprintf(s.out, "operator %s is exiting since slot %d; withdraw from slot %d (%s)\n", s.operator.Hex(), ev.ExitSlot, ev.WithdrawableSlot, txNote(r))
			return nil
		}
	}
	fmt.Fprintf(s.out, "operator %s is exiting (%s)\n", s.operator.Hex(), txNote(r))
	return nil
}

func withdrawAction(c *cli.Context) error {
	s, err := openSession(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	r, err := s.send(c, &keyNames{command: "withdraw"}, func(ctx context.Context, o *bind.TransactOpts) (*types.Transaction, error) {
		return s.client.Withdraw(ctx, o)
	})
	if err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	for _, l := range r.Logs {
		if ev, err := s.client.Contract().ParseWithdrawn(*l); err == nil {
			fmt.Fprintf(s.out, "withdrew %s to %s (%s)\n", formatWei(ev.Amount), s.operator.Hex(), txNote(r))
			return nil
		}
	}
	fmt.Fprintf(s.out, "withdrew the collateral of %s (%s)\n", s.operator.Hex(), txNote(r))
	return nil
}

func statusAction(c *cli.Context) error {
	var operator common.Address
	if v := c.String(regFlagOperator); v != "" {
		a, err := parseAddress(regFlagOperator, v)
		if err != nil {
			return err
		}
		operator = a
	} else if !hasAccount(c) {
		return fmt.Errorf("status of which operator? give --%s, or an account with --%s or --%s", regFlagOperator, regFlagPrivateKeyFile, regFlagKeystore)
	}
	s, err := openSession(c, false)
	if err != nil {
		return err
	}
	defer s.close()
	if operator == (common.Address{}) {
		operator = s.operator
	}
	call := &bind.CallOpts{Context: c.Context}
	st, err := s.client.Status(c.Context, operator)
	if err != nil {
		return fmt.Errorf("status: %w", explain(err, nil))
	}
	slot, err := s.client.Contract().CurrentSlot(call)
	if err != nil {
		return fmt.Errorf("status: current slot: %w", explain(err, nil))
	}
	w := s.out
	fmt.Fprintf(w, "operator:          %s\n", operator.Hex())
	fmt.Fprintf(w, "state:             %s\n", st.State)
	fmt.Fprintf(w, "current slot:      %d\n", slot)
	if st.State == registry.StateNone {
		return nil
	}
	fmt.Fprintf(w, "collateral:        %s (%s wei)\n", formatWei(st.Collateral), st.Collateral)
	free := new(big.Int).Sub(st.Collateral, st.Reserved)
	fmt.Fprintf(w, "reserved:          %s by open slot ledgers; free %s\n", formatWei(st.Reserved), formatWei(free))
	fmt.Fprintf(w, "validator keys:    %d\n", st.Keys)
	fmt.Fprintf(w, "committer:         %s\n", st.Committer.Hex())
	cps, err := s.client.Contract().Committers(call, operator)
	if err != nil {
		return fmt.Errorf("status: committer history: %w", explain(err, nil))
	}
	for _, cp := range cps {
		if cp.FromSlot > slot {
			fmt.Fprintf(w, "next committer:    %s from slot %d\n", cp.Committer.Hex(), cp.FromSlot)
		}
	}
	fmt.Fprintf(w, "registered slot:   %d\n", st.RegisteredSlot)
	if st.State == registry.StateRegistered {
		return nil
	}
	fmt.Fprintf(w, "exit slot:         %d\n", st.ExitSlot)
	fmt.Fprintf(w, "withdrawable slot: %d\n", st.WithdrawableSlot)
	return nil
}

// keyNames says which command ran and maps the key hashes and indices the Registry reports in its
// refusals back to the validator public keys the user gave, so an error names
// the key rather than a hash or a position.
type keyNames struct {
	command string // the registry subcommand, where a refusal means different things
	byHash  map[common.Hash]string
	byIndex []string
}

func (n *keyNames) hash(v any) string {
	h, ok := v.([32]byte)
	if !ok {
		return fmt.Sprint(v)
	}
	if n != nil && n.byHash[h] != "" {
		return n.byHash[h]
	}
	return "with hash " + common.Hash(h).Hex()
}

func (n *keyNames) index(v any) string {
	i, ok := v.(*big.Int)
	if !ok {
		return fmt.Sprint(v)
	}
	if n != nil && i.IsInt64() && i.Int64() < int64(len(n.byIndex)) {
		return n.byIndex[i.Int64()]
	}
	return "#" + i.String()
}

// refusal is a Registry refusal explained in one line; it unwraps to the
// decoded *registry.RevertError (and so to the registry's sentinel).
type refusal struct {
	msg string
	err error
}

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return r.err }

// explain turns a decoded Registry refusal into a sentence that says what was
// wrong and, where it helps, what to do. Other errors come back unchanged.
func explain(err error, names *keyNames) error {
	var rev *registry.RevertError
	if !errors.As(err, &rev) {
		return err
	}
	arg := func(name string) any {
		for _, a := range rev.Args {
			if a.Name == name {
				return a.Value
			}
		}
		return nil
	}
	var msg string
	switch rev.Name {
	case "NotEnoughCollateral":
		msg = fmt.Sprintf("not enough collateral: sent %s, the registry's minimum is %s (raise --%s)", weiArg(arg("sent")), weiArg(arg("minimum")), regFlagCollateral)
	case "AlreadyRegistered":
		msg = fmt.Sprintf("operator %v is already registered (add collateral with \"pledge registry deposit\")", arg("operator"))
	case "NotRegistered":
		// withdraw refuses with it for any operator that is not exiting.
		msg = fmt.Sprintf("operator %v is not registered", arg("operator"))
		if names != nil && names.command == "withdraw" {
			msg = fmt.Sprintf("operator %v is not exiting: run \"pledge registry unregister\" first (or it has withdrawn already)", arg("operator"))
		}
	case "NotActive":
		msg = fmt.Sprintf("operator %v is exiting or has withdrawn: no new keys, and unregister was already called", arg("operator"))
	case "KeyAlreadyRegistered":
		msg = fmt.Sprintf("validator key %s is already registered to operator %v (a key is registered once, ever)", names.hash(arg("keyHash")), arg("operator"))
	case "BadProofOfPossession":
		msg = fmt.Sprintf("the proof of possession of validator key %s does not verify", names.index(arg("index")))
	case "BadPublicKey":
		msg = fmt.Sprintf("validator key %s is not a valid BLS12-381 G1 point", names.index(arg("index")))
	case "BadSignature":
		msg = fmt.Sprintf("the proof of possession of validator key %s is not a 256-byte G2 point", names.index(arg("index")))
	case "NoKeys":
		msg = "no validator keys given"
	case "LengthMismatch":
		msg = fmt.Sprintf("%v keys but %v proofs of possession", arg("pubkeys"), arg("signatures"))
	case "ZeroCommitter":
		msg = "the committer cannot be the zero address"
	case "DelayNotOver":
		cur, _ := arg("currentSlot").(uint64)
		at, _ := arg("withdrawableSlot").(uint64)
		msg = fmt.Sprintf("the unregistration delay is not over: withdrawable from slot %d, the chain is at slot %d (%d slots to go)", at, cur, at-cur)
	case "CollateralOverflow":
		msg = fmt.Sprintf("collateral %s is above the registry's limit", weiArg(arg("amount")))
	case "TransferFailed":
		msg = fmt.Sprintf("the registry could not pay %s to %v", weiArg(arg("amount")), arg("to"))
	case "BeforeGenesis":
		msg = "the chain's time is before the registry's genesis"
	case "RevokedCommitter":
		msg = fmt.Sprintf("committer %v was revoked: a revoked key can never be named again", arg("committer"))
	case "NotCommitter":
		msg = fmt.Sprintf("%v is not the operator's committer for the slot (the registry binds %v)", arg("caller"), arg("committer"))
	default:
		return err
	}
	return &refusal{msg: msg + " [" + rev.Name + "]", err: err}
}

func weiArg(v any) string {
	if b, ok := v.(*big.Int); ok {
		return formatWei(b)
	}
	return fmt.Sprint(v)
}

// parseAddress reads a hex address flag; the zero address is refused because
// no registry call takes it on purpose.
func parseAddress(flag, s string) (common.Address, error) {
	if !common.IsHexAddress(s) {
		return common.Address{}, fmt.Errorf("--%s %q is not an address (0x and 40 hex digits)", flag, s)
	}
	a := common.HexToAddress(s)
	if a == (common.Address{}) {
		return common.Address{}, fmt.Errorf("--%s is the zero address", flag)
	}
	return a, nil
}

// units are the amount suffixes parseAmount takes, with their decimals.
var units = []struct {
	suffix   string
	decimals int
}{{"gwei", 9}, {"wei", 0}, {"ether", 18}, {"eth", 18}}

// parseAmount reads an ETH amount: a decimal number of ETH ("1.5"), or a
// number with a unit ("1.5eth", "100gwei", "1000wei"). It is exact: a
// fraction finer than a wei is refused, never rounded.
func parseAmount(flag, s string) (*big.Int, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	decimals := 18
	for _, u := range units {
		if strings.HasSuffix(v, u.suffix) {
			v, decimals = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.decimals
			break
		}
	}
	whole, frac, _ := strings.Cut(v, ".")
	bad := func(why string) error {
		return fmt.Errorf("--%s %q: %s (want e.g. 1.5, 1.5eth, 100gwei or 1000wei)", flag, s, why)
	}
	if whole == "" && frac == "" {
		return nil, bad("no number")
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return nil, bad("not a non-negative decimal number")
			}
		}
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > decimals {
		return nil, bad("finer than one wei")
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", decimals-len(frac)), "0")
	if digits == "" {
		return new(big.Int), nil
	}
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, bad("not a number")
	}
	return n, nil
}

// formatWei prints wei as ETH with no trailing zeros: "1.5 ETH", "0 ETH".
func formatWei(wei *big.Int) string {
	if wei == nil {
		return "? ETH"
	}
	q, r := new(big.Int).QuoRem(wei, big.NewInt(params.Ether), new(big.Int))
	if r.Sign() == 0 {
		return q.String() + " ETH"
	}
	frac := strings.TrimRight(fmt.Sprintf("%018s", r.String()), "0")
	return q.String() + "." + frac + " ETH"
}
