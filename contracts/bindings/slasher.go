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

// ISlasherBacking is an auto generated low-level Go binding around an user-defined struct.
type ISlasherBacking struct {
	Backed     bool
	Index      *big.Int
	Proof      [][32]byte
	Neighbours []ISlasherLeaf
}

// ISlasherClaim is an auto generated low-level Go binding around an user-defined struct.
type ISlasherClaim struct {
	Beneficiary common.Address
	Salt        [32]byte
}

// ISlasherConfig is an auto generated low-level Go binding around an user-defined struct.
type ISlasherConfig struct {
	GenesisTime               uint64
	SecondsPerSlot            uint64
	SlashWindow               uint64
	LivenessBps               uint16
	UserBps                   uint16
	BurnBps                   uint16
	LedgerGrace               uint64
	BlobBaseFeeUpdateFraction uint64
}

// ISlasherInclusion is an auto generated low-level Go binding around an user-defined struct.
type ISlasherInclusion struct {
	ChainId          uint64
	TxHash           [32]byte
	Sender           common.Address
	Nonce            uint64
	MaxFeePerGas     *big.Int
	MaxFeePerBlobGas *big.Int
	GasLimit         uint64
	MaxCost          *big.Int
}

// ISlasherLeaf is an auto generated low-level Go binding around an user-defined struct.
type ISlasherLeaf struct {
	Digest [32]byte
	Amount *big.Int
	Index  *big.Int
	Proof  [][32]byte
}

// ISlasherPrior is an auto generated low-level Go binding around an user-defined struct.
type ISlasherPrior struct {
	Payload   []byte
	Signature []byte
	Index     *big.Int
	LeafIndex *big.Int
	LeafProof [][32]byte
}

// ISlasherPromise is an auto generated low-level Go binding around an user-defined struct.
type ISlasherPromise struct {
	CommitmentType uint64
	Operator       common.Address
	Slot           uint64
	Inclusions     []ISlasherInclusion
	SlashAmount    *big.Int
	RequestHash    [32]byte
}

// ISlasherSafetyEvidence is an auto generated low-level Go binding around an user-defined struct.
type ISlasherSafetyEvidence struct {
	Header       []byte
	ParentHeader []byte
	ParentProof  [][]byte
	BlockProof   [][]byte
	Priors       []ISlasherPrior
}

