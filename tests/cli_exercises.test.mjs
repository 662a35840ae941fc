// tests/cli_exercises.test.mjs — every way of running an exercise, run as a learner and a teacher
// run them: `attnlab check --file --json`, `watch` with a scripted edit, `reset`, `solution`, and
// `grade` on the fixture class (tests/fixtures/class/README.md: a pass, a failure, a compile error
// and an endless loop). Every file is a copy in a scratch folder: lessons/ is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const attnlab = process.env.ATTNLAB_BINARY;
assert.ok(attnlab, 'ATTNLAB_BINARY names the attnlab binary');
const source = new URL('..', import.meta.url).pathname;
const fixtures = join(source, 'tests/fixtures/class');
const slug = 'qkv_dot_product';
const stub = readFileSync(join(source, 'lessons', slug, 'exercise.cpp'), 'utf8');
const solved = readFileSync(join(fixtures, 'ada/lessons', slug, 'exercise.cpp'), 'utf8');
const looping = readFileSync(join(fixtures, 'dee', slug, 'exercise.cpp'), 'utf8');
const broken = readFileSync(join(fixtures, 'cy', `${slug}.cpp`), 'utf8');

const scratch = mkdtempSync(join(tmpdir(), 'attnlab-exercises-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1', ATTNLAB_STATE_DIR: scratch };
const run = (...args) => spawnSync(attnlab, args, { encoding: 'utf8', env, timeout: 600_000 });
const file = (name, text) => {
  const path = join(scratch, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};
const events = (stdout) => stdout.trim().split('\n').map((line) => JSON.parse(line));

test('check --json streams a build event, one event per test, then the outcome: the stub fails', () => {
  const r = run('check', '1', '--file', file('stub/exercise.cpp', stub), '--json');
  assert.equal(r.status, 1, r.stderr);
  const all = events(r.stdout);
  assert.equal(all[0].event, 'build');
  assert.equal(all[0].lesson, slug);
  const tests = all.filter((e) => e.event === 'test');
  const done = all.at(-1);
  assert.equal(done.event, 'done');
  assert.equal(done.state, 'failed');
  assert.equal(tests.length, done.total);
  assert.ok(done.total >= 5, `${done.total} tests`);
  assert.equal(done.passed, tests.filter((t) => t.state === 'passed').length);
  assert.ok(done.passed < done.total, 'the untouched stub fails');
  const failed = tests.find((t) => t.state === 'failed');
  assert.ok(failed.failures[0].line > 0 && failed.failures[0].message, JSON.stringify(failed));
  assert.equal(existsSync(join(scratch, 'attnlab-passed.txt')), false, 'no pass recorded');
});

test('a compile error is reported at its line and column in the learner\'s file', () => {
  const r = run('check', slug, '--file', file('broken/exercise.cpp', broken), '--json');
  assert.equal(r.status, 1);
  const done = events(r.stdout).at(-1);
  assert.equal(done.state, 'does not compile');
  assert.equal(done.errors[0].line, 31, JSON.stringify(done.errors));
  assert.ok(done.errors[0].column > 0);
  assert.match(done.errors[0].message, /zero/);
  const text = run('check', slug, '--file', join(scratch, 'broken/exercise.cpp'));
  assert.match(text.stdout, /does not compile yet/);
});

test('an exercise that loops forever is stopped at the time limit, with a message, and the rest still run', () => {
  const started = Date.now();
  const r = run('check', slug, '--file', file('loop/exercise.cpp', looping), '--time-limit', '2');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /stopped after 2 s: does a loop in your exercise never end\?/);
  assert.match(r.stdout, /✓ project/, 'the tests that do not call dot still pass');
  const json = events(run('check', slug, '--file', join(scratch, 'loop/exercise.cpp'), '--time-limit', '2', '--json').stdout);
  assert.equal(json.at(-1).state, 'timed out');
  assert.ok(json.some((e) => e.event === 'test' && e.state === 'timed out'));
  assert.ok(Date.now() - started < 240_000, 'two runs of a few timed-out tests, not a hang');
});

test('solution is refused until the exercise passes; watch checks on every save, hints on request, and stops once it passes', async () => {
  const refused = run('solution', '1');
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /The reference opens once your exercise passes: `attnlab check 1` first/);

  const path = file('watch/exercise.cpp', stub);
  const child = spawn(attnlab, ['watch', '1', '--file', path, '--time-limit', '20'], { env });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { out += chunk; });
  const exited = new Promise((done) => child.on('close', done));
  const waitFor = async (pattern, from = 0, seconds = 300) => {
    for (const end = Date.now() + seconds * 1000; Date.now() < end;) {
      const m = out.slice(from).match(pattern);
      if (m) return from + m.index + m[0].length;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`watch never printed ${pattern}; it printed:\n${out}`);
  };
  try {
    let at = await waitFor(/Waiting for you to save/);
    assert.match(out, /✗ \d+ of \d+ tests fail/);
    child.stdin.write('h\n');
    at = await waitFor(/Hint 1 of 3, the idea/, at);
    writeFileSync(path, solved);  // the learner saves
    await waitFor(/✓ all \d+ tests pass/, at);
    assert.equal(await exited, 0, out);
  } finally {
    child.kill('SIGKILL');
  }
  const shown = run('solution', '1');
  assert.equal(shown.status, 0, shown.stdout);
  assert.match(shown.stdout, /── src\/attn\/scores\.hpp ──/);
  assert.match(shown.stdout, /matrix scores\(/);
});

