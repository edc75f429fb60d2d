// Package keys loads the operator's secret keys: validator (or delegate) BLS keys
// from raw hex files and EIP-2335 keystores in the Lighthouse, Teku and Prysm
// directory layouts, and the committer's ECDSA key from a raw hex file or a geth
// keystore. Every error names the file it is about; no error or log carries
// secret material.
package keys

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

var (
	// ErrWrongPassword is returned when a keystore does not open with its password.
	ErrWrongPassword = errors.New("wrong password")
	// ErrMissingSecret is returned when a keystore's password file is missing
	// or unreadable, or no password was given for a keystore that needs one.
	ErrMissingSecret = errors.New("missing password")
	// ErrMalformedKeystore is returned for a keystore that is not valid JSON or
	// lacks a field EIP-2335 (or geth, or Prysm) requires.
	ErrMalformedKeystore = errors.New("malformed keystore")
	// ErrMalformedKey is returned for a raw key file that is not hex.
	ErrMalformedKey = errors.New("malformed key file")
	// ErrKeyLength is returned for a secret key that is not 32 bytes.
	ErrKeyLength = errors.New("secret key must be 32 bytes")
	// ErrInvalidKey is returned for a 32-byte secret that is zero or not below
	// the curve order.
	ErrInvalidKey = errors.New("secret key out of range")
	// ErrPubkeyMismatch is returned when the public key a keystore (or its
	// directory name) claims is not the one its secret key derives.
	ErrPubkeyMismatch = errors.New("public key does not match the secret key")
	// ErrDuplicateKey is returned when one validator key is found twice.
	ErrDuplicateKey = errors.New("duplicate validator key")
	// ErrNoKeys is returned when a path holds no key at all.
	ErrNoKeys = errors.New("no keys found")
	// ErrUnknownLayout is returned for a directory that is none of the layouts.
	ErrUnknownLayout = errors.New("unrecognised key directory layout")
)

// PasswordSource yields the password of a keystore when it is needed.
type PasswordSource interface {
	Password() (string, error)
}

// Password is a password given directly.
type Password string

// Password returns p.
func (p Password) Password() (string, error) { return string(p), nil }

// PasswordFile is a file holding a password; one trailing newline is ignored.
type PasswordFile string

// Password reads the file.
func (f PasswordFile) Password() (string, error) { return readPasswordFile(string(f)) }

// readPasswordFile reads a password file, dropping a trailing line ending
// (editors and `echo` add one; the password never includes it).
func readPasswordFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("password file %s: %w: file does not exist", path, ErrMissingSecret)
		}
		return "", fmt.Errorf("password file %s: %w: %w", path, ErrMissingSecret, err)
	}
	s := string(b)
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, nil
}

func password(src PasswordSource, forFile string) (string, error) {
	if src == nil {
		return "", fmt.Errorf("keystore %s: %w: no password given", forFile, ErrMissingSecret)
	}
	pw, err := src.Password()
	if err != nil {
		return "", fmt.Errorf("keystore %s: %w", forFile, err)
	}
	return pw, nil
}

// zero overwrites secret bytes once they are no longer needed.
func zero(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
