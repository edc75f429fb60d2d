// Package beaconmock is a fake beacon node for tests and the in-process devnet.
// It serves the standard beacon-API endpoints a proposer-side client needs —
// node version and sync state, genesis, spec, fork schedule, proposer duties
// with their dependent root, validators by pubkey, and the SSE event stream's
// head topic — with the exact JSON that real beacon nodes produce, so that
// go-eth2-client's http client parses it unchanged.
//
// Tests drive it: SetDuties changes the duties of an epoch (a new dependent root
// plays a reorg), EmitHead pushes a head event to every open stream, DropStreams
// cuts the streams, and Fail makes an endpoint answer with an error status.
// Every request is counted per path.
//
// The in-process devnet drives it further (chain.go): a duties provider that
// answers any epoch, randao mixes and block headers as blocks are made, the
// expected withdrawals, and block publishing (POST /eth/v2/beacon/blocks)
// handed to a callback that imports the payload.
package beaconmock

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Paths of the endpoints served, usable with Fail and Requests.
const (
	PathNodeVersion    = "/eth/v1/node/version"
	PathNodeSyncing    = "/eth/v1/node/syncing"
	PathGenesis        = "/eth/v1/beacon/genesis"
	PathSpec           = "/eth/v1/config/spec"
	PathForkSchedule   = "/eth/v1/config/fork_schedule"
	PathProposerDuties = "/eth/v1/validator/duties/proposer/" // + epoch
	PathEvents         = "/eth/v1/events"
	PathValidators     = "/eth/v1/beacon/states/" // + state id + /validators
	// PathRandao is served under PathValidators' prefix: + state id + /randao.
	PathRandao              = "/eth/v1/beacon/states/"
	PathHeaders             = "/eth/v1/beacon/headers/" // + block id
	PathBlockRoot           = "/eth/v1/beacon/blocks/"  // + block id + /root
	PathPublishBlock        = "/eth/v2/beacon/blocks"
	PathExpectedWithdrawals = "/eth/v1/builder/states/" // + state id + /expected_withdrawals
)

// farFutureEpoch is the spec's FAR_FUTURE_EPOCH (2^64-1).
const farFutureEpoch = ^uint64(0)

// Duty is one proposer duty as served by the duties endpoint.
type Duty struct {
	Slot           uint64
	ValidatorIndex uint64
	Pubkey         [48]byte
}

// Config fixes the chain the mock pretends to follow. Zero fields take the
// defaults documented on each.
type Config struct {
	// GenesisTime defaults to the time New is called, truncated to the second
	// (the API carries whole seconds).
	GenesisTime time.Time
	// SlotDuration defaults to 1 s. Whole seconds are served as
	// SECONDS_PER_SLOT; SLOT_DURATION_MS carries the exact value.
	SlotDuration time.Duration
	// SlotsPerEpoch defaults to 4.
	SlotsPerEpoch uint64
	// GenesisForkVersion defaults to 0x10000038.
	GenesisForkVersion [4]byte
	// GenesisValidatorsRoot defaults to 0x01 repeated.
	GenesisValidatorsRoot [32]byte
	// Forks is the fork schedule served; empty means the genesis fork alone.
	Forks []Fork
	// Spec holds extra entries of the spec endpoint (fork versions and
	// epochs, preset values); they override the built-in ones.
	Spec map[string]string
}

// Fork is one entry of the fork schedule.
type Fork struct {
	PreviousVersion [4]byte
	CurrentVersion  [4]byte
	Epoch           uint64
}

type epochDuties struct {
	duties        []Duty
	dependentRoot [32]byte
}

type failure struct {
	path   string
	status int
}

// Mock is a running fake beacon node. Its methods are safe for concurrent use.
type Mock struct {
	cfg    Config
	server *httptest.Server

	mu         sync.Mutex
	duties     map[uint64]epochDuties
	validators map[[48]byte]uint64
	failures   []failure
	requests   map[string]int
	headSlot   uint64
	streams    map[int]chan []byte // open SSE streams, each with its own buffer
	nextStream int
	drop       chan struct{} // closed by DropStreams to end every open stream

	dutiesFn  DutiesProvider
	randao    []slotMix      // sorted by slot
	headers   []BlockHeader  // sorted by slot
	onPublish PublishHandler // nil: publishing answers 503
}