// SlasherMetaData contains all meta data concerning the Slasher contract.
var SlasherMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIRegistry\",\"name\":\"registry_\",\"type\":\"address\"},{\"internalType\":\"contractIBatchRecord\",\"name\":\"inbox_\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"genesisTime\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"secondsPerSlot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"slashWindow\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"livenessBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"userBps\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"burnBps\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"ledgerGrace\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"blobBaseFeeUpdateFraction\",\"type\":\"uint64\"}],\"internalType\":\"structISlasher.Config\",\"name\":\"cfg\",\"type\":\"tuple\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"AlreadySettled\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadAccount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadNode\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadPrior\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BatchMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"maxFeePerBlobGas\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"blobBaseFee\",\"type\":\"uint256\"}],\"name\":\"BlobFeeBelowBlobBaseFee\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"claimHash\",\"type\":\"bytes32\"}],\"name\":\"ClaimNotCommitted\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DifferentOperators\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"}],\"name\":\"EvidenceExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"maxFeePerGas\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"baseFee\",\"type\":\"uint256\"}],\"name\":\"FeeBelowBaseFee\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"gas\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"blockGasLimit\",\"type\":\"uint256\"}],\"name\":\"GasAboveBlockLimit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"number\",\"type\":\"uint256\"}],\"name\":\"HeaderNotAnchored\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"fields\",\"type\":\"uint256\"}],\"name\":\"HeaderTooShort\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InLedger\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"InclusionIndex\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"InlineNode\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"cost\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidConfig\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidPromise\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"currentSlot\",\"type\":\"uint64\"}],\"name\":\"LedgerPending\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"MalformedSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"stateNonce\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"promisedNonce\",\"type\":\"uint64\"}],\"name\":\"NonceAlreadyUsed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"priorsNeeded\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"priorsGiven\",\"type\":\"uint256\"}],\"name\":\"NonceGap\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotEquivocation\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotInLedger\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotL1Inclusion\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotL2Inclusion\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotParent\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"timestamp\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"slotTimestamp\",\"type\":\"uint256\"}],\"name\":\"NotSlotBlock\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PromiseKept\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ProofLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"ProofNodeMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"RLPMalformed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SenderHasCode\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"SlotNotMissed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"committer\",\"type\":\"address\"}],\"name\":\"WrongSigner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroBeneficiary\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"claimHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"blockNumber\",\"type\":\"uint256\"}],\"name\":\"ClaimCommitted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"enumISlasher.Fault\",\"name\":\"fault\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"backed\",\"type\":\"bool\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"taken\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"userPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"otherDigest\",\"type\":\"bytes32\"}],\"name\":\"PromiseSlashed\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"excessBlobGas\",\"type\":\"uint256\"}],\"name\":\"blobBaseFee\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"blobBaseFeeUpdateFraction\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"burnBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"name\":\"claimHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"claims\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"claimHash_\",\"type\":\"bytes32\"}],\"name\":\"commitClaim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesisTime\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"inbox\",\"outputs\":[{\"internalType\":\"contractIBatchRecord\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ledgerGrace\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"livenessBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"commitmentType\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"chainId\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"txHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"maxFeePerGas\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxFeePerBlobGas\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"gasLimit\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"maxCost\",\"type\":\"uint256\"}],\"internalType\":\"structISlasher.Inclusion[]\",\"name\":\"inclusions\",\"type\":\"tuple[]\"},{\"internalType\":\"uint256\",\"name\":\"slashAmount\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"requestHash\",\"type\":\"bytes32\"}],\"internalType\":\"structISlasher.Promise\",\"name\":\"p\",\"type\":\"tuple\"}],\"name\":\"promiseDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractIRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"secondsPerSlot\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"settled\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"payloadA\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"signatureA\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"indexA\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"payloadB\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"signatureB\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"indexB\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"bool\",\"name\":\"backed\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"internalType\":\"structISlasher.Leaf[]\",\"name\":\"neighbours\",\"type\":\"tuple[]\"}],\"internalType\":\"structISlasher.Backing\",\"name\":\"backingA\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"internalType\":\"structISlasher.Claim\",\"name\":\"claim\",\"type\":\"tuple\"}],\"name\":\"slashEquivocation\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"},{\"internalType\":\"bytes32[]\",\"name\":\"txHashes\",\"type\":\"bytes32[]\"},{\"components\":[{\"internalType\":\"bool\",\"name\":\"backed\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"internalType\":\"structISlasher.Leaf[]\",\"name\":\"neighbours\",\"type\":\"tuple[]\"}],\"internalType\":\"structISlasher.Backing\",\"name\":\"backing\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"internalType\":\"structISlasher.Claim\",\"name\":\"claim\",\"type\":\"tuple\"}],\"name\":\"slashL2Inclusion\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"header1\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"header2\",\"type\":\"bytes\"},{\"components\":[{\"internalType\":\"bool\",\"name\":\"backed\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"internalType\":\"structISlasher.Leaf[]\",\"name\":\"neighbours\",\"type\":\"tuple[]\"}],\"internalType\":\"structISlasher.Backing\",\"name\":\"backing\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"internalType\":\"structISlasher.Claim\",\"name\":\"claim\",\"type\":\"tuple\"}],\"name\":\"slashLiveness\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"bytes\",\"name\":\"header\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"parentHeader\",\"type\":\"bytes\"},{\"internalType\":\"bytes[]\",\"name\":\"parentProof\",\"type\":\"bytes[]\"},{\"internalType\":\"bytes[]\",\"name\":\"blockProof\",\"type\":\"bytes[]\"},{\"components\":[{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"leafIndex\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"leafProof\",\"type\":\"bytes32[]\"}],\"internalType\":\"structISlasher.Prior[]\",\"name\":\"priors\",\"type\":\"tuple[]\"}],\"internalType\":\"structISlasher.SafetyEvidence\",\"name\":\"ev\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"bool\",\"name\":\"backed\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"},{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"internalType\":\"structISlasher.Leaf[]\",\"name\":\"neighbours\",\"type\":\"tuple[]\"}],\"internalType\":\"structISlasher.Backing\",\"name\":\"backing\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"beneficiary\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"}],\"internalType\":\"structISlasher.Claim\",\"name\":\"claim\",\"type\":\"tuple\"}],\"name\":\"slashSafety\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"slashWindow\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"slot\",\"type\":\"uint64\"}],\"name\":\"slotTimestamp\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"userBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6102006040523461047a576141b9803803809161001e8261020061047e565b61020039610140811261047a5761020051906001600160a01b038216820361047a5761022051906001600160a01b038216820361047a5761010090603f19011261047a576040519161010083016001600160401b038111848210176104665760405261008b6102406104a1565b83526100986102606104a1565b602084018190526100aa6102806104a1565b604085018190526100bc6102a06104b5565b606086018190526100ce6102c06104b5565b60808701819052906100e16102e06104b5565b60a08801819052926100f46103006104a1565b60c08901526101046103206104a1565b60e08901526001600160a01b03861615948515610454575b8515610442575b508415610430575b50831561041e575b508215610411575b82156103df575b505080156103ca575b80156103b5575b8015610396575b6103875760805260a05260018060401b0381511660c05260018060401b0360208201511660e05260018060401b036040820151166101005261ffff6060820151166101205261ffff6080820151166101405261ffff60a0820151166101605260018060401b0360c0820151166101805260e060018060401b03910151166101a052466101c05260405160208101907f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f82527f3dafab1a70b9e56713eb44dd621dc5800a322d04824f3457aeea006b0c41435960408201527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a082015260a0815261027160c08261047e565b5190206101e052604051613cf490816104c5823960805181818161053b0152818161107a01528181611f4c015281816124df015281816126de0152818161282a015281816129780152612f45015260a0518181816108ae015261148b015260c0518181816103d501528181610b810152611ed8015260e0518181816102e601528181610bc00152611f040152610100518181816103920152611b9f0152610120518181816103240152610ad40152610140518181816104ba015281816124b101526126b00152610160518181816104130152818161248f015261268e015261018051818181610875015261200f01526101a0518181816106a70152610c2201526101c051816115fc01526101e051816116220152f35b6306b7c75960e31b5f5260045ffd5b5060c083015160408401516001600160401b0391821691161115610159565b5060c08301516001600160401b031615610152565b5060e08301516001600160401b03161561014b565b61ffff9192508116911681018091116103fd57612710105f80610142565b634e487b7160e01b5f52601160045260245ffd5b61ffff821615925061013b565b61271091935061ffff1611915f610133565b6001600160401b03161593505f61012b565b6001600160401b03161594505f610123565b6001600160a01b03881615955061011c565b634e487b7160e01b5f52604160045260245ffd5b5f80fd5b601f909101601f19168101906001600160401b0382119082101761046657604052565b51906001600160401b038216820361047a57565b519061ffff8216820361047a5756fe60806040526004361015610011575f80fd5b5f3560e01c806313b61d091461018457806322a111fc1461017f5780632d79ba8c1461017a5780633359632e14610175578063390e226d1461017057806342c6498a1461016b57806353deb3d6146101665780636b3ba090146101615780636d315d7e1461015c57806371be231114610157578063799e7c57146101525780637b1039991461014d578063804b37421461014857806390c74ec2146101435780639864bb241461013e578063d3ec612c14610139578063d945af1d14610134578063efc389471461012f578063eff0f5921461012a578063f698da2514610125578063f8e5e5dc14610120578063fb0e722b1461011b5763fb658d9514610116575f80fd5b6108eb565b610899565b610856565b61083c565b610812565b6107f6565b6107c8565b6106fb565b610688565b6105b6565b610588565b610526565b6104de565b6104a0565b610482565b61044b565b6103f9565b6103b6565b610373565b610348565b61030a565b6102c7565b6101fb565b9181601f840112156101b6578235916001600160401b0383116101b657602083818601950101116101b657565b5f80fd5b908160809103126101b65790565b60409060a31901126101b65760a490565b60409060e31901126101b65760e490565b60409060c31901126101b65760c490565b346101b65760e03660031901126101b6576004356001600160401b0381116101b65761022b903690600401610189565b906024356001600160401b0381116101b65761024b903690600401610189565b6044939193356001600160401b0381116101b65761026d903690600401610189565b6064929192356001600160401b0381116101b65761028f903690600401610189565b939092608435976001600160401b0389116101b6576102b56102c59936906004016101ba565b966102bf366101c8565b98610a45565b005b346101b6575f3660031901126101b65760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101b6575f3660031901126101b657602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101b6575f3660031901126101b6576020610362610b77565b6001600160401b0360405191168152f35b346101b6575f3660031901126101b65760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101b6575f3660031901126101b65760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101b6575f3660031901126101b657602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b35906001600160401b03821682036101b657565b346101b65760203660031901126101b6576004356001600160401b03811681036101b65761047a602091611ecb565b604051908152f35b346101b65760203660031901126101b657602061047a600435610c18565b346101b6575f3660031901126101b657602060405161ffff7f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101b65760203660031901126101b6576004356001600160401b0381116101b65760c060031982360301126101b65761047a6105216020923690600401610e17565b612a92565b346101b6575f3660031901126101b6576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b6001600160a01b038116036101b657565b35906105868261056a565b565b346101b65760603660031901126101b657602061047a6004356024356105ad8161056a565b60443591610e9c565b346101b6576101203660031901126101b6576004356001600160401b0381116101b6576105e7903690600401610189565b906024356001600160401b0381116101b657610607903690600401610189565b9092906044356064356001600160401b0381116101b65761062c903690600401610189565b6084929192356001600160401b0381116101b65761064e903690600401610189565b93909260a4359560c435996001600160401b038b116101b6576106786102c59b36906004016101ba565b98610682366101d9565b9a610f8c565b346101b6575f3660031901126101b65760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b9181601f840112156101b6578235916001600160401b0383116101b6576020808501948460051b0101116101b657565b346101b6576101003660031901126101b6576004356001600160401b0381116101b65761072c903690600401610189565b906024356001600160401b0381116101b65761074c903690600401610189565b909290604435906064356001600160401b0381116101b657610772903690600401610189565b906084356001600160401b0381116101b6576107929036906004016106cb565b94909360a435986001600160401b038a116101b6576107b86102c59a36906004016101ba565b976107c2366101ea565b996113ba565b346101b65760203660031901126101b6576004355f525f602052602060ff60405f2054166040519015158152f35b346101b65760203660031901126101b6576102c56004356115a8565b346101b65760203660031901126101b6576004355f526001602052602060405f2054604051908152f35b346101b6575f3660031901126101b657602061047a6115f9565b346101b6575f3660031901126101b65760206040516001600160401b037f0000000000000000000000000000000000000000000000000000000000000000168152f35b346101b6575f3660031901126101b6576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b908160a09103126101b65790565b346101b65760e03660031901126101b6576004356001600160401b0381116101b65761091b903690600401610189565b906024356001600160401b0381116101b65761093b903690600401610189565b9092906044356064356001600160401b0381116101b6576109609036906004016108dd565b91608435956001600160401b0387116101b6576109846102c59736906004016101ba565b9461098e366101c8565b9661175f565b634e487b7160e01b5f52601160045260245ffd5b908160011b91808304600214901517156109be57565b610994565b818102929181159184041417156109be57565b81156109e0570490565b634e487b7160e01b5f52601260045260245ffd5b801515036101b657565b35610a08816109f4565b90565b634e487b7160e01b5f52603260045260245ffd5b805115610a2c5760200190565b610a0b565b8051821015610a2c5760209160051b010190565b92610a6995949699989792610a5d92610a6395611aff565b97611c9a565b92611d98565b6020820151815103610b4d5760a090610a95610a906040885101516001600160401b031690565b611ecb565b9182910151109182610b3f575b505015610b305782610ab78261058695611f37565b50610b08610b02610afa610acf6080855101516122e5565b61ffff7f000000000000000000000000000000000000000000000000000000000000000016906109c3565b612710900490565b926109fe565b610b2a6040610b1b606085510151610a1f565b5101516001600160a01b031690565b916123d9565b6377f20d1960e01b5f5260045ffd5b60a001511190505f80610aa2565b631c09fe6560e11b5f5260045ffd5b5f198101919082116109be57565b919082039182116109be57565b6001600160401b037f000000000000000000000000000000000000000000000000000000000000000016804210610bea5742034281116109be57610be66001600160401b0391827f000000000000000000000000000000000000000000000000000000000000000016906109d6565b1690565b505f90565b5f1981146109be5760010190565b90600182018092116109be57565b919082018092116109be57565b6001600160401b037f0000000000000000000000000000000000000000000000000000000000000000165f8180936001915b610c5a575050610a0892506109d6565b8483959495018093116109be57610c88610c7882610c9095966109c3565b610c8284886109c3565b906109d6565b928392610bef565b91949392610c4a565b634e487b7160e01b5f52604160045260245ffd5b61010081019081106001600160401b03821117610cc957604052565b610c99565b60c081019081106001600160401b03821117610cc957604052565b608081019081106001600160401b03821117610cc957604052565b90601f801991011681019081106001600160401b03821117610cc957604052565b6001600160401b038111610cc95760051b60200190565b81601f820112156101b657803590610d5382610d25565b92610d616040519485610d04565b82845260208085019360081b830101918183116101b657602001925b828410610d8b575050505090565b610100848303126101b657602061010091604051610da881610cad565b610db187610437565b81528287013583820152610dc76040880161057b565b6040820152610dd860608801610437565b60608201526080870135608082015260a087013560a0820152610dfd60c08801610437565b60c082015260e087013560e0820152815201930192610d7d565b91909160c0818403126101b65760405190610e3182610cce565b8193610e3c82610437565b83526020820135610e4c8161056a565b6020840152610e5d60408301610437565b60408401526060820135916001600160401b0383116101b657610e8660a0939284938301610d3c565b6060850152608081013560808501520135910152565b91604051916020830193845260018060a01b03166040830152606082015260608152610ec9608082610d04565b51902090565b908160209103126101b65751610a088161056a565b6040513d5f823e3d90fd5b519063ffffffff821682036101b657565b6001600160601b038116036101b657565b908160c09103126101b65760a060405191610f2b83610cce565b805183526020810151610f3d8161056a565b6020840152610f4e60408201610eef565b60408401526060810151610f61816109f4565b60608401526080810151610f748161056a565b60808401520151610f8481610f00565b60a082015290565b91610fac969391610fa6939d9c9b99969a9d989598611aff565b96611aff565b8351602001519091906001600160a01b0316825160200151610fde906001600160a01b03165b6001600160a01b031690565b6001600160a01b039091160361138157610ffc611004918551612cbf565b968251612cbf565b86516001600160401b03166001600160401b0361103761102b84516001600160401b031690565b6001600160401b031690565b91161490811591611346575b8115611307575b81156112f5575b506112e6576040810180519096906001600160a01b031682516020808201516001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000811694936110f3939290916110bc91604091165b9201516001600160401b031690565b60405163fbc8a22760e01b81526001600160a01b0390921660048301526001600160401b0316602482015291829081906044820190565b0381865afa9081156112b2575f916112b7575b506001600160a01b03908116911603611195575b5061058695965061112b8385611f37565b506111856040611176602085019461115b61114e87515f525f60205260405f2090565b805460ff19166001179055565b60808089510151915101518082115f1461118d5750956109fe565b9201516001600160a01b031690565b9151936125d3565b9050956109fe565b825160208101516040918201519151637e178ad960e11b81526001600160a01b0390911660048201526001600160401b0390911660248201529060c090829060449082905afa9081156112b2575f91611283575b5063ffffffff611200604083015163ffffffff1690565b1615801561124e575b1561111a57875161124b919061122a906020906001600160a01b0316611176565b63366d29f760e01b5f526001600160a01b0391821660045216602452604490565b5ffd5b5087516001600160a01b03166020820151611271906001600160a01b0316610fd2565b6001600160a01b039091161415611209565b6112a5915060c03d60c0116112ab575b61129d8183610d04565b810190610f11565b5f6111e9565b503d611293565b610ee4565b6112d9915060203d6020116112df575b6112d18183610d04565b810190610ecf565b5f611106565b503d6112c7565b630b69ebb360e01b5f5260045ffd5b9050602080880151910151145f611051565b905061131d60608801516001600160401b031690565b6001600160401b0361133c61102b60608501516001600160401b031690565b911614159061104a565b60408801519091506001600160a01b0316604082015161136e906001600160a01b0316610fd2565b6001600160a01b03909116141590611043565b63321c882760e21b5f5260045ffd5b91908260409103126101b657610a08602083519301610eef565b9190811015610a2c5760051b0190565b916113db93916113d3939b9a9b99969599989798611aff565b958651612cbf565b936113ed85516001600160401b031690565b6001600160401b031646146115995761140591611c9a565b60a061141f610a906040885101516001600160401b031690565b9101518181036115845750506114358685611f37565b91604061144985516001600160401b031690565b8651820151825163414ff5ff60e01b81526001600160401b039283166004820152911660248201526001600160a01b03948516604482015293849060649082907f0000000000000000000000000000000000000000000000000000000000000000165afa80156112b2575f935f9161154d575b5063ffffffff16820361150257905f9160208501515f925b808410611511575050505003611502576114f56040611176610586966109fe565b9060808351015192612798565b6305da379960e11b5f5260045ffd5b909192936115208583866113aa565b359083821461153e575f52602052600160405f2094019291906114d4565b631115538160e11b5f5260045ffd5b63ffffffff9450611576915060403d60401161157d575b61156e8183610d04565b810190611390565b90936114bc565b503d611564565b63de9f931b60e01b5f5260045260245260445ffd5b63f89b632b60e01b5f5260045ffd5b805f52600160205260405f20546115f657805f5260016020524360405f2055604051904382527f1018c0fe91794c2e0a6462522b570d2f0b3bfc2b93282f744146606d3d961beb60203393a3565b50565b467f000000000000000000000000000000000000000000000000000000000000000003611644577f000000000000000000000000000000000000000000000000000000000000000090565b60405160208101907f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f82527f3dafab1a70b9e56713eb44dd621dc5800a322d04824f3457aeea006b0c41435960408201527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a082015260a08152610ec960c082610d04565b903590601e19813603018212156101b657018035906001600160401b0382116101b6576020019181360383136101b657565b903590601e19813603018212156101b657018035906001600160401b0382116101b657602001918160051b360383136101b657565b9190811015610a2c5760051b81013590609e19813603018212156101b6570190565b9061176f93929198979698611aff565b9161177c83519283612cbf565b8051466001600160401b0390911603611a73576117a261179c83806116d6565b90611c9a565b6117b9610a9060408601516001600160401b031690565b60a08201518181036115845750506117dd6117d760208501856116d6565b90611d98565b928351602083015103610b4d576040820151936020611820604086019661180a885160018060a01b031690565b906118186060870187611708565b929091612cf8565b015190606085019161183c61102b84516001600160401b031690565b1061153e5760400151855161186391906001600160a01b0316906118186040860186611708565b907fc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470606083015103611a6457602082019081516118a782516001600160401b031690565b906001600160401b0382168111611a465750505181516118cf916001600160401b0316610b6a565b9060808401826118df8287611708565b905003611a1f5793919060e0870151946119108761190a61102b60c08c01516001600160401b031690565b99612df0565b5f935b83851061199857505050505060400151818110611983575050608001519081811161196e575050608061196561195788611951610586999a88611f37565b506109fe565b92516001600160a01b031690565b920151926128e6565b634fcd678d60e11b5f5260045260245260445ffd5b63cf47918160e01b5f5260045260245260445ffd5b9091929397886119a88484611708565b6119b2929161173d565b8a518a908d906001600160a01b0316828851906119ce91610c0b565b916119d894612e56565b966119e38989612df0565b60e08801516119f191610c0b565b60c0909701516001600160401b03166001600160401b0316611a1291610c0b565b9760010193929190611913565b82611a2d61124b9287611708565b6366dc705760e11b5f5260049290925250602452604490565b6317894b3360e01b5f526004526001600160401b031660245260445ffd5b6331e4648b60e01b5f5260045ffd5b6370c2007360e11b5f5260045ffd5b60405190606082018281106001600160401b03821117610cc9576040525f6040838151611aae81610cce565b83815283602082015283838201526060808201528360808201528360a082015281528260208201520152565b906020828203126101b65781356001600160401b0381116101b657610a089201610e17565b611b50919493611b28611b20611b4093611b17611a82565b98810190611ada565b80885261316e565b611b328651612a92565b936020870194808652613281565b6001600160a01b03166040850152565b611b6c611b6582515f525f60205260405f2090565b5460ff1690565b611bfe5750611b79610b77565b611bc5611b9561102b60408651016001600160401b0390511690565b6001600160401b037f00000000000000000000000000000000000000000000000000000000000000001690610c0b565b6001600160401b03821611611bd75750565b82516040015163839e46ad60e01b5f526001600160401b039081166004521660245260445ffd5b516358cb522560e11b5f5260045260245ffd5b60405190611c1e82610cad565b5f60e0838281528260208201528260408201528260608201528260808201528260a08201528260c08201520152565b3d15611c86573d906001600160401b038211610cc95760405191611c7b601f8201601f191660200184610d04565b82523d5f602084013e565b606090565b908160209103126101b6575190565b90611cad91611ca7611c11565b50611d98565b905f60608301908151438110611cf9575b508015908115611ced575b50611cd15750565b82519051630665ea6960e41b5f5260049190915260245260445ffd5b9050835114155f611cc9565b611d066101009143610b6a565b11611d1657508051405b5f611cbe565b5f808351604051611d4281611d346020820194859190602083019252565b03601f198101835282610d04565b519071f90827f1c53a10cb7a02335b1753200029355afa611d61611c4d565b9080611d8d575b611d73575b50611d10565b611d87915060208082518301019101611c8b565b5f611d6d565b506020815114611d68565b9190611da2611c11565b92611dad8282610c0b565b611db7818361337e565b905f915b818110611dee575050600f811115611ddc575090611dd891613497565b8252565b63b612418f60e01b5f5260045260245ffd5b611dfb82611e17926133b8565b929186611e1d57611e0b92613479565b60208901525b92610bef565b91611dbb565b60038703611e3857611e2e92613479565b6040890152611e11565b60088703611e5357611e499261344a565b6060890152611e11565b60098703611e6e57611e649261344a565b6080890152611e11565b600b8703611e8957611e7f9261344a565b60a0890152611e11565b600f8703611ea457611e9a9261344a565b60c0890152611e11565b60128714611eb5575b505050611e11565b611ebe9261344a565b60e08901525f8080611ead565b611f2b6001600160401b037f000000000000000000000000000000000000000000000000000000000000000016916001600160401b03807f00000000000000000000000000000000000000000000000000000000000000001691166109c3565b81018091116109be5790565b80516020810180519194936001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000811693611fc49291169660c06040820198611f8d8a516001600160401b031690565b604051637e178ad960e11b81526001600160a01b0390921660048301526001600160401b0316602482015293849081906044820190565b0381885afa9283156112b2575f936122c4575b50611fe1826109fe565b6121be5750611fee610b77565b61203561200561102b8a516001600160401b031690565b6001600160401b037f00000000000000000000000000000000000000000000000000000000000000001690610c0b565b6001600160401b038216111561218857506120826120cb969793836120909363ffffffff61206d604060209a98015163ffffffff1690565b16612163575b5050516001600160a01b031690565b92516001600160401b031690565b60405163fbc8a22760e01b81526001600160a01b0390931660048401526001600160401b031660248301529093849190829081906044820190565b03915afa9182156112b2575f92612142575b506001600160a01b0382168015908115612120575b506120fb575090565b6040015163366d29f760e01b5f526001600160a01b039081166004521660245260445ffd5b604083015190915061213a906001600160a01b0316610fd2565b14155f6120f2565b61215c91925060203d6020116112df576112d18183610d04565b905f6120dd565b61218191612179898b0151926060810190611708565b929091613660565b5f80612073565b61124b9061219d89516001600160401b031690565b632222cc3f60e01b5f526001600160401b0390811660045216602452604490565b93509150939450604084019163ffffffff6121dd845163ffffffff1690565b161580156122b0575b6122a15761224d926122499261221a63ffffffff93612214608060208a01519201516001600160601b031690565b906134a2565b9061222b8851935163ffffffff1690565b9261223f6020830135926040810190611708565b95909416906134d8565b1590565b6122a1576040015160208201516001600160a01b039081169116818103612280575050608001516001600160a01b031690565b63366d29f760e01b5f526001600160a01b039081166004521660245260445ffd5b63b620c93560e01b5f5260045ffd5b506001600160601b036080820151116121e6565b6122de91935060c03d60c0116112ab5761129d8183610d04565b915f611fd7565b6001600160601b03811115610a0857506001600160601b0390565b35610a088161056a565b91908260409103126101b6576020825192015190565b6001600160a01b0391821681526001600160401b0392909216602083015291151560408201526060810192909252918216608082015261ffff92831660a0820152921660c083015290911660e08201526101000190565b634e487b7160e01b5f52602160045260245ffd5b939094919796959260e085019860048710156123d45795855294151560208501526001600160a01b0394851660408501526060840152608083015290911660a082015260c00152565b612377565b909390926001600160a01b036123ee83612300565b16156125c4576020840190612412825161240785612300565b602086013591610e9c565b612424815f52600160205260405f2090565b5480159081156125b9575b506125a7575090604084939261245061114e84515f525f60205260405f2090565b8651602081015189916124da916124719086906001600160a01b03166110ad565b9061247b88612300565b9086519a8b968796634b4dbded60e11b88527f0000000000000000000000000000000000000000000000000000000000000000957f00000000000000000000000000000000000000000000000000000000000000009460048a01612320565b03815f7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165af19081156112b2575f516020613c9f5f395f51905f5294612562925f9283928492612567575b505197516020015161254a906001600160a01b03165b95612300565b9160405196879660018060a01b03169a60018861238b565b0390a3565b6020935061254a9192506125956125449160403d6040116125a0575b61258d8183610d04565b81019061230a565b90945092915061252e565b503d612583565b63ec941c8f60e01b5f5260045260245ffd5b90504311155f61242f565b63776cceeb60e01b5f5260045ffd5b90949093919290916001600160a01b036125ec84612300565b16156125c4576020850191612610835161260586612300565b602087013591610e9c565b612622815f52600160205260405f2090565b54801590811561278d575b506125a75750906040839261264f61114e889796515f525f60205260405f2090565b875160208101518a916126d9916126709086906001600160a01b03166110ad565b9061267a89612300565b9086519b8c968796634b4dbded60e11b88527f0000000000000000000000000000000000000000000000000000000000000000957f00000000000000000000000000000000000000000000000000000000000000009460048a01612320565b03815f7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165af19485156112b2575f516020613c9f5f395f51905f5295612562935f925f9261275d575b5051975160200151612745906001600160a01b0316612544565b9160405196879660018060a01b03169a60038861238b565b602093506127459192506127826125449160403d6040116125a05761258d8183610d04565b90945092915061272b565b90504311155f61262d565b909390926001600160a01b036127ad83612300565b16156125c45760208401906127c6825161240785612300565b6127d8815f52600160205260405f2090565b5480159081156128db575b506125a7575090604084939261280461114e84515f525f60205260405f2090565b865160208101518991612825916124719086906001600160a01b03166110ad565b03815f7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165af19081156112b2575f516020613c9f5f395f51905f5294612562925f92839284926128ab575b5051975160200151612893906001600160a01b0316612544565b9160405196879660018060a01b03169a60028861238b565b602093506128939192506128d06125449160403d6040116125a05761258d8183610d04565b909450929150612879565b90504311155f6127e3565b909390926001600160a01b036128fb83612300565b16156125c4576020840190612914825161240785612300565b612926815f52600160205260405f2090565b548015908115612a28575b506125a7575090604084939261295261114e84515f525f60205260405f2090565b865160208101518991612973916124719086906001600160a01b03166110ad565b03815f7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165af19081156112b2575f516020613c9f5f395f51905f5294612562925f92839284926129f8575b50519751602001516129e1906001600160a01b0316612544565b9160405196879660018060a01b03169a858861238b565b602093506129e1919250612a1d6125449160403d6040116125a05761258d8183610d04565b9094509291506129c7565b90504311155f612931565b90612a3d82610d25565b612a4a6040519182610d04565b8281528092612a5b601f1991610d25565b0190602036910137565b80516020909101905f5b818110612a7c5750505090565b8251845260209384019390920191600101612a6f565b60608101805151612aa281612a33565b915f5b828110612bb957505050612b80612ac383516001600160401b031690565b6020840151909390611d34906001600160a01b031691612aed60408201516001600160401b031690565b94604051612b0381611d34602082018095612a65565b5190209060a060808201519101519160405196879560208701998a926001600160401b039060c09592989796938260e087019a7ff15da39fff66ed48dafd69e08350e4a8516266c391e9e9e89e05bf7008c9d76f885216602087015260018060a01b03166040860152166060840152608083015260a08201520152565b519020611d34610ec9612b916115f9565b92604051928391602083019586909160429261190160f01b8352600283015260228201520190565b80612bc76001928451610a31565b5180516001600160401b031690612cab6020820151611d34612bf2604085015160018060a01b031690565b93612c0760608201516001600160401b031690565b90608081015160a08201519060e0612c2960c08501516001600160401b031690565b93015193604051988997602089019b8c9490989796926001600160401b039485916101009894836101208a019d7ffbeb6bcfe97c2f16234a1cfeedbccdf3fd6d8d699dadba35d9b5e9db76b5a9918b521660208a0152604089015260018060a01b0316606088015216608086015260a085015260c08401521660e08201520152565b519020612cb88287610a31565b5201612aa5565b606090612cca611c11565b5001805151821015612ce55790612ce19151610a31565b5190565b5063899bf1c960e01b5f5260045260245ffd5b91909392612d359060405192612d0d84610ce9565b5f84525f60208501525f604085015260608401945f8652849760601b5f5260145f2090613811565b929193909315612dc7575050612d9e612d77612d95612d72612d8b612d7787612d64612da898612d819a610c0b565b98899687809681809561337e565b6133b8565b939291909161344a565b60208d01526133b8565b60408a01526133b8565b925050506133b8565b9392919091613479565b606085015203612db85760018252565b631c2b077760e01b5f5260045ffd5b7fc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470905293505050565b608081015160c083015190818110612e4157505060a001908151612e12575050565b60e0612e1f910151610c18565b9051818110612e2c575050565b632334848960e21b5f5260045260245260445ffd5b63b574e81760e01b5f5260045260245260445ffd5b9094939294612e63611c11565b50612e79612e7183806116d6565b810190611ada565b90612e838261316e565b612e8c82612a92565b90612ea4612e9d60208601866116d6565b9084613281565b6020840180519193909290916001600160a01b03166020820151612ed0906001600160a01b0316610fd2565b6001600160a01b039091161480159190613131575b50801561311e575b61310a5760808401916001600160601b038351116130f657516040858101519051637e178ad960e11b81526001600160a01b0390921660048301526001600160401b0316602482015292919060c084806044810103817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa9384156112b2575f946130d5575b5063ffffffff612f94604086015163ffffffff1690565b169182159384156130a6575b508315613063575b505050905061304f5760600151612fc3916040013590610a31565b5193612fd685516001600160401b031690565b6001600160401b0316461480159290613033575b50811561300c575b50612ffa5750565b6347229e7f60e11b5f5260045260245ffd5b90506001600160401b0361302a60608601516001600160401b031690565b1614155f612ff2565b60408601516001600160a01b039182169116141591505f612fea565b6347229e7f60e11b5f52600484905260245ffd5b612249935061308761309d95519261221460608a013593516001600160601b031690565b906130956080890189611708565b9490936134d8565b805f8080612fa8565b6020860151919450906130c1906001600160a01b0316610fd2565b6001600160a01b039091161415925f612fa0565b6130ef91945060c03d60c0116112ab5761129d8183610d04565b925f612f7d565b6347229e7f60e11b5f52600488905260245ffd5b6347229e7f60e11b5f52600487905260245ffd5b5060408501356060850151511115612eed565b90506001600160401b0361316561102b6040613156818a01516001600160401b031690565b9401516001600160401b031690565b9116115f612ee5565b606081018051516001600160401b0361318e84516001600160401b031690565b1660018114801561322d575b1561320257506001036131f35760016131db61102b6131cd6131bf6131df9551610a1f565b51516001600160401b031690565b94516001600160401b031690565b1490565b906001600160401b0346911614036131f357565b6322f968bb60e11b5f5260045ffd5b9092506003141590506131f35760028110908115613222575b506131f357565b60109150115f61321b565b506002811461319a565b906020116101b65790602090565b906040116101b65760200190602090565b359060208110613264575090565b5f199060200360031b1b1690565b9060401015610a2c5760400190565b6041830361333a576132cd6132c76132b96132a561329f8787613237565b90613256565b956132b361329f8288613245565b95613272565b356001600160f81b03191690565b60f81c90565b9060ff8216601b8114159081613372575b508015613349575b61333a576133185f93602095604051948594859094939260ff6060936080840197845216602083015260408201520152565b838052039060015afa156112b2575f51906001600160a01b0382161561333a57565b632ad0f0b760e11b5f5260045ffd5b507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a083116132e6565b601c915014155f6132de565b81613388916133b8565b92939150159182156133ad575b505061339e5790565b630a9199a160e01b5f5260045ffd5b141590505f80613395565b91905f90808410159284355f1a926080841060011461344057608060c0851060011461343557505060019260c09060f881105b60011461342957036037600160351983890101968588119060086036198601111717970135916020030160031b1c93945b8486019283111761339e57565b9560010195039361341c565b909360b881106133eb565b925060019361341c565b9091801561346f575b61339e57811561346957359060200360031b1c90565b50505f90565b5060208211613453565b9190811561348b575b5061339e573590565b6020915014155f613482565b816040519182372090565b9060405190602082019283526001600160601b0360a01b9060a01b166040820152602c8152610ec9604c82610d04565b60011c90565b93909194928286108015906135d6575b6135cc5794905f925b6001811161350e5750505014918261350857505090565b14919050565b9091956001808816145f1461357257848414613567576134d261355961355261355f9361354561353d89610bef565b988a896113aa565b355f5260205260405f2090565b9860011c90565b92610bfd565b9190916134f1565b505050505050505f90565b958161357d82610bfd565b10613593575b6134d261355961355f9260011c90565b95848414613567576134d26135596135c261355f936135b461353d89610bef565b35905f5260205260405f2090565b9892505050613583565b5050505050505f90565b50601084116134e8565b9015610a2c57803590607e19813603018212156101b6570190565b9060011015610a2c57602081013590607e19813603018212156101b6570190565b9190811015610a2c5760051b81013590607e19813603018212156101b6570190565b35610a0881610f00565b63ffffffff5f199116019063ffffffff82116109be57565b831580156137e2575b6136bd5760408101905f5b858110613789575050600284036137055750604061369284846135fb565b01356136aa60406136a386866135e0565b0135610bfd565b14928315936136cc575b5050506136bd57565b63f9bae2e360e01b5f5260045ffd5b908293506136db8282946135e0565b351092836136f0575b505050155f80806136b4565b6136fb9293506135fb565b35115f80806136e4565b9291908061371384846135e0565b351015613752575061373d604061373061374b94613742946135e0565b0135935163ffffffff1690565b613648565b63ffffffff1690565b036136bd57565b9091925061376083836135e0565b3511156136bd57604091613773916135e0565b0135156105865763f9bae2e360e01b5f5260045ffd5b6137d661224963ffffffff61379f848a8a61361c565b8551906137b0885163ffffffff1690565b9160408201359061223f6137cb84356122146020870161363e565b936060810190611708565b6136bd57600101613674565b5060028411613669565b90821015610a2c576138039160051b8101906116d6565b9091565b600311156123d457565b92909281156138e6579290925f9161382885610b5c565b925f925b8484111561384357630386be3960e31b5f5260045ffd5b61385b91838592613855848b8b6137ec565b90613919565b9691959096879361386b88613807565b87156138c8575050505050036138b95780613887600192613807565b146138b0576138968160801c90565b916fffffffffffffffffffffffffffffffff600193921690565b505f905f905f90565b630386be3960e31b5f5260045ffd5b92959750929550926138d990610bef565b929495939591909161382c565b9150507f56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b4219150036138b9575f905f905f90565b94939291816040518188823720036139445784018085116109be5761393d94613957565b9192909190565b8363054d7e9f60e01b5f5260045260245ffd5b8161396691969594939661337e565b946040831015613a2c57600f818460021b60fc031c16905b865f975f935b8582106139d05750841061339e57600283146139c15750506011036139ad5761393d9394613b74565b63553ae71f60e11b5f52600483905260245ffd5b9092915061393d959650613a34565b939881858b1402179881355f1a607f603f821691110280920191600183019260378211613a03575b505060010193613984565b60019293508190038260361992818301356037826020030160031b1c920101010191905f6139f8565b60109061397e565b81613a4291959394956133b8565b96929195908015613b6c575b613b585781355f1a60041c9560038711613b445792809291613a8c613a87956001808b16145f14613b3b5760ff60015b169687916109a8565b610b6a565b80956040613a9a8386610c0b565b11159485613b27575b505050505015613b195791613abd613ac392600294610c0b565b956133b8565b509290941015613ade5792613ad793613be8565b915f929190565b91906040851490811591613b11575b50613aff575060801b17916002929190565b63553ae71f60e11b5f5260045260245ffd5b90505f613aed565b9450505050506001915f9190565b613b319550613c1f565b815f848180613aa3565b60ff6002613a7e565b63553ae71f60e11b5f52600486905260245ffd5b63553ae71f60e11b5f52600485905260245ffd5b508515613a4e565b9291926040841015613bd55790613b8a916133b8565b5090819392931580613bcd575b613bb657613ba493613be8565b91600182018092116109be575f929190565b50505050600181018091116109be576001915f9190565b508015613b97565b8263553ae71f60e11b5f5260045260245ffd5b9291613c0c57602003613bfa57503590565b63553ae71f60e11b5f5260045260245ffd5b506318f9623d60e01b5f5260045260245ffd5b929190928115613c94576001600160fe1b03851685036109be578360021b906040838235841b960111613c7d575b50506001600160fe1b03811681036109be5760021b610100039161010083116109be57821c9260021b1b901c1490565b602090949294013590610100031c17915f80613c4d565b505050505060019056fe88a0efd8132eac389c9e3ef7566ee391742bbe28f06c8a6fd0b73bfa40cf3fd5a2646970667358221220e041004a13e341777c41f7b4e85971f87cc61ff5bcfb0788e345898ccb6c303664736f6c63430008250033",
}

