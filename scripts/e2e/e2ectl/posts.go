package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/sidecar/rollup"
)

// Errors of the L2 check.
var (
	errNotPosted  = errors.New("L2 promise not in its rollup's batch posted by the poster in its slot")
	errBadPost    = errors.New("batch post does not match the Inbox record")
	errNotClef    = errors.New("batch post not signed by Clef (not in its audit log)")
	errNoClefPost = errors.New("Clef's audit log lists no signed transaction")
)

// postCheck judges L2 inclusion promises against the Inbox: the rollup's
// record for (chain, slot, poster), the BatchPosted events that built it,
// and the calldata of the post transactions behind them.
type postCheck struct {
	el                          *ethclient.Client
	inbox                       *bindings.Inbox
	inboxAddr, poster           common.Address
	postABI                     abi.Method
	genesisTime, secondsPerSlot uint64
	// clefSigned holds the hashes of the transactions Clef's audit log
	// says it signed; nil when no audit log was given.
	clefSigned map[common.Hash]bool
	posts      map[common.Hash]bool // post transactions seen
}

// slotPost is what the poster posted for one rollup in one slot.
type slotPost struct {
	txs   map[common.Hash]bool // L2 transaction hashes in the record
	block common.Hash          // a block holding a post (for the proposer check)
	slot  uint64               // that block's slot
}

func newPostCheck(el *ethclient.Client, inbox, poster common.Address, genesisTime, secondsPerSlot uint64, auditLog string) (*postCheck, error) {
	in, err := bindings.NewInbox(inbox, el)
	if err != nil {
		return nil, err
	}
	a, err := bindings.InboxMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	pc := &postCheck{el: el, inbox: in, inboxAddr: inbox, poster: poster, postABI: a.Methods["post"],
		genesisTime: genesisTime, secondsPerSlot: secondsPerSlot, posts: map[common.Hash]bool{}}
	if auditLog != "" {
		if pc.clefSigned, err = readClefAudit(auditLog); err != nil {
			return nil, err
		}
		if len(pc.clefSigned) == 0 {
			return nil, fmt.Errorf("%s: %w", auditLog, errNoClefPost)
		}
	}
	return pc, nil
}

