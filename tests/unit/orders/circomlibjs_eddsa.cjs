// Answers requests with circomlibjs (the pinned toolchain's): the independent side of the
// cross-checks in tests/unit/orders. Reads {"ops": [...]} on stdin, writes a JSON list of answers.
// Run with NODE_PATH=<toolchain>/node_modules. Integers travel as decimal strings, bytes as hex.
const { buildEddsa } = require("circomlibjs");
const createBlakeHash = require("blake-hash");

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { ops } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const eddsa = await buildEddsa();
  const F = eddsa.babyJub.F;
  const dec = (x) => F.toObject(x).toString();
  const answers = ops.map((op) => {
    switch (op.op) {
      case "public": {
        const A = eddsa.prv2pub(Buffer.from(op.secret, "hex"));
        return [dec(A[0]), dec(A[1])];
      }
      case "sign": {
        const sig = eddsa.signPoseidon(Buffer.from(op.secret, "hex"), F.e(BigInt(op.msg)));
        return { r8x: dec(sig.R8[0]), r8y: dec(sig.R8[1]), s: sig.S.toString() };
      }
      case "verify": {
        const sig = { R8: [F.e(BigInt(op.r8x)), F.e(BigInt(op.r8y))], S: BigInt(op.s) };
        return eddsa.verifyPoseidon(F.e(BigInt(op.msg)), sig, [F.e(BigInt(op.ax)), F.e(BigInt(op.ay))]);
      }
      case "poseidon":
        return dec(eddsa.poseidon(op.inputs.map((x) => BigInt(x))));
      case "blake512":
        return createBlakeHash("blake512").update(Buffer.from(op.hex, "hex")).digest("hex");
      default:
        throw new Error(`unknown op ${op.op}`);
    }
  });
  process.stdout.write(JSON.stringify(answers));
}

main().catch((err) => {
  process.stderr.write(String(err.stack || err) + "\n");
  process.exit(1);
});
