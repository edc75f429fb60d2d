// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title BLS12381 — BLS signature checks on the EIP-2537 precompiles (Prague).
/// @notice Points use the EIP-2537 encoding: an Fp element is 64 bytes big-endian whose
///         top 16 bytes are zero; a G1 point is x ‖ y (128 bytes); an Fp2 element is
///         c0 ‖ c1 and a G2 point x ‖ y (256 bytes). Signatures follow the Ethereum
///         ciphersuite (public keys in G1, signatures in G2) with RFC 9380 hash_to_curve
///         (expand_message_xmd with SHA-256, SSWU, random oracle), the same as the
///         consensus layer and go-boost-utils' `bls.Sign`.
library BLS12381 {
    /// @dev Domain separation tag of the proof-of-possession ciphersuite.
    bytes internal constant POP_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    address private constant MODEXP = address(0x05);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING_CHECK = address(0x0f);
    address private constant MAP_FP2_TO_G2 = address(0x11);

    // The base field modulus p as two words (high word has 16 significant bytes).
    uint256 private constant P_HI = 0x000000000000000000000000000000001a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;
    // (p - 1) / 2: y is the "larger" square root (compression flag 0x20) iff y > this.
    uint256 private constant HALF_P_HI = 0x000000000000000000000000000000000d0088f51cbff34d258dd3db21a5d66b;
    uint256 private constant HALF_P_LO = 0xb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd555;
    // -G1: the generator with y negated, so one pairing check verifies e(pk, H) == e(G1, sig).
    uint256 private constant NEG_G1_X_HI = 0x0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0f;
    uint256 private constant NEG_G1_X_LO = 0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 private constant NEG_G1_Y_HI = 0x00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f2;
    uint256 private constant NEG_G1_Y_LO = 0x67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca;

    /// @notice hash_to_curve(message) in G2 with the given DST (RFC 9380, BLS12381G2_XMD:SHA-256_SSWU_RO_).
    /// @return point the 256-byte EIP-2537 encoding of the G2 point.
    function hashToG2(bytes memory message, bytes memory dst) internal view returns (bytes memory point) {
        bytes32[8] memory b = expandMessageXmd(message, dst);
        // hash_to_field with count 2, m 2, L 64: four 64-byte chunks, each reduced mod p.
        bytes memory u0 = bytes.concat(modP(b[0], b[1]), modP(b[2], b[3]));
        bytes memory u1 = bytes.concat(modP(b[4], b[5]), modP(b[6], b[7]));
        bytes memory q0 = call(MAP_FP2_TO_G2, u0, 256);
        bytes memory q1 = call(MAP_FP2_TO_G2, u1, 256);
        return call(G2ADD, bytes.concat(q0, q1), 256);
    }

    /// @notice Whether `signature` (G2) is `publicKey`'s (G1) signature of the message hashed
    ///         to `messagePoint` (G2). Invalid encodings, points off the curve or outside the
    ///         subgroup (the precompile checks) all give false.
    function verify(bytes memory publicKey, bytes memory messagePoint, bytes memory signature)
        internal
        view
        returns (bool)
    {
        if (publicKey.length != 128 || messagePoint.length != 256 || signature.length != 256) return false;
        // e(pk, H) * e(-G1, sig) == 1
        bytes memory input = bytes.concat(
            publicKey, messagePoint, abi.encodePacked(NEG_G1_X_HI, NEG_G1_X_LO, NEG_G1_Y_HI, NEG_G1_Y_LO), signature
        );
        (bool ok, bytes memory out) = PAIRING_CHECK.staticcall(input);
        return ok && out.length == 32 && uint256(bytes32(out)) == 1;
    }

    /// @notice Whether a 128-byte G1 encoding is well formed and not the point at infinity:
    ///         both coordinates have their 16 padding bytes zero. Curve and subgroup
    ///         membership are left to the pairing precompile, which refuses anything else.
    function isG1Encoding(bytes memory point) internal pure returns (bool) {
        if (point.length != 128) return false;
        uint256 xHi;
        uint256 xLo;
        uint256 yHi;
        uint256 yLo;
        assembly ("memory-safe") {
            xHi := mload(add(point, 0x20))
            xLo := mload(add(point, 0x40))
            yHi := mload(add(point, 0x60))
            yLo := mload(add(point, 0x80))
        }
        if (xHi >> 128 != 0 || yHi >> 128 != 0) return false;
        return (xHi | xLo | yHi | yLo) != 0;
    }

    /// @notice The 48-byte compressed (ZCash / consensus-layer) form of a G1 point given in
    ///         the 128-byte EIP-2537 encoding: x with flag 0x80 (compressed) and 0x20 when y
    ///         is the larger of y and p - y. The point is assumed valid and not infinity.
    function compressG1(bytes memory point) internal pure returns (bytes memory compressed) {
        require(point.length == 128);
        uint256 xHi;
        uint256 xLo;
        uint256 yHi;
        uint256 yLo;
        assembly ("memory-safe") {
            xHi := mload(add(point, 0x20))
            xLo := mload(add(point, 0x40))
            yHi := mload(add(point, 0x60))
            yLo := mload(add(point, 0x80))
        }
        uint256 flags = 0x80;
        if (yHi > HALF_P_HI || (yHi == HALF_P_HI && yLo > HALF_P_LO)) flags |= 0x20;
        // x's 48 significant bytes are the low 16 bytes of xHi then xLo.
        return abi.encodePacked(bytes16(uint128(xHi) | uint128(flags << 120)), xLo);
    }

    /// @dev expand_message_xmd(message, dst, 256) with SHA-256 (RFC 9380 §5.3.1), as 8 words.
    function expandMessageXmd(bytes memory message, bytes memory dst) private view returns (bytes32[8] memory b) {
        require(dst.length <= 255);
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        // msg_prime = Z_pad(64) ‖ msg ‖ I2OSP(256, 2) ‖ I2OSP(0, 1) ‖ DST_prime
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(256), uint8(0), dstPrime));
        b[0] = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        for (uint256 i = 1; i < 8; ++i) {
            b[i] = sha256(abi.encodePacked(b0 ^ b[i - 1], uint8(i + 1), dstPrime));
        }
    }

    /// @dev (hi ‖ lo) mod p as a 64-byte Fp encoding, with MODEXP (base^1 mod p).
    function modP(bytes32 hi, bytes32 lo) private view returns (bytes memory) {
        return call(MODEXP, abi.encodePacked(uint256(64), uint256(32), uint256(64), hi, lo, uint256(1), P_HI, P_LO), 64);
    }

    /// @dev Calls a precompile that must succeed and return `outLen` bytes; reverts otherwise
    ///      (only reachable with inputs this library built, so a failure is a chain fault).
    function call(address precompile, bytes memory input, uint256 outLen) private view returns (bytes memory out) {
        bool ok;
        (ok, out) = precompile.staticcall(input);
        require(ok && out.length == outLen, "BLS12381: precompile failed");
    }
}
