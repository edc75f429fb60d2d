// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// IRegistryLedger is an auto generated low-level Go binding around an user-defined struct.
type IRegistryLedger struct {
	Root      [32]byte
	Committer common.Address
	Count     uint32
	Released  bool
	Poster    common.Address
	Left      *big.Int
}

// IRegistryStatus is an auto generated low-level Go binding around an user-defined struct.
type IRegistryStatus struct {
	State            uint8
	Keys             uint32
	Collateral       *big.Int
	RegisteredSlot   uint64
	ExitSlot         uint64
	WithdrawableSlot uint64
	Committer        common.Address
	Reserved         *big.Int
}

// RegistryCheckpoint is an auto generated low-level Go binding around an user-defined struct.
type RegistryCheckpoint struct {
	FromSlot  uint64
	Committer common.Address
}

// RegistryConfig is an auto generated low-level Go binding around an user-defined struct.
type RegistryConfig struct {
	MinCollateral       *big.Int
	GenesisTime         uint64
	SecondsPerSlot      uint64
	Lookahead           uint64
	RotationDelay       uint64
	UnregistrationDelay uint64
	SlashWindow         uint64
	LedgerGrace         uint64
}

// RegistryMetaData contains all meta data concerning the Registry contract.
var RegistryMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"minCollateral\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"genesisTime\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"secondsPerSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lookahead\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"rotationDelay\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"unregistrationDelay\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"slashWindow\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"ledgerGrace\",\"type\":\"uint64\"}],\"internalType\":\"structRegistry.Config\",\"name\":\"cfg\",\"type\":\"tuple\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadProofOfPossession\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadPublicKey\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"timestamp\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"genesisTime\",\"type\":\"uint256\"}],\"name\":\"BeforeGenesis\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"CollateralOverflow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawableSlot\",\"type\":\"uint64\"}],\"name\":\"DelayNotOver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"}],\"name\":\"InvalidConfig\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"keyHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"KeyAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"exitSlot\",\"type\":\"uint64\"}],\"name\":\"LedgerAfterExit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"LedgerExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"}],\"name\":\"LedgerNotExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"LedgerNotSorted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"}],\"name\":\"LedgerTooEarly\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"}],\"name\":\"LedgerTooLate\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pubkeys\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"signatures\",\"type\":\"uint256\"}],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"MalformedLedger\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoKeys\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"NoLedger\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"NotActive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"NotCommitter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotDeployer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minimum\",\"type\":\"uint256\"}],\"name\":\"NotEnoughCollateral\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"free\",\"type\":\"uint256\"}],\"name\":\"NotEnoughFreeCollateral\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotSlasher\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"RevokedCommitter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"slasher\",\"type\":\"address\"}],\"name\":\"SlasherAlreadySet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"parameter\",\"type\":\"string\"}],\"name\":\"SlasherMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroCommitter\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"name\":\"CollateralDeposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"effectiveSlot\",\"type\":\"uint64\"}],\"name\":\"CommitterChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"CommitterRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"keyHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"pubkey\",\"type\":\"bytes\"}],\"name\":\"KeyRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"poster\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint96\",\"name\":\"total\",\"type\":\"uint96\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"leaves\",\"type\":\"bytes\"}],\"name\":\"LedgerOpened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"}],\"name\":\"LedgerReleased\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"OperatorRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"PaymentOwed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"userPaid\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"watcher\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"watcherPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"burned\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateralLeft\",\"type\":\"uint256\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"slasher\",\"type\":\"address\"}],\"name\":\"SlasherSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"exitSlot\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"withdrawableSlot\",\"type\":\"uint64\"}],\"name\":\"Unregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes[]\",\"name\":\"pubkeys\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"addKeys\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"burned\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"collateralOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"committerAt\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"committers\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"fromSlot\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"internalType\":\"structRegistry.Checkpoint[]\",\"name\":\"list\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deployer\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"freeCollateral\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisTime\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"slasher_\",\"type\":\"address\"}],\"name\":\"initSlasher\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ledgerGrace\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"ledgerOf\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"released\",\"type\":\"bool\"},{\"internalType\":\"address\",\"name\":\"poster\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"left\",\"type\":\"uint96\"}],\"internalType\":\"structIRegistry.Ledger\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lookahead\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minCollateral\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"poster\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"leaves\",\"type\":\"bytes\"}],\"name\":\"openLedger\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"compressedPubkey\",\"type\":\"bytes\"}],\"name\":\"operatorOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"keyHash\",\"type\":\"bytes32\"}],\"name\":\"operatorOfHash\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"owed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"popMessage\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes[]\",\"name\":\"pubkeys\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64[]\",\"name\":\"slots\",\"type\":\"uint64[]\"}],\"name\":\"release\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"revokeCommitter\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"revoked\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rotationDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"secondsPerSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"setCommitter\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"userBps\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"watcher\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"burnBps\",\"type\":\"uint256\"}],\"name\":\"slash\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"taken\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"userPaid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slashWindow\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slasher\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"status\",\"outputs\":[{\"components\":[{\"internalType\":\"enumIRegistry.State\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint32\",\"name\":\"keys\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"registeredSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"exitSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawableSlot\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"reserved\",\"type\":\"uint256\"}],\"internalType\":\"structIRegistry.Status\",\"name\":\"s\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unregister\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unregistrationDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x6101a06040523461049e57604051601f61345d38819003918201601f19168301916001600160401b0383118484101761048a578084926101009460405283398101031261049e576040519061010082016001600160401b0381118382101761048a5760405280518252610074602082016104a2565b9160208101928352610088604083016104a2565b926040820184815261009c606085016104a2565b90606084019182526100b0608086016104a2565b92608085019384526100c460a087016104a2565b9460a081019586526100eb60e06100dd60c08a016104a2565b9860c08401998a52016104a2565b60e08201908152976001600160401b0316156104445783516001600160401b03161561040a57845184516001600160401b03918216911610156103b85787516001600160401b03161561037257865188516001600160401b0391821691161015610320578651611fff6001600160401b03909116116102da57855187516001600160401b03918216911610156102805751608052516001600160401b0390811660a0529051811660c0529051811660e052905181166101005290518116610120529051811661014052905116610160523361018052604051612fa690816104b7823960805181818161088901526112f0015260a0518181816109a5015281816114e701526120a3015260c0518181816109fc01528181611f3f01526120de015260e05181611bfd0152610100518181816103de015261084e015261012051818181610445015281816110390152818161155301526123cb015261014051818181610a5301528181611c400152611cd601526101605181818161031d01526117190152610180518181816106fe01526108ee0152f35b6040516389a6198960e01b815260206004820152602b60248201527f756e726567697374726174696f6e44656c6179206d757374206578636565642060448201526a736c61736857696e646f7760a81b6064820152608490fd5b6040516389a6198960e01b815260206004820152601660248201527f736c61736857696e646f772061626f76652038313931000000000000000000006044820152606490fd5b6040516389a6198960e01b815260206004820152602360248201527f736c61736857696e646f77206d75737420657863656564206c6564676572477260448201526261636560e81b6064820152608490fd5b6040516389a6198960e01b815260206004820152601360248201527f6c65646765724772616365206973207a65726f000000000000000000000000006044820152606490fd5b6040516389a6198960e01b815260206004820152602360248201527f726f746174696f6e44656c6179206d75737420657863656564206c6f6f6b616860448201526219585960ea1b6064820152608490fd5b6040516389a6198960e01b81526020600482015260116024820152706c6f6f6b6168656164206973207a65726f60781b6044820152606490fd5b6040516389a6198960e01b815260206004820152601660248201527f7365636f6e6473506572536c6f74206973207a65726f000000000000000000006044820152606490fd5b634e487b7160e01b5f52604160045260245ffd5b5f80fd5b51906001600160401b038216820361049e5756fe6080806040526004361015610012575f80fd5b5f3560e01c9081631aefb10714611f635750806322a111fc14611f2057806329fd974714611ec95780632fa93cbf14611e675780633359632e14611e3c57806334e5806214611c64578063390e226d14611c215780633b5351e514611bde5780633b6d6a02146116295780633ccfd60b1461150b57806342c6498a146114c85780634e71d92d14611456578063567a85eb146112785780635f4fea2614611120578063645b8b1b1461107a57806373f425611461105d57806379cd6e1e1461101a578063854a1f6614610ddd57806391ee83ed14610d1f578063953aa82414610ca25780639b3fccba14610c6e5780639d7dddc9146108d3578063b1344271146108ac578063ba2de9bc14610872578063c647f8441461082f578063d0e30db01461075f578063d35df7131461072d578063d5f39488146106e9578063dd51ce22146104ff578063df18e047146104c7578063e79a198f146103a0578063ed1aa38e14610341578063f8e5e5dc146102fe578063fbc8a227146102c05763fc2f15b21461019d575f80fd5b346102bc5760403660031901126102bc576101b6611fa3565b6101be611fff565b905f60a06040516101ce8161218b565b828152826020820152826040820152826060820152826080820152015260018060a01b03165f5260076020526001600160401b0360405f2091165f5260205260c060405f206001600160601b03604051916102288361218b565b805492838152600182015463ffffffff602083019360018060a01b038316855260026040850191838560a01c16835260ff60608701958b1c161515855201549460a06080860195600180831b0388168752019560a01c865260405197885260018060a01b03905116602088015251166040860152511515606085015260018060a01b039051166080840152511660a0820152f35b5f80fd5b346102bc5760403660031901126102bc5760206102ec6102de611fa3565b6102e6611fff565b906124ff565b6040516001600160a01b039091168152f35b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc5760203660031901126102bc576004356001600160401b0381116102bc5761037461037b913690600401612015565b36916124c9565b602081519101205f526001602052602060018060a01b0360405f205416604051908152f35b346102bc575f3660031901126102bc57335f52600560205260405f2060ff81541660058110156104b3576001036104a0576104036103dc612099565b7f00000000000000000000000000000000000000000000000000000000000000009061220a565b815470ffffffffffffffff0000000000000000ff1916604882901b70ffffffffffffffff00000000000000000016176002179091556001600160401b0361046a7f00000000000000000000000000000000000000000000000000000000000000008361220a565b81604051931683521660208201527f834298d0760cd8a32ad349a3b6280fd33de080732761c9f0f489cb9fc4bcb61c60403392a2005b634022bc5560e01b5f523360045260245ffd5b634e487b7160e01b5f52602160045260245ffd5b346102bc5760203660031901126102bc576001600160a01b036104e8611fa3565b165f526002602052602060405f2054604051908152f35b346102bc5760203660031901126102bc57610518611fa3565b335f52600560205260405f2080549060ff821660058110156104b357600181141590816106dd575b506106ca576001600160a01b0383169283156106bb57335f52600460205260405f20845f5260205260ff60405f2054166106a85763ffffffff6105846103dc612099565b9360281c16335f52600660205260405f205f19820163ffffffff81116106945763ffffffff165f5260205260405f20906001600160401b038083541695168095145f1461060457506105d69250612274565b6040519081527f3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e5560203392a3005b9050600191506106626040516106198161215c565b85815260208101878152335f52600660205260405f20845f526020526001600160401b0360405f209251166001600160401b0319835416178255848060a01b0390511690612274565b0163ffffffff81116106945768ffffffff000000000082549160281b169068ffffffff000000000019161790556105d6565b634e487b7160e01b5f52601160045260245ffd5b836301775ce360e51b5f5260045260245ffd5b63ae6e6bef60e01b5f5260045ffd5b63bfc6c33760e01b5f523360045260245ffd5b60029150141584610540565b346102bc575f3660031901126102bc576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b346102bc5760203660031901126102bc576004355f526001602052602060018060a01b0360405f205416604051908152f35b5f3660031901126102bc57335f52600560205260405f2080549060ff821660058110156104b35760018114159081610823575b506106ca576107ea6107ba6107b56001600160601b039485349160881c1661213c565b61262a565b82546bffffffffffffffffffffffff60881b191660889190911b6bffffffffffffffffffffffff60881b16178255565b5460881c166040519034825260208201527ff4d587c98d234ca4d147061e6b5167e7f41ee17f11562a9f0b49570abece859e60403392a2005b60029150141583610792565b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc575f3660031901126102bc5760206040517f00000000000000000000000000000000000000000000000000000000000000008152f35b346102bc575f3660031901126102bc575f546040516001600160a01b039091168152602090f35b346102bc5760203660031901126102bc576108ec611fa3565b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03163303610c5b575f54906001600160a01b03821680610c4957506001600160a01b0316908115610c3a57604051637b10399960e01b8152602081600481865afa908115610b13575f91610bf8575b50306001600160a01b0390911603610bc75760405163216324c560e11b8152602081600481865afa908115610b13575f91610ba8575b506001600160401b03807f000000000000000000000000000000000000000000000000000000000000000016911603610b74576040516308a8447f60e21b8152602081600481865afa908115610b13575f91610b55575b506001600160401b03807f000000000000000000000000000000000000000000000000000000000000000016911603610b1e5760405163390e226d60e01b8152602081600481865afa908115610b13575f91610ae4575b506001600160401b03807f000000000000000000000000000000000000000000000000000000000000000016911603610ab0576001600160a01b03191681175f9081557f93984378289228ac490c326f8dbcc3f9b2c703753c272e7c572949e115da985e9080a2005b604051631d3ad07360e01b815260206004820152600b60248201526a736c61736857696e646f7760a81b6044820152606490fd5b610b06915060203d602011610b0c575b610afe81836121a6565b8101906124aa565b83610a47565b503d610af4565b6040513d5f823e3d90fd5b604051631d3ad07360e01b815260206004820152600e60248201526d1cd958dbdb991cd4195c94db1bdd60921b6044820152606490fd5b610b6e915060203d602011610b0c57610afe81836121a6565b836109f0565b604051631d3ad07360e01b815260206004820152600b60248201526a67656e6573697354696d6560a81b6044820152606490fd5b610bc1915060203d602011610b0c57610afe81836121a6565b83610999565b604051631d3ad07360e01b8152602060048201526008602482015267726567697374727960c01b6044820152606490fd5b90506020813d602011610c32575b81610c13602093836121a6565b810103126102bc57516001600160a01b03811681036102bc5783610963565b3d9150610c06565b63d92e233d60e01b5f5260045ffd5b6346aa779760e01b5f5260045260245ffd5b630646601b60e11b5f523360045260245ffd5b346102bc5760203660031901126102bc57610c9e610c92610c8d611fa3565b612453565b60405191829182612042565b0390f35b346102bc5760403660031901126102bc576004356001600160401b0381116102bc57610cd2903690600401611fcf565b6024356001600160401b0381116102bc57610cf1903690600401611fcf565b91335f52600560205260405f209360ff85541660058110156104b3576001036104a057610d1d94612697565b005b346102bc5760203660031901126102bc57610d38611fa3565b335f52600560205260ff60405f20541660058110156104b35760018114159081610dd1575b506106ca576001600160a01b031680156106bb57335f52600460205260405f20815f5260205260405f20600160ff19825416179055610d9a612099565b6001600160401b03604051911681527f5b13e73adbc5b1faf706d7179572e76e50d6fe2f3e8eb2efe48b2be6a8d011c360203392a3005b60029150141582610d5d565b346102bc5760e03660031901126102bc57610df6611fa3565b610dfe611fff565b606435906001600160a01b03821690604435908284036102bc5760a4356001600160a01b038116958682036102bc575f546001600160a01b03163314801590611012575b610fff5760018060a01b031692835f52600560205260405f2092845f5260076020526001600160401b0360405f2091165f52602052600260405f2001805460a01c918281105f14610fd057966040986001600160601b0397610fc497610f35610f05610fbf97610ede610f8e988f8f610ebe915b16809461206c565b81546001600160a01b031660a09190911b6001600160a01b031916179055565b60018b018d610ef0838284541661206c565b168e198254161790558c8b5460881c1661206c565b89546bffffffffffffffffffffffff60881b191660889190911b6bffffffffffffffffffffffff60881b16178955565b7fc6c6979032859ff05b7ef9bd8f82b4bd5ff61410a192c0caada18de9f737d2f160808c612710610f6860843583612149565b049c8d988992610f89612710610f8060c43584612149565b0494859261208c565b61208c565b9b610f9b8360035461213c565b6003555460881c168f51918983528c602084015260408301526060820152a4612c19565b612c19565b82519182526020820152f35b5081966040986001600160601b0397610fc497610f35610f05610fbf97610ede610f8e988f8f610ebe91610eb6565b6325e066bb60e11b5f523360045260245ffd5b503315610e42565b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc575f3660031901126102bc576020600354604051908152f35b346102bc5760203660031901126102bc5761109b611096611fa3565b6122a7565b604051815160058110156104b3576101009260e091835263ffffffff6020820151166020840152604081015160408401526001600160401b0360608201511660608401526001600160401b0360808201511660808401526001600160401b0360a08201511660a084015260018060a01b0360c08201511660c0840152015160e0820152f35b346102bc5760203660031901126102bc576001600160a01b03611141611fa3565b16805f52600560205263ffffffff60405f205460281c16611161816121c7565b9161116f60405193846121a6565b818352601f1961117e836121c7565b015f5b8181106112555750505f5b8281106111f657836040518091602082016020835281518091526020604084019201905f5b8181106111bf575050500390f35b825180516001600160401b031685526020908101516001600160a01b031681860152869550604090940193909201916001016111b1565b600190825f52600660205260405f20815f5260205260405f206040519061121c8261215c565b546001600160401b0381168252838060a01b039060401c16602082015261124382876121f6565b5261124e81866121f6565b500161118c565b6020906040516112648161215c565b5f81525f8382015282828801015201611181565b60603660031901126102bc576004356001600160401b0381116102bc576112a3903690600401611fcf565b906024356001600160401b0381116102bc576112c3903690600401611fcf565b6112ce929192611fb9565b92335f52600560205260405f209360ff85541660058110156104b357611443577f000000000000000000000000000000000000000000000000000000000000000080341061142d57506001600160a01b03169485156106bb576113cc93611333612099565b865460ff191660011787559561134b6107ba3461262a565b6501000000000068ffffffff0000000000198254161781556113c76001600160401b036040519861137b8a61215c565b1697888152602081018a8152335f52600660205260405f205f80526020526001600160401b0360405f209251166001600160401b031983541617825560018060a01b0390511690612274565b612697565b816040513481528260208201527fd9404f2102ae62af1ac505fa9815220387af2c88d79a87491fcd6358c221d01860403392a36040519081527f3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e5560203392a3005b63768063db60e01b5f523460045260245260445ffd5b6345ed80e960e01b5f523360045260245ffd5b346102bc575f3660031901126102bc57335f52600260205260405f205480156114b557335f5260026020525f60408120555f80808084335af1611497612245565b501561149f57005b630e21dcbb60e11b5f523360045260245260445ffd5b6332559a3360e11b5f523360045260245ffd5b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc575f3660031901126102bc57335f52600560205260405f20805460ff811660058110156104b3576002036106ca57611545612099565b6001600160401b038061157d7f0000000000000000000000000000000000000000000000000000000000000000828660481c1661220a565b1691168181106116145783546001850180546bffffffffffffffffffffffff191690557fffffff000000000000000000000000ffffffffffffffffffffffffffffffff00166004178455604051608884901c6001600160601b03168082529033907f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d590602090a25f80808084335af1611497612245565b636739ccb360e01b5f5260045260245260445ffd5b346102bc5760803660031901126102bc57611642611fa3565b61164a611fff565b90611653611fb9565b906064356001600160401b0381116102bc57611673903690600401612015565b92909160018060a01b03811693845f52600560205260405f209081549260ff84166005811015806104b357600182141580611bd1575b611bbe576104b35760021480611b9f575b611b7a576001600160a01b03906116d29089906124ff565b169182158015611b70575b611b59576001600160401b03806116f2612099565b99169816888110611b43578881036001600160401b038111610694576001600160401b03807f000000000000000000000000000000000000000000000000000000000000000016911611611b2d5750865f52600760205260405f20885f5260205260405f2095600187019663ffffffff885460a01c16611b1a57602c840480158015611b01575b8015611af5575b611ae65761178d816121c7565b61179a60405191826121a6565b8181526117a6826121c7565b602082019190601f19013683375f955f5f5b8581106119c3575050906001600160601b036117e660018297969594019b828d541697889160881c1661206c565b168088116119ad575080515b6001811161191e5750511561190a57516001600160601b039586169384019586116106945788546bffffffffffffffffffffffff19166001600160601b039690961695909517909755838155885463ffffffff60a01b1987166001600160c01b03199091161760a088811b63ffffffff60a01b16919091179099559781901b6001600160a01b0319166001600160a01b03881617600298909801979097557f7ddfa00078e2f1223a4d8484746d617474f6d2b4489c2a3e516c9372276adf7a9660e095849363ffffffff9190604051998a98895260018060a01b031660208901526040880152166060860152608085015260c060a08501528160c0850152848401375f828201840152601f01601f19168101030190a3005b634e487b7160e01b5f52603260045260245ffd5b5f905f5b8181106119305750506117f2565b60018101808211610694578281101561199c5761195861195083876121f6565b5191866121f6565b51905f5260205260405f205b835f19811461069457600161197b910194866121f6565b52600281018091111561192257634e487b7160e01b5f52601160045260245ffd5b506119a781856121f6565b51611964565b87634d07066360e11b5f5260045260245260445ffd5b602c810291811590828404602c14821715610694576020840190818511610694576119f082868f8e6121de565b9390359360208110611ad1575b50159081611ac6575b50611ab3578193602c810180911161069457611a23918d8c6121de565b6001600160a01b031991359182169b91600c8210611a90575b505090611a50600193928c60a01c9061213c565b9a60405190602082019283526001600160601b0360a01b166040820152602c8152611a7c604c826121a6565b519020611a8982876121f6565b52016117b8565b6001600160a01b0319600c9290920360031b82901b16169a50611a506001611a3c565b82631adb6c0160e11b5f5260045260245ffd5b90508211155f611a06565b5f949194199060200360031b1b16925f6119fd565b638284f20f60e01b5f5260045ffd5b50620100008111611780565b602c820290828204602c14171561069457851415611779565b89630270c78760e61b5f5260045260245ffd5b8863722294b760e11b5f5260045260245260445ffd5b8863a83fc9d160e01b5f5260045260245260445ffd5b8263010802ed60e41b5f523360045260245260445ffd5b50823314156116dd565b6001600160401b0384818a63463f084360e01b5f521660045260481c1660245260445ffd5b506001600160401b038460481c166001600160401b03891610156116ba565b8863bfc6c33760e01b5f5260045260245ffd5b50505f60028214156116a9565b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc5760403660031901126102bc57611c7d611fa3565b6024356001600160401b0381116102bc57611c9c903690600401611fcf565b6001600160a01b039092165f818152600560205260409020929190611cbf612099565b936001600160401b035f9516926001600160401b037f000000000000000000000000000000000000000000000000000000000000000016955b85811015610d1d578060051b820135906001600160401b0382168092036102bc57845f52600760205260405f20825f5260205260405f20916001830180549363ffffffff8560a01c1615611e2957611d508b8461213c565b891115611e125760ff8560c01c16611e0657600201805460ff60c01b19909516600160c01b1790915580546001600160a01b03169055845460a09390931c9260ff1660058110156104b3577f28c50deaaedad846f3f42582753fdef9f4675fb71199a5e92132b97e274cd3a3602060019560048a9403611dd9575b604051908152a35b01611cf8565b8689016001600160601b03611df1838284541661206c565b166001600160601b0319825416179055611dcb565b50505060019150611dd3565b8883630e22f8cb60e31b5f5260045260245260445ffd5b826380f2955760e01b5f5260045260245ffd5b346102bc575f3660031901126102bc576020611e56612099565b6001600160401b0360405191168152f35b346102bc5760403660031901126102bc57611e80611fa3565b602435906001600160a01b03821682036102bc5760018060a01b03165f52600460205260405f209060018060a01b03165f52602052602060ff60405f2054166040519015158152f35b346102bc5760203660031901126102bc576001600160a01b03611eea611fa3565b165f52600560205260206001600160601b03611f1760405f2082600181835460881c16920154169061206c565b16604051908152f35b346102bc575f3660031901126102bc5760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346102bc5760203660031901126102bc576020906001600160a01b03611f87611fa3565b165f52600582526001600160601b0360405f205460881c168152f35b600435906001600160a01b03821682036102bc57565b604435906001600160a01b03821682036102bc57565b9181601f840112156102bc578235916001600160401b0383116102bc576020808501948460051b0101116102bc57565b602435906001600160401b03821682036102bc57565b9181601f840112156102bc578235916001600160401b0383116102bc57602083818601950101116102bc57565b602060409281835280519182918282860152018484015e5f828201840152601f01601f1916010190565b906001600160601b03809116911603906001600160601b03821161069457565b9190820391821161069457565b6001600160401b037f000000000000000000000000000000000000000000000000000000000000000016804210612126576120d4904261208c565b6001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168015612112576001600160401b0391041690565b634e487b7160e01b5f52601260045260245ffd5b6301ab9a5d60e01b5f524260045260245260445ffd5b9190820180921161069457565b8181029291811591840414171561069457565b604081019081106001600160401b0382111761217757604052565b634e487b7160e01b5f52604160045260245ffd5b60c081019081106001600160401b0382111761217757604052565b90601f801991011681019081106001600160401b0382111761217757604052565b6001600160401b0381116121775760051b60200190565b909392938483116102bc5784116102bc578101920390565b805182101561190a5760209160051b010190565b906001600160401b03809116911601906001600160401b03821161069457565b6001600160401b03811161217757601f01601f191660200190565b3d1561226f573d906122568261222a565b9161226460405193846121a6565b82523d5f602084013e565b606090565b805468010000000000000000600160e01b03191660409290921b68010000000000000000600160e01b0316919091179055565b906040519161010083018381106001600160401b03821117612177576040525f835260208301905f8252604084015f81525f606086015260808501905f82525f60a08701525f60c087015260e08601955f8752809660018060a01b03851692835f52600560205260405f209182549160ff83169860058a10156104b3576001600160401b03946001600160601b03926001928c895263ffffffff8760081c169052838660881c169052015416905260481c16809352841561244b57505f52600660205260405f205f80526020526001600160401b0360405f205416606086015261238f612099565b916001600160a01b03906123a49084906124ff565b1660c08601525f90600284148094811561243d575b506123c5575b50505050565b6123f0907f00000000000000000000000000000000000000000000000000000000000000009061220a565b906001600160401b0360a08701921682526104b35782612424575b505061241b575b5f8080806123bf565b60038252612412565b516001600160401b039081169116101590505f8061240b565b92505060045f92145f6123b9565b955050505050565b6040519075706c656467652e72656769737472792e706f702e763160501b60208301524660408301523060601b60608301526001600160601b03199060601b166074820152606881526124a76088826121a6565b90565b908160209103126102bc57516001600160401b03811681036102bc5790565b9291926124d58261222a565b916124e360405193846121a6565b8294818452818301116102bc578281602093845f960137010152565b60018060a01b031690815f52600560205260405f205460ff811660058110156104b35760018114159081612620575b5080612601575b6125b157825f52600660205260405f20916001600160401b0363ffffffff5f9360281c1691165b8183106125b857505080156125b1575f198101908111610694575f90815260209182526040808220549382526004835280822093811c6001600160a01b031680835293909252205460ff16156124a757505f90565b5050505f90565b90916125c4838261213c565b60011c90815f5284602052826001600160401b0360405f20541611155f146125fa57506001810180911161069457915b9061255c565b92506125f4565b506001600160401b038160481c166001600160401b0383161015612535565b905015155f61252e565b6001600160601b038111612644576001600160601b031690565b632d4bbf2f60e21b5f5260045260245ffd5b919081101561190a5760051b81013590601e19813603018212156102bc5701908135916001600160401b0383116102bc5760200182360381136102bc579190565b939091928315612c0a57818403612bf3576126b133612453565b6060906040516126c183826121a6565b602b8152602081017f424c535f5349475f424c53313233383147325f584d443a5348412d3235365f5381526a5357555f524f5f504f505f60a81b6040830152610100926040519261271285856121a6565b84368537519060ff82116102bc575f6020916127586001846040518781988383019a8b5e8082019060ff60f81b9060f81b16838201520301601e198101875201856121a6565b6040516127ab6003828b87808301968888528860408501528051918291018385015e8201600160f81b82820152876062820152895190818c606383015e010186838201520301601f1981018352826121a6565b604051918291518091835e8101838152039060025afa15610b13575f519160205f60405182810190868252600160f81b6040820152612809602182868951808a604185015e820101828101878152500301601f1981018352826121a6565b604051918291518091835e8101838152039060025afa15610b13575f51845260015b60088110612b5157505050505f6128a58261286b61289f612899612871612859879851602087015190612e99565b61286b60408701518c88015190612e99565b90612c9e565b9361286b612888608083015160a084015190612e99565b9160e060c082015191015190612e99565b92612f40565b91612f40565b602081519101600d5afa6128b7612245565b9080612b47575b15612b02573395945f5b88811061290f57505050505050505063ffffffff8254911663ffffffff8260081c160163ffffffff81116106945764ffffffff009060081b169064ffffffff001916179055565b61291d610374828b8a612656565b61292681612cde565b15612aef578461293783858a612656565b905003612adc5760808151036102bc57602081015160408201519087830151916080840151926080936f0d0088f51cbff34d258dd3db21a5d66b8211918215612a90575b5050612a87575b6040519260208401926fffffffffffffffffffffffffffffffff8080199360781b1691161760801b1682526030830152603082526129c16050836121a6565b815190205f818152600160205260409020549092906001600160a01b031680612a7157506129fe90866129f861037487898e612656565b91612d2f565b15612a5e579060019291815f528360205260405f208b6001600160601b0360a01b8254161790557f7d54baece9aa2ba0708a4bca7e004a22914c34685cee15dab9e284fbe507458a60405180612a55339482612042565b0390a3016128c8565b826389c8b52b60e01b5f5260045260245ffd5b8363488b5eff60e01b5f5260045260245260445ffd5b60a09250612982565b6f0d0088f51cbff34d258dd3db21a5d66b14915081612ab2575b505f8061297b565b7fb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd5559150115f612aaa565b5063a1c9731960e01b5f5260045260245ffd5b5063d212a85f60e01b5f5260045260245ffd5b60405162461bcd60e51b815260206004820152601b60248201527f424c5331323338313a20707265636f6d70696c65206661696c656400000000006044820152606490fd5b50818151146128be565b5f19810181811161069457612b669086612c8d565b51841860018201808311610694576020915f916040519084820192835260ff60f81b9060ff60f81b9060f81b16166040820152612bc2602182868a51808b604185015e820101828101878152500301601f1981018352826121a6565b604051918291518091835e8101838152039060025afa15610b13576001905f51612bec8288612c8d565b520161282b565b50826355c5b3e360e11b5f5260045260245260445ffd5b630190983560e01b5f5260045ffd5b8115612c89575f808080858561c350f1612c31612245565b5015612c3b575050565b60207f15037fdbcf9999d2f250620f39c029ca732e68e0561907aa9083b4fa6a86e46c9160018060a01b031692835f526002825260405f20612c7e82825461213c565b9055604051908152a2565b5050565b90600881101561190a5760051b0190565b612cdc906020808095946040519684889551918291018487015e8401908282015f8152815193849201905e01015f815203601f1981018452836121a6565b565b6080815103612d2a57602081015190604081015160806060830151920151928060801c15801590612d1e575b612d1657171717151590565b505050505f90565b508260801c1515612d0a565b505f90565b9190916080815114801590612e8c575b8015612e7f575b6125b1576020612e2e5f94828695604051828101906f17f1d3a73197d7942695638c4fa9ac0f82527fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb60408201526f114d1d6855d545a8aa7d76c8cf2e21f260608201527f67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca608082015260808152612ddf60a0826121a6565b83604051978896818089019b8051918291018d5e8801908282018d8152815193849201905e010190898252518092825e0190878252805192839101825e0185815203601f1981018352826121a6565b5190600f5afa612e3c612245565b81612e73575b81612e4b575090565b60019150602081519101519060208110612e6457501490565b5f199060200360031b1b161490565b80516020149150612e42565b5061010082511415612d46565b5061010083511415612d3f565b5f91908291604051906020820192604084526020604084015260406060840152608083015260a0820152600160c08201526f1a0111ea397fe69a4b1ba7b6434bacd760e08201527f64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab6101008201526101008152612f18610120826121a6565b519060055afa612f26612245565b9080612f35575b15612b025790565b506040815114612f2d565b5f809160208151910160115afa90612f56612245565b9180612f64575b15612b0257565b50610100825114612f5d56fea26469706673582212207eb58163ee30631686ae49b785b67b0e0ade9bfec0a7b99fccbc60c08c656db364736f6c63430008250033",
}

