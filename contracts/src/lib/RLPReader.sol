// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title RLPReader — reads RLP items in place, in memory.
/// @notice Items are (pointer, length) views into a bytes array, so a header or a trie
///         node is read without copying it. Every read is bounds-checked: the Slasher only
///         decodes data whose hash it has already checked, but a checked hash of a
///         malformed encoding must still revert, never read past the buffer.
library RLPReader {
    /// @notice The bytes are not a well-formed RLP item of the expected kind.
    error RLPMalformed();

    /// @notice One RLP item: memory address of its first byte and its encoded length.
    struct Item {
        uint256 ptr;
        uint256 len;
    }

    /// @notice The item spanning all of `b`; reverts unless `b` is exactly one item.
    function toItem(bytes memory b) internal pure returns (Item memory it) {
        uint256 ptr;
        assembly {
            ptr := add(b, 32)
        }
        (, uint256 off, uint256 plen) = _header(ptr, b.length);
        if (off + plen != b.length) revert RLPMalformed();
        it = Item(ptr, b.length);
    }

    /// @notice Whether the item is a list.
    function isList(Item memory it) internal pure returns (bool list) {
        (list,,) = _header(it.ptr, it.len);
    }

    /// @notice The items of a list, in order.
    function readList(Item memory it) internal pure returns (Item[] memory items) {
        (bool list, uint256 off, uint256 plen) = _header(it.ptr, it.len);
        if (!list) revert RLPMalformed();
        uint256 ptr = it.ptr + off;
        uint256 end = ptr + plen;
        uint256 n;
        for (uint256 p = ptr; p < end; n++) {
            (, uint256 o, uint256 l) = _header(p, end - p);
            p += o + l;
        }
        items = new Item[](n);
        for (uint256 i; i < n; i++) {
            (, uint256 o, uint256 l) = _header(ptr, end - ptr);
            items[i] = Item(ptr, o + l);
            ptr += o + l;
        }
    }

    /// @notice Memory address and length of a string item's payload.
    function payload(Item memory it) internal pure returns (uint256 ptr, uint256 len) {
        (bool list, uint256 off, uint256 plen) = _header(it.ptr, it.len);
        if (list) revert RLPMalformed();
        return (it.ptr + off, plen);
    }

    /// @notice A string item read as a big-endian unsigned integer of at most 32 bytes.
    function toUint(Item memory it) internal pure returns (uint256 v) {
        (uint256 ptr, uint256 len) = payload(it);
        if (len > 32) revert RLPMalformed();
        if (len == 0) return 0;
        assembly {
            v := shr(mul(8, sub(32, len)), mload(ptr))
        }
    }

    /// @notice A string item of exactly 32 bytes.
    function toBytes32(Item memory it) internal pure returns (bytes32 v) {
        (uint256 ptr, uint256 len) = payload(it);
        if (len != 32) revert RLPMalformed();
        assembly {
            v := mload(ptr)
        }
    }

    /// @notice Whether the item is the empty string (0x80).
    function isEmptyString(Item memory it) internal pure returns (bool) {
        (bool list,, uint256 plen) = _header(it.ptr, it.len);
        return !list && plen == 0;
    }

    /// @notice keccak256 of the item's whole encoding.
    function hash(Item memory it) internal pure returns (bytes32 h) {
        uint256 ptr = it.ptr;
        uint256 len = it.len;
        assembly {
            h := keccak256(ptr, len)
        }
    }

    /// @notice The payload of a string item as a fresh bytes array.
    function toBytes(Item memory it) internal pure returns (bytes memory out) {
        (uint256 ptr, uint256 len) = payload(it);
        out = new bytes(len);
        assembly {
            mcopy(add(out, 32), ptr, len)
        }
    }

    /// @dev Decodes the prefix of the item at `ptr`, which has `avail` bytes left in its
    ///      buffer: whether it is a list, where its payload starts and how long it is.
    function _header(uint256 ptr, uint256 avail) private pure returns (bool list, uint256 off, uint256 plen) {
        if (avail == 0) revert RLPMalformed();
        uint256 b0;
        assembly {
            b0 := byte(0, mload(ptr))
        }
        if (b0 < 0x80) {
            return (false, 0, 1);
        }
        if (b0 < 0xb8) {
            (off, plen) = (1, b0 - 0x80);
        } else if (b0 < 0xc0) {
            (off, plen) = _longLength(ptr, avail, b0 - 0xb7);
        } else if (b0 < 0xf8) {
            (list, off, plen) = (true, 1, b0 - 0xc0);
        } else {
            list = true;
            (off, plen) = _longLength(ptr, avail, b0 - 0xf7);
        }
        if (off + plen > avail) revert RLPMalformed();
    }

    /// @dev Reads a long-form length of `ll` bytes after the prefix byte.
    function _longLength(uint256 ptr, uint256 avail, uint256 ll) private pure returns (uint256 off, uint256 plen) {
        // More than 8 length bytes would describe more memory than any call can hold.
        if (ll > 8 || avail < 1 + ll) revert RLPMalformed();
        assembly {
            plen := shr(mul(8, sub(32, ll)), mload(add(ptr, 1)))
        }
        off = 1 + ll;
    }
}
