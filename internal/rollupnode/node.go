package rollupnode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/rs/zerolog"
)

// shutdownTimeout bounds how long Run waits for in-flight RPC calls at exit.
const shutdownTimeout = 5 * time.Second

// Node is a based-rollup node: it derives the L2 chain from the rollup's
// batches in the L1 Inbox and serves it over eth_ JSON-RPC.
type Node struct {
	cfg      Config
	log      zerolog.Logger
	l1       L1Client
	inbox    *bindings.InboxFilterer
	caller   *bindings.InboxCaller
	chain    *chain
	listener net.Listener
	handler  *rpc.Server
	sidecar  *rpc.Client

	// syncMu serialises Sync (Run's loop and direct callers).
	syncMu sync.Mutex
	follow follower

	pmu      sync.Mutex
	promised map[common.Address]promised
}

// promised is the next nonce of a sender counting the txs this node got
// promised for it, and the latest slot of those promises.
type promised struct {
	next uint64
	slot uint64
}

// New checks cfg, builds L2 block 0 from the genesis alloc and binds the
// JSON-RPC listener, so URL is known before Run (the sidecar's configuration
// needs it). It reads nothing from the network. Run serves the listener and
// closes it when it returns; a Node that is never run should be Closed.
func New(cfg Config, log zerolog.Logger) (*Node, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	l1 := cfg.L1
	if l1 == nil {
		// Dialling an HTTP URL connects nothing yet.
		c, err := ethclient.Dial(cfg.L1URL)
		if err != nil {
			return nil, fmt.Errorf("%w: L1 URL %q: %v", ErrConfig, cfg.L1URL, err)
		}
		l1 = c
	}
	n := &Node{
		cfg:      cfg,
		log:      log.With().Str("service", "rollupnode").Uint64("chain_id", cfg.ChainID).Logger(),
		l1:       l1,
		promised: map[common.Address]promised{},
		follow:   follower{next: cfg.StartBlock},
	}
	if n.inbox, err = bindings.NewInboxFilterer(cfg.Inbox, l1); err != nil {
		return nil, fmt.Errorf("bind inbox: %w", err)
	}
	if n.caller, err = bindings.NewInboxCaller(cfg.Inbox, l1); err != nil {
		return nil, fmt.Errorf("bind inbox: %w", err)
	}
	if n.chain, err = newChain(cfg); err != nil {
		return nil, err
	}
	if cfg.SidecarURL != "" {
		if n.sidecar, err = rpc.DialHTTP(cfg.SidecarURL); err != nil {
			return nil, fmt.Errorf("%w: sidecar URL %q: %v", ErrConfig, cfg.SidecarURL, err)
		}
	}
	n.handler = rpc.NewServer()
	if err := n.handler.RegisterName("eth", &ethAPI{n: n}); err != nil {
		return nil, fmt.Errorf("register eth API: %w", err)
	}
	if err := n.handler.RegisterName("rollup", &rollupAPI{n: n}); err != nil {
		return nil, fmt.Errorf("register rollup API: %w", err)
	}
	if n.listener, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	return n, nil
}

// URL is the node's JSON-RPC endpoint, for ethclient.Dial.
func (n *Node) URL() string { return "http://" + n.listener.Addr().String() }

// Head is the newest L2 block's header.
func (n *Node) Head() *types.Header { return types.CopyHeader(n.chain.head().header) }

// ChainID is the rollup's chain id.
func (n *Node) ChainID() uint64 { return n.cfg.ChainID }

// Skipped returns why a posted L2 tx was not executed, if it was skipped.
func (n *Node) Skipped(txHash common.Hash) (Skipped, bool) { return n.chain.skippedTx(txHash) }

// L1Synced is the last L1 block the node has derived from (StartBlock-1 before the first).
func (n *Node) L1Synced() uint64 {
	n.syncMu.Lock()
	defer n.syncMu.Unlock()
	return n.follow.next - 1
}

// Run serves JSON-RPC and follows L1 until ctx ends. Sync errors are logged
// and retried at the next poll: L1 may come back. It returns nil once the
// server has drained, or the server's error.
func (n *Node) Run(ctx context.Context) error {
	srv := &http.Server{
		Handler:           n.handler,
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(n.listener) }()
	n.log.Info().Str("addr", n.URL()).Msg("serving L2 JSON-RPC")

	t := time.NewTicker(n.cfg.PollInterval)
	defer t.Stop()
	failing := false
	for {
		err := n.Sync(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			n.log.Warn().Err(err).Msg("following L1 failed; retrying")
			failing = true
		case err == nil && failing:
			n.log.Info().Msg("following L1 again")
			failing = false
		}
		select {
		case <-ctx.Done():
			return n.shutdown(srv, served)
		case err := <-served:
			return fmt.Errorf("serve L2 JSON-RPC: %w", err)
		case <-t.C:
		}
	}
}

// shutdown drains the HTTP server and closes the clients the node owns.
func (n *Node) shutdown(srv *http.Server, served <-chan error) error {
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		_ = srv.Close()
	}
	<-served
	n.handler.Stop()
	if n.sidecar != nil {
		n.sidecar.Close()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("drain L2 JSON-RPC: %w", err)
	}
	return nil
}

// Close releases the listener of a node that was never Run.
func (n *Node) Close() error { return n.listener.Close() }
