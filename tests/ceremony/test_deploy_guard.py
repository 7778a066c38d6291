"""No dev key on a real chain: ``contracts deploy`` against anvil under another chain id.

anvil started with ``--chain-id 1337`` stands for a chain that is not local: it
answers on 127.0.0.1 like the development node, but its chain id is not
anvil's default 31337, so it must be treated as public. A dev key is refused
there (nothing sent), unless ``--allow-unsafe-setup``; a key from a verified
ceremony, with its provenance record, goes through; the default-id anvil
takes anything. (``round publish``: ``tests/rounds/test_onchain.py``.)
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from zksolvency import toolchain
from zksolvency.ceremony.contribute import read_key_chain
from zksolvency.ceremony.provenance import (
    SetupProvenance,
    provenance_from_report,
    vkey_sha256,
    write_provenance,
)
from zksolvency.ceremony.verify import verify_ceremony
from zksolvency.chain.anvil import ANVIL_CHAIN_ID, AnvilNode, start_anvil
from zksolvency.chain.keys import ANVIL_DEV_ADDRESS, ANVIL_DEV_KEY, PRIVATE_KEY_ENV
from zksolvency.chain.setup_guard import UnsafeSetupRefused, guard_setup, is_local_chain
from zksolvency.chain.tx import connect
from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import read_r1cs
from zksolvency.circuit.formats.snarkjs_json import write_vkey
from zksolvency.circuit.formats.zkey import read_zkey_header, write_zkey_raw
from zksolvency.cli.main import cli
from zksolvency.groth16.ptau_dev import generate_dev_ptau
from zksolvency.groth16.setup import setup_raw
from zksolvency.groth16.vkey import export_vkey
from zksolvency.oracle.committee import write_committee
from zksolvency.oracle.demo_committee import demo_committee

from .conftest import Ceremony, Circuits, run_ceremony

pytestmark = pytest.mark.snarkjs

OTHER_CHAIN_ID = 1337
SIZES = ["--assets", "2", "--instruments", "2", "--scenarios", "4", "--batch-size", "4"]


@pytest.fixture(scope="module", autouse=True)
def _chain_tools() -> None:
    problems = [p for p in (toolchain.tool_status(n).problem() for n in ("solc", "anvil")) if p]
    if problems and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CI needs the pinned npm toolchain: " + "; ".join(problems))
    if problems:
        pytest.skip("; ".join(problems))


@pytest.fixture(scope="module")
def public_like() -> Iterator[AnvilNode]:
    with start_anvil(chain_id=OTHER_CHAIN_ID) as node:
        yield node


@pytest.fixture(scope="module")
def local() -> Iterator[AnvilNode]:
    with start_anvil() as node:
        yield node


@pytest.fixture(scope="module")
def cube(circuits: Circuits, phase1: Path, ceremony_work: Path) -> Ceremony:
    """A ceremony on the one-public-signal circuit (the registry takes keys with one public input)."""
    return run_ceremony(circuits.cube4, phase1, ceremony_work / "cube", {"alice": (0xA1, 0xA2)})


@pytest.fixture(scope="module")
def ceremony_files(cube: Ceremony, ceremony_work: Path) -> tuple[Path, Path]:
    """The ceremony key's verification key and its provenance record."""
    report = verify_ceremony(cube.final, cube.ptau, cube.r1cs)
    _, mpc = read_key_chain(cube.final)
    vk = export_vkey(read_zkey_header(cube.final))
    vkey, record = ceremony_work / "cube_vkey.json", ceremony_work / "cube_provenance.json"
    write_vkey(vkey, vk)
    write_provenance(record, provenance_from_report(report, mpc, vk))
    return vkey, record


@pytest.fixture(scope="module")
def dev_vkey(circuits: Circuits, ceremony_work: Path) -> Path:
    """A dev key for the same circuit: ``groth16 setup`` on the UNSAFE dev ptau."""
    ptau = ceremony_work / "pot4_guard_unsafe.ptau"
    generate_dev_ptau(ptau, 4)
    with PTauFile(ptau) as p:
        raw = setup_raw(read_r1cs(circuits.cube4), p)
    write_zkey_raw(ceremony_work / "dev.zkey", raw)
    out = ceremony_work / "dev_vkey.json"
    write_vkey(out, export_vkey(read_zkey_header(ceremony_work / "dev.zkey")))
    return out


