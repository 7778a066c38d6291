// SPDX-License-Identifier: Apache-2.0
pragma solidity >=0.8.24 <0.9.0;

import {PoseidonT5} from "./PoseidonT5.sol";

/// @title The rendered PoseidonT5 library behind an external function, for tests and gas figures
/// @notice Not deployed by `zksolvency contracts deploy`; SolvencyRegistry links the library inline.
contract PoseidonT5Hasher {
    /// @notice An input is not below the scalar field modulus.
    error NotAFieldElement(uint256 index, uint256 value);

    /// @notice Poseidon(x[0], x[1], x[2], x[3]) for field elements.
    function hash(uint256[4] calldata x) public pure returns (uint256) {
        for (uint256 i = 0; i < 4; i++) {
            if (x[i] >= PoseidonT5.R) revert NotAFieldElement(i, x[i]);
        }
        return PoseidonT5.hash(x[0], x[1], x[2], x[3]);
    }

    /// @notice The hash and the gas the library call alone used (measured with gasleft()).
    function hashWithGas(uint256[4] calldata x) external view returns (uint256 h, uint256 gasUsed) {
        uint256 x0 = x[0];
        uint256 x1 = x[1];
        uint256 x2 = x[2];
        uint256 x3 = x[3];
        uint256 before = gasleft();
        h = PoseidonT5.hash(x0, x1, x2, x3);
        gasUsed = before - gasleft();
    }
}
