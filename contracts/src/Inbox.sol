// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title Inbox — the based rollups' batch inbox.
/// @notice Anyone posts L2 transactions for one or more rollups in one call; the batches of
///         one call land together or not at all, which is what makes cross-rollup promises
///         atomic. The raw transactions stay in calldata (rollup nodes read them from the
///         call and follow the BatchPosted events); the contract keeps, per (rollup chain id,
///         slot), a running hash and a count, enough for the Slasher to judge an L2 inclusion
///         promise from an ordered list of tx hashes:
///             acc_0 = 0x00..00,  acc_i = keccak256(acc_{i-1} ‖ keccak256(rawTx_i))
///         over every L2 tx one poster (msg.sender) posted for that chain in that slot, in
///         posting order, across calls. Records are kept per poster so that no one can
///         lengthen the evidence against another poster's batch, and one poster's record
///         holds at most MAX_TXS_PER_SLOT txs, so L2-inclusion evidence (one hash per tx)
///         always fits far inside one transaction.
///         The slot is derived from block.timestamp, never supplied by the caller:
///             slot = (block.timestamp - genesisTime) / secondsPerSlot.
///
///         Encoding of `post`'s argument, a concatenation of one or more rollup batches
///         (big-endian integers, no padding):
///             batch = chainId:uint64 ‖ txCount:uint16 ‖ tx × txCount
///             tx    = length:uint24 ‖ rawTx:bytes[length]
///         rawTx is the L2 transaction in its network (EIP-2718) encoding, as hashed by the
///         rollup. Refused (the whole call reverts): an empty argument, a batch with no tx, a
///         tx of length 0, and any truncated header or tx (Malformed names the byte offset).
///         The same chain id may appear more than once; its txs are appended in order.
contract Inbox {
    /// @notice The record of one rollup in one slot.
    struct Batch {
        bytes32 acc; // running hash of the tx hashes, see above
        uint32 count; // txs posted
    }

    error EmptyPost();
    error EmptyBatch(uint64 chainId, uint256 offset);
    error EmptyTx(uint64 chainId, uint256 offset);
    error Malformed(uint256 offset);
    error BeforeGenesis(uint256 timestamp, uint256 genesisTime);
    error SlotFull(uint64 chainId, uint64 slot, uint256 count);

    /// @notice Most L2 txs one poster may post for one rollup in one slot.
    uint32 public constant MAX_TXS_PER_SLOT = 1024;

    /// @notice One rollup batch landed: `txCount` txs for `chainId` in `slot`; `total` and
    ///         `acc` are the poster's record for the slot after it.
    event BatchPosted(
        uint64 indexed chainId, uint64 indexed slot, address indexed poster, uint32 txCount, uint32 total, bytes32 acc
    );

    /// @notice Timestamp of slot 0 (same clock as the Registry and the Slasher).
    uint64 public immutable genesisTime;
    uint64 public immutable secondsPerSlot;

    mapping(uint64 chainId => mapping(uint64 slot => mapping(address poster => Batch))) private batches;

    constructor(uint64 genesisTime_, uint64 secondsPerSlot_) {
        require(secondsPerSlot_ > 0, "secondsPerSlot is zero");
        genesisTime = genesisTime_;
        secondsPerSlot = secondsPerSlot_;
    }

    /// @notice Posts the rollup batches encoded in `data` (format in the contract's notice).
    function post(bytes calldata data) external {
        uint256 n = data.length;
        if (n == 0) revert EmptyPost();
        uint64 slot = currentSlot();
        uint256 off = 0;
        while (off < n) {
            if (n - off < 10) revert Malformed(off);
            uint64 chainId = uint64(bytes8(data[off:off + 8]));
            uint256 txCount = uint16(bytes2(data[off + 8:off + 10]));
            if (txCount == 0) revert EmptyBatch(chainId, off);
            off += 10;

            Batch storage b = batches[chainId][slot][msg.sender];
            if (uint256(b.count) + txCount > MAX_TXS_PER_SLOT) revert SlotFull(chainId, slot, b.count);
            bytes32 acc = b.acc;
            for (uint256 k = 0; k < txCount; ++k) {
                if (n - off < 3) revert Malformed(off);
                uint256 len = uint24(bytes3(data[off:off + 3]));
                if (len == 0) revert EmptyTx(chainId, off);
                off += 3;
                if (n - off < len) revert Malformed(off);
                assembly ("memory-safe") {
                    // Hash the tx in free memory without allocating: it is dead after this.
                    let ptr := mload(0x40)
                    calldatacopy(ptr, add(data.offset, off), len)
                    mstore(0x00, acc)
                    mstore(0x20, keccak256(ptr, len))
                    acc := keccak256(0x00, 0x40)
                }
                off += len;
            }
            uint32 total = b.count + uint32(txCount);
            b.acc = acc;
            b.count = total;
            emit BatchPosted(chainId, slot, msg.sender, uint32(txCount), total, acc);
        }
    }

    /// @notice The record of `poster` for `chainId` in `slot`: zero hash and count when it
    ///         posted nothing.
    function batchOf(uint64 chainId, uint64 slot, address poster) external view returns (bytes32 acc, uint32 count) {
        Batch storage b = batches[chainId][slot][poster];
        return (b.acc, b.count);
    }

    /// @notice The slot of the current block.
    function currentSlot() public view returns (uint64) {
        if (block.timestamp < genesisTime) revert BeforeGenesis(block.timestamp, genesisTime);
        return uint64((block.timestamp - genesisTime) / secondsPerSlot);
    }
}
