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
        uint256 collateral; // wei left to slash (reserved + free)
        uint64 registeredSlot; // slot of register()
        uint64 exitSlot; // first slot no promise is valid for, 0 while registered
        uint64 withdrawableSlot; // first slot withdraw() succeeds, 0 while registered
        address committer; // committer in effect at the current slot (zero if revoked)
        uint256 reserved; // collateral held by open ledgers, paid only to their promises
    }

    /// @notice The on-chain record of what an operator sold for one slot (docs/protocol.md §9.0).
    ///         `root` is the Merkle root of the ledger's leaves, computed by the Registry;
    ///         `left` is what its promises can still be paid; `committer` opened it.
    struct Ledger {
        bytes32 root;
        address committer;
        uint32 count; // leaves; zero: no ledger
        bool released; // the slash window passed and `left` went back to the free collateral
        address poster; // the account whose Inbox batches hold the slot's L2 promises
        uint96 left;
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
    error InvalidConfig(string reason);
    error SlasherMismatch(string parameter);
    error NotCommitter(address caller, address committer);
    error RevokedCommitter(address committer);
    error LedgerExists(uint64 slot);
    error LedgerTooEarly(uint64 slot, uint64 currentSlot);
    error LedgerTooLate(uint64 slot, uint64 currentSlot);
    error LedgerAfterExit(uint64 slot, uint64 exitSlot);
    error MalformedLedger();
    error LedgerNotSorted(uint256 index);
    error NotEnoughFreeCollateral(uint256 needed, uint256 free);
    error LedgerNotExpired(uint64 slot, uint64 currentSlot);
    error NoLedger(uint64 slot);

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
        uint256 burned,
        uint256 collateralLeft
    );
    /// @notice A ledger for `slot` was opened: `leaves` is its packed list (digest ‖ uint96
    ///         amount, 44 bytes each, digests ascending), so anyone can rebuild every proof.
    event LedgerOpened(
        address indexed operator,
        uint64 indexed slot,
        address committer,
        address poster,
        bytes32 root,
        uint32 count,
        uint96 total,
        bytes leaves
    );
    /// @notice A ledger past its slash window gave `amount` back to the free collateral.
    event LedgerReleased(address indexed operator, uint64 indexed slot, uint96 amount);
    /// @notice `committer` can no longer open ledgers nor back unledgered promises.
    event CommitterRevoked(address indexed operator, address indexed committer, uint64 slot);
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

    /// @notice Emergency: revokes `committer` at once, for every slot. It can open no more
    ///         ledgers nor stand as the second promise of an equivocation; ledgers it opened
    ///         before stay (their collateral is already reserved for their promises). If it
    ///         is the committer now or later, the operator has none until a new
    ///         `setCommitter` takes effect.
    function revokeCommitter(address committer) external;

    /// @notice Starts the exit. Promises for slots from `currentSlot + rotationDelay` (the
    ///         exit slot) on are void, so none already sold is voided; withdraw() works
    ///         `unregistrationDelay` slots after the exit slot.
    function unregister() external;

    /// @notice Only the operator's committer for `slot` (not revoked): records what it sold
    ///         for `slot` and reserves their total from the free collateral. `leaves` packs,
    ///         per promise, its digest (the commitment signing root) and its slashAmount as uint96 (44 bytes),
    ///         digests strictly ascending. Allowed from `slot` to `slot + ledgerGrace`, once.
    ///         `poster` names the account whose Inbox batches carry the slot's L2 promises.
    function openLedger(address operator, uint64 slot, address poster, bytes calldata leaves) external;

    /// @notice Gives back to the free collateral what the ledgers of `slots` still reserve,
    ///         once their slash window is over. Anyone may call it.
    function release(address operator, uint64[] calldata slots) external;

    /// @notice Pays the caller's remaining collateral once the exit delay is over.
    function withdraw() external;

    /// @notice Pays out what a failed push left owed to msg.sender.
    function claim() external;

    /// @notice Only the Slasher: takes up to `amount` for a promise of `slot` from that slot's
    ///         ledger reservation and splits it: `userBps` to the user, `burnBps` burnt (kept
    ///         here forever), the rest to the watcher.
    /// @return taken wei taken from the collateral; userPaid wei paid to the user.
    function slash(
        address operator,
        uint64 slot,
        uint256 amount,
        address user,
        uint256 userBps,
        address watcher,
        uint256 burnBps
    ) external returns (uint256 taken, uint256 userPaid);

    // ---- views ----

    /// @notice Slots after a promise's slot during which its ledger may be opened.
    function ledgerGrace() external view returns (uint64);

    /// @notice Slots after a promise's slot during which evidence is taken (the Slasher's).
    function slashWindow() external view returns (uint64);

    /// @notice The operator a 48-byte compressed BLS key is bound to (zero if none).
    function operatorOf(bytes calldata compressedPubkey) external view returns (address);

    /// @notice The committer in effect for `operator` at `slot`: zero before registration,
    ///         from the exit slot on, and when the key in effect was revoked.
    function committerAt(address operator, uint64 slot) external view returns (address);

    /// @notice The ledger of `operator` for `slot` (count zero: none opened).
    function ledgerOf(address operator, uint64 slot) external view returns (Ledger memory);

    /// @notice Collateral not reserved by any ledger: what new ledgers can reserve.
    function freeCollateral(address operator) external view returns (uint256);

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
