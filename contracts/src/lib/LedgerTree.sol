// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title LedgerTree — the Merkle tree over a slot ledger's leaves (docs/protocol.md §9.0).
/// @notice leaf_i = keccak256(digest_i ‖ uint96 amount_i) (44 bytes), node = keccak256(left ‖ right)
///         (64 bytes; the lengths keep leaves and nodes apart). Levels are built left to right;
///         an odd last node is carried up unchanged. A proof is bound to the leaf's index and
///         the ledger's leaf count, so two leaves can never claim one position.
library LedgerTree {
    /// @dev Most leaves a ledger may hold: proofs stay at most 16 hashes.
    uint256 internal constant MAX_LEAVES = 1 << 16;
    /// @dev Bytes per packed leaf: digest (32) ‖ amount (uint96, 12).
    uint256 internal constant LEAF_BYTES = 44;

    function leaf(bytes32 digest, uint96 amount) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(digest, amount));
    }

    /// @dev Reduces `level` (the leaf hashes, overwritten) to the root.
    function root(bytes32[] memory level) internal pure returns (bytes32) {
        uint256 n = level.length;
        while (n > 1) {
            uint256 m;
            for (uint256 i; i < n; i += 2) {
                level[m++] = i + 1 < n ? _node(level[i], level[i + 1]) : level[i];
            }
            n = m;
        }
        return level[0];
    }

    /// @dev Whether `leafHash` sits at `index` of a tree of `count` leaves with root `root_`.
    function verify(bytes32 root_, uint256 count, uint256 index, bytes32 leafHash, bytes32[] calldata proof)
        internal
        pure
        returns (bool)
    {
        if (index >= count || proof.length > 16) return false;
        bytes32 h = leafHash;
        uint256 k;
        uint256 n = count;
        while (n > 1) {
            if (index & 1 == 1) {
                if (k == proof.length) return false;
                h = _node(proof[k++], h);
            } else if (index + 1 < n) {
                if (k == proof.length) return false;
                h = _node(h, proof[k++]);
            }
            index >>= 1;
            n = (n + 1) >> 1;
        }
        return k == proof.length && h == root_;
    }

    function _node(bytes32 a, bytes32 b) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }
}
