// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;
// pledge:via-ir
// (the IR pipeline walks the calldata account proofs ~14k gas cheaper per safety slash at mainnet depth)

import {ISlasher} from "./ISlasher.sol";
import {IRegistry} from "./IRegistry.sol";
import {BlockHeader} from "./lib/BlockHeader.sol";
import {AccountProof} from "./lib/AccountProof.sol";
import {LedgerTree} from "./lib/LedgerTree.sol";

/// @notice The one Inbox view the Slasher reads: the running hash and count of the L2
///         transactions `poster` posted for (rollup chain id, slot).
interface IBatchRecord {
    function batchOf(uint64 chainId, uint64 slot, address poster) external view returns (bytes32 acc, uint32 count);
    function genesisTime() external view returns (uint64);
    function secondsPerSlot() external view returns (uint64);
}

/// @title Slasher — Pledge's fault judge. See ISlasher for the rules.
/// @dev Two entry paths share the judging code: the own path (slashSafety, slashLiveness,
///      slashL2Inclusion, slashEquivocation) for operators of Pledge's Registry, paid from
///      slot ledgers; and `slash`, called by the URC for its operators (promises naming
///      operator zero), which returns the amount the URC burns. A promise names exactly one
///      of them (its operator is a registered address or zero), so none is judged under both.
contract Slasher is ISlasher {

    /// @dev The URC's MessageType.Commitment: the first word of a commitment's signing root.
    uint256 private constant MESSAGE_COMMITMENT = 3;

    uint64 private constant TYPE_L1 = 1;
    uint64 private constant TYPE_L2 = 2;
    uint64 private constant TYPE_BUNDLE = 3;
    uint256 private constant MAX_BUNDLE = 16;
    uint256 private constant BPS = 10_000;

    /// @dev EIP-2935: serves the hashes of the last 8191 blocks.
    address private constant HISTORY = 0x0000F90827F1C53a10cb7A02335B175320002935;
    /// @dev secp256k1n / 2: a larger s is the malleable twin of a valid signature (EIP-2).
    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    IRegistry public immutable registry;
    IBatchRecord public immutable inbox;
    uint64 public immutable genesisTime;
    uint64 public immutable secondsPerSlot;
    uint64 public immutable slashWindow;
    uint16 public immutable livenessBps;
    uint16 public immutable userBps;
    uint16 public immutable burnBps;
    uint64 public immutable blobBaseFeeUpdateFraction;
    /// @inheritdoc ISlasher
    address public immutable urc;

    /// @inheritdoc ISlasher
    mapping(bytes32 => bool) public settled;
    /// @inheritdoc ISlasher
    mapping(bytes32 => uint256) public claims;

    /// @dev A promise as opened: what it says, its digest and who signed it.
    struct Opened {
        Promise p;
        bytes32 digest;
        address signer;
    }

    constructor(IRegistry registry_, IBatchRecord inbox_, Config memory cfg) {
        if (
            address(registry_) == address(0) || address(inbox_) == address(0) || cfg.secondsPerSlot == 0
                || cfg.slashWindow == 0 || cfg.livenessBps > BPS || cfg.burnBps == 0
                || uint256(cfg.userBps) + cfg.burnBps > BPS || cfg.blobBaseFeeUpdateFraction == 0
        ) revert InvalidConfig();
        // One clock for all three contracts: an Inbox on another clock would file every
        // batch under the wrong slot and make every L2 promise read as broken.
        if (inbox_.genesisTime() != cfg.genesisTime || inbox_.secondsPerSlot() != cfg.secondsPerSlot) {
            revert InvalidConfig();
        }
        registry = registry_;
        inbox = inbox_;
        genesisTime = cfg.genesisTime;
        secondsPerSlot = cfg.secondsPerSlot;
        slashWindow = cfg.slashWindow;
        livenessBps = cfg.livenessBps;
        userBps = cfg.userBps;
        burnBps = cfg.burnBps;
        blobBaseFeeUpdateFraction = cfg.blobBaseFeeUpdateFraction;
        urc = cfg.urc;
    }

    // ======================= faults =======================

    /// @inheritdoc ISlasher
    function commitClaim(bytes32 claimHash_) external {
        if (claims[claimHash_] != 0) return; // the first commitment counts
        claims[claimHash_] = block.number;
        emit ClaimCommitted(claimHash_, msg.sender, block.number);
    }

    /// @inheritdoc ISlasher
    function slashSafety(
        bytes calldata payload,
        bytes calldata signature,
        uint256 index,
        SafetyEvidence calldata ev,
        Backing calldata backing,
        Claim calldata claim
    ) external {
        Opened memory o = _open(payload, signature);
        address user = _judgeSafety(o.p, index, ev, address(0));
        _back(o, backing);
        _slash(o, Fault.Safety, user, o.p.slashAmount, bytes32(0), claim);
    }

    /// @inheritdoc ISlasher
    function slashLiveness(
        bytes calldata payload,
        bytes calldata signature,
        bytes calldata header1,
        bytes calldata header2,
        Backing calldata backing,
        Claim calldata claim
    ) external {
        Opened memory o = _open(payload, signature);
        _judgeMissed(o.p.slot, header1, header2);
        _back(o, backing); // a backed slashAmount is below 2^96: the product cannot overflow
        uint256 amount = o.p.slashAmount * livenessBps / BPS;
        _slash(o, Fault.Liveness, o.p.inclusions[0].sender, amount, bytes32(0), claim);
    }

    /// @inheritdoc ISlasher
    function slashL2Inclusion(
        bytes calldata payload,
        bytes calldata signature,
        uint256 index,
        bytes calldata header,
        bytes32[] calldata txHashes,
        Backing calldata backing,
        Claim calldata claim
    ) external {
        Opened memory o = _open(payload, signature);
        Inclusion memory inc = _judgeL2Block(o.p, index, header);
        // The operator's own batch, by the poster its ledger names: others' posts never
        // lengthen this evidence, and the Inbox caps one poster's record, so it always
        // fits one transaction.
        address poster = _back(o, backing);
        _judgeBatch(inc, o.p.slot, poster, txHashes);
        _slash(o, Fault.L2Inclusion, inc.sender, o.p.slashAmount, bytes32(0), claim);
    }

    /// @inheritdoc ISlasher
    function slashEquivocation(
        bytes calldata payloadA,
        bytes calldata signatureA,
        uint256 indexA,
        bytes calldata payloadB,
        bytes calldata signatureB,
        uint256 indexB,
        Backing calldata backingA,
        Claim calldata claim
    ) external {
        Opened memory a = _open(payloadA, signatureA);
        (address user, bytes32 digestB, address signerB, uint64 slotB) =
            _judgeEquivocation(a.p, indexA, payloadB, signatureB, indexB);
        // B proves only that the operator sold the nonce twice: it must be signed by the
        // operator's committer at B's slot (not revoked, before any exit). It is neither
        // paid nor settled here: B's own holder can still slash B, from B's own backing.
        address committerB = registry.committerAt(a.p.operator, slotB);
        if (committerB == address(0) || signerB != committerB) revert WrongSigner(signerB, committerB);
        _back(a, backingA);
        // A's own amount, from A's own reservation: never more than A's leaf.
        _slash(a, Fault.Equivocation, user, a.p.slashAmount, digestB, claim);
    }

    // ======================= the URC path =======================

    /// @inheritdoc ISlasher
    function slash(
        Delegation calldata delegation,
        Commitment calldata commitment,
        address committer,
        bytes calldata evidence,
        address challenger
    ) external returns (uint256 slashAmountWei) {
        // The URC checked the delegation's BLS signature and that `committer` signed the
        // commitment; nobody else may claim it did (urc zero: no caller matches).
        if (msg.sender != urc) revert NotURC();
        if (commitment.slasher != address(this)) revert NotThisSlasher(commitment.slasher);
        Promise memory p = abi.decode(commitment.payload, (Promise));
        _checkShape(p);
        // Registry operators name themselves and are judged (and paid) by the own path only.
        if (p.operator != address(0)) revert NotURCPromise(p.operator);
        // The signed envelope must say what the promise says: then its signing root is the
        // promise's digest, the key of `settled`.
        if (commitment.commitmentType != p.commitmentType || commitment.requestHash != p.requestHash) {
            revert CommitmentMismatch();
        }
        bytes32 digest = _digest(commitment.payload, p);
        _checkOpen(digest, p.slot);
        if (committer == address(0)) revert WrongSigner(committer, delegation.committer);
        // A real delegation (the URC's opt-in form passes an all-zero one) hands one slot
        // to one committer: the promise must be for that slot and signed by that key.
        bool delegated = delegation.slot != 0;
        if (delegated && (delegation.slot != p.slot || delegation.committer != committer)) revert DelegationMismatch();

        (uint256 fault, bytes calldata data) = _evidence(evidence);
        address user;
        bytes32 other;
        uint256 amount = p.slashAmount;
        if (fault == uint256(Fault.Safety)) {
            SafetyEvidence calldata ev = _safetyEvidence(data);
            user = _judgeSafety(p, _word(data, 0), ev, committer);
        } else if (fault == uint256(Fault.Liveness)) {
            _judgeMissed(p.slot, _tail(data, 0), _tail(data, 1));
            user = p.inclusions[0].sender;
            // No ledger caps the amount here: cap it before the product, so none overflows.
            uint256 capped = amount > type(uint96).max ? type(uint96).max : amount;
            amount = capped * livenessBps / BPS;
        } else if (fault == uint256(Fault.L2Inclusion)) {
            Inclusion memory inc = _judgeL2Block(p, _word(data, 0), _tail(data, 1));
            // The poster is the one the proposer's BLS key bound in the delegation; without
            // a delegation nothing on-chain names whose batches to read.
            // metadata = abi.encode(address poster): one word, high 12 bytes clean.
            if (!delegated || delegation.metadata.length != 32) revert NoPoster();
            uint256 word = uint256(bytes32(delegation.metadata));
            if (word == 0 || word >> 160 != 0) revert NoPoster();
            _judgeBatch(inc, p.slot, address(uint160(word)), _hashes(data, 2));
            user = inc.sender;
        } else {
            address signerB;
            (user, other, signerB,) = _judgeEquivocation(p, _word(data, 0), _tail(data, 1), _tail(data, 2), _word(data, 3));
            if (signerB != committer) revert WrongSigner(signerB, committer);
        }
        settled[digest] = true;
        emit PromiseSlashed(digest, address(0), Fault(fault), user, amount, 0, challenger, other);
        return amount;
    }

    // ======================= judging (shared by both paths) =======================

    /// @dev Safety: inclusion `index` of p is an L1 transaction missing from the slot's
    ///      block although includable at its parent. Priors are backed by their ledger when
    ///      `committer` is zero (the own path), else signed by `committer` (the URC path).
    ///      Returns the inclusion's sender.
    function _judgeSafety(Promise memory p, uint256 index, SafetyEvidence calldata ev, address committer)
        private
        view
        returns (address)
    {
        Inclusion memory inc = _inclusion(p, index);
        if (inc.chainId != block.chainid) revert NotL1Inclusion();

        BlockHeader.Header memory b = _anchored(ev.header);
        uint256 ts = _slotTimestamp(p.slot);
        if (b.timestamp != ts) revert NotSlotBlock(b.timestamp, ts);
        BlockHeader.Header memory par = BlockHeader.decode(ev.parentHeader);
        if (par.hash != b.parentHash) revert NotParent();

        // Broken: after B the sender has not used the promised nonce.
        AccountProof.Account memory after_ = AccountProof.verify(b.stateRoot, inc.sender, ev.blockProof);
        if (after_.nonce > inc.nonce) revert PromiseKept();

        // Includable at P: plain account, nonce chain from P's nonce through the priors,
        // enough balance for all of them, fees and gas that fit B.
        AccountProof.Account memory before = AccountProof.verify(par.stateRoot, inc.sender, ev.parentProof);
        if (before.codeHash != AccountProof.EMPTY_CODE_HASH) revert SenderHasCode();
        if (before.nonce > inc.nonce) revert NonceAlreadyUsed(before.nonce, inc.nonce);
        uint256 gap = inc.nonce - before.nonce;
        if (ev.priors.length != gap) revert NonceGap(gap, ev.priors.length);

        uint256 cost = inc.maxCost;
        uint256 gas = inc.gasLimit;
        _checkFees(inc, b);
        for (uint256 j; j < gap; j++) {
            Inclusion memory pi = _prior(ev.priors[j], p, inc.sender, before.nonce + j, j, committer);
            _checkFees(pi, b);
            cost += pi.maxCost;
            gas += pi.gasLimit;
        }
        if (before.balance < cost) revert InsufficientBalance(before.balance, cost);
        if (gas > b.gasLimit) revert GasAboveBlockLimit(gas, b.gasLimit);
        return inc.sender;
    }

    /// @dev Liveness: `header1` is the parent of the anchored `header2` and their times
    ///      straddle the slot's: the slot has no block.
    function _judgeMissed(uint64 slot, bytes calldata header1, bytes calldata header2) private view {
        BlockHeader.Header memory h2 = _anchored(header2);
        BlockHeader.Header memory h1 = BlockHeader.decode(header1);
        if (h2.parentHash != h1.hash) revert NotParent();
        uint256 ts = _slotTimestamp(slot);
        if (!(h1.timestamp < ts && ts < h2.timestamp)) revert SlotNotMissed();
    }

    /// @dev L2 inclusion, first half: inclusion `index` is a rollup's and the slot's block
    ///      exists (otherwise it is a liveness fault, slashed less). Returns the inclusion.
    function _judgeL2Block(Promise memory p, uint256 index, bytes calldata header)
        private
        view
        returns (Inclusion memory inc)
    {
        inc = _inclusion(p, index);
        if (inc.chainId == block.chainid) revert NotL2Inclusion();
        BlockHeader.Header memory b = _anchored(header);
        uint256 ts = _slotTimestamp(p.slot);
        if (b.timestamp != ts) revert NotSlotBlock(b.timestamp, ts);
    }

    /// @dev L2 inclusion, second half: `txHashes` are every L2 transaction `poster` posted
    ///      for the rollup in the slot (they fold to the Inbox's record) and none is the
    ///      promised one.
    function _judgeBatch(Inclusion memory inc, uint64 slot, address poster, bytes32[] calldata txHashes)
        private
        view
    {
        (bytes32 want, uint32 count) = inbox.batchOf(inc.chainId, slot, poster);
        if (txHashes.length != count) revert BatchMismatch();
        bytes32 acc;
        bytes32 promised = inc.txHash;
        for (uint256 i; i < txHashes.length; i++) {
            bytes32 h = txHashes[i];
            if (h == promised) revert PromiseKept();
            assembly {
                mstore(0x00, acc)
                mstore(0x20, h)
                acc := keccak256(0x00, 0x40)
            }
        }
        if (acc != want) revert BatchMismatch();
    }

    /// @dev Equivocation: B (decoded here) and A hold inclusions with the same chain, sender
    ///      and nonce and different hashes. Who must have signed B is the caller's rule.
    ///      Returns A's inclusion's sender, B's digest, B's signer and B's slot.
    function _judgeEquivocation(
        Promise memory pa,
        uint256 indexA,
        bytes calldata payloadB,
        bytes calldata signatureB,
        uint256 indexB
    ) private view returns (address user, bytes32 digestB, address signerB, uint64 slotB) {
        Promise memory pb = abi.decode(payloadB, (Promise));
        _checkShape(pb);
        digestB = _digest(payloadB, pb);
        signerB = _recover(digestB, signatureB);
        if (pa.operator != pb.operator) revert DifferentOperators();
        Inclusion memory ia = _inclusion(pa, indexA);
        Inclusion memory ib = _inclusion(pb, indexB);
        if (
            ia.chainId != ib.chainId || ia.sender != ib.sender || ia.nonce != ib.nonce || ia.txHash == ib.txHash
        ) revert NotEquivocation();
        return (ia.sender, digestB, signerB, pb.slot);
    }

    // ======================= views =======================

    /// @inheritdoc ISlasher
    function promiseDigest(bytes calldata payload) external view returns (bytes32) {
        return _digest(payload, abi.decode(payload, (Promise)));
    }

    /// @inheritdoc ISlasher
    function currentSlot() public view returns (uint64) {
        if (block.timestamp < genesisTime) return 0;
        return uint64((block.timestamp - genesisTime) / secondsPerSlot);
    }

    /// @inheritdoc ISlasher
    function slotTimestamp(uint64 slot) external view returns (uint256) {
        return _slotTimestamp(slot);
    }

    /// @inheritdoc ISlasher
    function blobBaseFee(uint256 excessBlobGas) public view returns (uint256) {
        // fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS = 1, excess, update fraction), EIP-4844.
        uint256 denominator = blobBaseFeeUpdateFraction;
        uint256 output;
        uint256 accum = denominator; // factor (1) * denominator
        for (uint256 i = 1; accum > 0; i++) {
            output += accum;
            accum = accum * excessBlobGas / (denominator * i);
        }
        return output / denominator;
    }

    /// @inheritdoc ISlasher
    function claimHash(bytes32 digest, address beneficiary, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(digest, beneficiary, salt));
    }

    // ======================= internals =======================

    /// @dev Decodes and checks a promise: its shape, a well-formed signature, that it is
    ///      unsettled and that evidence for it is still taken. Who signed it is judged by
    ///      _back (the ledger's committer) or _prior.
    function _open(bytes calldata payload, bytes calldata signature) private view returns (Opened memory o) {
        o.p = abi.decode(payload, (Promise));
        _checkShape(o.p);
        o.digest = _digest(payload, o.p);
        o.signer = _recover(o.digest, signature);
        _checkOpen(o.digest, o.p.slot);
    }

    /// @dev The promise is not settled and evidence for its slot is still taken.
    function _checkOpen(bytes32 digest, uint64 slot) private view {
        if (settled[digest]) revert AlreadySettled(digest);
        uint64 now_ = currentSlot();
        if (now_ > uint256(slot) + slashWindow) revert EvidenceExpired(slot, now_);
    }

    /// @dev Checks the promise is backed: its (digest, slashAmount) is leaf `bk.index` of its
    ///      slot's ledger and the committer that opened the ledger signed it. Returns the
    ///      poster the ledger names (whose Inbox batches hold the slot's L2 promises).
    ///      A promise in no ledger is void: nothing on-chain can tell it from one minted
    ///      after the fact (docs/protocol.md §9.0).
    function _back(Opened memory o, Backing calldata bk) private view returns (address poster) {
        Promise memory p = o.p;
        IRegistry.Ledger memory l = registry.ledgerOf(p.operator, p.slot);
        if (l.count == 0 || p.slashAmount > type(uint96).max) revert NotInLedger();
        bytes32 leaf = LedgerTree.leaf(o.digest, uint96(p.slashAmount));
        if (!LedgerTree.verify(l.root, l.count, bk.index, leaf, bk.proof)) revert NotInLedger();
        if (o.signer != l.committer) revert WrongSigner(o.signer, l.committer);
        return l.poster;
    }

    /// @dev The structural rules of decisions v1: types 1 and 2 hold one inclusion on L1 or
    ///      a rollup respectively, type 3 holds 2..16.
    function _checkShape(Promise memory p) private view {
        uint256 n = p.inclusions.length;
        if (p.commitmentType == TYPE_L1 || p.commitmentType == TYPE_L2) {
            if (n != 1) revert InvalidPromise();
            if ((p.inclusions[0].chainId == block.chainid) != (p.commitmentType == TYPE_L1)) revert InvalidPromise();
        } else if (p.commitmentType == TYPE_BUNDLE) {
            if (n < 2 || n > MAX_BUNDLE) revert InvalidPromise();
        } else {
            revert InvalidPromise();
        }
    }

    function _inclusion(Promise memory p, uint256 index) private pure returns (Inclusion memory) {
        if (index >= p.inclusions.length) revert InclusionIndex(index);
        return p.inclusions[index];
    }

    /// @dev Checks prior j of a safety claim: a promise of the same operator for the slashed
    ///      promise's slot, whose inclusion is the same sender's L1 transaction with nonce
    ///      `nonce`, and that binds the operator: backed by its ledger (own path, `committer`
    ///      zero), or signed by `committer` (the URC path, where nothing else backs a promise).
    function _prior(Prior calldata prior, Promise memory p, address sender, uint256 nonce, uint256 j, address committer)
        private
        view
        returns (Inclusion memory pi)
    {
        // A prior must be backed: a promise the operator put on-chain in time. A signature
        // alone could be minted after the fact (a leaked key) to make an unincludable
        // promise look includable.
        Promise memory pp = abi.decode(prior.payload, (Promise));
        _checkShape(pp);
        bytes32 d = _digest(prior.payload, pp);
        address signer = _recover(d, prior.signature);
        // Same slot only: a promise stacked on a nonce promised for an earlier slot that
        // broke is not the operator's to keep (that earlier promise is slashed instead),
        // so carrying the missed transaction forward stays best effort, never a liability.
        if (pp.operator != p.operator || pp.slot != p.slot || prior.index >= pp.inclusions.length) revert BadPrior(j);
        if (committer == address(0)) {
            if (pp.slashAmount > type(uint96).max) revert BadPrior(j);
            IRegistry.Ledger memory l = registry.ledgerOf(pp.operator, pp.slot);
            if (
                l.count == 0 || signer != l.committer
                    || !LedgerTree.verify(l.root, l.count, prior.leafIndex, LedgerTree.leaf(d, uint96(pp.slashAmount)), prior.leafProof)
            ) revert BadPrior(j);
        } else if (signer != committer) {
            revert BadPrior(j);
        }
        pi = pp.inclusions[prior.index];
        if (pi.chainId != block.chainid || pi.sender != sender || pi.nonce != nonce) revert BadPrior(j);
    }

    function _checkFees(Inclusion memory inc, BlockHeader.Header memory b) private view {
        if (inc.maxFeePerGas < b.baseFee) revert FeeBelowBaseFee(inc.maxFeePerGas, b.baseFee);
        if (inc.maxFeePerBlobGas != 0) {
            uint256 fee = blobBaseFee(b.excessBlobGas);
            if (inc.maxFeePerBlobGas < fee) revert BlobFeeBelowBlobBaseFee(inc.maxFeePerBlobGas, fee);
        }
    }

    /// @dev Decodes a header and checks it is canonical: BLOCKHASH for the last 256 blocks,
    ///      the EIP-2935 history contract for the last 8191.
    function _anchored(bytes calldata rlpHeader) private view returns (BlockHeader.Header memory h) {
        h = BlockHeader.decode(rlpHeader);
        bytes32 known;
        if (h.number < block.number) {
            if (block.number - h.number <= 256) {
                known = blockhash(h.number);
            } else {
                (bool ok, bytes memory ret) = HISTORY.staticcall(abi.encode(h.number));
                if (ok && ret.length == 32) known = abi.decode(ret, (bytes32));
            }
        }
        if (known == bytes32(0) || known != h.hash) revert HeaderNotAnchored(h.hash, h.number);
    }

    function _recover(bytes32 digest, bytes calldata sig) private pure returns (address signer) {
        if (sig.length != 65) revert MalformedSignature();
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if ((v != 27 && v != 28) || uint256(s) > HALF_N) revert MalformedSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert MalformedSignature();
    }

    /// @dev Settles the promise and has the Registry take `amount` (at most the promise's
    ///      leaf) from its ledger's reservation, paid to the user, the committed beneficiary,
    ///      and burnt.
    function _slash(Opened memory o, Fault fault, address user, uint256 amount, bytes32 other, Claim calldata claim)
        private
    {
        if (claim.beneficiary == address(0)) revert ZeroBeneficiary();
        bytes32 h = claimHash(o.digest, claim.beneficiary, claim.salt);
        uint256 committedAt = claims[h];
        if (committedAt == 0 || committedAt >= block.number) revert ClaimNotCommitted(h);
        settled[o.digest] = true;
        (uint256 taken, uint256 userPaid) =
            registry.slash(o.p.operator, o.p.slot, amount, user, userBps, claim.beneficiary, burnBps);
        emit PromiseSlashed(o.digest, o.p.operator, fault, user, taken, userPaid, claim.beneficiary, other);
    }

    // ---- reading the URC's evidence in place, in calldata (the proof and header readers
    //      work on calldata); every offset is checked against the enclosing bytes ----

    /// @dev evidence = abi.encode(uint8 fault, bytes data).
    function _evidence(bytes calldata evidence) private pure returns (uint256 fault, bytes calldata data) {
        fault = _word(evidence, 0);
        if (fault > uint256(Fault.Equivocation)) revert MalformedEvidence();
        data = _tail(evidence, 1);
    }

    /// @dev Word `i` of the ABI head in `b`.
    function _word(bytes calldata b, uint256 i) private pure returns (uint256 w) {
        if (i >= b.length / 32) revert MalformedEvidence();
        assembly {
            w := calldataload(add(b.offset, mul(i, 32)))
        }
    }

    /// @dev Where the dynamic value head word `i` of `b` points to, and the word there
    ///      (its length, for bytes and arrays).
    function _at(bytes calldata b, uint256 i) private pure returns (uint256 off, uint256 len) {
        off = _word(b, i);
        if (off >= b.length || b.length - off < 32) revert MalformedEvidence();
        assembly {
            len := calldataload(add(b.offset, off))
        }
    }

    /// @dev The `bytes` head word `i` of `b` points to.
    function _tail(bytes calldata b, uint256 i) private pure returns (bytes calldata t) {
        (uint256 off, uint256 len) = _at(b, i);
        if (len > b.length - off - 32) revert MalformedEvidence();
        t = b[off + 32:off + 32 + len];
    }

    /// @dev The `bytes32[]` head word `i` of `b` points to.
    function _hashes(bytes calldata b, uint256 i) private pure returns (bytes32[] calldata t) {
        (uint256 off, uint256 len) = _at(b, i);
        if (len > (b.length - off - 32) / 32) revert MalformedEvidence();
        assembly {
            t.offset := add(b.offset, add(off, 32))
            t.length := len
        }
    }

    /// @dev The SafetyEvidence of data = abi.encode(uint256 index, SafetyEvidence). Its own
    ///      members are read through Solidity's checked calldata accessors.
    function _safetyEvidence(bytes calldata data) private pure returns (SafetyEvidence calldata ev) {
        uint256 off = _word(data, 1);
        if (off >= data.length) revert MalformedEvidence();
        assembly {
            ev := add(data.offset, off)
        }
    }

    function _slotTimestamp(uint64 slot) private view returns (uint256) {
        return uint256(genesisTime) + uint256(slot) * secondsPerSlot;
    }

    /// @dev The commitment's signing root, as the Commitments API's reference gateway and
    ///      the URC compute it: keccak256(abi.encode(MessageType.Commitment, Commitment)),
    ///      the commitment naming this contract as its slasher. It identifies the promise.
    function _digest(bytes memory payload, Promise memory p) private view returns (bytes32) {
        return keccak256(
            abi.encode(
                MESSAGE_COMMITMENT,
                Commitment({
                    commitmentType: p.commitmentType,
                    payload: payload,
                    requestHash: p.requestHash,
                    slasher: address(this)
                })
            )
        );
    }
}
