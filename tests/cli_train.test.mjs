// tests/cli_train.test.mjs — `attnlab train`, run as a learner runs it, on the course's frozen text:
// the same seed gives the same loss at every one of the first 100 steps; a run interrupted after a
// checkpoint and resumed from it ends in the same losses and the same weights, bit for bit; an
// interrupted run leaves no half-written weights; bad options and bad files are refused with a
// message and a non-zero exit, and no input is overwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const attnlab = process.env.ATTNLAB_BINARY;
assert.ok(attnlab, 'ATTNLAB_BINARY names the attnlab binary');
const text = new URL('../model/course-text.txt', import.meta.url).pathname;
const run = (...args) => spawnSync(attnlab, ['train', '--text', text, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'attnlab-train-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const rows = (file) => readFileSync(file, 'utf8').trim().split('\n').slice(1);

test('the same seed gives the same losses for the first 100 steps, and the same weights', () => {
  for (const name of ['a', 'b']) {
    const r = run('--steps', '100', '--every', '50', '--out', join(dir, `${name}.weights`), '--log', join(dir, `${name}.csv`));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /held-out loss [\d.]+ nats per byte after 100 steps \(a bigram model: [\d.]+\)/);
    assert.match(r.stderr, /step 100\/100 {2}loss [\d.]+ {2}\d+ tokens\/s {2}\d+:\d\d left/);
  }
  const a = rows(join(dir, 'a.csv')), b = rows(join(dir, 'b.csv'));
  assert.equal(a.length, 100);
  assert.deepEqual(a, b);
  assert.ok(Number(a[0].split(',')[1]) > Number(a[99].split(',')[1]), 'the loss falls');
  assert.ok(readFileSync(join(dir, 'a.weights')).equals(readFileSync(join(dir, 'b.weights'))));
  const other = run('--steps', '3', '--seed', '2', '--out', join(dir, 'c.weights'), '--log', join(dir, 'c.csv'));
  assert.equal(other.status, 0, other.stderr);
  assert.notDeepEqual(rows(join(dir, 'c.csv')), a.slice(0, 3), 'another seed, another run');
});

test('interrupted after a checkpoint and resumed, a run ends as if it had never stopped', async () => {
  const out = join(dir, 'r.weights'), ckpt = `${out}.ckpt`;
  const child = spawn(attnlab, ['train', '--text', text, '--steps', '100', '--every', '30', '--out', out], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  while (!existsSync(ckpt)) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));  // a few steps past it
  child.kill('SIGINT');
  const { code, signal } = await exited;
  assert.ok(code !== 0 || signal, 'the interrupted run did not finish');
  assert.ok(!existsSync(out), 'no weights written by the interrupted run');
  const step = Number(/\nstep (\d+)\n/.exec(readFileSync(ckpt, 'latin1'))[1]);
  assert.ok(step > 0 && step < 100 && step % 30 === 0, `the checkpoint is of step ${step}`);
  const r = run('--steps', '100', '--every', '30', '--resume', ckpt, '--out', out, '--log', join(dir, 'r.csv'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(rows(join(dir, 'r.csv')), rows(join(dir, 'a.csv')).slice(step));
  assert.ok(readFileSync(out).equals(readFileSync(join(dir, 'a.weights'))), 'the same weights, bit for bit');
});

test('bad options and bad files: a message, a non-zero exit, nothing of the user\'s overwritten', () => {
  const refuse = (args, pattern) => {
    const r = run(...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, pattern, args.join(' '));
  };
  refuse(['--steps', '0'], /--steps must be a whole number from 1/);
  refuse(['--batch', 'many'], /--batch must be a whole number/);
  refuse(['--repeats', '101'], /--repeats must be a whole number from 0 to 100/);
  refuse(['--out', text], /--out .*same file as --text/);
  assert.ok(readFileSync(text).length > 100000, 'the text is untouched');
  refuse(['--resume', join(dir, 'a.weights'), '--steps', '100', '--out', join(dir, 'x.weights')], /is a weights file; resuming needs a checkpoint/);
  refuse(['--resume', join(dir, 'r.weights.ckpt'), '--steps', '200', '--out', join(dir, 'x.weights')], /a 100-step run .* --steps 100/);
  const broken = join(dir, 'broken.ckpt');
  writeFileSync(broken, readFileSync(join(dir, 'r.weights.ckpt')).subarray(0, 5000));
  refuse(['--resume', broken, '--steps', '100', '--out', join(dir, 'x.weights')], /truncated: the header promises/);
  refuse(['--resume', join(dir, 'missing.ckpt'), '--steps', '100'], /missing\.ckpt/);
  refuse(['--out', join(dir, 'no-such-folder', 'w.weights')], /no-such-folder/);
});
