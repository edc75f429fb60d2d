package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/sidecar/keys"
	"github.com/pledgeproto/pledge/sidecar/protocol"
	"github.com/pledgeproto/pledge/sidecar/signer/blssigner"
)

// Flags of `pledge delegate` (and `pledge delegate revoke`); each is also
// read from PLEDGE_<NAME>.
const (
	dflagValidatorKeys      = "validator-keys"
	dflagValidatorPassword  = "validator-password-file"
	dflagValidators         = "validators"
	dflagDelegate           = "delegate"
	dflagDelegateKey        = "delegate-key"
	dflagDelegatePassword   = "delegate-password-file"
	dflagCommitter          = "committer"
	dflagSlots              = "slots"
	dflagEpochs             = "epochs"
	dflagSlotsPerEpoch      = "slots-per-epoch"
	dflagGenesisForkVersion = "genesis-fork-version"
	dflagChainID            = "chain-id"
	dflagSigningID          = "signing-id"
	dflagNonce              = "nonce"
	dflagOut                = "out"
)

// Remote BLS signer flags, after a prefix: "" for `pledge delegate` (the
// validators' signer), "delegate-" for `pledge sidecar` (the delegate's).
const (
	sflagURL       = "signer-url"
	sflagKind      = "signer-kind"
	sflagModuleID  = "signer-module-id"
	sflagJWTSecret = "signer-jwt-secret-file"
	sflagToken     = "signer-token-file"
	sflagCA        = "signer-ca-file"
	sflagCert      = "signer-cert-file"
	sflagKey       = "signer-key-file"
	sflagTimeout   = "signer-timeout"
)

// remoteSignerFlags are the flags of one remote BLS signer.
func remoteSignerFlags(prefix, whose string) []cli.Flag {
	str := func(name, usage string) cli.Flag {
		return &cli.StringFlag{Name: prefix + name, Usage: usage, EnvVars: envVars(prefix + name)}
	}
	return []cli.Flag{
		str(sflagURL, "remote signer holding the "+whose+" (http(s)://host:port); empty: keys from files"),
		&cli.StringFlag{Name: prefix + sflagKind, Value: "commit-boost", EnvVars: envVars(prefix + sflagKind),
			Usage: "remote signer API: commit-boost (Commit-Boost signer module, v0.10+) or web3signer (its Commit-Boost API, --commit-boost-api-enabled=true)"},
		str(sflagModuleID, "Commit-Boost module id the signer knows this client as"),
		str(sflagJWTSecret, "file holding the Commit-Boost module's JWT secret"),
		str(sflagToken, "file holding a bearer token sent to the signer (e.g. an authenticating proxy in front of Web3Signer)"),
		str(sflagCA, "PEM file of the CA(s) that signed the signer's TLS certificate (default: system roots)"),
		str(sflagCert, "PEM client certificate presented to the signer"),
		str(sflagKey, "PEM key of the client certificate"),
		&cli.DurationFlag{Name: prefix + sflagTimeout, Value: blssigner.DefaultTimeout, EnvVars: envVars(prefix + sflagTimeout),
			Usage: "longest wait for one answer of the signer"},
	}
}

// readSecretFile reads a one-line secret (token, JWT secret); its content
// never appears in an error.
func readSecretFile(flag, path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--%s: %w", flag, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("--%s: %s is empty", flag, path)
	}
	return s, nil
}

