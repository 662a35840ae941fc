// tests/scaffold.test.mjs — `./lab new-lesson` makes a lesson that builds and whose stub fails,
// touching nothing it should not (ctest scaffold.new_lesson).
//
// In a scratch copy of the tree (every file git tracks or would, as it is now), the scaffold
// inserts a lesson at position 3. Then: the files it added are exactly the new folder and its
// library header; every other file it changed is the attn.hpp line, the manifest entry, the
// generated docs, or text whose only change is the numbers of the lessons that moved down one
// ("Lessons 08 and 09 remove it" becomes "Lessons 09 and 10"); the manifest is still valid; and the new lesson's native targets build, its suite passes against
// the library, and its untouched exercise fails it (with ATTN_REQUIRE_STUBS=1, so the proof
// cannot be skipped). The docs' recipe (docs/architecture.md, "How to add a lesson") is this.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const source = new URL('..', import.meta.url).pathname;
const cmake = process.env.ATTN_CMAKE ?? 'cmake';
const slug = 'scaffold_probe';

const run = (cwd, cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

test('new-lesson adds one folder, one header, one manifest entry; the lesson builds and its stub fails', { timeout: 900_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'attnlab-scaffold-'));
  try {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: source, encoding: 'utf8' })
      .split('\n').filter((f) => f && !f.startsWith('node_modules/'));
    for (const f of files) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      try { cpSync(join(source, f), join(dir, f)); } catch { /* a file deleted in the working tree */ }
    }
    symlinkSync(join(source, 'node_modules'), join(dir, 'node_modules'));
    const git = (...args) => run(dir, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'before');

    run(dir, process.execPath, ['tools/new-lesson.mjs', '3', slug, 'Scaffold probe']);
    git('add', '-A');
    const status = git('status', '--porcelain').split('\n').filter(Boolean);
    const added = status.filter((l) => l.startsWith('A ')).map((l) => l.slice(3)).sort();
    assert.deepEqual(added, [`src/attn/${slug}.hpp`,
      ...['README.md', 'bindings.cpp', 'checks.json', 'exercise.cpp', 'lesson.hpp', 'page.js', 'page.test.mjs', 'test.cpp',
        'walkthrough.cpp'].map((f) => `lessons/${slug}/${f}`)].sort(), 'what the scaffold added');
    const structural = ['README.md', 'docs/architecture.md', 'docs/teaching.md', 'lessons/lessons.json', 'src/attn/attn.hpp'];
    const modified = status.filter((l) => !l.startsWith('A ')).map((l) => l.slice(3));
    assert.ok(modified.every((l) => status.find((s) => s.slice(3) === l).startsWith('M ')), 'nothing deleted or renamed');
    for (const f of modified.filter((f) => !structural.includes(f))) {
      const digitless = (rev) => git('show', `${rev}:${f}`).replace(/\d+/g, '#');
      assert.equal(readFileSync(join(dir, f), 'utf8').replace(/\d+/g, '#'), digitless('HEAD'), `${f}: only lesson numbers changed`);
    }
    assert.match(readFileSync(join(dir, 'lessons/quadratic_cost/README.md'), 'utf8'), /Lessons 09 and 10 remove it/);
    assert.match(readFileSync(join(dir, 'lessons/training/exercise.cpp'), 'utf8'), /attnlab check 16 /);
    assert.match(readFileSync(join(dir, 'lessons/scaled_dot_product/README.md'), 'utf8'), /lesson 02/, 'lessons before it keep their numbers');
    git('commit', '-qm', 'the new lesson');
    run(dir, process.execPath, ['tools/check-manifest.mjs']);
    run(dir, process.execPath, ['tools/update-docs.mjs', '--check']);

    run(dir, cmake, ['-S', '.', '-B', 'build', '-DCMAKE_BUILD_TYPE=Release', '-DATTN_BENCHMARKS=OFF']);
    run(dir, cmake, ['--build', 'build', '--target', `${slug}_tests`, `${slug}_exercise_tests`]);
    const out = run(join(dir, 'build'), 'ctest', ['-R', `^${slug}\\.(native|stub_fails)$`, '--output-on-failure'],
      { ATTN_REQUIRE_STUBS: '1' });
    assert.match(out, /100% tests passed, 0 tests failed out of 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
