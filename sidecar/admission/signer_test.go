package admission

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/sidecar/signer/ecdsasigner"
)

// committerSigner serves a FAKE Web3Signer eth1 sign endpoint for the
// harness's committer key (the wire format of
// POST /api/v1/eth1/sign/{id}: keccak256(data) signed, no prefix, text
// 0x r‖s‖v), misbehaving as asked, and returns the remote signer.
func committerSigner(t *testing.T, h *harness, misbehave string) *ecdsasigner.Signer {
	t.Helper()
	other := mustKey(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Data hexutil.Bytes `json:"data"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		key := h.committer
		switch misbehave {
		case "slow":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
				return
			}
		case "error body":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"message":"vault unreachable"}`)
			return
		case "malformed":
			_, _ = io.WriteString(w, "0xnot-a-signature")
			return
		case "another key":
			key = other
		}
		sig, _ := crypto.Sign(crypto.Keccak256(req.Data), key)
		sig[64] += 27
		_, _ = io.WriteString(w, hexutil.Encode(sig))
	}))
	t.Cleanup(srv.Close)
	if misbehave == "down" {
		srv.Close()
	}
	s, err := ecdsasigner.NewWeb3Signer(ecdsasigner.Remote{URL: srv.URL}, &h.committer.PublicKey, ecdsasigner.WithTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A promise the committer's remote signer does not sign — down, slow, an
// error, a malformed answer, another key's signature — is not acknowledged:
// ErrUnavailable naming the signer (-32017), nothing stored, the
// reservation released so the same nonce is sold once the signer answers.
func TestRemoteSignerFailureAcknowledgesNothing(t *testing.T) {
	t.Parallel()
	for _, misbehave := range []string{"down", "slow", "error body", "malformed", "another key"} {
		t.Run(misbehave, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 1)
			e, err := New(h.cfg, h.duties, h.state, h.collateral, h.store, committerSigner(t, h, misbehave), zerolog.Nop(), WithNow(h.clock.now))
			if err != nil {
				t.Fatal(err)
			}
			req := h.l1(headSlot+2, h.tx(h.users[0], 0, txOpts{}))
			sc, err := e.Request(context.Background(), req)
			if !errors.Is(err, ErrUnavailable) || sc != nil {
				t.Fatalf("Request = %v, %v; want no promise and ErrUnavailable", sc, err)
			}
			if !strings.Contains(err.Error(), "committer signer: web3signer http://127.0.0.1:") {
				t.Errorf("error does not name the signer: %v", err)
			}
			if n := len(h.stored()); n != 0 {
				t.Fatalf("%d promises stored", n)
			}
			if _, err := e.Result(context.Background(), reqHash(t, req)); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Result: %v, want ErrNotFound", err)
			}
			e.mu.Lock()
			leaked := len(e.byRequest) + len(e.byNonce) + len(e.live)
			e.mu.Unlock()
			if leaked != 0 || e.exposure.Sign() != 0 {
				t.Fatalf("reservation leaked: %d index entries, exposure %v", leaked, e.exposure)
			}
			// The signer answers again: the same nonce is sold, signed by the committer.
			good, err := New(h.cfg, h.duties, h.state, h.collateral, h.store, committerSigner(t, h, ""), zerolog.Nop(), WithNow(h.clock.now))
			if err != nil {
				t.Fatal(err)
			}
			sc, err = good.Request(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sc.Verify(h.chainID, addr(h.committer)); err != nil {
				t.Fatalf("the remote signer's promise does not verify: %v", err)
			}
		})
	}
}
