// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RLPReader} from "./RLPReader.sol";
import {MerkleTrie} from "./MerkleTrie.sol";

/// @title AccountProof — an account's state from an eth_getProof account proof.
library AccountProof {
    using RLPReader for RLPReader.Item;

    /// @notice The proven leaf is not an account [nonce, balance, storageRoot, codeHash].
    error BadAccount();

    /// @dev keccak256(""): the code hash of an account without code.
    bytes32 internal constant EMPTY_CODE_HASH = 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470;

    /// @notice An account as the state trie holds it. A missing account reads as
    ///         nonce 0, balance 0 and no code, which is what the EVM sees for it.
    struct Account {
        bool exists;
        uint256 nonce;
        uint256 balance;
        bytes32 codeHash;
    }

    /// @notice Proves the state of `account` under the state root `root`.
    function verify(bytes32 root, address account, bytes[] memory proof) internal pure returns (Account memory acc) {
        (bool found, RLPReader.Item memory leaf) = MerkleTrie.get(root, keccak256(abi.encodePacked(account)), proof);
        if (!found) {
            acc.codeHash = EMPTY_CODE_HASH;
            return acc;
        }
        (uint256 ptr, uint256 len) = leaf.payload();
        RLPReader.Item[] memory f = RLPReader.readList(RLPReader.Item(ptr, len));
        if (f.length != 4 || f[0].isList() || f[1].isList()) revert BadAccount();
        // The leaf payload must be exactly the account list, nothing after it.
        if (f[3].ptr + f[3].len != ptr + len) revert BadAccount();
        acc.exists = true;
        acc.nonce = f[0].toUint();
        acc.balance = f[1].toUint();
        acc.codeHash = f[3].toBytes32();
    }
}
