package sidecar_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Registry parameters of the devnet tests: the devnet sells over the current
// and the next epoch of 8 slots (15 slots ahead at most), which the
// lookahead covers; the rotation delay lies past it.
const (
	testLookahead     = 16
	testRotationDelay = 20
)

// committerFunding pays the committer's slot ledgers.
var committerFunding = new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))

// fund sends value wei from key to addr and waits until it is mined.
func fund(ctx context.Context, el *ethclient.Client, chainID *big.Int, key *ecdsa.PrivateKey, to common.Address, value *big.Int) error {
	nonce, err := el.PendingNonceAt(ctx, crypto.PubkeyToAddress(key.PublicKey))
	if err != nil {
		return err
	}
	head, err := el.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	tip := big.NewInt(1e9)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: new(big.Int).Add(new(big.Int).Lsh(head.BaseFee, 1), tip),
		Gas: 21_000, To: &to, Value: value,
	})
	if err != nil {
		return err
	}
	if err := el.SendTransaction(ctx, tx); err != nil {
		return err
	}
	rcpt, err := bind.WaitMined(ctx, el, tx.Hash())
	if err != nil {
		return err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("funding transfer %s failed", tx.Hash())
	}
	return nil
}
