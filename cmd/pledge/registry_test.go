package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/flashbots/go-boost-utils/bls"
	"github.com/google/uuid"
	"github.com/urfave/cli/v2"
	keystorev4 "github.com/wealdtech/go-eth2-wallet-encryptor-keystorev4"

	"github.com/pledgeproto/pledge/contracts/bindings"
	"github.com/pledgeproto/pledge/internal/elnode"
)

// Registry parameters of the CLI test deployment: 12-second slots, so the
// unregistration delay is 10 slots = 120 seconds of chain time.
const (
	testSecondsPerSlot      = 12
	testLookahead           = 1
	testRotationDelay       = 2
	testUnregistrationDelay = 10
	testSlashWindow         = 4
	testLedgerGrace         = 2
)

var testMinCollateral = big.NewInt(params.Ether)

// regL1 is an in-process geth (internal/elnode) with JSON-RPC on loopback, a
// block producer that seals the txpool whenever it holds transactions, and
// the Registry deployed.
type regL1 struct {
	node     *elnode.Node
	registry common.Address
	mu       sync.Mutex // one block build at a time
	mineErr  atomic.Value
}

var regBeaconRoot = common.Hash{0x42}

// seal builds and imports one block: from the txpool when txs is nil, else of
// exactly txs; ts zero means the head's time plus one.
func (c *regL1) seal(ctx context.Context, ts uint64, txs [][]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	env, err := c.node.BuildBlock(ctx, elnode.BuildArgs{Timestamp: ts, ParentBeaconRoot: regBeaconRoot, PrevRandao: common.Hash{7}, Txs: txs, BuildTime: 50 * time.Millisecond})
	if err != nil {
		return err
	}
	return c.node.ImportPayload(ctx, env, regBeaconRoot, nil, nil)
}

// produce seals a block whenever the pool has pending transactions, until
// ctx ends. Errors are kept for the test to report (it must not log from
// this goroutine once the test is over).
func (c *regL1) produce(ctx context.Context) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var st struct {
			Pending hexutil.Uint `json:"pending"`
		}
		if err := c.node.RPC().CallContext(ctx, &st, "txpool_status"); err != nil || st.Pending == 0 {
			continue
		}
		if err := c.seal(ctx, 0, nil); err != nil && ctx.Err() == nil {
			c.mineErr.Store(err)
		}
	}
}

// advance seals an empty block secs seconds after the head.
func (c *regL1) advance(t *testing.T, secs uint64) {
	t.Helper()
	head, err := c.node.Client().HeaderByNumber(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.seal(t.Context(), head.Time+secs, [][]byte{}); err != nil {
		t.Fatalf("advance %d s: %v", secs, err)
	}
}

func startRegL1(t *testing.T, deployer *ecdsa.PrivateKey, funded ...common.Address) *regL1 {
	t.Helper()
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(deployer.PublicKey): {Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))}}
	for _, a := range funded {
		alloc[a] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))}
	}
	genesis := uint64(time.Now().Unix())
	node, err := elnode.Start(elnode.Config{ChainID: 31337, Alloc: alloc, GenesisTime: genesis})
	if err != nil {
		t.Fatalf("start node: %v", err)
	}
	t.Cleanup(func() {
		if err := node.Close(); err != nil {
			t.Errorf("close node: %v", err)
		}
	})
	c := &regL1{node: node}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); c.produce(ctx) }()
	t.Cleanup(func() { // runs before the node closes (cleanups are LIFO)
		cancel()
		wg.Wait()
		if err, ok := c.mineErr.Load().(error); ok {
			t.Errorf("block producer: %v", err)
		}
	})

	opts, err := bind.NewKeyedTransactorWithChainID(deployer, node.ChainConfig().ChainID)
	if err != nil {
		t.Fatal(err)
	}
	addr, tx, _, err := bindings.DeployRegistry(opts, node.Client(), bindings.RegistryConfig{
		MinCollateral: testMinCollateral, GenesisTime: genesis, SecondsPerSlot: testSecondsPerSlot,
		Lookahead: testLookahead, RotationDelay: testRotationDelay, UnregistrationDelay: testUnregistrationDelay,
		SlashWindow: testSlashWindow, LedgerGrace: testLedgerGrace,
	})
	if err != nil {
		t.Fatalf("deploy Registry: %v", err)
	}
	wctx, wcancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer wcancel()
	if _, err := bind.WaitMined(wctx, node.Client(), tx); err != nil {
		t.Fatalf("deploy Registry: %v", err)
	}
	c.registry = addr
	return c
}

