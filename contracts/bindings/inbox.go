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

// InboxMetaData contains all meta data concerning the Inbox contract.
var InboxMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"genesisTime_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"secondsPerSlot_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"timestamp\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"genesisTime\",\"type\":\"uint256\"}],\"name\":\"BeforeGenesis\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"chainId\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"}],\"name\":\"EmptyBatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyPost\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"chainId\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"}],\"name\":\"EmptyTx\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"}],\"name\":\"Malformed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"chainId\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"}],\"name\":\"SlotFull\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"chainId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"poster\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"txCount\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"total\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"acc\",\"type\":\"bytes32\"}],\"name\":\"BatchPosted\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_TXS_PER_SLOT\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"chainId\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"poster\",\"type\":\"address\"}],\"name\":\"batchOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"acc\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisTime\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"post\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"secondsPerSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x60c060405234801561000f575f5ffd5b5060405161091138038061091183398101604081905261002e916100bc565b5f816001600160401b03161161008a5760405162461bcd60e51b815260206004820152601660248201527f7365636f6e6473506572536c6f74206973207a65726f00000000000000000000604482015260640160405180910390fd5b6001600160401b039182166080521660a0526100ed565b80516001600160401b03811681146100b7575f5ffd5b919050565b5f5f604083850312156100cd575f5ffd5b6100d6836100a1565b91506100e4602084016100a1565b90509250929050565b60805160a0516107e86101295f395f8181606901526101fe01525f81816101260152818161017e015281816101ca015261022801526107e85ff3fe608060405234801561000f575f5ffd5b5060043610610060575f3560e01c806322a111fc146100645780633359632e146100a8578063414ff5ff146100b057806342c6498a14610121578063454b00e314610148578063baf9b36914610166575b5f5ffd5b61008b7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160401b0390911681526020015b60405180910390f35b61008b61017b565b6101076100be3660046105b2565b6001600160401b038084165f9081526020818152604080832093861683529281528282206001600160a01b0385168352905220805460019091015463ffffffff16935093915050565b6040805192835263ffffffff90911660208301520161009f565b61008b7f000000000000000000000000000000000000000000000000000000000000000081565b61015161040081565b60405163ffffffff909116815260200161009f565b610179610174366004610601565b61026a565b005b5f7f00000000000000000000000000000000000000000000000000000000000000006001600160401b03164210156101fc576040516301ab9a5d60e01b81524260048201526001600160401b037f00000000000000000000000000000000000000000000000000000000000000001660248201526044015b60405180910390fd5b7f00000000000000000000000000000000000000000000000000000000000000006001600160401b03167f00000000000000000000000000000000000000000000000000000000000000006001600160401b03164261025b9190610681565b610265919061069a565b905090565b805f81900361028c5760405163aeb9257f60e01b815260040160405180910390fd5b5f61029561017b565b90505f5b8281101561059057600a6102ad8285610681565b10156102cf576040516345ef413360e01b8152600481018290526024016101f3565b5f8582866102de8260086106b9565b926102eb939291906106cc565b6102f4916106f3565b60c01c90505f86866103078560086106b9565b9061031386600a6106b9565b92610320939291906106cc565b6103299161072b565b60f01c90505f8190036103615760405163d329ac5b60e01b81526001600160401b0383166004820152602481018490526044016101f3565b61036c600a846106b9565b6001600160401b038084165f908152602081815260408083209389168352928152828220338352905220600181015491945090610400906103b490849063ffffffff166106b9565b11156103f8576001810154604051630f65379d60e11b81526001600160401b0380861660048301528716602482015263ffffffff90911660448201526064016101f3565b80545f5b838110156104f7576003610410878a610681565b1015610432576040516345ef413360e01b8152600481018790526024016101f3565b5f8a878b6104418260036106b9565b9261044e939291906106cc565b61045791610761565b60e81c90505f81900361048f57604051637d0b8d5760e01b81526001600160401b0387166004820152602481018890526044016101f3565b61049a6003886106b9565b9650806104a7888b610681565b10156104c9576040516345ef413360e01b8152600481018890526024016101f3565b60405181888d0182375f9384528190206020526040909220916104ec81886106b9565b9650506001016103fc565b5060018201545f9061051090859063ffffffff16610796565b82845560018401805463ffffffff191663ffffffff8381169182179092556040805192881683526020830191909152810184905290915033906001600160401b0389811691908816907f319e55b3c6e14d32dc98cc83999075e3f23c72f4ab33855a97329c5130f782939060600160405180910390a45050505050610299565b5050505050565b80356001600160401b03811681146105ad575f5ffd5b919050565b5f5f5f606084860312156105c4575f5ffd5b6105cd84610597565b92506105db60208501610597565b915060408401356001600160a01b03811681146105f6575f5ffd5b809150509250925092565b5f5f60208385031215610612575f5ffd5b82356001600160401b03811115610627575f5ffd5b8301601f81018513610637575f5ffd5b80356001600160401b0381111561064c575f5ffd5b85602082840101111561065d575f5ffd5b6020919091019590945092505050565b634e487b7160e01b5f52601160045260245ffd5b818103818111156106945761069461066d565b92915050565b5f826106b457634e487b7160e01b5f52601260045260245ffd5b500490565b808201808211156106945761069461066d565b5f5f858511156106da575f5ffd5b838611156106e6575f5ffd5b5050820193919092039150565b80356001600160c01b03198116906008841015610724576001600160c01b0319600885900360031b81901b82161691505b5092915050565b80356001600160f01b03198116906002841015610724576001600160f01b031960029490940360031b84901b1690921692915050565b80356001600160e81b03198116906003841015610724576001600160e81b0319600394850390941b84901b1690921692915050565b63ffffffff81811683821601908111156106945761069461066d56fea2646970667358221220734b0bc3f38d6a5adb9e51492bbdda4dfa92dceb4aee98c17eb76532fa4fa64f64736f6c63430008250033",
}

