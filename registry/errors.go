package registry

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/pledgeproto/pledge/contracts/bindings"
)

// Errors of the client itself.
var (
	ErrBadKey        = errors.New("invalid BLS key")
	ErrBadSignature  = errors.New("invalid BLS signature")
	ErrNoKeys        = errors.New("no validator keys")
	ErrMissingInput  = errors.New("missing input")
	ErrTxFailed      = errors.New("registry transaction failed")
	ErrReverted      = errors.New("registry call reverted")
	ErrOverexposed   = errors.New("slash amounts of unsettled promises would exceed the collateral")
	ErrNegativeValue = errors.New("negative amount")
	// ErrExited: the operator is exiting and the slot is at or after its exit
	// slot, or it has left: no promise for the slot is valid.
	ErrExited = errors.New("operator exited")
)

// Refusals of the Registry contract, one per custom error of IRegistry.sol.
// A *RevertError unwraps to one of these, so callers can errors.Is on them.
var (
	ErrNotEnoughCollateral  = errors.New("not enough collateral")
	ErrAlreadyRegistered    = errors.New("operator already registered")
	ErrNotRegistered        = errors.New("operator not registered")
	ErrNotActive            = errors.New("operator not active (exiting or withdrawn)")
	ErrKeyAlreadyRegistered = errors.New("validator key already registered")
	ErrBadProofOfPossession = errors.New("bad proof of possession")
	ErrBadPublicKey         = errors.New("malformed public key")
	ErrBadSignatureEncoding = errors.New("malformed signature")
	ErrLengthMismatch       = errors.New("pubkeys and signatures differ in number")
	ErrZeroCommitter        = errors.New("committer is the zero address")
	ErrDelayNotOver         = errors.New("unregistration delay not over")
	ErrNotSlasher           = errors.New("caller is not the slasher")
	ErrNotDeployer          = errors.New("caller is not the deployer")
	ErrSlasherAlreadySet    = errors.New("slasher already set")
	ErrZeroAddress          = errors.New("zero address")
	ErrBeforeGenesis        = errors.New("chain time is before the registry's genesis")
	ErrTransferFailed       = errors.New("ether transfer failed")
	ErrNothingToClaim       = errors.New("nothing to claim")
	ErrCollateralOverflow   = errors.New("collateral above the registry's limit")
	ErrInvalidConfig        = errors.New("invalid registry parameters")
	ErrSlasherMismatch      = errors.New("slasher parameters differ from the registry's")
	ErrNotCommitter         = errors.New("caller is not the operator's committer for the slot")
	ErrRevokedCommitter     = errors.New("committer was revoked")
	ErrLedgerExists         = errors.New("ledger already opened for the slot")
	ErrLedgerTooEarly       = errors.New("ledger opened before its slot")
	ErrLedgerTooLate        = errors.New("ledger grace over for the slot")
	ErrLedgerAfterExit      = errors.New("ledger for a slot at or after the exit slot")
	ErrMalformedLedger      = errors.New("malformed ledger leaves")
	ErrLedgerNotSorted      = errors.New("ledger leaves not strictly ascending")
	ErrNotEnoughFree        = errors.New("not enough free collateral for the ledger")
	ErrLedgerNotExpired     = errors.New("ledger's slash window not over")
	ErrNoLedger             = errors.New("no ledger for the slot")
	errContractNoKeys       = fmt.Errorf("%w (refused by the registry)", ErrNoKeys)
)

