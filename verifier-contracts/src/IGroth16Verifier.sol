// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

/// @title A Groth16 verifier for a circuit with one public input
/// @notice The interface of a verifier rendered by `zksolvency contracts render` for such a key.
///         G2 coordinates are passed imaginary part first (EIP-197): b = [[x.c1, x.c0], [y.c1, y.c0]].
interface IGroth16Verifier1 {
    /// @notice sha256 of the canonical JSON of the verification key the verifier was rendered from.
    function VERIFICATION_KEY_HASH() external view returns (bytes32);

    /// @notice Number of public inputs (1 for this interface).
    function PUBLIC_INPUT_COUNT() external view returns (uint256);

    /// @notice True exactly when (a, b, c) proves `input` under the verifier's key; never reverts
    ///         on a bad proof (only when given too little gas for the pairing).
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[1] calldata input
    ) external view returns (bool);
}

/// @title A Groth16 verifier for a circuit with two public inputs
/// @notice The same rendered verifier as IGroth16Verifier1, for a key with nPublic = 2
///         (the trade batch circuit: public[0] a Poseidon commitment, public[1] the batch header).
interface IGroth16Verifier2 {
    /// @notice sha256 of the canonical JSON of the verification key the verifier was rendered from.
    function VERIFICATION_KEY_HASH() external view returns (bytes32);

    /// @notice Number of public inputs (2 for this interface).
    function PUBLIC_INPUT_COUNT() external view returns (uint256);

    /// @notice True exactly when (a, b, c) proves `input` under the verifier's key.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[2] calldata input
    ) external view returns (bool);
}
