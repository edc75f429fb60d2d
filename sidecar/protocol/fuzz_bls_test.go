package protocol_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/sidecar/protocol"
)

// The decoders below face relays, builders and proposers we do not control:
// they must never panic, and whatever they accept must re-encode to a form
// that decodes to the same message (so a signature checked on our decoding is
// a signature over what we forward).

func FuzzSignedConstraintsJSON(f *testing.F) {
	sk, pk := blsKey(f, 0x01)
	_, other := blsKey(f, 0x21)
	for _, n := range []int{1, 3} {
		m := blsTestMessage(pk, pk, n)
		m.Receivers = append(m.Receivers, other)
		s, err := protocol.SignConstraints(m, blsTestDomains, sk)
		if err != nil {
			f.Fatal(err)
		}
		js, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js)
	}
	f.Add([]byte(`{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","slot":"1","constraints":[{"constraintType":"0x01","payload":"0x"},{"constraintType":7,"payload":"0x00"}],"receivers":null},"signature":"0x` + string(bytes.Repeat([]byte("ab"), 96)) + `"}`))
	// The reference implementation's form: snake_case, numbers, nonce and signing_id.
	f.Add([]byte(`{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","slot":12345,"constraints":[{"constraint_type":1,"payload":"0x0102"}],"receivers":[]},"nonce":3,"signing_id":"0x` + string(bytes.Repeat([]byte("11"), 32)) + `","signature":"0x` + string(bytes.Repeat([]byte("ab"), 96)) + `"}`))
	f.Add([]byte(`{"message":{},"signature":""}`))
	f.Add([]byte(`{"message":{"constraints":[{"constraintType":"-0","payload":"0X"}]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s protocol.SignedConstraints
		if err := json.Unmarshal(data, &s); err != nil {
			return
		}
		// Verify must not panic on anything the decoder accepts.
		_ = s.Verify(blsTestDomains)
		enc, err := json.Marshal(&s)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var back protocol.SignedConstraints
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("decode of own encoding %s: %v", enc, err)
		}
		if !back.Message.Equal(&s.Message) || back.Signature != s.Signature || back.Nonce != s.Nonce || back.SigningID != s.SigningID {
			t.Fatalf("round trip changed the message: %s", enc)
		}
		enc2, err := json.Marshal(&back)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable: %s vs %s (%v)", enc, enc2, err)
		}
		r1, err1 := s.Message.MessageHash()
		r2, err2 := back.Message.MessageHash()
		if (err1 == nil) != (err2 == nil) || r1 != r2 {
			t.Fatalf("message hash changed: %x/%v vs %x/%v", r1, err1, r2, err2)
		}
	})
}

func FuzzSignedDelegationJSON(f *testing.F) {
	sk, pk := blsKey(f, 0x01)
	_, del := blsKey(f, 0x21)
	for _, meta := range [][]byte{nil, []byte("gateway")} {
		s, err := protocol.SignDelegation(&protocol.Delegation{
			Proposer: pk, Delegate: del, Committer: common.Address{0xab}, Slot: 42, Metadata: meta,
		}, blsTestDomains, sk)
		if err != nil {
			f.Fatal(err)
		}
		js, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js)
	}
	f.Add([]byte(`{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","committer":"0xabcf8e0d4e9587369b2301d0790347320302cc09","slot":"12345"},"signature":"0x` + string(bytes.Repeat([]byte("00"), 96)) + `"}`))
	f.Add([]byte(`{"message":{"proposer":"` + specPubkey + `","delegate":"` + specPubkey + `","committer":"0x1111111111111111111111111111111111111111","slot":5,"metadata":"0x"},"nonce":"0","signing_id":"0x` + string(bytes.Repeat([]byte("00"), 32)) + `","signature":"0x` + string(bytes.Repeat([]byte("00"), 96)) + `"}`))
	f.Add([]byte(`{"message":{"slot":"18446744073709551616"}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s protocol.SignedDelegation
		if err := json.Unmarshal(data, &s); err != nil {
			return
		}
		_ = s.Verify(blsTestDomains)
		enc, err := json.Marshal(&s)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var back protocol.SignedDelegation
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("decode of own encoding %s: %v", enc, err)
		}
		m, b := s.Message, back.Message
		if m.Proposer != b.Proposer || m.Delegate != b.Delegate || m.Committer != b.Committer ||
			m.Slot != b.Slot || !bytes.Equal(m.Metadata, b.Metadata) || s.Signature != back.Signature ||
			s.Nonce != back.Nonce || s.SigningID != back.SigningID {
			t.Fatalf("round trip changed the delegation: %s", enc)
		}
		r1, err1 := m.MessageHash()
		r2, err2 := b.MessageHash()
		if (err1 == nil) != (err2 == nil) || r1 != r2 {
			t.Fatalf("message hash changed: %x/%v vs %x/%v", r1, err1, r2, err2)
		}
	})
}

func FuzzInclusionMultiProofSSZ(f *testing.F) {
	txs := mpRandomTxs(40, 9)
	for _, idx := range [][]uint64{{0}, {0, 1, 2}, {39}, {5, 17, 30}} {
		p, err := protocol.NewInclusionMultiProof(txs, idx)
		if err != nil {
			f.Fatal(err)
		}
		enc, err := p.MarshalSSZ()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Add([]byte{8, 0, 0, 0, 8, 0, 0, 0})
	f.Add([]byte{8, 0, 0, 0, 16, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{8, 0, 0, 0, 255, 255, 255, 255})
	f.Add([]byte{})
	root := protocol.TransactionsRoot(txs)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p protocol.InclusionMultiProof
		if err := p.UnmarshalSSZ(data); err != nil {
			return
		}
		// The decoding is strict, so re-encoding gives back the input exactly.
		enc, err := p.MarshalSSZ()
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if !bytes.Equal(enc, data) {
			t.Fatalf("round trip changed the bytes: %x -> %x", data, enc)
		}
		var back protocol.InclusionMultiProof
		if err := back.UnmarshalSSZ(enc); err != nil {
			t.Fatalf("decode of own encoding: %v", err)
		}
		// The verifier must not panic on any decodable proof, and must not
		// accept one for leaves that are not in the payload.
		leaves := make([][32]byte, len(p.Indices))
		for i := range leaves {
			leaves[i][0] = byte(i) + 1
		}
		if err := protocol.VerifyInclusionMultiProof(root, leaves, &p); err == nil {
			t.Fatalf("verified made-up leaves: %x", data)
		}
	})
}
