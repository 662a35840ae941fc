// tests/cli_progress.test.mjs — `attnlab progress --export FILE`, run as a learner runs it.
//
// The file it writes is the site's progress file (web/js/site/progress.js): the index
// imports it and shows the passing exercises (tests/browser/teaching.test.mjs
// imports a file of this form). On a fresh clone every exercise is untouched,
// so the file holds no exercise yet; its form is what is checked here, and the
// refusals: an unwritable path, and a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const attnlab = process.env.ATTNLAB_BINARY;
assert.ok(attnlab, 'ATTNLAB_BINARY names the attnlab binary');
const run = (...args) => spawnSync(attnlab, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

test('--export writes a progress file the site can import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-progress-'));
  try {
    const file = join(dir, 'progress.json');
    const r = run('progress', '--export', file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Progress: \[.*\] \d+\/\d+ exercises pass/);
    assert.match(r.stdout, new RegExp(`Wrote ${file} \\(\\d+ passing exercises?\\)`));
    const p = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(p.format, 'attention-lab-progress');
    assert.equal(p.version, 2);
    assert.equal(p.source, 'attnlab progress');
    assert.ok(!Number.isNaN(Date.parse(p.exported)), `exported: ${p.exported}`);
    assert.deepEqual(p.visited, {});
    assert.deepEqual(p.checks, {});
    assert.equal(typeof p.exercises, 'object');
    const passing = Number(r.stdout.match(/(\d+)\/\d+ exercises pass/)[1]);
    assert.equal(Object.keys(p.exercises).length, passing, 'one entry per passing exercise');
    assert.deepEqual(Object.keys(p.exercise_sources).sort(), Object.keys(p.exercises).sort());
    for (const source of Object.values(p.exercise_sources)) assert.equal(source, 'attnlab', 'its tests ran here');
    for (const [id, at] of Object.entries(p.exercises)) {
      assert.match(id, /^[a-z][a-z0-9_]+$/, 'exercises are keyed by the lesson\'s slug');
      assert.ok(!Number.isNaN(Date.parse(at)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable path is refused before any exercise is built', () => {
  const r = run('progress', '--export', '/no/such/folder/progress.json');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '', 'nothing is listed or built first');
  assert.equal(r.stderr, "attnlab: cannot write '/no/such/folder/progress.json' (does its folder exist? is it writable?)\n");
  assert.equal(existsSync('/no/such/folder/progress.json'), false);
});

test('a usage error says how to call it', () => {
  for (const args of [['progress', '--export'], ['progress', '--json'], ['progress', '--export', 'a', 'b']]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /^attnlab: usage: attnlab progress \[--export FILE\]\n/);
  }
});
