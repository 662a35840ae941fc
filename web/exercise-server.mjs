// web/exercise-server.mjs — what `./lab serve` adds to the static site: the lesson's exercise,
// edited and tested in the page. The page saves lessons/<slug>/exercise.cpp and asks for
// `attnlab check <slug> --json` (cli/exercises.cpp), whose events it shows as they come.
//
// It lets no one else in. The server binds to 127.0.0.1 (web/serve.mjs). Every /api/ request
// must carry the token made at this start (printed in the link ./lab serve shows; the page keeps
// it), compared in constant time; its Host must be this server's own (no DNS rebinding); an
// Origin, when the browser sends one, must be this server's own, and every request that writes
// or runs must send one (no cross-site form or fetch). It writes one kind of file only, a
// lesson's exercise.cpp, for a slug the manifest names (the path is the manifest's, never the
// request's), at most 256 KiB of UTF-8. One check runs at a time; the others queue and are told
// their place. Every check has attnlab's own time limits (a test that loops forever is stopped),
// and the whole run a limit of its own here, past which it is killed with all it started.
// Nothing runs but a check the page asked for, and the native build when the server starts.
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MAX_EXERCISE_BYTES = 256 * 1024;

/**
 * The exercise API. Options: source (the course's folder), attnlab (its binary), exercises
 * (where <slug>/exercise.cpp live; default <source>/lessons), testSeconds (per test, passed to
 * attnlab), runSeconds (a whole check), prepare (a command that builds attnlab first, or null).
 * Returns {token, handle(req, res, port) -> true if it answered, status(), close()}.
 */
