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

// IRegistryStatus is an auto generated low-level Go binding around an user-defined struct.
type IRegistryStatus struct {
	State            uint8
	Keys             uint32
	Collateral       *big.Int
	RegisteredSlot   uint64
	ExitSlot         uint64
	WithdrawableSlot uint64
	Committer        common.Address
}

// RegistryCheckpoint is an auto generated low-level Go binding around an user-defined struct.
type RegistryCheckpoint struct {
	FromSlot  uint64
	Committer common.Address
}

// RegistryMetaData contains all meta data concerning the Registry contract.
var RegistryMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"minCollateral_\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"genesisTime_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"secondsPerSlot_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"rotationDelay_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"unregistrationDelay_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadProofOfPossession\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadPublicKey\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"timestamp\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"genesisTime\",\"type\":\"uint256\"}],\"name\":\"BeforeGenesis\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawableSlot\",\"type\":\"uint64\"}],\"name\":\"DelayNotOver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"keyHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"KeyAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pubkeys\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"signatures\",\"type\":\"uint256\"}],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoKeys\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"NotActive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotDeployer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minimum\",\"type\":\"uint256\"}],\"name\":\"NotEnoughCollateral\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotSlasher\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"slasher\",\"type\":\"address\"}],\"name\":\"SlasherAlreadySet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroCommitter\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"}],\"name\":\"CollateralDeposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"effectiveSlot\",\"type\":\"uint64\"}],\"name\":\"CommitterChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"keyHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"pubkey\",\"type\":\"bytes\"}],\"name\":\"KeyRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"OperatorRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"PaymentOwed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"userPaid\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"watcher\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"watcherPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"collateralLeft\",\"type\":\"uint256\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"slasher\",\"type\":\"address\"}],\"name\":\"SlasherSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"exitSlot\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"withdrawableSlot\",\"type\":\"uint64\"}],\"name\":\"Unregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes[]\",\"name\":\"pubkeys\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"addKeys\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"collateralOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"committerAt\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"committers\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"fromSlot\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"internalType\":\"structRegistry.Checkpoint[]\",\"name\":\"\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deployer\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisTime\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"slasher_\",\"type\":\"address\"}],\"name\":\"initSlasher\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minCollateral\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"compressedPubkey\",\"type\":\"bytes\"}],\"name\":\"operatorOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"keyHash\",\"type\":\"bytes32\"}],\"name\":\"operatorOfHash\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"owed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"popMessage\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes[]\",\"name\":\"pubkeys\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rotationDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"secondsPerSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"setCommitter\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"userAmount\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"watcher\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"watcherAmount\",\"type\":\"uint256\"}],\"name\":\"slash\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"userPaid\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"watcherPaid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slasher\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"status\",\"outputs\":[{\"components\":[{\"internalType\":\"enumIRegistry.State\",\"name\":\"state\",\"type\":\"uint8\"},{\"internalType\":\"uint32\",\"name\":\"keys\",\"type\":\"uint32\"},{\"internalType\":\"uint256\",\"name\":\"collateral\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"registeredSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"exitSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawableSlot\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"internalType\":\"structIRegistry.Status\",\"name\":\"s\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unregister\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unregistrationDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x610140604052348015610010575f5ffd5b5060405161277538038061277583398101604081905261002f916100d4565b5f836001600160401b03161161008b5760405162461bcd60e51b815260206004820152601660248201527f7365636f6e6473506572536c6f74206973207a65726f00000000000000000000604482015260640160405180910390fd5b6080949094526001600160401b0392831660a05290821660c052811660e0521661010052336101205261012e565b80516001600160401b03811681146100cf575f5ffd5b919050565b5f5f5f5f5f60a086880312156100e8575f5ffd5b855194506100f8602087016100b9565b9350610106604087016100b9565b9250610114606087016100b9565b9150610122608087016100b9565b90509295509295909350565b60805160a05160c05160e05161010051610120516125b36101c25f395f81816104900152610edb01525f81816102e70152818161069901528181610c80015261132501525f8181610421015261111f01525f81816101c001526105d101525f8181610235015281816105510152818161059d01526105fb01525f81816103ee015281816108d1015261090c01526125b35ff3fe608060405260043610610161575f3560e01c80639b3fccba116100cd578063d35df71311610087578063df18e04711610062578063df18e047146104d1578063e79a198f146104fc578063ed1aa38e14610510578063fbc8a2271461052f575f5ffd5b8063d35df7131461044b578063d5f394881461047f578063dd51ce22146104b2575f5ffd5b80639b3fccba1461035c5780639d7dddc914610388578063b1344271146103a7578063ba2de9bc146103dd578063c647f84414610410578063d0e30db014610443575f5ffd5b8063567a85eb1161011e578063567a85eb1461026b5780635f4fea261461027e578063645b8b1b146102aa57806379cd6e1e146102d65780637fb6499a14610309578063953aa8241461033d575f5ffd5b80631aefb1071461016557806322a111fc146101af5780633359632e146101fa5780633ccfd60b1461020e57806342c6498a146102245780634e71d92d14610257575b5f5ffd5b348015610170575f5ffd5b5061019c61017f366004611f5b565b6001600160a01b03165f9081526003602052604090206001015490565b6040519081526020015b60405180910390f35b3480156101ba575f5ffd5b506101e27f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160401b0390911681526020016101a6565b348015610205575f5ffd5b506101e261054e565b348015610219575f5ffd5b5061022261063d565b005b34801561022f575f5ffd5b506101e27f000000000000000000000000000000000000000000000000000000000000000081565b348015610262575f5ffd5b506102226107d6565b610222610279366004611fbb565b61088a565b348015610289575f5ffd5b5061029d610298366004611f5b565b610aa8565b6040516101a69190612039565b3480156102b5575f5ffd5b506102c96102c4366004611f5b565b610b3b565b6040516101a691906120ad565b3480156102e1575f5ffd5b506101e27f000000000000000000000000000000000000000000000000000000000000000081565b348015610314575f5ffd5b50610328610323366004612160565b610d0f565b604080519283526020830191909152016101a6565b348015610348575f5ffd5b506102226103573660046121b1565b610e1b565b348015610367575f5ffd5b5061037b610376366004611f5b565b610e6e565b6040516101a6919061221b565b348015610393575f5ffd5b506102226103a2366004611f5b565b610ed0565b3480156103b2575f5ffd5b505f546103c5906001600160a01b031681565b6040516001600160a01b0390911681526020016101a6565b3480156103e8575f5ffd5b5061019c7f000000000000000000000000000000000000000000000000000000000000000081565b34801561041b575f5ffd5b506101e27f000000000000000000000000000000000000000000000000000000000000000081565b610222610fc0565b348015610456575f5ffd5b506103c5610465366004612250565b60016020525f90815260409020546001600160a01b031681565b34801561048a575f5ffd5b506103c57f000000000000000000000000000000000000000000000000000000000000000081565b3480156104bd575f5ffd5b506102226104cc366004611f5b565b61108b565b3480156104dc575f5ffd5b5061019c6104eb366004611f5b565b60026020525f908152604090205481565b348015610507575f5ffd5b5061022261127a565b34801561051b575f5ffd5b506103c561052a366004612267565b611371565b34801561053a575f5ffd5b506103c56105493660046122d3565b6113b0565b5f7f00000000000000000000000000000000000000000000000000000000000000006001600160401b03164210156105cf576040516301ab9a5d60e01b81524260048201526001600160401b037f00000000000000000000000000000000000000000000000000000000000000001660248201526044015b60405180910390fd5b7f00000000000000000000000000000000000000000000000000000000000000006001600160401b03167f00000000000000000000000000000000000000000000000000000000000000006001600160401b03164261062e9190612327565b610638919061233a565b905090565b335f9081526003602052604090206002815460ff16600481111561066357610663612099565b146106835760405163bfc6c33760e01b81523360048201526024016105c6565b5f61068c61054e565b82549091505f906106ce907f000000000000000000000000000000000000000000000000000000000000000090600160681b90046001600160401b0316612359565b9050806001600160401b0316826001600160401b0316101561071657604051636739ccb360e01b81526001600160401b038084166004830152821660248201526044016105c6565b6001830180545f909155835460ff1916600417845560405181815233907f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d59060200160405180910390a26040515f90339083908381818185875af1925050503d805f811461079f576040519150601f19603f3d011682016040523d82523d5f602084013e6107a4565b606091505b50509050806107cf57604051630e21dcbb60e11b8152336004820152602481018390526044016105c6565b5050505050565b335f9081526002602052604081205490819003610808576040516332559a3360e11b81523360048201526024016105c6565b335f818152600260205260408082208290555190919083908381818185875af1925050503d805f8114610856576040519150601f19603f3d011682016040523d82523d5f602084013e61085b565b606091505b505090508061088657604051630e21dcbb60e11b8152336004820152602481018390526044016105c6565b5050565b335f90815260036020526040812090815460ff1660048111156108af576108af612099565b146108cf576040516345ed80e960e01b81523360048201526024016105c6565b7f00000000000000000000000000000000000000000000000000000000000000003410156109385760405163768063db60e01b81523460048201527f000000000000000000000000000000000000000000000000000000000000000060248201526044016105c6565b6001600160a01b03821661095f5760405163ae6e6bef60e01b815260040160405180910390fd5b5f61096861054e565b825460016001600160401b038381166501000000000081026cffffffffffffffff00000000ff1990941693909317821786553482870155604080518082019091529283526001600160a01b03878116602080860191825260028901805495860181555f9081522094519490930180549351909116600160401b026001600160e01b031990931693909116929092171790559050610a08828888888861148f565b604080513481526001600160401b03831660208201526001600160a01b0385169133917fd9404f2102ae62af1ac505fa9815220387af2c88d79a87491fcd6358c221d018910160405180910390a36040516001600160401b03821681526001600160a01b0384169033907f3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e559060200160405180910390a350505050505050565b6001600160a01b0381165f908152600360209081526040808320600201805482518185028101850190935280835260609492939192909184015b82821015610b30575f84815260209081902060408051808201909152908401546001600160401b0381168252600160401b90046001600160a01b031681830152825260019092019101610ae2565b505050509050919050565b6040805160e0810182525f8082526020808301829052828401829052606083018290526080830182905260a0830182905260c083018290526001600160a01b038516825260039052919091208054829060ff166004811115610b9f57610b9f612099565b90816004811115610bb257610bb2612099565b905250805463ffffffff6101008204166020840152600182015460408401526001600160401b0365010000000000820481166060850152600160681b82041660808401525f9060ff166004811115610c0c57610c0c612099565b03610c175750919050565b5f610c2061054e565b9050610c2c84826113b0565b6001600160a01b031660c08401526002825460ff166004811115610c5257610c52612099565b1480610c7357506004825460ff166004811115610c7157610c71612099565b145b15610d08578154610cb5907f000000000000000000000000000000000000000000000000000000000000000090600160681b90046001600160401b0316612359565b6001600160401b031660a08401526002825460ff166004811115610cdb57610cdb612099565b148015610cfe57508260a001516001600160401b0316816001600160401b031610155b15610d0857600383525b5050919050565b5f805481906001600160a01b031633141580610d29575033155b15610d49576040516325e066bb60e11b81523360048201526024016105c6565b6001600160a01b0387165f9081526003602052604090206001810154808710610d725780610d74565b865b9350610d808482612327565b9050808510610d8f5780610d91565b845b9250610d9d8382612327565b6001830181905560408051868152602081018690529081018290529091506001600160a01b03808816918a8216918c16907f94227450c58d4af9a5873737489576cf9bd964e0ea53bcf501ac0fdd9856ad119060600160405180910390a4610e058885611777565b610e0f8684611777565b50509550959350505050565b335f9081526003602052604090206001815460ff166004811115610e4157610e41612099565b14610e6157604051634022bc5560e01b81523360048201526024016105c6565b6107cf818686868661148f565b6040805175706c656467652e72656769737472792e706f702e763160501b602082015246818301526bffffffffffffffffffffffff1930606090811b8216818401529390931b9092166074830152805160688184030181526088909201905290565b336001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614610f1b57604051630646601b60e11b81523360048201526024016105c6565b5f546001600160a01b031615610f52575f546040516346aa779760e01b81526001600160a01b0390911660048201526024016105c6565b6001600160a01b038116610f795760405163d92e233d60e01b815260040160405180910390fd5b5f80546001600160a01b0319166001600160a01b038316908117825560405190917f93984378289228ac490c326f8dbcc3f9b2c703753c272e7c572949e115da985e91a250565b335f9081526003602052604090206001815460ff166004811115610fe657610fe6612099565b1415801561100a57506002815460ff16600481111561100757611007612099565b14155b1561102a5760405163bfc6c33760e01b81523360048201526024016105c6565b34816001015f82825461103d9190612378565b9091555050600181015460405133917ff4d587c98d234ca4d147061e6b5167e7f41ee17f11562a9f0b49570abece859e9161108091348252602082015260400190565b60405180910390a250565b335f9081526003602052604090206001815460ff1660048111156110b1576110b1612099565b141580156110d557506002815460ff1660048111156110d2576110d2612099565b14155b156110f55760405163bfc6c33760e01b81523360048201526024016105c6565b6001600160a01b03821661111c5760405163ae6e6bef60e01b815260040160405180910390fd5b5f7f000000000000000000000000000000000000000000000000000000000000000061114661054e565b6111509190612359565b600283018054919250905f90829061116a90600190612327565b8154811061117a5761117a61238b565b5f91825260209091200180549091506001600160401b038085169116036111c757805468010000000000000000600160e01b031916600160401b6001600160a01b0387160217815561122a565b604080518082019091526001600160401b0380851682526001600160a01b03808816602080850191825286546001810188555f888152919091209451940180549151909216600160401b026001600160e01b031990911693909216929092171790555b6040516001600160401b03841681526001600160a01b0386169033907f3a2cd1866936e7a4b005ef2dd479b3c8a48577ae67fdc5830724234300af0e559060200160405180910390a35050505050565b335f9081526003602052604090206001815460ff1660048111156112a0576112a0612099565b146112c057604051634022bc5560e01b81523360048201526024016105c6565b5f6112c961054e565b82546001600160401b038216600160681b0274ffffffffffffffff000000000000000000000000ff199091161760021783559050337f834298d0760cd8a32ad349a3b6280fd33de080732761c9f0f489cb9fc4bcb61c8261134a7f000000000000000000000000000000000000000000000000000000000000000082612359565b604080516001600160401b0393841681529290911660208301520160405180910390a25050565b5f60015f848460405161138592919061239f565b604080519182900390912082526020820192909252015f20546001600160a01b031690505b92915050565b6001600160a01b0382165f908152600360205260408120600201805482905b80821015611441575f60026113e48385612378565b6113ee919061233a565b9050856001600160401b031684828154811061140c5761140c61238b565b5f918252602090912001546001600160401b03161161143757611430816001612378565b925061143b565b8091505b506113cf565b81156114835782611453600184612327565b815481106114635761146361238b565b5f91825260209091200154600160401b90046001600160a01b0316611485565b5f5b9695505050505050565b5f8390036114b057604051630190983560e01b815260040160405180910390fd5b8281146114da576040516355c5b3e360e11b815260048101849052602481018290526044016105c6565b5f6115056114e733610e6e565b6040518060600160405280602b8152602001612553602b913961184e565b90505f5b84811015611731575f8686838181106115245761152461238b565b905060200281019061153691906123ae565b8080601f0160208091040260200160405190810160405280939291908181526020018383808284375f92019190915250929350611578925083915061194c9050565b6115985760405163d212a85f60e01b8152600481018390526024016105c6565b8484838181106115aa576115aa61238b565b90506020028101906115bc91906123ae565b9050610100146115e25760405163a1c9731960e01b8152600481018390526024016105c6565b5f6115ec826119a4565b80516020808301919091205f8181526001909252604090912054919250906001600160a01b031680156116445760405163488b5eff60e01b8152600481018390526001600160a01b03821660248201526044016105c6565b6116a684878a8a8981811061165b5761165b61238b565b905060200281019061166d91906123ae565b8080601f0160208091040260200160405190810160405280939291908181526020018383808284375f92019190915250611a7392505050565b6116c6576040516389c8b52b60e01b8152600481018690526024016105c6565b5f828152600160205260409081902080546001600160a01b0319163390811790915590518391907f7d54baece9aa2ba0708a4bca7e004a22914c34685cee15dab9e284fbe507458a9061171a90879061221b565b60405180910390a350505050806001019050611509565b50855484908790600190611751908490610100900463ffffffff166123f0565b92506101000a81548163ffffffff021916908363ffffffff160217905550505050505050565b805f03611782575050565b5f826001600160a01b03168261c350906040515f60405180830381858888f193505050503d805f81146117d0576040519150601f19603f3d011682016040523d82523d5f602084013e6117d5565b606091505b5050905080611849576001600160a01b0383165f9081526002602052604081208054849290611805908490612378565b90915550506040518281526001600160a01b038416907f15037fdbcf9999d2f250620f39c029ca732e68e0561907aa9083b4fa6a86e46c9060200160405180910390a25b505050565b60605f61185b8484611be3565b80519091505f90611874908360015b6020020151611ddb565b60408301516118859084600361186a565b604051602001611896929190612423565b60408051601f1981840301815291905290505f6118bc836004602002015184600561186a565b60c08401516118cd9085600761186a565b6040516020016118de929190612423565b60405160208183030381529060405290505f6118fe601184610100611e63565b90505f61190f601184610100611e63565b9050611940600d8383604051602001611929929190612423565b604051602081830303815290604052610100611e63565b98975050505050505050565b5f815160801461195d57505f919050565b6020820151604083015160608401516080808601519084901c1515806119865750608082901c15155b1561199657505f95945050505050565b929091171717151592915050565b606081516080146119b3575f5ffd5b602082015160408301516060840151608080860151906f0d0088f51cbff34d258dd3db21a5d66b831180611a2057506f0d0088f51cbff34d258dd3db21a5d66b83148015611a2057507fb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd55582115b15611a29576020175b6040516fffffffffffffffffffffffffffffffff19607883901b871760801b1660208201526030810185905260500160405160208183030381529060405295505050505050919050565b5f83516080141580611a885750825161010014155b80611a965750815161010014155b15611aa257505f611bdc565b604080516f17f1d3a73197d7942695638c4fa9ac0f60208201527fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb818301526f114d1d6855d545a8aa7d76c8cf2e21f260608201527f67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca6080808301919091528251808303909101815260a082019092525f91611b469187918791879060c00161243f565b60405160208183030381529060405290505f5f600f6001600160a01b031683604051611b72919061245f565b5f60405180830381855afa9150503d805f8114611baa576040519150601f19603f3d011682016040523d82523d5f602084013e611baf565b606091505b5091509150818015611bc2575080516020145b8015611bd65750611bd28161246a565b6001145b93505050505b9392505050565b611beb611f21565b60ff82511115611bf9575f5ffd5b5f828351604051602001611c0e929190612490565b60408051601f198184030181529082905291505f90600290611c409083908190899061010090839089906020016124b7565b60408051601f1981840301815290829052611c5a9161245f565b602060405180830381855afa158015611c75573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190611c98919061250d565b9050600281600184604051602001611cb293929190612524565b60408051601f1981840301815290829052611ccc9161245f565b602060405180830381855afa158015611ce7573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190611d0a919061250d565b835260015b6008811015611dd257600284611d26600184612327565b60088110611d3657611d3661238b565b60200201518318611d48836001612378565b85604051602001611d5b93929190612524565b60408051601f1981840301815290829052611d759161245f565b602060405180830381855afa158015611d90573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190611db3919061250d565b848260088110611dc557611dc561238b565b6020020152600101611d0f565b50505092915050565b604080516020818101839052818301526060818101929092526080810184905260a08101839052600160c08201526f1a0111ea397fe69a4b1ba7b6434bacd760e08201527f64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab610100820152611bdc906005906101200160405160208183030381529060405260405b60605f846001600160a01b031684604051611e7e919061245f565b5f60405180830381855afa9150503d805f8114611eb6576040519150601f19603f3d011682016040523d82523d5f602084013e611ebb565b606091505b5092509050808015611ecd5750828251145b611f195760405162461bcd60e51b815260206004820152601b60248201527f424c5331323338313a20707265636f6d70696c65206661696c6564000000000060448201526064016105c6565b509392505050565b6040518061010001604052806008906020820280368337509192915050565b80356001600160a01b0381168114611f56575f5ffd5b919050565b5f60208284031215611f6b575f5ffd5b611bdc82611f40565b5f5f83601f840112611f84575f5ffd5b5081356001600160401b03811115611f9a575f5ffd5b6020830191508360208260051b8501011115611fb4575f5ffd5b9250929050565b5f5f5f5f5f60608688031215611fcf575f5ffd5b85356001600160401b03811115611fe4575f5ffd5b611ff088828901611f74565b90965094505060208601356001600160401b0381111561200e575f5ffd5b61201a88828901611f74565b909450925061202d905060408701611f40565b90509295509295909350565b602080825282518282018190525f918401906040840190835b8181101561208e57835180516001600160401b031684526020908101516001600160a01b03168185015290930192604090920191600101612052565b509095945050505050565b634e487b7160e01b5f52602160045260245ffd5b815160e0820190600581106120d057634e487b7160e01b5f52602160045260245ffd5b8083525063ffffffff602084015116602083015260408301516040830152606083015161210860608401826001600160401b03169052565b50608083015161212360808401826001600160401b03169052565b5060a083015161213e60a08401826001600160401b03169052565b5060c083015161215960c08401826001600160a01b03169052565b5092915050565b5f5f5f5f5f60a08688031215612174575f5ffd5b61217d86611f40565b945061218b60208701611f40565b9350604086013592506121a060608701611f40565b949793965091946080013592915050565b5f5f5f5f604085870312156121c4575f5ffd5b84356001600160401b038111156121d9575f5ffd5b6121e587828801611f74565b90955093505060208501356001600160401b03811115612203575f5ffd5b61220f87828801611f74565b95989497509550505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f60208284031215612260575f5ffd5b5035919050565b5f5f60208385031215612278575f5ffd5b82356001600160401b0381111561228d575f5ffd5b8301601f8101851361229d575f5ffd5b80356001600160401b038111156122b2575f5ffd5b8560208284010111156122c3575f5ffd5b6020919091019590945092505050565b5f5f604083850312156122e4575f5ffd5b6122ed83611f40565b915060208301356001600160401b0381168114612308575f5ffd5b809150509250929050565b634e487b7160e01b5f52601160045260245ffd5b818103818111156113aa576113aa612313565b5f8261235457634e487b7160e01b5f52601260045260245ffd5b500490565b6001600160401b0381811683821601908111156113aa576113aa612313565b808201808211156113aa576113aa612313565b634e487b7160e01b5f52603260045260245ffd5b818382375f9101908152919050565b5f5f8335601e198436030181126123c3575f5ffd5b8301803591506001600160401b038211156123dc575f5ffd5b602001915036819003821315611fb4575f5ffd5b63ffffffff81811683821601908111156113aa576113aa612313565b5f81518060208401855e5f93019283525090919050565b5f612437612431838661240c565b8461240c565b949350505050565b5f611485612431612459612453858a61240c565b8861240c565b8661240c565b5f611bdc828461240c565b8051602080830151919081101561248a575f198160200360031b1b821691505b50919050565b5f61249b828561240c565b60f89390931b6001600160f81b03191683525050600101919050565b8681528560208201525f6124ce604083018761240c565b60f086901b6001600160f01b031916815260f885901b6001600160f81b0319166002820152612500600382018561240c565b9998505050505050505050565b5f6020828403121561251d575f5ffd5b5051919050565b83815260f883901b6001600160f81b03191660208201525f612549602183018461240c565b9594505050505056fe424c535f5349475f424c53313233383147325f584d443a5348412d3235365f535357555f524f5f504f505fa264697066735822122006bb5a58975613d0ebbe46d5e40f0672a59f4db1e494a42f137fbfd577c3cf2064736f6c63430008250033",
}

