// tests/exercise_server.test.mjs — the exercise API of `./lab serve` (web/exercise-server.mjs),
// attacked as a hostile page or a confused client would: no token or a wrong one, a foreign
// Origin or Host, lessons and paths outside the manifest, an oversized body, two runs at once,
// and an exercise that loops forever. The exercises live in a scratch folder (the server's
// `exercises` option), so lessons/ is never touched; attnlab is the native build's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../web/serve.mjs';
import { MAX_EXERCISE_BYTES } from '../web/exercise-server.mjs';

const attnlab = process.env.ATTNLAB_BINARY;
assert.ok(attnlab, 'ATTNLAB_BINARY names the attnlab binary');
const source = new URL('..', import.meta.url).pathname;
const slug = 'qkv_dot_product';
const fixtures = join(source, 'tests/fixtures/class');
const stub = readFileSync(join(source, 'lessons', slug, 'exercise.cpp'), 'utf8');
const looping = readFileSync(join(fixtures, 'dee', slug, 'exercise.cpp'), 'utf8');
const solved = readFileSync(join(fixtures, 'ada/lessons', slug, 'exercise.cpp'), 'utf8');

const scratch = mkdtempSync(join(tmpdir(), 'attnlab-serve-'));
const site = join(scratch, 'site'), exercises = join(scratch, 'exercises');
let server, base, port, token, origin;

before(async () => {
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>site</title>');
  mkdirSync(join(exercises, slug), { recursive: true });
  writeFileSync(join(exercises, slug, 'exercise.cpp'), stub);
  process.env.ATTNLAB_STATE_DIR = scratch;  // attnlab's record of passes: in the scratch folder
  server = await startServer(site, { port: 0, exercises: { source, attnlab, exercises, testSeconds: 2, runSeconds: 300 } });
  port = server.address().port;
  base = `http://127.0.0.1:${port}`;
  origin = base;
  token = server.exercises.token;
});
after(() => {
  server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A raw HTTP request, so that Host can be anything. Resolves {status, body}. */
function raw(method, path, { headers = {}, body } = {}) {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => done({ status: res.statusCode, body: text }));
    });
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const good = (extra = {}) => ({ 'X-Attnlab-Token': token, Origin: origin, ...extra });
const errorOf = (r) => JSON.parse(r.body).error;

test('it listens on 127.0.0.1 only, and makes a new 48-digit token at each start', async () => {
  assert.equal(server.address().address, '127.0.0.1');
  assert.match(token, /^[0-9a-f]{48}$/);
  const other = await startServer(site, { port: 0, exercises: { source, attnlab, exercises } });
  try {
    assert.notEqual(other.exercises.token, token);
  } finally {
    other.close();
  }
});

test('a missing or wrong token is refused, for reading, writing and running', async () => {
  for (const [method, path] of [['GET', '/api/status'], ['GET', `/api/exercise/${slug}`], ['PUT', `/api/exercise/${slug}`],
    ['POST', `/api/check/${slug}`], ['POST', `/api/reset/${slug}`], ['POST', `/api/solution/${slug}`]]) {
    const none = await raw(method, path, { headers: { Origin: origin }, body: method === 'PUT' ? 'x' : undefined });
    assert.equal(none.status, 403, `${method} ${path} without a token`);
    assert.match(errorOf(none), /wrong or missing token/);
    const wrong = await raw(method, path, { headers: { Origin: origin, 'X-Attnlab-Token': token.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }, body: method === 'PUT' ? 'x' : undefined });
    assert.equal(wrong.status, 403, `${method} ${path} with a wrong token`);
  }
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), stub, 'nothing was written');
});

