package relay_test

import (
	"net/http"
	"testing"
	"time"

	apiv1 "github.com/attestantio/go-eth2-client/api/v1"
	"github.com/attestantio/go-eth2-client/spec/bellatrix"

	"github.com/pledgeproto/pledge/relay/builderapi"
)

func (f *fixture) registration(k key, ts time.Time, fee byte) *apiv1.SignedValidatorRegistration {
	f.t.Helper()
	r, err := builderapi.SignRegistration(&apiv1.ValidatorRegistration{
		FeeRecipient: bellatrix.ExecutionAddress{fee}, GasLimit: 36_000_000, Timestamp: ts,
	}, f.bdomain, k.sk)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func TestRegisterValidators(t *testing.T) {
	t.Parallel()
	now := genesisTime.Add(currentSlot * 12 * time.Second)
	tests := []struct {
		name    string
		regs    func(f *fixture) []*apiv1.SignedValidatorRegistration
		sszBody bool
		status  int
		fee     byte // fee recipient stored for the proposer afterwards; 0: none
	}{
		{"good", func(f *fixture) []*apiv1.SignedValidatorRegistration {
			return []*apiv1.SignedValidatorRegistration{f.registration(f.proposer, now, 1)}
		}, false, http.StatusOK, 1},
		{"good SSZ", func(f *fixture) []*apiv1.SignedValidatorRegistration {
			return []*apiv1.SignedValidatorRegistration{f.registration(f.proposer, now, 2), f.registration(f.delegate, now, 2)}
		}, true, http.StatusOK, 2},
		{"bad signature", func(f *fixture) []*apiv1.SignedValidatorRegistration {
			r := f.registration(f.proposer, now, 1)
			r.Message.FeeRecipient[0] = 9 // signed for 1
			return []*apiv1.SignedValidatorRegistration{r}
		}, false, http.StatusBadRequest, 0},
		{"signed by another key", func(f *fixture) []*apiv1.SignedValidatorRegistration {
			r := f.registration(f.stranger, now, 1)
			r.Message.Pubkey = f.proposer.p0()
			return []*apiv1.SignedValidatorRegistration{r}
		}, false, http.StatusBadRequest, 0},
		{"one bad in a batch stores none", func(f *fixture) []*apiv1.SignedValidatorRegistration {
			bad := f.registration(f.stranger, now, 1)
			bad.Signature[5] ^= 1
			return []*apiv1.SignedValidatorRegistration{f.registration(f.proposer, now, 1), bad}
		}, false, http.StatusBadRequest, 0},
		{"from the future", func(f *fixture) []*apiv1.SignedValidatorRegistration {
			return []*apiv1.SignedValidatorRegistration{f.registration(f.proposer, now.Add(time.Hour), 1)}
		}, false, http.StatusBadRequest, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			regs := tc.regs(f)
			var body []byte
			hdr := map[string]string{}
			if tc.sszBody {
				for _, r := range regs {
					b, err := r.MarshalSSZ()
					if err != nil {
						t.Fatal(err)
					}
					body = append(body, b...)
				}
				hdr["Content-Type"] = "application/octet-stream"
			} else {
				body = mustJSON(t, regs)
			}
			code, resp := f.do(http.MethodPost, "/eth/v1/builder/validators", body, hdr)
			if code != tc.status {
				t.Fatalf("status %d (%s), want %d", code, resp, tc.status)
			}
			got := f.relay.Registration(f.proposer.p0())
			switch {
			case tc.fee == 0 && got != nil:
				t.Fatalf("registration stored after a refusal: %+v", got.Message)
			case tc.fee != 0 && (got == nil || got.Message.FeeRecipient[0] != tc.fee):
				t.Fatalf("registration not stored: %+v", got)
			}
		})
	}
}

func TestRegistrationOlderThanStoredRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := genesisTime.Add(currentSlot * 12 * time.Second)
	if code, b := f.do(http.MethodPost, "/eth/v1/builder/validators", mustJSON(t, []*apiv1.SignedValidatorRegistration{f.registration(f.proposer, now, 1)}), nil); code != http.StatusOK {
		t.Fatalf("first: %d %s", code, b)
	}
	old := f.registration(f.proposer, now.Add(-time.Minute), 2)
	if code, _ := f.do(http.MethodPost, "/eth/v1/builder/validators", mustJSON(t, []*apiv1.SignedValidatorRegistration{old}), nil); code != http.StatusBadRequest {
		t.Fatalf("older registration: status %d, want 400", code)
	}
	if got := f.relay.Registration(f.proposer.p0()); got.Message.FeeRecipient[0] != 1 {
		t.Fatalf("older registration replaced the newer one")
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if code, _ := f.do(http.MethodGet, "/eth/v1/builder/status", nil, nil); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
}
