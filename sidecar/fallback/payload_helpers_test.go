package fallback

import (
	"github.com/attestantio/go-eth2-client/spec/deneb"
	"github.com/attestantio/go-eth2-client/spec/phase0"
)

func newDenebPayload(h phase0.Hash32) *deneb.ExecutionPayload {
	return &deneb.ExecutionPayload{BlockHash: h}
}
