package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/keys"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// ECDSA signer flags, after a prefix: "committer-" (promises and the slot
// ledgers' transactions) or "poster-" (the batch posts). The key file flags
// are sidecar.go's --committer-key / --poster-key.
const (
	committerSignerPrefix = "committer-"
	posterSignerPrefix    = "poster-"

	eflagKind    = "signer"
	eflagURL     = "signer-url"
	eflagPubkey  = "signer-pubkey"
	eflagAddress = "signer-address"
	eflagToken   = "signer-token-file"
	eflagCA      = "signer-ca-file"
	eflagCert    = "signer-cert-file"
	eflagKey     = "signer-key-file"
	eflagTimeout = "signer-timeout"
)

// errClefCommitter: Clef signs no raw 32-byte root, which every promise is.
var errClefCommitter = errors.New("Clef cannot be the committer's signer: a promise is a signature of its raw 32-byte signing root " +
	"(docs/protocol.md §2.1), and every Clef API adds a prefix (account_signData: EIP-191; account_signTypedData: EIP-712). " +
	"Use --committer-signer=local or web3signer; Clef can sign the batch posts (--poster-signer=clef)")

func committerSignerFlags() []cli.Flag {
	return ecdsaSignerFlags(committerSignerPrefix, "committer key", "local or web3signer (Clef cannot sign promises)")
}

func posterSignerFlags() []cli.Flag {
	return ecdsaSignerFlags(posterSignerPrefix, "batch poster key", "local, clef or web3signer")
}

func ecdsaSignerFlags(prefix, whose, kinds string) []cli.Flag {
	str := func(name, usage, value string) cli.Flag {
		return &cli.StringFlag{Name: prefix + name, Usage: usage, Value: value, EnvVars: envVars(prefix + name)}
	}
	return []cli.Flag{
		str(eflagKind, "where the "+whose+" signs: "+kinds+"; local reads --"+prefix+"key", ecdsasigner.KindLocal),
		str(eflagURL, "remote signer of the "+whose+": Web3Signer (eth1 mode) or Clef http(s)://host:port, or Clef's clef.ipc path", ""),
		str(eflagPubkey, "Web3Signer: the key's eth1 identifier (0x + 64-byte public key, as GET /api/v1/eth1/publicKeys lists it)", ""),
		str(eflagAddress, "Clef: the account's address", ""),
		str(eflagToken, "file holding a bearer token sent to the signer (an authenticating proxy in front of it); never logged", ""),
		str(eflagCA, "PEM file of the CA(s) that signed the signer's TLS certificate (default: system roots)", ""),
		str(eflagCert, "PEM client certificate presented to the signer (Web3Signer --tls-known-clients-file)", ""),
		str(eflagKey, "PEM key of the client certificate", ""),
		&cli.DurationFlag{Name: prefix + eflagTimeout, Value: ecdsasigner.DefaultTimeout, EnvVars: envVars(prefix + eflagTimeout),
			Usage: "longest wait for one signature of the remote signer; a promise not signed in time is refused (-32017)"},
	}
}

// openCommitterSigner builds the committer's signer from the flags: the
// --committer-key file (local) or Web3Signer. Clef is refused: it cannot
// sign a promise. It does no network I/O (the caller runs Check).
func openCommitterSigner(c *cli.Context, reg prometheus.Registerer) (*ecdsasigner.Signer, error) {
	methods, err := abiMethods(bindings.RegistryMetaData.GetAbi, "openLedger", "release")
	if err != nil {
		return nil, err
	}
	return openECDSASigner(c, committerSignerPrefix, flagCommitterKey, flagCommitterPassword, methods, reg, appFrom(c).log)
}

// openPosterSigner builds the batch poster's signer from the flags: the
// --poster-key file (local), Clef or Web3Signer. It does no network I/O.
func openPosterSigner(c *cli.Context, reg prometheus.Registerer) (*ecdsasigner.Signer, error) {
	methods, err := abiMethods(bindings.InboxMetaData.GetAbi, "post")
	if err != nil {
		return nil, err
	}
	return openECDSASigner(c, posterSignerPrefix, flagPosterKey, flagPosterPassword, methods, reg, appFrom(c).log)
}

