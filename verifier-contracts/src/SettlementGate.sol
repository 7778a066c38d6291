// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

import {CommitteeQuorum} from "./CommitteeQuorum.sol";
import {IGroth16Verifier2} from "./IGroth16Verifier.sol";
import {PoseidonT5} from "./PoseidonT5.sol";

/// @title SettlementGate: the on-chain state root of a venue, moved only by proven trade batches
/// @notice Holds the current root of the state tree (docs/state.md) and the trade snapshots the
///         oracle committee signed (CommitteeQuorum: k valid EIP-712 signatures of distinct
///         members over a TradeSnapshot, hashed at this gate's circuit shape A, I, S). A batch
///         settles only with a Groth16 proof, under the verifier fixed at deployment, whose two
///         public inputs are recomputed here:
///             public[0] = Poseidon(oldRoot, newRoot, snapshotHash, tradesCommitment)
///             public[1] = batchId * 2^80 + batchTime * 2^16 + feeBps
///         with oldRoot the stored root (so a proof made for any other root fails), batchId the
///         next batch id (ids run 0, 1, 2, ... with no gap), batchTime not in the future and a
///         registered snapshot. Every refusal is a custom error; a bad proof is InvalidProof.
/// @dev Signed message (EIP-712 in CommitteeQuorum's domain; docs/oracle.md):
///         TradeSnapshot(uint256 snapshotHash,uint256 marketHash,uint32 assets,uint32 instruments,
///                       uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)
///      snapshotHash is the trade snapshot hash the proofs bind (marks, shocks, prices, price
///      bands, initial shocks and names of one snapshot file); marketHash is the solvency market
///      hash of the same file, so a round and a settlement can be compared.
contract SettlementGate is CommitteeQuorum {
    /// @notice The EIP-712 message: what each committee member signs for the gate.
    struct TradeSnapshot {
        uint256 snapshotHash;
        uint256 marketHash;
        uint32 assets;
        uint32 instruments;
        uint32 scenarios;
        bytes32 snapshotSha256;
        uint64 snapshotTime;
    }

    /// @notice A registered trade snapshot (the trade snapshot hash is the key).
    struct RegisteredTradeSnapshot {
        uint256 marketHash;
        bytes32 snapshotSha256;
        uint64 snapshotTime;
        uint64 blockNumber;
    }

    bytes32 public constant TRADE_SNAPSHOT_TYPEHASH = keccak256(
        "TradeSnapshot(uint256 snapshotHash,uint256 marketHash,uint32 assets,uint32 instruments,uint32 scenarios,bytes32 snapshotSha256,uint64 snapshotTime)"
    );

    /// @notice The BN254 scalar field modulus: every uint256 input must be below it.
    uint256 public constant SCALAR_FIELD = PoseidonT5.R;
    /// @notice The largest fee rate, in basis points (100%).
    uint16 public constant MAX_FEE_BPS = 10_000;

    /// @notice The verifier of trade batch proofs (two public inputs).
    IGroth16Verifier2 public immutable verifier;
    /// @notice The circuit shape (A, I, S) at which this gate's snapshots are hashed.
    uint32 public immutable assets;
    uint32 public immutable instruments;
    uint32 public immutable scenarios;

    /// @notice The current state root.
    uint256 public root;
    // nextBatchId + 1: never zero, so that each settle rewrites a non-zero slot (5,000 gas, not 22,100).
    uint256 private _nextBatchIdPlusOne;
    mapping(uint256 snapshotHash => RegisteredTradeSnapshot) private _snapshots;

    /// @notice A batch settled: the root moved from oldRoot to newRoot.
    event Settled(uint64 indexed batchId, uint256 oldRoot, uint256 newRoot);
    /// @notice A trade snapshot was registered; `signers` are the members whose signatures were checked.
    event SnapshotRegistered(
        uint256 indexed snapshotHash, uint256 marketHash, bytes32 snapshotSha256, uint64 snapshotTime, address[] signers
    );

    /// @notice The value called `name` is not below the scalar field modulus R.
    error NotAFieldElement(string name, uint256 value);
    /// @notice `snapshotHash` was not registered with the committee's signatures.
    error UnknownSnapshot(uint256 snapshotHash);
    /// @notice The snapshot was hashed at another circuit shape than this gate's (A, I, S).
    error SnapshotForAnotherCircuit(uint32 assets, uint32 instruments, uint32 scenarios);
    /// @notice `snapshotHash` is registered already.
    error SnapshotAlreadyRegistered(uint256 snapshotHash);
    /// @notice `batchId` settled already (it is below the next batch id `expected`).
    error BatchIdReused(uint64 batchId, uint64 expected);
    /// @notice `batchId` skips ahead of the next batch id `expected`.
    error UnexpectedBatchId(uint64 batchId, uint64 expected);
    /// @notice `batchTime` is after the block's timestamp `nowTime`.
    error BatchTimeInFuture(uint64 batchTime, uint256 nowTime);
    /// @notice `feeBps` is above MAX_FEE_BPS.
    error FeeTooHigh(uint16 feeBps);
    /// @notice The verifier rejected the proof for these public inputs (a wrong proof, or one made
    ///         for another old root, new root, snapshot, trades commitment or header).
    error InvalidProof(uint256 publicInput, uint256 header);
    /// @notice Deployment: an address argument is zero.
    error ZeroAddress(string name);
    /// @notice Deployment: the verifier takes `count` public inputs, not 2.
    error WrongVerifier(uint256 count);
    /// @notice No more batch ids (2^64 batches settled).
    error BatchIdsExhausted();

    /// @param verifier_ The trade batch verifier (two public inputs).
    /// @param initialRoot The state root before the first batch (`zksolvency state init`).
    /// @param assets_ The trade circuit's A (snapshots must be hashed at A, I, S).
    /// @param instruments_ The trade circuit's I.
    /// @param scenarios_ The trade circuit's S.
    /// @param committee_ The oracle committee's members; `threshold_` of them must sign a snapshot.
    constructor(
        IGroth16Verifier2 verifier_,
        uint256 initialRoot,
        uint32 assets_,
        uint32 instruments_,
        uint32 scenarios_,
        address[] memory committee_,
        uint256 threshold_
    ) CommitteeQuorum(committee_, threshold_) {
        if (address(verifier_) == address(0)) revert ZeroAddress("verifier");
        if (initialRoot >= SCALAR_FIELD) revert NotAFieldElement("initialRoot", initialRoot);
        uint256 count = verifier_.PUBLIC_INPUT_COUNT();
        if (count != 2) revert WrongVerifier(count);
        verifier = verifier_;
        assets = assets_;
        instruments = instruments_;
        scenarios = scenarios_;
        root = initialRoot;
        _nextBatchIdPlusOne = 1;
    }

    /// @notice The id the next settled batch must carry (0 before the first).
    function nextBatchId() public view returns (uint64) {
        return uint64(_nextBatchIdPlusOne - 1);
    }

    /// @notice Whether a trade snapshot with `snapshotHash` is registered.
    function isSnapshotRegistered(uint256 snapshotHash) external view returns (bool) {
        return _snapshots[snapshotHash].blockNumber != 0;
    }

    /// @notice The registered trade snapshot with `snapshotHash` (reverts UnknownSnapshot otherwise).
    function getSnapshot(uint256 snapshotHash) external view returns (RegisteredTradeSnapshot memory) {
        if (_snapshots[snapshotHash].blockNumber == 0) revert UnknownSnapshot(snapshotHash);
        return _snapshots[snapshotHash];
    }

    /// @notice Register `snapshot` with at least `threshold` signatures of distinct committee members.
    /// @dev Anyone may call: the signatures are the authorisation. Each snapshot hash once.
    function registerSnapshot(TradeSnapshot calldata snapshot, bytes[] calldata signatures) external {
        if (snapshot.snapshotHash >= SCALAR_FIELD) revert NotAFieldElement("snapshotHash", snapshot.snapshotHash);
        if (snapshot.marketHash >= SCALAR_FIELD) revert NotAFieldElement("marketHash", snapshot.marketHash);
        if (snapshot.assets != assets || snapshot.instruments != instruments || snapshot.scenarios != scenarios) {
            revert SnapshotForAnotherCircuit(snapshot.assets, snapshot.instruments, snapshot.scenarios);
        }
        if (_snapshots[snapshot.snapshotHash].blockNumber != 0) {
            revert SnapshotAlreadyRegistered(snapshot.snapshotHash);
        }
        address[] memory signers = _requireQuorum(tradeSnapshotDigest(snapshot), signatures);
        _snapshots[snapshot.snapshotHash] = RegisteredTradeSnapshot({
            marketHash: snapshot.marketHash,
            snapshotSha256: snapshot.snapshotSha256,
            snapshotTime: snapshot.snapshotTime,
            blockNumber: uint64(block.number)
        });
        emit SnapshotRegistered(
            snapshot.snapshotHash, snapshot.marketHash, snapshot.snapshotSha256, snapshot.snapshotTime, signers
        );
    }

    /// @notice The digest committee members sign for `snapshot` on this chain.
    /// @dev Every member is a static type, so abi.encode lays the struct out as its members in
    ///      order, 32 bytes each: hashStruct(TradeSnapshot, snapshot) of EIP-712.
    function tradeSnapshotDigest(TradeSnapshot calldata snapshot) public view returns (bytes32) {
        return _digest(keccak256(abi.encode(TRADE_SNAPSHOT_TYPEHASH, snapshot)));
    }

    /// @notice The two public inputs a proof for these values must have, from the current root.
    function publicInputsOf(
        uint256 newRoot,
        uint256 tradesCommitment,
        uint256 snapshotHash,
        uint64 batchId,
        uint64 batchTime,
        uint16 feeBps
    ) external view returns (uint256 publicInput, uint256 header) {
        _checkInputs(newRoot, tradesCommitment, snapshotHash, feeBps);
        return _publicInputs(root, newRoot, tradesCommitment, snapshotHash, batchId, batchTime, feeBps);
    }

    function _checkInputs(uint256 newRoot, uint256 tradesCommitment, uint256 snapshotHash, uint16 feeBps)
        private
        pure
    {
        if (newRoot >= SCALAR_FIELD) revert NotAFieldElement("newRoot", newRoot);
        if (tradesCommitment >= SCALAR_FIELD) revert NotAFieldElement("tradesCommitment", tradesCommitment);
        if (snapshotHash >= SCALAR_FIELD) revert NotAFieldElement("snapshotHash", snapshotHash);
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
    }

    function _publicInputs(
        uint256 oldRoot,
        uint256 newRoot,
        uint256 tradesCommitment,
        uint256 snapshotHash,
        uint64 batchId,
        uint64 batchTime,
        uint16 feeBps
    ) private pure returns (uint256 publicInput, uint256 header) {
        publicInput = PoseidonT5.hash(oldRoot, newRoot, snapshotHash, tradesCommitment);
        // Below 2^144 < R: the three parts neither overlap nor wrap.
        header = (uint256(batchId) << 80) | (uint256(batchTime) << 16) | uint256(feeBps);
    }

    /// @notice Settle the next batch: check the ids, time and snapshot, verify, move the root.
    /// @param proof (A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y): EIP-197 order.
    function settle(
        uint256 newRoot,
        uint256 tradesCommitment,
        uint256 snapshotHash,
        uint64 batchId,
        uint64 batchTime,
        uint16 feeBps,
        uint256[8] calldata proof
    ) external {
        _checkInputs(newRoot, tradesCommitment, snapshotHash, feeBps);
        uint256 plusOne = _nextBatchIdPlusOne;
        if (plusOne - 1 > type(uint64).max) revert BatchIdsExhausted();
        uint64 expected = uint64(plusOne - 1);
        if (batchId < expected) revert BatchIdReused(batchId, expected);
        if (batchId > expected) revert UnexpectedBatchId(batchId, expected);
        if (batchTime > block.timestamp) revert BatchTimeInFuture(batchTime, block.timestamp);
        if (_snapshots[snapshotHash].blockNumber == 0) revert UnknownSnapshot(snapshotHash);

        uint256 oldRoot = root;
        (uint256 publicInput, uint256 header) =
            _publicInputs(oldRoot, newRoot, tradesCommitment, snapshotHash, batchId, batchTime, feeBps);
        bool ok = verifier.verifyProof(
            [proof[0], proof[1]],
            [[proof[2], proof[3]], [proof[4], proof[5]]],
            [proof[6], proof[7]],
            [publicInput, header]
        );
        if (!ok) revert InvalidProof(publicInput, header);

        root = newRoot;
        _nextBatchIdPlusOne = plusOne + 1;
        emit Settled(batchId, oldRoot, newRoot);
    }
}
