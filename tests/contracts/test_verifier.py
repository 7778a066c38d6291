"""The rendered Solidity verifier against our Python verifier and against snarkjs's Solidity verifier.

Every case is a (proof, public input) pair, valid or broken in one way. The
Python verifier's answer is ``valid`` (``MalformedInput`` counts as a refusal);
both contracts must give the same answer, and never revert.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractCustomError

from zksolvency.bn254 import Q, R
from zksolvency.chain.artifact import ContractsArtifact
from zksolvency.chain.calldata import verifier_arguments
from zksolvency.chain.solc import compile_sources
from zksolvency.chain.tx import transact
from zksolvency.chain.verifier_render import min_gas
from zksolvency.circuit.formats.snarkjs_json import Proof
from zksolvency.groth16 import curve
from zksolvency.groth16.transcript import ChaChaRng, draw_twist_point
from zksolvency.groth16.verify import MalformedInput, verify

from ..snarkjs_tool import snarkjs_ok
from .conftest import VERIFY_GAS, RoundKeys

pytestmark = pytest.mark.snarkjs

VALUES = (11, 22, 33, 44)
#: The snarkjs verifier measured 214,607 here; ours must not cost more than this.
VERIFY_GAS_TARGET = 215_000

Case = tuple[Proof, int]


def _cases(keys: RoundKeys) -> dict[str, Case]:
    proof, x = keys.prove(VALUES)
    other, _ = keys.prove((1, 2, 3, 4))
    a, b, c = proof.a, proof.b, proof.c
    assert a is not None and b is not None and c is not None
    (bx0, bx1), (by0, by1) = b
    return {
        "valid": (proof, x),
        "valid, other blinding": (keys.prove(VALUES, blinding=2)[0], x),
        "A doubled": (Proof(curve.g1_mul(a, 2), b, c), x),
        "B doubled": (Proof(a, curve.g2_mul(b, 2), c), x),
        "C doubled": (Proof(a, b, curve.g1_mul(c, 2)), x),
        "C from another proof": (Proof(a, b, other.c), x),
        "A and C swapped": (Proof(c, b, a), x),
        "B c0/c1 swapped": (Proof(a, ((bx1, bx0), (by1, by0)), c), x),
        "A off the curve": (Proof((a[0], (a[1] + 1) % Q), b, c), x),
        "C off the curve": (Proof(c, b, (c[0], (c[1] + 1) % Q)), x),
        "A.x + q": (Proof((a[0] + Q, a[1]), b, c), x),
        "A.y + q": (Proof((a[0], a[1] + Q), b, c), x),
        "B.x.c1 + q": (Proof(a, ((bx0, bx1 + Q), (by0, by1)), c), x),
        "C.x + q": (Proof(a, b, (c[0] + Q, c[1])), x),
        "A at infinity": (Proof(None, b, c), x),
        "B outside the G2 subgroup": (Proof(a, draw_twist_point(ChaChaRng((1, 2, 3, 4, 5, 6, 7, 8))), c), x),
        "input + r": (proof, x + R),
        "input + 1": (proof, (x + 1) % R),
        "input 0": (proof, 0),
    }


def _python_accepts(keys: RoundKeys, case: Case) -> bool:
    proof, x = case
    try:
        return verify(keys.vkey, [x], proof).valid
    except MalformedInput:
        return False


def _contract_accepts(contract: Contract, case: Case) -> bool:
    proof, x = case
    a, b, c = verifier_arguments(proof)
    result = contract.functions.verifyProof(a, b, c, [x]).call({"gas": VERIFY_GAS})
    assert isinstance(result, bool)
    return result


@pytest.fixture(scope="module")
def cases(round_keys: RoundKeys) -> dict[str, Case]:
    return _cases(round_keys)


@pytest.fixture(scope="module")
def snarkjs_verifier(
    round_keys: RoundKeys,
    tmp_path_factory: pytest.TempPathFactory,
    w3: Web3,
    operator: LocalAccount,
) -> Contract:
    """The verifier `snarkjs zkey export solidityverifier` makes from the same zkey, compiled and deployed."""
    out: Path = tmp_path_factory.mktemp("snarkjs_verifier") / "verifier.sol"
    snarkjs_ok("zkey", "export", "solidityverifier", round_keys.zkey_path, out)
    compiled = compile_sources({"verifier.sol": out.read_text()}).contracts["Groth16Verifier"]
    factory = w3.eth.contract(abi=compiled.abi, bytecode=compiled.bytecode)
    tx = factory.constructor().build_transaction({"from": operator.address, "gas": 3_000_000})
    mined = transact(w3, operator, tx, "snarkjs Groth16Verifier")
    assert mined.contract_address is not None
    return w3.eth.contract(address=Web3.to_checksum_address(mined.contract_address), abi=compiled.abi)


def test_valid_proof_is_accepted_by_all_three(
    round_keys: RoundKeys, cases: dict[str, Case], verifier: Contract, snarkjs_verifier: Contract
) -> None:
    for name in ("valid", "valid, other blinding"):
        assert _python_accepts(round_keys, cases[name]), name
        assert _contract_accepts(verifier, cases[name]), name
        assert _contract_accepts(snarkjs_verifier, cases[name]), name


#: Every broken case of ``_cases`` (parametrisation needs the names before the fixtures exist).
CASE_NAMES = (
    "A doubled",
    "B doubled",
    "C doubled",
    "C from another proof",
    "A and C swapped",
    "B c0/c1 swapped",
    "A off the curve",
    "C off the curve",
    "A.x + q",
    "A.y + q",
    "B.x.c1 + q",
    "C.x + q",
    "A at infinity",
    "B outside the G2 subgroup",
    "input + r",
    "input + 1",
    "input 0",
)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_broken_proof_is_rejected_by_all_three(
    round_keys: RoundKeys, cases: dict[str, Case], verifier: Contract, snarkjs_verifier: Contract, name: str
) -> None:
    case = cases[name]
    assert not _python_accepts(round_keys, case)
    assert not _contract_accepts(verifier, case)
    assert not _contract_accepts(snarkjs_verifier, case)


def test_case_list_is_complete(cases: dict[str, Case]) -> None:
    assert set(cases) == {"valid", "valid, other blinding", *CASE_NAMES}


def _verify_tx_gas(w3: Web3, account: LocalAccount, contract: Contract, case: Case, gas: int) -> int:
    proof, x = case
    a, b, c = verifier_arguments(proof)
    tx = contract.functions.verifyProof(a, b, c, [x]).build_transaction({"from": account.address, "gas": gas})
    return transact(w3, account, tx, "verifier").gas_used


def test_verify_gas_is_within_target(
    w3: Web3, operator: LocalAccount, verifier: Contract, snarkjs_verifier: Contract, cases: dict[str, Case]
) -> None:
    ours = _verify_tx_gas(w3, operator, verifier, cases["valid"], VERIFY_GAS)
    theirs = _verify_tx_gas(w3, operator, snarkjs_verifier, cases["valid"], VERIFY_GAS)
    assert ours <= VERIFY_GAS_TARGET
    assert ours < theirs


def test_short_of_gas_reverts_instead_of_returning_false(verifier: Contract, cases: dict[str, Case]) -> None:
    """The twin of the gas test: too little gas is a revert (so estimates cannot settle on `false`)."""
    proof, x = cases["valid"]
    a, b, c = verifier_arguments(proof)
    call = verifier.functions.verifyProof(a, b, c, [x])
    with pytest.raises(ContractCustomError):
        call.call({"gas": min_gas(1) - 1_000})
    estimate = call.estimate_gas()
    assert estimate > min_gas(1)
    assert call.call({"gas": estimate}) is True


def test_verifier_reports_its_key(verifier: Contract, artifact: ContractsArtifact) -> None:
    assert "0x" + verifier.functions.VERIFICATION_KEY_HASH().call().hex() == artifact.verification_key_hash
    assert verifier.functions.PUBLIC_INPUT_COUNT().call() == 1