// New starts a mock beacon node on an ephemeral loopback port. Close it when done.
func New(cfg Config) *Mock {
	if cfg.GenesisTime.IsZero() {
		cfg.GenesisTime = time.Now().Truncate(time.Second)
	}
	if cfg.SlotDuration == 0 {
		cfg.SlotDuration = time.Second
	}
	if cfg.SlotsPerEpoch == 0 {
		cfg.SlotsPerEpoch = 4
	}
	if cfg.GenesisForkVersion == ([4]byte{}) {
		cfg.GenesisForkVersion = [4]byte{0x10, 0x00, 0x00, 0x38}
	}
	if cfg.GenesisValidatorsRoot == ([32]byte{}) {
		for i := range cfg.GenesisValidatorsRoot {
			cfg.GenesisValidatorsRoot[i] = 0x01
		}
	}
	m := &Mock{
		cfg:        cfg,
		duties:     make(map[uint64]epochDuties),
		validators: make(map[[48]byte]uint64),
		requests:   make(map[string]int),
		streams:    make(map[int]chan []byte),
		drop:       make(chan struct{}),
	}
	m.server = httptest.NewServer(http.HandlerFunc(m.serve))
	return m
}

// URL is the beacon node's base URL.
func (m *Mock) URL() string { return m.server.URL }

// Config returns the effective configuration (defaults filled in).
func (m *Mock) Config() Config { return m.cfg }

// Close ends every stream and stops the server.
func (m *Mock) Close() {
	m.DropStreams()
	m.server.CloseClientConnections()
	m.server.Close()
}

// SetDuties replaces the proposer duties of an epoch and their dependent root.
// Setting different duties with a new root is how a test plays a reorg.
func (m *Mock) SetDuties(epoch uint64, duties []Duty, dependentRoot [32]byte) {
	cp := append([]Duty(nil), duties...)
	sort.Slice(cp, func(i, j int) bool { return cp[i].Slot < cp[j].Slot })
	m.mu.Lock()
	m.duties[epoch] = epochDuties{duties: cp, dependentRoot: dependentRoot}
	m.mu.Unlock()
}

// SetValidator makes the node know a validator (served by the validators endpoint).
func (m *Mock) SetValidator(pubkey [48]byte, index uint64) {
	m.mu.Lock()
	m.validators[pubkey] = index
	m.mu.Unlock()
}

// Fail makes every request whose path starts with path answer status with a
// beacon-API error body; status 0 removes the failure. Fail("/", 500) takes the
// whole node down, streams included.
func (m *Mock) Fail(path string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.failures[:0]
	for _, f := range m.failures {
		if f.path != path {
			kept = append(kept, f)
		}
	}
	m.failures = kept
	if status != 0 {
		m.failures = append(m.failures, failure{path: path, status: status})
	}
}

// Requests counts the requests received whose path starts with prefix.
func (m *Mock) Requests(prefix string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for p, c := range m.requests {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

// Streams is the number of open SSE event streams with the head topic.
func (m *Mock) Streams() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.streams)
}

// DropStreams ends every open event stream, as a beacon node restart would.
// Clients that reconnect get new streams.
func (m *Mock) DropStreams() {
	m.mu.Lock()
	close(m.drop)
	m.drop = make(chan struct{})
	m.mu.Unlock()
}

// EmitHead sends a head event for slot with block root to every open stream and
// makes slot the node's head. The event carries the dependent roots of the
// duties set for the slot's epoch and the one before, as real nodes do.
// It returns how many streams it was sent to.
func (m *Mock) EmitHead(slot uint64, root [32]byte) int {
	epoch := slot / m.cfg.SlotsPerEpoch
	m.mu.Lock()
	defer m.mu.Unlock()
	m.headSlot = slot
	ev := headEvent{
		Slot:            strconv.FormatUint(slot, 10),
		Block:           hex0x(root[:]),
		State:           hex0x(root[:]), // any 32 bytes; nobody here reads state roots
		EpochTransition: slot%m.cfg.SlotsPerEpoch == 0,
		ExecutionOpt:    false,
	}
	// current_duty_dependent_root: the proposer dependent root of this epoch;
	// previous_duty_dependent_root: that of the epoch before (attester duties).
	cur := m.dutiesLocked(epoch).dependentRoot
	ev.CurrentDutyDependentRoot = hex0x(cur[:])
	var prev [32]byte
	if epoch > 0 {
		prev = m.dutiesLocked(epoch - 1).dependentRoot
	}
	ev.PreviousDutyDependentRoot = hex0x(prev[:])
	data, err := json.Marshal(ev)
	if err != nil {
		panic(err) // a fixed struct of strings always marshals
	}
	frame := []byte("event: head\ndata: " + string(data) + "\n\n")
	n := 0
	for _, ch := range m.streams {
		select {
		case ch <- frame:
			n++
		default: // a stuck client loses events, as with a real node
		}
	}
	return n
}

