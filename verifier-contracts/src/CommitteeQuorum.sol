// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

/// @title CommitteeQuorum: an oracle committee and the k-of-n rule over its EIP-712 signatures
/// @notice Holds an oracle committee (n member addresses, threshold k, fixed at deployment) and
///         checks that a digest carries k valid signatures of distinct members. Contracts that
///         register market snapshots inherit it: SnapshotCommittee (the solvency registry's
///         MarketSnapshot) and SettlementGate (its TradeSnapshot). Each message type has its own
///         type hash, so a signature over one is never a signature over the other.
/// @dev EIP-712 (https://eips.ethereum.org/EIPS/eip-712; docs/oracle.md): the domain is
///         EIP712Domain(string name,string version,uint256 chainId), name "zksolvency",
///         version "1", chainId = block.chainid (no verifyingContract: a signature says what the
///         market was, not which contract may use it); a digest is
///         keccak256(0x19 0x01 || domainSeparator || hashStruct(message)).
///      Signatures are 65 bytes r || s || v with v in {27, 28} and s <= n/2 (EIP-2), recovered with
///      the ecrecover precompile. Every signature must be valid and from a distinct member.
abstract contract CommitteeQuorum {
    bytes32 public constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId)");
    bytes32 private constant NAME_HASH = keccak256("zksolvency");
    bytes32 private constant VERSION_HASH = keccak256("1");
    /// @notice Half the order of secp256k1's group: a valid s is at most this (EIP-2).
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// @notice At most this many members (who signed is marked in one 256-bit word).
    uint256 public constant MAX_MEMBERS = 256;

    /// @notice Signatures of distinct members needed to register a snapshot.
    uint256 public immutable threshold;

    address[] private _members;
    // member => its index + 1 (0: not a member)
    mapping(address member => uint256 indexPlusOne) private _memberSlot;

    /// @notice Deployment: the threshold is 0 or above the number of members, or there are too many.
    error InvalidThreshold(uint256 threshold, uint256 members);
    /// @notice Deployment: member `index` is the zero address or repeats an earlier member.
    error InvalidCommitteeMember(uint256 index, address member);
    /// @notice Fewer signatures than the threshold were given.
    error QuorumNotReached(uint256 signatures, uint256 threshold);
    /// @notice Signature `index` is not 65 bytes, its v is not 27/28, its r or s is out of range, or no key recovers.
    error MalformedSignature(uint256 index, string reason);
    /// @notice Signature `index` recovers `signer`, who is not a member (also: a signature over other data).
    error NotACommitteeMember(uint256 index, address signer);
    /// @notice Signature `index` is a second one by `signer`.
    error DuplicateSigner(uint256 index, address signer);

    /// @param members_ The committee's addresses (distinct, non-zero, at most 256).
    /// @param threshold_ Signatures needed, 1..members_.length.
    constructor(address[] memory members_, uint256 threshold_) {
        if (threshold_ == 0 || threshold_ > members_.length || members_.length > MAX_MEMBERS) {
            revert InvalidThreshold(threshold_, members_.length);
        }
        for (uint256 i = 0; i < members_.length; ++i) {
            address member = members_[i];
            if (member == address(0) || _memberSlot[member] != 0) revert InvalidCommitteeMember(i, member);
            _memberSlot[member] = i + 1;
        }
        _members = members_;
        threshold = threshold_;
    }

    /// @notice The EIP-712 domain separator on this chain.
    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid));
    }

    /// @notice The committee: its members (in deployment order) and the threshold.
    function committee() external view returns (address[] memory members, uint256 threshold_) {
        return (_members, threshold);
    }

    /// @notice The EIP-712 digest of a message whose hashStruct is `structHash`, on this chain.
    function _digest(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice The signers of `digest`, in order; reverts unless there are at least `threshold`
    ///         signatures, each well formed and from a distinct member.
    function _requireQuorum(bytes32 digest, bytes[] calldata signatures)
        internal
        view
        returns (address[] memory signers)
    {
        if (signatures.length < threshold) revert QuorumNotReached(signatures.length, threshold);
        signers = new address[](signatures.length);
        uint256 seen; // bit j set: member j signed
        for (uint256 k = 0; k < signatures.length; ++k) {
            address signer = _recover(digest, signatures[k], k);
            uint256 slot = _memberSlot[signer];
            if (slot == 0) revert NotACommitteeMember(k, signer);
            uint256 bit = 1 << (slot - 1);
            if (seen & bit != 0) revert DuplicateSigner(k, signer);
            seen |= bit;
            signers[k] = signer;
        }
    }

    /// @notice The signer of `digest` by signature `index`, under the rules in the contract's header.
    function _recover(bytes32 digest, bytes calldata signature, uint256 index) private pure returns (address) {
        if (signature.length != 65) revert MalformedSignature(index, "not 65 bytes");
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v != 27 && v != 28) revert MalformedSignature(index, "v is not 27 or 28");
        if (uint256(s) == 0 || uint256(s) > HALF_ORDER) revert MalformedSignature(index, "s is not in the lower half");
        if (uint256(r) == 0) revert MalformedSignature(index, "r is zero");
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert MalformedSignature(index, "no key recovers");
        return signer;
    }
}