// RegistryABI is the input ABI used to generate the binding from.
// Deprecated: Use RegistryMetaData.ABI instead.
var RegistryABI = RegistryMetaData.ABI

// RegistryBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use RegistryMetaData.Bin instead.
var RegistryBin = RegistryMetaData.Bin

// DeployRegistry deploys a new Ethereum contract, binding an instance of Registry to it.
func DeployRegistry(auth *bind.TransactOpts, backend bind.ContractBackend, cfg RegistryConfig) (common.Address, *types.Transaction, *Registry, error) {
	parsed, err := RegistryMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(RegistryBin), backend, cfg)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &Registry{RegistryCaller: RegistryCaller{contract: contract}, RegistryTransactor: RegistryTransactor{contract: contract}, RegistryFilterer: RegistryFilterer{contract: contract}}, nil
}

// Registry is an auto generated Go binding around an Ethereum contract.
type Registry struct {
	RegistryCaller     // Read-only binding to the contract
	RegistryTransactor // Write-only binding to the contract
	RegistryFilterer   // Log filterer for contract events
}

// RegistryCaller is an auto generated read-only Go binding around an Ethereum contract.
type RegistryCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RegistryTransactor is an auto generated write-only Go binding around an Ethereum contract.
type RegistryTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RegistryFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type RegistryFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RegistrySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type RegistrySession struct {
	Contract     *Registry         // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// RegistryCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type RegistryCallerSession struct {
	Contract *RegistryCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts   // Call options to use throughout this session
}

// RegistryTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type RegistryTransactorSession struct {
	Contract     *RegistryTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts   // Transaction auth options to use throughout this session
}

// RegistryRaw is an auto generated low-level Go binding around an Ethereum contract.
type RegistryRaw struct {
	Contract *Registry // Generic contract binding to access the raw methods on
}

// RegistryCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type RegistryCallerRaw struct {
	Contract *RegistryCaller // Generic read-only contract binding to access the raw methods on
}

// RegistryTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type RegistryTransactorRaw struct {
	Contract *RegistryTransactor // Generic write-only contract binding to access the raw methods on
}

// NewRegistry creates a new instance of Registry, bound to a specific deployed contract.
func NewRegistry(address common.Address, backend bind.ContractBackend) (*Registry, error) {
	contract, err := bindRegistry(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &Registry{RegistryCaller: RegistryCaller{contract: contract}, RegistryTransactor: RegistryTransactor{contract: contract}, RegistryFilterer: RegistryFilterer{contract: contract}}, nil
}

// NewRegistryCaller creates a new read-only instance of Registry, bound to a specific deployed contract.
func NewRegistryCaller(address common.Address, caller bind.ContractCaller) (*RegistryCaller, error) {
	contract, err := bindRegistry(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &RegistryCaller{contract: contract}, nil
}

// NewRegistryTransactor creates a new write-only instance of Registry, bound to a specific deployed contract.
func NewRegistryTransactor(address common.Address, transactor bind.ContractTransactor) (*RegistryTransactor, error) {
	contract, err := bindRegistry(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &RegistryTransactor{contract: contract}, nil
}

// NewRegistryFilterer creates a new log filterer instance of Registry, bound to a specific deployed contract.
func NewRegistryFilterer(address common.Address, filterer bind.ContractFilterer) (*RegistryFilterer, error) {
	contract, err := bindRegistry(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &RegistryFilterer{contract: contract}, nil
}

// bindRegistry binds a generic wrapper to an already deployed contract.
func bindRegistry(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := RegistryMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Registry *RegistryRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Registry.Contract.RegistryCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Registry *RegistryRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.Contract.RegistryTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Registry *RegistryRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Registry.Contract.RegistryTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Registry *RegistryCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Registry.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Registry *RegistryTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Registry *RegistryTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Registry.Contract.contract.Transact(opts, method, params...)
}

// Burned is a free data retrieval call binding the contract method 0x73f42561.
//
// Solidity: function burned() view returns(uint256)
func (_Registry *RegistryCaller) Burned(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "burned")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Burned is a free data retrieval call binding the contract method 0x73f42561.
//
// Solidity: function burned() view returns(uint256)
func (_Registry *RegistrySession) Burned() (*big.Int, error) {
	return _Registry.Contract.Burned(&_Registry.CallOpts)
}

// Burned is a free data retrieval call binding the contract method 0x73f42561.
//
// Solidity: function burned() view returns(uint256)
func (_Registry *RegistryCallerSession) Burned() (*big.Int, error) {
	return _Registry.Contract.Burned(&_Registry.CallOpts)
}

// CollateralOf is a free data retrieval call binding the contract method 0x1aefb107.
//
// Solidity: function collateralOf(address operator) view returns(uint256)
func (_Registry *RegistryCaller) CollateralOf(opts *bind.CallOpts, operator common.Address) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "collateralOf", operator)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// CollateralOf is a free data retrieval call binding the contract method 0x1aefb107.
//
// Solidity: function collateralOf(address operator) view returns(uint256)
func (_Registry *RegistrySession) CollateralOf(operator common.Address) (*big.Int, error) {
	return _Registry.Contract.CollateralOf(&_Registry.CallOpts, operator)
}

// CollateralOf is a free data retrieval call binding the contract method 0x1aefb107.
//
// Solidity: function collateralOf(address operator) view returns(uint256)
func (_Registry *RegistryCallerSession) CollateralOf(operator common.Address) (*big.Int, error) {
	return _Registry.Contract.CollateralOf(&_Registry.CallOpts, operator)
}

// CommitterAt is a free data retrieval call binding the contract method 0xfbc8a227.
//
// Solidity: function committerAt(address operator, uint64 slot) view returns(address)
func (_Registry *RegistryCaller) CommitterAt(opts *bind.CallOpts, operator common.Address, slot uint64) (common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "committerAt", operator, slot)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// CommitterAt is a free data retrieval call binding the contract method 0xfbc8a227.
//
// Solidity: function committerAt(address operator, uint64 slot) view returns(address)
func (_Registry *RegistrySession) CommitterAt(operator common.Address, slot uint64) (common.Address, error) {
	return _Registry.Contract.CommitterAt(&_Registry.CallOpts, operator, slot)
}

// CommitterAt is a free data retrieval call binding the contract method 0xfbc8a227.
//
// Solidity: function committerAt(address operator, uint64 slot) view returns(address)
func (_Registry *RegistryCallerSession) CommitterAt(operator common.Address, slot uint64) (common.Address, error) {
	return _Registry.Contract.CommitterAt(&_Registry.CallOpts, operator, slot)
}

// Committers is a free data retrieval call binding the contract method 0x5f4fea26.
//
// Solidity: function committers(address operator) view returns((uint64,address)[] list)
func (_Registry *RegistryCaller) Committers(opts *bind.CallOpts, operator common.Address) ([]RegistryCheckpoint, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "committers", operator)

	if err != nil {
		return *new([]RegistryCheckpoint), err
	}

	out0 := *abi.ConvertType(out[0], new([]RegistryCheckpoint)).(*[]RegistryCheckpoint)

	return out0, err

}

// Committers is a free data retrieval call binding the contract method 0x5f4fea26.
//
// Solidity: function committers(address operator) view returns((uint64,address)[] list)
func (_Registry *RegistrySession) Committers(operator common.Address) ([]RegistryCheckpoint, error) {
	return _Registry.Contract.Committers(&_Registry.CallOpts, operator)
}

// Committers is a free data retrieval call binding the contract method 0x5f4fea26.
//
// Solidity: function committers(address operator) view returns((uint64,address)[] list)
func (_Registry *RegistryCallerSession) Committers(operator common.Address) ([]RegistryCheckpoint, error) {
	return _Registry.Contract.Committers(&_Registry.CallOpts, operator)
}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Registry *RegistryCaller) CurrentSlot(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "currentSlot")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Registry *RegistrySession) CurrentSlot() (uint64, error) {
	return _Registry.Contract.CurrentSlot(&_Registry.CallOpts)
}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Registry *RegistryCallerSession) CurrentSlot() (uint64, error) {
	return _Registry.Contract.CurrentSlot(&_Registry.CallOpts)
}