// SlasherABI is the input ABI used to generate the binding from.
// Deprecated: Use SlasherMetaData.ABI instead.
var SlasherABI = SlasherMetaData.ABI

// SlasherBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use SlasherMetaData.Bin instead.
var SlasherBin = SlasherMetaData.Bin

// DeploySlasher deploys a new Ethereum contract, binding an instance of Slasher to it.
func DeploySlasher(auth *bind.TransactOpts, backend bind.ContractBackend, registry_ common.Address, inbox_ common.Address, cfg ISlasherConfig) (common.Address, *types.Transaction, *Slasher, error) {
	parsed, err := SlasherMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(SlasherBin), backend, registry_, inbox_, cfg)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &Slasher{SlasherCaller: SlasherCaller{contract: contract}, SlasherTransactor: SlasherTransactor{contract: contract}, SlasherFilterer: SlasherFilterer{contract: contract}}, nil
}

// Slasher is an auto generated Go binding around an Ethereum contract.
type Slasher struct {
	SlasherCaller     // Read-only binding to the contract
	SlasherTransactor // Write-only binding to the contract
	SlasherFilterer   // Log filterer for contract events
}

// SlasherCaller is an auto generated read-only Go binding around an Ethereum contract.
type SlasherCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// SlasherTransactor is an auto generated write-only Go binding around an Ethereum contract.
type SlasherTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// SlasherFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type SlasherFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// SlasherSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type SlasherSession struct {
	Contract     *Slasher          // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// SlasherCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type SlasherCallerSession struct {
	Contract *SlasherCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts  // Call options to use throughout this session
}

// SlasherTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type SlasherTransactorSession struct {
	Contract     *SlasherTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts  // Transaction auth options to use throughout this session
}

// SlasherRaw is an auto generated low-level Go binding around an Ethereum contract.
type SlasherRaw struct {
	Contract *Slasher // Generic contract binding to access the raw methods on
}

// SlasherCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type SlasherCallerRaw struct {
	Contract *SlasherCaller // Generic read-only contract binding to access the raw methods on
}

// SlasherTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type SlasherTransactorRaw struct {
	Contract *SlasherTransactor // Generic write-only contract binding to access the raw methods on
}

// NewSlasher creates a new instance of Slasher, bound to a specific deployed contract.
func NewSlasher(address common.Address, backend bind.ContractBackend) (*Slasher, error) {
	contract, err := bindSlasher(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &Slasher{SlasherCaller: SlasherCaller{contract: contract}, SlasherTransactor: SlasherTransactor{contract: contract}, SlasherFilterer: SlasherFilterer{contract: contract}}, nil
}

// NewSlasherCaller creates a new read-only instance of Slasher, bound to a specific deployed contract.
func NewSlasherCaller(address common.Address, caller bind.ContractCaller) (*SlasherCaller, error) {
	contract, err := bindSlasher(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &SlasherCaller{contract: contract}, nil
}

// NewSlasherTransactor creates a new write-only instance of Slasher, bound to a specific deployed contract.
func NewSlasherTransactor(address common.Address, transactor bind.ContractTransactor) (*SlasherTransactor, error) {
	contract, err := bindSlasher(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &SlasherTransactor{contract: contract}, nil
}

// NewSlasherFilterer creates a new log filterer instance of Slasher, bound to a specific deployed contract.
func NewSlasherFilterer(address common.Address, filterer bind.ContractFilterer) (*SlasherFilterer, error) {
	contract, err := bindSlasher(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &SlasherFilterer{contract: contract}, nil
}

// bindSlasher binds a generic wrapper to an already deployed contract.
func bindSlasher(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := SlasherMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Slasher *SlasherRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Slasher.Contract.SlasherCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Slasher *SlasherRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Slasher.Contract.SlasherTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Slasher *SlasherRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Slasher.Contract.SlasherTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Slasher *SlasherCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Slasher.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Slasher *SlasherTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Slasher.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Slasher *SlasherTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Slasher.Contract.contract.Transact(opts, method, params...)
}

// BlobBaseFee is a free data retrieval call binding the contract method 0x6d315d7e.
//
// Solidity: function blobBaseFee(uint256 excessBlobGas) view returns(uint256)
func (_Slasher *SlasherCaller) BlobBaseFee(opts *bind.CallOpts, excessBlobGas *big.Int) (*big.Int, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "blobBaseFee", excessBlobGas)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// BlobBaseFee is a free data retrieval call binding the contract method 0x6d315d7e.
//
// Solidity: function blobBaseFee(uint256 excessBlobGas) view returns(uint256)
func (_Slasher *SlasherSession) BlobBaseFee(excessBlobGas *big.Int) (*big.Int, error) {
	return _Slasher.Contract.BlobBaseFee(&_Slasher.CallOpts, excessBlobGas)
}

// BlobBaseFee is a free data retrieval call binding the contract method 0x6d315d7e.
//
// Solidity: function blobBaseFee(uint256 excessBlobGas) view returns(uint256)
func (_Slasher *SlasherCallerSession) BlobBaseFee(excessBlobGas *big.Int) (*big.Int, error) {
	return _Slasher.Contract.BlobBaseFee(&_Slasher.CallOpts, excessBlobGas)
}

// BlobBaseFeeUpdateFraction is a free data retrieval call binding the contract method 0x9864bb24.
//
// Solidity: function blobBaseFeeUpdateFraction() view returns(uint64)
func (_Slasher *SlasherCaller) BlobBaseFeeUpdateFraction(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "blobBaseFeeUpdateFraction")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// BlobBaseFeeUpdateFraction is a free data retrieval call binding the contract method 0x9864bb24.
//
// Solidity: function blobBaseFeeUpdateFraction() view returns(uint64)
func (_Slasher *SlasherSession) BlobBaseFeeUpdateFraction() (uint64, error) {
	return _Slasher.Contract.BlobBaseFeeUpdateFraction(&_Slasher.CallOpts)
}

// BlobBaseFeeUpdateFraction is a free data retrieval call binding the contract method 0x9864bb24.
//
// Solidity: function blobBaseFeeUpdateFraction() view returns(uint64)
func (_Slasher *SlasherCallerSession) BlobBaseFeeUpdateFraction() (uint64, error) {
	return _Slasher.Contract.BlobBaseFeeUpdateFraction(&_Slasher.CallOpts)
}

// BurnBps is a free data retrieval call binding the contract method 0x53deb3d6.
//
// Solidity: function burnBps() view returns(uint16)
func (_Slasher *SlasherCaller) BurnBps(opts *bind.CallOpts) (uint16, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "burnBps")

	if err != nil {
		return *new(uint16), err
	}

	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)

	return out0, err

}

// BurnBps is a free data retrieval call binding the contract method 0x53deb3d6.
//
// Solidity: function burnBps() view returns(uint16)
func (_Slasher *SlasherSession) BurnBps() (uint16, error) {
	return _Slasher.Contract.BurnBps(&_Slasher.CallOpts)
}

// BurnBps is a free data retrieval call binding the contract method 0x53deb3d6.
//
// Solidity: function burnBps() view returns(uint16)
func (_Slasher *SlasherCallerSession) BurnBps() (uint16, error) {
	return _Slasher.Contract.BurnBps(&_Slasher.CallOpts)
}

// ClaimHash is a free data retrieval call binding the contract method 0x804b3742.
//
// Solidity: function claimHash(bytes32 digest, address beneficiary, bytes32 salt) pure returns(bytes32)
func (_Slasher *SlasherCaller) ClaimHash(opts *bind.CallOpts, digest [32]byte, beneficiary common.Address, salt [32]byte) ([32]byte, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "claimHash", digest, beneficiary, salt)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// ClaimHash is a free data retrieval call binding the contract method 0x804b3742.
//
// Solidity: function claimHash(bytes32 digest, address beneficiary, bytes32 salt) pure returns(bytes32)
func (_Slasher *SlasherSession) ClaimHash(digest [32]byte, beneficiary common.Address, salt [32]byte) ([32]byte, error) {
	return _Slasher.Contract.ClaimHash(&_Slasher.CallOpts, digest, beneficiary, salt)
}

// ClaimHash is a free data retrieval call binding the contract method 0x804b3742.
//
// Solidity: function claimHash(bytes32 digest, address beneficiary, bytes32 salt) pure returns(bytes32)
func (_Slasher *SlasherCallerSession) ClaimHash(digest [32]byte, beneficiary common.Address, salt [32]byte) ([32]byte, error) {
	return _Slasher.Contract.ClaimHash(&_Slasher.CallOpts, digest, beneficiary, salt)
}

// Claims is a free data retrieval call binding the contract method 0xeff0f592.
//
// Solidity: function claims(bytes32 ) view returns(uint256)
func (_Slasher *SlasherCaller) Claims(opts *bind.CallOpts, arg0 [32]byte) (*big.Int, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "claims", arg0)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Claims is a free data retrieval call binding the contract method 0xeff0f592.
//
// Solidity: function claims(bytes32 ) view returns(uint256)
func (_Slasher *SlasherSession) Claims(arg0 [32]byte) (*big.Int, error) {
	return _Slasher.Contract.Claims(&_Slasher.CallOpts, arg0)
}

// Claims is a free data retrieval call binding the contract method 0xeff0f592.
//
// Solidity: function claims(bytes32 ) view returns(uint256)
func (_Slasher *SlasherCallerSession) Claims(arg0 [32]byte) (*big.Int, error) {
	return _Slasher.Contract.Claims(&_Slasher.CallOpts, arg0)
}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Slasher *SlasherCaller) CurrentSlot(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "currentSlot")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Slasher *SlasherSession) CurrentSlot() (uint64, error) {
	return _Slasher.Contract.CurrentSlot(&_Slasher.CallOpts)
}

