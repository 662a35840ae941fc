// bench/run.mjs — `./lab bench`: the course's kernels beside ONNX Runtime, in one invocation.
//
//   node bench/run.mjs [--rounds N] [--seconds S] [--no-wasm] [--print]
//
// Every measurement runs in a process of its own (bench_attention with one exact filter, or
// bench/peer.mjs for one ONNX Runtime session), so no engine's threads or caches carry into the
// next. Each round runs every case once, in an order shuffled afresh per round, so a slow spell
// of the shared host falls on all of them alike; a figure is the median over rounds, its spread
// the lowest and highest, and a ratio is taken round by round (course ÷ peer from the same
// round) before its median. The FMA peak is measured in every round, alone and as two processes
// at once: what two threads can hope for on this host. Writes the tables between the markers in
// docs/performance.md (or prints them, --print). `./lab bench` installs the peers into
// build/peers and builds bench_attention (and wasm_bench) first.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { renderBench } from './report.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const rounds = option('--rounds', 5), seconds = option('--seconds', 0.5);
const wasm = !args.includes('--no-wasm'), print = args.includes('--print');
const native = resolve('build/native/bench/bench_attention'), wasmBench = resolve('build/wasm/bench/wasm_bench.js');
for (const [file, how] of [[native, 'cmake --build --preset native --target bench_attention'], ...(wasm ? [[wasmBench, 'cmake --build --preset wasm --target wasm_bench']] : [])])
  if (!existsSync(file)) throw new Error(`${file} is missing: ${how} (./lab bench does it)`);

/// Runs a command, resolving to its standard output; a failure names the command.
const run = (cmd, argv) => new Promise((done, fail) => {
  const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  p.stdout.on('data', (b) => (out += b));
  p.stderr.on('data', (b) => (err += b));
  p.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`${cmd} ${argv.join(' ')} failed (${code}): ${err.trim()}`))));
});

/// One Google Benchmark run, exactly `name`, read back as its counter.
const gbench = async (name, counter) => {
  const out = await run(native, [`--benchmark_filter=^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
    `--benchmark_min_time=${seconds}`, '--benchmark_format=json']);
  const b = JSON.parse(out).benchmarks.find((x) => x.name === name);
  if (!b) throw new Error(`bench_attention has no benchmark ${name}`);
  return b[counter];
};
// Wasm runs with --no-liftoff, for both sides: V8 then compiles straight to its optimising tier, so
// no short run is timed partly in baseline code. (Rounds still spread, 23-40 GFLOP/s for the same
// kernel in one run: one round in five is slow, cause not yet found.)
const peer = async (engine, op, nq, nk, d, threads, unit) =>
  JSON.parse(await run(process.execPath, [...(engine === 'web' ? ['--no-liftoff'] : []), 'bench/peer.mjs', engine, op, nq, nk, d, threads, seconds].map(String)))[unit];
const wasmCase = async (kernel, n) =>
  JSON.parse(await run(process.execPath, ['--no-experimental-fetch', '--no-liftoff', 'bench/wasm_bench.mjs', wasmBench, '--one', kernel, String(n)])).gflops;

// ---- The cases: id → how to measure it once ----
const cases = {};
const add = (id, measure) => (cases[id] = measure);
add('peak', () => gbench('BM_fma_peak', 'GFLOP/s'));
add('peak-pair', async () => (await Promise.all([0, 1].map(() => gbench('BM_fma_peak', 'GFLOP/s')))).reduce((a, b) => a + b));
const forwardShapes = [[1024, 64], [4096, 64], [4096, 128]];
for (const [n, d] of forwardShapes)
  for (const t of [1, 2]) {
    add(`simd/${n}/${d}/${t}`, () => gbench(`BM_simd_width/n:${n}/causal:0/threads:${t}/d:${d}/real_time`, 'GFLOP/s'));
    for (const op of ['mha', 'attention']) add(`ort-${op}/${n}/${d}/${t}`, () => peer('node', op, n, n, d, t, 'gflops'));
  }
const decodeShapes = [[1, 32768], [8, 32768]];
for (const [nq, nk] of decodeShapes)
  for (const t of [1, 2]) {
    add(`decode/${nq}/${nk}/${t}`, () => gbench(`BM_decode/n_q:${nq}/n_k:${nk}/threads:${t}/real_time`, 'GB/s'));
    add(`ort-mha-decode/${nq}/${nk}/${t}`, () => peer('node', 'mha', nq, nk, 64, t, 'gbs'));
  }
for (const t of [1, 2]) add(`read-bw/${t}`, () => gbench(`BM_read_bw/threads:${t}/real_time`, 'GB/s'));
add('backward/1024', () => gbench('BM_backward/n:1024/causal:0', 'GFLOP/s'));
if (wasm) {
  add('wasm-peak', () => wasmCase('peak', 0));
  for (const n of [1024, 4096]) add(`wasm-simd/${n}`, () => wasmCase('simd', n));
  for (const op of ['mha', 'attention']) add(`ort-web-${op}/1024`, () => peer('web', op, 1024, 1024, 64, 1, 'gflops'));
}

// ---- Rounds, each in a fresh random order ----
let seed = 20261207;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const samples = Object.fromEntries(Object.keys(cases).map((id) => [id, []]));
const started = Date.now();
for (let r = 0; r < rounds; ++r) {
  const order = Object.keys(cases).map((id) => [random(), id]).sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  for (const id of order) samples[id].push(await cases[id]());
  process.stderr.write(`round ${r + 1} of ${rounds} done (${((Date.now() - started) / 60000).toFixed(1)} min)\n`);
}

const lscpu = (() => { try { return execFileSync('lscpu', { encoding: 'utf8' }); } catch { return ''; } })();
const flag = (f) => new RegExp(`\\b${f}\\b`).test(lscpu);
const machine = {
  cpu: (lscpu.match(/Model name:\s*(.+)/)?.[1] ?? cpus()[0]?.model ?? 'unknown').trim(),
  isa: flag('avx512f') ? 'AVX-512' : flag('avx2') ? 'AVX2 + FMA' : 'no AVX2',
  cores: cpus().length,
  node: process.version,
  ort: JSON.parse(readFileSync(resolve(process.env.ATTN_PEERS_DIR ?? 'build/peers', 'node_modules/onnxruntime-node/package.json'), 'utf8')).version,
  date: new Date().toISOString().slice(0, 10),
  command: `./lab bench${args.length ? ' ' + args.join(' ') : ''}`,
  rounds,
  seconds,
};
const text = renderBench(samples, machine);
if (print) {
  process.stdout.write(text);
} else {
  const file = 'docs/performance.md', doc = readFileSync(file, 'utf8');
  const begin = '<!-- ./lab bench: begin -->', end = '<!-- ./lab bench: end -->';
  const [a, b] = [doc.indexOf(begin), doc.indexOf(end)];
  if (a < 0 || b < a) throw new Error(`${file} has no ${begin} … ${end} markers to write between`);
  writeFileSync(file, doc.slice(0, a + begin.length) + '\n' + text + doc.slice(b));
  process.stderr.write(`wrote the tables into ${file}\n`);
}