// Deployer is a free data retrieval call binding the contract method 0xd5f39488.
//
// Solidity: function deployer() view returns(address)
func (_Registry *RegistryCaller) Deployer(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "deployer")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Deployer is a free data retrieval call binding the contract method 0xd5f39488.
//
// Solidity: function deployer() view returns(address)
func (_Registry *RegistrySession) Deployer() (common.Address, error) {
	return _Registry.Contract.Deployer(&_Registry.CallOpts)
}

// Deployer is a free data retrieval call binding the contract method 0xd5f39488.
//
// Solidity: function deployer() view returns(address)
func (_Registry *RegistryCallerSession) Deployer() (common.Address, error) {
	return _Registry.Contract.Deployer(&_Registry.CallOpts)
}

// FreeCollateral is a free data retrieval call binding the contract method 0x29fd9747.
//
// Solidity: function freeCollateral(address operator) view returns(uint256)
func (_Registry *RegistryCaller) FreeCollateral(opts *bind.CallOpts, operator common.Address) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "freeCollateral", operator)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// FreeCollateral is a free data retrieval call binding the contract method 0x29fd9747.
//
// Solidity: function freeCollateral(address operator) view returns(uint256)
func (_Registry *RegistrySession) FreeCollateral(operator common.Address) (*big.Int, error) {
	return _Registry.Contract.FreeCollateral(&_Registry.CallOpts, operator)
}

// FreeCollateral is a free data retrieval call binding the contract method 0x29fd9747.
//
// Solidity: function freeCollateral(address operator) view returns(uint256)
func (_Registry *RegistryCallerSession) FreeCollateral(operator common.Address) (*big.Int, error) {
	return _Registry.Contract.FreeCollateral(&_Registry.CallOpts, operator)
}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Registry *RegistryCaller) GenesisTime(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "genesisTime")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Registry *RegistrySession) GenesisTime() (uint64, error) {
	return _Registry.Contract.GenesisTime(&_Registry.CallOpts)
}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Registry *RegistryCallerSession) GenesisTime() (uint64, error) {
	return _Registry.Contract.GenesisTime(&_Registry.CallOpts)
}

// LedgerGrace is a free data retrieval call binding the contract method 0xf8e5e5dc.
//
// Solidity: function ledgerGrace() view returns(uint64)
func (_Registry *RegistryCaller) LedgerGrace(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "ledgerGrace")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// LedgerGrace is a free data retrieval call binding the contract method 0xf8e5e5dc.
//
// Solidity: function ledgerGrace() view returns(uint64)
func (_Registry *RegistrySession) LedgerGrace() (uint64, error) {
	return _Registry.Contract.LedgerGrace(&_Registry.CallOpts)
}

// LedgerGrace is a free data retrieval call binding the contract method 0xf8e5e5dc.
//
// Solidity: function ledgerGrace() view returns(uint64)
func (_Registry *RegistryCallerSession) LedgerGrace() (uint64, error) {
	return _Registry.Contract.LedgerGrace(&_Registry.CallOpts)
}

// LedgerOf is a free data retrieval call binding the contract method 0xfc2f15b2.
//
// Solidity: function ledgerOf(address operator, uint64 slot) view returns((bytes32,address,uint32,bool,address,uint96))
func (_Registry *RegistryCaller) LedgerOf(opts *bind.CallOpts, operator common.Address, slot uint64) (IRegistryLedger, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "ledgerOf", operator, slot)

	if err != nil {
		return *new(IRegistryLedger), err
	}

	out0 := *abi.ConvertType(out[0], new(IRegistryLedger)).(*IRegistryLedger)

	return out0, err

}

// LedgerOf is a free data retrieval call binding the contract method 0xfc2f15b2.
//
// Solidity: function ledgerOf(address operator, uint64 slot) view returns((bytes32,address,uint32,bool,address,uint96))
func (_Registry *RegistrySession) LedgerOf(operator common.Address, slot uint64) (IRegistryLedger, error) {
	return _Registry.Contract.LedgerOf(&_Registry.CallOpts, operator, slot)
}

// LedgerOf is a free data retrieval call binding the contract method 0xfc2f15b2.
//
// Solidity: function ledgerOf(address operator, uint64 slot) view returns((bytes32,address,uint32,bool,address,uint96))
func (_Registry *RegistryCallerSession) LedgerOf(operator common.Address, slot uint64) (IRegistryLedger, error) {
	return _Registry.Contract.LedgerOf(&_Registry.CallOpts, operator, slot)
}

// Lookahead is a free data retrieval call binding the contract method 0x3b5351e5.
//
// Solidity: function lookahead() view returns(uint64)
func (_Registry *RegistryCaller) Lookahead(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "lookahead")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// Lookahead is a free data retrieval call binding the contract method 0x3b5351e5.
//
// Solidity: function lookahead() view returns(uint64)
func (_Registry *RegistrySession) Lookahead() (uint64, error) {
	return _Registry.Contract.Lookahead(&_Registry.CallOpts)
}

// Lookahead is a free data retrieval call binding the contract method 0x3b5351e5.
//
// Solidity: function lookahead() view returns(uint64)
func (_Registry *RegistryCallerSession) Lookahead() (uint64, error) {
	return _Registry.Contract.Lookahead(&_Registry.CallOpts)
}

// MinCollateral is a free data retrieval call binding the contract method 0xba2de9bc.
//
// Solidity: function minCollateral() view returns(uint256)
func (_Registry *RegistryCaller) MinCollateral(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "minCollateral")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MinCollateral is a free data retrieval call binding the contract method 0xba2de9bc.
//
// Solidity: function minCollateral() view returns(uint256)
func (_Registry *RegistrySession) MinCollateral() (*big.Int, error) {
	return _Registry.Contract.MinCollateral(&_Registry.CallOpts)
}

// MinCollateral is a free data retrieval call binding the contract method 0xba2de9bc.
//
// Solidity: function minCollateral() view returns(uint256)
func (_Registry *RegistryCallerSession) MinCollateral() (*big.Int, error) {
	return _Registry.Contract.MinCollateral(&_Registry.CallOpts)
}

// OperatorOf is a free data retrieval call binding the contract method 0xed1aa38e.
//
// Solidity: function operatorOf(bytes compressedPubkey) view returns(address)
func (_Registry *RegistryCaller) OperatorOf(opts *bind.CallOpts, compressedPubkey []byte) (common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "operatorOf", compressedPubkey)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OperatorOf is a free data retrieval call binding the contract method 0xed1aa38e.
//
// Solidity: function operatorOf(bytes compressedPubkey) view returns(address)
func (_Registry *RegistrySession) OperatorOf(compressedPubkey []byte) (common.Address, error) {
	return _Registry.Contract.OperatorOf(&_Registry.CallOpts, compressedPubkey)
}

// OperatorOf is a free data retrieval call binding the contract method 0xed1aa38e.
//
// Solidity: function operatorOf(bytes compressedPubkey) view returns(address)
func (_Registry *RegistryCallerSession) OperatorOf(compressedPubkey []byte) (common.Address, error) {
	return _Registry.Contract.OperatorOf(&_Registry.CallOpts, compressedPubkey)
}

// OperatorOfHash is a free data retrieval call binding the contract method 0xd35df713.
//
// Solidity: function operatorOfHash(bytes32 keyHash) view returns(address operator)
func (_Registry *RegistryCaller) OperatorOfHash(opts *bind.CallOpts, keyHash [32]byte) (common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "operatorOfHash", keyHash)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OperatorOfHash is a free data retrieval call binding the contract method 0xd35df713.
//
// Solidity: function operatorOfHash(bytes32 keyHash) view returns(address operator)
func (_Registry *RegistrySession) OperatorOfHash(keyHash [32]byte) (common.Address, error) {
	return _Registry.Contract.OperatorOfHash(&_Registry.CallOpts, keyHash)
}

// OperatorOfHash is a free data retrieval call binding the contract method 0xd35df713.
//
// Solidity: function operatorOfHash(bytes32 keyHash) view returns(address operator)
func (_Registry *RegistryCallerSession) OperatorOfHash(keyHash [32]byte) (common.Address, error) {
	return _Registry.Contract.OperatorOfHash(&_Registry.CallOpts, keyHash)
}

// Owed is a free data retrieval call binding the contract method 0xdf18e047.
//
// Solidity: function owed(address account) view returns(uint256 amount)
func (_Registry *RegistryCaller) Owed(opts *bind.CallOpts, account common.Address) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "owed", account)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Owed is a free data retrieval call binding the contract method 0xdf18e047.
//
// Solidity: function owed(address account) view returns(uint256 amount)
func (_Registry *RegistrySession) Owed(account common.Address) (*big.Int, error) {
	return _Registry.Contract.Owed(&_Registry.CallOpts, account)
}

