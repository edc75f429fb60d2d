// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title RLPReader — reads RLP items in place, in memory.
/// @notice Items are addressed by raw memory pointers, so a header or a trie node is read
///         without copying it and without allocating (struct-based readers cost ~1k gas per
///         item; this costs ~100). Every read is bounds-checked against the end of its
///         enclosing buffer: the Slasher only decodes data whose hash it has checked, but a
///         checked hash of a malformed encoding must still revert, never read past the end.
library RLPReader {
    /// @notice The bytes are not a well-formed RLP item of the expected kind.
    error RLPMalformed();

    /// @notice Memory address of the first byte of `b`'s contents.
    function ptrOf(bytes memory b) internal pure returns (uint256 ptr) {
        assembly {
            ptr := add(b, 32)
        }
    }

    /// @notice Decodes the prefix of the item at `ptr`, which must end by `end`.
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
            let b0 := byte(0, mload(ptr))
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
                    plen := shr(mul(8, sub(32, ll)), mload(add(ptr, 1)))
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

    /// @notice A string payload read as a big-endian unsigned integer of at most 32 bytes.
    function toUint(uint256 pstart, uint256 plen, bool isList) internal pure returns (uint256 v) {
        if (isList || plen > 32) revert RLPMalformed();
        if (plen == 0) return 0;
        assembly {
            v := shr(mul(8, sub(32, plen)), mload(pstart))
        }
    }

    /// @notice A string payload of exactly 32 bytes.
    function toBytes32(uint256 pstart, uint256 plen, bool isList) internal pure returns (bytes32 v) {
        if (isList || plen != 32) revert RLPMalformed();
        assembly {
            v := mload(pstart)
        }
    }
}
