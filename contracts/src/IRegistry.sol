// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IRegistry — Pledge's collateral registry, as seen by the Slasher and clients.
/// @notice An operator (the address that calls `register`) binds validator BLS keys, each
///         with a proof of possession checked on-chain, posts ETH collateral and names a
///         committer: the ECDSA address that signs its promises. Slots are derived from
///         block.timestamp: slot = (block.timestamp - genesisTime) / secondsPerSlot, the same
///         clock as the Slasher's.
interface IRegistry {
    /// @notice Lifecycle of an operator.
    /// None: never registered. Registered: active. Exiting: unregister() called, the delay
    /// is running. Withdrawable: the delay is over, withdraw() pays out. Withdrawn: paid out.
    enum State {
        None,
        Registered,
        Exiting,
        Withdrawable,
        Withdrawn
    }

    /// @notice What `status` returns for an operator.
    struct Status {
        State state;
        uint32 keys; // validator keys bound to the operator
        uint256 collateral; // wei left to slash
        uint64 registeredSlot; // slot of register()
        uint64 exitSlot; // slot of unregister(), 0 while registered
        uint64 withdrawableSlot; // first slot withdraw() succeeds, 0 while registered
        address committer; // committer in effect at the current slot
    }

    // ---- errors: one per refusal, so clients can name the reason ----
    error NotEnoughCollateral(uint256 sent, uint256 minimum);
    error AlreadyRegistered(address operator);
    error NotRegistered(address operator);
    error NotActive(address operator); // exiting or withdrawn: no new keys, no rotation
    error KeyAlreadyRegistered(bytes32 keyHash, address operator);
    error BadProofOfPossession(uint256 index);
    error BadPublicKey(uint256 index);
    error BadSignature(uint256 index);
    error NoKeys();
    error LengthMismatch(uint256 pubkeys, uint256 signatures);
    error ZeroCommitter();
    error DelayNotOver(uint64 currentSlot, uint64 withdrawableSlot);
    error NotSlasher(address caller);
    error NotDeployer(address caller);
    error SlasherAlreadySet(address slasher);
    error ZeroAddress();
    error BeforeGenesis(uint256 timestamp, uint256 genesisTime);
    error TransferFailed(address to, uint256 amount);
    error NothingToClaim(address account);
    error CollateralOverflow(uint256 amount); // above uint96: ~79 billion ETH

    // ---- events ----
    event OperatorRegistered(address indexed operator, address indexed committer, uint256 collateral, uint64 slot);
    /// @notice `pubkey` is the 48-byte compressed key; keyHash = keccak256(pubkey).
    event KeyRegistered(address indexed operator, bytes32 indexed keyHash, bytes pubkey);
    event CollateralDeposited(address indexed operator, uint256 amount, uint256 collateral);
    event CommitterChanged(address indexed operator, address indexed committer, uint64 effectiveSlot);
    event Unregistered(address indexed operator, uint64 exitSlot, uint64 withdrawableSlot);
    event Withdrawn(address indexed operator, uint256 amount);
    event SlasherSet(address indexed slasher);
    event Slashed(
        address indexed operator,
        address indexed user,
        uint256 userPaid,
        address indexed watcher,
        uint256 watcherPaid,
        uint256 collateralLeft
    );
    /// @notice A payment that could not be pushed is kept for `claim()`.
    event PaymentOwed(address indexed account, uint256 amount);

    // ---- writes ----

    /// @notice Registers msg.sender as an operator with `pubkeys` and `msg.value` collateral.
    /// @param pubkeys validator keys, each the 128-byte EIP-2537 encoding of a G1 point.
    /// @param signatures proofs of possession, each a 256-byte EIP-2537 G2 point: the BLS
    ///        signature (POP ciphersuite) by that key over `popMessage(msg.sender)`.
    /// @param committer address whose ECDSA signatures bind the operator, from this slot on.
    function register(bytes[] calldata pubkeys, bytes[] calldata signatures, address committer) external payable;

    /// @notice Binds more validator keys to an active operator (same proof of possession).
    function addKeys(bytes[] calldata pubkeys, bytes[] calldata signatures) external;

    /// @notice Adds msg.value to the caller's collateral (registered or exiting).
    function deposit() external payable;

    /// @notice Names a new committer; it takes effect `rotationDelay` slots from now.
    function setCommitter(address committer) external;

    /// @notice Starts the exit; withdraw() works `unregistrationDelay` slots later.
    function unregister() external;

    /// @notice Pays the caller's remaining collateral once the exit delay is over.
    function withdraw() external;

    /// @notice Pays out what a failed push left owed to msg.sender.
    function claim() external;

    /// @notice Only the Slasher: takes up to userAmount then watcherAmount from the
    ///         operator's collateral, user first, and pays them out.
    /// @return userPaid wei paid to the user; watcherPaid wei paid to the watcher.
    function slash(address operator, address user, uint256 userAmount, address watcher, uint256 watcherAmount)
        external
        returns (uint256 userPaid, uint256 watcherPaid);

    // ---- views ----

    /// @notice The operator a 48-byte compressed BLS key is bound to (zero if none).
    function operatorOf(bytes calldata compressedPubkey) external view returns (address);

    /// @notice The committer in effect for `operator` at `slot` (zero before registration).
    function committerAt(address operator, uint64 slot) external view returns (address);

    /// @notice The collateral left to slash.
    function collateralOf(address operator) external view returns (uint256);

    /// @notice The operator's lifecycle, keys, collateral and exit slots.
    function status(address operator) external view returns (Status memory);

    /// @notice The slot of the current block.
    function currentSlot() external view returns (uint64);

    /// @notice The bytes every proof of possession signs for `operator`:
    ///         abi.encodePacked(bytes32("pledge.registry.pop.v1"), block.chainid, address(this), operator).
    function popMessage(address operator) external view returns (bytes memory);
}