// regApp is the pledge app; main.go wires the registry command.
func regApp() *cli.App { return newApp() }

// clearRegistryEnv unsets every PLEDGE_* variable the registry command reads.
func clearRegistryEnv(t *testing.T) {
	t.Helper()
	clearEnv(t)
	for _, name := range []string{regFlagRPCURL, regFlagRegistry, regFlagCommitter, regFlagCollateral, regFlagAmount, regFlagOperator,
		regFlagTxTimeout, regFlagPrivateKeyFile, regFlagKeystore, regFlagPasswordFile, regFlagBLSKeys, regFlagBLSPasswordFile} {
		env := envVars(name)[0]
		t.Setenv(env, "")
		if err := os.Unsetenv(env); err != nil {
			t.Fatal(err)
		}
	}
}

func regWriteFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func regGenKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// regBLSFiles writes one BLS key as a raw hex file and one as an EIP-2335
// keystore (light KDF: the format is the same, the test stays fast), and
// returns the paths, the keystore's password file and both public keys.
func regBLSFiles(t *testing.T, dir string) (raw, ksPath, password string, pubkeys []string) {
	t.Helper()
	var secrets [][]byte
	for range 2 {
		sk, pk, err := bls.GenerateNewKeypair()
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, bls.SecretKeyToBytes(sk))
		pubkeys = append(pubkeys, hexutil.Encode(bls.PublicKeyToBytes(pk)))
	}
	raw = regWriteFile(t, dir, "validator.hex", "0x"+hex.EncodeToString(secrets[0])+"\n")
	const pass = "correct horse"
	enc := keystorev4.New(keystorev4.WithCost(t, 4))
	cr, err := enc.Encrypt(secrets[1], pass)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(map[string]any{
		"crypto": cr, "pubkey": strings.TrimPrefix(pubkeys[1], "0x"), "path": "m/12381/3600/0/0/0",
		"uuid": "3c8a1e5e-8f4d-4a0c-9a53-0c1f4f1b2d11", "version": 4, "description": "",
	})
	if err != nil {
		t.Fatal(err)
	}
	ksPath = regWriteFile(t, dir, "keystore-0.json", string(js))
	password = regWriteFile(t, dir, "password.txt", pass+"\n")
	return raw, ksPath, password, pubkeys
}

