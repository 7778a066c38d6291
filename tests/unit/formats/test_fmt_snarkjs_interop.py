"""Interoperability with the pinned snarkjs 0.7.6 and circom 2 (toolchain/node_modules).

One module-scoped run of the snarkjs ceremony (a power-6 ptau: new, contribute,
beacon, prepare; a Groth16 zkey: setup, contribute, beacon; export, prove) on a
circuit we write ourselves; then every file snarkjs wrote must decode, and
re-encoding it must give back the identical bytes. snarkjs also reads what we
write (r1cs, wtns, the JSON files).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest
from py_ecc import optimized_bn128 as bn

from zksolvency.bn254 import G1_GENERATOR, G2_GENERATOR, G1Point, G2Point
from zksolvency.circuit.formats.binfile import parse_binfile
from zksolvency.circuit.formats.codec import decode_g1_lem_many
from zksolvency.circuit.formats.ptau import (
    PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1,
    PTAU_SECTION_LAGRANGE_BETA_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G1,
    PTAU_SECTION_LAGRANGE_TAU_G2,
    PTauFile,
    encode_ptau,
)
from zksolvency.circuit.formats.r1cs import (
    CIRCOM_R1CS_SECTION_ORDER,
    decode_r1cs,
    encode_r1cs,
    first_unsatisfied_constraint,
    read_r1cs,
    write_r1cs,
)
from zksolvency.circuit.formats.snarkjs_json import (
    Proof,
    VerificationKey,
    proof_to_json,
    public_to_json,
    read_proof,
    read_public,
    read_vkey,
    vkey_to_json,
    write_proof,
    write_public,
    write_vkey,
)
from zksolvency.circuit.formats.wtns import decode_wtns, encode_wtns, read_wtns, write_wtns
from zksolvency.circuit.formats.zkey import (
    MATRIX_A,
    MATRIX_B,
    SNARKJS_SETUP_ZKEY_SECTION_ORDER,
    ZKEY_MAGIC,
    ZKEY_SECTION_B2,
    ZKeyCoeff,
    decode_zkey,
    encode_zkey,
    read_zkey,
    read_zkey_header,
)
from zksolvency.errors import FormatError, SetupError

from .conftest import SAMPLE_R1CS, SAMPLE_WITNESS, replace_section, section

pytestmark = pytest.mark.snarkjs

BIN = Path(__file__).resolve().parents[3] / "toolchain" / "node_modules" / ".bin"
SNARKJS = BIN / "snarkjs"
CIRCOM = BIN / "circom2"
BEACON = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
POWER = 6

CIRCUIT = SAMPLE_R1CS
WITNESS = SAMPLE_WITNESS
BAD_WITNESS = [1, 133, 3, 11, 33]  # breaks constraint 1 only

CIRCOM_SOURCE = """pragma circom 2.0.0;
template M() { signal input a; signal input b; signal output c; c <== a * b; }
component main = M();
"""


def _tools_or_skip(*tools: Path) -> None:
    for tool in tools:
        if not tool.exists():
            pytest.skip(f"{tool.name} is not installed at {tool} (run `make toolchain`)")
    if shutil.which("node") is None:
        pytest.skip("node is not on PATH (the npm toolchain needs it)")


def _run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def _snarkjs(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return _run(cwd, str(SNARKJS), *args, check=check)


@pytest.fixture(scope="module")
def sj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of files written by snarkjs (and the r1cs/wtns we gave it)."""
    _tools_or_skip(SNARKJS)
    d = tmp_path_factory.mktemp("snarkjs")
    write_r1cs(d / "x.r1cs", CIRCUIT)
    write_wtns(d / "w.wtns", WITNESS)
    write_wtns(d / "bad.wtns", BAD_WITNESS)
    steps = [
        ("powersoftau", "new", "bn128", str(POWER), "pot_0.ptau"),
        ("powersoftau", "contribute", "pot_0.ptau", "pot_1.ptau", "--name=x", "-e=entropy"),
        ("powersoftau", "beacon", "pot_1.ptau", "pot_2.ptau", BEACON, "10", "-n=Final Beacon"),
        ("powersoftau", "prepare", "phase2", "pot_2.ptau", "pot.ptau"),
        ("groth16", "setup", "x.r1cs", "pot.ptau", "x_0.zkey"),
        ("zkey", "contribute", "x_0.zkey", "x_1.zkey", "--name=y", "-e=z"),
        ("zkey", "beacon", "x_1.zkey", "x_2.zkey", BEACON, "10", "-n=Final"),
        ("zkey", "export", "verificationkey", "x_2.zkey", "vk.json"),
        ("r1cs", "export", "json", "x.r1cs", "x.r1cs.json"),
        ("wtns", "export", "json", "w.wtns", "w.json"),
        ("groth16", "prove", "x_2.zkey", "w.wtns", "proof.json", "public.json"),
    ]
    for step in steps:
        _snarkjs(d, *step)
    return d