// remoteSigner builds the remote BLS signer the prefixed flags name; nil
// when no URL is given.
func remoteSigner(c *cli.Context, prefix string, opts ...blssigner.Option) (*blssigner.Signer, error) {
	url := strings.TrimSpace(c.String(prefix + sflagURL))
	if url == "" {
		for _, name := range []string{sflagModuleID, sflagJWTSecret, sflagToken, sflagCA, sflagCert, sflagKey} {
			if c.String(prefix+name) != "" {
				return nil, fmt.Errorf("--%s is only used with --%s", prefix+name, prefix+sflagURL)
			}
		}
		return nil, nil
	}
	var caPEM, certPEM, keyPEM []byte
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{sflagCA, &caPEM}, {sflagCert, &certPEM}, {sflagKey, &keyPEM}} {
		if p := c.String(prefix + f.name); p != "" {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", prefix+f.name, err)
			}
			*f.dst = b
		}
	}
	httpCfg := blssigner.HTTPConfig{URL: url, Timeout: c.Duration(prefix + sflagTimeout)}
	if len(caPEM)+len(certPEM)+len(keyPEM) > 0 {
		t, err := blssigner.TLSConfig(caPEM, certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("--%s/--%s/--%s: %w", prefix+sflagCA, prefix+sflagCert, prefix+sflagKey, err)
		}
		httpCfg.TLS = t
	}
	if p := c.String(prefix + sflagToken); p != "" {
		tok, err := readSecretFile(prefix+sflagToken, p)
		if err != nil {
			return nil, err
		}
		httpCfg.BearerToken = tok
	}
	var backend blssigner.Backend
	var err error
	switch kind := c.String(prefix + sflagKind); kind {
	case "commit-boost":
		if c.String(prefix+sflagModuleID) == "" || c.String(prefix+sflagJWTSecret) == "" {
			return nil, fmt.Errorf("a Commit-Boost signer needs --%s and --%s", prefix+sflagModuleID, prefix+sflagJWTSecret)
		}
		secret, err := readSecretFile(prefix+sflagJWTSecret, c.String(prefix+sflagJWTSecret))
		if err != nil {
			return nil, err
		}
		if backend, err = blssigner.NewCommitBoost(blssigner.CommitBoostConfig{HTTP: httpCfg, ModuleID: c.String(prefix + sflagModuleID), JWTSecret: secret}); err != nil {
			return nil, fmt.Errorf("--%s: %w", prefix+sflagURL, err)
		}
	case "web3signer":
		if backend, err = blssigner.NewWeb3Signer(httpCfg); err != nil {
			return nil, fmt.Errorf("--%s: %w", prefix+sflagURL, err)
		}
	default:
		return nil, fmt.Errorf("invalid --%s %q: want commit-boost or web3signer", prefix+sflagKind, kind)
	}
	return blssigner.New(backend, append([]blssigner.Option{blssigner.WithTimeout(c.Duration(prefix + sflagTimeout))}, opts...)...)
}

func delegateFlags(revoke bool) []cli.Flag {
	str := func(name, usage, value string) cli.Flag {
		return &cli.StringFlag{Name: name, Usage: usage, Value: value, EnvVars: envVars(name)}
	}
	flags := []cli.Flag{
		str(dflagValidatorKeys, "validator BLS keys signing offline: a raw hex key file, an EIP-2335 keystore, or a Lighthouse/Teku/Prysm key directory (as `pledge sidecar --validator-keys` reads them)", ""),
		str(dflagValidatorPassword, "file holding the keystores' password", ""),
		str(dflagValidators, "comma-separated validator public keys to sign for (default: every key of --validator-keys or of the signer)", ""),
		str(dflagDelegate, "delegate BLS public key (0x + 96 hex digits)", ""),
		str(dflagDelegateKey, "delegate BLS key file (raw hex or keystore): its public key is the delegate (instead of --delegate)", ""),
		str(dflagDelegatePassword, "file holding the delegate keystore's password", ""),
		str(dflagSlots, "slots to sign for: FIRST-LAST (inclusive) or one slot", ""),
		str(dflagEpochs, "epochs to sign for, every slot of each: FIRST-LAST (inclusive) or one epoch", ""),
		&cli.Uint64Flag{Name: dflagSlotsPerEpoch, Value: 32, Usage: "slots per epoch (with --epochs)", EnvVars: envVars(dflagSlotsPerEpoch)},
		str(dflagGenesisForkVersion, "the network's genesis fork version (mainnet 0x00000000, Hoodi 0x10000910); it fixes the signing domain", ""),
		&cli.Uint64Flag{Name: dflagChainID, Usage: "execution chain id in the signing root (default: the known chain of the genesis fork version)", EnvVars: envVars(dflagChainID)},
		str(dflagSigningID, "Commit-Boost signing id signed with (a Commit-Boost signer uses its module's own); default keccak256(\"pledge\")", ""),
		&cli.Uint64Flag{Name: dflagNonce, Usage: "Commit-Boost nonce signed with", EnvVars: envVars(dflagNonce)},
		str(dflagOut, "file to write the JSON array to; - is standard output", "-"),
	}
	if !revoke {
		flags = append(flags, str(dflagCommitter, "committer address the delegations bind (the operator's committer in the Registry)", ""))
	}
	return append(flags, remoteSignerFlags("", "validator keys")...)
}