// TestRegistryCLI drives `pledge registry` through the real cli.App against a
// geth node over HTTP JSON-RPC: an operator's whole life, and every refusal
// as one clear line with nothing sent. --rpc-url and --registry come from
// PLEDGE_* variables, as an operator would set them once.
func TestRegistryCLI(t *testing.T) {
	clearRegistryEnv(t)
	dir := t.TempDir()
	opA, opB, deployer := regGenKey(t), regGenKey(t), regGenKey(t)
	addrA, addrB := crypto.PubkeyToAddress(opA.PublicKey), crypto.PubkeyToAddress(opB.PublicKey)
	chain := startRegL1(t, deployer, addrA, addrB)
	t.Setenv(envVars(regFlagRPCURL)[0], chain.node.HTTPEndpoint())
	t.Setenv(envVars(regFlagRegistry)[0], chain.registry.Hex())

	keyA := regWriteFile(t, dir, "operator-a.key", hex.EncodeToString(crypto.FromECDSA(opA)))
	keyB := regWriteFile(t, dir, "operator-b.key", "0x"+hex.EncodeToString(crypto.FromECDSA(opB))+"\n")
	raw, ks, pw, pubkeys := regBLSFiles(t, dir)
	wrongPW := regWriteFile(t, dir, "wrong.txt", "battery staple")
	committer, next := regGenKey(t), regGenKey(t)
	cAddr, nAddr := crypto.PubkeyToAddress(committer.PublicKey).Hex(), crypto.PubkeyToAddress(next.PublicKey).Hex()

	gethKS := regGethKeystore(t, dir, opA, "s3cret")
	gethPW, gethWrong := regWriteFile(t, dir, "geth-pw.txt", "s3cret\n"), regWriteFile(t, dir, "geth-wrong.txt", "guess")
	asA := []string{"--" + regFlagPrivateKeyFile, keyA}
	args := func(cmd string, extra ...string) []string {
		return append([]string{"registry", cmd}, extra...)
	}
	withA := func(cmd string, extra ...string) []string { return args(cmd, append(asA, extra...)...) }

	steps := []struct {
		name    string
		args    []string
		before  func(t *testing.T)
		wantOut []string
		wantErr string
	}{
		{name: "status before registering", args: withA("status"), wantOut: []string{"operator:          " + addrA.Hex(), "state:             unregistered"}},
		{name: "status of nobody", args: args("status"), wantErr: "status of which operator? give --operator"},
		{name: "account from a geth keystore", args: args("status", "--keystore", gethKS, "--password-file", gethPW), wantOut: []string{"operator:          " + addrA.Hex()}},
		{name: "geth keystore with a wrong password", args: args("status", "--keystore", gethKS, "--password-file", gethWrong), wantErr: "operator account: keystore " + gethKS + ": wrong password"},
		{name: "raw key and keystore together", args: withA("status", "--keystore", gethKS), wantErr: "give --private-key-file or --keystore, not both"},
		{name: "account from PLEDGE_PRIVATE_KEY_FILE", args: args("status"), before: func(t *testing.T) { t.Setenv("PLEDGE_PRIVATE_KEY_FILE", keyB) },
			wantOut: []string{"operator:          " + addrB.Hex()}},
		{name: "register below the minimum", args: withA("register", "--bls-keys", raw, "--committer", cAddr, "--collateral", "0.5"),
			wantErr: "register: not enough collateral: sent 0.5 ETH, the registry's minimum is 1 ETH (raise --collateral) [NotEnoughCollateral]"},
		{name: "register with a wrong keystore password", args: withA("register", "--bls-keys", ks, "--bls-password-file", wrongPW, "--committer", cAddr),
			wantErr: "wrong password"},
		{name: "register without an account", args: args("register", "--bls-keys", raw, "--committer", cAddr), wantErr: "no operator account: give --private-key-file"},
		{name: "register with a bad committer", args: withA("register", "--bls-keys", raw, "--committer", "0x1234"), wantErr: `--committer "0x1234" is not an address`},
		{name: "register", args: withA("register", "--bls-keys", raw, "--bls-keys", ks, "--bls-password-file", pw, "--committer", cAddr, "--collateral", "1"),
			wantOut: []string{"registered operator " + addrA.Hex() + " with 2 validator key(s), collateral 1 ETH, committer " + cAddr, pubkeys[0], pubkeys[1]}},
		{name: "register again", args: withA("register", "--bls-keys", raw, "--committer", cAddr),
			wantErr: "register: operator " + addrA.Hex() + " is already registered"},
		{name: "register a taken key for another operator", args: args("register", "--private-key-file", keyB, "--bls-keys", raw, "--committer", cAddr),
			wantErr: "register: validator key " + pubkeys[0] + " is already registered to operator " + addrA.Hex()},
		{name: "deposit a malformed amount", args: withA("deposit", "--amount", "1.2.3"), wantErr: `--amount "1.2.3": not a non-negative decimal number`},
		{name: "deposit", args: withA("deposit", "--amount", "2eth"), wantOut: []string{"deposited 2 ETH for operator " + addrA.Hex() + ": collateral now 3 ETH"}},
		{name: "deposit by a stranger", args: args("deposit", "--private-key-file", keyB, "--amount", "1"),
			wantErr: "deposit: operator " + addrB.Hex() + " is not registered [NotRegistered]"},
		{name: "set committer", args: withA("set-committer", "--committer", nAddr), wantOut: []string{"committer of operator " + addrA.Hex() + " will be " + nAddr + " from slot"}},
		{name: "status", args: args("status", "--operator", addrA.Hex()), wantOut: []string{
			"state:             registered", "collateral:        3 ETH (3000000000000000000 wei)", "validator keys:    2",
			"reserved:          0 ETH by open slot ledgers; free 3 ETH",
			"committer:         " + cAddr, "next committer:    " + nAddr + " from slot"}},
		{name: "revoke a committer", args: withA("revoke-committer", "--committer", cAddr),
			wantOut: []string{"committer " + cAddr + " of operator " + addrA.Hex() + " is revoked for every slot"}},
		{name: "status after the revocation", args: withA("status"), wantOut: []string{"committer:         " + (common.Address{}).Hex()}},
		{name: "name a revoked committer again", args: withA("set-committer", "--committer", cAddr),
			wantErr: "set committer: committer " + cAddr + " was revoked: a revoked key can never be named again [RevokedCommitter]"},
		{name: "withdraw before unregistering", args: withA("withdraw"), wantErr: "withdraw: operator " + addrA.Hex() + " is not exiting: run \"pledge registry unregister\" first"},
		{name: "unregister", args: withA("unregister"), wantOut: []string{"operator " + addrA.Hex() + " is exiting since slot"}},
		{name: "unregister twice", args: withA("unregister"), wantErr: "unregister: operator " + addrA.Hex() + " is exiting or has withdrawn"},
		{name: "withdraw before the delay", args: withA("withdraw"), wantErr: "withdraw: the unregistration delay is not over: withdrawable from slot"},
		{name: "status while exiting", args: withA("status"), wantOut: []string{"state:             exiting", "exit slot:", "withdrawable slot:"}},
		{name: "withdraw after the delay", args: withA("withdraw"), before: func(t *testing.T) { chain.advance(t, (testRotationDelay+testUnregistrationDelay+1)*testSecondsPerSlot) },
			wantOut: []string{"withdrew 3 ETH to " + addrA.Hex()}},
		{name: "status after withdrawing", args: withA("status"), wantOut: []string{"state:             withdrawn", "collateral:        0 ETH"}},
		{name: "no contract at the address", args: withA("status", "--registry", addrB.Hex()), wantErr: "no contract at " + addrB.Hex() + " on chain 31337: check --registry"},
		{name: "malformed registry address", args: withA("status", "--registry", "registry.eth"), wantErr: `--registry "registry.eth" is not an address`},
	}
	for _, st := range steps {
		ok := t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before(t)
			}
			nonce, balance := regAccountState(t, chain, addrA)
			out, _, err := run(t, regApp(), st.args...)
			t.Logf("output:\n%serror: %v", out, err)
			if st.wantErr != "" {
				if err == nil {
					t.Fatalf("succeeded, want error %q; output:\n%s", st.wantErr, out)
				}
				if !strings.Contains(err.Error(), st.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %q, want one line containing %q", err, st.wantErr)
				}
				// A refusal is foreseen before anything is sent: nothing spent.
				if n, b := regAccountState(t, chain, addrA); n != nonce || b.Cmp(balance) != 0 {
					t.Fatalf("refused command changed operator A: nonce %d -> %d, balance %s -> %s", nonce, n, balance, b)
				}
				return
			}
			if err != nil {
				t.Fatalf("failed: %v", err)
			}
			for _, w := range st.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
		if !ok {
			t.FailNow() // later steps depend on this one
		}
	}

	// The withdrawal paid the collateral back: A spent only gas overall.
	_, final := regAccountState(t, chain, addrA)
	spent := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether)), final)
	if spent.Sign() <= 0 || spent.Cmp(big.NewInt(params.Ether/100)) > 0 {
		t.Fatalf("operator A is down %s wei after withdrawing, want only gas", spent)
	}
}

