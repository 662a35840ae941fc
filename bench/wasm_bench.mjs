// bench/wasm_bench.mjs — the wasm build's kernels against a wasm SIMD throughput peak, under Node.
//
//   cmake --build --preset wasm --target wasm_bench
//   node --no-experimental-fetch bench/wasm_bench.mjs [build/wasm/bench/wasm_bench.js] [--one <kernel|peak> <n>]
//
// Warms every kernel up (V8 tiers up wasm after ~20 calls on small inputs),
// then reports the median of 5 runs per size (3 at n = 4096) and the ratio to
// the peak measured in the same run, before and after the kernels. Prints a
// Markdown table for docs/performance.md.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const file = resolve(process.argv[2]?.endsWith('.js') ? process.argv[2] : 'build/wasm/bench/wasm_bench.js');
let create;
try {
  create = require(file);
} catch (e) {
  console.error(`wasm_bench: cannot load ${file} (${e.message}). Build it: cmake --build --preset wasm --target wasm_bench`);
  process.exit(1);
}
const m = await create();
const d = 64;
const flops = (n, causal) => 4 * d * (causal ? (n * (n + 1)) / 2 : n * n);

// `--one <kernel|peak> <n>`: one measurement as JSON, for `./lab bench` (bench/run.mjs), which
// interleaves it with ONNX Runtime's. The kernel's median of several runs, after V8 has tiered up.
const one = process.argv.indexOf('--one');
if (one >= 0) {
  const [v, n] = [process.argv[one + 1], Number(process.argv[one + 2])];
  if (v === 'peak') {  // the first calls run V8's baseline code: the best of 8, after 4 to tier up
    for (let i = 0; i < 4; ++i) m.peak();
    console.log(JSON.stringify({ gflops: Math.max(...Array.from({ length: 8 }, () => m.peak())) }));
  } else {
    for (let i = 0; i < 20; ++i) m.kernel(v, 64, false, 1);
    const ms = m.kernel(v, n, false, n >= 4096 ? 3 : 15);
    console.log(JSON.stringify({ gflops: flops(n, false) / (ms * 1e6), ms }));
  }
  process.exit(0);
}

for (const v of ['naive', 'online', 'tiled', 'simd']) for (let i = 0; i < 20; ++i) m.kernel(v, 64, false, 1);
// The peak is measured 5 times before the kernels and 5 times after, and the median of all 10
// is the figure: on a shared VM one short spell would otherwise move every ratio. (Calling the
// peak between kernel runs instead slowed both down by a third under V8, so it is kept apart.)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const peaks = [];
for (let i = 0; i < 5; ++i) peaks.push(m.peak());
const rows = [];
for (const n of [256, 1024, 4096]) {
  for (const causal of [false, true]) {
    for (const v of ['naive', 'online', 'tiled', 'simd']) {
      if (n === 4096 && (v === 'naive' || v === 'online' || v === 'tiled') && causal) continue;  // minutes each; the trend is clear
      const ms = m.kernel(v, n, causal, n >= 4096 ? 3 : 5);
      rows.push({ v, n, causal, ms, gf: flops(n, causal) / (ms * 1e6) });
    }
  }
}
for (let i = 0; i < 5; ++i) peaks.push(m.peak());
const peak = median(peaks);
console.log(`wasm ${m.isa}, Node ${process.version}: peak (12 mul+add chains) ${peak.toFixed(1)} GFLOP/s, median of 10 ` +
  `(before: ${median(peaks.slice(0, 5)).toFixed(1)}, after: ${median(peaks.slice(5)).toFixed(1)})\n`);
console.log('| kernel | n | causal | median ms | GFLOP/s | % of peak |');
console.log('|---|---:|:---:|---:|---:|---:|');
for (const { v, n, causal, ms, gf } of rows)
  console.log(`| ${v} | ${n} | ${causal ? 'yes' : 'no'} | ${ms.toFixed(2)} | ${gf.toFixed(2)} | ${((100 * gf) / peak).toFixed(0)} % |`);
