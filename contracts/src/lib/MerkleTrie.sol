// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RLPReader} from "./RLPReader.sol";

/// @title MerkleTrie — inclusion and exclusion proofs in Ethereum's Merkle-Patricia trie.
/// @notice Walks a proof as eth_getProof returns it (the nodes on the key's path, root
///         first) for a 32-byte key. Every node must hash to the reference its parent
///         holds, and the proof must end where the walk ends, so one proof has exactly
///         one meaning: the key holds this value, or the key is absent.
library MerkleTrie {
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

    /// @notice Looks `key` up under `root`. The proof stays in calldata: each node is copied
    ///         to scratch memory only to be hashed, and read in place.
    /// @return found whether the key is in the trie.
    /// @return vstart where the leaf's value (an RLP string's payload) starts in calldata.
    /// @return vlen the value's length.
    function get(bytes32 root, bytes32 key, bytes[] calldata proof)
        internal
        pure
        returns (bool found, uint256 vstart, uint256 vlen)
    {
        if (proof.length == 0) {
            if (root != EMPTY_TRIE_ROOT) revert ProofLength();
            return (false, 0, 0);
        }
        bytes32 want = root;
        uint256 depth; // nibbles of the key consumed so far
        uint256 last = proof.length - 1;
        for (uint256 i; i <= last; i++) {
            Step kind;
            (kind, want, depth) = _visit(proof[i], want, key, depth, i);
            if (kind == Step.Descend) continue;
            // The walk ends here, and so must the proof.
            if (i != last) revert ProofLength();
            if (kind == Step.Absent) return (false, 0, 0);
            return (true, uint256(want) >> 128, uint256(want) & type(uint128).max);
        }
        // The last node pointed to a child the proof does not hold.
        revert ProofLength();
    }

    enum Step {
        Descend,
        Absent,
        Found
    }

    /// @dev Checks that proof node `i` hashes to `want`, then steps through it.
    function _visit(bytes calldata node, bytes32 want, bytes32 key, uint256 depth, uint256 i)
        private
        pure
        returns (Step, bytes32, uint256)
    {
        if (RLPReader.hash(node) != want) revert ProofNodeMismatch(i);
        uint256 ptr;
        assembly {
            ptr := node.offset
        }
        return _step(ptr, ptr + node.length, key, depth, i);
    }

    /// @dev Reads one node [ptr, end) on the key's path at nibble `depth`: descend to the
    ///      child with hash `child`, or stop because the key is absent or found (value at vs, vl).
    function _step(uint256 ptr, uint256 end, bytes32 key, uint256 depth, uint256 i)
        private
        pure
        returns (Step, bytes32, uint256)
    {
        uint256 first = RLPReader.list(ptr, end);
        // One pass over the items counts them and finds the branch child on the key's path
        // (a key is 64 nibbles; past them there is no child to find, index 16 is the value).
        (uint256 hit, uint256 n) = RLPReader.scan(first, end, depth < 64 ? _nibble(key, depth) : 16);
        // Two items: leaf or extension; seventeen: branch.
        if (n == 2) return _short(first, end, key, depth, i);
        if (n != 17) revert BadNode(i);
        return _branch(hit, end, depth, i);
    }

    /// @dev A leaf or an extension node: [hex-prefix path, value or child].
    function _short(uint256 first, uint256 end, bytes32 key, uint256 depth, uint256 i)
        private
        pure
        returns (Step kind, bytes32 child, uint256 newDepth)
    {
        (uint256 flag, uint256 pathLen, bool same, uint256 second) = _path(first, end, key, depth, i);
        // The path leaves our key here: the key is absent.
        if (!same) return (Step.Absent, 0, depth);
        newDepth = depth + pathLen;
        (uint256 vs, uint256 vl, bool isList,) = RLPReader.decode(second, end);
        if (flag >= 2) {
            // A leaf. With fixed-length keys, a matching leaf ends the key. The value's
            // place travels packed in `child` (pointer << 128 | length).
            if (newDepth != 64 || isList) revert BadNode(i);
            return (Step.Found, bytes32((vs << 128) | vl), newDepth);
        }
        return (Step.Descend, _childHash(vs, vl, isList, i), newDepth);
    }

    /// @dev A branch node (sixteen children and a value, counted by `_step`), whose child on
    ///      the key's path starts at `hit`.
    function _branch(uint256 hit, uint256 end, uint256 depth, uint256 i)
        private
        pure
        returns (Step, bytes32, uint256)
    {
        // A 32-byte key always ends in a leaf, never at a branch value.
        if (depth >= 64) revert BadNode(i);
        (uint256 cs, uint256 cl, bool clist,) = RLPReader.decode(hit, end);
        if (!clist && cl == 0) return (Step.Absent, 0, depth + 1);
        return (Step.Descend, _childHash(cs, cl, clist, i), depth + 1);
    }

    /// @dev Reads the hex-prefix path item at `first` and compares it with the key from
    ///      nibble `depth`.
    /// @return flag the hex-prefix flag (0, 1: extension; 2, 3: leaf).
    /// @return pathLen the path's length in nibbles.
    /// @return same whether the path is the key's next nibbles (false if it overruns the key).
    /// @return next where the node's second item starts.
    function _path(uint256 first, uint256 end, bytes32 key, uint256 depth, uint256 i)
        private
        pure
        returns (uint256 flag, uint256 pathLen, bool same, uint256 next)
    {
        uint256 ptr;
        uint256 len;
        bool isList;
        (ptr, len, isList, next) = RLPReader.decode(first, end);
        if (isList || len == 0) revert BadNode(i);
        assembly {
            flag := shr(4, byte(0, calldataload(ptr)))
        }
        if (flag > 3) revert BadNode(i);
        // Hex-prefix: an odd path keeps its first nibble in the flag byte.
        uint256 start = flag & 1 == 1 ? 1 : 2;
        pathLen = len * 2 - start;
        same = depth + pathLen <= 64 && _prefixEqual(ptr, start, pathLen, key, depth);
    }

    /// @dev Whether nibbles [start, start+pathLen) at ptr equal the key's nibbles from
    ///      `depth`: both are shifted to the top of a word and compared in one step.
    function _prefixEqual(uint256 ptr, uint256 start, uint256 pathLen, bytes32 key, uint256 depth)
        private
        pure
        returns (bool)
    {
        if (pathLen == 0) return true;
        uint256 k = uint256(key) << (4 * depth);
        uint256 p;
        assembly {
            p := shl(mul(4, start), calldataload(ptr))
            // A 64-nibble even path (33 bytes with its flag byte) spills one byte.
            if gt(add(start, pathLen), 64) { p := or(p, shr(sub(256, mul(4, start)), calldataload(add(ptr, 32)))) }
        }
        uint256 shift = 256 - 4 * pathLen;
        return (k >> shift) == (p >> shift);
    }

    function _childHash(uint256 s, uint256 l, bool isList, uint256 i) private pure returns (bytes32 h) {
        if (isList) revert InlineNode(i);
        if (l != 32) revert BadNode(i);
        assembly {
            h := calldataload(s)
        }
    }

    /// @dev Nibble `idx` (< 64) of `key`, most significant first.
    function _nibble(bytes32 key, uint256 idx) private pure returns (uint256 nib) {
        assembly {
            nib := and(shr(sub(252, mul(4, idx)), key), 0x0f)
        }
    }
}