// Owed is a free data retrieval call binding the contract method 0xdf18e047.
//
// Solidity: function owed(address account) view returns(uint256 amount)
func (_Registry *RegistryCallerSession) Owed(account common.Address) (*big.Int, error) {
	return _Registry.Contract.Owed(&_Registry.CallOpts, account)
}

// PopMessage is a free data retrieval call binding the contract method 0x9b3fccba.
//
// Solidity: function popMessage(address operator) view returns(bytes)
func (_Registry *RegistryCaller) PopMessage(opts *bind.CallOpts, operator common.Address) ([]byte, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "popMessage", operator)

	if err != nil {
		return *new([]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)

	return out0, err

}

// PopMessage is a free data retrieval call binding the contract method 0x9b3fccba.
//
// Solidity: function popMessage(address operator) view returns(bytes)
func (_Registry *RegistrySession) PopMessage(operator common.Address) ([]byte, error) {
	return _Registry.Contract.PopMessage(&_Registry.CallOpts, operator)
}

// PopMessage is a free data retrieval call binding the contract method 0x9b3fccba.
//
// Solidity: function popMessage(address operator) view returns(bytes)
func (_Registry *RegistryCallerSession) PopMessage(operator common.Address) ([]byte, error) {
	return _Registry.Contract.PopMessage(&_Registry.CallOpts, operator)
}

// Revoked is a free data retrieval call binding the contract method 0x2fa93cbf.
//
// Solidity: function revoked(address operator, address committer) view returns(bool)
func (_Registry *RegistryCaller) Revoked(opts *bind.CallOpts, operator common.Address, committer common.Address) (bool, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "revoked", operator, committer)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// Revoked is a free data retrieval call binding the contract method 0x2fa93cbf.
//
// Solidity: function revoked(address operator, address committer) view returns(bool)
func (_Registry *RegistrySession) Revoked(operator common.Address, committer common.Address) (bool, error) {
	return _Registry.Contract.Revoked(&_Registry.CallOpts, operator, committer)
}

// Revoked is a free data retrieval call binding the contract method 0x2fa93cbf.
//
// Solidity: function revoked(address operator, address committer) view returns(bool)
func (_Registry *RegistryCallerSession) Revoked(operator common.Address, committer common.Address) (bool, error) {
	return _Registry.Contract.Revoked(&_Registry.CallOpts, operator, committer)
}

// RotationDelay is a free data retrieval call binding the contract method 0xc647f844.
//
// Solidity: function rotationDelay() view returns(uint64)
func (_Registry *RegistryCaller) RotationDelay(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "rotationDelay")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// RotationDelay is a free data retrieval call binding the contract method 0xc647f844.
//
// Solidity: function rotationDelay() view returns(uint64)
func (_Registry *RegistrySession) RotationDelay() (uint64, error) {
	return _Registry.Contract.RotationDelay(&_Registry.CallOpts)
}

// RotationDelay is a free data retrieval call binding the contract method 0xc647f844.
//
// Solidity: function rotationDelay() view returns(uint64)
func (_Registry *RegistryCallerSession) RotationDelay() (uint64, error) {
	return _Registry.Contract.RotationDelay(&_Registry.CallOpts)
}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Registry *RegistryCaller) SecondsPerSlot(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "secondsPerSlot")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Registry *RegistrySession) SecondsPerSlot() (uint64, error) {
	return _Registry.Contract.SecondsPerSlot(&_Registry.CallOpts)
}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Registry *RegistryCallerSession) SecondsPerSlot() (uint64, error) {
	return _Registry.Contract.SecondsPerSlot(&_Registry.CallOpts)
}

// SlashWindow is a free data retrieval call binding the contract method 0x390e226d.
//
// Solidity: function slashWindow() view returns(uint64)
func (_Registry *RegistryCaller) SlashWindow(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "slashWindow")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// SlashWindow is a free data retrieval call binding the contract method 0x390e226d.
//
// Solidity: function slashWindow() view returns(uint64)
func (_Registry *RegistrySession) SlashWindow() (uint64, error) {
	return _Registry.Contract.SlashWindow(&_Registry.CallOpts)
}

// SlashWindow is a free data retrieval call binding the contract method 0x390e226d.
//
// Solidity: function slashWindow() view returns(uint64)
func (_Registry *RegistryCallerSession) SlashWindow() (uint64, error) {
	return _Registry.Contract.SlashWindow(&_Registry.CallOpts)
}

// Slasher is a free data retrieval call binding the contract method 0xb1344271.
//
// Solidity: function slasher() view returns(address)
func (_Registry *RegistryCaller) Slasher(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "slasher")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Slasher is a free data retrieval call binding the contract method 0xb1344271.
//
// Solidity: function slasher() view returns(address)
func (_Registry *RegistrySession) Slasher() (common.Address, error) {
	return _Registry.Contract.Slasher(&_Registry.CallOpts)
}

// Slasher is a free data retrieval call binding the contract method 0xb1344271.
//
// Solidity: function slasher() view returns(address)
func (_Registry *RegistryCallerSession) Slasher() (common.Address, error) {
	return _Registry.Contract.Slasher(&_Registry.CallOpts)
}

// Status is a free data retrieval call binding the contract method 0x645b8b1b.
//
// Solidity: function status(address operator) view returns((uint8,uint32,uint256,uint64,uint64,uint64,address,uint256) s)
func (_Registry *RegistryCaller) Status(opts *bind.CallOpts, operator common.Address) (IRegistryStatus, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "status", operator)

	if err != nil {
		return *new(IRegistryStatus), err
	}

	out0 := *abi.ConvertType(out[0], new(IRegistryStatus)).(*IRegistryStatus)

	return out0, err

}

// Status is a free data retrieval call binding the contract method 0x645b8b1b.
//
// Solidity: function status(address operator) view returns((uint8,uint32,uint256,uint64,uint64,uint64,address,uint256) s)
func (_Registry *RegistrySession) Status(operator common.Address) (IRegistryStatus, error) {
	return _Registry.Contract.Status(&_Registry.CallOpts, operator)
}

// Status is a free data retrieval call binding the contract method 0x645b8b1b.
//
// Solidity: function status(address operator) view returns((uint8,uint32,uint256,uint64,uint64,uint64,address,uint256) s)
func (_Registry *RegistryCallerSession) Status(operator common.Address) (IRegistryStatus, error) {
	return _Registry.Contract.Status(&_Registry.CallOpts, operator)
}

// UnregistrationDelay is a free data retrieval call binding the contract method 0x79cd6e1e.
//
// Solidity: function unregistrationDelay() view returns(uint64)
func (_Registry *RegistryCaller) UnregistrationDelay(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "unregistrationDelay")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// UnregistrationDelay is a free data retrieval call binding the contract method 0x79cd6e1e.
//
// Solidity: function unregistrationDelay() view returns(uint64)
func (_Registry *RegistrySession) UnregistrationDelay() (uint64, error) {
	return _Registry.Contract.UnregistrationDelay(&_Registry.CallOpts)
}

// UnregistrationDelay is a free data retrieval call binding the contract method 0x79cd6e1e.
//
// Solidity: function unregistrationDelay() view returns(uint64)
func (_Registry *RegistryCallerSession) UnregistrationDelay() (uint64, error) {
	return _Registry.Contract.UnregistrationDelay(&_Registry.CallOpts)
}

// AddKeys is a paid mutator transaction binding the contract method 0x953aa824.
//
// Solidity: function addKeys(bytes[] pubkeys, bytes[] signatures) returns()
func (_Registry *RegistryTransactor) AddKeys(opts *bind.TransactOpts, pubkeys [][]byte, signatures [][]byte) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "addKeys", pubkeys, signatures)
}

// AddKeys is a paid mutator transaction binding the contract method 0x953aa824.
//
// Solidity: function addKeys(bytes[] pubkeys, bytes[] signatures) returns()
func (_Registry *RegistrySession) AddKeys(pubkeys [][]byte, signatures [][]byte) (*types.Transaction, error) {
	return _Registry.Contract.AddKeys(&_Registry.TransactOpts, pubkeys, signatures)
}

// AddKeys is a paid mutator transaction binding the contract method 0x953aa824.
//
// Solidity: function addKeys(bytes[] pubkeys, bytes[] signatures) returns()
func (_Registry *RegistryTransactorSession) AddKeys(pubkeys [][]byte, signatures [][]byte) (*types.Transaction, error) {
	return _Registry.Contract.AddKeys(&_Registry.TransactOpts, pubkeys, signatures)
}

// Claim is a paid mutator transaction binding the contract method 0x4e71d92d.
//
// Solidity: function claim() returns()
func (_Registry *RegistryTransactor) Claim(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "claim")
}

// Claim is a paid mutator transaction binding the contract method 0x4e71d92d.
//
// Solidity: function claim() returns()
func (_Registry *RegistrySession) Claim() (*types.Transaction, error) {
	return _Registry.Contract.Claim(&_Registry.TransactOpts)
}

// Claim is a paid mutator transaction binding the contract method 0x4e71d92d.
//
// Solidity: function claim() returns()
func (_Registry *RegistryTransactorSession) Claim() (*types.Transaction, error) {
	return _Registry.Contract.Claim(&_Registry.TransactOpts)
}

// Deposit is a paid mutator transaction binding the contract method 0xd0e30db0.
//
// Solidity: function deposit() payable returns()
func (_Registry *RegistryTransactor) Deposit(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "deposit")
}

// Deposit is a paid mutator transaction binding the contract method 0xd0e30db0.
//
// Solidity: function deposit() payable returns()
func (_Registry *RegistrySession) Deposit() (*types.Transaction, error) {
	return _Registry.Contract.Deposit(&_Registry.TransactOpts)
}

// Deposit is a paid mutator transaction binding the contract method 0xd0e30db0.
//
// Solidity: function deposit() payable returns()
func (_Registry *RegistryTransactorSession) Deposit() (*types.Transaction, error) {
	return _Registry.Contract.Deposit(&_Registry.TransactOpts)
}

// InitSlasher is a paid mutator transaction binding the contract method 0x9d7dddc9.
//
// Solidity: function initSlasher(address slasher_) returns()
func (_Registry *RegistryTransactor) InitSlasher(opts *bind.TransactOpts, slasher_ common.Address) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "initSlasher", slasher_)
}

// InitSlasher is a paid mutator transaction binding the contract method 0x9d7dddc9.
//
// Solidity: function initSlasher(address slasher_) returns()
func (_Registry *RegistrySession) InitSlasher(slasher_ common.Address) (*types.Transaction, error) {
	return _Registry.Contract.InitSlasher(&_Registry.TransactOpts, slasher_)
}

// InitSlasher is a paid mutator transaction binding the contract method 0x9d7dddc9.
//
// Solidity: function initSlasher(address slasher_) returns()
func (_Registry *RegistryTransactorSession) InitSlasher(slasher_ common.Address) (*types.Transaction, error) {
	return _Registry.Contract.InitSlasher(&_Registry.TransactOpts, slasher_)
}

// OpenLedger is a paid mutator transaction binding the contract method 0x3b6d6a02.
//
// Solidity: function openLedger(address operator, uint64 slot, address poster, bytes leaves) returns()
func (_Registry *RegistryTransactor) OpenLedger(opts *bind.TransactOpts, operator common.Address, slot uint64, poster common.Address, leaves []byte) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "openLedger", operator, slot, poster, leaves)
}

// OpenLedger is a paid mutator transaction binding the contract method 0x3b6d6a02.
//
// Solidity: function openLedger(address operator, uint64 slot, address poster, bytes leaves) returns()
func (_Registry *RegistrySession) OpenLedger(operator common.Address, slot uint64, poster common.Address, leaves []byte) (*types.Transaction, error) {
	return _Registry.Contract.OpenLedger(&_Registry.TransactOpts, operator, slot, poster, leaves)
}

// OpenLedger is a paid mutator transaction binding the contract method 0x3b6d6a02.
//
// Solidity: function openLedger(address operator, uint64 slot, address poster, bytes leaves) returns()
func (_Registry *RegistryTransactorSession) OpenLedger(operator common.Address, slot uint64, poster common.Address, leaves []byte) (*types.Transaction, error) {
	return _Registry.Contract.OpenLedger(&_Registry.TransactOpts, operator, slot, poster, leaves)
}