// slot reads the poster's record of chain in slot and the posts that made
// it: each post is a direct Inbox.post call from the poster (signed by
// Clef, when its audit log is given), in a block of that slot, and the L2
// transactions of its calldata fold to the record's hash and count.
// problems are what does not hold; an error is a failed read.
func (pc *postCheck) slot(ctx context.Context, chain, slot uint64) (*slotPost, []error, error) {
	rec, err := pc.inbox.BatchOf(&bind.CallOpts{Context: ctx}, chain, slot, pc.poster)
	if err != nil {
		return nil, nil, fmt.Errorf("Inbox record of rollup %d slot %d: %w", chain, slot, err)
	}
	it, err := pc.inbox.FilterBatchPosted(&bind.FilterOpts{Context: ctx}, []uint64{chain}, []uint64{slot}, []common.Address{pc.poster})
	if err != nil {
		return nil, nil, fmt.Errorf("BatchPosted of rollup %d slot %d: %w", chain, slot, err)
	}
	var postTxs []types.Log
	seen := map[common.Hash]bool{}
	for it.Next() {
		if !seen[it.Event.Raw.TxHash] {
			seen[it.Event.Raw.TxHash] = true
			postTxs = append(postTxs, it.Event.Raw)
		}
	}
	if err := errors.Join(it.Error(), it.Close()); err != nil {
		return nil, nil, fmt.Errorf("BatchPosted of rollup %d slot %d: %w", chain, slot, err)
	}
	sp := &slotPost{txs: map[common.Hash]bool{}}
	var (
		problems []error
		all      [][]byte
	)
	for _, lg := range postTxs {
		tx, _, err := pc.el.TransactionByHash(ctx, lg.TxHash)
		if err != nil {
			return nil, nil, fmt.Errorf("post transaction %s: %w", lg.TxHash, err)
		}
		pc.posts[tx.Hash()] = true
		from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
		switch {
		case err != nil:
			problems = append(problems, fmt.Errorf("%w: post %s: sender: %v", errBadPost, tx.Hash(), err))
		case from != pc.poster:
			problems = append(problems, fmt.Errorf("%w: post %s is from %s, not the poster %s", errBadPost, tx.Hash(), from, pc.poster))
		}
		if tx.To() == nil || *tx.To() != pc.inboxAddr {
			problems = append(problems, fmt.Errorf("%w: post %s is not a direct call of the Inbox", errBadPost, tx.Hash()))
			continue
		}
		if pc.clefSigned != nil && !pc.clefSigned[tx.Hash()] {
			problems = append(problems, fmt.Errorf("%w: %s (slot %d)", errNotClef, tx.Hash(), slot))
		}
		head, err := pc.el.HeaderByHash(ctx, lg.BlockHash)
		if err != nil {
			return nil, nil, fmt.Errorf("block %s: %w", lg.BlockHash, err)
		}
		sp.block, sp.slot = lg.BlockHash, (head.Time-pc.genesisTime)/pc.secondsPerSlot
		if sp.slot != slot {
			problems = append(problems, fmt.Errorf("%w: post %s for slot %d is in a block of slot %d", errBadPost, tx.Hash(), slot, sp.slot))
		}
		data, err := pc.postData(tx.Data())
		if err != nil {
			problems = append(problems, fmt.Errorf("%w: post %s: %v", errBadPost, tx.Hash(), err))
			continue
		}
		batches, err := rollup.DecodePost(data)
		if err != nil {
			problems = append(problems, fmt.Errorf("%w: post %s: %v", errBadPost, tx.Hash(), err))
			continue
		}
		for _, b := range batches {
			if b.ChainID == chain {
				all = append(all, b.Txs...)
			}
		}
	}
	for _, raw := range all {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			problems = append(problems, fmt.Errorf("%w: rollup %d slot %d: an L2 transaction does not decode: %v", errBadPost, chain, slot, err))
			continue
		}
		sp.txs[tx.Hash()] = true
	}
	if int(rec.Count) != len(all) || rollup.Accumulate(common.Hash{}, all...) != common.Hash(rec.Acc) {
		problems = append(problems, fmt.Errorf("%w: rollup %d slot %d: the record holds %d txs (acc %x), the posts carry %d",
			errBadPost, chain, slot, rec.Count, rec.Acc, len(all)))
	}
	return sp, problems, nil
}

// postData is the bytes argument of an Inbox.post call.
func (pc *postCheck) postData(input []byte) ([]byte, error) {
	if len(input) < 4 || !bytes.Equal(input[:4], pc.postABI.ID) {
		return nil, errors.New("not an Inbox.post call")
	}
	args, err := pc.postABI.Inputs.Unpack(input[4:])
	if err != nil {
		return nil, err
	}
	data, ok := args[0].([]byte)
	if !ok || len(args) != 1 {
		return nil, errors.New("Inbox.post argument is not bytes")
	}
	return data, nil
}

// readClefAudit reads Clef's audit log (--auditlog: one slog text line per
// call) and returns the hashes of the transactions it signed, from the
// data= of each SignTransaction response.
func readClefAudit(path string) (map[common.Hash]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("Clef audit log: %w", err)
	}
	defer f.Close()
	out := map[common.Hash]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "msg=SignTransaction") || !strings.Contains(line, " type=response") {
			continue
		}
		_, rest, ok := strings.Cut(line, " data=")
		if !ok {
			continue
		}
		field, _, _ := strings.Cut(rest, " ")
		raw, err := hex.DecodeString(strings.TrimPrefix(field, "0x"))
		if err != nil || len(raw) == 0 {
			continue // "<nil>": the call failed
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, fmt.Errorf("Clef audit log: a signed transaction does not decode: %w", err)
		}
		out[tx.Hash()] = true
	}
	return out, sc.Err()
}

