"""A valid two-trade batch proves with the native prover and verifies; a changed public signal does not.

Setup: an UNSAFE dev ptau (pinned secrets) of power 16 and one pinned contribution, test only.
"""

from __future__ import annotations

import time

import pytest

from zksolvency.bn254 import R
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.zkey import Groth16ZKey
from zksolvency.groth16.kernels import get_kernels, native_available
from zksolvency.groth16.phase2 import domain_power
from zksolvency.groth16.prove import prove_with
from zksolvency.groth16.ptau_dev import DevSecrets, generate_dev_ptau
from zksolvency.groth16.setup import contribute, new_zkey
from zksolvency.groth16.verify import verify
from zksolvency.groth16.vkey import export_vkey
from zksolvency.trades import TEST_SIZE, batch_public

from . import cases
from .builders import BATCH_ID, BATCH_TIME, FEE_BPS, market, run
from .circuit import inputs_of, trade_circuit

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not native_available(), reason="the native extension is not built"),
]

SECRETS = DevSecrets(tau=0x7EAD, alpha=0xA1, beta=0xBE)


@pytest.fixture(scope="module")
def zkey(tmp_path_factory: pytest.TempPathFactory) -> Groth16ZKey:
    r1cs = trade_circuit().r1cs
    power = domain_power(r1cs)
    ptau = tmp_path_factory.mktemp("trade-keys") / f"pot{power}_unsafe.ptau"
    generate_dev_ptau(ptau, power, SECRETS, backend="native")
    with PTauFile(ptau) as p:
        return contribute(new_zkey(r1cs, p, "native"), 0x7E57, 0x5EED, "trade tests", "native")


def test_valid_batch_proves_natively_and_verifies(zkey: Groth16ZKey) -> None:
    case = cases.two_trades()
    execution = run(case.orders, case.trades)
    witness = trade_circuit().witness(inputs_of(execution))
    start = time.perf_counter()
    proof, public = prove_with(zkey, witness, 0x1234, 0x5678, get_kernels("native"))
    print(
        f"native prove, {trade_circuit().r1cs.n_constraints} constraints: {time.perf_counter() - start:.2f} s"
    )
    expected = batch_public(execution, market(), TEST_SIZE, BATCH_ID, BATCH_TIME, FEE_BPS).signals
    assert tuple(public) == expected
    assert verify(export_vkey(zkey), public, proof, backend="native").valid


def test_the_proof_does_not_verify_for_another_root_or_header(zkey: Groth16ZKey) -> None:
    case = cases.two_trades()
    witness = trade_circuit().witness(inputs_of(run(case.orders, case.trades)))
    proof, public = prove_with(zkey, witness, 0x1234, 0x5678, get_kernels("native"))
    vkey = export_vkey(zkey)
    assert not verify(vkey, [(public[0] + 1) % R, public[1]], proof, backend="native").valid
    assert not verify(vkey, [public[0], public[1] + 1], proof, backend="native").valid