func delegateCommand() *cli.Command {
	return &cli.Command{
		Name:  "delegate",
		Usage: "sign delegations of validators' slots to a delegate BLS key, offline from keystores or through a remote signer",
		Description: "Writes a JSON array of SignedDelegation (docs/protocol.md §5: {\"message\": {\"proposer\", \"delegate\",\n" +
			"\"committer\", \"slot\", \"metadata\"}, \"nonce\", \"signing_id\", \"signature\"}), one per validator and slot, that\n" +
			"`pledge sidecar --delegations` reads and sends to the relays. Each is signed by the validator's key in the\n" +
			"Commit-Boost domain only (never a beacon-chain or Builder-API domain) and is checked before it is written.\n" +
			"The validator key signs offline (--validator-keys) or stays in its signer (--signer-url).",
		Flags:       delegateFlags(false),
		Action:      func(c *cli.Context) error { return runDelegate(c, false) },
		Subcommands: []*cli.Command{{Name: "revoke", Usage: "sign revocations of delegations (same selection flags); the sidecar reads them with --revocations", Flags: delegateFlags(true), Action: func(c *cli.Context) error { return runDelegate(c, true) }}},
	}
}

// parseRange reads FIRST-LAST or one number.
func parseRange(flag, s string) (uint64, uint64, error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(s), "-")
	a, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 64)
	b := a
	var err2 error
	if isRange {
		b, err2 = strconv.ParseUint(strings.TrimSpace(hi), 10, 64)
	}
	if err1 != nil || err2 != nil || b < a {
		return 0, 0, fmt.Errorf("invalid --%s %q: want FIRST-LAST or one number", flag, s)
	}
	return a, b, nil
}

// maxDelegationSlots bounds one run: a year of slots for one validator.
const maxDelegationSlots = 3_000_000

// delegationSlots is the slot list of --slots or --epochs.
func delegationSlots(c *cli.Context) ([]uint64, error) {
	slots, epochs := c.String(dflagSlots), c.String(dflagEpochs)
	var first, last uint64
	switch {
	case slots != "" && epochs != "":
		return nil, fmt.Errorf("give --%s or --%s, not both", dflagSlots, dflagEpochs)
	case slots != "":
		var err error
		if first, last, err = parseRange(dflagSlots, slots); err != nil {
			return nil, err
		}
	case epochs != "":
		a, b, err := parseRange(dflagEpochs, epochs)
		if err != nil {
			return nil, err
		}
		spe := c.Uint64(dflagSlotsPerEpoch)
		if spe == 0 {
			return nil, fmt.Errorf("invalid --%s 0", dflagSlotsPerEpoch)
		}
		first, last = a*spe, (b+1)*spe-1
	default:
		return nil, fmt.Errorf("missing --%s or --%s: the slots the delegations cover", dflagSlots, dflagEpochs)
	}
	if last-first >= maxDelegationSlots {
		return nil, fmt.Errorf("%d slots: at most %d per run", last-first+1, maxDelegationSlots)
	}
	out := make([]uint64, 0, last-first+1)
	for s := first; s <= last; s++ {
		out = append(out, s)
	}
	return out, nil
}

