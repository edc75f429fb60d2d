// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ISlasher — judges Pledge's four faults from public data and slashes through the Registry,
///        or, for operators registered in the Universal Registry Contract, answers the URC's
///        ISlasher.slash with the amount the URC burns.
/// @notice A promise is the Promise struct below, carried as the payload of a Commitments API
///         Commitment that names this Slasher, and signed by the operator's committer for its
///         slot over the commitment's signing root (keccak256(abi.encode(uint256(3), commitment)),
///         as the URC and the reference gateway define it). It binds collateral only when it is *backed*: a leaf of the slot's ledger
///         (Registry.openLedger), signed by the committer that opened the ledger; it is then
///         paid from that ledger's reservation. A promise in no ledger is void on-chain.
///         Every payment gives userBps to the user, burnBps is burnt, and the rest goes to
///         the beneficiary a watcher committed to (commitClaim) in an earlier block.
///         Anyone may submit evidence that a promise was broken;
///         the Slasher decides from block headers anchored on-chain (BLOCKHASH or the EIP-2935
///         history contract), Merkle-Patricia account proofs against their state roots, and the
///         rollup Inbox. No party is trusted and there is no defence round: evidence either
///         proves the fault or the call reverts with the reason. Each promise is slashed at
///         most once (by its digest).
interface ISlasher {
    /// @notice The Commitments API commitment (eth-fabric; the URC's ISlasher.Commitment).
    struct Commitment {
        uint64 commitmentType;
        bytes payload; // abi.encode(Promise)
        bytes32 requestHash;
        address slasher;
    }

    /// @notice A BLS12-381 G1 point as the URC encodes it (its BLS.G1Point).
    struct G1Point {
        bytes32 x_a;
        bytes32 x_b;
        bytes32 y_a;
        bytes32 y_b;
    }

    /// @notice The URC's delegation (ISlasher.Delegation): the proposer's BLS key hands its
    ///         slot to a delegate and a committer. The URC passes it as it verified it, or all
    ///         zero when the operator opted in to this Slasher without a delegation. For
    ///         Pledge, `metadata` is abi.encode(address poster): the account whose Inbox
    ///         batches carry the slot's L2 promises.
    struct Delegation {
        G1Point proposer;
        G1Point delegate;
        address committer;
        uint64 slot;
        bytes metadata;
    }

    /// @notice One promised transaction.
    struct Inclusion {
        uint64 chainId;
        bytes32 txHash;
        address sender;
        uint64 nonce;
        uint256 maxFeePerGas;
        uint256 maxFeePerBlobGas;
        uint64 gasLimit;
        uint256 maxCost;
    }

    /// @notice The promise; Commitment.payload is abi.encode(Promise), and the commitment's
    ///         commitmentType and requestHash repeat the promise's.
    struct Promise {
        uint64 commitmentType;
        address operator;
        uint64 slot;
        Inclusion[] inclusions;
        uint256 slashAmount;
        bytes32 requestHash;
    }

    /// @notice A promise to the same sender for the same slot, covering one nonce below the
    ///         slashed one. It must be backed: in its slot's ledger, signed by that ledger's
    ///         committer.
    struct Prior {
        bytes payload; // abi.encode(Promise)
        bytes signature; // 65 bytes r ‖ s ‖ v
        uint256 index; // which inclusion of that promise
        uint256 leafIndex; // its leaf in its slot's ledger
        bytes32[] leafProof;
    }

    /// @notice That a promise is backed: leaf `index` of its slot's ledger is
    ///         (digest, uint96 slashAmount), `proof` its Merkle proof (LedgerTree).
    struct Backing {
        uint256 index;
        bytes32[] proof;
    }

    /// @notice Who receives the watcher's share: committed beforehand as
    ///         claimHash(digest, beneficiary, salt) with commitClaim, in an earlier block,
    ///         so copying the slashing transaction pays the same beneficiary.
    struct Claim {
        address beneficiary;
        bytes32 salt;
    }

