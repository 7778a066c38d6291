"""Transcript points must match ffjavascript's exactly, or snarkjs rejects our contributions."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from zksolvency import toolchain
from zksolvency.errors import ToolchainError
from zksolvency.groth16 import curve
from zksolvency.groth16.transcript import ChaChaRng, hash_to_g2

_NODE_HASH_TO_G2 = """
import { buildBn128, ChaCha } from "ffjavascript";
const out = [];
const curve = await buildBn128(true);
for (const hex of JSON.parse(process.argv[2])) {
  const hash = Buffer.from(hex, "hex");
  const dv = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
  const seed = []; for (let i = 0; i < 8; i++) seed[i] = dv.getUint32(i * 4);
  const rng = new ChaCha(seed);
  const words = []; for (let i = 0; i < 20; i++) words.push(rng.nextU32());
  const p = curve.G2.toObject(curve.G2.toAffine(curve.G2.fromRng(new ChaCha(seed))));
  out.push({ words, point: p.map((c) => c.map((x) => x.toString())) });
}
console.log(JSON.stringify(out));
await curve.terminate();
"""


def _ffjavascript(digests: list[bytes]) -> list[dict[str, object]]:
    try:
        node_modules = toolchain.node_modules_dir()
        if not (node_modules / "ffjavascript").is_dir():
            raise ToolchainError("ffjavascript missing")
    except ToolchainError as exc:
        pytest.skip(f"needs the npm toolchain (make toolchain): {exc}")
    script = node_modules.parent / ".zksolvency-test-hash-to-g2.mjs"
    script.write_text(_NODE_HASH_TO_G2)
    try:
        completed = subprocess.run(
            ["node", str(script), json.dumps([d.hex() for d in digests])],
            check=True,
            capture_output=True,
            text=True,
            cwd=node_modules.parent,
        )
    finally:
        script.unlink()
    result: list[dict[str, object]] = json.loads(completed.stdout)
    return result


@pytest.mark.snarkjs
def test_chacha_and_hash_to_g2_match_ffjavascript() -> None:
    digests = [hashlib.blake2b(bytes([i]) * i).digest() for i in range(6)]
    reference = _ffjavascript(digests)
    for digest, ref in zip(digests, reference, strict=True):
        rng = ChaChaRng.from_hash(digest)
        assert [rng.next_u32() for _ in range(20)] == ref["words"]
        x, y, z = ref["point"]  # type: ignore[misc]
        assert z == ["1", "0"]
        expected = ((int(x[0]), int(x[1])), (int(y[0]), int(y[1])))
        assert hash_to_g2(digest) == expected


def test_hash_to_g2_lands_in_the_subgroup_and_depends_on_every_bit() -> None:
    digest = hashlib.blake2b(b"zksolvency").digest()
    p = hash_to_g2(digest)
    assert curve.g2_in_subgroup(p)
    flipped = bytes([digest[0] ^ 1]) + digest[1:]
    assert hash_to_g2(flipped) != p


def test_chacha_counter_runs_across_blocks() -> None:
    rng = ChaChaRng((0,) * 8)
    first_block = [rng.next_u32() for _ in range(16)]
    second_block = [rng.next_u32() for _ in range(16)]
    assert first_block != second_block
    # RFC 8439 ChaCha20 block with an all-zero key and nonce, counter 0, starts 0xade0b876.
    assert first_block[0] == 0xADE0B876
