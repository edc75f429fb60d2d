package beaconmock

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/attestantio/go-eth2-client/api"
	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
	apiv1fulu "github.com/attestantio/go-eth2-client/api/v1/fulu"
	"github.com/attestantio/go-eth2-client/spec"
)

// maxBlockBytes bounds a published block: a payload with a full set of blobs
// and their cell proofs stays well under it.
const maxBlockBytes = 64 << 20

// DutiesProvider computes the proposer duties of an epoch and their dependent
// root on demand; ok false means the node does not know the epoch yet.
type DutiesProvider func(epoch uint64) (duties []Duty, dependentRoot [32]byte, ok bool)

// PublishHandler receives a block published through POST /eth/v2/beacon/blocks.
// An error refuses the block (400 with the error's text).
type PublishHandler func(ctx context.Context, block *api.VersionedSignedProposal) error

// BlockHeader is a beacon block header as the headers endpoint serves it.
type BlockHeader struct {
	Slot          uint64
	ProposerIndex uint64
	Root          [32]byte
	ParentRoot    [32]byte
	StateRoot     [32]byte
	BodyRoot      [32]byte
	Signature     [96]byte
}

type slotMix struct {
	slot uint64
	mix  [32]byte
}

// ErrNoPublisher is the error text of a publish request when no handler is set.
var ErrNoPublisher = errors.New("beaconmock: block publishing is not enabled")

// SetDutiesProvider makes epochs without explicit SetDuties come from fn.
// Explicit duties win, so a test can still play a reorg on top of it.
func (m *Mock) SetDutiesProvider(fn DutiesProvider) {
	m.mu.Lock()
	m.dutiesFn = fn
	m.mu.Unlock()
}

// dutiesLocked returns the duties of epoch: explicit ones first, then the provider's.
func (m *Mock) dutiesLocked(epoch uint64) epochDuties {
	if ed, ok := m.duties[epoch]; ok {
		return ed
	}
	if m.dutiesFn == nil {
		return epochDuties{}
	}
	duties, root, ok := m.dutiesFn(epoch)
	if !ok {
		return epochDuties{}
	}
	cp := append([]Duty(nil), duties...)
	sort.Slice(cp, func(i, j int) bool { return cp[i].Slot < cp[j].Slot })
	return epochDuties{duties: cp, dependentRoot: root}
}

// SetPublishHandler enables POST /eth/v2/beacon/blocks: each decoded block
// goes to fn, whose error refuses it. nil disables publishing (503).
func (m *Mock) SetPublishHandler(fn PublishHandler) {
	m.mu.Lock()
	m.onPublish = fn
	m.mu.Unlock()
}

// SetRandao records the randao mix of the state after the block at slot; the
// randao endpoint answers, for a state id, the latest mix at or before it.
func (m *Mock) SetRandao(slot uint64, mix [32]byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := sort.Search(len(m.randao), func(i int) bool { return m.randao[i].slot >= slot })
	if i < len(m.randao) && m.randao[i].slot == slot {
		m.randao[i].mix = mix
		return
	}
	m.randao = append(m.randao, slotMix{})
	copy(m.randao[i+1:], m.randao[i:])
	m.randao[i] = slotMix{slot: slot, mix: mix}
}

// AddHeader records a block header (served by the headers and block root
// endpoints). A header for a slot already known replaces it.
func (m *Mock) AddHeader(h BlockHeader) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := sort.Search(len(m.headers), func(i int) bool { return m.headers[i].Slot >= h.Slot })
	if i < len(m.headers) && m.headers[i].Slot == h.Slot {
		m.headers[i] = h
		return
	}
	m.headers = append(m.headers, BlockHeader{})
	copy(m.headers[i+1:], m.headers[i:])
	m.headers[i] = h
}

func (m *Mock) forkSchedule() []map[string]string {
	if len(m.cfg.Forks) == 0 {
		v := hex0x(m.cfg.GenesisForkVersion[:])
		return []map[string]string{{"previous_version": v, "current_version": v, "epoch": "0"}}
	}
	out := make([]map[string]string, 0, len(m.cfg.Forks))
	for _, f := range m.cfg.Forks {
		out = append(out, map[string]string{
			"previous_version": hex0x(f.PreviousVersion[:]),
			"current_version":  hex0x(f.CurrentVersion[:]),
			"epoch":            strconv.FormatUint(f.Epoch, 10),
		})
	}
	return out
}

// stateSlot resolves a state or block id to a slot: head (and the other
// named ids, since the mock has no finality), or a decimal slot.
func (m *Mock) stateSlot(id string) (uint64, error) {
	switch id {
	case "head", "finalized", "justified":
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.headSlot, nil
	case "genesis":
		return 0, nil
	}
	slot, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid state id: %s", id)
	}
	return slot, nil
}

func (m *Mock) serveRandao(w http.ResponseWriter, stateID string) {
	slot, err := m.stateSlot(stateID)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	m.mu.Lock()
	i := sort.Search(len(m.randao), func(i int) bool { return m.randao[i].slot > slot })
	var mix [32]byte
	found := i > 0
	if found {
		mix = m.randao[i-1].mix
	}
	m.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "state not found")
		return
	}
	writeData(w, map[string]string{"randao": hex0x(mix[:])}, map[string]any{"execution_optimistic": false, "finalized": false})
}

