package devnet_test

import (
	"errors"
	"testing"
	"time"

	"github.com/attestantio/go-eth2-client/spec/phase0"
	"github.com/ethereum/go-ethereum/common"

	"github.com/pledgeproto/pledge/internal/devnet"
)

func TestValidatorsDeterministic(t *testing.T) {
	t.Parallel()
	a, err := devnet.NewValidators("seed", 3, common.Address{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := devnet.NewValidators("seed", 3, common.Address{})
	c, _ := devnet.NewValidators("other", 3, common.Address{})
	for i := range a {
		if a[i].Pubkey != b[i].Pubkey || a[i].FeeRecipient != b[i].FeeRecipient {
			t.Fatalf("validator %d differs for the same seed", i)
		}
		if a[i].Pubkey == c[i].Pubkey {
			t.Fatalf("validator %d equal for different seeds", i)
		}
		if i > 0 && a[i].Pubkey == a[i-1].Pubkey {
			t.Fatal("two validators share a key")
		}
	}
}

func TestStartRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  devnet.Config
	}{
		{"fractional slot", devnet.Config{SlotDuration: 1500 * time.Millisecond}},
		{"sub-second slot", devnet.Config{SlotDuration: 500 * time.Millisecond}},
		{"negative validators", devnet.Config{Validators: -1}},
		{"fork version without room", devnet.Config{GenesisForkVersion: phase0.Version{0xf0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if n, err := devnet.Start(tc.cfg); !errors.Is(err, devnet.ErrBadConfig) {
				if n != nil {
					n.Close()
				}
				t.Fatalf("err %v, want ErrBadConfig", err)
			}
		})
	}
}
