package stack

import (
	"encoding/hex"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
)

// UserKey is the funded account left for the person at the keyboard: the
// generator never uses it, so its nonces are theirs.
func (s *Stack) UserKey() string {
	return "0x" + hex.EncodeToString(crypto.FromECDSA(s.net.Accounts()[accUser]))
}

// printBanner says where everything is and how to send a first request.
func (s *Stack) printBanner() {
	p := s.out
	user := crypto.PubkeyToAddress(s.net.Accounts()[accUser].PublicKey)
	p.linef("Pledge devnet: everything in this process, on loopback")
	p.linef("  user API     %s   (JSON-RPC: slots, commitmentRequest, commitmentResult, fee)", s.userURL)
	p.linef("  L1 RPC       %s   chain id %d, %s slots", s.net.EL().HTTPEndpoint(), s.chainID, s.cfg.SlotDuration)
	p.linef("  Slasher      %s", s.contracts.Slasher.Hex())
	p.linef("  Registry     %s   Inbox %s", s.contracts.Registry.Hex(), s.contracts.Inbox.Hex())
	p.linef("  operator     %s   %d validators, %s ETH collateral, committer %s",
		s.operator.Hex(), s.cfg.Validators, formatETH(s.collateralBefore), s.committer.Hex())
	p.linef("  watcher API  %s   (POST /promises with a promise you hold)", s.watchURL)
	for _, n := range s.rollups {
		p.linef("  rollup %d  %s   (eth_ JSON-RPC; eth_sendRawTransaction asks for a preconfirmation)", n.ChainID(), n.URL())
	}
	p.linef("  your key     %s   (%s, funded; the traffic never uses it)", s.UserKey(), user.Hex())
	p.linef("Try:")
	p.linef(`  curl -s -X POST -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","id":1,"method":"slots","params":[]}' %s`, s.userURL)
	p.linef(`  echo %s > /tmp/pledge-user.key`, s.UserKey())
	p.linef(`  go run ./cmd/pledge request --sidecar-url %s --execution-url %s --slasher %s --key-file /tmp/pledge-user.key --wait`,
		s.userURL, s.net.EL().HTTPEndpoint(), s.contracts.Slasher.Hex())
	p.linef(`  (signs a transfer, gets it promised, verifies the promise, waits for the receipt; README: the wallet walkthrough)`)
	run := "until interrupted"
	if s.lastSlot > 0 {
		run = fmt.Sprintf("to slot %d (%d slots)", s.lastSlot, s.cfg.Slots)
	}
	p.linef("Run: from slot %d %s", s.firstSlot, run)
	if s.faulty > 0 {
		p.linef("  faulty proposer at slot %d: it drops the promised txs, the watcher must slash it", s.faulty)
	}
	if !s.cfg.Traffic {
		p.linef("  no traffic: only your own requests")
	}
}