export function exerciseApi({ source, attnlab, exercises, testSeconds = 30, runSeconds = 900, prepare = null }) {
  const root = resolve(source);
  const manifest = JSON.parse(readFileSync(join(root, 'lessons/lessons.json'), 'utf8'));
  const slugs = new Set(manifest.lessons.map((l) => l.slug));
  const exerciseRoot = resolve(exercises ?? join(root, 'lessons'));
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(token);
  const children = new Set();
  // The native build that the checks need: ready, building (with what it printed), or failed.
  const native = { state: existsSync(attnlab) && !prepare ? 'ready' : 'building', log: '' };
  let queue = Promise.resolve(), waiting = 0;

  if (prepare) {
    const child = spawn(prepare[0], prepare.slice(1), { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const keep = (chunk) => { native.log = (native.log + chunk).slice(-20000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => {
      children.delete(child);
      native.state = code === 0 && existsSync(attnlab) ? 'ready' : 'failed';
      if (native.state === 'failed') console.error(`serve: the native build failed; the page can show exercises but not test them:\n${native.log.slice(-2000)}`);
    });
  }

  const file = (slug) => join(exerciseRoot, slug, 'exercise.cpp');

  /**
   * Stops a child and everything it started. attnlab leads its own process group, and each of its
   * runs (a build, a test) leads another: SIGTERM lets attnlab kill its run's group first, then
   * SIGKILL a moment later takes whatever is left of attnlab's own.
   */
  const stop = (child, now = false) => {
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch { /* already gone */ }
    };
    if (now) return kill('SIGKILL');
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), 2000).unref();
  };

  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const refuse = (res, status, error) => json(res, status, { ok: false, error });

  /** Runs attnlab with args; resolves {code, output, killed}. onLine gets each line of output as it comes. */
  function run(args, { seconds, onLine, signal } = {}) {
    return new Promise((done) => {
      const child = spawn(attnlab, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' } });
      children.add(child);
      let output = '', partial = '', killed = false;
      const timer = seconds ? setTimeout(() => { killed = true; stop(child); }, seconds * 1000) : null;
      const abort = () => { killed = true; stop(child); };
      signal?.addEventListener('abort', abort);
      const keep = (chunk) => { output = (output + chunk).slice(-65536); };  // the end is what a message needs
      child.stdout.on('data', (chunk) => {
        keep(chunk);
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop().slice(-(1 << 20));  // a line without end is not an event: bounded
        for (const line of lines) onLine?.(line);
      });
      child.stderr.on('data', keep);
      child.on('error', (e) => keep(`cannot run attnlab: ${e.message}\n`));
      child.on('close', (code) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        children.delete(child);
        if (partial) onLine?.(partial);
        done({ code, output, killed });
      });
    });
  }

  /** Waits its turn: one attnlab run at a time. tell(n) hears how many are ahead. */
  function inTurn(task, tell) {
    const ahead = waiting++;
    if (ahead > 0) tell?.(ahead);
    const mine = queue.then(task).finally(() => { waiting--; });
    queue = mine.catch(() => {});
    return mine;
  }

  const sameBytes = (a, b) => a.length === b.length && timingSafeEqual(a, b);

  /** Host, Origin and token, in that order; null if allowed, else [status, message]. */
  function guard(req, port) {
    // 127.0.0.1 only, as the printed link says: "localhost" may resolve to ::1 first, where another
    // local user could listen on the same port and be handed the link's token.
    const hosts = [`127.0.0.1:${port}`];
    if (!hosts.includes(req.headers.host ?? '')) return [403, `this server answers to ${hosts[0]} only, not '${req.headers.host ?? ''}'`];
    const origin = req.headers.origin;
    const writes = req.method !== 'GET' && req.method !== 'HEAD';  // every request that writes or runs is a PUT or POST
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return [403, `requests from ${origin} are refused`];
    if (writes && origin === undefined) return [403, 'a request that writes or runs must come from the course\'s own page'];
    const given = Buffer.from(String(req.headers['x-attnlab-token'] ?? ''));
    if (!sameBytes(given, expected))
      return [403, 'wrong or missing token: open the link that ./lab serve printed when it started (it changes at each start)'];
    return null;
  }

  /** The body, refused past MAX_EXERCISE_BYTES or if it is not UTF-8 text. */
  function body(req) {
    return new Promise((done, fail) => {
      // Read to the end even when too big (the answer then reaches the client), keeping nothing past the limit.
      let size = 0, tooBig = Number(req.headers['content-length'] ?? 0) > MAX_EXERCISE_BYTES;
      const parts = [];
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_EXERCISE_BYTES) tooBig = true;
        if (!tooBig) parts.push(chunk);
      });
      req.on('end', () => {
        if (tooBig) return fail(new Error(`an exercise is at most ${MAX_EXERCISE_BYTES / 1024} KiB`));
        try {
          done(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts)));
        } catch {
          fail(new Error('an exercise is UTF-8 text'));
        }
      });
      req.on('error', fail);
    });
  }

  async function handle(req, res, port) {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith('/api/')) return false;
    const refused = guard(req, port);
    if (refused) return refuse(res, ...refused), true;
    if (url.pathname === '/api/status' && req.method === 'GET') {
      json(res, 200, { ok: true, native: native.state, log: native.state === 'failed' ? native.log.slice(-4000) : '',
        queued: waiting, testSeconds, maxBytes: MAX_EXERCISE_BYTES });
      return true;
    }
    const m = url.pathname.match(/^\/api\/(exercise|check|reset|solution)\/([^/]*)$/);
    if (!m) return refuse(res, 404, `no such request: ${req.method} ${url.pathname}`), true;
    let slug;
    try {
      slug = decodeURIComponent(m[2]);
    } catch {
      slug = m[2];
    }
    // The slug picks a manifest entry; the path is built from the entry, never from the request.
    if (!slugs.has(slug)) return refuse(res, 404, `no lesson '${slug}' in the manifest`), true;
    const path = file(slug);
    const what = m[1];
    if (what === 'exercise' && req.method === 'GET') {
      if (!existsSync(path)) return refuse(res, 404, `lessons/${slug}/exercise.cpp is missing: \`./lab reset ${slug}\` brings the stub back`), true;
      json(res, 200, { ok: true, slug, text: readFileSync(path, 'utf8') });
      return true;
    }
    if (what === 'exercise' && req.method === 'PUT') {
      let text;
      try {
        text = await body(req);
      } catch (e) {
        return refuse(res, 413, e.message), true;
      }
      const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.saving`;
      writeFileSync(tmp, text, { flag: 'wx' });  // a new file, never through a link someone left there
      renameSync(tmp, path);  // one rename: never a half-written exercise
      json(res, 200, { ok: true, slug, bytes: Buffer.byteLength(text) });
      return true;
    }
    if (req.method !== 'POST') return refuse(res, 405, `${req.method} ${url.pathname} is not allowed`), true;
    if (native.state !== 'ready')
      return refuse(res, 503, native.state === 'building'
        ? 'the native build is still running: the tests can run in a minute or two'
        : 'the native build failed: see the terminal where ./lab serve runs'), true;

    if (what === 'check') {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
      const send = (event) => res.write(`${JSON.stringify(event)}\n`);
      const aborted = new AbortController();
      res.on('close', () => { if (!res.writableFinished) aborted.abort(); });  // the page went away: so does its run
      await inTurn(async () => {
        if (aborted.signal.aborted) return;
        const r = await run(['check', slug, '--json', '--file', path, '--time-limit', String(testSeconds)], {
          seconds: runSeconds, signal: aborted.signal,
          onLine: (line) => { if (line.startsWith('{')) res.write(`${line}\n`); },
        });
        if (r.killed && !aborted.signal.aborted)
          send({ event: 'done', state: 'timed out', lesson: slug, error: `the check ran past ${runSeconds} s and was stopped`, tests: [], errors: [] });
        else if (r.code !== 0 && r.code !== 1)
          send({ event: 'done', state: 'error', lesson: slug, error: r.output.trim().slice(-2000), tests: [], errors: [] });
      }, (ahead) => send({ event: 'queued', ahead }));
      res.end();
      return true;
    }
    const r = await inTurn(() => run([what, slug, ...(what === 'reset' ? ['--file', path] : [])], { seconds: 60 }));
    if (what === 'reset') {
      if (r.code !== 0) return refuse(res, 500, r.output.trim()), true;
      json(res, 200, { ok: true, slug, text: readFileSync(path, 'utf8'), message: r.output.trim() });
    } else {
      if (r.code !== 0) return refuse(res, 403, r.output.trim()), true;
      json(res, 200, { ok: true, slug, text: r.output });
    }
    return true;
  }

  return {
    token,
    handle,
    status: () => ({ native: native.state, queued: waiting }),
    close: () => { for (const child of children) stop(child, true); },
  };
}