// delegateDomains reads the network flags.
func delegateDomains(c *cli.Context) (protocol.Domains, error) {
	raw := c.String(dflagGenesisForkVersion)
	if raw == "" {
		return protocol.Domains{}, fmt.Errorf("missing --%s: the network the delegations are for (mainnet 0x00000000)", dflagGenesisForkVersion)
	}
	b, err := hexutil.Decode(raw)
	if err != nil || len(b) != 4 {
		return protocol.Domains{}, fmt.Errorf("invalid --%s %q: want 0x + 8 hex digits", dflagGenesisForkVersion, raw)
	}
	fork := [4]byte(b)
	chainID := c.Uint64(dflagChainID)
	if chainID == 0 {
		known, ok := protocol.KnownChainID(fork)
		if !ok {
			return protocol.Domains{}, fmt.Errorf("missing --%s: genesis fork version %s is no known network", dflagChainID, raw)
		}
		chainID = known
	}
	d := protocol.NewDomains(fork, chainID)
	if s := c.String(dflagSigningID); s != "" {
		h, err := hexutil.Decode(s)
		if err != nil || len(h) != 32 {
			return protocol.Domains{}, fmt.Errorf("invalid --%s %q: want 0x + 64 hex digits", dflagSigningID, s)
		}
		d.SigningID = common.BytesToHash(h)
	}
	d.Nonce = c.Uint64(dflagNonce)
	return d, nil
}

// delegatePubkey reads --delegate or derives it from --delegate-key.
func delegatePubkey(c *cli.Context) (protocol.BLSPubkey, error) {
	raw, file := c.String(dflagDelegate), c.String(dflagDelegateKey)
	switch {
	case raw != "" && file != "":
		return protocol.BLSPubkey{}, fmt.Errorf("give --%s or --%s, not both", dflagDelegate, dflagDelegateKey)
	case raw != "":
		var pk protocol.BLSPubkey
		if err := pk.UnmarshalText([]byte(raw)); err != nil {
			return pk, fmt.Errorf("invalid --%s: want 0x + 96 hex digits", dflagDelegate)
		}
		if _, err := pk.G1Point(); err != nil {
			return pk, fmt.Errorf("invalid --%s: %w", dflagDelegate, err)
		}
		return pk, nil
	case file != "":
		k, err := loadOneBLSKey(dflagDelegateKey, file, c.String(dflagDelegatePassword))
		if err != nil {
			return protocol.BLSPubkey{}, err
		}
		return k.Pubkey, nil
	}
	return protocol.BLSPubkey{}, fmt.Errorf("missing --%s (or --%s): the key the validators delegate to", dflagDelegate, dflagDelegateKey)
}

// loadOneBLSKey loads exactly one BLS key from path.
func loadOneBLSKey(flag, path, passwordFile string) (keys.BLSKey, error) {
	var pw keys.PasswordSource
	if passwordFile != "" {
		pw = keys.PasswordFile(passwordFile)
	}
	ks, err := keys.LoadBLSKeys(path, pw)
	if err != nil {
		return keys.BLSKey{}, fmt.Errorf("--%s: %w", flag, err)
	}
	if len(ks) != 1 {
		return keys.BLSKey{}, fmt.Errorf("--%s: %s holds %d keys, want exactly one", flag, path, len(ks))
	}
	return ks[0], nil
}

// validatorSigner is the validators' signer and the keys to sign for.
func validatorSigner(c *cli.Context) (*blssigner.Signer, []protocol.BLSPubkey, error) {
	files := c.String(dflagValidatorKeys)
	if files != "" && c.String(sflagURL) != "" {
		return nil, nil, fmt.Errorf("give --%s or --%s, not both", dflagValidatorKeys, sflagURL)
	}
	remote, err := remoteSigner(c, "")
	if err != nil {
		return nil, nil, err
	}
	var signer *blssigner.Signer
	var available []protocol.BLSPubkey
	switch {
	case remote != nil:
		signer = remote
		ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
		defer cancel()
		if available, err = remote.Pubkeys(ctx); err != nil {
			return nil, nil, fmt.Errorf("list the signer's keys: %w", err)
		}
	case files != "":
		var pw keys.PasswordSource
		if p := c.String(dflagValidatorPassword); p != "" {
			pw = keys.PasswordFile(p)
		}
		ks, err := keys.LoadBLSKeys(files, pw)
		if err != nil {
			return nil, nil, fmt.Errorf("--%s: %w", dflagValidatorKeys, err)
		}
		secrets := make([]*bls.SecretKey, len(ks))
		for i, k := range ks {
			secrets[i], available = k.Secret, append(available, k.Pubkey)
		}
		local, err := blssigner.NewLocal(secrets...)
		if err != nil {
			return nil, nil, err
		}
		if signer, err = blssigner.New(local); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("missing --%s or --%s: the validator keys that sign", dflagValidatorKeys, sflagURL)
	}
	want := strings.TrimSpace(c.String(dflagValidators))
	if want == "" {
		return signer, available, nil
	}
	var chosen []protocol.BLSPubkey
	for _, s := range strings.Split(want, ",") {
		var pk protocol.BLSPubkey
		if err := pk.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
			return nil, nil, fmt.Errorf("invalid --%s entry %q: want 0x + 96 hex digits", dflagValidators, s)
		}
		found := false
		for _, a := range available {
			found = found || a == pk
		}
		if !found {
			return nil, nil, fmt.Errorf("--%s: %s is not among the signer's keys", dflagValidators, pk)
		}
		chosen = append(chosen, pk)
	}
	return signer, chosen, nil
}