    /// @notice Evidence that an L1 inclusion was missed although it was includable.
    struct SafetyEvidence {
        bytes header; // RLP header of the slot's block B (timestamp == slot time), anchored
        bytes parentHeader; // RLP header of B's parent P
        bytes[] parentProof; // eth_getProof accountProof of the sender at P.stateRoot
        bytes[] blockProof; // eth_getProof accountProof of the sender at B.stateRoot
        Prior[] priors; // promises covering nonces nonce_P .. nonce-1, in nonce order
    }

    /// @notice Which rule a slash was made under.
    enum Fault {
        Safety,
        Liveness,
        L2Inclusion,
        Equivocation
    }

    /// @notice Slasher parameters fixed at deployment.
    struct Config {
        uint64 genesisTime; // timestamp of slot 0
        uint64 secondsPerSlot;
        uint64 slashWindow; // slots after the promised slot during which evidence is taken
        uint16 livenessBps; // share of slashAmount taken for a missed slot
        uint16 userBps; // share of a slash paid to the wronged user
        uint16 burnBps; // share burnt (> 0: self-slashing always costs); the rest to the watcher
        uint64 blobBaseFeeUpdateFraction; // BLOB_BASE_FEE_UPDATE_FRACTION of the fork in force
        address urc; // the Universal Registry Contract allowed to call slash (zero: that path is off)
    }

    // ---- refusals ----
    error InvalidConfig();
    error MalformedSignature();
    error WrongSigner(address signer, address committer);
    error InvalidPromise();
    error InclusionIndex(uint256 index);
    error AlreadySettled(bytes32 digest);
    error EvidenceExpired(uint64 slot, uint64 currentSlot);
    error HeaderNotAnchored(bytes32 hash, uint256 number);
    error NotParent();
    error NotSlotBlock(uint256 timestamp, uint256 slotTimestamp);
    error SlotNotMissed();
    error NotL1Inclusion();
    error NotL2Inclusion();
    error PromiseKept();
    error SenderHasCode();
    error NonceAlreadyUsed(uint256 stateNonce, uint64 promisedNonce);
    error NonceGap(uint256 priorsNeeded, uint256 priorsGiven);
    error BadPrior(uint256 index);
    error InsufficientBalance(uint256 balance, uint256 cost);
    error FeeBelowBaseFee(uint256 maxFeePerGas, uint256 baseFee);
    error BlobFeeBelowBlobBaseFee(uint256 maxFeePerBlobGas, uint256 blobBaseFee);
    error GasAboveBlockLimit(uint256 gas, uint256 blockGasLimit);
    error BatchMismatch();
    error DifferentOperators();
    error NotEquivocation();
    error NotInLedger();
    error ClaimNotCommitted(bytes32 claimHash);
    error ZeroBeneficiary();
    // ---- refusals of the URC path (slash) ----
    error NotURC();
    error NotThisSlasher(address slasher);
    error NotURCPromise(address operator);
    error CommitmentMismatch();
    error DelegationMismatch();
    error NoPoster();
    error MalformedEvidence();

    /// @notice A promise was slashed. For an equivocation, `digest` is the first promise's
    ///         and `otherDigest` the second's; otherwise `otherDigest` is zero. Through the
    ///         URC (slash), `operator` is zero, `taken` is what the URC burns, `userPaid` is
    ///         zero and `beneficiary` is the URC's challenger.
    event PromiseSlashed(
        bytes32 indexed digest,
        address indexed operator,
        Fault fault,
        address user,
        uint256 taken,
        uint256 userPaid,
        address beneficiary,
        bytes32 otherDigest
    );

    /// @notice A watcher committed to a claim hash.
    event ClaimCommitted(bytes32 indexed claimHash, address indexed by, uint256 blockNumber);

    /// @notice Safety: inclusion `index` (an L1 transaction) is not in the slot's block
    ///         although it was includable at the parent state.
    function slashSafety(
        bytes calldata payload,
        bytes calldata signature,
        uint256 index,
        SafetyEvidence calldata ev,
        Backing calldata backing,
        Claim calldata claim
    ) external;