// InboxABI is the input ABI used to generate the binding from.
// Deprecated: Use InboxMetaData.ABI instead.
var InboxABI = InboxMetaData.ABI

// InboxBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use InboxMetaData.Bin instead.
var InboxBin = InboxMetaData.Bin

// DeployInbox deploys a new Ethereum contract, binding an instance of Inbox to it.
func DeployInbox(auth *bind.TransactOpts, backend bind.ContractBackend, genesisTime_ uint64, secondsPerSlot_ uint64) (common.Address, *types.Transaction, *Inbox, error) {
	parsed, err := InboxMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(InboxBin), backend, genesisTime_, secondsPerSlot_)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &Inbox{InboxCaller: InboxCaller{contract: contract}, InboxTransactor: InboxTransactor{contract: contract}, InboxFilterer: InboxFilterer{contract: contract}}, nil
}

// Inbox is an auto generated Go binding around an Ethereum contract.
type Inbox struct {
	InboxCaller     // Read-only binding to the contract
	InboxTransactor // Write-only binding to the contract
	InboxFilterer   // Log filterer for contract events
}

// InboxCaller is an auto generated read-only Go binding around an Ethereum contract.
type InboxCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// InboxTransactor is an auto generated write-only Go binding around an Ethereum contract.
type InboxTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// InboxFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type InboxFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// InboxSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type InboxSession struct {
	Contract     *Inbox            // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// InboxCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type InboxCallerSession struct {
	Contract *InboxCaller  // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts // Call options to use throughout this session
}

// InboxTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type InboxTransactorSession struct {
	Contract     *InboxTransactor  // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// InboxRaw is an auto generated low-level Go binding around an Ethereum contract.
type InboxRaw struct {
	Contract *Inbox // Generic contract binding to access the raw methods on
}

// InboxCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type InboxCallerRaw struct {
	Contract *InboxCaller // Generic read-only contract binding to access the raw methods on
}

// InboxTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type InboxTransactorRaw struct {
	Contract *InboxTransactor // Generic write-only contract binding to access the raw methods on
}

