package main

import (
	"context"
	"flag"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/rs/zerolog"

	"github.com/pledgeproto/pledge/internal/rollupnode"
)

// runRollup runs the demo based rollup's node (internal/rollupnode, the one
// the in-process devnet runs) until it is signalled: it derives the L2 chain
// from the rollup's batches in the Inbox and serves it on -listen, which the
// sidecar's --rollup reads L2 state from. The senders of -senders-file are
// funded in its genesis.
func runRollup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rollup", flag.ContinueOnError)
	rpcURL := fs.String("rpc", "", "L1 execution client JSON-RPC URL")
	inbox := fs.String("inbox", "", "Inbox address")
	chainID := fs.Uint64("chain-id", 0, "the rollup's L2 chain id")
	listen := fs.String("listen", "", "loopback address of the L2 JSON-RPC, host:port")
	sendersFile := fs.String("senders-file", "", "L2 sender keys funded in the rollup's genesis, one hex key a line")
	genesisTime := fs.Uint64("genesis-time", 0, "timestamp of L2 block 0 (the beacon genesis)")
	sidecarURL := fs.String("sidecar", "", "sidecar user API URL eth_sendRawTransaction forwards to (optional; needs -slasher)")
	slasher := fs.String("slasher", "", "Slasher address named in the forwarded requests")
	poll := fs.Duration("poll-interval", 250*time.Millisecond, "how often L1 is read")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rpcURL == "" || !common.IsHexAddress(*inbox) || *chainID == 0 || *listen == "" || *sendersFile == "" ||
		(*sidecarURL != "" && !common.IsHexAddress(*slasher)) {
		return fmt.Errorf("rollup: -rpc, -inbox, -chain-id, -listen and -senders-file are required (-sidecar with -slasher): %w", errUsage)
	}
	senders, err := readKeys(*sendersFile)
	if err != nil {
		return err
	}
	alloc := types.GenesisAlloc{}
	for _, k := range senders {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(10_000), big.NewInt(params.Ether))}
	}
	cfg := rollupnode.Config{
		ChainID:      *chainID,
		Inbox:        common.HexToAddress(*inbox),
		L1URL:        *rpcURL,
		Genesis:      alloc,
		GenesisTime:  *genesisTime,
		SidecarURL:   *sidecarURL,
		Listen:       *listen,
		PollInterval: *poll,
	}
	if *sidecarURL != "" {
		cfg.Slasher = common.HexToAddress(*slasher)
	}
	log := zerolog.New(os.Stderr).With().Timestamp().Logger()
	n, err := rollupnode.New(cfg, log)
	if err != nil {
		return err
	}
	return n.Run(ctx)
}
