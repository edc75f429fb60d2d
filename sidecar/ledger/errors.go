package ledger

import (
	"errors"

	"github.com/pledgeproto/pledge/registry"
)

// Sentinel errors of the ledger component.
var (
	// ErrConfig is returned by New for a configuration it cannot run with.
	ErrConfig = errors.New("invalid ledger config")
	// ErrNotOpened: a slot's ledger could not be opened; its promises are
	// in no ledger, so void on-chain.
	ErrNotOpened = errors.New("slot ledger not opened")
	// ErrNoBaseFee: the execution head carries no base fee to price a transaction.
	ErrNoBaseFee = errors.New("no base fee to price the transaction")
)

// reasons names the Registry's refusals for the failures metric.
var reasons = []struct {
	err  error
	name string
}{
	{registry.ErrNotCommitter, "not_committer"}, {registry.ErrRevokedCommitter, "revoked"},
	{registry.ErrLedgerAfterExit, "after_exit"}, {registry.ErrLedgerTooLate, "too_late"},
	{registry.ErrNotRegistered, "not_registered"}, {registry.ErrNotEnoughFree, "free_collateral"},
	{registry.ErrMalformedLedger, "malformed"}, {registry.ErrLedgerNotSorted, "malformed"},
	{registry.ErrLedgerExists, "exists"}, {registry.ErrLedgerTooEarly, "too_early"},
}

func reasonOf(err error) string {
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	return "reverted"
}