// NewInbox creates a new instance of Inbox, bound to a specific deployed contract.
func NewInbox(address common.Address, backend bind.ContractBackend) (*Inbox, error) {
	contract, err := bindInbox(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &Inbox{InboxCaller: InboxCaller{contract: contract}, InboxTransactor: InboxTransactor{contract: contract}, InboxFilterer: InboxFilterer{contract: contract}}, nil
}

// NewInboxCaller creates a new read-only instance of Inbox, bound to a specific deployed contract.
func NewInboxCaller(address common.Address, caller bind.ContractCaller) (*InboxCaller, error) {
	contract, err := bindInbox(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &InboxCaller{contract: contract}, nil
}

// NewInboxTransactor creates a new write-only instance of Inbox, bound to a specific deployed contract.
func NewInboxTransactor(address common.Address, transactor bind.ContractTransactor) (*InboxTransactor, error) {
	contract, err := bindInbox(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &InboxTransactor{contract: contract}, nil
}

// NewInboxFilterer creates a new log filterer instance of Inbox, bound to a specific deployed contract.
func NewInboxFilterer(address common.Address, filterer bind.ContractFilterer) (*InboxFilterer, error) {
	contract, err := bindInbox(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &InboxFilterer{contract: contract}, nil
}

// bindInbox binds a generic wrapper to an already deployed contract.
func bindInbox(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := InboxMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Inbox *InboxRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Inbox.Contract.InboxCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Inbox *InboxRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Inbox.Contract.InboxTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Inbox *InboxRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Inbox.Contract.InboxTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Inbox *InboxCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Inbox.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Inbox *InboxTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Inbox.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Inbox *InboxTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Inbox.Contract.contract.Transact(opts, method, params...)
}

// MAXTXSPERSLOT is a free data retrieval call binding the contract method 0x454b00e3.
//
// Solidity: function MAX_TXS_PER_SLOT() view returns(uint32)
func (_Inbox *InboxCaller) MAXTXSPERSLOT(opts *bind.CallOpts) (uint32, error) {
	var out []interface{}
	err := _Inbox.contract.Call(opts, &out, "MAX_TXS_PER_SLOT")

	if err != nil {
		return *new(uint32), err
	}

	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)

	return out0, err

}

// MAXTXSPERSLOT is a free data retrieval call binding the contract method 0x454b00e3.
//
// Solidity: function MAX_TXS_PER_SLOT() view returns(uint32)
func (_Inbox *InboxSession) MAXTXSPERSLOT() (uint32, error) {
	return _Inbox.Contract.MAXTXSPERSLOT(&_Inbox.CallOpts)
}

// MAXTXSPERSLOT is a free data retrieval call binding the contract method 0x454b00e3.
//
// Solidity: function MAX_TXS_PER_SLOT() view returns(uint32)
func (_Inbox *InboxCallerSession) MAXTXSPERSLOT() (uint32, error) {
	return _Inbox.Contract.MAXTXSPERSLOT(&_Inbox.CallOpts)
}

// BatchOf is a free data retrieval call binding the contract method 0x414ff5ff.
//
// Solidity: function batchOf(uint64 chainId, uint64 slot, address poster) view returns(bytes32 acc, uint32 count)
func (_Inbox *InboxCaller) BatchOf(opts *bind.CallOpts, chainId uint64, slot uint64, poster common.Address) (struct {
	Acc   [32]byte
	Count uint32
}, error) {
	var out []interface{}
	err := _Inbox.contract.Call(opts, &out, "batchOf", chainId, slot, poster)

	outstruct := new(struct {
		Acc   [32]byte
		Count uint32
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Acc = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.Count = *abi.ConvertType(out[1], new(uint32)).(*uint32)

	return *outstruct, err

}

// BatchOf is a free data retrieval call binding the contract method 0x414ff5ff.
//
// Solidity: function batchOf(uint64 chainId, uint64 slot, address poster) view returns(bytes32 acc, uint32 count)
func (_Inbox *InboxSession) BatchOf(chainId uint64, slot uint64, poster common.Address) (struct {
	Acc   [32]byte
	Count uint32
}, error) {
	return _Inbox.Contract.BatchOf(&_Inbox.CallOpts, chainId, slot, poster)
}

// BatchOf is a free data retrieval call binding the contract method 0x414ff5ff.
//
// Solidity: function batchOf(uint64 chainId, uint64 slot, address poster) view returns(bytes32 acc, uint32 count)
func (_Inbox *InboxCallerSession) BatchOf(chainId uint64, slot uint64, poster common.Address) (struct {
	Acc   [32]byte
	Count uint32
}, error) {
	return _Inbox.Contract.BatchOf(&_Inbox.CallOpts, chainId, slot, poster)
}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Inbox *InboxCaller) CurrentSlot(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Inbox.contract.Call(opts, &out, "currentSlot")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Inbox *InboxSession) CurrentSlot() (uint64, error) {
	return _Inbox.Contract.CurrentSlot(&_Inbox.CallOpts)
}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Inbox *InboxCallerSession) CurrentSlot() (uint64, error) {
	return _Inbox.Contract.CurrentSlot(&_Inbox.CallOpts)
}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Inbox *InboxCaller) GenesisTime(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Inbox.contract.Call(opts, &out, "genesisTime")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Inbox *InboxSession) GenesisTime() (uint64, error) {
	return _Inbox.Contract.GenesisTime(&_Inbox.CallOpts)
}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Inbox *InboxCallerSession) GenesisTime() (uint64, error) {
	return _Inbox.Contract.GenesisTime(&_Inbox.CallOpts)
}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Inbox *InboxCaller) SecondsPerSlot(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Inbox.contract.Call(opts, &out, "secondsPerSlot")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Inbox *InboxSession) SecondsPerSlot() (uint64, error) {
	return _Inbox.Contract.SecondsPerSlot(&_Inbox.CallOpts)
}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Inbox *InboxCallerSession) SecondsPerSlot() (uint64, error) {
	return _Inbox.Contract.SecondsPerSlot(&_Inbox.CallOpts)
}

