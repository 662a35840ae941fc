// tools/bad-inputs.mjs — every bad input `attnlab compute` is tried with, and what the user sees.
//
//   node tools/bad-inputs.mjs [path/to/attnlab]     (default build/native/cli/attnlab)
//
// Writes small .npy files into a scratch folder (no NumPy needed), runs attnlab
// on each case and prints a Markdown table: the case, the command, the exit
// status and the message. docs/reliability.md quotes its output; the same cases
// are asserted by tests/cli_compute.cpp.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const attnlab = process.argv[2] ?? 'build/native/cli/attnlab';
const dir = mkdtempSync(join(tmpdir(), 'attnlab-bad-'));

/** A .npy file (format 1.0) of `shape` with `descr`, from plain numbers or raw bytes. */
function npy(name, shape, values, descr = '<f4', { fortran = false } = {}) {
  const tuple = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${tuple}, }`;
  let len = dict.length + 1;
  while ((10 + len) % 64) len++;
  dict = dict.padEnd(len - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 'latin1');
  head[6] = 1;
  head.writeUInt16LE(len, 8);
  const size = Number(descr.slice(2));
  const body = Buffer.alloc(values.length * size);
  values.forEach((x, i) => {
    if (descr === '<f4') body.writeFloatLE(x, i * 4);
    else if (descr === '<f8') body.writeDoubleLE(x, i * 8);
    else if (descr === '<i4') body.writeInt32LE(x, i * 4);
    else body[i] = x;
  });
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([head, Buffer.from(dict, 'latin1'), body]));
  return path;
}
const seq = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const Q = npy('Q.npy', [4, 8], seq(32, (i) => Math.sin(i)));
const K = npy('K.npy', [6, 8], seq(48, (i) => Math.cos(i)));
const V = npy('V.npy', [6, 4], seq(24, (i) => Math.sin(2 * i)));
const Vs = npy('Vs.npy', [5, 4], seq(20, (i) => i / 20));
const out = join(dir, 'O.npy');
const full = readBytes(Q);
function readBytes(p) {
  return execFileSync('cat', [p], { encoding: 'latin1' });
}
writeFileSync(join(dir, 'truncated.npy'), Buffer.from(full.slice(0, full.length - 10), 'latin1'));
writeFileSync(join(dir, 'text.npy'), '1 2 3\n4 5 6\n');
const nan = seq(32, (i) => Math.sin(i));
nan[13] = NaN;
const cases = [
  ['a good run', [Q, K, V]],
  ['a missing file', [join(dir, 'missing.npy'), K, V]],
  ['a text file, not .npy', [join(dir, 'text.npy'), K, V]],
  ['a truncated file', [join(dir, 'truncated.npy'), K, V]],
  ['int32 instead of float', [npy('int.npy', [4, 8], seq(32, (i) => i), '<i4'), K, V]],
  ['big-endian float32', [npy('big.npy', [4, 8], seq(32, () => 0), '>f4'), K, V]],
  ['a vector, not a matrix', [npy('vec.npy', [8], seq(8, (i) => i)), K, V]],
  ['Q and K of different widths', [Q, npy('K5.npy', [6, 5], seq(30, (i) => i / 30)), V]],
  ['K and V of different lengths', [Q, K, Vs]],
  ['causal with n_q < n_k (works: the queries are the last 4 of 6 positions)', [Q, K, V, '--causal']],
  ['--out naming an input', [Q, K, V, '--out', Q]],
  ['--out naming an input through another path', [Q, K, V, '--out', `${dir}/./K.npy`]],
  ['NaN in Q', [npy('nan.npy', [4, 8], nan), K, V]],
  ['+inf in V', [Q, K, npy('inf.npy', [6, 4], seq(24, (i) => (i === 5 ? Infinity : 0)))]],
  ['float64 beyond float32', [npy('f64.npy', [4, 8], seq(32, (i) => (i ? 1 : 1e300)), '<f8'), K, V]],
  ['scores that could overflow', [npy('huge.npy', [4, 8], seq(32, () => 1e30)), npy('hugek.npy', [6, 8], seq(48, () => 1e30)), V]],
  ['heads that do not divide d', [Q, K, V, '--heads', '3']],
  ['a mask of the wrong shape', [Q, K, V, '--kernel', 'reference', '--mask', npy('m.npy', [4, 5], seq(20, () => 1), '|b1')]],
  ['a float mask', [Q, K, V, '--kernel', 'reference', '--mask', npy('mf.npy', [4, 6], seq(24, () => 1))]],
  ['a mask on a tiled kernel', [Q, K, V, '--mask', join(dir, 'm.npy')]],
  ['more memory than there is', [npy('long.npy', [100000, 1], seq(100000, () => 1)), join(dir, 'long.npy'), join(dir, 'long.npy'), '--kernel', 'reference']],
  ['an output folder that does not exist', [Q, K, V, '--out', join(dir, 'no/such/O.npy')]],
  ['an unknown kernel', [Q, K, V, '--kernel', 'fast']],
  ['a window of 0', [Q, K, V, '--window', '0']],
  ['a scale of -1', [Q, K, V, '--scale', '-1']],
];

const short = (s) => s.replaceAll(dir + '/', '');
console.log('| Case | Command (files in a scratch folder) | Exit | What you see |');
console.log('|---|---|---|---|');
for (const [name, [q, k, v, ...rest]] of cases) {
  const args = ['compute', '--q', q, '--k', k, '--v', v, ...(rest.includes('--out') ? [] : ['--out', out]), ...rest];
  let status = 0;
  let text;
  try {
    text = execFileSync(attnlab, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    status = e.status;
    text = e.stderr;
  }
  const first = short(text.trim().split('\n')[0]).replaceAll('|', '\\|');
  console.log(`| ${name} | \`attnlab ${short(args.join(' '))}\` | ${status} | ${first} |`);
}
rmSync(dir, { recursive: true, force: true });
