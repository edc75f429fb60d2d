package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// depositContract is DEPOSIT_CONTRACT_ADDRESS of the devnet's beacon config
// (scripts/e2e/config.yaml); Prague's execution layer needs it in its config.
var depositContract = common.HexToAddress("0x4242424242424242424242424242424242424242")

// setupConfig is what `e2ectl setup` writes.
type setupConfig struct {
	dir         string
	validators  int
	senders     int
	chainID     uint64
	genesisTime uint64
	gasLimit    uint64
	// l2Senders are the rollup's senders (keys/l2-senders.txt), funded in
	// the rollup node's genesis (`e2ectl rollup`), not on L1.
	l2Senders int
	// poster is the batch poster's account, funded on L1; its key is fresh
	// and goes to Clef (keys/poster.key, which the script deletes once
	// Clef holds it).
	poster common.Address
}

// runSetup writes the execution genesis and every key file of the run.
func runSetup(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	var c setupConfig
	fs.StringVar(&c.dir, "dir", "", "output directory (el-genesis.json, keys/)")
	fs.IntVar(&c.validators, "validators", 64, "interop validators the sidecar serves")
	fs.IntVar(&c.senders, "senders", 16, "funded request senders")
	fs.Uint64Var(&c.chainID, "chain-id", 32382, "execution chain id")
	fs.Uint64Var(&c.genesisTime, "genesis-time", 0, "genesis unix time (the same given to prysmctl)")
	fs.Uint64Var(&c.gasLimit, "gas-limit", 60_000_000, "genesis block gas limit")
	fs.IntVar(&c.l2Senders, "l2-senders", 4, "funded senders of the demo rollup (keys/l2-senders.txt)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.dir == "" || c.genesisTime == 0 || c.validators <= 0 || c.senders <= 0 || c.l2Senders < 0 {
		return fmt.Errorf("setup: -dir, -genesis-time, -validators > 0, -senders > 0 and -l2-senders >= 0 are required: %w", errUsage)
	}
	return setup(c)
}

func setup(c setupConfig) error {
	keysDir := filepath.Join(c.dir, "keys")
	if err := os.MkdirAll(keysDir, 0o700); err != nil {
		return err
	}
	// A fresh poster key, not a derived one: it only ever exists in Clef's
	// keystore once the script has imported it.
	poster, err := crypto.GenerateKey()
	if err != nil {
		return fmt.Errorf("poster key: %w", err)
	}
	c.poster = crypto.PubkeyToAddress(poster.PublicKey)
	g := genesis(c)
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return fmt.Errorf("encode genesis: %w", err)
	}
	if err := os.WriteFile(filepath.Join(c.dir, "el-genesis.json"), b, 0o644); err != nil {
		return err
	}
	vals, err := interopSecrets(c.validators)
	if err != nil {
		return err
	}
	if err := writePrysmWallet(filepath.Join(keysDir, "wallet"), vals, walletPassword); err != nil {
		return fmt.Errorf("write validator wallet: %w", err)
	}
	files := map[string]string{
		"wallet-password.txt": walletPassword + "\n",
		"operator.key":        hex.EncodeToString(crypto.FromECDSA(operatorKey())) + "\n",
		"committer.key":       hex.EncodeToString(crypto.FromECDSA(committerKey())) + "\n",
		"senders.txt":         keyLines(senderKeys(c.senders)),
		"l2-senders.txt":      keyLines(l2SenderKeys(c.l2Senders)),
		"poster.key":          hex.EncodeToString(crypto.FromECDSA(poster)) + "\n",
		"poster.address":      c.poster.Hex() + "\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(keysDir, name), []byte(content), 0o600); err != nil {
			return err
		}
	}
	fmt.Printf("genesis block %s, %d validators, operator %s, committer %s, batch poster %s\n",
		g.ToBlock().Hash(), c.validators, crypto.PubkeyToAddress(operatorKey().PublicKey), crypto.PubkeyToAddress(committerKey().PublicKey), c.poster)
	return nil
}

// keyLines is keys as hex, one a line.
func keyLines(keys []*ecdsa.PrivateKey) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(hex.EncodeToString(crypto.FromECDSA(k)) + "\n")
	}
	return b.String()
}

// genesis is the execution genesis: every fork through Osaka active from the
// first block (the beacon side starts in Fulu), EIP-1559 base fee set (Prysm
// refuses a post-merge genesis without one), the system contracts of Cancun
// and Prague deployed (geth --dev does it, a plain genesis does not), and the
// run's accounts funded.
func genesis(c setupConfig) *core.Genesis {
	zero := big.NewInt(0)
	t := c.genesisTime
	cfg := &params.ChainConfig{
		ChainID:        new(big.Int).SetUint64(c.chainID),
		HomesteadBlock: zero, EIP150Block: zero, EIP155Block: zero, EIP158Block: zero,
		ByzantiumBlock: zero, ConstantinopleBlock: zero, PetersburgBlock: zero, IstanbulBlock: zero,
		MuirGlacierBlock: zero, BerlinBlock: zero, LondonBlock: zero, ArrowGlacierBlock: zero,
		GrayGlacierBlock: zero, MergeNetsplitBlock: zero,
		TerminalTotalDifficulty: zero,
		ShanghaiTime:            &t, CancunTime: &t, PragueTime: &t, OsakaTime: &t,
		DepositContractAddress: depositContract,
		BlobScheduleConfig: &params.BlobScheduleConfig{
			Cancun: params.DefaultCancunBlobConfig,
			Prague: params.DefaultPragueBlobConfig,
		},
	}
	alloc := core.SystemContractAllocs()
	fund := func(a common.Address, eth int64) {
		alloc[a] = types.Account{Balance: new(big.Int).Mul(big.NewInt(eth), big.NewInt(params.Ether))}
	}
	fund(crypto.PubkeyToAddress(operatorKey().PublicKey), 100_000)
	fund(crypto.PubkeyToAddress(committerKey().PublicKey), 10)
	for _, k := range senderKeys(c.senders) {
		fund(crypto.PubkeyToAddress(k.PublicKey), 10_000)
	}
	if c.poster != (common.Address{}) {
		fund(c.poster, 100)
	}
	return &core.Genesis{
		Config:     cfg,
		Timestamp:  c.genesisTime,
		GasLimit:   c.gasLimit,
		Difficulty: zero,
		BaseFee:    big.NewInt(params.GWei),
		Alloc:      alloc,
	}
}