// l2Result counts what checkL2 found.
type l2Result struct {
	chains  map[uint64]bool
	acks    int
	slots   int
	posted  int // in the poster's record of the promised slot
	crashed int // for a slot proposed while the sidecar was down, not posted
	missing int // not posted, outside strict mode (reported, not failed)
	posts   int // post transactions behind the records
	signed  int // of which Clef's audit log lists (when given)
}

// checkL2 judges the L2 promises slot by slot: each must be in the poster's
// Inbox record of its rollup for the promised slot, built by posts in that
// slot's block, proposed by an interop validator. A promise for a down slot
// that is not posted is broken by the outage; outside strict mode (the
// sidecar does not build the blocks) a missing one is only reported.
func checkL2(ctx context.Context, pc *postCheck, acks []ack, down func(slot uint64) bool, strict bool,
	proposer func(slot uint64) (uint64, error), validators uint64) (l2Result, []error, error) {
	type key struct{ chain, slot uint64 }
	r := l2Result{chains: map[uint64]bool{}, acks: len(acks)}
	bySlot := map[key][]ack{}
	var order []key
	for _, a := range acks {
		k := key{a.ChainID, a.Slot}
		if _, ok := bySlot[k]; !ok {
			order = append(order, k)
		}
		bySlot[k] = append(bySlot[k], a)
		r.chains[a.ChainID] = true
	}
	r.slots = len(order)
	var problems []error
	for _, k := range order {
		sp, lp, err := pc.slot(ctx, k.chain, k.slot)
		if err != nil {
			return r, problems, err
		}
		problems = append(problems, lp...)
		if len(sp.txs) > 0 {
			idx, err := proposer(sp.slot)
			if err != nil {
				return r, problems, err
			}
			if idx >= validators {
				problems = append(problems, fmt.Errorf("%w: slot %d proposer %d (a batch post's block)", errNotProposed, sp.slot, idx))
			}
		}
		for _, a := range bySlot[k] {
			switch {
			case sp.txs[a.TxHash]:
				r.posted++
			case down(a.Slot):
				r.crashed++
			case !strict:
				r.missing++
			default:
				problems = append(problems, fmt.Errorf("%w: %s (rollup %d, slot %d; the record holds %d txs)", errNotPosted, a.TxHash, a.ChainID, a.Slot, len(sp.txs)))
			}
		}
	}
	if strict && r.posted == 0 {
		problems = append(problems, fmt.Errorf("%w: none of the %d L2 promises was posted", errNotPosted, len(acks)))
	}
	r.posts = len(pc.posts)
	for h := range pc.posts {
		if pc.clefSigned[h] {
			r.signed++
		}
	}
	return r, problems, nil
}

// print writes the L2 check's lines.
func (r l2Result) print(poster string, audited bool) {
	chains := make([]string, 0, len(r.chains))
	for c := range r.chains {
		chains = append(chains, fmt.Sprint(c))
	}
	fmt.Printf("check: L2 (rollup %s): %d promises in %d slots, %d in their slot's Inbox record of poster %s, built by %d batch posts in the promised slots' blocks\n",
		strings.Join(chains, ","), r.acks, r.slots, r.posted, poster, r.posts)
	if audited {
		fmt.Printf("check: L2: %d of %d batch posts signed by Clef (its audit log lists them)\n", r.signed, r.posts)
	}
	if r.crashed > 0 {
		fmt.Printf("check: NOTE %d L2 promises for slots proposed while the sidecar was down were not posted (slashable); not counted as failures\n", r.crashed)
	}
	if r.missing > 0 {
		fmt.Printf("check: NOTE %d L2 promises not posted: without builder mode the sidecar's post does not reach a block\n", r.missing)
	}
}
