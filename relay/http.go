package relay

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// readBody reads the request body up to the relay's limit.
func (r *Relay) readBody(w http.ResponseWriter, req *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.limits.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("%w: limit %d bytes", ErrTooLarge, mbe.Limit)
		}
		return nil, fmt.Errorf("%w: read body: %w", ErrBadRequest, err)
	}
	return body, nil
}

// isSSZ reports whether the request body is SSZ (Content-Type octet-stream).
func isSSZ(req *http.Request) bool {
	return strings.HasPrefix(req.Header.Get("Content-Type"), "application/octet-stream")
}

func parseSlot(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: slot %q", ErrBadRequest, s)
	}
	return v, nil
}

func parseHash(s string) (phase0.Hash32, error) {
	var h phase0.Hash32
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("%w: hash %q", ErrBadRequest, s)
	}
	copy(h[:], b)
	return h, nil
}

func parsePubkey(s string) (phase0.BLSPubKey, error) {
	var p phase0.BLSPubKey
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != len(p) {
		return p, fmt.Errorf("%w: pubkey %q", ErrBadRequest, s)
	}
	copy(p[:], b)
	return p, nil
}

func parseSignature(s string) (phase0.BLSSignature, error) {
	var sig phase0.BLSSignature
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != len(sig) {
		return sig, fmt.Errorf("%w: signature %q", ErrBadRequest, s)
	}
	copy(sig[:], b)
	return sig, nil
}
