// tests/update.test.mjs — `./lab update` keeps a learner's edited exercises (ctest cli.update).
//
// An "upstream" repository holds a small course (the real `lab` script and two lesson folders);
// a learner clones it and edits an exercise; upstream then changes that lesson. After
// `./lab update` the learner's edit is intact beside upstream's change, or, where both touched
// the same lines, the update stops with a message naming the file and the edit is kept (in the
// file, between conflict markers, and in the commit the update made first). A lesson folder that
// moved upstream (numbered to slug, as this course's did) carries the edit along.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const source = new URL('..', import.meta.url).pathname;
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', NO_COLOR: '1' };
const sh = (cwd, cmd, ...args) => spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
const ok = (cwd, cmd, ...args) => {
  const r = sh(cwd, cmd, ...args);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
};
const write = (root, path, text) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const stub = (name) => `// exercise ${name}\n\nint f() {\n    // TODO(${name}): return 42.\n    return 0;\n}\n\nint g() { return 0; }\n`;

function course(dir, folders) {
  const up = join(dir, 'upstream');
  mkdirSync(up);
  ok(up, 'git', 'init', '-q', '-b', 'main');
  copyFileSync(join(source, 'lab'), join(up, 'lab'));
  for (const f of folders) {
    write(up, `lessons/${f}/exercise.cpp`, stub(f));
    write(up, `lessons/${f}/README.md`, `# ${f}\n`);
  }
  ok(up, 'git', 'add', '-A');
  ok(up, 'git', 'commit', '-qm', 'the course');
  ok(dir, 'git', 'clone', '-q', up, 'learner');
  return { up, me: join(dir, 'learner') };
}
const solve = (text) => text.replace('return 0;\n}', 'return 42;  // mine\n}');

test('an edited exercise survives an update that changes the same lesson elsewhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-update-'));
  try {
    const { up, me } = course(dir, ['attention', 'masking']);
    const mine = solve(readFileSync(join(me, 'lessons/attention/exercise.cpp'), 'utf8'));
    writeFileSync(join(me, 'lessons/attention/exercise.cpp'), mine);
    // upstream: the same lesson's text, and the exercise's last function (lines the learner did not touch)
    write(up, 'lessons/attention/README.md', '# attention\n\nA better explanation.\n');
    const theirs = readFileSync(join(up, 'lessons/attention/exercise.cpp'), 'utf8').replace('int g() { return 0; }', 'int g() { return 0; }  // now documented');
    writeFileSync(join(up, 'lessons/attention/exercise.cpp'), theirs);
    ok(up, 'git', 'commit', '-qam', 'lesson update');

    const r = sh(me, './lab', 'update');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /saved your exercises in a commit/);
    const now = readFileSync(join(me, 'lessons/attention/exercise.cpp'), 'utf8');
    assert.match(now, /return 42; {2}\/\/ mine/, 'the learner\'s edit is intact');
    assert.match(now, /now documented/, 'and upstream\'s change is in');
    assert.match(readFileSync(join(me, 'lessons/attention/README.md'), 'utf8'), /A better explanation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an update that rewrites the lines the learner edited stops, names the file, and loses nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-update-'));
  try {
    const { up, me } = course(dir, ['attention']);
    writeFileSync(join(me, 'lessons/attention/exercise.cpp'), solve(readFileSync(join(me, 'lessons/attention/exercise.cpp'), 'utf8')));
    const theirs = readFileSync(join(up, 'lessons/attention/exercise.cpp'), 'utf8').replace('    return 0;\n}', '    return -1;  // a new stub\n}');
    writeFileSync(join(up, 'lessons/attention/exercise.cpp'), theirs);
    ok(up, 'git', 'commit', '-qam', 'a new stub');

    const r = sh(me, './lab', 'update');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /changed lines you edited too/);
    assert.match(r.stderr, /lessons\/attention\/exercise\.cpp/);
    const now = readFileSync(join(me, 'lessons/attention/exercise.cpp'), 'utf8');
    assert.match(now, /<<<<<<<[\s\S]*return 42; {2}\/\/ mine[\s\S]*>>>>>>>/, 'both versions are in the file');
    assert.match(ok(me, 'git', 'show', 'HEAD:lessons/attention/exercise.cpp'), /return 42; {2}\/\/ mine/, 'and the edit is committed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an exercise whose lesson folder moved upstream (numbered to slug) keeps its edit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-update-'));
  try {
    const { up, me } = course(dir, ['03_attention']);
    writeFileSync(join(me, 'lessons/03_attention/exercise.cpp'), solve(readFileSync(join(me, 'lessons/03_attention/exercise.cpp'), 'utf8')));
    ok(up, 'git', 'mv', 'lessons/03_attention', 'lessons/attention');
    ok(up, 'git', 'commit', '-qm', 'lessons keyed by slug');

    const r = sh(me, './lab', 'update');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(readFileSync(join(me, 'lessons/attention/exercise.cpp'), 'utf8'), /return 42; {2}\/\/ mine/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('other uncommitted changes are not touched: the update refuses and says why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-update-'));
  try {
    const { me } = course(dir, ['attention']);
    write(me, 'lessons/attention/README.md', '# my notes\n');
    const r = sh(me, './lab', 'update');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /commit or stash them first/);
    assert.equal(readFileSync(join(me, 'lessons/attention/README.md'), 'utf8'), '# my notes\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
