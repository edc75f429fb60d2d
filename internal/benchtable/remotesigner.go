package benchtable

import (
	"context"
	"fmt"
)

// remoteSignerRows: the full promise path with the committer's signature
// made by a Web3Signer on loopback — a FAKE on httptest in the bench
// process, speaking Web3Signer's eth1 wire format with a real key (see
// web3signerFake) — on a seller child with its Pebble store, shaped like
// the latency and throughput rows' local-key seller: `--only
// latency,throughput,remote-signer` puts them side by side. Clef gets no
// row: every promise is a signature of its raw 32-byte signing root, which
// no Clef API signs (each adds a prefix), so `pledge sidecar` refuses
// --committer-signer=clef; Clef can sign the batch posts.
func remoteSignerRows(ctx context.Context, e *env) []Row {
	const id = "remote-signer"
	const how = "committer on Web3Signer (fake, loopback)"
	w, err := e.world(ctx)
	if err != nil {
		return failed(id, err, pathWhats(how)...)
	}
	fake := startWeb3SignerFake(w.committer, w.chainID)
	defer fake.close()
	c, err := w.startChild(ctx, e.pledge, childOptions{name: "web3signer", committer: fake.committerFlags()})
	if err != nil {
		return failed(id, err, pathWhats(how)...)
	}
	defer c.stop()
	f, err := measurePath(ctx, e, w, []*childSidecar{c})
	if err != nil {
		return failed(id, fmt.Errorf("%w; its log ends: %s", err, c.log.String()), pathWhats(how)...)
	}
	note := fmt.Sprintf("`pledge sidecar --committer-signer web3signer`: each promise's root POSTed to /api/v1/eth1/sign/{id} (%d roots and %d ledger transactions signed over both loads), the answer checked against the committer; "+
		"the signer is a fake (httptest, Web3Signer's eth1 wire format, a real secp256k1 key), not the Java service, and shares the bench process with geth and the load generator; a synced Pebble write per promise; "+
		"Clef gets no row: it cannot sign a promise's raw signing root (pledge sidecar refuses --committer-signer=clef)",
		fake.Signs.Load(), fake.Txs.Load())
	return pathRows(id, how, note, f)
}
