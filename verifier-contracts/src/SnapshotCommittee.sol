// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

import {CommitteeQuorum} from "./CommitteeQuorum.sol";
import {PoseidonT5} from "./PoseidonT5.sol";

/// @title SnapshotCommittee: market snapshots accepted only with k-of-n committee signatures
/// @notice The market snapshots registered with k valid EIP-712 signatures of distinct members of
///         the committee (CommitteeQuorum). A contract that inherits it (SolvencyRegistry) names
///         the circuit shape (A, I, S) its snapshots must be hashed at, and calls
///         `_requireRegisteredSnapshot` before it accepts a round naming a market hash.
/// @dev Signed message (EIP-712 in CommitteeQuorum's domain; docs/oracle.md):
///         MarketSnapshot(uint256 marketHash,uint32 assets,uint32 instruments,
///                        uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)
abstract contract SnapshotCommittee is CommitteeQuorum {
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

    bytes32 public constant SNAPSHOT_TYPEHASH = keccak256(
        "MarketSnapshot(uint256 marketHash,uint32 assets,uint32 instruments,uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)"
    );

    mapping(uint256 marketHash => RegisteredSnapshot) private _snapshots;

    /// @notice A snapshot was registered; `signers` are the members whose signatures were checked.
    event SnapshotRegistered(
        uint256 indexed marketHash, bytes32 snapshotSha256, uint64 snapshotTime, address[] signers
    );

    /// @notice The market hash is not below the BN254 scalar field modulus.
    error SnapshotHashNotAFieldElement(uint256 marketHash);
    /// @notice The snapshot was hashed at another circuit shape than this contract's (A, I, S).
    error SnapshotForAnotherCircuit(uint32 assets, uint32 instruments, uint32 scenarios);
    /// @notice A snapshot with this market hash is registered already.
    error SnapshotAlreadyRegistered(uint256 marketHash);
    /// @notice No snapshot with this market hash is registered.
    error UnregisteredSnapshot(uint256 marketHash);

    /// @param members_ The committee's addresses (distinct, non-zero, at most 256).
    /// @param threshold_ Signatures needed, 1..members_.length.
    constructor(address[] memory members_, uint256 threshold_) CommitteeQuorum(members_, threshold_) {}

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
        address[] memory signers = _requireQuorum(snapshotDigest(snapshot), signatures);
        _snapshots[snapshot.marketHash] = RegisteredSnapshot({
            snapshotSha256: snapshot.snapshotSha256,
            snapshotTime: snapshot.snapshotTime,
            blockNumber: uint64(block.number)
        });
        emit SnapshotRegistered(snapshot.marketHash, snapshot.snapshotSha256, snapshot.snapshotTime, signers);
    }

    /// @notice The digest committee members sign for `snapshot` on this chain.
    /// @dev Every member is a static type, so abi.encode lays the struct out as its members in
    ///      order, 32 bytes each: hashStruct(MarketSnapshot, snapshot) of EIP-712.
    function snapshotDigest(MarketSnapshot calldata snapshot) public view returns (bytes32) {
        return _digest(keccak256(abi.encode(SNAPSHOT_TYPEHASH, snapshot)));
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
}