type headEvent struct {
	Slot                      string `json:"slot"`
	Block                     string `json:"block"`
	State                     string `json:"state"`
	EpochTransition           bool   `json:"epoch_transition"`
	PreviousDutyDependentRoot string `json:"previous_duty_dependent_root"`
	CurrentDutyDependentRoot  string `json:"current_duty_dependent_root"`
	ExecutionOpt              bool   `json:"execution_optimistic"`
}

func hex0x(b []byte) string { return "0x" + hex.EncodeToString(b) }

func (m *Mock) serve(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.requests[r.URL.Path]++
	status := 0
	for _, f := range m.failures {
		if strings.HasPrefix(r.URL.Path, f.path) {
			status = f.status
		}
	}
	m.mu.Unlock()
	if status != 0 {
		writeError(w, status, "beaconmock: simulated failure")
		return
	}

	p := r.URL.Path
	switch {
	case p == PathNodeVersion && r.Method == http.MethodGet:
		writeData(w, map[string]string{"version": "Pledge-beaconmock/v0.1.0/linux-x86_64"}, nil)
	case p == PathNodeSyncing && r.Method == http.MethodGet:
		m.serveSyncing(w)
	case p == PathGenesis && r.Method == http.MethodGet:
		writeData(w, map[string]string{
			"genesis_time":            strconv.FormatInt(m.cfg.GenesisTime.Unix(), 10),
			"genesis_validators_root": hex0x(m.cfg.GenesisValidatorsRoot[:]),
			"genesis_fork_version":    hex0x(m.cfg.GenesisForkVersion[:]),
		}, nil)
	case p == PathSpec && r.Method == http.MethodGet:
		writeData(w, m.spec(), nil)
	case p == PathForkSchedule && r.Method == http.MethodGet:
		writeData(w, m.forkSchedule(), nil)
	case strings.HasPrefix(p, PathProposerDuties) && r.Method == http.MethodGet:
		m.serveDuties(w, strings.TrimPrefix(p, PathProposerDuties))
	case p == PathEvents && r.Method == http.MethodGet:
		m.serveEvents(w, r)
	case strings.HasPrefix(p, PathValidators) && strings.HasSuffix(p, "/validators"):
		m.serveValidators(w, r)
	case strings.HasPrefix(p, PathRandao) && strings.HasSuffix(p, "/randao") && r.Method == http.MethodGet:
		m.serveRandao(w, strings.TrimSuffix(strings.TrimPrefix(p, PathRandao), "/randao"))
	case strings.HasPrefix(p, PathHeaders) && r.Method == http.MethodGet:
		m.serveHeader(w, strings.TrimPrefix(p, PathHeaders))
	case strings.HasPrefix(p, PathBlockRoot) && strings.HasSuffix(p, "/root") && r.Method == http.MethodGet:
		m.serveBlockRoot(w, strings.TrimSuffix(strings.TrimPrefix(p, PathBlockRoot), "/root"))
	case p == PathPublishBlock && r.Method == http.MethodPost:
		m.servePublish(w, r)
	case strings.HasPrefix(p, PathExpectedWithdrawals) && strings.HasSuffix(p, "/expected_withdrawals") && r.Method == http.MethodGet:
		writeData(w, []any{}, map[string]any{"execution_optimistic": false, "finalized": false})
	default:
		writeError(w, http.StatusNotFound, "beaconmock: no such endpoint "+r.Method+" "+p)
	}
}

func (m *Mock) spec() map[string]string {
	secs := int64(m.cfg.SlotDuration / time.Second)
	out := map[string]string{
		"CONFIG_NAME":                "pledge-beaconmock",
		"PRESET_BASE":                "minimal",
		"SECONDS_PER_SLOT":           strconv.FormatInt(secs, 10),
		"SLOT_DURATION_MS":           strconv.FormatInt(m.cfg.SlotDuration.Milliseconds(), 10),
		"SLOTS_PER_EPOCH":            strconv.FormatUint(m.cfg.SlotsPerEpoch, 10),
		"GENESIS_FORK_VERSION":       hex0x(m.cfg.GenesisForkVersion[:]),
		"MIN_GENESIS_TIME":           strconv.FormatInt(m.cfg.GenesisTime.Unix(), 10),
		"GENESIS_DELAY":              "0",
		"DOMAIN_BEACON_PROPOSER":     "0x00000000",
		"DOMAIN_APPLICATION_MASK":    "0x00000001",
		"DOMAIN_APPLICATION_BUILDER": "0x00000001",
		"FAR_FUTURE_EPOCH":           strconv.FormatUint(farFutureEpoch, 10),
		"MAX_EFFECTIVE_BALANCE":      "32000000000",
	}
	for k, v := range m.cfg.Spec {
		out[k] = v
	}
	return out
}