// Register is a paid mutator transaction binding the contract method 0x567a85eb.
//
// Solidity: function register(bytes[] pubkeys, bytes[] signatures, address committer) payable returns()
func (_Registry *RegistryTransactor) Register(opts *bind.TransactOpts, pubkeys [][]byte, signatures [][]byte, committer common.Address) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "register", pubkeys, signatures, committer)
}

// Register is a paid mutator transaction binding the contract method 0x567a85eb.
//
// Solidity: function register(bytes[] pubkeys, bytes[] signatures, address committer) payable returns()
func (_Registry *RegistrySession) Register(pubkeys [][]byte, signatures [][]byte, committer common.Address) (*types.Transaction, error) {
	return _Registry.Contract.Register(&_Registry.TransactOpts, pubkeys, signatures, committer)
}

// Register is a paid mutator transaction binding the contract method 0x567a85eb.
//
// Solidity: function register(bytes[] pubkeys, bytes[] signatures, address committer) payable returns()
func (_Registry *RegistryTransactorSession) Register(pubkeys [][]byte, signatures [][]byte, committer common.Address) (*types.Transaction, error) {
	return _Registry.Contract.Register(&_Registry.TransactOpts, pubkeys, signatures, committer)
}

// Release is a paid mutator transaction binding the contract method 0x34e58062.
//
// Solidity: function release(address operator, uint64[] slots) returns()
func (_Registry *RegistryTransactor) Release(opts *bind.TransactOpts, operator common.Address, slots []uint64) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "release", operator, slots)
}

// Release is a paid mutator transaction binding the contract method 0x34e58062.
//
// Solidity: function release(address operator, uint64[] slots) returns()
func (_Registry *RegistrySession) Release(operator common.Address, slots []uint64) (*types.Transaction, error) {
	return _Registry.Contract.Release(&_Registry.TransactOpts, operator, slots)
}

// Release is a paid mutator transaction binding the contract method 0x34e58062.
//
// Solidity: function release(address operator, uint64[] slots) returns()
func (_Registry *RegistryTransactorSession) Release(operator common.Address, slots []uint64) (*types.Transaction, error) {
	return _Registry.Contract.Release(&_Registry.TransactOpts, operator, slots)
}

// RevokeCommitter is a paid mutator transaction binding the contract method 0x91ee83ed.
//
// Solidity: function revokeCommitter(address committer) returns()
func (_Registry *RegistryTransactor) RevokeCommitter(opts *bind.TransactOpts, committer common.Address) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "revokeCommitter", committer)
}

// RevokeCommitter is a paid mutator transaction binding the contract method 0x91ee83ed.
//
// Solidity: function revokeCommitter(address committer) returns()
func (_Registry *RegistrySession) RevokeCommitter(committer common.Address) (*types.Transaction, error) {
	return _Registry.Contract.RevokeCommitter(&_Registry.TransactOpts, committer)
}

// RevokeCommitter is a paid mutator transaction binding the contract method 0x91ee83ed.
//
// Solidity: function revokeCommitter(address committer) returns()
func (_Registry *RegistryTransactorSession) RevokeCommitter(committer common.Address) (*types.Transaction, error) {
	return _Registry.Contract.RevokeCommitter(&_Registry.TransactOpts, committer)
}

// SetCommitter is a paid mutator transaction binding the contract method 0xdd51ce22.
//
// Solidity: function setCommitter(address committer) returns()
func (_Registry *RegistryTransactor) SetCommitter(opts *bind.TransactOpts, committer common.Address) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "setCommitter", committer)
}

// SetCommitter is a paid mutator transaction binding the contract method 0xdd51ce22.
//
// Solidity: function setCommitter(address committer) returns()
func (_Registry *RegistrySession) SetCommitter(committer common.Address) (*types.Transaction, error) {
	return _Registry.Contract.SetCommitter(&_Registry.TransactOpts, committer)
}

// SetCommitter is a paid mutator transaction binding the contract method 0xdd51ce22.
//
// Solidity: function setCommitter(address committer) returns()
func (_Registry *RegistryTransactorSession) SetCommitter(committer common.Address) (*types.Transaction, error) {
	return _Registry.Contract.SetCommitter(&_Registry.TransactOpts, committer)
}

// Slash is a paid mutator transaction binding the contract method 0x854a1f66.
//
// Solidity: function slash(address operator, uint64 slot, uint256 amount, address user, uint256 userBps, address watcher, uint256 burnBps) returns(uint256 taken, uint256 userPaid)
func (_Registry *RegistryTransactor) Slash(opts *bind.TransactOpts, operator common.Address, slot uint64, amount *big.Int, user common.Address, userBps *big.Int, watcher common.Address, burnBps *big.Int) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "slash", operator, slot, amount, user, userBps, watcher, burnBps)
}

// Slash is a paid mutator transaction binding the contract method 0x854a1f66.
//
// Solidity: function slash(address operator, uint64 slot, uint256 amount, address user, uint256 userBps, address watcher, uint256 burnBps) returns(uint256 taken, uint256 userPaid)
func (_Registry *RegistrySession) Slash(operator common.Address, slot uint64, amount *big.Int, user common.Address, userBps *big.Int, watcher common.Address, burnBps *big.Int) (*types.Transaction, error) {
	return _Registry.Contract.Slash(&_Registry.TransactOpts, operator, slot, amount, user, userBps, watcher, burnBps)
}

// Slash is a paid mutator transaction binding the contract method 0x854a1f66.
//
// Solidity: function slash(address operator, uint64 slot, uint256 amount, address user, uint256 userBps, address watcher, uint256 burnBps) returns(uint256 taken, uint256 userPaid)
func (_Registry *RegistryTransactorSession) Slash(operator common.Address, slot uint64, amount *big.Int, user common.Address, userBps *big.Int, watcher common.Address, burnBps *big.Int) (*types.Transaction, error) {
	return _Registry.Contract.Slash(&_Registry.TransactOpts, operator, slot, amount, user, userBps, watcher, burnBps)
}

// Unregister is a paid mutator transaction binding the contract method 0xe79a198f.
//
// Solidity: function unregister() returns()
func (_Registry *RegistryTransactor) Unregister(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "unregister")
}

// Unregister is a paid mutator transaction binding the contract method 0xe79a198f.
//
// Solidity: function unregister() returns()
func (_Registry *RegistrySession) Unregister() (*types.Transaction, error) {
	return _Registry.Contract.Unregister(&_Registry.TransactOpts)
}