// RegistryABI is the input ABI used to generate the binding from.
// Deprecated: Use RegistryMetaData.ABI instead.
var RegistryABI = RegistryMetaData.ABI

// RegistryBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use RegistryMetaData.Bin instead.
var RegistryBin = RegistryMetaData.Bin

// DeployRegistry deploys a new Ethereum contract, binding an instance of Registry to it.
func DeployRegistry(auth *bind.TransactOpts, backend bind.ContractBackend, minCollateral_ *big.Int, genesisTime_ uint64, secondsPerSlot_ uint64, rotationDelay_ uint64, unregistrationDelay_ uint64) (common.Address, *types.Transaction, *Registry, error) {
	parsed, err := RegistryMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(RegistryBin), backend, minCollateral_, genesisTime_, secondsPerSlot_, rotationDelay_, unregistrationDelay_)
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
// Solidity: function committers(address operator) view returns((uint64,address)[])
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
// Solidity: function committers(address operator) view returns((uint64,address)[])
func (_Registry *RegistrySession) Committers(operator common.Address) ([]RegistryCheckpoint, error) {
	return _Registry.Contract.Committers(&_Registry.CallOpts, operator)
}

// Committers is a free data retrieval call binding the contract method 0x5f4fea26.
//
// Solidity: function committers(address operator) view returns((uint64,address)[])
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
// Solidity: function status(address operator) view returns((uint8,uint32,uint256,uint64,uint64,uint64,address) s)
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
// Solidity: function status(address operator) view returns((uint8,uint32,uint256,uint64,uint64,uint64,address) s)
func (_Registry *RegistrySession) Status(operator common.Address) (IRegistryStatus, error) {
	return _Registry.Contract.Status(&_Registry.CallOpts, operator)
}

