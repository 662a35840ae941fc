// tests/bench_report.test.mjs — `./lab bench`'s tables from made-up samples: ratios are taken
// round by round before their median, the two-thread target is judged against the scaling two
// processes reach, and a verdict follows the median (no engine is run here: the measurement
// itself is a benchmark, not a test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderBench } from '../bench/report.mjs';

const machine = { date: '2026-12-07', command: './lab bench', cpu: 'Test CPU', isa: 'AVX-512', cores: 2, node: 'v20',
  ort: '1.31.1', rounds: 3, seconds: 0.5 };
const row = (text, first) => text.split('\n').find((l) => l.startsWith(first)) ?? assert.fail(`no row starting ${first}`);

test('ratios are per round: a slow round slows both sides and leaves the ratio alone', () => {
  // Round 2 is a slow spell for everything: ratio of medians would be 100/60, per round it is 1.25 each time.
  const samples = {
    'peak': [100, 50, 100], 'peak-pair': [190, 95, 150],
    'simd/4096/64/1': [85, 40, 85], 'simd/4096/64/2': [160, 75, 120],
    'ort-mha/4096/64/1': [68, 32, 68], 'ort-mha/4096/64/2': [100, 50, 100],
    'ort-attention/4096/64/1': [50, 25, 50], 'ort-attention/4096/64/2': [80, 40, 80],
  };
  const text = renderBench(samples, machine);
  assert.match(row(text, '| 4096 | 64 | 1 |'), /\| 85\.0 \[40\.0–85\.0\] \| 68\.0 \[32\.0–68\.0\] \| 50\.0 \[25\.0–50\.0\] \| 1\.25 \[1\.25–1\.25\]× \| 1\.70 \[1\.60–1\.70\]× \| 85 \[80–85\] % \|/);
  // One thread: 85 % of the peak (met), 1.25× MHA (missed: the target is 1.3×).
  assert.match(row(text, '| one thread, n = 4096, d = 64: ≥ 80 %'), /85 \[80–85\] % \| met \|/);
  assert.match(row(text, '| one thread, n = 4096, d = 64: ≥ 1.3×'), /1\.25 \[1\.25–1\.25\]× \| missed \|/);
  // Two threads: own scaling 160/85, 75/40, 120/85 against the processes' 1.9, 1.9, 1.5.
  const own = [160 / 85, 75 / 40, 120 / 85], procs = [1.9, 1.9, 1.5];
  const judged = own.map((x, r) => (100 * x) / procs[r]).sort((a, b) => a - b);
  assert.match(row(text, '| two threads, n = 4096'), new RegExp(`${judged[1].toFixed(0)} \\[${judged[0].toFixed(0)}–${judged[2].toFixed(0)}\\] % \\| met \\|`));
  // What was not measured says so, and is not called met.
  assert.match(row(text, '| d = 128'), /— % \| not measured \|/);
  assert.match(row(text, '| split-KV'), /not measured/);
});

test('decoding is against the read bandwidth of the same threads, and wasm against its own peak', () => {
  const samples = {
    'decode/1/32768/1': [20, 22], 'decode/1/32768/2': [30, 36], 'read-bw/1': [25, 25], 'read-bw/2': [40, 40],
    'ort-mha-decode/1/32768/1': [10, 11], 'ort-mha-decode/1/32768/2': [15, 18],
    'wasm-peak': [40, 40], 'wasm-simd/1024': [24, 26], 'ort-web-mha/1024': [12, 13], 'ort-web-attention/1024': [12, 13],
  };
  const text = renderBench(samples, machine);
  assert.match(row(text, '| 1 | 32768 | 1 |'), /\| 21\.0 \[20\.0–22\.0\] \| 10\.5 \[10\.0–11\.0\] \| 2\.00 \[2\.00–2\.00\]× \| 84 \[80–88\] % \|/);
  assert.match(row(text, '| split-KV'), /1\.57 \[1\.50–1\.64\]× \| missed \|/);
  assert.match(row(text, '| wasm, n = 1024: ≥ 60 %'), /63 \[60–65\] % \| met \|/);
  assert.match(row(text, '| wasm, n = 1024: ≥ 1.2×'), /2\.00 \[2\.00–2\.00\]× \| met \|/);
});