// CurrentSlot is a free data retrieval call binding the contract method 0x3359632e.
//
// Solidity: function currentSlot() view returns(uint64)
func (_Slasher *SlasherCallerSession) CurrentSlot() (uint64, error) {
	return _Slasher.Contract.CurrentSlot(&_Slasher.CallOpts)
}

// DomainSeparator is a free data retrieval call binding the contract method 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (_Slasher *SlasherCaller) DomainSeparator(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "domainSeparator")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// DomainSeparator is a free data retrieval call binding the contract method 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (_Slasher *SlasherSession) DomainSeparator() ([32]byte, error) {
	return _Slasher.Contract.DomainSeparator(&_Slasher.CallOpts)
}

// DomainSeparator is a free data retrieval call binding the contract method 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (_Slasher *SlasherCallerSession) DomainSeparator() ([32]byte, error) {
	return _Slasher.Contract.DomainSeparator(&_Slasher.CallOpts)
}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Slasher *SlasherCaller) GenesisTime(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "genesisTime")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Slasher *SlasherSession) GenesisTime() (uint64, error) {
	return _Slasher.Contract.GenesisTime(&_Slasher.CallOpts)
}

// GenesisTime is a free data retrieval call binding the contract method 0x42c6498a.
//
// Solidity: function genesisTime() view returns(uint64)
func (_Slasher *SlasherCallerSession) GenesisTime() (uint64, error) {
	return _Slasher.Contract.GenesisTime(&_Slasher.CallOpts)
}

