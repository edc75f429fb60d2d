// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RLPReader} from "./RLPReader.sol";

/// @title BlockHeader — the fields of an RLP execution block header the Slasher judges by.
library BlockHeader {
    using RLPReader for RLPReader.Item;

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

    /// @notice Decodes `rlpHeader`. It proves nothing: the caller anchors `hash`.
    function decode(bytes memory rlpHeader) internal pure returns (Header memory h) {
        RLPReader.Item memory it = RLPReader.toItem(rlpHeader);
        RLPReader.Item[] memory f = it.readList();
        if (f.length <= BASE_FEE) revert HeaderTooShort(f.length);
        h.hash = it.hash();
        h.parentHash = f[PARENT_HASH].toBytes32();
        h.stateRoot = f[STATE_ROOT].toBytes32();
        h.number = f[NUMBER].toUint();
        h.gasLimit = f[GAS_LIMIT].toUint();
        h.timestamp = f[TIMESTAMP].toUint();
        h.baseFee = f[BASE_FEE].toUint();
        if (f.length > EXCESS_BLOB_GAS) h.excessBlobGas = f[EXCESS_BLOB_GAS].toUint();
    }
}