func openECDSASigner(c *cli.Context, prefix, keyFlag, pwFlag string, methods []string, reg prometheus.Registerer, log zerolog.Logger) (*ecdsasigner.Signer, error) {
	opts := []ecdsasigner.Option{ecdsasigner.WithRegisterer(reg), ecdsasigner.WithLogger(log), ecdsasigner.WithTimeout(c.Duration(prefix + eflagTimeout))}
	kind := strings.ToLower(strings.TrimSpace(c.String(prefix + eflagKind)))
	remoteOnly := []string{eflagURL, eflagPubkey, eflagAddress, eflagToken, eflagCA, eflagCert, eflagKey}
	if kind == ecdsasigner.KindLocal {
		for _, name := range remoteOnly {
			if c.String(prefix+name) != "" {
				return nil, fmt.Errorf("--%s is only used with a remote --%s (web3signer, clef)", prefix+name, prefix+eflagKind)
			}
		}
		if c.String(keyFlag) == "" {
			return nil, fmt.Errorf("missing --%s (or a remote --%s)", keyFlag, prefix+eflagKind)
		}
		var pw keys.PasswordSource
		if p := c.String(pwFlag); p != "" {
			pw = keys.PasswordFile(p)
		}
		key, err := keys.LoadCommitterKey(c.String(keyFlag), pw)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", keyFlag, err)
		}
		return ecdsasigner.NewLocal(key, opts...)
	}
	if c.String(keyFlag) != "" {
		return nil, fmt.Errorf("give --%s or --%s=%s, not both: the key stays in the signer", keyFlag, prefix+eflagKind, kind)
	}
	if prefix == committerSignerPrefix && !ecdsasigner.CanSignPromises(kind) {
		return nil, fmt.Errorf("--%s=clef: %w", prefix+eflagKind, errClefCommitter)
	}
	remote, err := ecdsaRemote(c, prefix)
	if err != nil {
		return nil, err
	}
	switch kind {
	case ecdsasigner.KindWeb3Signer:
		if c.String(prefix+eflagAddress) != "" {
			return nil, fmt.Errorf("--%s is for Clef; Web3Signer takes --%s", prefix+eflagAddress, prefix+eflagPubkey)
		}
		pub, err := ecdsasigner.Web3SignerPublicKey(c.String(prefix + eflagPubkey))
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", prefix+eflagPubkey, err)
		}
		return ecdsasigner.NewWeb3Signer(remote, pub, opts...)
	case ecdsasigner.KindClef:
		if c.String(prefix+eflagPubkey) != "" {
			return nil, fmt.Errorf("--%s is for Web3Signer; Clef takes --%s", prefix+eflagPubkey, prefix+eflagAddress)
		}
		a := strings.TrimSpace(c.String(prefix + eflagAddress))
		if !common.IsHexAddress(a) {
			return nil, fmt.Errorf("--%s: want the Clef account's 0x address, got %q", prefix+eflagAddress, a)
		}
		return ecdsasigner.NewClef(remote, common.HexToAddress(a), methods, opts...)
	default:
		return nil, fmt.Errorf("--%s=%q: want local, clef or web3signer", prefix+eflagKind, kind)
	}
}

// ecdsaRemote reads the remote signer's URL, TLS files and token.
func ecdsaRemote(c *cli.Context, prefix string) (ecdsasigner.Remote, error) {
	r := ecdsasigner.Remote{URL: strings.TrimSpace(c.String(prefix + eflagURL))}
	if r.URL == "" {
		return r, fmt.Errorf("missing --%s: where the remote signer is", prefix+eflagURL)
	}
	var caPEM, certPEM, keyPEM []byte
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{eflagCA, &caPEM}, {eflagCert, &certPEM}, {eflagKey, &keyPEM}} {
		if p := c.String(prefix + f.name); p != "" {
			b, err := os.ReadFile(p)
			if err != nil {
				return r, fmt.Errorf("--%s: %w", prefix+f.name, err)
			}
			*f.dst = b
		}
	}
	if len(caPEM)+len(certPEM)+len(keyPEM) > 0 {
		t, err := ecdsasigner.TLSConfig(caPEM, certPEM, keyPEM)
		if err != nil {
			return r, fmt.Errorf("--%s/--%s/--%s: %w", prefix+eflagCA, prefix+eflagCert, prefix+eflagKey, err)
		}
		r.TLS = t
	}
	if p := c.String(prefix + eflagToken); p != "" {
		tok, err := readSecretFile(prefix+eflagToken, p)
		if err != nil {
			return r, err
		}
		r.BearerToken = tok
	}
	return r, nil
}

// abiMethods are the Solidity signatures of a contract's methods, which
// Clef is told with each call.
func abiMethods(get func() (*abi.ABI, error), names ...string) ([]string, error) {
	a, err := get()
	if err != nil {
		return nil, fmt.Errorf("contract ABI: %w", err)
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		m, ok := a.Methods[n]
		if !ok {
			return nil, fmt.Errorf("contract ABI has no method %s", n)
		}
		out = append(out, m.Sig)
	}
	return out, nil
}

// checkECDSASigner asks a remote signer, at start-up, whether it answers
// and holds the key: a wrong URL, address or key fails the start with the
// signer named, not the first promise.
func checkECDSASigner(c *cli.Context, role string, s *ecdsasigner.Signer) error {
	if s.Kind() == ecdsasigner.KindLocal {
		return nil
	}
	ctx, cancel := context.WithTimeout(c.Context, 10*time.Second)
	defer cancel()
	if err := s.Check(ctx); err != nil {
		return fmt.Errorf("%s signer: %w", role, err)
	}
	return nil
}
