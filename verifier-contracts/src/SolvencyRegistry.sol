// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

import {IGroth16Verifier1} from "./IGroth16Verifier.sol";
import {PoseidonT5} from "./PoseidonT5.sol";
import {SnapshotCommittee} from "./SnapshotCommittee.sol";

/// @title SolvencyRegistry: the on-chain record of proven solvency rounds
/// @notice A round is accepted only with a Groth16 proof, under the verifier fixed at deployment,
///         of the root circuit whose single public input is
///             P = Poseidon(globalRoot, totalsHash, marketHash, roundId)
///         (circomlib's Poseidon with 4 inputs), recomputed here from the values submitted, and
///         only for a market snapshot registered with k-of-n oracle committee signatures
///         (SnapshotCommittee, hashed at this circuit's A, I, S). Only the operator publishes,
///         round ids strictly increase, every value is a field element (< R). What an accepted
///         round means, and what it does not: docs/contracts.md and docs/oracle.md.
contract SolvencyRegistry is SnapshotCommittee {
    /// @notice One published round: the public values and where it was recorded.
    struct Round {
        uint256 roundId;
        uint256 globalRoot;
        uint256 totalsHash;
        uint256 marketHash;
        uint64 blockNumber;
        uint64 timestamp;
    }

    /// @notice The circuit the verifier was made for (sizes of the batch circuit).
    struct CircuitParameters {
        uint32 assets;
        uint32 instruments;
        uint32 scenarios;
        uint32 batchSize;
        bytes32 verificationKeyHash;
    }

    /// @notice The BN254 scalar field modulus: every public value must be below it.
    uint256 public constant SCALAR_FIELD = PoseidonT5.R;

    /// @notice The verifier of the root circuit's proofs.
    IGroth16Verifier1 public immutable verifier;
    /// @notice The only address allowed to publish rounds.
    address public immutable operator;
    /// @notice Number of assets A of the circuit.
    uint32 public immutable assets;
    /// @notice Number of instruments I of the circuit.
    uint32 public immutable instruments;
    /// @notice Number of price scenarios S of the circuit.
    uint32 public immutable scenarios;
    /// @notice Accounts per batch B of the circuit.
    uint32 public immutable batchSize;
    /// @notice sha256 of the canonical verification key JSON (equal to the verifier's).
    bytes32 public immutable verificationKeyHash;

    // What is stored per round (the id is the key): four slots.
    struct StoredRound {
        uint256 globalRoot;
        uint256 totalsHash;
        uint256 marketHash;
        uint64 blockNumber;
        uint64 timestamp;
    }

    // Latest round id + 1; 0 before the first round (ids are below R, so the sum cannot overflow).
    uint256 private _latestPlusOne;
    mapping(uint256 roundId => StoredRound) private _rounds;

    /// @notice A round was accepted; publicInput is the proof's public input P.
    event RoundPublished(
        uint256 indexed roundId, uint256 globalRoot, uint256 totalsHash, uint256 marketHash, uint256 publicInput
    );

    /// @notice `caller` is not the operator.
    error NotOperator(address caller);
    /// @notice The value called `name` is not below the scalar field modulus R.
    error NotAFieldElement(string name, uint256 value);
    /// @notice `roundId` is not greater than the latest published round id.
    error RoundIdNotIncreasing(uint256 roundId, uint256 latestRoundId);
    /// @notice The verifier rejected the proof for public input P = `publicInput`.
    error InvalidProof(uint256 publicInput);
    /// @notice No round with this id was published.
    error UnknownRound(uint256 roundId);
    /// @notice No round was published yet.
    error NoRounds();
    /// @notice Deployment: the verifier's key hash is not the one given.
    error VerificationKeyMismatch(bytes32 expected, bytes32 verifierHas);
    /// @notice Deployment: an address argument is zero.
    error ZeroAddress(string name);

    /// @param verifier_ The root circuit's verifier (its key hash must equal `verificationKeyHash_`).
    /// @param operator_ The only address that may publish rounds.
    /// @param committee_ The oracle committee's members; `threshold_` of them must sign a snapshot.
    constructor(
        IGroth16Verifier1 verifier_,
        address operator_,
        uint32 assets_,
        uint32 instruments_,
        uint32 scenarios_,
        uint32 batchSize_,
        bytes32 verificationKeyHash_,
        address[] memory committee_,
        uint256 threshold_
    ) SnapshotCommittee(committee_, threshold_) {
        if (address(verifier_) == address(0)) revert ZeroAddress("verifier");
        if (operator_ == address(0)) revert ZeroAddress("operator");
        bytes32 actual = verifier_.VERIFICATION_KEY_HASH();
        if (actual != verificationKeyHash_) revert VerificationKeyMismatch(verificationKeyHash_, actual);
        verifier = verifier_;
        operator = operator_;
        assets = assets_;
        instruments = instruments_;
        scenarios = scenarios_;
        batchSize = batchSize_;
        verificationKeyHash = verificationKeyHash_;
    }

    /// @notice Snapshots are hashed at this registry's circuit shape.
    function _snapshotShape() internal view override returns (uint32, uint32, uint32) {
        return (assets, instruments, scenarios);
    }

    /// @notice Record a round after checking that its snapshot is registered and its root proof.
    /// @param proof (A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y): EIP-197 order.
    function publishRound(
        uint256 globalRoot,
        uint256 totalsHash,
        uint256 marketHash,
        uint256 roundId,
        uint256[8] calldata proof
    ) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (globalRoot >= SCALAR_FIELD) revert NotAFieldElement("globalRoot", globalRoot);
        if (totalsHash >= SCALAR_FIELD) revert NotAFieldElement("totalsHash", totalsHash);
        if (marketHash >= SCALAR_FIELD) revert NotAFieldElement("marketHash", marketHash);
        if (roundId >= SCALAR_FIELD) revert NotAFieldElement("roundId", roundId);
        uint256 latestPlusOne = _latestPlusOne;
        if (latestPlusOne != 0 && roundId < latestPlusOne) revert RoundIdNotIncreasing(roundId, latestPlusOne - 1);
        _requireRegisteredSnapshot(marketHash);

        uint256 publicInput = PoseidonT5.hash(globalRoot, totalsHash, marketHash, roundId);
        bool ok = verifier.verifyProof(
            [proof[0], proof[1]], [[proof[2], proof[3]], [proof[4], proof[5]]], [proof[6], proof[7]], [publicInput]
        );
        if (!ok) revert InvalidProof(publicInput);

        _rounds[roundId] = StoredRound({
            globalRoot: globalRoot,
            totalsHash: totalsHash,
            marketHash: marketHash,
            blockNumber: uint64(block.number),
            timestamp: uint64(block.timestamp)
        });
        _latestPlusOne = roundId + 1;
        emit RoundPublished(roundId, globalRoot, totalsHash, marketHash, publicInput);
    }

    /// @notice The round published with id `roundId` (reverts UnknownRound otherwise).
    function getRound(uint256 roundId) public view returns (Round memory) {
        StoredRound storage s = _rounds[roundId];
        if (s.blockNumber == 0) revert UnknownRound(roundId);
        return Round(roundId, s.globalRoot, s.totalsHash, s.marketHash, s.blockNumber, s.timestamp);
    }

    /// @notice Whether any round was published.
    function hasRounds() external view returns (bool) {
        return _latestPlusOne != 0;
    }

    /// @notice Id of the latest published round (reverts NoRounds before the first).
    function latestRoundId() public view returns (uint256) {
        uint256 latestPlusOne = _latestPlusOne;
        if (latestPlusOne == 0) revert NoRounds();
        return latestPlusOne - 1;
    }

    /// @notice The latest published round (reverts NoRounds before the first).
    function latestRound() external view returns (Round memory) {
        return getRound(latestRoundId());
    }

    /// @notice A, I, S, B and the verification key hash, in one call.
    function circuitParameters() external view returns (CircuitParameters memory) {
        return CircuitParameters(assets, instruments, scenarios, batchSize, verificationKeyHash);
    }

    /// @notice P = Poseidon(globalRoot, totalsHash, marketHash, roundId), as publishRound computes it.
    function publicInputOf(uint256 globalRoot, uint256 totalsHash, uint256 marketHash, uint256 roundId)
        external
        pure
        returns (uint256)
    {
        if (globalRoot >= SCALAR_FIELD) revert NotAFieldElement("globalRoot", globalRoot);
        if (totalsHash >= SCALAR_FIELD) revert NotAFieldElement("totalsHash", totalsHash);
        if (marketHash >= SCALAR_FIELD) revert NotAFieldElement("marketHash", marketHash);
        if (roundId >= SCALAR_FIELD) revert NotAFieldElement("roundId", roundId);
        return PoseidonT5.hash(globalRoot, totalsHash, marketHash, roundId);
    }
}