// contractErrors names each IRegistry custom error's sentinel.
var contractErrors = map[string]error{
	"NotEnoughCollateral":     ErrNotEnoughCollateral,
	"AlreadyRegistered":       ErrAlreadyRegistered,
	"NotRegistered":           ErrNotRegistered,
	"NotActive":               ErrNotActive,
	"KeyAlreadyRegistered":    ErrKeyAlreadyRegistered,
	"BadProofOfPossession":    ErrBadProofOfPossession,
	"BadPublicKey":            ErrBadPublicKey,
	"BadSignature":            ErrBadSignatureEncoding,
	"NoKeys":                  errContractNoKeys,
	"LengthMismatch":          ErrLengthMismatch,
	"ZeroCommitter":           ErrZeroCommitter,
	"DelayNotOver":            ErrDelayNotOver,
	"NotSlasher":              ErrNotSlasher,
	"NotDeployer":             ErrNotDeployer,
	"SlasherAlreadySet":       ErrSlasherAlreadySet,
	"ZeroAddress":             ErrZeroAddress,
	"BeforeGenesis":           ErrBeforeGenesis,
	"TransferFailed":          ErrTransferFailed,
	"NothingToClaim":          ErrNothingToClaim,
	"CollateralOverflow":      ErrCollateralOverflow,
	"InvalidConfig":           ErrInvalidConfig,
	"SlasherMismatch":         ErrSlasherMismatch,
	"NotCommitter":            ErrNotCommitter,
	"RevokedCommitter":        ErrRevokedCommitter,
	"LedgerExists":            ErrLedgerExists,
	"LedgerTooEarly":          ErrLedgerTooEarly,
	"LedgerTooLate":           ErrLedgerTooLate,
	"LedgerAfterExit":         ErrLedgerAfterExit,
	"MalformedLedger":         ErrMalformedLedger,
	"LedgerNotSorted":         ErrLedgerNotSorted,
	"NotEnoughFreeCollateral": ErrNotEnoughFree,
	"LedgerNotExpired":        ErrLedgerNotExpired,
	"NoLedger":                ErrNoLedger,
}

// RevertError is a Registry refusal decoded from revert data with the ABI's
// error definitions: the error's name and its arguments.
type RevertError struct {
	Name string
	Args []NamedArg
	kind error
}

// NamedArg is one argument of a custom error.
type NamedArg struct {
	Name  string
	Value any
}

// Error reads like "registry refused: not enough collateral: NotEnoughCollateral(sent=1, minimum=2)".
func (e *RevertError) Error() string {
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = fmt.Sprintf("%s=%v", a.Name, a.Value)
	}
	return fmt.Sprintf("registry refused: %v: %s(%s)", e.kind, e.Name, strings.Join(parts, ", "))
}

// Unwrap gives the sentinel of the refusal (ErrReverted when unknown).
func (e *RevertError) Unwrap() error { return e.kind }

// dataError is what go-ethereum's RPC client returns for a reverted call.
type dataError interface {
	ErrorData() interface{}
}

var registryABI = mustABI()

func mustABI() *abi.ABI {
	a, err := bindings.RegistryMetaData.GetAbi()
	if err != nil {
		panic(fmt.Sprintf("registry bindings carry a broken ABI: %v", err))
	}
	return a
}

// DecodeRevert turns an error from a call or gas estimation against the
// Registry into a *RevertError naming the contract's refusal, when its revert
// data is one of the Registry's custom errors. Other errors come back unchanged.
func DecodeRevert(err error) error {
	if err == nil {
		return nil
	}
	var de dataError
	if !errors.As(err, &de) {
		return err
	}
	var data []byte
	switch v := de.ErrorData().(type) {
	case string:
		b, decErr := hexutil.Decode(v)
		if decErr != nil {
			return err
		}
		data = b
	case []byte:
		data = v
	default:
		return err
	}
	if rev := decodeRevertData(data); rev != nil {
		return rev
	}
	return err
}

// decodeRevertData names revert data by the Registry ABI's custom errors, or nil.
func decodeRevertData(data []byte) *RevertError {
	if len(data) < 4 {
		return nil
	}
	def, err := registryABI.ErrorByID([4]byte(data[:4]))
	if err != nil {
		return nil
	}
	rev := &RevertError{Name: def.Name, kind: ErrReverted}
	if kind, ok := contractErrors[def.Name]; ok {
		rev.kind = kind
	}
	vals, err := def.Unpack(data)
	if err != nil {
		return rev
	}
	list, _ := vals.([]interface{})
	for i, v := range list {
		name := fmt.Sprintf("arg%d", i)
		if i < len(def.Inputs) && def.Inputs[i].Name != "" {
			name = def.Inputs[i].Name
		}
		rev.Args = append(rev.Args, NamedArg{Name: name, Value: v})
	}
	return rev
}