// Status is a free data retrieval call binding the contract method 0x645b8b1b.
//
// Solidity: function status(address operator) view returns((uint8,uint32,uint256,uint64,uint64,uint64,address) s)
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

// Slash is a paid mutator transaction binding the contract method 0x7fb6499a.
//
// Solidity: function slash(address operator, address user, uint256 userAmount, address watcher, uint256 watcherAmount) returns(uint256 userPaid, uint256 watcherPaid)
func (_Registry *RegistryTransactor) Slash(opts *bind.TransactOpts, operator common.Address, user common.Address, userAmount *big.Int, watcher common.Address, watcherAmount *big.Int) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "slash", operator, user, userAmount, watcher, watcherAmount)
}

// Slash is a paid mutator transaction binding the contract method 0x7fb6499a.
//
// Solidity: function slash(address operator, address user, uint256 userAmount, address watcher, uint256 watcherAmount) returns(uint256 userPaid, uint256 watcherPaid)
func (_Registry *RegistrySession) Slash(operator common.Address, user common.Address, userAmount *big.Int, watcher common.Address, watcherAmount *big.Int) (*types.Transaction, error) {
	return _Registry.Contract.Slash(&_Registry.TransactOpts, operator, user, userAmount, watcher, watcherAmount)
}

// Slash is a paid mutator transaction binding the contract method 0x7fb6499a.
//
// Solidity: function slash(address operator, address user, uint256 userAmount, address watcher, uint256 watcherAmount) returns(uint256 userPaid, uint256 watcherPaid)
func (_Registry *RegistryTransactorSession) Slash(operator common.Address, user common.Address, userAmount *big.Int, watcher common.Address, watcherAmount *big.Int) (*types.Transaction, error) {
	return _Registry.Contract.Slash(&_Registry.TransactOpts, operator, user, userAmount, watcher, watcherAmount)
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
	CollateralLeft *big.Int
	Raw            types.Log // Blockchain specific contextual infos
}

// FilterSlashed is a free log retrieval operation binding the contract event 0x94227450c58d4af9a5873737489576cf9bd964e0ea53bcf501ac0fdd9856ad11.
//
// Solidity: event Slashed(address indexed operator, address indexed user, uint256 userPaid, address indexed watcher, uint256 watcherPaid, uint256 collateralLeft)
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

// WatchSlashed is a free log subscription operation binding the contract event 0x94227450c58d4af9a5873737489576cf9bd964e0ea53bcf501ac0fdd9856ad11.
//
// Solidity: event Slashed(address indexed operator, address indexed user, uint256 userPaid, address indexed watcher, uint256 watcherPaid, uint256 collateralLeft)
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

// ParseSlashed is a log parse operation binding the contract event 0x94227450c58d4af9a5873737489576cf9bd964e0ea53bcf501ac0fdd9856ad11.
//
// Solidity: event Slashed(address indexed operator, address indexed user, uint256 userPaid, address indexed watcher, uint256 watcherPaid, uint256 collateralLeft)
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