    /// @notice Liveness: no block at the slot's timestamp; `header1` is the parent of
    ///         `header2` and their timestamps straddle the slot's.
    function slashLiveness(
        bytes calldata payload,
        bytes calldata signature,
        bytes calldata header1,
        bytes calldata header2,
        Backing calldata backing,
        Claim calldata claim
    ) external;

    /// @notice L2 inclusion: the slot's block exists, and `txHashes` (the keccak of every L2
    ///         transaction the ledger's poster posted for the rollup in it, in order) match the
    ///         Inbox's record and do not hold inclusion `index`'s txHash.
    function slashL2Inclusion(
        bytes calldata payload,
        bytes calldata signature,
        uint256 index,
        bytes calldata header,
        bytes32[] calldata txHashes,
        Backing calldata backing,
        Claim calldata claim
    ) external;

    /// @notice Equivocation: two promises by one operator hold inclusions with the same
    ///         (chainId, sender, nonce) and different txHash. A is paid its own slashAmount
    ///         from its own ledger (backingA) and settled; B must be signed by
    ///         committerAt(operator, B.slot) and is left as it was.
    function slashEquivocation(
        bytes calldata payloadA,
        bytes calldata signatureA,
        uint256 indexA,
        bytes calldata payloadB,
        bytes calldata signatureB,
        uint256 indexB,
        Backing calldata backingA,
        Claim calldata claim
    ) external;

    /// @notice The URC's entry point (the Universal Registry Contract's ISlasher.slash,
    ///         selector 0xc239ef42): judges one fault of a promise sold by a URC-registered
    ///         operator and returns the wei the URC takes (and burns) from that operator's URC
    ///         collateral. Only `urc` may call it, after checking the delegation's BLS signature
    ///         and that `committer` signed `commitment`'s signing root. The promise in
    ///         `commitment.payload` names operator zero (Pledge Registry operators name their
    ///         own address and are judged by the four functions above, never here).
    ///         `evidence` is abi.encode(uint8 fault, bytes data) with `data`:
    ///         Safety: abi.encode(uint256 index, SafetyEvidence) (priors signed by `committer`,
    ///         no ledger); Liveness: abi.encode(bytes header1, bytes header2); L2Inclusion:
    ///         abi.encode(uint256 index, bytes header, bytes32[] txHashes), batches by the poster
    ///         the delegation's metadata names; Equivocation: abi.encode(uint256 indexA,
    ///         bytes payloadB, bytes signatureB, uint256 indexB), B signed by `committer`.
    ///         Returns slashAmount (livenessBps of min(slashAmount, 2^96-1) for a liveness
    ///         fault) and settles the promise. No user is paid on this path: the URC burns it all.
    function slash(
        Delegation calldata delegation,
        Commitment calldata commitment,
        address committer,
        bytes calldata evidence,
        address challenger
    ) external returns (uint256 slashAmountWei);

    /// @notice The URC allowed to call slash; zero when the URC path is off.
    function urc() external view returns (address);

    /// @notice Records `claimHash` = claimHash(digest, beneficiary, salt) at this block (the
    ///         first commitment of a hash counts).
    function commitClaim(bytes32 claimHash) external;

    /// @notice keccak256(abi.encode(digest, beneficiary, salt)).
    function claimHash(bytes32 digest, address beneficiary, bytes32 salt) external pure returns (bytes32);

    /// @notice The block a claim hash was committed in (zero: never).
    function claims(bytes32 claimHash) external view returns (uint256);

    /// @notice The digest the committer signs for the promise abi-encoded in `payload`: the
    ///         signing root of the commitment carrying it with this contract as slasher.
    function promiseDigest(bytes calldata payload) external view returns (bytes32);

    /// @notice Whether the promise with this digest has been slashed.
    function settled(bytes32 digest) external view returns (bool);

    /// @notice The slot of the current block.
    function currentSlot() external view returns (uint64);

    /// @notice slotTimestamp(S) = genesisTime + S * secondsPerSlot.
    function slotTimestamp(uint64 slot) external view returns (uint256);

    /// @notice The blob base fee of a block with this excess blob gas (EIP-4844 fake_exponential).
    function blobBaseFee(uint256 excessBlobGas) external view returns (uint256);
}
