package elnode

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
)

// TestGetLogs checks the filter API is served: rollup nodes and watchers
// follow contract events with eth_getLogs.
func TestGetLogs(t *testing.T) {
	t.Parallel()
	tn := startNet(t, 1)
	ctx := testCtx(t)
	tn.mine(t, ctx, encode(t, tn.transfer(t, tn.keys[0], 0, 1)))
	logs, err := tn.Client().FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), ToBlock: big.NewInt(1)})
	if err != nil {
		t.Fatalf("eth_getLogs: %v", err)
	}
	if len(logs) != 0 {
		t.Fatalf("a plain transfer logged %d events", len(logs))
	}
}