// gethKeystore writes key as a geth keystore file with light scrypt parameters.
func regGethKeystore(t *testing.T, dir string, key *ecdsa.PrivateKey, pass string) string {
	t.Helper()
	js, err := keystore.EncryptKey(&keystore.Key{Id: uuid.New(), Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}, pass, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	return regWriteFile(t, dir, "operator.json", string(js))
}

func regAccountState(t *testing.T, c *regL1, a common.Address) (uint64, *big.Int) {
	t.Helper()
	n, err := c.node.Client().NonceAt(t.Context(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.node.Client().BalanceAt(t.Context(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return n, b
}

func TestParseAmount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "1", want: "1000000000000000000"},
		{in: "1.5", want: "1500000000000000000"},
		{in: "0.000000000000000001", want: "1"},
		{in: "1.5eth", want: "1500000000000000000"},
		{in: "2 ether", want: "2000000000000000000"},
		{in: "100gwei", want: "100000000000"},
		{in: "1.5GWEI", want: "1500000000"},
		{in: "1000wei", want: "1000"},
		{in: "0", want: "0"},
		{in: ".5", want: "500000000000000000"},
		{in: "1.", want: "1000000000000000000"},
		{in: "", err: "no number"},
		{in: "eth", err: "no number"},
		{in: "-1", err: "not a non-negative decimal number"},
		{in: "1e18", err: "not a non-negative decimal number"},
		{in: "1.2.3", err: "not a non-negative decimal number"},
		{in: "0.0000000000000000001", err: "finer than one wei"},
		{in: "1.5wei", err: "finer than one wei"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseAmount("amount", tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("parseAmount(%q) = %v, %v; want error %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got.String() != tc.want {
				t.Fatalf("parseAmount(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestFormatWei(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0": "0 ETH", "1": "0.000000000000000001 ETH", "1500000000000000000": "1.5 ETH", "3000000000000000000": "3 ETH",
		"123456789012345678901": "123.456789012345678901 ETH",
	} {
		n, _ := new(big.Int).SetString(in, 10)
		if got := formatWei(n); got != want {
			t.Errorf("formatWei(%s) = %q, want %q", in, got, want)
		}
	}
}
