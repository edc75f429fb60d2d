// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IRegistry} from "./IRegistry.sol";
import {BLS12381} from "./lib/BLS12381.sol";
import {LedgerTree} from "./lib/LedgerTree.sol";

/// @notice The Slasher parameters the Registry must agree with (checked in initSlasher).
interface ISlasherParams {
    function registry() external view returns (IRegistry);
    function genesisTime() external view returns (uint64);
    function secondsPerSlot() external view returns (uint64);
    function slashWindow() external view returns (uint64);
}

/// @title Registry — Pledge operators, their validator keys, committer and ETH collateral.
/// @notice Keys are passed in the uncompressed EIP-2537 G1 encoding (128 bytes) because the
///         pairing precompile needs them so; the registry indexes them by
///         keccak256(48-byte compressed key), the form validators and relays use, computed
///         on-chain from the uncompressed point. A key registered once, to any operator, can
///         never be registered again (even after its operator withdrew).
///         The Slasher is set once, after deployment, by the deployer (`initSlasher`): the
///         Slasher's constructor wants the Registry's address, so one of the two must come
///         second, and a one-shot setter is simpler to audit than CREATE address prediction.
///
///         Collateral is split in two. *Reserved* collateral belongs to slot ledgers: for
///         each slot it sold promises for, the operator's committer opens a ledger (the
///         promises' digests and slash amounts, at most `ledgerGrace` slots after the slot)
///         and the Registry reserves their total; a ledger's reservation pays only its own
///         promises, each at most its leaf, so no one (the operator included) can take it
///         from them. *Free* collateral backs the next ledgers and is what withdraw() pays
///         out. docs/protocol.md §9.0 argues the design.