func (m *Mock) serveSyncing(w http.ResponseWriter) {
	m.mu.Lock()
	head := m.headSlot
	m.mu.Unlock()
	writeData(w, map[string]any{
		"head_slot":     strconv.FormatUint(head, 10),
		"sync_distance": "0",
		"is_syncing":    false,
		"is_optimistic": false,
		"el_offline":    false,
	}, nil)
}

func (m *Mock) serveDuties(w http.ResponseWriter, epochText string) {
	epoch, err := strconv.ParseUint(epochText, 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid epoch: "+epochText)
		return
	}
	m.mu.Lock()
	ed := m.dutiesLocked(epoch)
	m.mu.Unlock()
	out := make([]map[string]string, 0, len(ed.duties))
	for _, d := range ed.duties {
		out = append(out, map[string]string{
			"pubkey":          hex0x(d.Pubkey[:]),
			"validator_index": strconv.FormatUint(d.ValidatorIndex, 10),
			"slot":            strconv.FormatUint(d.Slot, 10),
		})
	}
	writeData(w, out, map[string]any{
		"dependent_root":       hex0x(ed.dependentRoot[:]),
		"execution_optimistic": false,
	})
}

// serveValidators answers GET ?id=a,b&id=c and POST {"ids":[...]} with the
// known validators among the ids (pubkeys or indices), all active.
func (m *Mock) serveValidators(w http.ResponseWriter, r *http.Request) {
	var ids []string
	switch r.Method {
	case http.MethodGet:
		for _, v := range r.URL.Query()["id"] {
			ids = append(ids, strings.Split(v, ",")...)
		}
	case http.MethodPost:
		var body struct {
			IDs []string `json:"ids"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
			writeError(w, http.StatusBadRequest, "invalid request body: "+err.Error())
			return
		}
		ids = body.IDs
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[strings.ToLower(strings.TrimSpace(id))] = true
	}
	m.mu.Lock()
	type entry struct {
		pubkey [48]byte
		index  uint64
	}
	var found []entry
	for pk, idx := range m.validators {
		if len(want) == 0 || want[hex0x(pk[:])] || want[strconv.FormatUint(idx, 10)] {
			found = append(found, entry{pk, idx})
		}
	}
	m.mu.Unlock()
	sort.Slice(found, func(i, j int) bool { return found[i].index < found[j].index })
	out := make([]map[string]any, 0, len(found))
	for _, e := range found {
		out = append(out, map[string]any{
			"index":   strconv.FormatUint(e.index, 10),
			"balance": "32000000000",
			"status":  "active_ongoing",
			"validator": map[string]any{
				"pubkey":                       hex0x(e.pubkey[:]),
				"withdrawal_credentials":       hex0x(make([]byte, 32)),
				"effective_balance":            "32000000000",
				"slashed":                      false,
				"activation_eligibility_epoch": "0",
				"activation_epoch":             "0",
				"exit_epoch":                   strconv.FormatUint(farFutureEpoch, 10),
				"withdrawable_epoch":           strconv.FormatUint(farFutureEpoch, 10),
			},
		})
	}
	writeData(w, out, map[string]any{"execution_optimistic": false, "finalized": false})
}

// serveEvents holds an SSE stream open, writing head events as EmitHead sends
// them, until the client leaves, DropStreams is called or the mock closes.
// The payload_attributes topic is accepted and never emitted (a node with
// no proposer to prepare sends none): its clients fall back to the REST
// endpoints. Streams counts only the streams with the head topic.
func (m *Mock) serveEvents(w http.ResponseWriter, r *http.Request) {
	topics := r.URL.Query()["topics"]
	head, attrs := false, false
	for _, t := range topics {
		for _, one := range strings.Split(t, ",") {
			switch one {
			case "head":
				head = true
			case "payload_attributes":
				attrs = true
			}
		}
	}
	if !head && !attrs {
		writeError(w, http.StatusBadRequest, "beaconmock serves only the head and payload_attributes topics")
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	ch := make(chan []byte, 64)
	m.mu.Lock()
	id := m.nextStream
	m.nextStream++
	if head {
		m.streams[id] = ch
	}
	drop := m.drop
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.streams, id)
		m.mu.Unlock()
	}()

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-drop:
			return
		case frame := <-ch:
			if _, err := w.Write(frame); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

func writeData(w http.ResponseWriter, data any, meta map[string]any) {
	body := map[string]any{"data": data}
	for k, v := range meta {
		body[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(body) // a write error means the client left
}

// writeError writes the beacon-API error body {"code":…, "message":…}.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": status, "message": msg})
}

// String describes the mock for test logs.
func (m *Mock) String() string {
	return fmt.Sprintf("beaconmock at %s (slot %s, %d slots/epoch)", m.server.URL, m.cfg.SlotDuration, m.cfg.SlotsPerEpoch)
}