// header resolves a block id (head, genesis, a slot or a 0x root).
func (m *Mock) header(id string) (BlockHeader, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if strings.HasPrefix(id, "0x") {
		raw, err := hex.DecodeString(id[2:])
		if err != nil || len(raw) != 32 {
			return BlockHeader{}, false
		}
		for _, h := range m.headers {
			if string(h.Root[:]) == string(raw) {
				return h, true
			}
		}
		return BlockHeader{}, false
	}
	var slot uint64
	switch id {
	case "head", "finalized", "justified":
		if len(m.headers) == 0 {
			return BlockHeader{}, false
		}
		return m.headers[len(m.headers)-1], true
	case "genesis":
		slot = 0
	default:
		s, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			return BlockHeader{}, false
		}
		slot = s
	}
	i := sort.Search(len(m.headers), func(i int) bool { return m.headers[i].Slot >= slot })
	if i < len(m.headers) && m.headers[i].Slot == slot {
		return m.headers[i], true
	}
	return BlockHeader{}, false
}

func (m *Mock) serveHeader(w http.ResponseWriter, id string) {
	h, ok := m.header(id)
	if !ok {
		writeError(w, http.StatusNotFound, "block not found: "+id)
		return
	}
	writeData(w, map[string]any{
		"root":      hex0x(h.Root[:]),
		"canonical": true,
		"header": map[string]any{
			"message": map[string]string{
				"slot":           strconv.FormatUint(h.Slot, 10),
				"proposer_index": strconv.FormatUint(h.ProposerIndex, 10),
				"parent_root":    hex0x(h.ParentRoot[:]),
				"state_root":     hex0x(h.StateRoot[:]),
				"body_root":      hex0x(h.BodyRoot[:]),
			},
			"signature": hex0x(h.Signature[:]),
		},
	}, map[string]any{"execution_optimistic": false, "finalized": false})
}

func (m *Mock) serveBlockRoot(w http.ResponseWriter, id string) {
	h, ok := m.header(id)
	if !ok {
		writeError(w, http.StatusNotFound, "block not found: "+id)
		return
	}
	writeData(w, map[string]string{"root": hex0x(h.Root[:])}, map[string]any{"execution_optimistic": false, "finalized": false})
}

// servePublish decodes a signed block with its blobs (JSON, or SSZ with
// Content-Type application/octet-stream) for the fork named by the
// Eth-Consensus-Version header, and hands it to the publish handler.
func (m *Mock) servePublish(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	fn := m.onPublish
	m.mu.Unlock()
	if fn == nil {
		writeError(w, http.StatusServiceUnavailable, ErrNoPublisher.Error())
		return
	}
	block, err := DecodeBlock(r.Header.Get("Eth-Consensus-Version"), r.Header.Get("Content-Type"), http.MaxBytesReader(w, r.Body, maxBlockBytes))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := fn(r.Context(), block); err != nil {
		writeError(w, http.StatusBadRequest, "block refused: "+err.Error())
		return
	}
	w.WriteHeader(http.StatusOK)
}

// DecodeBlock reads the body of POST /eth/v2/beacon/blocks for an electra or
// fulu block: JSON, or SSZ when contentType is application/octet-stream.
func DecodeBlock(version, contentType string, body io.Reader) (*api.VersionedSignedProposal, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("read block: %w", err)
	}
	isSSZ := strings.HasPrefix(strings.ToLower(contentType), "application/octet-stream")
	decode := func(dst interface {
		UnmarshalSSZ([]byte) error
	}) error {
		if isSSZ {
			return dst.UnmarshalSSZ(raw)
		}
		return json.Unmarshal(raw, dst)
	}
	switch strings.ToLower(version) {
	case spec.DataVersionFulu.String():
		var b apiv1fulu.SignedBlockContents
		if err := decode(&b); err != nil {
			return nil, fmt.Errorf("decode fulu block: %w", err)
		}
		if b.SignedBlock == nil || b.SignedBlock.Message == nil || b.SignedBlock.Message.Body == nil {
			return nil, errors.New("decode fulu block: no block")
		}
		return &api.VersionedSignedProposal{Version: spec.DataVersionFulu, Fulu: &b}, nil
	case spec.DataVersionElectra.String():
		var b apiv1electra.SignedBlockContents
		if err := decode(&b); err != nil {
			return nil, fmt.Errorf("decode electra block: %w", err)
		}
		if b.SignedBlock == nil || b.SignedBlock.Message == nil || b.SignedBlock.Message.Body == nil {
			return nil, errors.New("decode electra block: no block")
		}
		return &api.VersionedSignedProposal{Version: spec.DataVersionElectra, Electra: &b}, nil
	case "":
		return nil, errors.New("Eth-Consensus-Version header is required")
	default:
		return nil, fmt.Errorf("unsupported Eth-Consensus-Version %q", version)
	}
}
