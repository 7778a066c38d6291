// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

import {PoseidonT5} from "./PoseidonT5.sol";

/// @title SnapshotCommittee: market snapshots accepted only with k-of-n committee signatures
/// @notice Holds an oracle committee (n member addresses, threshold k, fixed at deployment) and the
///         market snapshots registered with k valid EIP-712 signatures of distinct members. A
///         contract that inherits it (SolvencyRegistry; a settlement gate later) names the circuit
///         shape (A, I, S) its snapshots must be hashed at, and calls `_requireRegisteredSnapshot`
///         before it accepts a round or a settlement naming a market hash.
/// @dev Signed data (EIP-712, https://eips.ethereum.org/EIPS/eip-712; docs/oracle.md):
///         domain  EIP712Domain(string name,string version,uint256 chainId), name "zksolvency",
///                 version "1", chainId = block.chainid (no verifyingContract: the signature says
///                 what the market was, not which contract may use it)
///         message MarketSnapshot(uint256 marketHash,uint32 assets,uint32 instruments,
///                 uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)
///         digest  keccak256(0x19 0x01 || domainSeparator || hashStruct(message))
///      Signatures are 65 bytes r || s || v with v in {27, 28} and s <= n/2 (EIP-2), recovered with
///      the ecrecover precompile. Every signature must be valid and from a distinct member.
abstract contract SnapshotCommittee {
    /// @notice The EIP-712 message: what each committee member signs.
    struct MarketSnapshot {
        uint256 marketHash;
        uint32 assets;
        uint32 instruments;
        uint32 scenarios;
        bytes32 snapshotSha256;
        uint64 snapshotTime;
    }

    /// @notice A registered snapshot (the market hash is the key).
    struct RegisteredSnapshot {
        bytes32 snapshotSha256;
        uint64 snapshotTime;
        uint64 blockNumber;
    }

    bytes32 public constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId)");
    bytes32 public constant SNAPSHOT_TYPEHASH = keccak256(
        "MarketSnapshot(uint256 marketHash,uint32 assets,uint32 instruments,uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)"
    );
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
    mapping(uint256 marketHash => RegisteredSnapshot) private _snapshots;

    /// @notice A snapshot was registered; `signers` are the members whose signatures were checked.
    event SnapshotRegistered(
        uint256 indexed marketHash, bytes32 snapshotSha256, uint64 snapshotTime, address[] signers
    );

    /// @notice Deployment: the threshold is 0 or above the number of members, or there are too many.
    error InvalidThreshold(uint256 threshold, uint256 members);
    /// @notice Deployment: member `index` is the zero address or repeats an earlier member.
    error InvalidCommitteeMember(uint256 index, address member);
    /// @notice The market hash is not below the BN254 scalar field modulus.
    error SnapshotHashNotAFieldElement(uint256 marketHash);
    /// @notice The snapshot was hashed at another circuit shape than this contract's (A, I, S).
    error SnapshotForAnotherCircuit(uint32 assets, uint32 instruments, uint32 scenarios);
    /// @notice Fewer signatures than the threshold were given.
    error QuorumNotReached(uint256 signatures, uint256 threshold);
    /// @notice Signature `index` is not 65 bytes, its v is not 27/28, its r or s is out of range, or no key recovers.
    error MalformedSignature(uint256 index, string reason);
    /// @notice Signature `index` recovers `signer`, who is not a member (also: a signature over other data).
    error NotACommitteeMember(uint256 index, address signer);
    /// @notice Signature `index` is a second one by `signer`.
    error DuplicateSigner(uint256 index, address signer);
    /// @notice A snapshot with this market hash is registered already.
    error SnapshotAlreadyRegistered(uint256 marketHash);
    /// @notice No snapshot with this market hash is registered.
    error UnregisteredSnapshot(uint256 marketHash);

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

    /// @notice The circuit shape (A, I, S) at which this contract's snapshots are hashed.
    function _snapshotShape() internal view virtual returns (uint32 assets, uint32 instruments, uint32 scenarios);

    /// @notice Register `snapshot` with at least `threshold` signatures of distinct members.
    /// @dev Anyone may call: the signatures are the authorisation. Reverts on any bad signature.
    function registerSnapshot(MarketSnapshot calldata snapshot, bytes[] calldata signatures) external {
        if (snapshot.marketHash >= PoseidonT5.R) revert SnapshotHashNotAFieldElement(snapshot.marketHash);
        (uint32 a, uint32 i, uint32 s) = _snapshotShape();
        if (snapshot.assets != a || snapshot.instruments != i || snapshot.scenarios != s) {
            revert SnapshotForAnotherCircuit(snapshot.assets, snapshot.instruments, snapshot.scenarios);
        }
        if (_snapshots[snapshot.marketHash].blockNumber != 0) revert SnapshotAlreadyRegistered(snapshot.marketHash);
        if (signatures.length < threshold) revert QuorumNotReached(signatures.length, threshold);

        bytes32 digest = snapshotDigest(snapshot);
        address[] memory signers = new address[](signatures.length);
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
        _snapshots[snapshot.marketHash] = RegisteredSnapshot({
            snapshotSha256: snapshot.snapshotSha256,
            snapshotTime: snapshot.snapshotTime,
            blockNumber: uint64(block.number)
        });
        emit SnapshotRegistered(snapshot.marketHash, snapshot.snapshotSha256, snapshot.snapshotTime, signers);
    }

    /// @notice The EIP-712 domain separator on this chain.
    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid));
    }

    /// @notice The digest committee members sign for `snapshot` on this chain.
    function snapshotDigest(MarketSnapshot calldata snapshot) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                SNAPSHOT_TYPEHASH,
                snapshot.marketHash,
                snapshot.assets,
                snapshot.instruments,
                snapshot.scenarios,
                snapshot.snapshotSha256,
                snapshot.snapshotTime
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice The committee: its members (in deployment order) and the threshold.
    function committee() external view returns (address[] memory members, uint256 threshold_) {
        return (_members, threshold);
    }

    /// @notice Whether a snapshot with `marketHash` is registered.
    function isSnapshotRegistered(uint256 marketHash) public view returns (bool) {
        return _snapshots[marketHash].blockNumber != 0;
    }

    /// @notice The registered snapshot with `marketHash` (reverts UnregisteredSnapshot otherwise).
    function getSnapshot(uint256 marketHash) external view returns (RegisteredSnapshot memory) {
        _requireRegisteredSnapshot(marketHash);
        return _snapshots[marketHash];
    }

    /// @notice Revert with UnregisteredSnapshot unless a snapshot with `marketHash` is registered.
    function _requireRegisteredSnapshot(uint256 marketHash) internal view {
        if (_snapshots[marketHash].blockNumber == 0) revert UnregisteredSnapshot(marketHash);
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