// Inbox is a free data retrieval call binding the contract method 0xfb0e722b.
//
// Solidity: function inbox() view returns(address)
func (_Slasher *SlasherCaller) Inbox(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "inbox")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Inbox is a free data retrieval call binding the contract method 0xfb0e722b.
//
// Solidity: function inbox() view returns(address)
func (_Slasher *SlasherSession) Inbox() (common.Address, error) {
	return _Slasher.Contract.Inbox(&_Slasher.CallOpts)
}

// Inbox is a free data retrieval call binding the contract method 0xfb0e722b.
//
// Solidity: function inbox() view returns(address)
func (_Slasher *SlasherCallerSession) Inbox() (common.Address, error) {
	return _Slasher.Contract.Inbox(&_Slasher.CallOpts)
}

// LedgerGrace is a free data retrieval call binding the contract method 0xf8e5e5dc.
//
// Solidity: function ledgerGrace() view returns(uint64)
func (_Slasher *SlasherCaller) LedgerGrace(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "ledgerGrace")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// LedgerGrace is a free data retrieval call binding the contract method 0xf8e5e5dc.
//
// Solidity: function ledgerGrace() view returns(uint64)
func (_Slasher *SlasherSession) LedgerGrace() (uint64, error) {
	return _Slasher.Contract.LedgerGrace(&_Slasher.CallOpts)
}

// LedgerGrace is a free data retrieval call binding the contract method 0xf8e5e5dc.
//
// Solidity: function ledgerGrace() view returns(uint64)
func (_Slasher *SlasherCallerSession) LedgerGrace() (uint64, error) {
	return _Slasher.Contract.LedgerGrace(&_Slasher.CallOpts)
}

// LivenessBps is a free data retrieval call binding the contract method 0x2d79ba8c.
//
// Solidity: function livenessBps() view returns(uint16)
func (_Slasher *SlasherCaller) LivenessBps(opts *bind.CallOpts) (uint16, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "livenessBps")

	if err != nil {
		return *new(uint16), err
	}

	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)

	return out0, err

}

// LivenessBps is a free data retrieval call binding the contract method 0x2d79ba8c.
//
// Solidity: function livenessBps() view returns(uint16)
func (_Slasher *SlasherSession) LivenessBps() (uint16, error) {
	return _Slasher.Contract.LivenessBps(&_Slasher.CallOpts)
}

// LivenessBps is a free data retrieval call binding the contract method 0x2d79ba8c.
//
// Solidity: function livenessBps() view returns(uint16)
func (_Slasher *SlasherCallerSession) LivenessBps() (uint16, error) {
	return _Slasher.Contract.LivenessBps(&_Slasher.CallOpts)
}

// PromiseDigest is a free data retrieval call binding the contract method 0x799e7c57.
//
// Solidity: function promiseDigest((uint64,address,uint64,(uint64,bytes32,address,uint64,uint256,uint256,uint64,uint256)[],uint256,bytes32) p) view returns(bytes32)
func (_Slasher *SlasherCaller) PromiseDigest(opts *bind.CallOpts, p ISlasherPromise) ([32]byte, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "promiseDigest", p)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// PromiseDigest is a free data retrieval call binding the contract method 0x799e7c57.
//
// Solidity: function promiseDigest((uint64,address,uint64,(uint64,bytes32,address,uint64,uint256,uint256,uint64,uint256)[],uint256,bytes32) p) view returns(bytes32)
func (_Slasher *SlasherSession) PromiseDigest(p ISlasherPromise) ([32]byte, error) {
	return _Slasher.Contract.PromiseDigest(&_Slasher.CallOpts, p)
}

// PromiseDigest is a free data retrieval call binding the contract method 0x799e7c57.
//
// Solidity: function promiseDigest((uint64,address,uint64,(uint64,bytes32,address,uint64,uint256,uint256,uint64,uint256)[],uint256,bytes32) p) view returns(bytes32)
func (_Slasher *SlasherCallerSession) PromiseDigest(p ISlasherPromise) ([32]byte, error) {
	return _Slasher.Contract.PromiseDigest(&_Slasher.CallOpts, p)
}

