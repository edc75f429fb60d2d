package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Errors of the ledger check.
var (
	errNoLedger    = errors.New("slot with acknowledged promises has no ledger in the Registry")
	errNotInLedger = errors.New("acknowledged promise is not a leaf of its slot's ledger")
)

// ledgerCheck is what the ledger check needs: the Registry, the operator,
// and the digest of every acknowledged promise by slot.
type ledgerCheck struct {
	registry, operator common.Address
	genesisTime        uint64
	secondsPerSlot     uint64
	digests            map[uint64][]common.Hash
}

// add records an acknowledged promise.
func (lc *ledgerCheck) add(sc *protocol.SignedCommitment, chainID uint64) error {
	p, err := sc.Open(chainID)
	if err != nil {
		return err
	}
	d := p.Digest(protocol.Domain{ChainID: chainID, Slasher: sc.Commitment.Slasher})
	lc.digests[p.Slot] = append(lc.digests[p.Slot], d)
	return nil
}

// run checks that every slot with acknowledged promises got its ledger (the
// sidecar opens it within the Registry's ledger grace, also for a slot it
// was down for, once restarted) and that each acknowledged promise is one of
// its leaves, read from the LedgerOpened event. It waits for the last
// slot's grace to pass. It returns the ledgers seen and the problems.
func (lc *ledgerCheck) run(ctx context.Context, el *ethclient.Client) (int, []error, error) {
	reg, err := bindings.NewRegistry(lc.registry, el)
	if err != nil {
		return 0, nil, err
	}
	grace, err := reg.LedgerGrace(&bind.CallOpts{Context: ctx})
	if err != nil {
		return 0, nil, fmt.Errorf("registry %s: ledger grace: %w", lc.registry, err)
	}
	slots := make([]uint64, 0, len(lc.digests))
	for s := range lc.digests {
		slots = append(slots, s)
	}
	slices.Sort(slots)
	var (
		problems []error
		opened   int
	)
	for _, slot := range slots {
		// A ledger can land until the end of its grace; one more slot for
		// the block that mines it.
		deadline := time.Unix(int64(lc.genesisTime+(slot+grace+2)*lc.secondsPerSlot), 0)
		var lg bindings.IRegistryLedger
		for {
			lg, err = reg.LedgerOf(&bind.CallOpts{Context: ctx}, lc.operator, slot)
			if err != nil {
				return opened, problems, fmt.Errorf("ledger of slot %d: %w", slot, err)
			}
			if lg.Count > 0 || time.Now().After(deadline) {
				break
			}
			select {
			case <-ctx.Done():
				return opened, problems, ctx.Err()
			case <-time.After(time.Duration(lc.secondsPerSlot) * time.Second / 2):
			}
		}
		if lg.Count == 0 {
			problems = append(problems, fmt.Errorf("%w: slot %d (%d promises)", errNoLedger, slot, len(lc.digests[slot])))
			continue
		}
		opened++
		it, err := reg.FilterLedgerOpened(&bind.FilterOpts{Context: ctx}, []common.Address{lc.operator}, []uint64{slot})
		if err != nil {
			return opened, problems, fmt.Errorf("LedgerOpened of slot %d: %w", slot, err)
		}
		var packed []byte
		for it.Next() {
			packed = it.Event.Leaves
		}
		if err := errors.Join(it.Error(), it.Close()); err != nil {
			return opened, problems, fmt.Errorf("LedgerOpened of slot %d: %w", slot, err)
		}
		tree, err := protocol.DecodeLedger(packed)
		if err != nil {
			problems = append(problems, fmt.Errorf("slot %d: the LedgerOpened leaves do not decode: %w", slot, err))
			continue
		}
		if tree.Root() != common.Hash(lg.Root) {
			problems = append(problems, fmt.Errorf("slot %d: the LedgerOpened leaves give root %s, the Registry holds %s", slot, tree.Root(), common.Hash(lg.Root)))
		}
		for _, d := range lc.digests[slot] {
			if _, ok := tree.Find(d); !ok {
				problems = append(problems, fmt.Errorf("%w: promise %s of slot %d", errNotInLedger, d, slot))
			}
		}
	}
	return opened, problems, nil
}
