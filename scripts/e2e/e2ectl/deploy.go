package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/flashbots/go-boost-utils/bls"

	"github.com/pledgeproto/pledge/internal/deploy"
)

// errKeyMismatch is returned when the beacon chain's validators are not the
// interop keys this program derives: the sidecar would serve no slot.
var errKeyMismatch = errors.New("beacon validator is not the interop key derived here")

// Contract parameters of the run. The slash window is short so the check
// sees promises judged within the run; the sidecar gets the same window.
// The sidecar sells over the current and the next epoch of 32 slots (63
// slots ahead at most): the lookahead covers that, and the rotation delay
// (which places an exit slot too) lies past it. The ledger grace (a ledger
// is opened within it after its slot) takes the deployer's default, capped
// under the slash window.
const (
	slashWindow         = 32
	unregistrationDelay = 64
	lookahead           = 64
	rotationDelay       = 68
)

// runDeploy checks the beacon chain runs the interop keys, deploys the
// contracts, registers the operator with every validator key, and writes
// the addresses as shell assignments for the script to source.
func runDeploy(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("deploy", flag.ContinueOnError)
	rpcURL := fs.String("rpc", "", "execution client JSON-RPC URL")
	beaconURL := fs.String("beacon", "", "beacon node REST API URL")
	validators := fs.Int("validators", 64, "interop validators to register")
	genesisTime := fs.Uint64("genesis-time", 0, "beacon genesis unix time")
	secondsPerSlot := fs.Uint64("seconds-per-slot", 2, "slot length")
	out := fs.String("out", "", "file to write the addresses to (KEY=value lines)")
	timeout := fs.Duration("timeout", 2*time.Minute, "how long to wait for the transactions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rpcURL == "" || *beaconURL == "" || *genesisTime == 0 || *out == "" {
		return fmt.Errorf("deploy: -rpc, -beacon, -genesis-time and -out are required: %w", errUsage)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	keys, err := interopSecrets(*validators)
	if err != nil {
		return err
	}
	if err := checkBeaconKeys(ctx, *beaconURL, keys); err != nil {
		return err
	}
	el, err := ethclient.DialContext(ctx, *rpcURL)
	if err != nil {
		return fmt.Errorf("execution client %s: %w", *rpcURL, err)
	}
	defer el.Close()
	chainID, err := el.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("execution client %s: chain id: %w", *rpcURL, err)
	}
	start := time.Now()
	k, err := deploy.All(ctx, el, chainID, operatorKey(), deploy.Params{
		MinCollateral:             big.NewInt(params.Ether),
		GenesisTime:               *genesisTime,
		SecondsPerSlot:            *secondsPerSlot,
		Lookahead:                 lookahead,
		RotationDelay:             rotationDelay,
		UnregistrationDelay:       unregistrationDelay,
		SlashWindow:               slashWindow,
		LivenessBps:               5000,
		UserBps:                   8000,
		BlobBaseFeeUpdateFraction: params.DefaultPragueBlobConfig.UpdateFraction,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "deployed Registry %s, Inbox %s, Slasher %s in %s\n", k.Registry, k.Inbox, k.Slasher, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	committer := crypto.PubkeyToAddress(committerKey().PublicKey)
	collateral := new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))
	if err := deploy.RegisterOperator(ctx, el, chainID, k.Registry, operatorKey(), keys, committer, collateral); err != nil {
		return fmt.Errorf("register %d validator keys: %w", len(keys), err)
	}
	operator := crypto.PubkeyToAddress(operatorKey().PublicKey)
	fmt.Fprintf(os.Stderr, "registered operator %s with %d validator keys, committer %s, 1000 ETH collateral in %s\n",
		operator, len(keys), committer, time.Since(start).Round(time.Millisecond))
	env := fmt.Sprintf("REGISTRY=%s\nINBOX=%s\nSLASHER=%s\nOPERATOR=%s\nSLASH_WINDOW=%d\nCOMMITTER=%s\n",
		k.Registry.Hex(), k.Inbox.Hex(), k.Slasher.Hex(), operator.Hex(), slashWindow, committer.Hex())
	return os.WriteFile(*out, []byte(env), 0o644)
}

// checkBeaconKeys compares the beacon state's validators with the interop
// keys, index by index.
func checkBeaconKeys(ctx context.Context, beaconURL string, keys []*bls.SecretKey) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(beaconURL, "/")+"/eth/v1/beacon/states/head/validators", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("beacon validators: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("beacon validators: HTTP %d", resp.StatusCode)
	}
	var body struct {
		Data []struct {
			Index     string `json:"index"`
			Validator struct {
				Pubkey string `json:"pubkey"`
			} `json:"validator"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return fmt.Errorf("beacon validators: %w", err)
	}
	if len(body.Data) < len(keys) {
		return fmt.Errorf("beacon state has %d validators, want at least %d", len(body.Data), len(keys))
	}
	byIndex := map[string]string{}
	for _, v := range body.Data {
		byIndex[v.Index] = strings.TrimPrefix(v.Validator.Pubkey, "0x")
	}
	for i, sk := range keys {
		pk, err := bls.PublicKeyFromSecretKey(sk)
		if err != nil {
			return err
		}
		want := hex.EncodeToString(bls.PublicKeyToBytes(pk))
		if got := byIndex[fmt.Sprint(i)]; got != want {
			return fmt.Errorf("validator %d: %w: beacon has %s, derived %s", i, errKeyMismatch, got, want)
		}
	}
	return nil
}