@pytest.fixture(scope="module")
def circom_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A circom-compiled ``m.r1cs`` and the witness its generated calculator wrote."""
    _tools_or_skip(CIRCOM)
    d = tmp_path_factory.mktemp("circom")
    (d / "m.circom").write_text(CIRCOM_SOURCE)
    (d / "in.json").write_text('{"a": 3, "b": 11}')
    _run(d, str(CIRCOM), "m.circom", "--r1cs", "--wasm", "-o", ".")
    _run(d, "node", "m_js/generate_witness.js", "m_js/m.wasm", "in.json", "m.wtns")
    return d


# --- ptau ---------------------------------------------------------------------------


def _reencode_ptau(path: Path) -> bytes:
    with PTauFile(path) as p:
        lagrange = None
        if p.prepared:
            sizes = [1 << k for k in range(p.power + 2)]
            lagrange = (
                [pt for n in sizes for pt in p.lagrange_g1(n)],
                [pt for n in sizes[:-1] for pt in p.lagrange_g2(n)],
                [pt for n in sizes[:-1] for pt in p.lagrange_alpha_g1(n)],
                [pt for n in sizes[:-1] for pt in p.lagrange_beta_g1(n)],
            )
        return encode_ptau(
            p.power,
            p.ceremony_power,
            p.tau_g1(),
            p.tau_g2(),
            p.alpha_tau_g1(),
            p.beta_tau_g1(),
            p.beta_g2(),
            p.contributions,
            lagrange,
        )


@pytest.mark.parametrize("name", ["pot_0.ptau", "pot_1.ptau", "pot_2.ptau", "pot.ptau"])
def test_snarkjs_ptau_re_encodes_to_identical_bytes(sj: Path, name: str) -> None:
    assert _reencode_ptau(sj / name) == (sj / name).read_bytes()


def test_snarkjs_ptau_contributions(sj: Path) -> None:
    with PTauFile(sj / "pot_2.ptau") as p:
        assert (p.power, p.ceremony_power, p.prepared) == (POWER, POWER, False)
        first, beacon = p.contributions
    assert (first.type, first.name, first.num_iterations_exp, first.beacon_hash) == (0, "x", None, None)
    assert (beacon.type, beacon.name, beacon.num_iterations_exp) == (1, "Final Beacon", 10)
    assert beacon.beacon_hash == bytes.fromhex(BEACON)
    assert first.tau_g1 is not None and len(first.partial_hash) == 216


def test_snarkjs_ptau_corrupted_is_refused(sj: Path, tmp_path: Path) -> None:
    data = (sj / "pot.ptau").read_bytes()
    (tmp_path / "cut.ptau").write_bytes(data[:-64])
    with pytest.raises(FormatError, match=r"cut.ptau: section 15 runs past the end of the file"):
        PTauFile(tmp_path / "cut.ptau")


def _sum_g1(points: list[G1Point]) -> G1Point:
    acc = bn.Z1
    for p in points:
        if p is not None:
            acc = bn.add(acc, (bn.FQ(p[0]), bn.FQ(p[1]), bn.FQ.one()))
    if bn.is_inf(acc):
        return None
    x, y = bn.normalize(acc)
    return (int(x.n), int(y.n))


def _sum_g2(points: list[G2Point]) -> G2Point:
    acc = bn.Z2
    for p in points:
        if p is not None:
            (x0, x1), (y0, y1) = p
            acc = bn.add(acc, (bn.FQ2([x0, x1]), bn.FQ2([y0, y1]), bn.FQ2.one()))
    x, y = bn.normalize(acc)
    return ((int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1])))


def test_snarkjs_prepared_ptau_lagrange_layout(sj: Path) -> None:
    with PTauFile(sj / "pot.ptau") as p:
        n = 1 << POWER
        assert p.section_size(PTAU_SECTION_LAGRANGE_TAU_G1) == (4 * n - 1) * 64
        assert p.section_size(PTAU_SECTION_LAGRANGE_TAU_G2) == (2 * n - 1) * 128
        assert p.section_size(PTAU_SECTION_LAGRANGE_ALPHA_TAU_G1) == (2 * n - 1) * 64
        assert p.section_size(PTAU_SECTION_LAGRANGE_BETA_TAU_G1) == (2 * n - 1) * 64
        alpha, beta = p.alpha_tau_g1(0, 1)[0], p.beta_tau_g1(0, 1)[0]
        # The Lagrange basis sums to 1 on every domain: each block sums to the degree-0 point.
        for size in (1, 2, 8, n):
            assert _sum_g1(p.lagrange_g1(size)) == G1_GENERATOR
            assert _sum_g2(p.lagrange_g2(size)) == G2_GENERATOR
            assert _sum_g1(p.lagrange_alpha_g1(size)) == alpha
            assert _sum_g1(p.lagrange_beta_g1(size)) == beta
        assert _sum_g1(p.lagrange_g1(2 * n)) == G1_GENERATOR
        # Twin: a block read one point off is not a Lagrange basis.
        shifted = decode_g1_lem_many(
            bytes(p.raw_section(PTAU_SECTION_LAGRANGE_TAU_G1))[8 * 64 : 16 * 64], "x"
        )
        assert _sum_g1(shifted) != G1_GENERATOR
        with pytest.raises(SetupError, match="too big for this power-6 ptau"):
            p.lagrange_g1(4 * n)
    with PTauFile(sj / "pot_2.ptau") as p, pytest.raises(SetupError, match="not prepared for phase 2"):
        p.lagrange_g1(8)


# --- zkey ---------------------------------------------------------------------------


def test_snarkjs_zkey_re_encodes_to_identical_bytes(sj: Path) -> None:
    setup = (sj / "x_0.zkey").read_bytes()
    assert parse_binfile(setup, ZKEY_MAGIC, "x_0").order == SNARKJS_SETUP_ZKEY_SECTION_ORDER
    assert encode_zkey(decode_zkey(setup), section_order=SNARKJS_SETUP_ZKEY_SECTION_ORDER) == setup
    assert encode_zkey(decode_zkey(setup)) != setup  # id order differs from setup's order
    for name in ("x_1.zkey", "x_2.zkey"):
        data = (sj / name).read_bytes()
        assert encode_zkey(read_zkey(sj / name)) == data


def test_snarkjs_zkey_contents(sj: Path) -> None:
    zkey = read_zkey(sj / "x_2.zkey")
    assert (zkey.n_vars, zkey.n_public, zkey.domain_size) == (5, 2, 8)
    # snarkjs: A then B terms per constraint, then A[nConstraints + s][s] = 1 for s = 0..nPublic.
    expected = []
    for j, (a, b, _) in enumerate(CIRCUIT.constraints):
        expected += [ZKeyCoeff(MATRIX_A, j, s, v) for s, v in a]
        expected += [ZKeyCoeff(MATRIX_B, j, s, v) for s, v in b]
    expected += [ZKeyCoeff(MATRIX_A, 2 + s, s, 1) for s in range(3)]
    assert zkey.coeffs == expected
    names = [(c.type, c.name, c.num_iterations_exp) for c in zkey.mpc.contributions]
    assert names == [(0, "y", None), (1, "Final", 10)]
    assert zkey.mpc.contributions[1].beacon_hash == bytes.fromhex(BEACON)
    assert zkey.delta1 == zkey.mpc.contributions[1].delta_after


def test_snarkjs_zkey_h_is_the_odd_lagrange_points_of_the_doubled_domain(sj: Path) -> None:
    zkey = read_zkey(sj / "x_0.zkey")  # before any contribution divides H by delta
    with PTauFile(sj / "pot.ptau") as p:
        doubled = p.lagrange_g1(2 * zkey.domain_size)
    assert zkey.h == doubled[1::2]
    assert zkey.h != doubled[0::2]


def test_snarkjs_zkey_header_reads_lazily(sj: Path) -> None:
    header = read_zkey_header(sj / "x_2.zkey")
    full = read_zkey(sj / "x_2.zkey")
    assert (header.n_vars, header.n_public, header.domain_size) == (
        full.n_vars,
        full.n_public,
        full.domain_size,
    )
    assert (header.alpha1, header.beta2, header.gamma2, header.delta2) == (
        full.alpha1,
        full.beta2,
        full.gamma2,
        full.delta2,
    )
    assert header.ic == full.ic and header.n_coeffs == len(full.coeffs)


def test_snarkjs_zkey_corrupted_point_is_refused(sj: Path) -> None:
    data = (sj / "x_2.zkey").read_bytes()
    b2 = bytearray(section(data, ZKEY_MAGIC, ZKEY_SECTION_B2))
    b2[-128] ^= 1  # the last B2 point (wire b) is not infinity
    with pytest.raises(FormatError, match=r"x_2.zkey: B2\[4\]: point is not on the G2 curve"):
        decode_zkey(replace_section(data, ZKEY_MAGIC, ZKEY_SECTION_B2, bytes(b2)), "x_2.zkey")


# --- JSON ---------------------------------------------------------------------------


def test_snarkjs_json_files_parse_and_re_serialize_identically(sj: Path) -> None:
    vkey = read_vkey(sj / "vk.json")
    zkey = read_zkey(sj / "x_2.zkey")
    assert (vkey.n_public, vkey.alpha1, vkey.beta2) == (2, zkey.alpha1, zkey.beta2)
    assert (vkey.gamma2, vkey.delta2, vkey.ic) == (zkey.gamma2, zkey.delta2, zkey.ic)
    assert vkey.alphabeta_12 is not None
    assert json.dumps(vkey_to_json(vkey), indent=1) == (sj / "vk.json").read_text()
    assert (
        json.dumps(proof_to_json(read_proof(sj / "proof.json")), indent=1) == (sj / "proof.json").read_text()
    )
    assert read_public(sj / "public.json") == [132, 3]
    assert json.dumps(public_to_json([132, 3]), indent=1) == (sj / "public.json").read_text()


def test_snarkjs_verifies_json_we_wrote(sj: Path, tmp_path: Path) -> None:
    zkey = read_zkey(sj / "x_2.zkey")
    proof = read_proof(sj / "proof.json")
    vkey = VerificationKey(zkey.n_public, zkey.alpha1, zkey.beta2, zkey.gamma2, zkey.delta2, zkey.ic, None)
    write_vkey(tmp_path / "vk.json", vkey)
    write_proof(tmp_path / "proof.json", Proof(**asdict(proof)))
    write_public(tmp_path / "public.json", [132, 3])
    write_public(tmp_path / "wrong.json", [133, 3])
    assert _snarkjs(tmp_path, "groth16", "verify", "vk.json", "public.json", "proof.json").returncode == 0
    wrong = _snarkjs(tmp_path, "groth16", "verify", "vk.json", "wrong.json", "proof.json", check=False)
    assert wrong.returncode != 0 and "Invalid proof" in wrong.stdout + wrong.stderr


# --- r1cs and wtns ----------------------------------------------------------------------


def test_snarkjs_reads_our_r1cs_like_we_do(sj: Path) -> None:
    exported = json.loads((sj / "x.r1cs.json").read_text())
    r1cs = read_r1cs(sj / "x.r1cs")
    assert r1cs == CIRCUIT
    header = ("nVars", "nOutputs", "nPubInputs", "nPrvInputs", "nLabels", "nConstraints")
    assert [exported[k] for k in header] == [5, 1, 1, 1, 5, 2]
    ours = [[{str(w): str(c) for w, c in lc} for lc in constraint] for constraint in r1cs.constraints]
    assert exported["constraints"] == ours
    assert exported["map"] == r1cs.wire_to_label


def test_snarkjs_checks_our_witness_like_we_do(sj: Path) -> None:
    assert json.loads((sj / "w.json").read_text()) == [str(v) for v in WITNESS]
    assert first_unsatisfied_constraint(CIRCUIT, read_wtns(sj / "w.wtns")) is None
    assert _snarkjs(sj, "wtns", "check", "x.r1cs", "w.wtns").returncode == 0
    assert first_unsatisfied_constraint(CIRCUIT, read_wtns(sj / "bad.wtns")) == 1
    assert _snarkjs(sj, "wtns", "check", "x.r1cs", "bad.wtns", check=False).returncode != 0


def test_circom_r1cs_and_witness_round_trip(circom_dir: Path) -> None:
    data = (circom_dir / "m.r1cs").read_bytes()
    r1cs = decode_r1cs(data, "m.r1cs")
    assert (r1cs.n_wires, r1cs.n_outputs, r1cs.n_pub_inputs, r1cs.n_prv_inputs) == (4, 1, 0, 2)
    assert encode_r1cs(r1cs, section_order=CIRCOM_R1CS_SECTION_ORDER) == data
    assert encode_r1cs(r1cs) != data  # circom writes the constraints before the header
    wtns = (circom_dir / "m.wtns").read_bytes()
    witness = decode_wtns(wtns, "m.wtns")
    assert witness == [1, 33, 3, 11]
    assert encode_wtns(witness) == wtns
    assert first_unsatisfied_constraint(r1cs, witness) is None
    assert first_unsatisfied_constraint(r1cs, [1, 34, 3, 11]) == 0
