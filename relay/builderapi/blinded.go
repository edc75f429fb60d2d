package builderapi

import (
	"errors"
	"fmt"

	apiv1electra "github.com/attestantio/go-eth2-client/api/v1/electra"
)

// ErrBidMismatch is returned by MatchBid when a signed blinded block does not
// carry the bid it claims to accept.
var ErrBidMismatch = errors.New("blinded block does not match the bid")

// MatchBid checks that a blinded block body carries exactly the bid's
// execution payload header, blob commitments and execution requests: the
// check a relay and a builder proxy make before they reveal a payload for it.
func MatchBid(body *apiv1electra.BlindedBeaconBlockBody, bid *BuilderBid) error {
	if body == nil || body.ExecutionPayloadHeader == nil {
		return fmt.Errorf("%w: no execution payload header", ErrBidMismatch)
	}
	got, err := body.ExecutionPayloadHeader.HashTreeRoot()
	if err != nil {
		return fmt.Errorf("%w: header root: %w", ErrBidMismatch, err)
	}
	want, err := bid.Header.HashTreeRoot()
	if err != nil {
		return fmt.Errorf("bid header root: %w", err)
	}
	if got != want {
		return fmt.Errorf("%w: execution payload header", ErrBidMismatch)
	}
	if len(body.BlobKZGCommitments) != len(bid.BlobKZGCommitments) {
		return fmt.Errorf("%w: %d blob commitments, bid has %d", ErrBidMismatch, len(body.BlobKZGCommitments), len(bid.BlobKZGCommitments))
	}
	for i := range body.BlobKZGCommitments {
		if body.BlobKZGCommitments[i] != bid.BlobKZGCommitments[i] {
			return fmt.Errorf("%w: blob commitment %d", ErrBidMismatch, i)
		}
	}
	reqs := body.ExecutionRequests
	if reqs == nil {
		reqs = EmptyExecutionRequests()
	}
	gotR, err := reqs.HashTreeRoot()
	if err != nil {
		return fmt.Errorf("%w: execution requests root: %w", ErrBidMismatch, err)
	}
	bidReqs := bid.ExecutionRequests
	if bidReqs == nil {
		bidReqs = EmptyExecutionRequests()
	}
	wantR, err := bidReqs.HashTreeRoot()
	if err != nil {
		return fmt.Errorf("bid execution requests root: %w", err)
	}
	if gotR != wantR {
		return fmt.Errorf("%w: execution requests", ErrBidMismatch)
	}
	return nil
}
