package main

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/flashbots/go-boost-utils/bls"
	"github.com/urfave/cli/v2"

	"github.com/pledgeproto/pledge/sidecar/keys"
)

// Flags naming the operator's ECDSA account and the validator BLS keys.
const (
	regFlagPrivateKeyFile  = "private-key-file"
	regFlagKeystore        = "keystore"
	regFlagPasswordFile    = "password-file"
	regFlagBLSKeys         = "bls-keys"
	regFlagBLSPasswordFile = "bls-password-file"
)

// errNoAccount is returned when a command that sends transactions is given
// no account key.
var errNoAccount = errors.New("no operator account: give --" + regFlagPrivateKeyFile + " or --" + regFlagKeystore + " with --" + regFlagPasswordFile)

// accountFlags name the operator's ECDSA account: the address that registers
// and owns the collateral, and pays for the transactions.
func accountFlags() []cli.Flag {
	return []cli.Flag{
		&cli.PathFlag{
			Name:    regFlagPrivateKeyFile,
			Usage:   "file holding the operator account's secp256k1 private key in hex",
			EnvVars: envVars(regFlagPrivateKeyFile),
		},
		&cli.PathFlag{
			Name:    regFlagKeystore,
			Usage:   "geth (Web3 Secret Storage) keystore file of the operator account",
			EnvVars: envVars(regFlagKeystore),
		},
		&cli.PathFlag{
			Name:    regFlagPasswordFile,
			Usage:   "file holding the password of --" + regFlagKeystore,
			EnvVars: envVars(regFlagPasswordFile),
		},
	}
}

// blsFlags name the validator keys register binds.
func blsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{
			Name: regFlagBLSKeys,
			Usage: "validator BLS keys (repeatable): a raw hex key file, an EIP-2335 keystore file, " +
				"or a Lighthouse, Teku or Prysm key directory",
			EnvVars: envVars(regFlagBLSKeys),
		},
		&cli.PathFlag{
			Name:    regFlagBLSPasswordFile,
			Usage:   "password file of EIP-2335 keystore files and Prysm wallets (Lighthouse and Teku directories carry their own)",
			EnvVars: envVars(regFlagBLSPasswordFile),
		},
	}
}

// hasAccount says whether an account key was given.
func hasAccount(c *cli.Context) bool {
	return c.String(regFlagPrivateKeyFile) != "" || c.String(regFlagKeystore) != ""
}

// loadAccountKey loads the operator's ECDSA key from --private-key-file or
// --keystore (opened with --password-file). Exactly one of the two is needed.
func loadAccountKey(c *cli.Context) (*ecdsa.PrivateKey, error) {
	raw, ks := c.String(regFlagPrivateKeyFile), c.String(regFlagKeystore)
	switch {
	case raw != "" && ks != "":
		return nil, fmt.Errorf("give --%s or --%s, not both", regFlagPrivateKeyFile, regFlagKeystore)
	case raw != "":
		if c.String(regFlagPasswordFile) != "" {
			return nil, fmt.Errorf("--%s opens a keystore; --%s is a raw key", regFlagPasswordFile, regFlagPrivateKeyFile)
		}
		key, err := keys.LoadCommitterKey(raw, nil)
		if err != nil {
			return nil, fmt.Errorf("operator account: %w", err)
		}
		return key, nil
	case ks != "":
		var pw keys.PasswordSource
		if f := c.String(regFlagPasswordFile); f != "" {
			pw = keys.PasswordFile(f)
		}
		key, err := keys.LoadCommitterKey(ks, pw)
		if err != nil {
			return nil, fmt.Errorf("operator account: %w", err)
		}
		return key, nil
	default:
		return nil, errNoAccount
	}
}

// loadBLSKeys loads every key under each --bls-keys path (layout detected by
// sidecar/keys) and refuses a key found twice.
func loadBLSKeys(c *cli.Context) ([]*bls.SecretKey, []keys.BLSKey, error) {
	paths := c.StringSlice(regFlagBLSKeys)
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("no validator keys: give --%s", regFlagBLSKeys)
	}
	var pw keys.PasswordSource
	if f := c.String(regFlagBLSPasswordFile); f != "" {
		pw = keys.PasswordFile(f)
	}
	var (
		secrets []*bls.SecretKey
		loaded  []keys.BLSKey
		seen    = map[string]string{}
	)
	for _, p := range paths {
		ks, err := keys.LoadBLSKeys(p, pw)
		if err != nil {
			return nil, nil, fmt.Errorf("validator keys: %w", err)
		}
		for _, k := range ks {
			pub := k.Pubkey.String()
			if prev, dup := seen[pub]; dup {
				return nil, nil, fmt.Errorf("validator keys: %w %s in %s and %s", keys.ErrDuplicateKey, pub, prev, k.Source)
			}
			seen[pub] = k.Source
			secrets = append(secrets, k.Secret)
			loaded = append(loaded, k)
		}
	}
	return secrets, loaded, nil
}