// signedMessage is the message of a delegation or revocation.
type signedMessage interface {
	MessageHash() (common.Hash, error)
}

func runDelegate(c *cli.Context, revoke bool) error {
	if c.Args().Present() {
		return fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	domains, err := delegateDomains(c)
	if err != nil {
		return err
	}
	slots, err := delegationSlots(c)
	if err != nil {
		return err
	}
	delegate, err := delegatePubkey(c)
	if err != nil {
		return err
	}
	var committer common.Address
	if !revoke {
		if committer, err = addressFlag(c, dflagCommitter); err != nil {
			return err
		}
	}
	signer, validators, err := validatorSigner(c)
	if err != nil {
		return err
	}
	if len(validators) == 0 {
		return errors.New("the signer holds no validator key")
	}
	var out []any
	for _, pk := range validators {
		for _, slot := range slots {
			var m signedMessage
			if revoke {
				m = &protocol.Revocation{Proposer: pk, Delegate: delegate, Slot: slot}
			} else {
				m = &protocol.Delegation{Proposer: pk, Delegate: delegate, Committer: committer, Slot: slot}
			}
			h, err := m.MessageHash()
			if err != nil {
				return fmt.Errorf("validator %s, slot %d: %w", pk, slot, err)
			}
			sig, err := signer.Sign(c.Context, blssigner.Request{Pubkey: pk, MessageHash: h, Domains: domains})
			if err != nil {
				return fmt.Errorf("validator %s, slot %d: %w", pk, slot, err)
			}
			// Signer verified the signature over this message's root with
			// the signing id and nonce the envelope carries.
			if revoke {
				out = append(out, &protocol.SignedRevocation{Message: *m.(*protocol.Revocation), Nonce: sig.Nonce, SigningID: sig.SigningID, Signature: sig.Signature})
			} else {
				out = append(out, &protocol.SignedDelegation{Message: *m.(*protocol.Delegation), Nonce: sig.Nonce, SigningID: sig.SigningID, Signature: sig.Signature})
			}
		}
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	body = append(body, '\n')
	what := "delegations"
	if revoke {
		what = "revocations"
	}
	if p := c.String(dflagOut); p != "-" && p != "" {
		if err := os.WriteFile(p, body, 0o644); err != nil {
			return fmt.Errorf("--%s: %w", dflagOut, err)
		}
		appFrom(c).log.Info().Int(what, len(out)).Int("validators", len(validators)).Int("slots", len(slots)).
			Str("delegate", delegate.String()).Str("file", p).Msg("signed")
		return nil
	}
	_, err = io.Writer(c.App.Writer).Write(body)
	return err
}

// readSignedFile reads a JSON array of signed delegations or revocations.
func readSignedFile[T any](flag, path string) ([]*T, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	var out []*T
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("--%s: %s: want a JSON array as `pledge delegate` writes: %w", flag, path, err)
	}
	for i, v := range out {
		if v == nil {
			return nil, fmt.Errorf("--%s: %s: entry %d is null", flag, path, i)
		}
	}
	return out, nil
}