// Post is a paid mutator transaction binding the contract method 0xbaf9b369.
//
// Solidity: function post(bytes data) returns()
func (_Inbox *InboxTransactor) Post(opts *bind.TransactOpts, data []byte) (*types.Transaction, error) {
	return _Inbox.contract.Transact(opts, "post", data)
}

// Post is a paid mutator transaction binding the contract method 0xbaf9b369.
//
// Solidity: function post(bytes data) returns()
func (_Inbox *InboxSession) Post(data []byte) (*types.Transaction, error) {
	return _Inbox.Contract.Post(&_Inbox.TransactOpts, data)
}

// Post is a paid mutator transaction binding the contract method 0xbaf9b369.
//
// Solidity: function post(bytes data) returns()
func (_Inbox *InboxTransactorSession) Post(data []byte) (*types.Transaction, error) {
	return _Inbox.Contract.Post(&_Inbox.TransactOpts, data)
}

// InboxBatchPostedIterator is returned from FilterBatchPosted and is used to iterate over the raw logs and unpacked data for BatchPosted events raised by the Inbox contract.
type InboxBatchPostedIterator struct {
	Event *InboxBatchPosted // Event containing the contract specifics and raw log

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
func (it *InboxBatchPostedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(InboxBatchPosted)
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
		it.Event = new(InboxBatchPosted)
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
func (it *InboxBatchPostedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *InboxBatchPostedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// InboxBatchPosted represents a BatchPosted event raised by the Inbox contract.
type InboxBatchPosted struct {
	ChainId uint64
	Slot    uint64
	Poster  common.Address
	TxCount uint32
	Total   uint32
	Acc     [32]byte
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterBatchPosted is a free log retrieval operation binding the contract event 0x319e55b3c6e14d32dc98cc83999075e3f23c72f4ab33855a97329c5130f78293.
//
// Solidity: event BatchPosted(uint64 indexed chainId, uint64 indexed slot, address indexed poster, uint32 txCount, uint32 total, bytes32 acc)
func (_Inbox *InboxFilterer) FilterBatchPosted(opts *bind.FilterOpts, chainId []uint64, slot []uint64, poster []common.Address) (*InboxBatchPostedIterator, error) {

	var chainIdRule []interface{}
	for _, chainIdItem := range chainId {
		chainIdRule = append(chainIdRule, chainIdItem)
	}
	var slotRule []interface{}
	for _, slotItem := range slot {
		slotRule = append(slotRule, slotItem)
	}
	var posterRule []interface{}
	for _, posterItem := range poster {
		posterRule = append(posterRule, posterItem)
	}

	logs, sub, err := _Inbox.contract.FilterLogs(opts, "BatchPosted", chainIdRule, slotRule, posterRule)
	if err != nil {
		return nil, err
	}
	return &InboxBatchPostedIterator{contract: _Inbox.contract, event: "BatchPosted", logs: logs, sub: sub}, nil
}

// WatchBatchPosted is a free log subscription operation binding the contract event 0x319e55b3c6e14d32dc98cc83999075e3f23c72f4ab33855a97329c5130f78293.
//
// Solidity: event BatchPosted(uint64 indexed chainId, uint64 indexed slot, address indexed poster, uint32 txCount, uint32 total, bytes32 acc)
func (_Inbox *InboxFilterer) WatchBatchPosted(opts *bind.WatchOpts, sink chan<- *InboxBatchPosted, chainId []uint64, slot []uint64, poster []common.Address) (event.Subscription, error) {

	var chainIdRule []interface{}
	for _, chainIdItem := range chainId {
		chainIdRule = append(chainIdRule, chainIdItem)
	}
	var slotRule []interface{}
	for _, slotItem := range slot {
		slotRule = append(slotRule, slotItem)
	}
	var posterRule []interface{}
	for _, posterItem := range poster {
		posterRule = append(posterRule, posterItem)
	}

	logs, sub, err := _Inbox.contract.WatchLogs(opts, "BatchPosted", chainIdRule, slotRule, posterRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(InboxBatchPosted)
				if err := _Inbox.contract.UnpackLog(event, "BatchPosted", log); err != nil {
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

// ParseBatchPosted is a log parse operation binding the contract event 0x319e55b3c6e14d32dc98cc83999075e3f23c72f4ab33855a97329c5130f78293.
//
// Solidity: event BatchPosted(uint64 indexed chainId, uint64 indexed slot, address indexed poster, uint32 txCount, uint32 total, bytes32 acc)
func (_Inbox *InboxFilterer) ParseBatchPosted(log types.Log) (*InboxBatchPosted, error) {
	event := new(InboxBatchPosted)
	if err := _Inbox.contract.UnpackLog(event, "BatchPosted", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