// Registry is a free data retrieval call binding the contract method 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (_Slasher *SlasherCaller) Registry(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "registry")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Registry is a free data retrieval call binding the contract method 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (_Slasher *SlasherSession) Registry() (common.Address, error) {
	return _Slasher.Contract.Registry(&_Slasher.CallOpts)
}

// Registry is a free data retrieval call binding the contract method 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (_Slasher *SlasherCallerSession) Registry() (common.Address, error) {
	return _Slasher.Contract.Registry(&_Slasher.CallOpts)
}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Slasher *SlasherCaller) SecondsPerSlot(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "secondsPerSlot")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Slasher *SlasherSession) SecondsPerSlot() (uint64, error) {
	return _Slasher.Contract.SecondsPerSlot(&_Slasher.CallOpts)
}

// SecondsPerSlot is a free data retrieval call binding the contract method 0x22a111fc.
//
// Solidity: function secondsPerSlot() view returns(uint64)
func (_Slasher *SlasherCallerSession) SecondsPerSlot() (uint64, error) {
	return _Slasher.Contract.SecondsPerSlot(&_Slasher.CallOpts)
}

// Settled is a free data retrieval call binding the contract method 0xd945af1d.
//
// Solidity: function settled(bytes32 ) view returns(bool)
func (_Slasher *SlasherCaller) Settled(opts *bind.CallOpts, arg0 [32]byte) (bool, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "settled", arg0)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// Settled is a free data retrieval call binding the contract method 0xd945af1d.
//
// Solidity: function settled(bytes32 ) view returns(bool)
func (_Slasher *SlasherSession) Settled(arg0 [32]byte) (bool, error) {
	return _Slasher.Contract.Settled(&_Slasher.CallOpts, arg0)
}

// Settled is a free data retrieval call binding the contract method 0xd945af1d.
//
// Solidity: function settled(bytes32 ) view returns(bool)
func (_Slasher *SlasherCallerSession) Settled(arg0 [32]byte) (bool, error) {
	return _Slasher.Contract.Settled(&_Slasher.CallOpts, arg0)
}

// SlashWindow is a free data retrieval call binding the contract method 0x390e226d.
//
// Solidity: function slashWindow() view returns(uint64)
func (_Slasher *SlasherCaller) SlashWindow(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "slashWindow")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// SlashWindow is a free data retrieval call binding the contract method 0x390e226d.
//
// Solidity: function slashWindow() view returns(uint64)
func (_Slasher *SlasherSession) SlashWindow() (uint64, error) {
	return _Slasher.Contract.SlashWindow(&_Slasher.CallOpts)
}

// SlashWindow is a free data retrieval call binding the contract method 0x390e226d.
//
// Solidity: function slashWindow() view returns(uint64)
func (_Slasher *SlasherCallerSession) SlashWindow() (uint64, error) {
	return _Slasher.Contract.SlashWindow(&_Slasher.CallOpts)
}

// SlotTimestamp is a free data retrieval call binding the contract method 0x6b3ba090.
//
// Solidity: function slotTimestamp(uint64 slot) view returns(uint256)
func (_Slasher *SlasherCaller) SlotTimestamp(opts *bind.CallOpts, slot uint64) (*big.Int, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "slotTimestamp", slot)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// SlotTimestamp is a free data retrieval call binding the contract method 0x6b3ba090.
//
// Solidity: function slotTimestamp(uint64 slot) view returns(uint256)
func (_Slasher *SlasherSession) SlotTimestamp(slot uint64) (*big.Int, error) {
	return _Slasher.Contract.SlotTimestamp(&_Slasher.CallOpts, slot)
}

// SlotTimestamp is a free data retrieval call binding the contract method 0x6b3ba090.
//
// Solidity: function slotTimestamp(uint64 slot) view returns(uint256)
func (_Slasher *SlasherCallerSession) SlotTimestamp(slot uint64) (*big.Int, error) {
	return _Slasher.Contract.SlotTimestamp(&_Slasher.CallOpts, slot)
}

// UserBps is a free data retrieval call binding the contract method 0x71be2311.
//
// Solidity: function userBps() view returns(uint16)
func (_Slasher *SlasherCaller) UserBps(opts *bind.CallOpts) (uint16, error) {
	var out []interface{}
	err := _Slasher.contract.Call(opts, &out, "userBps")

	if err != nil {
		return *new(uint16), err
	}

	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)

	return out0, err

}

// UserBps is a free data retrieval call binding the contract method 0x71be2311.
//
// Solidity: function userBps() view returns(uint16)
func (_Slasher *SlasherSession) UserBps() (uint16, error) {
	return _Slasher.Contract.UserBps(&_Slasher.CallOpts)
}

// UserBps is a free data retrieval call binding the contract method 0x71be2311.
//
// Solidity: function userBps() view returns(uint16)
func (_Slasher *SlasherCallerSession) UserBps() (uint16, error) {
	return _Slasher.Contract.UserBps(&_Slasher.CallOpts)
}

// CommitClaim is a paid mutator transaction binding the contract method 0xefc38947.
//
// Solidity: function commitClaim(bytes32 claimHash_) returns()
func (_Slasher *SlasherTransactor) CommitClaim(opts *bind.TransactOpts, claimHash_ [32]byte) (*types.Transaction, error) {
	return _Slasher.contract.Transact(opts, "commitClaim", claimHash_)
}

// CommitClaim is a paid mutator transaction binding the contract method 0xefc38947.
//
// Solidity: function commitClaim(bytes32 claimHash_) returns()
func (_Slasher *SlasherSession) CommitClaim(claimHash_ [32]byte) (*types.Transaction, error) {
	return _Slasher.Contract.CommitClaim(&_Slasher.TransactOpts, claimHash_)
}

// CommitClaim is a paid mutator transaction binding the contract method 0xefc38947.
//
// Solidity: function commitClaim(bytes32 claimHash_) returns()
func (_Slasher *SlasherTransactorSession) CommitClaim(claimHash_ [32]byte) (*types.Transaction, error) {
	return _Slasher.Contract.CommitClaim(&_Slasher.TransactOpts, claimHash_)
}

// SlashEquivocation is a paid mutator transaction binding the contract method 0x90c74ec2.
//
// Solidity: function slashEquivocation(bytes payloadA, bytes signatureA, uint256 indexA, bytes payloadB, bytes signatureB, uint256 indexB, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backingA, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactor) SlashEquivocation(opts *bind.TransactOpts, payloadA []byte, signatureA []byte, indexA *big.Int, payloadB []byte, signatureB []byte, indexB *big.Int, backingA ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.contract.Transact(opts, "slashEquivocation", payloadA, signatureA, indexA, payloadB, signatureB, indexB, backingA, claim)
}

// SlashEquivocation is a paid mutator transaction binding the contract method 0x90c74ec2.
//
// Solidity: function slashEquivocation(bytes payloadA, bytes signatureA, uint256 indexA, bytes payloadB, bytes signatureB, uint256 indexB, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backingA, (address,bytes32) claim) returns()
func (_Slasher *SlasherSession) SlashEquivocation(payloadA []byte, signatureA []byte, indexA *big.Int, payloadB []byte, signatureB []byte, indexB *big.Int, backingA ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashEquivocation(&_Slasher.TransactOpts, payloadA, signatureA, indexA, payloadB, signatureB, indexB, backingA, claim)
}

// SlashEquivocation is a paid mutator transaction binding the contract method 0x90c74ec2.
//
// Solidity: function slashEquivocation(bytes payloadA, bytes signatureA, uint256 indexA, bytes payloadB, bytes signatureB, uint256 indexB, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backingA, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactorSession) SlashEquivocation(payloadA []byte, signatureA []byte, indexA *big.Int, payloadB []byte, signatureB []byte, indexB *big.Int, backingA ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashEquivocation(&_Slasher.TransactOpts, payloadA, signatureA, indexA, payloadB, signatureB, indexB, backingA, claim)
}

// SlashL2Inclusion is a paid mutator transaction binding the contract method 0xd3ec612c.
//
// Solidity: function slashL2Inclusion(bytes payload, bytes signature, uint256 index, bytes header, bytes32[] txHashes, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactor) SlashL2Inclusion(opts *bind.TransactOpts, payload []byte, signature []byte, index *big.Int, header []byte, txHashes [][32]byte, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.contract.Transact(opts, "slashL2Inclusion", payload, signature, index, header, txHashes, backing, claim)
}

// SlashL2Inclusion is a paid mutator transaction binding the contract method 0xd3ec612c.
//
// Solidity: function slashL2Inclusion(bytes payload, bytes signature, uint256 index, bytes header, bytes32[] txHashes, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherSession) SlashL2Inclusion(payload []byte, signature []byte, index *big.Int, header []byte, txHashes [][32]byte, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashL2Inclusion(&_Slasher.TransactOpts, payload, signature, index, header, txHashes, backing, claim)
}

// SlashL2Inclusion is a paid mutator transaction binding the contract method 0xd3ec612c.
//
// Solidity: function slashL2Inclusion(bytes payload, bytes signature, uint256 index, bytes header, bytes32[] txHashes, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactorSession) SlashL2Inclusion(payload []byte, signature []byte, index *big.Int, header []byte, txHashes [][32]byte, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashL2Inclusion(&_Slasher.TransactOpts, payload, signature, index, header, txHashes, backing, claim)
}

// SlashLiveness is a paid mutator transaction binding the contract method 0x13b61d09.
//
// Solidity: function slashLiveness(bytes payload, bytes signature, bytes header1, bytes header2, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactor) SlashLiveness(opts *bind.TransactOpts, payload []byte, signature []byte, header1 []byte, header2 []byte, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.contract.Transact(opts, "slashLiveness", payload, signature, header1, header2, backing, claim)
}

