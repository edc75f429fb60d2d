// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RLPReader} from "./RLPReader.sol";
import {MerkleTrie} from "./MerkleTrie.sol";

/// @title AccountProof — an account's state from an eth_getProof account proof.
library AccountProof {
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

    /// @notice Proves the state of `account` under the state root `root`; the proof is read
    ///         in place, in calldata.
    function verify(bytes32 root, address account, bytes[] calldata proof) internal pure returns (Account memory acc) {
        bytes32 key;
        assembly ("memory-safe") {
            mstore(0x00, shl(96, account))
            key := keccak256(0x00, 20)
        }
        (bool found, uint256 vs, uint256 vl) = MerkleTrie.get(root, key, proof);
        if (!found) {
            acc.codeHash = EMPTY_CODE_HASH;
            return acc;
        }
        // The leaf value is the account list [nonce, balance, storageRoot, codeHash], exactly.
        uint256 end = vs + vl;
        uint256 cur = RLPReader.list(vs, end);
        (uint256 s, uint256 l, bool isList, uint256 next) = RLPReader.decode(cur, end);
        acc.nonce = RLPReader.toUint(s, l, isList);
        (s, l, isList, next) = RLPReader.decode(next, end);
        acc.balance = RLPReader.toUint(s, l, isList);
        (,,, next) = RLPReader.decode(next, end);
        (s, l, isList, next) = RLPReader.decode(next, end);
        acc.codeHash = RLPReader.toBytes32(s, l, isList);
        if (next != end) revert BadAccount();
        acc.exists = true;
    }
}
