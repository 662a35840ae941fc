// bench/peer.mjs — one ONNX Runtime measurement, in a process of its own, for bench/run.mjs.
//
//   node bench/peer.mjs <engine> <op> <n_q> <n_k> <d> <threads> [seconds]
//     engine   node (onnxruntime-node, native) | web (onnxruntime-web, its wasm build, under Node)
//     op       mha (com.microsoft MultiHeadAttention) | attention (the standard opset-23 Attention)
//
// The graph is one node with one head, float32, inputs (1, n, d), built with onnx-proto. Before
// timing, the same op on a small shape is checked against a float64 softmax(Q·Kᵀ/√d)·V computed
// here, so a peer that computed something else could not be timed. Prints one line of JSON:
// {"gflops", "gbs", "ms", "runs", "diff"}: GFLOP/s by the course's model (4·n_q·n_k·d), GB/s of K
// and V read (what bounds decoding), the mean ms per run, and the check's largest difference.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const peers = resolve(process.env.ATTN_PEERS_DIR ?? 'build/peers', 'node_modules');
const require = createRequire(resolve(peers, 'index.js'));
const [engine, op, ...rest] = process.argv.slice(2);
const [n_q, n_k, d, threads] = rest.slice(0, 4).map(Number);
const seconds = Number(rest[4] ?? 0.5);
if (!['node', 'web'].includes(engine) || !['mha', 'attention'].includes(op) || ![n_q, n_k, d, threads].every((x) => x >= 1))
  throw new Error('usage: node bench/peer.mjs node|web mha|attention n_q n_k d threads [seconds]');

const { onnx } = require('onnx-proto');
const ort = require(engine === 'node' ? 'onnxruntime-node' : 'onnxruntime-web');
if (engine === 'web') ort.env.wasm.numThreads = threads;

/// One node, one head: MultiHeadAttention (num_heads) or Attention (q_num_heads, kv_num_heads).
function graph(nq, nk) {
  const INT = onnx.AttributeProto.AttributeType.INT;
  const value = (name, rows) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [1, rows, d].map((v) => ({ dimValue: v })) } } },
  });
  const node = op === 'mha'
    ? { opType: 'MultiHeadAttention', domain: 'com.microsoft', attribute: [{ name: 'num_heads', type: INT, i: 1 }] }
    : { opType: 'Attention', domain: '', attribute: [{ name: 'q_num_heads', type: INT, i: 1 }, { name: 'kv_num_heads', type: INT, i: 1 }] };
  const model = onnx.ModelProto.create({
    irVersion: 10,
    producerName: 'attention-lab bench',
    opsetImport: [{ domain: '', version: 23 }, { domain: 'com.microsoft', version: 1 }],
    graph: {
      name: 'attention',
      node: [{ ...node, input: ['Q', 'K', 'V'], output: ['O'] }],
      input: [value('Q', nq), value('K', nk), value('V', nk)],
      output: [value('O', nq)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function session(nq, nk) {
  const options = engine === 'node'
    ? { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'] }
    : { graphOptimizationLevel: 'all', executionProviders: ['wasm'] };
  return ort.InferenceSession.create(graph(nq, nk), options);
}

// The same inputs the course's kernels are timed on (attn::wave_matrix: sin(0.37·k + seed)).
const wave = (rows, seed) => Float32Array.from({ length: rows * d }, (_, k) => Math.sin(0.37 * k + seed));
const feeds = (nq, nk) => ({
  Q: new ort.Tensor('float32', wave(nq, 0), [1, nq, d]),
  K: new ort.Tensor('float32', wave(nk, 1), [1, nk, d]),
  V: new ort.Tensor('float32', wave(nk, 2), [1, nk, d]),
});

/// softmax(Q·Kᵀ/√d)·V in float64, against the peer's output on a small shape.
async function check() {
  const nq = Math.min(n_q, 17), nk = Math.min(n_k, 70);
  const f = feeds(nq, nk);
  const { O } = await (await session(nq, nk)).run(f);
  const [Q, K, V] = [f.Q.data, f.K.data, f.V.data];
  let diff = 0;
  for (let i = 0; i < nq; ++i) {
    const s = Array.from({ length: nk }, (_, j) => {
      let dot = 0;
      for (let c = 0; c < d; ++c) dot += Q[i * d + c] * K[j * d + c];
      return dot / Math.sqrt(d);
    });
    const m = Math.max(...s), e = s.map((x) => Math.exp(x - m)), l = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < d; ++c) {
      let o = 0;
      for (let j = 0; j < nk; ++j) o += (e[j] / l) * V[j * d + c];
      diff = Math.max(diff, Math.abs(o - O.data[i * d + c]));
    }
  }
  if (!(diff < 1e-4)) throw new Error(`${engine} ${op}: differs from softmax(Q·Kᵀ/√d)·V by ${diff} on a ${nq}×${nk} check`);
  return diff;
}

const diff = await check();
const s = await session(n_q, n_k), f = feeds(n_q, n_k);
for (let k = 0; k < 3; ++k) await s.run(f);
let runs = 0;
const t0 = performance.now();
while (runs < 3 || performance.now() - t0 < seconds * 1000) {
  await s.run(f);
  ++runs;
}
const ms = (performance.now() - t0) / runs;
console.log(JSON.stringify({ gflops: (4 * n_q * n_k * d) / (ms * 1e6), gbs: (2 * n_k * d * 4) / (ms * 1e6), ms, runs, diff }));