test('reset puts the course\'s stub back and keeps the learner\'s file beside it', () => {
  const path = file('reset/exercise.cpp', solved);
  const r = run('reset', '1', '--file', path);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(readFileSync(path, 'utf8'), stub);
  const backups = readdirSync(join(scratch, 'reset')).filter((f) => f.endsWith('.bak'));
  assert.equal(backups.length, 1, backups.join(', '));
  assert.equal(readFileSync(join(scratch, 'reset', backups[0]), 'utf8'), solved);
  assert.match(r.stdout, /is the course's stub again\. Yours is kept in .*\.bak/);
  const again = run('reset', '1', '--file', path);
  assert.match(again.stdout, /already the course's stub/);
  assert.equal(readdirSync(join(scratch, 'reset')).length, 2, 'no second backup of the stub');
});

test('grade: a class of four (a pass, a failure, a compile error, an endless loop) becomes the expected report', () => {
  const klass = join(scratch, 'class');
  cpSync(fixtures, klass, { recursive: true });
  rmSync(join(klass, 'README.md'));
  const out = join(scratch, 'report');
  mkdirSync(out);
  const started = Date.now();
  const r = run('grade', klass, '--out', out, '--lesson', '1', '--lesson', 'softmax_scaling', '--time-limit', '3');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.ok(Date.now() - started < 420_000, 'four builds and runs within the limits');
  const csv = readFileSync(join(out, 'class-report.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.deepEqual(csv[0], ['learner', 'lesson', 'slug', 'state', 'tests_passed', 'tests', 'first_message']);
  const state = Object.fromEntries(csv.slice(1).map((row) => [`${row[0]} ${row[2]}`, row]));
  assert.equal(state[`ada ${slug}`][3], 'passed');
  assert.equal(state[`ada ${slug}`][4], state[`ada ${slug}`][5]);
  assert.equal(state[`ben ${slug}`][3], 'failed');
  assert.ok(Number(state[`ben ${slug}`][4]) < Number(state[`ben ${slug}`][5]));
  assert.ok(Number(state[`ben ${slug}`][4]) > 0, 'some of ben\'s tests pass: the grid says how many');
  assert.equal(state[`cy ${slug}`][3], 'does not compile');
  assert.match(state[`cy ${slug}`].slice(6).join(','), /^"?line 31: .*zero/);
  assert.equal(state[`dee ${slug}`][3], 'timed out');
  assert.match(state[`dee ${slug}`].slice(6).join(','), /stopped after 3 s/);
  for (const who of ['ada', 'ben', 'cy', 'dee']) assert.equal(state[`${who} softmax_scaling`][3], 'not handed in');
  assert.equal(csv.length, 1 + 4 * 2);

  const report = JSON.parse(readFileSync(join(out, 'class-report.json'), 'utf8'));
  assert.equal(report.format, 'attention-lab-grades');
  assert.deepEqual(report.learners, ['ada', 'ben', 'cy', 'dee']);
  assert.equal(report.memory_mb, 2048);
  const html = readFileSync(join(out, 'class-report.html'), 'utf8');
  for (const s of ['passed', 'failed', 'does-not-compile', 'timed-out']) assert.match(html, new RegExp(`<td class="${s}"`));
  assert.match(html, /<th aria-sort="none">Learner<\/th>/);
  assert.match(r.stdout, /Wrote .*class-report\.html/);
});

test('grade refuses a missing class folder, and one with no learner in it, before building anything', () => {
  const missing = run('grade', join(scratch, 'no-such-class'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read the class folder/);
  const empty = join(scratch, 'empty-class');
  mkdirSync(empty);
  const none = run('grade', empty);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /holds no learner's folder/);
  const usage = run('grade');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /usage: attnlab grade DIR/);
});
