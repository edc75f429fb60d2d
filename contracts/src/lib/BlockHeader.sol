// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RLPReader} from "./RLPReader.sol";

/// @title BlockHeader — the fields of an RLP execution block header the Slasher judges by.
library BlockHeader {
    /// @notice The header has fewer fields than a London (base fee) header.
    error HeaderTooShort(uint256 fields);

    /// @notice A decoded header. `hash` is keccak256 of the RLP it was decoded from.
    struct Header {
        bytes32 hash;
        bytes32 parentHash;
        bytes32 stateRoot;
        uint256 number;
        uint256 gasLimit;
        uint256 timestamp;
        uint256 baseFee;
        uint256 excessBlobGas; // 0 before Cancun
    }

    // Field positions in the header list (yellow paper order, extended by each fork).
    uint256 private constant PARENT_HASH = 0;
    uint256 private constant STATE_ROOT = 3;
    uint256 private constant NUMBER = 8;
    uint256 private constant GAS_LIMIT = 9;
    uint256 private constant TIMESTAMP = 11;
    uint256 private constant BASE_FEE = 15;
    uint256 private constant EXCESS_BLOB_GAS = 18;

    /// @notice Decodes `rlpHeader` in place, in calldata. It proves nothing: the caller
    ///         anchors `hash`.
    function decode(bytes calldata rlpHeader) internal pure returns (Header memory h) {
        uint256 ptr;
        assembly {
            ptr := rlpHeader.offset
        }
        uint256 end = ptr + rlpHeader.length;
        uint256 cur = RLPReader.list(ptr, end);
        uint256 i;
        // One pass over the fields, keeping the ones the Slasher judges by.
        for (; cur < end; i++) {
            (uint256 s, uint256 l, bool isList, uint256 next) = RLPReader.decode(cur, end);
            if (i == PARENT_HASH) h.parentHash = RLPReader.toBytes32(s, l, isList);
            else if (i == STATE_ROOT) h.stateRoot = RLPReader.toBytes32(s, l, isList);
            else if (i == NUMBER) h.number = RLPReader.toUint(s, l, isList);
            else if (i == GAS_LIMIT) h.gasLimit = RLPReader.toUint(s, l, isList);
            else if (i == TIMESTAMP) h.timestamp = RLPReader.toUint(s, l, isList);
            else if (i == BASE_FEE) h.baseFee = RLPReader.toUint(s, l, isList);
            else if (i == EXCESS_BLOB_GAS) h.excessBlobGas = RLPReader.toUint(s, l, isList);
            cur = next;
        }
        if (i <= BASE_FEE) revert HeaderTooShort(i);
        h.hash = RLPReader.hash(rlpHeader);
    }
}
