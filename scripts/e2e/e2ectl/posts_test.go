package main

import (
	"encoding/hex"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// readClefAudit takes the transactions from Clef's SignTransaction
// responses (slog text lines, as Clef v1.17.3 writes them) and nothing
// else: not a failed call's "<nil>", not a request, not a listing.
func TestReadClefAudit(t *testing.T) {
	t.Parallel()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0xbeef")
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(32382)), &types.DynamicFeeTx{
		ChainID: big.NewInt(32382), Nonce: 3, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2), Gas: 50_000, To: &to, Data: []byte{1, 2, 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`time=2026-12-07T00:20:00.157Z level=INFO msg=Configured api=signer "audit log"=audit.log`,
		`time=2026-12-07T00:20:02.858Z level=INFO msg=List api=signer type=response data=[0x0B9a7b8bCF2339c2104C978112f0CBe1D86F1606]`,
		`time=2026-12-07T00:20:04.200Z level=INFO msg=SignTransaction api=signer type=request metadata="{}" tx="{\"data\":\"0x02\"}" methodSelector=post(bytes)`,
		`time=2026-12-07T00:20:04.200Z level=INFO msg=SignTransaction api=signer type=response data=<nil> error="request denied"`,
		`time=2026-12-07T00:20:04.300Z level=INFO msg=SignTransaction api=signer type=response data=` + hex.EncodeToString(raw) + ` error=<nil>`,
	}
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readClefAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[tx.Hash()] {
		t.Fatalf("signed transactions %v, want only %s", got, tx.Hash())
	}
}
