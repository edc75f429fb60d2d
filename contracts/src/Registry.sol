// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IRegistry} from "./IRegistry.sol";
import {BLS12381} from "./lib/BLS12381.sol";

/// @title Registry — Pledge operators, their validator keys, committer and ETH collateral.
/// @notice Keys are passed in the uncompressed EIP-2537 G1 encoding (128 bytes) because the
///         pairing precompile needs them so; the registry indexes them by
///         keccak256(48-byte compressed key), the form validators and relays use, computed
///         on-chain from the uncompressed point. A key registered once, to any operator, can
///         never be registered again (even after its operator withdrew).
///         The Slasher is set once, after deployment, by the deployer (`initSlasher`): the
///         Slasher's constructor wants the Registry's address, so one of the two must come
///         second, and a one-shot setter is simpler to audit than CREATE address prediction.
///         Slashing works while collateral is left (registered or exiting); the exit delay
///         `unregistrationDelay` must exceed the Slasher's slash window so every promise of
///         an exiting operator can still be judged before it withdraws.
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
        uint96 collateral;
    }

    bytes32 private constant POP_TAG = "pledge.registry.pop.v1";
    /// @dev Gas forwarded when pushing a slash payment; a recipient that needs more (or
    ///      reverts) gets the amount credited for `claim()`, so it cannot block a slash.
    uint256 private constant PUSH_GAS = 50_000;

    /// @notice Least collateral, in wei, that `register` accepts.
    uint256 public immutable minCollateral;
    /// @notice Timestamp of slot 0.
    uint64 public immutable genesisTime;
    uint64 public immutable secondsPerSlot;
    /// @notice Slots between setCommitter and the new committer taking effect.
    uint64 public immutable rotationDelay;
    /// @notice Slots between unregister and withdraw.
    uint64 public immutable unregistrationDelay;
    /// @notice The account allowed to call initSlasher once.
    address public immutable deployer;

    /// @notice The only account allowed to slash (zero until initSlasher).
    address public slasher;
    /// @notice The operator each key is bound to, by keccak256(compressed key).
    mapping(bytes32 keyHash => address operator) public operatorOfHash;
    /// @notice Slash payments that could not be pushed, waiting for claim().
    mapping(address account => uint256 amount) public owed;

    mapping(address operator => Operator) private operators;
    /// @dev Committer bindings per operator, index 0..checkpoints-1, fromSlot strictly increasing.
    mapping(address operator => mapping(uint256 index => Checkpoint)) private committerHistory;

    constructor(
        uint256 minCollateral_,
        uint64 genesisTime_,
        uint64 secondsPerSlot_,
        uint64 rotationDelay_,
        uint64 unregistrationDelay_
    ) {
        require(secondsPerSlot_ > 0, "secondsPerSlot is zero");
        minCollateral = minCollateral_;
        genesisTime = genesisTime_;
        secondsPerSlot = secondsPerSlot_;
        rotationDelay = rotationDelay_;
        unregistrationDelay = unregistrationDelay_;
        deployer = msg.sender;
    }

    /// @notice Names the Slasher, once; only the deployer.
    function initSlasher(address slasher_) external {
        if (msg.sender != deployer) revert NotDeployer(msg.sender);
        if (slasher != address(0)) revert SlasherAlreadySet(slasher);
        if (slasher_ == address(0)) revert ZeroAddress();
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
        uint64 effective = currentSlot() + rotationDelay;
        uint32 n = op.checkpoints;
        // The delay is constant, so a new binding never starts before the last one.
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
    function unregister() external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Registered) revert NotActive(msg.sender);
        uint64 slot = currentSlot();
        op.state = State.Exiting;
        op.exitSlot = slot;
        emit Unregistered(msg.sender, slot, slot + unregistrationDelay);
    }

    /// @inheritdoc IRegistry
    function withdraw() external {
        Operator storage op = operators[msg.sender];
        if (op.state != State.Exiting) revert NotRegistered(msg.sender);
        uint64 slot = currentSlot();
        uint64 withdrawableSlot = op.exitSlot + unregistrationDelay;
        if (slot < withdrawableSlot) revert DelayNotOver(slot, withdrawableSlot);
        uint256 amount = op.collateral;
        op.collateral = 0;
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
    function slash(address operator, address user, uint256 userAmount, address watcher, uint256 watcherAmount)
        external
        returns (uint256 userPaid, uint256 watcherPaid)
    {
        if (msg.sender != slasher || msg.sender == address(0)) revert NotSlasher(msg.sender);
        Operator storage op = operators[operator];
        uint256 left = op.collateral;
        userPaid = userAmount < left ? userAmount : left;
        left -= userPaid;
        watcherPaid = watcherAmount < left ? watcherAmount : left;
        left -= watcherPaid;
        op.collateral = uint96(left);
        emit Slashed(operator, user, userPaid, watcher, watcherPaid, left);
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
        mapping(uint256 => Checkpoint) storage cps = committerHistory[operator];
        uint256 lo = 0;
        uint256 hi = operators[operator].checkpoints; // find the last index with fromSlot <= slot
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (cps[mid].fromSlot <= slot) lo = mid + 1;
            else hi = mid;
        }
        return lo == 0 ? address(0) : cps[lo - 1].committer;
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
