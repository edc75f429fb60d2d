package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// Errors of the check, one per way a promise can be lost or broken.
var (
	errLostPromise   = errors.New("acknowledged promise not returned by commitmentResult")
	errAlteredResult = errors.New("commitmentResult returned a different promise than the one acknowledged")
	errNotLanded     = errors.New("promised transaction not in any block")
	errLate          = errors.New("promised transaction landed after its slot")
	errNotProposed   = errors.New("block not proposed by an interop validator")
	errNoAcks        = errors.New("no promise acknowledged")
	errEquivocation  = errors.New("two transactions promised for one sender nonce")
)

// checkConfig is what `e2ectl check` needs.
type checkConfig struct {
	sidecarURL, rpcURL, beaconURL, acksFile string
	genesisTime, secondsPerSlot             uint64
	validators                              uint64
	killedAtMs, restartedAtMs               int64
	// peerKilled and peerKilledAtMs: one of several sidecars sharing one
	// promise store, killed and not restarted, while the others (and the
	// beacon node's builder) ran on: every promise is still required, and
	// there must be promises from it before and from the others after.
	peerKilled     string
	peerKilledAtMs int64
	strict         bool
	timeout        time.Duration
	// registry and operator, when set, turn on the ledger check: every
	// acknowledged promise is a leaf of its slot's ledger.
	registry, operator string
	// inbox and poster judge the L2 promises (acks with a chain id): each
	// must be in the poster's Inbox record of its rollup and slot;
	// clefAudit, when set, is Clef's audit log, which must list every post.
	inbox, poster, clefAudit string
}

// runCheck judges every acknowledged promise after its slot.
func runCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var c checkConfig
	fs.StringVar(&c.sidecarURL, "sidecar", "", "sidecar user API URL (restarted); several comma-separated: each must serve every promise")
	fs.StringVar(&c.rpcURL, "rpc", "", "execution client JSON-RPC URL")
	fs.StringVar(&c.beaconURL, "beacon", "", "beacon node REST API URL")
	fs.StringVar(&c.acksFile, "acks", "", "acknowledged promises written by drive")
	fs.Uint64Var(&c.genesisTime, "genesis-time", 0, "beacon genesis unix time")
	fs.Uint64Var(&c.secondsPerSlot, "seconds-per-slot", 2, "slot length")
	fs.Uint64Var(&c.validators, "validators", 64, "interop validators (all served by the sidecar)")
	fs.Int64Var(&c.killedAtMs, "killed-at-ms", 0, "when the sidecar was killed (unix ms): promises before and after are required")
	fs.Int64Var(&c.restartedAtMs, "restarted-at-ms", 0, "when the restarted sidecar was ready (unix ms)")
	fs.StringVar(&c.peerKilled, "peer-killed", "", "high availability: user API URL of a sidecar killed for good while the others sold on (as recorded by drive)")
	fs.Int64Var(&c.peerKilledAtMs, "peer-killed-at-ms", 0, "when -peer-killed was killed (unix ms)")
	fs.BoolVar(&c.strict, "strict", false, "fail on a promise that landed after its slot (builder mode: the sidecar forces inclusion)")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "how long to wait for the promised slots to pass")
	fs.StringVar(&c.registry, "registry", "", "Registry address: check every acknowledged promise is in its slot's ledger (needs -operator; default: REGISTRY from -contracts)")
	fs.StringVar(&c.operator, "operator", "", "operator address whose ledgers are checked (default: OPERATOR from -contracts)")
	fs.StringVar(&c.inbox, "inbox", "", "Inbox address, for the L2 promises (default: INBOX from -contracts)")
	fs.StringVar(&c.poster, "poster", "", "the batch poster's address: every L2 promise must be in its Inbox record of the promised slot")
	fs.StringVar(&c.clefAudit, "clef-audit", "", "Clef's audit log (--auditlog): every batch post must be a transaction it signed")
	contracts := fs.String("contracts", "", "the KEY=value file `deploy -out` wrote (default: contracts.env beside -acks, when there)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.sidecarURL == "" || c.rpcURL == "" || c.beaconURL == "" || c.acksFile == "" || c.genesisTime == 0 {
		return fmt.Errorf("check: -sidecar, -rpc, -beacon, -acks and -genesis-time are required: %w", errUsage)
	}
	if (c.peerKilled == "") != (c.peerKilledAtMs == 0) {
		return fmt.Errorf("check: -peer-killed and -peer-killed-at-ms go together: %w", errUsage)
	}
	if err := c.contractsFrom(*contracts); err != nil {
		return err
	}
	if (c.inbox != "" && !common.IsHexAddress(c.inbox)) || (c.poster != "" && !common.IsHexAddress(c.poster)) {
		return fmt.Errorf("check: -inbox and -poster are hex addresses: %w", errUsage)
	}
	if (c.registry == "") != (c.operator == "") || (c.registry != "" && (!common.IsHexAddress(c.registry) || !common.IsHexAddress(c.operator))) {
		return fmt.Errorf("check: -registry and -operator go together, as hex addresses: %w", errUsage)
	}
	return check(ctx, c)
}

