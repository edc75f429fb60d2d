package watcher

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// PromiseSource hands the watcher promises to follow. Promises may return the
// same promise again on every call; the watcher keeps each digest once.
type PromiseSource interface {
	Promises(ctx context.Context) ([]*protocol.SignedCommitment, error)
}

// maxPromiseFile bounds one promise file, so a wrong path cannot exhaust memory.
const maxPromiseFile = 64 << 20

// FileSource reads SignedCommitment JSON from a file, or from every *.json and
// *.jsonl file of a directory: one JSON document per line, or one JSON array.
// A file is read again only when its size or modification time changed.
type FileSource struct {
	path  string
	mu    sync.Mutex
	cache map[string]fileCache
}

type fileCache struct {
	size  int64
	mod   time.Time
	items []*protocol.SignedCommitment
}

var _ PromiseSource = (*FileSource)(nil)

// NewFileSource returns a source over path (a file or a directory). It does no I/O.
func NewFileSource(path string) (*FileSource, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: no promise file", ErrBadConfig)
	}
	return &FileSource{path: path, cache: map[string]fileCache{}}, nil
}

// Promises returns every promise of the file or directory.
func (s *FileSource) Promises(ctx context.Context) ([]*protocol.SignedCommitment, error) {
	st, err := os.Stat(s.path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	files := []string{s.path}
	if st.IsDir() {
		entries, err := os.ReadDir(s.path)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSource, err)
		}
		files = files[:0]
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".json" || ext == ".jsonl") {
				files = append(files, filepath.Join(s.path, e.Name()))
			}
		}
		sort.Strings(files)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*protocol.SignedCommitment
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		items, err := s.read(f)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

func (s *FileSource) read(path string) ([]*protocol.SignedCommitment, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	if c, ok := s.cache[path]; ok && c.size == st.Size() && c.mod.Equal(st.ModTime()) {
		return c.items, nil
	}
	if st.Size() > maxPromiseFile {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrSource, path, st.Size(), maxPromiseFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSource, err)
	}
	items, err := ParsePromises(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSource, path, err)
	}
	s.cache[path] = fileCache{size: st.Size(), mod: st.ModTime(), items: items}
	return items, nil
}

// ParsePromises decodes SignedCommitment JSON: a JSON array of them, or one
// per line (blank lines skipped). A line that is not a SignedCommitment is an
// error naming the line.
func ParsePromises(b []byte) ([]*protocol.SignedCommitment, error) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return nil, nil
	}
	if trimmed[0] == '[' {
		var items []*protocol.SignedCommitment
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, fmt.Errorf("not a JSON array of signed commitments: %w", err)
		}
		for i, it := range items {
			if err := checkEnvelope(it); err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
		}
		return items, nil
	}
	var out []*protocol.SignedCommitment
	for i, line := range strings.Split(string(trimmed), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var sc protocol.SignedCommitment
		if err := json.Unmarshal([]byte(line), &sc); err != nil {
			return nil, fmt.Errorf("line %d: not a signed commitment: %w", i+1, err)
		}
		if err := checkEnvelope(&sc); err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		out = append(out, &sc)
	}
	return out, nil
}

// checkEnvelope refuses JSON that parsed but is not a commitment (an object
// with none of the fields, for example).
func checkEnvelope(sc *protocol.SignedCommitment) error {
	if sc == nil || len(sc.Commitment.Payload) == 0 || len(sc.Signature) == 0 {
		return errors.New("missing commitment payload or signature")
	}
	return nil
}

// RPCSource polls a sidecar's JSON-RPC commitmentResult for the request hashes
// it is told about (Track). A hash is no longer polled once its commitment
// arrived (a signed commitment never changes), but the commitment is returned
// on every call, so one the watcher could not take yet is offered again.
type RPCSource struct {
	client  *rpc.Client
	timeout time.Duration
	mu      sync.Mutex
	hashes  map[common.Hash]struct{}
	found   map[common.Hash]*protocol.SignedCommitment
}

var _ PromiseSource = (*RPCSource)(nil)

// NewRPCSource returns a source polling client; each call is bounded by timeout.
func NewRPCSource(client *rpc.Client, timeout time.Duration) (*RPCSource, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: no sidecar client", ErrBadConfig)
	}
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	return &RPCSource{client: client, timeout: timeout, hashes: map[common.Hash]struct{}{}, found: map[common.Hash]*protocol.SignedCommitment{}}, nil
}

// Track asks the source to fetch the commitment of request hash h.
func (s *RPCSource) Track(h common.Hash) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.found[h]; !ok {
		s.hashes[h] = struct{}{}
	}
}

// Tracked returns how many request hashes are still awaited.
func (s *RPCSource) Tracked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hashes)
}

// Promises fetches every tracked commitment and returns them with those found
// before. A hash the sidecar does not know (yet) stays tracked; the first
// transport error ends the round.
func (s *RPCSource) Promises(ctx context.Context) ([]*protocol.SignedCommitment, error) {
	s.mu.Lock()
	hashes := make([]common.Hash, 0, len(s.hashes))
	for h := range s.hashes {
		hashes = append(hashes, h)
	}
	var out []*protocol.SignedCommitment
	for _, sc := range s.found {
		out = append(out, sc)
	}
	s.mu.Unlock()
	for _, h := range hashes {
		cctx, cancel := context.WithTimeout(ctx, s.timeout)
		var sc protocol.SignedCommitment
		err := s.client.CallContext(cctx, &sc, "commitmentResult", h)
		cancel()
		var rerr rpc.Error
		switch {
		case errors.As(err, &rerr):
			continue // the sidecar answered: not found (yet), or refused this hash
		case err != nil:
			return out, fmt.Errorf("%w: commitmentResult %s: %w", ErrSource, h, err)
		}
		if checkEnvelope(&sc) != nil {
			continue
		}
		out = append(out, &sc)
		s.mu.Lock()
		delete(s.hashes, h)
		s.found[h] = &sc
		s.mu.Unlock()
	}
	return out, nil
}