// Unregister is a paid mutator transaction binding the contract method 0xe79a198f.
//
// Solidity: function unregister() returns()
func (_Registry *RegistryTransactorSession) Unregister() (*types.Transaction, error) {
	return _Registry.Contract.Unregister(&_Registry.TransactOpts)
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns()
func (_Registry *RegistryTransactor) Withdraw(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "withdraw")
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns()
func (_Registry *RegistrySession) Withdraw() (*types.Transaction, error) {
	return _Registry.Contract.Withdraw(&_Registry.TransactOpts)
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns()
func (_Registry *RegistryTransactorSession) Withdraw() (*types.Transaction, error) {
	return _Registry.Contract.Withdraw(&_Registry.TransactOpts)
}

// RegistryCollateralDepositedIterator is returned from FilterCollateralDeposited and is used to iterate over the raw logs and unpacked data for CollateralDeposited events raised by the Registry contract.
type RegistryCollateralDepositedIterator struct {
	Event *RegistryCollateralDeposited // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryCollateralDepositedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryCollateralDeposited)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryCollateralDeposited)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryCollateralDepositedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryCollateralDepositedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryCollateralDeposited represents a CollateralDeposited event raised by the Registry contract.
type RegistryCollateralDeposited struct {
	Operator   common.Address
	Amount     *big.Int
	Collateral *big.Int
	Raw        types.Log // Blockchain specific contextual infos
}

// FilterCollateralDeposited is a free log retrieval operation binding the contract event 0xf4d587c98d234ca4d147061e6b5167e7f41ee17f11562a9f0b49570abece859e.
//
// Solidity: event CollateralDeposited(address indexed operator, uint256 amount, uint256 collateral)
func (_Registry *RegistryFilterer) FilterCollateralDeposited(opts *bind.FilterOpts, operator []common.Address) (*RegistryCollateralDepositedIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "CollateralDeposited", operatorRule)
	if err != nil {
		return nil, err
	}
	return &RegistryCollateralDepositedIterator{contract: _Registry.contract, event: "CollateralDeposited", logs: logs, sub: sub}, nil
}

// WatchCollateralDeposited is a free log subscription operation binding the contract event 0xf4d587c98d234ca4d147061e6b5167e7f41ee17f11562a9f0b49570abece859e.
//
// Solidity: event CollateralDeposited(address indexed operator, uint256 amount, uint256 collateral)
func (_Registry *RegistryFilterer) WatchCollateralDeposited(opts *bind.WatchOpts, sink chan<- *RegistryCollateralDeposited, operator []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "CollateralDeposited", operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryCollateralDeposited)
				if err := _Registry.contract.UnpackLog(event, "CollateralDeposited", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseCollateralDeposited is a log parse operation binding the contract event 0xf4d587c98d234ca4d147061e6b5167e7f41ee17f11562a9f0b49570abece859e.
//
// Solidity: event CollateralDeposited(address indexed operator, uint256 amount, uint256 collateral)
func (_Registry *RegistryFilterer) ParseCollateralDeposited(log types.Log) (*RegistryCollateralDeposited, error) {
	event := new(RegistryCollateralDeposited)
	if err := _Registry.contract.UnpackLog(event, "CollateralDeposited", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryCommitterChangedIterator is returned from FilterCommitterChanged and is used to iterate over the raw logs and unpacked data for CommitterChanged events raised by the Registry contract.
type RegistryCommitterChangedIterator struct {
	Event *RegistryCommitterChanged // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryCommitterChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryCommitterChanged)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryCommitterChanged)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryCommitterChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryCommitterChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryCommitterChanged represents a CommitterChanged event raised by the Registry contract.
type RegistryCommitterChanged struct {
	Operator      common.Address
	Committer     common.Address
	EffectiveSlot uint64
	Raw           types.Log // Blockchain specific contextual infos
}

// FilterCommitterChanged is a free log retrieval operation binding the contract event 0x3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e55.
//
// Solidity: event CommitterChanged(address indexed operator, address indexed committer, uint64 effectiveSlot)
func (_Registry *RegistryFilterer) FilterCommitterChanged(opts *bind.FilterOpts, operator []common.Address, committer []common.Address) (*RegistryCommitterChangedIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var committerRule []interface{}
	for _, committerItem := range committer {
		committerRule = append(committerRule, committerItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "CommitterChanged", operatorRule, committerRule)
	if err != nil {
		return nil, err
	}
	return &RegistryCommitterChangedIterator{contract: _Registry.contract, event: "CommitterChanged", logs: logs, sub: sub}, nil
}

// WatchCommitterChanged is a free log subscription operation binding the contract event 0x3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e55.
//
// Solidity: event CommitterChanged(address indexed operator, address indexed committer, uint64 effectiveSlot)
func (_Registry *RegistryFilterer) WatchCommitterChanged(opts *bind.WatchOpts, sink chan<- *RegistryCommitterChanged, operator []common.Address, committer []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var committerRule []interface{}
	for _, committerItem := range committer {
		committerRule = append(committerRule, committerItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "CommitterChanged", operatorRule, committerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryCommitterChanged)
				if err := _Registry.contract.UnpackLog(event, "CommitterChanged", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseCommitterChanged is a log parse operation binding the contract event 0x3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e55.
//
// Solidity: event CommitterChanged(address indexed operator, address indexed committer, uint64 effectiveSlot)
func (_Registry *RegistryFilterer) ParseCommitterChanged(log types.Log) (*RegistryCommitterChanged, error) {
	event := new(RegistryCommitterChanged)
	if err := _Registry.contract.UnpackLog(event, "CommitterChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryCommitterRevokedIterator is returned from FilterCommitterRevoked and is used to iterate over the raw logs and unpacked data for CommitterRevoked events raised by the Registry contract.
type RegistryCommitterRevokedIterator struct {
	Event *RegistryCommitterRevoked // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryCommitterRevokedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryCommitterRevoked)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryCommitterRevoked)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryCommitterRevokedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryCommitterRevokedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryCommitterRevoked represents a CommitterRevoked event raised by the Registry contract.
type RegistryCommitterRevoked struct {
	Operator  common.Address
	Committer common.Address
	Slot      uint64
	Raw       types.Log // Blockchain specific contextual infos
}

// FilterCommitterRevoked is a free log retrieval operation binding the contract event 0x5b13e73adbc5b1faf706d7179572e76e50d6fe2f3e8eb2efe48b2be6a8d011c3.
//
// Solidity: event CommitterRevoked(address indexed operator, address indexed committer, uint64 slot)
func (_Registry *RegistryFilterer) FilterCommitterRevoked(opts *bind.FilterOpts, operator []common.Address, committer []common.Address) (*RegistryCommitterRevokedIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var committerRule []interface{}
	for _, committerItem := range committer {
		committerRule = append(committerRule, committerItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "CommitterRevoked", operatorRule, committerRule)
	if err != nil {
		return nil, err
	}
	return &RegistryCommitterRevokedIterator{contract: _Registry.contract, event: "CommitterRevoked", logs: logs, sub: sub}, nil
}

// WatchCommitterRevoked is a free log subscription operation binding the contract event 0x5b13e73adbc5b1faf706d7179572e76e50d6fe2f3e8eb2efe48b2be6a8d011c3.
//
// Solidity: event CommitterRevoked(address indexed operator, address indexed committer, uint64 slot)
func (_Registry *RegistryFilterer) WatchCommitterRevoked(opts *bind.WatchOpts, sink chan<- *RegistryCommitterRevoked, operator []common.Address, committer []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var committerRule []interface{}
	for _, committerItem := range committer {
		committerRule = append(committerRule, committerItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "CommitterRevoked", operatorRule, committerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryCommitterRevoked)
				if err := _Registry.contract.UnpackLog(event, "CommitterRevoked", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseCommitterRevoked is a log parse operation binding the contract event 0x5b13e73adbc5b1faf706d7179572e76e50d6fe2f3e8eb2efe48b2be6a8d011c3.
//
// Solidity: event CommitterRevoked(address indexed operator, address indexed committer, uint64 slot)
func (_Registry *RegistryFilterer) ParseCommitterRevoked(log types.Log) (*RegistryCommitterRevoked, error) {
	event := new(RegistryCommitterRevoked)
	if err := _Registry.contract.UnpackLog(event, "CommitterRevoked", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryKeyRegisteredIterator is returned from FilterKeyRegistered and is used to iterate over the raw logs and unpacked data for KeyRegistered events raised by the Registry contract.
type RegistryKeyRegisteredIterator struct {
	Event *RegistryKeyRegistered // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryKeyRegisteredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryKeyRegistered)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryKeyRegistered)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryKeyRegisteredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryKeyRegisteredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryKeyRegistered represents a KeyRegistered event raised by the Registry contract.
type RegistryKeyRegistered struct {
	Operator common.Address
	KeyHash  [32]byte
	Pubkey   []byte
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterKeyRegistered is a free log retrieval operation binding the contract event 0x7d54baece9aa2ba0708a4bca7e004a22914c34685cee15dab9e284fbe507458a.
//
// Solidity: event KeyRegistered(address indexed operator, bytes32 indexed keyHash, bytes pubkey)
func (_Registry *RegistryFilterer) FilterKeyRegistered(opts *bind.FilterOpts, operator []common.Address, keyHash [][32]byte) (*RegistryKeyRegisteredIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var keyHashRule []interface{}
	for _, keyHashItem := range keyHash {
		keyHashRule = append(keyHashRule, keyHashItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "KeyRegistered", operatorRule, keyHashRule)
	if err != nil {
		return nil, err
	}
	return &RegistryKeyRegisteredIterator{contract: _Registry.contract, event: "KeyRegistered", logs: logs, sub: sub}, nil
}

// WatchKeyRegistered is a free log subscription operation binding the contract event 0x7d54baece9aa2ba0708a4bca7e004a22914c34685cee15dab9e284fbe507458a.
//
// Solidity: event KeyRegistered(address indexed operator, bytes32 indexed keyHash, bytes pubkey)
func (_Registry *RegistryFilterer) WatchKeyRegistered(opts *bind.WatchOpts, sink chan<- *RegistryKeyRegistered, operator []common.Address, keyHash [][32]byte) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var keyHashRule []interface{}
	for _, keyHashItem := range keyHash {
		keyHashRule = append(keyHashRule, keyHashItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "KeyRegistered", operatorRule, keyHashRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryKeyRegistered)
				if err := _Registry.contract.UnpackLog(event, "KeyRegistered", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseKeyRegistered is a log parse operation binding the contract event 0x7d54baece9aa2ba0708a4bca7e004a22914c34685cee15dab9e284fbe507458a.
//
// Solidity: event KeyRegistered(address indexed operator, bytes32 indexed keyHash, bytes pubkey)
func (_Registry *RegistryFilterer) ParseKeyRegistered(log types.Log) (*RegistryKeyRegistered, error) {
	event := new(RegistryKeyRegistered)
	if err := _Registry.contract.UnpackLog(event, "KeyRegistered", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryLedgerOpenedIterator is returned from FilterLedgerOpened and is used to iterate over the raw logs and unpacked data for LedgerOpened events raised by the Registry contract.
type RegistryLedgerOpenedIterator struct {
	Event *RegistryLedgerOpened // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryLedgerOpenedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryLedgerOpened)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryLedgerOpened)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryLedgerOpenedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryLedgerOpenedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryLedgerOpened represents a LedgerOpened event raised by the Registry contract.
type RegistryLedgerOpened struct {
	Operator  common.Address
	Slot      uint64
	Committer common.Address
	Poster    common.Address
	Root      [32]byte
	Count     uint32
	Total     *big.Int
	Leaves    []byte
	Raw       types.Log // Blockchain specific contextual infos
}

// FilterLedgerOpened is a free log retrieval operation binding the contract event 0x7ddfa00078e2f1223a4d8484746d617474f6d2b4489c2a3e516c9372276adf7a.
//
// Solidity: event LedgerOpened(address indexed operator, uint64 indexed slot, address committer, address poster, bytes32 root, uint32 count, uint96 total, bytes leaves)
func (_Registry *RegistryFilterer) FilterLedgerOpened(opts *bind.FilterOpts, operator []common.Address, slot []uint64) (*RegistryLedgerOpenedIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var slotRule []interface{}
	for _, slotItem := range slot {
		slotRule = append(slotRule, slotItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "LedgerOpened", operatorRule, slotRule)
	if err != nil {
		return nil, err
	}
	return &RegistryLedgerOpenedIterator{contract: _Registry.contract, event: "LedgerOpened", logs: logs, sub: sub}, nil
}

// WatchLedgerOpened is a free log subscription operation binding the contract event 0x7ddfa00078e2f1223a4d8484746d617474f6d2b4489c2a3e516c9372276adf7a.
//
// Solidity: event LedgerOpened(address indexed operator, uint64 indexed slot, address committer, address poster, bytes32 root, uint32 count, uint96 total, bytes leaves)
func (_Registry *RegistryFilterer) WatchLedgerOpened(opts *bind.WatchOpts, sink chan<- *RegistryLedgerOpened, operator []common.Address, slot []uint64) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var slotRule []interface{}
	for _, slotItem := range slot {
		slotRule = append(slotRule, slotItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "LedgerOpened", operatorRule, slotRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryLedgerOpened)
				if err := _Registry.contract.UnpackLog(event, "LedgerOpened", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseLedgerOpened is a log parse operation binding the contract event 0x7ddfa00078e2f1223a4d8484746d617474f6d2b4489c2a3e516c9372276adf7a.
//
// Solidity: event LedgerOpened(address indexed operator, uint64 indexed slot, address committer, address poster, bytes32 root, uint32 count, uint96 total, bytes leaves)
func (_Registry *RegistryFilterer) ParseLedgerOpened(log types.Log) (*RegistryLedgerOpened, error) {
	event := new(RegistryLedgerOpened)
	if err := _Registry.contract.UnpackLog(event, "LedgerOpened", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryLedgerReleasedIterator is returned from FilterLedgerReleased and is used to iterate over the raw logs and unpacked data for LedgerReleased events raised by the Registry contract.
type RegistryLedgerReleasedIterator struct {
	Event *RegistryLedgerReleased // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryLedgerReleasedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryLedgerReleased)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryLedgerReleased)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryLedgerReleasedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryLedgerReleasedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryLedgerReleased represents a LedgerReleased event raised by the Registry contract.
type RegistryLedgerReleased struct {
	Operator common.Address
	Slot     uint64
	Amount   *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterLedgerReleased is a free log retrieval operation binding the contract event 0x28c50deaaedad846f3f42582753fdef9f4675fb71199a5e92132b97e274cd3a3.
//
// Solidity: event LedgerReleased(address indexed operator, uint64 indexed slot, uint96 amount)
func (_Registry *RegistryFilterer) FilterLedgerReleased(opts *bind.FilterOpts, operator []common.Address, slot []uint64) (*RegistryLedgerReleasedIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var slotRule []interface{}
	for _, slotItem := range slot {
		slotRule = append(slotRule, slotItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "LedgerReleased", operatorRule, slotRule)
	if err != nil {
		return nil, err
	}
	return &RegistryLedgerReleasedIterator{contract: _Registry.contract, event: "LedgerReleased", logs: logs, sub: sub}, nil
}

// WatchLedgerReleased is a free log subscription operation binding the contract event 0x28c50deaaedad846f3f42582753fdef9f4675fb71199a5e92132b97e274cd3a3.
//
// Solidity: event LedgerReleased(address indexed operator, uint64 indexed slot, uint96 amount)
func (_Registry *RegistryFilterer) WatchLedgerReleased(opts *bind.WatchOpts, sink chan<- *RegistryLedgerReleased, operator []common.Address, slot []uint64) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var slotRule []interface{}
	for _, slotItem := range slot {
		slotRule = append(slotRule, slotItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "LedgerReleased", operatorRule, slotRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryLedgerReleased)
				if err := _Registry.contract.UnpackLog(event, "LedgerReleased", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseLedgerReleased is a log parse operation binding the contract event 0x28c50deaaedad846f3f42582753fdef9f4675fb71199a5e92132b97e274cd3a3.
//
// Solidity: event LedgerReleased(address indexed operator, uint64 indexed slot, uint96 amount)
func (_Registry *RegistryFilterer) ParseLedgerReleased(log types.Log) (*RegistryLedgerReleased, error) {
	event := new(RegistryLedgerReleased)
	if err := _Registry.contract.UnpackLog(event, "LedgerReleased", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryOperatorRegisteredIterator is returned from FilterOperatorRegistered and is used to iterate over the raw logs and unpacked data for OperatorRegistered events raised by the Registry contract.
type RegistryOperatorRegisteredIterator struct {
	Event *RegistryOperatorRegistered // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryOperatorRegisteredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryOperatorRegistered)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryOperatorRegistered)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryOperatorRegisteredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryOperatorRegisteredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryOperatorRegistered represents a OperatorRegistered event raised by the Registry contract.
type RegistryOperatorRegistered struct {
	Operator   common.Address
	Committer  common.Address
	Collateral *big.Int
	Slot       uint64
	Raw        types.Log // Blockchain specific contextual infos
}

// FilterOperatorRegistered is a free log retrieval operation binding the contract event 0xd9404f2102ae62af1ac505fa9815220387af2c88d79a87491fcd6358c221d018.
//
// Solidity: event OperatorRegistered(address indexed operator, address indexed committer, uint256 collateral, uint64 slot)
func (_Registry *RegistryFilterer) FilterOperatorRegistered(opts *bind.FilterOpts, operator []common.Address, committer []common.Address) (*RegistryOperatorRegisteredIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var committerRule []interface{}
	for _, committerItem := range committer {
		committerRule = append(committerRule, committerItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "OperatorRegistered", operatorRule, committerRule)
	if err != nil {
		return nil, err
	}
	return &RegistryOperatorRegisteredIterator{contract: _Registry.contract, event: "OperatorRegistered", logs: logs, sub: sub}, nil
}

// WatchOperatorRegistered is a free log subscription operation binding the contract event 0xd9404f2102ae62af1ac505fa9815220387af2c88d79a87491fcd6358c221d018.
//
// Solidity: event OperatorRegistered(address indexed operator, address indexed committer, uint256 collateral, uint64 slot)
func (_Registry *RegistryFilterer) WatchOperatorRegistered(opts *bind.WatchOpts, sink chan<- *RegistryOperatorRegistered, operator []common.Address, committer []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var committerRule []interface{}
	for _, committerItem := range committer {
		committerRule = append(committerRule, committerItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "OperatorRegistered", operatorRule, committerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryOperatorRegistered)
				if err := _Registry.contract.UnpackLog(event, "OperatorRegistered", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOperatorRegistered is a log parse operation binding the contract event 0xd9404f2102ae62af1ac505fa9815220387af2c88d79a87491fcd6358c221d018.
//
// Solidity: event OperatorRegistered(address indexed operator, address indexed committer, uint256 collateral, uint64 slot)
func (_Registry *RegistryFilterer) ParseOperatorRegistered(log types.Log) (*RegistryOperatorRegistered, error) {
	event := new(RegistryOperatorRegistered)
	if err := _Registry.contract.UnpackLog(event, "OperatorRegistered", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryPaymentOwedIterator is returned from FilterPaymentOwed and is used to iterate over the raw logs and unpacked data for PaymentOwed events raised by the Registry contract.
type RegistryPaymentOwedIterator struct {
	Event *RegistryPaymentOwed // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryPaymentOwedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryPaymentOwed)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryPaymentOwed)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryPaymentOwedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryPaymentOwedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryPaymentOwed represents a PaymentOwed event raised by the Registry contract.
type RegistryPaymentOwed struct {
	Account common.Address
	Amount  *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterPaymentOwed is a free log retrieval operation binding the contract event 0x15037fdbcf9999d2f250620f39c029ca732e68e0561907aa9083b4fa6a86e46c.
//
// Solidity: event PaymentOwed(address indexed account, uint256 amount)
func (_Registry *RegistryFilterer) FilterPaymentOwed(opts *bind.FilterOpts, account []common.Address) (*RegistryPaymentOwedIterator, error) {

	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "PaymentOwed", accountRule)
	if err != nil {
		return nil, err
	}
	return &RegistryPaymentOwedIterator{contract: _Registry.contract, event: "PaymentOwed", logs: logs, sub: sub}, nil
}

// WatchPaymentOwed is a free log subscription operation binding the contract event 0x15037fdbcf9999d2f250620f39c029ca732e68e0561907aa9083b4fa6a86e46c.
//
// Solidity: event PaymentOwed(address indexed account, uint256 amount)
func (_Registry *RegistryFilterer) WatchPaymentOwed(opts *bind.WatchOpts, sink chan<- *RegistryPaymentOwed, account []common.Address) (event.Subscription, error) {

	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "PaymentOwed", accountRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryPaymentOwed)
				if err := _Registry.contract.UnpackLog(event, "PaymentOwed", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParsePaymentOwed is a log parse operation binding the contract event 0x15037fdbcf9999d2f250620f39c029ca732e68e0561907aa9083b4fa6a86e46c.
//
// Solidity: event PaymentOwed(address indexed account, uint256 amount)
func (_Registry *RegistryFilterer) ParsePaymentOwed(log types.Log) (*RegistryPaymentOwed, error) {
	event := new(RegistryPaymentOwed)
	if err := _Registry.contract.UnpackLog(event, "PaymentOwed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistrySlashedIterator is returned from FilterSlashed and is used to iterate over the raw logs and unpacked data for Slashed events raised by the Registry contract.
type RegistrySlashedIterator struct {
	Event *RegistrySlashed // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistrySlashedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistrySlashed)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistrySlashed)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistrySlashedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistrySlashedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistrySlashed represents a Slashed event raised by the Registry contract.
type RegistrySlashed struct {
	Operator       common.Address
	User           common.Address
	UserPaid       *big.Int
	Watcher        common.Address
	WatcherPaid    *big.Int
	Burned         *big.Int
	CollateralLeft *big.Int
	Raw            types.Log // Blockchain specific contextual infos
}

// FilterSlashed is a free log retrieval operation binding the contract event 0xc6c6979032859ff05b7ef9bd8f82b4bd5ff61410a192c0caada18de9f737d2f1.
//
// Solidity: event Slashed(address indexed operator, address indexed user, uint256 userPaid, address indexed watcher, uint256 watcherPaid, uint256 burned, uint256 collateralLeft)
func (_Registry *RegistryFilterer) FilterSlashed(opts *bind.FilterOpts, operator []common.Address, user []common.Address, watcher []common.Address) (*RegistrySlashedIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var userRule []interface{}
	for _, userItem := range user {
		userRule = append(userRule, userItem)
	}

	var watcherRule []interface{}
	for _, watcherItem := range watcher {
		watcherRule = append(watcherRule, watcherItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "Slashed", operatorRule, userRule, watcherRule)
	if err != nil {
		return nil, err
	}
	return &RegistrySlashedIterator{contract: _Registry.contract, event: "Slashed", logs: logs, sub: sub}, nil
}

// WatchSlashed is a free log subscription operation binding the contract event 0xc6c6979032859ff05b7ef9bd8f82b4bd5ff61410a192c0caada18de9f737d2f1.
//
// Solidity: event Slashed(address indexed operator, address indexed user, uint256 userPaid, address indexed watcher, uint256 watcherPaid, uint256 burned, uint256 collateralLeft)
func (_Registry *RegistryFilterer) WatchSlashed(opts *bind.WatchOpts, sink chan<- *RegistrySlashed, operator []common.Address, user []common.Address, watcher []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}
	var userRule []interface{}
	for _, userItem := range user {
		userRule = append(userRule, userItem)
	}

	var watcherRule []interface{}
	for _, watcherItem := range watcher {
		watcherRule = append(watcherRule, watcherItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "Slashed", operatorRule, userRule, watcherRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistrySlashed)
				if err := _Registry.contract.UnpackLog(event, "Slashed", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseSlashed is a log parse operation binding the contract event 0xc6c6979032859ff05b7ef9bd8f82b4bd5ff61410a192c0caada18de9f737d2f1.
//
// Solidity: event Slashed(address indexed operator, address indexed user, uint256 userPaid, address indexed watcher, uint256 watcherPaid, uint256 burned, uint256 collateralLeft)
func (_Registry *RegistryFilterer) ParseSlashed(log types.Log) (*RegistrySlashed, error) {
	event := new(RegistrySlashed)
	if err := _Registry.contract.UnpackLog(event, "Slashed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistrySlasherSetIterator is returned from FilterSlasherSet and is used to iterate over the raw logs and unpacked data for SlasherSet events raised by the Registry contract.
type RegistrySlasherSetIterator struct {
	Event *RegistrySlasherSet // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistrySlasherSetIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistrySlasherSet)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistrySlasherSet)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistrySlasherSetIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistrySlasherSetIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistrySlasherSet represents a SlasherSet event raised by the Registry contract.
type RegistrySlasherSet struct {
	Slasher common.Address
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterSlasherSet is a free log retrieval operation binding the contract event 0x93984378289228ac490c326f8dbcc3f9b2c703753c272e7c572949e115da985e.
//
// Solidity: event SlasherSet(address indexed slasher)
func (_Registry *RegistryFilterer) FilterSlasherSet(opts *bind.FilterOpts, slasher []common.Address) (*RegistrySlasherSetIterator, error) {

	var slasherRule []interface{}
	for _, slasherItem := range slasher {
		slasherRule = append(slasherRule, slasherItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "SlasherSet", slasherRule)
	if err != nil {
		return nil, err
	}
	return &RegistrySlasherSetIterator{contract: _Registry.contract, event: "SlasherSet", logs: logs, sub: sub}, nil
}

// WatchSlasherSet is a free log subscription operation binding the contract event 0x93984378289228ac490c326f8dbcc3f9b2c703753c272e7c572949e115da985e.
//
// Solidity: event SlasherSet(address indexed slasher)
func (_Registry *RegistryFilterer) WatchSlasherSet(opts *bind.WatchOpts, sink chan<- *RegistrySlasherSet, slasher []common.Address) (event.Subscription, error) {

	var slasherRule []interface{}
	for _, slasherItem := range slasher {
		slasherRule = append(slasherRule, slasherItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "SlasherSet", slasherRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistrySlasherSet)
				if err := _Registry.contract.UnpackLog(event, "SlasherSet", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseSlasherSet is a log parse operation binding the contract event 0x93984378289228ac490c326f8dbcc3f9b2c703753c272e7c572949e115da985e.
//
// Solidity: event SlasherSet(address indexed slasher)
func (_Registry *RegistryFilterer) ParseSlasherSet(log types.Log) (*RegistrySlasherSet, error) {
	event := new(RegistrySlasherSet)
	if err := _Registry.contract.UnpackLog(event, "SlasherSet", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryUnregisteredIterator is returned from FilterUnregistered and is used to iterate over the raw logs and unpacked data for Unregistered events raised by the Registry contract.
type RegistryUnregisteredIterator struct {
	Event *RegistryUnregistered // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryUnregisteredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryUnregistered)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryUnregistered)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryUnregisteredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryUnregisteredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryUnregistered represents a Unregistered event raised by the Registry contract.
type RegistryUnregistered struct {
	Operator         common.Address
	ExitSlot         uint64
	WithdrawableSlot uint64
	Raw              types.Log // Blockchain specific contextual infos
}

// FilterUnregistered is a free log retrieval operation binding the contract event 0x834298d0760cd8a32ad349a3b6280fd33de080732761c9f0f489cb9fc4bcb61c.
//
// Solidity: event Unregistered(address indexed operator, uint64 exitSlot, uint64 withdrawableSlot)
func (_Registry *RegistryFilterer) FilterUnregistered(opts *bind.FilterOpts, operator []common.Address) (*RegistryUnregisteredIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "Unregistered", operatorRule)
	if err != nil {
		return nil, err
	}
	return &RegistryUnregisteredIterator{contract: _Registry.contract, event: "Unregistered", logs: logs, sub: sub}, nil
}

// WatchUnregistered is a free log subscription operation binding the contract event 0x834298d0760cd8a32ad349a3b6280fd33de080732761c9f0f489cb9fc4bcb61c.
//
// Solidity: event Unregistered(address indexed operator, uint64 exitSlot, uint64 withdrawableSlot)
func (_Registry *RegistryFilterer) WatchUnregistered(opts *bind.WatchOpts, sink chan<- *RegistryUnregistered, operator []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "Unregistered", operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryUnregistered)
				if err := _Registry.contract.UnpackLog(event, "Unregistered", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUnregistered is a log parse operation binding the contract event 0x834298d0760cd8a32ad349a3b6280fd33de080732761c9f0f489cb9fc4bcb61c.
//
// Solidity: event Unregistered(address indexed operator, uint64 exitSlot, uint64 withdrawableSlot)
func (_Registry *RegistryFilterer) ParseUnregistered(log types.Log) (*RegistryUnregistered, error) {
	event := new(RegistryUnregistered)
	if err := _Registry.contract.UnpackLog(event, "Unregistered", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryWithdrawnIterator is returned from FilterWithdrawn and is used to iterate over the raw logs and unpacked data for Withdrawn events raised by the Registry contract.
type RegistryWithdrawnIterator struct {
	Event *RegistryWithdrawn // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RegistryWithdrawnIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryWithdrawn)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RegistryWithdrawn)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RegistryWithdrawnIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryWithdrawnIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryWithdrawn represents a Withdrawn event raised by the Registry contract.
type RegistryWithdrawn struct {
	Operator common.Address
	Amount   *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterWithdrawn is a free log retrieval operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed operator, uint256 amount)
func (_Registry *RegistryFilterer) FilterWithdrawn(opts *bind.FilterOpts, operator []common.Address) (*RegistryWithdrawnIterator, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "Withdrawn", operatorRule)
	if err != nil {
		return nil, err
	}
	return &RegistryWithdrawnIterator{contract: _Registry.contract, event: "Withdrawn", logs: logs, sub: sub}, nil
}

// WatchWithdrawn is a free log subscription operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed operator, uint256 amount)
func (_Registry *RegistryFilterer) WatchWithdrawn(opts *bind.WatchOpts, sink chan<- *RegistryWithdrawn, operator []common.Address) (event.Subscription, error) {

	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "Withdrawn", operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryWithdrawn)
				if err := _Registry.contract.UnpackLog(event, "Withdrawn", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseWithdrawn is a log parse operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed operator, uint256 amount)
func (_Registry *RegistryFilterer) ParseWithdrawn(log types.Log) (*RegistryWithdrawn, error) {
	event := new(RegistryWithdrawn)
	if err := _Registry.contract.UnpackLog(event, "Withdrawn", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