test('a foreign Host (DNS rebinding) or Origin (another site) is refused, even with the token', async () => {
  for (const host of ['evil.example:80', `attacker.test:${port}`, `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`, `127.0.0.1:${port}.evil.example`]) {
    const r = await raw('GET', '/api/status', { headers: { ...good(), Host: host } });
    assert.equal(r.status, 403, `Host ${host}`);
    assert.match(errorOf(r), /answers to 127\.0\.0\.1/);
  }
  for (const o of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
    const r = await raw('PUT', `/api/exercise/${slug}`, { headers: good({ Origin: o }), body: 'int x;' });
    assert.equal(r.status, 403, `Origin ${o}`);
  }
  const noOrigin = await raw('POST', `/api/check/${slug}`, { headers: { 'X-Attnlab-Token': token } });
  assert.equal(noOrigin.status, 403, 'a run without an Origin');
  assert.match(errorOf(noOrigin), /must come from the course's own page/);
  // Not even "localhost": it may resolve to ::1, where another local user could be listening.
  const local = await raw('GET', '/api/status', { headers: good({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` }) });
  assert.equal(local.status, 403);
  const page = await raw('GET', '/index.html', { headers: { Host: `evil.example:${port}` } });
  assert.equal(page.status, 403, 'the pages too, under a rebinding name');
  const fine = await raw('GET', '/api/status', { headers: good() });
  assert.equal(fine.status, 200);
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), stub);
});

test('a lesson or path outside the manifest is refused, however it is spelled', async () => {
  const before = readdirSync(scratch).sort();
  for (const bad of ['..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%2Fetc%2Fpasswd', 'no_such_lesson', '01_qkv_dot_product',
    `${slug}%2F..%2F..%2Fx`, `${slug}%00`, 'QKV_DOT_PRODUCT', '%252e%252e']) {
    for (const [method, path] of [['PUT', `/api/exercise/${bad}`], ['GET', `/api/exercise/${bad}`], ['POST', `/api/check/${bad}`]]) {
      const r = await raw(method, path, { headers: good(), body: method === 'PUT' ? 'int evil;' : undefined });
      assert.equal(r.status, 404, `${method} ${path}`);
    }
  }
  for (const path of [`/api/exercise/${slug}/../../x`, '/api/exercise/', `/api/../api/exercise/${slug}x`, '/api/write', '/api/..',
    '/api/%2e%2e/x', '/api/%2e%2e/index.html']) {
    const r = await raw('PUT', path, { headers: good(), body: 'int evil;' });
    assert.ok(r.status === 404 || r.status === 403, `${path}: ${r.status}`);
  }
  assert.deepEqual(readdirSync(scratch).sort(), before, 'no file appeared');
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), stub);
});

test('a body over 256 KiB, or not UTF-8, is refused and the exercise is left as it was', async () => {
  const big = await raw('PUT', `/api/exercise/${slug}`, { headers: good(), body: 'x'.repeat(MAX_EXERCISE_BYTES + 1) });
  assert.equal(big.status, 413);
  assert.match(errorOf(big), /at most 256 KiB/);
  const binary = await raw('PUT', `/api/exercise/${slug}`, { headers: good(), body: Buffer.from([0xff, 0xfe, 0x00, 0xc3]) });
  assert.equal(binary.status, 413);
  assert.match(errorOf(binary), /UTF-8/);
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), stub);
  assert.equal(readdirSync(join(exercises, slug)).length, 1, 'no temporary file left behind');
});

test('saving writes the lesson\'s exercise.cpp and reading it back gives the same text', async () => {
  const put = await raw('PUT', `/api/exercise/${slug}`, { headers: good(), body: solved });
  assert.equal(put.status, 200, put.body);
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), solved);
  const get = await raw('GET', `/api/exercise/${slug}`, { headers: good() });
  assert.equal(JSON.parse(get.body).text, solved);
});

test('two runs at once: the second waits its turn and is told so; both finish', async () => {
  const check = () => raw('POST', `/api/check/${slug}`, { headers: good() });
  const [a, b] = await Promise.all([check(), check()]);
  const events = [a, b].map((r) => r.body.trim().split('\n').map((l) => JSON.parse(l)));
  const queued = events.filter((e) => e[0].event === 'queued');
  assert.equal(queued.length, 1, 'exactly one waited');
  assert.equal(queued[0][0].ahead, 1);
  for (const e of events) {
    assert.equal(e.at(-1).event, 'done');
    assert.equal(e.at(-1).state, 'passed', JSON.stringify(e.at(-1)));
  }
  const solution = await raw('POST', `/api/solution/${slug}`, { headers: good() });
  assert.equal(solution.status, 200, 'the reference opens once it passed');
  assert.equal((await raw('GET', `/api/solution/${slug}`, { headers: good() })).status, 405, 'it runs attnlab: a POST');
  assert.equal((await raw('POST', `/api/solution/${slug}`, { headers: { 'X-Attnlab-Token': token } })).status, 403, 'and needs an Origin');
  assert.match(JSON.parse(solution.body).text, /matrix scores\(/);
});

test('an exercise that loops forever is stopped with a message, and the server keeps answering', async () => {
  await raw('PUT', `/api/exercise/${slug}`, { headers: good(), body: looping });
  const started = Date.now();
  const r = await raw('POST', `/api/check/${slug}`, { headers: good() });
  const events = r.body.trim().split('\n').map((l) => JSON.parse(l));
  const stopped = events.filter((e) => e.event === 'test' && e.state === 'timed out');
  assert.ok(stopped.length >= 1, r.body);
  assert.match(stopped[0].note, /stopped after 2 s/);
  assert.equal(events.at(-1).state, 'timed out');
  assert.ok(Date.now() - started < 200_000);
  const status = await raw('GET', '/api/status', { headers: good() });
  assert.equal(status.status, 200);
  assert.equal(JSON.parse(status.body).queued, 0);
});

test('reset brings the stub back through the server and keeps the learner\'s file as a .bak', async () => {
  const r = await raw('POST', `/api/reset/${slug}`, { headers: good() });
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).text, stub);
  assert.equal(readFileSync(join(exercises, slug, 'exercise.cpp'), 'utf8'), stub);
  assert.ok(readdirSync(join(exercises, slug)).some((f) => f.endsWith('.bak')));
  assert.ok(existsSync(join(source, 'lessons', slug, 'exercise.cpp')));
});

/** The staged test binaries still running (a learner's test left behind would show here). */
const leftovers = () => spawnSync('pgrep', ['-f', `/${slug}_staged_tests `], { encoding: 'utf8' }).stdout.trim();

test('a page that goes away mid-run takes its run with it: no test is left looping', async () => {
  // A server whose tests may run for two minutes: only the disconnect can stop this loop in time.
  const patient = await startServer(site, { port: 0, exercises: { source, attnlab, exercises, testSeconds: 120 } });
  const p = patient.address().port;
  const headers = { 'X-Attnlab-Token': patient.exercises.token, Origin: `http://127.0.0.1:${p}` };
  try {
    await new Promise((done, fail) => {
      const put = request({ host: '127.0.0.1', port: p, method: 'PUT', path: `/api/exercise/${slug}`, headers }, (res) => { res.resume(); res.on('end', done); });
      put.on('error', fail);
      put.end(looping);
    });
    const run = request({ host: '127.0.0.1', port: p, method: 'POST', path: `/api/check/${slug}`, headers });
    run.on('error', () => {});
    run.end();
    let seen = '';
    for (const end = Date.now() + 240_000; Date.now() < end && !seen;) {
      await new Promise((r) => setTimeout(r, 200));
      seen = leftovers();
    }
    assert.ok(seen, 'the looping test started');
    run.destroy();  // the learner closes the page
    let left = seen;
    for (const end = Date.now() + 10_000; Date.now() < end && left;) {
      await new Promise((r) => setTimeout(r, 200));
      left = leftovers();
    }
    assert.equal(left, '', 'the looping test was stopped with its run');
    const status = await new Promise((done) => request({ host: '127.0.0.1', port: p, path: '/api/status', headers }, (res) => done(res.statusCode)).end());
    assert.equal(status, 200, 'and the server answers');
  } finally {
    patient.close();
  }
});
