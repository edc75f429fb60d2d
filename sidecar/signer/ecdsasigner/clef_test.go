package ecdsasigner_test

import (
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/pledgeproto/pledge/internal/cleftest"
	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// The real Clef (scripts/build-clef.sh), run headless with rules: it signs
// the committer's and the poster's transactions, lists its account, and
// refuses everything Pledge must not get from it.
func TestClefReal(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	c := cleftest.Start(t, k.ecdsaPriv, cleftest.Options{ChainID: testChain, Rules: `
function ApproveListing() { return "Approve" }
function ApproveTx(r) {
	// An operator's rules name the contracts; this one refuses a value transfer.
	if (r.transaction.value != "0x5") { return "Reject" }
	return "Approve"
}
function ApproveSignData(r) { return "Reject" }
`})
	s, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: c.URL}, k.addr, []string{testMethod})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatalf("Check: %v", err)
	}

	t.Run("a call it cannot name", func(t *testing.T) {
		// Without the method's signature Clef finds no ABI for the data and
		// refuses (its 4byte database has none of Pledge's contracts). First:
		// once told a signature, Clef keeps it in its 4byte-custom file.
		bare, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: c.URL}, k.addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bare.SignTx(t.Context(), testTx(testChain, 3), big.NewInt(testChain)); !errors.Is(err, ecdsasigner.ErrRefused) || !strings.Contains(err.Error(), "ABI signature could not be found") {
			t.Fatalf("SignTx of an unnamed call: %v, want ErrRefused", err)
		}
	})
	t.Run("signs a transaction", func(t *testing.T) {
		unsigned := testTx(testChain, 3)
		tx, err := s.SignTx(t.Context(), unsigned, big.NewInt(testChain))
		if err != nil {
			t.Fatal(err)
		}
		signer := types.LatestSignerForChainID(big.NewInt(testChain))
		if from, err := types.Sender(signer, tx); err != nil || from != k.addr || signer.Hash(tx) != signer.Hash(unsigned) {
			t.Fatalf("sender %s (%v), same tx %v", from, err, signer.Hash(tx) == signer.Hash(unsigned))
		}
	})
	t.Run("cannot sign a promise", func(t *testing.T) {
		if s.CanSignPromises() {
			t.Error("CanSignPromises is true for Clef")
		}
		sig, err := s.SignPromise(t.Context(), testPromise(1), testDomain)
		if !errors.Is(err, ecdsasigner.ErrUnsupported) || sig != nil {
			t.Fatalf("SignPromise = %x, %v; want ErrUnsupported", sig, err)
		}
	})
	t.Run("its rules refuse", func(t *testing.T) {
		unsigned := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(testChain), Nonce: 1, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2),
			Gas: 21000, To: &k.addr, Value: big.NewInt(6)})
		if _, err := s.SignTx(t.Context(), unsigned, big.NewInt(testChain)); !errors.Is(err, ecdsasigner.ErrRefused) || !strings.Contains(err.Error(), "request denied") {
			t.Fatalf("SignTx refused by the rules: %v, want ErrRefused (request denied)", err)
		}
	})
	t.Run("another chain", func(t *testing.T) {
		if _, err := s.SignTx(t.Context(), testTx(1, 3), big.NewInt(1)); !errors.Is(err, ecdsasigner.ErrRefused) {
			t.Fatalf("SignTx for chain 1 on a chain-%d Clef: %v, want ErrRefused", testChain, err)
		}
	})
	t.Run("an account it lacks", func(t *testing.T) {
		other := newKey(t)
		o, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: c.URL}, other.addr, []string{testMethod})
		if err != nil {
			t.Fatal(err)
		}
		if err := o.Check(t.Context()); !errors.Is(err, ecdsasigner.ErrUnknownKey) {
			t.Errorf("Check: %v, want ErrUnknownKey", err)
		}
		if _, err := o.SignTx(t.Context(), testTx(testChain, 3), big.NewInt(testChain)); !errors.Is(err, ecdsasigner.ErrUnknownKey) {
			t.Errorf("SignTx: %v, want ErrUnknownKey", err)
		}
	})
}

// A Clef that is not there: the error says so, within the timeout.
func TestClefDown(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	k := newKey(t)
	s, err := ecdsasigner.NewClef(ecdsasigner.Remote{URL: url}, k.addr, nil, ecdsasigner.WithTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.SignTx(t.Context(), testTx(testChain, 1), big.NewInt(testChain))
	if !errors.Is(err, ecdsasigner.ErrUnavailable) || !strings.Contains(err.Error(), "clef "+url) {
		t.Fatalf("SignTx: %v, want ErrUnavailable naming clef %s", err, url)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	if s.Err() == nil {
		t.Error("Err is nil")
	}
}