// SlashLiveness is a paid mutator transaction binding the contract method 0x13b61d09.
//
// Solidity: function slashLiveness(bytes payload, bytes signature, bytes header1, bytes header2, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherSession) SlashLiveness(payload []byte, signature []byte, header1 []byte, header2 []byte, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashLiveness(&_Slasher.TransactOpts, payload, signature, header1, header2, backing, claim)
}

// SlashLiveness is a paid mutator transaction binding the contract method 0x13b61d09.
//
// Solidity: function slashLiveness(bytes payload, bytes signature, bytes header1, bytes header2, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactorSession) SlashLiveness(payload []byte, signature []byte, header1 []byte, header2 []byte, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashLiveness(&_Slasher.TransactOpts, payload, signature, header1, header2, backing, claim)
}

// SlashSafety is a paid mutator transaction binding the contract method 0xfb658d95.
//
// Solidity: function slashSafety(bytes payload, bytes signature, uint256 index, (bytes,bytes,bytes[],bytes[],(bytes,bytes,uint256,uint256,bytes32[])[]) ev, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactor) SlashSafety(opts *bind.TransactOpts, payload []byte, signature []byte, index *big.Int, ev ISlasherSafetyEvidence, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.contract.Transact(opts, "slashSafety", payload, signature, index, ev, backing, claim)
}

// SlashSafety is a paid mutator transaction binding the contract method 0xfb658d95.
//
// Solidity: function slashSafety(bytes payload, bytes signature, uint256 index, (bytes,bytes,bytes[],bytes[],(bytes,bytes,uint256,uint256,bytes32[])[]) ev, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherSession) SlashSafety(payload []byte, signature []byte, index *big.Int, ev ISlasherSafetyEvidence, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashSafety(&_Slasher.TransactOpts, payload, signature, index, ev, backing, claim)
}

// SlashSafety is a paid mutator transaction binding the contract method 0xfb658d95.
//
// Solidity: function slashSafety(bytes payload, bytes signature, uint256 index, (bytes,bytes,bytes[],bytes[],(bytes,bytes,uint256,uint256,bytes32[])[]) ev, (bool,uint256,bytes32[],(bytes32,uint96,uint256,bytes32[])[]) backing, (address,bytes32) claim) returns()
func (_Slasher *SlasherTransactorSession) SlashSafety(payload []byte, signature []byte, index *big.Int, ev ISlasherSafetyEvidence, backing ISlasherBacking, claim ISlasherClaim) (*types.Transaction, error) {
	return _Slasher.Contract.SlashSafety(&_Slasher.TransactOpts, payload, signature, index, ev, backing, claim)
}

// SlasherClaimCommittedIterator is returned from FilterClaimCommitted and is used to iterate over the raw logs and unpacked data for ClaimCommitted events raised by the Slasher contract.
type SlasherClaimCommittedIterator struct {
	Event *SlasherClaimCommitted // Event containing the contract specifics and raw log

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
func (it *SlasherClaimCommittedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(SlasherClaimCommitted)
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
		it.Event = new(SlasherClaimCommitted)
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
func (it *SlasherClaimCommittedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *SlasherClaimCommittedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// SlasherClaimCommitted represents a ClaimCommitted event raised by the Slasher contract.
type SlasherClaimCommitted struct {
	ClaimHash   [32]byte
	By          common.Address
	BlockNumber *big.Int
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterClaimCommitted is a free log retrieval operation binding the contract event 0x1018c0fe91794c2e0a6462522b570d2f0b3bfc2b93282f744146606d3d961beb.
//
// Solidity: event ClaimCommitted(bytes32 indexed claimHash, address indexed by, uint256 blockNumber)
func (_Slasher *SlasherFilterer) FilterClaimCommitted(opts *bind.FilterOpts, claimHash [][32]byte, by []common.Address) (*SlasherClaimCommittedIterator, error) {

	var claimHashRule []interface{}
	for _, claimHashItem := range claimHash {
		claimHashRule = append(claimHashRule, claimHashItem)
	}
	var byRule []interface{}
	for _, byItem := range by {
		byRule = append(byRule, byItem)
	}

	logs, sub, err := _Slasher.contract.FilterLogs(opts, "ClaimCommitted", claimHashRule, byRule)
	if err != nil {
		return nil, err
	}
	return &SlasherClaimCommittedIterator{contract: _Slasher.contract, event: "ClaimCommitted", logs: logs, sub: sub}, nil
}

// WatchClaimCommitted is a free log subscription operation binding the contract event 0x1018c0fe91794c2e0a6462522b570d2f0b3bfc2b93282f744146606d3d961beb.
//
// Solidity: event ClaimCommitted(bytes32 indexed claimHash, address indexed by, uint256 blockNumber)
func (_Slasher *SlasherFilterer) WatchClaimCommitted(opts *bind.WatchOpts, sink chan<- *SlasherClaimCommitted, claimHash [][32]byte, by []common.Address) (event.Subscription, error) {

	var claimHashRule []interface{}
	for _, claimHashItem := range claimHash {
		claimHashRule = append(claimHashRule, claimHashItem)
	}
	var byRule []interface{}
	for _, byItem := range by {
		byRule = append(byRule, byItem)
	}

	logs, sub, err := _Slasher.contract.WatchLogs(opts, "ClaimCommitted", claimHashRule, byRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(SlasherClaimCommitted)
				if err := _Slasher.contract.UnpackLog(event, "ClaimCommitted", log); err != nil {
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

// ParseClaimCommitted is a log parse operation binding the contract event 0x1018c0fe91794c2e0a6462522b570d2f0b3bfc2b93282f744146606d3d961beb.
//
// Solidity: event ClaimCommitted(bytes32 indexed claimHash, address indexed by, uint256 blockNumber)
func (_Slasher *SlasherFilterer) ParseClaimCommitted(log types.Log) (*SlasherClaimCommitted, error) {
	event := new(SlasherClaimCommitted)
	if err := _Slasher.contract.UnpackLog(event, "ClaimCommitted", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// SlasherPromiseSlashedIterator is returned from FilterPromiseSlashed and is used to iterate over the raw logs and unpacked data for PromiseSlashed events raised by the Slasher contract.
type SlasherPromiseSlashedIterator struct {
	Event *SlasherPromiseSlashed // Event containing the contract specifics and raw log

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
func (it *SlasherPromiseSlashedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(SlasherPromiseSlashed)
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
		it.Event = new(SlasherPromiseSlashed)
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
func (it *SlasherPromiseSlashedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *SlasherPromiseSlashedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// SlasherPromiseSlashed represents a PromiseSlashed event raised by the Slasher contract.
type SlasherPromiseSlashed struct {
	Digest      [32]byte
	Operator    common.Address
	Fault       uint8
	Backed      bool
	User        common.Address
	Taken       *big.Int
	UserPaid    *big.Int
	Beneficiary common.Address
	OtherDigest [32]byte
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterPromiseSlashed is a free log retrieval operation binding the contract event 0x88a0efd8132eac389c9e3ef7566ee391742bbe28f06c8a6fd0b73bfa40cf3fd5.
//
// Solidity: event PromiseSlashed(bytes32 indexed digest, address indexed operator, uint8 fault, bool backed, address user, uint256 taken, uint256 userPaid, address beneficiary, bytes32 otherDigest)
func (_Slasher *SlasherFilterer) FilterPromiseSlashed(opts *bind.FilterOpts, digest [][32]byte, operator []common.Address) (*SlasherPromiseSlashedIterator, error) {

	var digestRule []interface{}
	for _, digestItem := range digest {
		digestRule = append(digestRule, digestItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Slasher.contract.FilterLogs(opts, "PromiseSlashed", digestRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return &SlasherPromiseSlashedIterator{contract: _Slasher.contract, event: "PromiseSlashed", logs: logs, sub: sub}, nil
}

// WatchPromiseSlashed is a free log subscription operation binding the contract event 0x88a0efd8132eac389c9e3ef7566ee391742bbe28f06c8a6fd0b73bfa40cf3fd5.
//
// Solidity: event PromiseSlashed(bytes32 indexed digest, address indexed operator, uint8 fault, bool backed, address user, uint256 taken, uint256 userPaid, address beneficiary, bytes32 otherDigest)
func (_Slasher *SlasherFilterer) WatchPromiseSlashed(opts *bind.WatchOpts, sink chan<- *SlasherPromiseSlashed, digest [][32]byte, operator []common.Address) (event.Subscription, error) {

	var digestRule []interface{}
	for _, digestItem := range digest {
		digestRule = append(digestRule, digestItem)
	}
	var operatorRule []interface{}
	for _, operatorItem := range operator {
		operatorRule = append(operatorRule, operatorItem)
	}

	logs, sub, err := _Slasher.contract.WatchLogs(opts, "PromiseSlashed", digestRule, operatorRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(SlasherPromiseSlashed)
				if err := _Slasher.contract.UnpackLog(event, "PromiseSlashed", log); err != nil {
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

// ParsePromiseSlashed is a log parse operation binding the contract event 0x88a0efd8132eac389c9e3ef7566ee391742bbe28f06c8a6fd0b73bfa40cf3fd5.
//
// Solidity: event PromiseSlashed(bytes32 indexed digest, address indexed operator, uint8 fault, bool backed, address user, uint256 taken, uint256 userPaid, address beneficiary, bytes32 otherDigest)
func (_Slasher *SlasherFilterer) ParsePromiseSlashed(log types.Log) (*SlasherPromiseSlashed, error) {
	event := new(SlasherPromiseSlashed)
	if err := _Slasher.contract.UnpackLog(event, "PromiseSlashed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
