package rollupnode

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// BenchmarkExecuteBlock measures executing one L2 block of 200 transfers
// from 200 senders (decode, signature recovery, EVM, state commit).
func BenchmarkExecuteBlock(b *testing.B) {
	const n = 200
	id := big.NewInt(1001)
	signer := types.LatestSignerForChainID(id)
	alloc := types.GenesisAlloc{}
	raws := make([][]byte, n)
	to := common.Address{1}
	for i := range raws {
		k, err := crypto.GenerateKey()
		if err != nil {
			b.Fatal(err)
		}
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: big.NewInt(params.Ether)}
		tx := types.MustSignNewTx(k, signer, &types.DynamicFeeTx{ChainID: id, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(params.GWei * 2), Gas: params.TxGas, To: &to, Value: big.NewInt(1)})
		if raws[i], err = tx.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
	cfg, err := Config{ChainID: 1001, Inbox: common.Address{2}, L1URL: "http://127.0.0.1:1", Genesis: alloc}.withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c, err := newChain(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		blk, skipped, err := c.execute(context.Background(), &types.Header{Number: big.NewInt(1), Time: 1}, raws)
		if err != nil || len(blk.txs) != n || len(skipped) != 0 {
			b.Fatalf("executed %d, skipped %d: %v", len(blk.txs), len(skipped), err)
		}
	}
}
