// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title RLPReader — reads RLP items in place, in calldata.
/// @notice Items are addressed by raw calldata offsets, so a header or a trie node is read
///         where the transaction carries it: nothing is copied to memory or allocated
///         (struct-based readers over memory copies cost ~1k gas per item; this costs well
///         under 100). Every read is bounds-checked against the end of its enclosing buffer:
///         the Slasher only decodes data whose hash it has checked, but a checked hash of a
///         malformed encoding must still revert, never read past the end.
library RLPReader {
    /// @notice The bytes are not a well-formed RLP item of the expected kind.
    error RLPMalformed();

    /// @notice Decodes the prefix of the item at calldata offset `ptr`, which must end by `end`.
    /// @return pstart where the payload starts.
    /// @return plen the payload length (1 and pstart == ptr for a single byte < 0x80).
    /// @return isList whether the item is a list.
    /// @return next where the next item starts.
    function decode(uint256 ptr, uint256 end)
        internal
        pure
        returns (uint256 pstart, uint256 plen, bool isList, uint256 next)
    {
        bool bad;
        assembly {
            bad := iszero(lt(ptr, end))
            let b0 := byte(0, calldataload(ptr))
            switch lt(b0, 0x80)
            case 1 {
                pstart := ptr
                plen := 1
            }
            default {
                let short := 0
                let base := 0x80
                switch lt(b0, 0xc0)
                case 1 { short := lt(b0, 0xb8) }
                default {
                    isList := 1
                    base := 0xc0
                    short := lt(b0, 0xf8)
                }
                switch short
                case 1 {
                    pstart := add(ptr, 1)
                    plen := sub(b0, base)
                }
                default {
                    // Long form: 1..8 length bytes after the prefix.
                    let ll := sub(b0, add(base, 0x37))
                    bad := or(bad, gt(ll, 8))
                    bad := or(bad, gt(add(ptr, add(1, ll)), end))
                    plen := shr(mul(8, sub(32, ll)), calldataload(add(ptr, 1)))
                    pstart := add(ptr, add(1, ll))
                }
            }
            next := add(pstart, plen)
            bad := or(bad, gt(next, end))
        }
        if (bad) revert RLPMalformed();
    }

    /// @notice Decodes the one item that spans exactly [ptr, end) and requires it to be a list.
    /// @return pstart where the list's payload starts; the payload ends at `end`.
    function list(uint256 ptr, uint256 end) internal pure returns (uint256 pstart) {
        (uint256 s,, bool isList, uint256 next) = decode(ptr, end);
        if (!isList || next != end) revert RLPMalformed();
        return s;
    }

    /// @notice Walks every item of the list payload [ptr, end) by its prefix alone, in one
    ///         loop: the cheap way to count a trie node's items and find one of them.
    /// @return item where item `idx` starts (0 when the payload has no item `idx`).
    /// @return count how many items the payload holds; the last one must end at `end`.
    function scan(uint256 ptr, uint256 end, uint256 idx) internal pure returns (uint256 item, uint256 count) {
        bool bad;
        assembly {
            // Branch-free but for the rare long form: a jump costs more than the
            // arithmetic it saves, and a trie branch holds seventeen items.
            for {} lt(ptr, end) { count := add(count, 1) } {
                item := or(item, mul(eq(count, idx), ptr))
                let b0 := byte(0, calldataload(ptr))
                // Strings 0x80..0xb7 and lists 0xc0..0xf7 carry their payload length in
                // the low six bits; a byte below 0x80 is its own payload (length 0 here).
                let low := mul(gt(b0, 0x7f), and(b0, 0x3f))
                ptr := add(ptr, add(1, low))
                // 0xb8..0xbf and 0xf8..0xff: `low - 0x37` (1..8) length bytes follow the
                // prefix. Step back to them, then past them and the payload they measure.
                if gt(low, 0x37) {
                    let ll := sub(low, 0x37)
                    ptr := sub(ptr, low)
                    ptr := add(add(ptr, ll), shr(mul(8, sub(32, ll)), calldataload(ptr)))
                }
            }
            // An item that overruns the payload ends the loop past `end`.
            bad := gt(ptr, end)
        }
        if (bad) revert RLPMalformed();
    }

    /// @notice A string payload read as a big-endian unsigned integer of at most 32 bytes.
    function toUint(uint256 pstart, uint256 plen, bool isList) internal pure returns (uint256 v) {
        if (isList || plen > 32) revert RLPMalformed();
        if (plen == 0) return 0;
        assembly {
            v := shr(mul(8, sub(32, plen)), calldataload(pstart))
        }
    }

    /// @notice A string payload of exactly 32 bytes.
    function toBytes32(uint256 pstart, uint256 plen, bool isList) internal pure returns (bytes32 v) {
        if (isList || plen != 32) revert RLPMalformed();
        assembly {
            v := calldataload(pstart)
        }
    }

    /// @notice keccak256 of `b`, hashed from a scratch copy above the free memory pointer
    ///         (not allocated: the copy is dead once hashed, so memory never grows with
    ///         the number of items hashed).
    function hash(bytes calldata b) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, b.offset, b.length)
            h := keccak256(m, b.length)
        }
    }
}