contract Registry is IRegistry {
    /// @notice One committer binding: `committer` signs for slots >= `fromSlot` (until the next).
    struct Checkpoint {
        uint64 fromSlot;
        address committer;
    }

    /// @dev One storage slot (29 bytes): registration writes as few fresh slots as it can.
    ///      uint96 wei is ~79 billion ETH. The registration slot is the first checkpoint's.
    struct Operator {
        State state; // None, Registered, Exiting or Withdrawn (Withdrawable is derived)
        uint32 keys;
        uint32 checkpoints; // committer bindings, in `committerHistory`
        uint64 exitSlot;
        uint96 collateral; // reserved + free
        uint96 reserved; // held by open ledgers
    }

    /// @notice The constructor's parameters (docs/protocol.md §10).
    struct Config {
        uint256 minCollateral;
        uint64 genesisTime;
        uint64 secondsPerSlot;
        uint64 lookahead; // slots ahead of the current one the sidecar may sell
        uint64 rotationDelay; // > lookahead: no sold promise changes signer or is voided by an exit
        uint64 unregistrationDelay; // > slashWindow: withdraw comes after every window closed
        uint64 slashWindow; // the Slasher's; <= 8191 (EIP-2935 history)
        uint64 ledgerGrace; // < slashWindow
    }

    bytes32 private constant POP_TAG = "pledge.registry.pop.v1";
    /// @dev Gas forwarded when pushing a slash payment; a recipient that needs more (or
    ///      reverts) gets the amount credited for `claim()`, so it cannot block a slash.
    uint256 private constant PUSH_GAS = 50_000;
    uint256 private constant BPS = 10_000;
    /// @dev EIP-2935 serves the last 8191 block hashes; a slot's header must stay anchorable.
    uint64 private constant MAX_SLASH_WINDOW = 8191;

    /// @notice Least collateral, in wei, that `register` accepts.
    uint256 public immutable minCollateral;
    /// @notice Timestamp of slot 0.
    uint64 public immutable genesisTime;
    uint64 public immutable secondsPerSlot;
    /// @notice Slots ahead of the current one that promises may be sold for.
    uint64 public immutable lookahead;
    /// @notice Slots between setCommitter (or unregister) and it taking effect.
    uint64 public immutable rotationDelay;
    /// @notice Slots between the exit slot and withdraw.
    uint64 public immutable unregistrationDelay;
    /// @inheritdoc IRegistry
    uint64 public immutable slashWindow;
    /// @inheritdoc IRegistry
    uint64 public immutable ledgerGrace;
    /// @notice The account allowed to call initSlasher once.
    address public immutable deployer;

    /// @notice The only account allowed to slash (zero until initSlasher).
    address public slasher;
    /// @notice The operator each key is bound to, by keccak256(compressed key).
    mapping(bytes32 keyHash => address operator) public operatorOfHash;
    /// @notice Slash payments that could not be pushed, waiting for claim().
    mapping(address account => uint256 amount) public owed;
    /// @notice Wei burnt by slashes: kept by this contract forever, paid to no one.
    uint256 public burned;
    /// @notice Committer keys an operator revoked (revokeCommitter).
    mapping(address operator => mapping(address committer => bool)) public revoked;

    mapping(address operator => Operator) private operators;
    /// @dev Committer bindings per operator, index 0..checkpoints-1, fromSlot strictly increasing.
    mapping(address operator => mapping(uint256 index => Checkpoint)) private committerHistory;
    mapping(address operator => mapping(uint64 slot => Ledger)) private ledgers;

    constructor(Config memory cfg) {
        if (cfg.secondsPerSlot == 0) revert InvalidConfig("secondsPerSlot is zero");
        if (cfg.lookahead == 0) revert InvalidConfig("lookahead is zero");
        if (cfg.rotationDelay <= cfg.lookahead) revert InvalidConfig("rotationDelay must exceed lookahead");
        if (cfg.ledgerGrace == 0) revert InvalidConfig("ledgerGrace is zero");
        if (cfg.slashWindow <= cfg.ledgerGrace) revert InvalidConfig("slashWindow must exceed ledgerGrace");
        if (cfg.slashWindow > MAX_SLASH_WINDOW) revert InvalidConfig("slashWindow above 8191");
        if (cfg.unregistrationDelay <= cfg.slashWindow) {
            revert InvalidConfig("unregistrationDelay must exceed slashWindow");
        }
        minCollateral = cfg.minCollateral;
        genesisTime = cfg.genesisTime;
        secondsPerSlot = cfg.secondsPerSlot;
        lookahead = cfg.lookahead;
        rotationDelay = cfg.rotationDelay;
        unregistrationDelay = cfg.unregistrationDelay;
        slashWindow = cfg.slashWindow;
        ledgerGrace = cfg.ledgerGrace;
        deployer = msg.sender;
    }

    /// @notice Names the Slasher, once; only the deployer. The Slasher must judge this
    ///         Registry on the same clock and slash window.
    function initSlasher(address slasher_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender);
        if (slasher != address(0)) revert SlasherAlreadySet(slasher);
        if (slasher_ == address(0)) revert ZeroAddress();
        ISlasherParams s = ISlasherParams(slasher_);
        if (address(s.registry()) != address(this)) revert SlasherMismatch("registry");
        if (s.genesisTime() != genesisTime) revert SlasherMismatch("genesisTime");
        if (s.secondsPerSlot() != secondsPerSlot) revert SlasherMismatch("secondsPerSlot");
        if (s.slashWindow() != slashWindow) revert SlasherMismatch("slashWindow");
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    /// @inheritdoc IRegistry
    function register(bytes[] calldata pubkeys, bytes[] calldata signatures, address committer)
        external
        payable
    {
        Operator storage op = operators[msg.sender];
        if (op.state != State.None) revert AlreadyRegistered(msg.sender);
        if (msg.value < minCollateral) revert NotEnoughCollateral(msg.value, minCollateral);
        if (committer == address(0)) revert ZeroCommitter();
        uint64 slot = currentSlot();

        op.state = State.Registered;
        op.collateral = _toCollateral(msg.value);
        op.checkpoints = 1;
        committerHistory[msg.sender][0] = Checkpoint(slot, committer);
        _addKeys(op, pubkeys, signatures);

        emit OperatorRegistered(msg.sender, committer, msg.value, slot);
        emit CommitterChanged(msg.sender, committer, slot);
    }

    /// @inheritdoc IRegistry
    function addKeys(bytes[] calldata pubkeys, bytes[] calldata signatures) external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Registered) revert NotActive(msg.sender);
        _addKeys(op, pubkeys, signatures);
    }

    /// @inheritdoc IRegistry
    function deposit() external payable {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Registered && op.state != State.Exiting) revert NotRegistered(msg.sender);
        op.collateral = _toCollateral(op.collateral + msg.value);
        emit CollateralDeposited(msg.sender, msg.value, op.collateral);
    }

    /// @inheritdoc IRegistry
    /// @dev Allowed while exiting too: a leaked committer key must be replaceable until the end.
    function setCommitter(address committer) external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Registered && op.state != State.Exiting) revert NotRegistered(msg.sender);
        if (committer == address(0)) revert ZeroCommitter();
        if (revoked[msg.sender][committer]) revert RevokedCommitter(committer);
        uint64 effective = currentSlot() + rotationDelay;
        uint32 n = op.checkpoints;
        // The delay is constant and nonzero, so a new binding never starts before the last
        // one, and an overwrite only ever replaces a binding not yet in effect.
        Checkpoint storage last = committerHistory[msg.sender][n - 1];
        if (last.fromSlot == effective) {
            last.committer = committer;
        } else {
            committerHistory[msg.sender][n] = Checkpoint(effective, committer);
            op.checkpoints = n + 1;
        }
        emit CommitterChanged(msg.sender, committer, effective);
    }

    /// @inheritdoc IRegistry
    function revokeCommitter(address committer) external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Registered && op.state != State.Exiting) revert NotRegistered(msg.sender);
        if (committer == address(0)) revert ZeroCommitter();
        revoked[msg.sender][committer] = true;
        emit CommitterRevoked(msg.sender, committer, currentSlot());
    }

    /// @inheritdoc IRegistry
    /// @dev The exit slot is `rotationDelay` (> lookahead) ahead: every promise already sold
    ///      is for an earlier slot, so an exit never voids one.
    function unregister() external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Registered) revert NotActive(msg.sender);
        uint64 exitSlot = currentSlot() + rotationDelay;
        op.state = State.Exiting;
        op.exitSlot = exitSlot;
        emit Unregistered(msg.sender, exitSlot, exitSlot + unregistrationDelay);
    }

    /// @inheritdoc IRegistry
    function openLedger(address operator, uint64 slot, address poster, bytes calldata leaves) external {
        Operator storage op = operators[operator];
        if (op.state != State.Registered && op.state != State.Exiting) revert NotRegistered(operator);
        if (op.state == State.Exiting && slot >= op.exitSlot) revert LedgerAfterExit(slot, op.exitSlot);
        address committer = committerAt(operator, slot);
        if (committer == address(0) || msg.sender != committer) revert NotCommitter(msg.sender, committer);
        uint64 now_ = currentSlot();
        if (now_ < slot) revert LedgerTooEarly(slot, now_);
        if (now_ - slot > ledgerGrace) revert LedgerTooLate(slot, now_);
        Ledger storage l = ledgers[operator][slot];
        if (l.count != 0) revert LedgerExists(slot);

        uint256 n = leaves.length / LedgerTree.LEAF_BYTES;
        if (n == 0 || n * LedgerTree.LEAF_BYTES != leaves.length || n > LedgerTree.MAX_LEAVES) {
            revert MalformedLedger();
        }
        bytes32[] memory level = new bytes32[](n);
        uint256 total;
        bytes32 prev;
        for (uint256 i; i < n; ++i) {
            uint256 off = i * LedgerTree.LEAF_BYTES;
            bytes32 digest = bytes32(leaves[off:off + 32]);
            // Strictly ascending: one leaf per promise, and absence is provable by neighbours.
            if (i > 0 && digest <= prev) revert LedgerNotSorted(i);
            prev = digest;
            uint96 amount = uint96(bytes12(leaves[off + 32:off + 44]));
            total += amount;
            level[i] = LedgerTree.leaf(digest, amount);
        }
        uint256 free = op.collateral - op.reserved;
        if (total > free) revert NotEnoughFreeCollateral(total, free);
        bytes32 root = LedgerTree.root(level);
        op.reserved += uint96(total); // total <= free < 2^96
        l.root = root;
        l.committer = committer;
        l.count = uint32(n);
        l.poster = poster;
        l.left = uint96(total);
        emit LedgerOpened(operator, slot, committer, poster, root, uint32(n), uint96(total), leaves);
    }

    /// @inheritdoc IRegistry
    function release(address operator, uint64[] calldata slots) external {
        Operator storage op = operators[operator];
        uint64 now_ = currentSlot();
        for (uint256 i; i < slots.length; ++i) {
            uint64 slot = slots[i];
            Ledger storage l = ledgers[operator][slot];
            if (l.count == 0) revert NoLedger(slot);
            if (uint256(now_) <= uint256(slot) + slashWindow) revert LedgerNotExpired(slot, now_);
            if (l.released) continue;
            uint96 left = l.left;
            l.released = true;
            l.left = 0;
            // withdraw() already zeroed the reservation and paid the collateral out.
            if (op.state != State.Withdrawn) op.reserved -= left;
            emit LedgerReleased(operator, slot, left);
        }
    }

    /// @inheritdoc IRegistry
    function withdraw() external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Exiting) revert NotRegistered(msg.sender);
        uint64 slot = currentSlot();
        uint64 withdrawableSlot = op.exitSlot + unregistrationDelay;
        if (slot < withdrawableSlot) revert DelayNotOver(slot, withdrawableSlot);
        // Every ledger is for a slot before the exit slot, so its window closed: nothing
        // is reserved for a promise that can still be slashed.
        uint256 amount = op.collateral;
        op.collateral = 0;
        op.reserved = 0;
        op.state = State.Withdrawn;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @inheritdoc IRegistry
    function claim() external {
        uint256 amount = owed[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        owed[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    /// @inheritdoc IRegistry
    /// @dev `amount` is capped at what the ledger holds (< 2^96) before any product, so no
    ///      slash can revert on arithmetic. The Slasher never asks more than the promise's leaf.
    function slash(
        address operator,
        uint64 slot,
        uint256 amount,
        address user,
        uint256 userBps,
        address watcher,
        uint256 burnBps
    ) external returns (uint256 taken, uint256 userPaid) {
        if (msg.sender != slasher || msg.sender == address(0)) revert NotSlasher(msg.sender);
        Operator storage op = operators[operator];
        Ledger storage l = ledgers[operator][slot];
        uint96 left = l.left;
        taken = amount < left ? amount : left;
        l.left = left - uint96(taken);
        op.reserved -= uint96(taken);
        op.collateral -= uint96(taken);
        userPaid = taken * userBps / BPS;
        uint256 burnt = taken * burnBps / BPS;
        uint256 watcherPaid = taken - userPaid - burnt; // the Slasher keeps userBps + burnBps <= BPS
        burned += burnt;
        emit Slashed(operator, user, userPaid, watcher, watcherPaid, burnt, op.collateral);
        _pay(user, userPaid);
        _pay(watcher, watcherPaid);
    }

    // ---- views ----

    /// @inheritdoc IRegistry
    function operatorOf(bytes calldata compressedPubkey) external view returns (address) {
        return operatorOfHash[keccak256(compressedPubkey)];
    }

    /// @inheritdoc IRegistry
    /// @dev Binary search: the operator controls the history's length, and a long one must
    ///      not make an old promise too expensive to judge.
    function committerAt(address operator, uint64 slot) public view returns (address) {
        Operator storage op = operators[operator];
        if (op.state != State.Registered && op.state != State.None && slot >= op.exitSlot) return address(0);
        mapping(uint256 => Checkpoint) storage cps = committerHistory[operator];
        uint256 lo = 0;
        uint256 hi = op.checkpoints; // find the last index with fromSlot <= slot
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (cps[mid].fromSlot <= slot) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return address(0);
        address c = cps[lo - 1].committer;
        return revoked[operator][c] ? address(0) : c;
    }

    /// @inheritdoc IRegistry
    function ledgerOf(address operator, uint64 slot) external view returns (Ledger memory) {
        return ledgers[operator][slot];
    }

    /// @inheritdoc IRegistry
    function freeCollateral(address operator) external view returns (uint256) {
        Operator storage op = operators[operator];
        return op.collateral - op.reserved;
    }

    /// @notice Every committer binding of `operator`, oldest first.
    function committers(address operator) external view returns (Checkpoint[] memory list) {
        uint256 n = operators[operator].checkpoints;
        list = new Checkpoint[](n);
        for (uint256 i = 0; i < n; ++i) {
            list[i] = committerHistory[operator][i];
        }
    }

    /// @inheritdoc IRegistry
    function collateralOf(address operator) external view returns (uint256) {
        return operators[operator].collateral;
    }

    /// @inheritdoc IRegistry
    function status(address operator) external view returns (Status memory s) {
        Operator storage op = operators[operator];
        s.state = op.state;
        s.keys = op.keys;
        s.collateral = op.collateral;
        s.reserved = op.reserved;
        s.exitSlot = op.exitSlot;
        if (op.state == State.None) return s;
        s.registeredSlot = committerHistory[operator][0].fromSlot;
        uint64 slot = currentSlot();
        s.committer = committerAt(operator, slot);
        if (op.state == State.Exiting || op.state == State.Withdrawn) {
            s.withdrawableSlot = op.exitSlot + unregistrationDelay;
            if (op.state == State.Exiting && slot >= s.withdrawableSlot) s.state = State.Withdrawable;
        }
    }

    /// @inheritdoc IRegistry
    function currentSlot() public view returns (uint64) {
        if (block.timestamp < genesisTime) revert BeforeGenesis(block.timestamp, genesisTime);
        return uint64((block.timestamp - genesisTime) / secondsPerSlot);
    }

    /// @inheritdoc IRegistry
    function popMessage(address operator) public view returns (bytes memory) {
        return abi.encodePacked(POP_TAG, block.chainid, address(this), operator);
    }

    // ---- internals ----

    /// @dev Checks each key's proof of possession and binds it to the operator (msg.sender).
    ///      Every key signs the same message, so it is hashed to G2 once per call: one
    ///      pairing check per key is all that remains.
    function _addKeys(Operator storage op, bytes[] calldata pubkeys, bytes[] calldata signatures) private {
        if (pubkeys.length == 0) revert NoKeys();
        if (pubkeys.length != signatures.length) revert LengthMismatch(pubkeys.length, signatures.length);
        bytes memory h = BLS12381.hashToG2(popMessage(msg.sender), BLS12381.POP_DST);
        for (uint256 i = 0; i < pubkeys.length; ++i) {
            bytes memory pk = pubkeys[i];
            if (!BLS12381.isG1Encoding(pk)) revert BadPublicKey(i);
            if (signatures[i].length != 256) revert BadSignature(i);
            bytes memory compressed = BLS12381.compressG1(pk);
            bytes32 keyHash = keccak256(compressed);
            address holder = operatorOfHash[keyHash];
            if (holder != address(0)) revert KeyAlreadyRegistered(keyHash, holder);
            if (!BLS12381.verify(pk, h, signatures[i])) revert BadProofOfPossession(i);
            operatorOfHash[keyHash] = msg.sender;
            emit KeyRegistered(msg.sender, keyHash, compressed);
        }
        op.keys += uint32(pubkeys.length);
    }

    /// @dev Collateral is kept as uint96 to fit the operator's record in one slot.
    function _toCollateral(uint256 amount) private pure returns (uint96) {
        if (amount > type(uint96).max) revert CollateralOverflow(amount);
        return uint96(amount);
    }

    /// @dev Pushes `amount` to `to` with bounded gas, or credits it for claim().
    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = to.call{value: amount, gas: PUSH_GAS}("");
        if (!ok) {
            owed[to] += amount;
            emit PaymentOwed(to, amount);
        }
    }
}
