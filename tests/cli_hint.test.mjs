// tests/cli_hint.test.mjs — `attnlab hint N`, asked again and again as a stuck learner asks it.
//
// The hints come in the manifest's three tiers (lessons/lessons.json: hints.idea, .invariant,
// .pseudocode): each ask shows the next one and says how many remain; once all are seen, all
// three again; --reset starts over. What was shown is kept per lesson (ATTNLAB_STATE_DIR here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const attnlab = process.env.ATTNLAB_BINARY;
assert.ok(attnlab, 'ATTNLAB_BINARY names the attnlab binary');
const manifest = JSON.parse(readFileSync(new URL('../lessons/lessons.json', import.meta.url), 'utf8'));
const flat = (s) => s.replace(/\s+/g, ' ').trim();

function withState(body) {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-hints-'));
  const run = (...args) => spawnSync(attnlab, args, {
    encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ATTNLAB_STATE_DIR: dir } });
  try {
    body(run, dir);
  } finally {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('each ask shows the next tier and how many remain, then all of them, then --reset', () => withState((run) => {
  const [first, second] = manifest.lessons;
  const tiers = [first.hints.idea, first.hints.invariant, first.hints.pseudocode];
  const seen = [];
  for (const [k, remain] of [[0, /2 hints remain: `attnlab hint 1` again for the invariant/],
    [1, /1 hint remains: `attnlab hint 1` again for pseudo-code/], [2, /That was the last hint/]]) {
    const r = run('hint', '1');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Hint ${k + 1} of 3, ${['the idea', 'the invariant', 'pseudo-code'][k]}`));
    assert.ok(flat(r.stdout).includes(flat(tiers[k])), `hint ${k + 1} is the manifest's tier ${k + 1}`);
    for (const earlier of seen) assert.ok(!flat(r.stdout).includes(flat(earlier)), 'only the new hint is shown');
    assert.match(r.stdout, remain);
    seen.push(tiers[k]);
  }
  const again = run('hint', first.slug);  // by slug: the same lesson, the same count
  assert.equal(again.status, 0);
  for (const t of tiers) assert.ok(flat(again.stdout).includes(flat(t)));
  assert.match(again.stdout, /That is every hint/);

  const other = run('hint', '2');  // another lesson keeps its own count
  assert.match(other.stdout, /Hint 1 of 3, the idea/);
  assert.ok(flat(other.stdout).includes(flat(second.hints.idea)));

  const reset = run('hint', '1', '--reset');
  assert.equal(reset.status, 0);
  assert.match(reset.stdout, /start again from the first/);
  assert.match(run('hint', '1').stdout, /Hint 1 of 3, the idea/);
  assert.match(run('hint', '2').stdout, /Hint 2 of 3, the invariant/);
}));

test('a wrong lesson or flag is a usage error; an unwritable state folder a clear message', () => withState((run, dir) => {
  const none = run('hint', '99');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /there is no lesson '99'/);
  const flag = run('hint', '1', '--all');
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /usage: attnlab hint N \[--reset\]/);
  chmodSync(dir, 0o500);
  if (process.getuid?.() === 0) return;  // root writes anywhere
  const r = run('hint', '1');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /attnlab: .*attnlab-hints\.txt/);
}));