// contractsFrom fills -registry and -operator, when not given, from the
// file `deploy -out` wrote: path, or contracts.env beside the acks file.
func (c *checkConfig) contractsFrom(path string) error {
	if c.registry != "" || c.operator != "" || c.inbox != "" {
		return nil
	}
	if path == "" {
		path = filepath.Join(filepath.Dir(c.acksFile), "contracts.env")
		if _, err := os.Stat(path); err != nil {
			return nil // no deployment file: the ledger check is off
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("check: -contracts: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		switch {
		case !ok:
		case k == "REGISTRY":
			c.registry = v
		case k == "OPERATOR":
			c.operator = v
		case k == "INBOX":
			c.inbox = v
		}
	}
	return nil
}

func readAcks(path string) ([]ack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []ack
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var a ack
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

func check(ctx context.Context, c checkConfig) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	acks, err := readAcks(c.acksFile)
	if err != nil {
		return err
	}
	if len(acks) == 0 {
		return errNoAcks
	}
	var before, after int
	last := uint64(0)
	for _, a := range acks {
		switch {
		case c.killedAtMs != 0 && a.AckedAtMs < c.killedAtMs:
			before++
		case c.restartedAtMs != 0 && a.AckedAtMs >= c.restartedAtMs:
			after++
		}
		last = max(last, a.Slot)
	}
	if c.killedAtMs != 0 && (before == 0 || after == 0) {
		return fmt.Errorf("%w on both sides of the SIGKILL: %d before, %d after the restart", errNoAcks, before, after)
	}
	bySidecar := map[string]int{}
	var peerBefore, othersAfter int
	for _, a := range acks {
		bySidecar[a.Sidecar]++
		switch {
		case c.peerKilled == "":
		case a.Sidecar == c.peerKilled && a.AckedAtMs < c.peerKilledAtMs:
			peerBefore++
		case a.Sidecar != c.peerKilled && a.AckedAtMs > c.peerKilledAtMs:
			othersAfter++
		}
	}
	if c.peerKilled != "" && (peerBefore == 0 || othersAfter == 0) {
		return fmt.Errorf("%w on both sides of the peer's SIGKILL: %d by %s before it, %d by the others after", errNoAcks, peerBefore, c.peerKilled, othersAfter)
	}

	// Wait until the last promised slot and one more have passed.
	wait := time.Until(time.Unix(int64(c.genesisTime+(last+2)*c.secondsPerSlot), 0))
	if wait > 0 {
		fmt.Printf("check: waiting %s for slot %d to pass\n", wait.Round(time.Second), last+1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}

	el, err := ethclient.DialContext(ctx, c.rpcURL)
	if err != nil {
		return fmt.Errorf("execution client %s: %w", c.rpcURL, err)
	}
	defer el.Close()
	var sidecars []*sidecarClient
	for _, u := range strings.Split(c.sidecarURL, ",") {
		if u = strings.TrimSpace(u); u != "" {
			sidecars = append(sidecars, &sidecarClient{url: u, http: &http.Client{Timeout: 5 * time.Second}})
		}
	}
	chainID, err := el.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("execution client %s: chain id: %w", c.rpcURL, err)
	}
	var ledgers *ledgerCheck
	if c.registry != "" {
		ledgers = &ledgerCheck{registry: common.HexToAddress(c.registry), operator: common.HexToAddress(c.operator),
			genesisTime: c.genesisTime, secondsPerSlot: c.secondsPerSlot, digests: map[uint64][]common.Hash{}}
	}
	proposers := map[uint64]uint64{}
	problems := equivocations(acks)
	var l2Acks []ack
	var (
		exact, early, late, lost int
		crashed, carried         int
		notCarried               int // of crashed: stacked on a down slot's nonce
	)
	// A promise for a slot proposed while the sidecar was down cannot be
	// forced in (there is no builder to ask); in builder mode that is the
	// operator's fault, slashable, and reported rather than failed.
	downSlot := func(slot uint64) bool {
		if c.killedAtMs == 0 {
			return false
		}
		// Down for a slot whose time overlaps the outage: a kill a few
		// milliseconds into the slot still comes before the beacon node
		// asks for its header (a few hundred ms in).
		slotMs := int64(c.secondsPerSlot) * 1000
		startMs := int64(c.genesisTime+slot*c.secondsPerSlot) * 1000
		return startMs+slotMs > c.killedAtMs && startMs <= c.restartedAtMs+slotMs
	}
	// A promise whose sender had an earlier nonce promised for a down slot
	// can only land if the sidecar carries the missed transaction forward to
	// the top of the later promise's block (docs/protocol.md §3.4). It does
	// so from its first re-check after the restart; a later slot that came
	// before that, or a carry that did not fit, breaks with the outage: the
	// check reports those with the crash and counts the carried ones.
	downFrom := map[common.Address]uint64{}
	for _, a := range acks {
		if c.strict && a.ChainID == 0 && downSlot(a.Slot) {
			if n, ok := downFrom[a.Sender]; !ok || a.Nonce < n {
				downFrom[a.Sender] = a.Nonce
			}
		}
	}
	// L2 promises are kept by the post, whatever the sender's nonces: no
	// stacking there.
	stackedOnDown := func(a ack) bool {
		n, ok := downFrom[a.Sender]
		return c.strict && a.ChainID == 0 && !downSlot(a.Slot) && ok && a.Nonce > n
	}
	brokenByCrash := func(a ack) bool {
		return c.strict && downSlot(a.Slot) || stackedOnDown(a)
	}
	for _, a := range acks {
		// The promise survives the restart, byte for byte, on every sidecar.
		var got protocol.SignedCommitment
		served := true
		for _, sc := range sidecars {
			if err := sc.call(ctx, "commitmentResult", []any{a.RequestHash}, &got); err != nil {
				served = false
				problems = append(problems, fmt.Errorf("%w: %s (slot %d, acknowledged %s) by %s: %v",
					errLostPromise, a.RequestHash, a.Slot, time.UnixMilli(a.AckedAtMs).Format("15:04:05.000"), sc.url, err))
				break
			}
			if !bytes.Equal(got.Signature, a.Signature) || !bytes.Equal(got.Commitment.Payload, a.Payload) {
				served = false
				problems = append(problems, fmt.Errorf("%w: %s by %s", errAlteredResult, a.RequestHash, sc.url))
				break
			}
		}
		if !served {
			lost++
			continue
		}
		if ledgers != nil {
			if err := ledgers.add(&got, chainID.Uint64()); err != nil {
				problems = append(problems, fmt.Errorf("promise %s does not open: %w", a.RequestHash, err))
			}
		}
		if a.ChainID != 0 {
			l2Acks = append(l2Acks, a) // judged against the Inbox below
			continue
		}
		// The transaction is on chain, no later than its slot, in a block a
		// validator of ours proposed.
		rcpt, err := el.TransactionReceipt(ctx, a.TxHash)
		if errors.Is(err, ethereum.NotFound) && brokenByCrash(a) {
			crashed++
			if stackedOnDown(a) {
				notCarried++
			}
			continue
		}
		if errors.Is(err, ethereum.NotFound) {
			problems = append(problems, fmt.Errorf("%w: %s (promised for slot %d)", errNotLanded, a.TxHash, a.Slot))
			continue
		}
		if err != nil {
			return fmt.Errorf("receipt of %s: %w", a.TxHash, err)
		}
		if rcpt.Status != types.ReceiptStatusSuccessful {
			problems = append(problems, fmt.Errorf("promised transaction %s failed in block %s", a.TxHash, rcpt.BlockNumber))
		}
		head, err := el.HeaderByHash(ctx, rcpt.BlockHash)
		if err != nil {
			return fmt.Errorf("block %s: %w", rcpt.BlockHash, err)
		}
		slot := (head.Time - c.genesisTime) / c.secondsPerSlot
		switch {
		case slot == a.Slot:
			exact++
			if stackedOnDown(a) {
				carried++
			}
		case slot < a.Slot:
			early++
		case brokenByCrash(a):
			crashed++
			if stackedOnDown(a) {
				notCarried++
			}
		default:
			late++
			if c.strict {
				problems = append(problems, fmt.Errorf("%w: %s promised for slot %d, in slot %d", errLate, a.TxHash, a.Slot, slot))
			}
		}
		if _, ok := proposers[slot]; !ok {
			idx, err := proposerOf(ctx, c.beaconURL, slot)
			if err != nil {
				return err
			}
			proposers[slot] = idx
		}
		if idx := proposers[slot]; idx >= c.validators {
			problems = append(problems, fmt.Errorf("%w: slot %d proposer %d", errNotProposed, slot, idx))
		}
	}
	var l2 l2Result
	if len(l2Acks) > 0 {
		if c.inbox == "" || c.poster == "" {
			return fmt.Errorf("check: %d L2 promises, and no -inbox or -poster to judge them: %w", len(l2Acks), errUsage)
		}
		pc, err := newPostCheck(el, common.HexToAddress(c.inbox), common.HexToAddress(c.poster), c.genesisTime, c.secondsPerSlot, c.clefAudit)
		if err != nil {
			return err
		}
		var lp []error
		proposer := func(slot uint64) (uint64, error) {
			if idx, ok := proposers[slot]; ok {
				return idx, nil
			}
			idx, err := proposerOf(ctx, c.beaconURL, slot)
			if err == nil {
				proposers[slot] = idx
			}
			return idx, err
		}
		down := func(slot uint64) bool { return c.strict && downSlot(slot) }
		if l2, lp, err = checkL2(ctx, pc, l2Acks, down, c.strict, proposer, c.validators); err != nil {
			return err
		}
		problems = append(problems, lp...)
	}
	if ledgers != nil {
		n, lp, err := ledgers.run(ctx, el)
		if err != nil {
			return err
		}
		problems = append(problems, lp...)
		fmt.Printf("check: %d of %d slots with promises have their ledger in the Registry\n", n, len(ledgers.digests))
	}
	if c.killedAtMs != 0 {
		fmt.Printf("check: %d promises acknowledged (%d before the SIGKILL, %d after the restart), %d lost after the restart\n",
			len(acks), before, after, lost)
	} else {
		fmt.Printf("check: %d promises acknowledged, %d lost\n", len(acks), lost)
	}
	if len(bySidecar) > 1 || c.peerKilled != "" {
		fmt.Printf("check: promises by sidecar %v; %d by %s before its SIGKILL, %d by the others after it; every one served by %s; 0 equivocations unless listed below\n",
			bySidecar, peerBefore, c.peerKilled, othersAfter, c.sidecarURL)
	}
	fmt.Printf("check: landed in the promised slot %d, earlier %d, later %d, in %d blocks proposed by the Prysm validator\n",
		exact, early, late, len(proposers))
	if len(l2Acks) > 0 {
		l2.print(c.poster, c.clefAudit != "")
	}
	if carried > 0 {
		fmt.Printf("check: %d promises stacked on a nonce promised for a down slot landed in their own slot (the missed transactions carried forward)\n", carried)
	}
	if crashed > 0 {
		fmt.Printf("check: NOTE %d promises broken by the outage — %d for slots proposed while the sidecar was down (slashable), %d stacked on a nonce promised for one and not carried (not slashable: priors are of the same slot); not counted as failures\n",
			crashed, crashed-notCarried, notCarried)
	}
	if late > 0 && !c.strict {
		fmt.Printf("check: NOTE %d promised transactions landed after their slot: without builder mode the sidecar cannot force them in\n", late)
	}
	for i, p := range problems {
		if i == 20 {
			fmt.Printf("check: ... and %d more\n", len(problems)-i)
			break
		}
		fmt.Println("check: FAIL", p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d of %d promises failed the check", len(problems), len(acks))
	}
	return nil
}

// equivocations lists every (sender, nonce) promised to two different
// transactions across the acknowledged promises, whichever sidecar answered.
func equivocations(acks []ack) []error {
	type key struct {
		chain  uint64 // 0 for L1: each chain has its own nonces
		sender common.Address
		nonce  uint64
	}
	first := map[key]ack{}
	var out []error
	for _, a := range acks {
		k := key{a.ChainID, a.Sender, a.Nonce}
		f, ok := first[k]
		switch {
		case !ok:
			first[k] = a
		case f.TxHash != a.TxHash:
			out = append(out, fmt.Errorf("%w: sender %s nonce %d: %s (by %s) and %s (by %s)",
				errEquivocation, a.Sender, a.Nonce, f.TxHash, f.Sidecar, a.TxHash, a.Sidecar))
		}
	}
	return out
}

// proposerOf is the proposer index of the canonical beacon block at slot.
func proposerOf(ctx context.Context, beaconURL string, slot uint64) (uint64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/eth/v1/beacon/headers/%d", strings.TrimSuffix(beaconURL, "/"), slot), nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("beacon header of slot %d: %w", slot, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("beacon header of slot %d: HTTP %d (a block with promised transactions has no beacon block)", slot, resp.StatusCode)
	}
	var body struct {
		Data struct {
			Header struct {
				Message struct {
					ProposerIndex string `json:"proposer_index"`
				} `json:"message"`
			} `json:"header"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("beacon header of slot %d: %w", slot, err)
	}
	idx, err := strconv.ParseUint(body.Data.Header.Message.ProposerIndex, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("beacon header of slot %d: proposer index %q", slot, body.Data.Header.Message.ProposerIndex)
	}
	return idx, nil
}