def deploy(node: AnvilNode, vkey: Path, out: Path, *extra: str) -> Result:
    """``contracts deploy`` to ``node``, with the demo committee moved to the node's chain id."""
    committee = out.with_name(out.stem + ".committee.json")
    chain_id = int(connect(node.url).eth.chain_id)
    write_committee(committee, dataclasses.replace(demo_committee(), chain_id=chain_id))
    args = [
        "contracts",
        "deploy",
        "--vkey",
        str(vkey),
        *SIZES,
        "--rpc-url",
        node.url,
        "--out",
        str(out),
        "--committee",
        str(committee),
        *extra,
    ]
    return CliRunner(env={PRIVATE_KEY_ENV: ANVIL_DEV_KEY}).invoke(cli, args)


def nonce(node: AnvilNode) -> int:
    return int(connect(node.url).eth.get_transaction_count(ANVIL_DEV_ADDRESS))


def test_the_local_chain_is_decided_by_chain_id_not_by_url(public_like: AnvilNode, local: AnvilNode) -> None:
    assert public_like.url.startswith("http://127.0.0.1:") and local.url.startswith("http://127.0.0.1:")
    assert int(connect(public_like.url).eth.chain_id) == OTHER_CHAIN_ID and not is_local_chain(OTHER_CHAIN_ID)
    assert int(connect(local.url).eth.chain_id) == ANVIL_CHAIN_ID and is_local_chain(ANVIL_CHAIN_ID)


def test_deploying_a_dev_key_to_a_chain_that_is_not_local_is_refused(
    public_like: AnvilNode, dev_vkey: Path, tmp_path: Path
) -> None:
    before = nonce(public_like)
    result = deploy(public_like, dev_vkey, tmp_path / "d.json")
    assert result.exit_code == 2
    assert "refusing to deploy on chain 1337" in result.output and "--allow-unsafe-setup" in result.output
    assert (
        nonce(public_like) == before and not (tmp_path / "d.json").exists()
    )  # nothing sent, nothing written


def test_a_dev_key_with_a_dev_record_or_another_keys_record_is_refused_too(
    public_like: AnvilNode, dev_vkey: Path, ceremony_files: tuple[Path, Path], tmp_path: Path
) -> None:
    _, ceremony_record = ceremony_files
    result = deploy(public_like, dev_vkey, tmp_path / "d.json", "--provenance", str(ceremony_record))
    assert result.exit_code == 2 and "the record is about key" in result.output


def test_allow_unsafe_setup_deploys_it_with_a_warning(
    public_like: AnvilNode, dev_vkey: Path, tmp_path: Path
) -> None:
    result = deploy(public_like, dev_vkey, tmp_path / "d.json", "--allow-unsafe-setup")
    assert result.exit_code == 0, result.output
    assert "warning: deploy on chain 1337 (--allow-unsafe-setup)" in result.output
    assert json.loads((tmp_path / "d.json").read_text())["chain"]["chain_id"] == OTHER_CHAIN_ID


def test_a_verified_ceremony_key_deploys_there_without_the_flag(
    public_like: AnvilNode, ceremony_files: tuple[Path, Path], tmp_path: Path
) -> None:
    vkey, record = ceremony_files
    result = deploy(public_like, vkey, tmp_path / "d.json", "--provenance", str(record))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_the_local_anvil_takes_a_dev_key(local: AnvilNode, dev_vkey: Path, tmp_path: Path) -> None:
    result = deploy(local, dev_vkey, tmp_path / "d.json")
    assert result.exit_code == 0, result.output


def test_the_guard_itself(ceremony_files: tuple[Path, Path]) -> None:
    from zksolvency.ceremony.provenance import read_provenance

    record: SetupProvenance = read_provenance(ceremony_files[1])
    key = record.verification_key_sha256
    assert guard_setup(OTHER_CHAIN_ID, record, key, False, "deploy") is None
    with pytest.raises(UnsafeSetupRefused, match="no provenance record"):
        guard_setup(OTHER_CHAIN_ID, None, key, False, "deploy")
    assert guard_setup(ANVIL_CHAIN_ID, None, key, False, "deploy") is None
    assert key == vkey_sha256(
        export_vkey(read_zkey_header(Path(ceremony_files[0]).parent / "cube" / "final.zkey"))
    )
