// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RLPReader} from "./RLPReader.sol";

/// @title MerkleTrie — inclusion and exclusion proofs in Ethereum's Merkle-Patricia trie.
/// @notice Walks a proof as eth_getProof returns it (the nodes on the key's path, root
///         first) for a 32-byte key. Every node must hash to the reference its parent
///         holds, and the proof must end where the walk ends, so one proof has exactly
///         one meaning: the key holds this value, or the key is absent.
library MerkleTrie {
    using RLPReader for RLPReader.Item;

    /// @notice A node does not hash to the reference of its parent (or the root).
    error ProofNodeMismatch(uint256 index);
    /// @notice The proof ends before the walk does, or goes on after it.
    error ProofLength();
    /// @notice A node is neither a branch nor a leaf/extension, or is malformed.
    error BadNode(uint256 index);
    /// @notice A node embeds its child inline. That needs a child under 32 bytes, which a
    ///         state trie keyed by 32-byte hashes never holds, so such a proof is refused.
    error InlineNode(uint256 index);

    /// @dev keccak256(rlp("")): the root of an empty trie.
    bytes32 internal constant EMPTY_TRIE_ROOT = 0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421;

    /// @notice Looks `key` up under `root`.
    /// @return found whether the key is in the trie.
    /// @return value the leaf's value item (an RLP string) when found.
    function get(bytes32 root, bytes32 key, bytes[] memory proof)
        internal
        pure
        returns (bool found, RLPReader.Item memory value)
    {
        if (proof.length == 0) {
            if (root != EMPTY_TRIE_ROOT) revert ProofLength();
            return (false, value);
        }
        bytes32 want = root;
        uint256 depth; // nibbles of the key consumed so far
        uint256 last = proof.length - 1;
        for (uint256 i; i <= last; i++) {
            bytes memory node = proof[i];
            if (keccak256(node) != want) revert ProofNodeMismatch(i);
            RLPReader.Item[] memory items = RLPReader.toItem(node).readList();
            if (items.length == 17) {
                // A branch: a 32-byte key always ends in a leaf, never at a branch value.
                if (depth >= 64) revert BadNode(i);
                RLPReader.Item memory child = items[_nibble(key, depth)];
                depth++;
                if (child.isEmptyString()) {
                    if (i != last) revert ProofLength();
                    return (false, value);
                }
                want = _childHash(child, i);
            } else if (items.length == 2) {
                (uint256 flag, uint256 pathLen, bool same) = _matchPath(items[0], key, depth, i);
                if (!same) {
                    // The path leaves our key here: the key is absent.
                    if (i != last) revert ProofLength();
                    return (false, value);
                }
                depth += pathLen;
                if (flag >= 2) {
                    // A leaf. With fixed-length keys, a matching leaf ends the key.
                    if (depth != 64 || i != last) revert BadNode(i);
                    return (true, items[1]);
                }
                want = _childHash(items[1], i);
            } else {
                revert BadNode(i);
            }
        }
        // The last node pointed to a child the proof does not hold.
        revert ProofLength();
    }

    /// @dev Reads a hex-prefix path and compares it with the key from nibble `depth`.
    /// @return flag the hex-prefix flag (0, 1: extension; 2, 3: leaf).
    /// @return pathLen the path's length in nibbles.
    /// @return same whether the path is the key's next nibbles (false if it overruns the key).
    function _matchPath(RLPReader.Item memory path, bytes32 key, uint256 depth, uint256 i)
        private
        pure
        returns (uint256 flag, uint256 pathLen, bool same)
    {
        (uint256 ptr, uint256 len) = path.payload();
        if (len == 0) revert BadNode(i);
        assembly {
            flag := shr(4, byte(0, mload(ptr)))
        }
        if (flag > 3) revert BadNode(i);
        // Hex-prefix: an odd path keeps its first nibble in the flag byte.
        uint256 start = flag & 1 == 1 ? 1 : 2;
        pathLen = len * 2 - start;
        if (depth + pathLen > 64) return (flag, pathLen, false);
        for (uint256 j; j < pathLen; j++) {
            uint256 pos = start + j;
            uint256 b;
            assembly {
                b := byte(0, mload(add(ptr, shr(1, pos))))
            }
            if ((pos & 1 == 0 ? b >> 4 : b & 0x0f) != _nibble(key, depth + j)) return (flag, pathLen, false);
        }
        return (flag, pathLen, true);
    }

    function _childHash(RLPReader.Item memory child, uint256 i) private pure returns (bytes32) {
        if (child.isList()) revert InlineNode(i);
        (, uint256 len) = child.payload();
        if (len != 32) revert BadNode(i);
        return child.toBytes32();
    }

    function _nibble(bytes32 key, uint256 idx) private pure returns (uint256) {
        uint256 b = uint8(key[idx >> 1]);
        return idx & 1 == 0 ? b >> 4 : b & 0x0f;
    }
}
