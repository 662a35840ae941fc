// web/serve.mjs — a small static file server for the built site, and with --exercises the
// exercise API that lets a lesson page save and test its exercise (web/exercise-server.mjs).
//
//   node web/serve.mjs [site folder] [--port 8000] [--exercises COURSE_FOLDER]
//
// Serves files only from the site folder (no directory listing, no paths
// outside it), with the MIME types the pages need (application/wasm for
// instantiateStreaming) and a Content-Security-Policy that allows this origin
// only. It listens on 127.0.0.1 and nowhere else. The browser tests import
// startServer() and listen on a free port.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exerciseApi } from './exercise-server.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.cpp': 'text/plain; charset=utf-8',
};

// Only this origin; no inline script and no eval. The lesson modules are linked
// with -sDYNAMIC_EXECUTION=0, so embind's glue needs no new Function; compiling
// WebAssembly itself needs 'wasm-unsafe-eval', which allows nothing else.
// Inline styles stay allowed: KaTeX positions its glyphs with style attributes.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves siteDir on 127.0.0.1. With `exercises` (exerciseApi's options: source, attnlab, ...)
 * it also answers the exercise API under /api/; server.exercises is then that API (its token).
 */
export function startServer(siteDir, { port = 8000, exercises = null } = {}) {
  const root = resolve(siteDir);
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`${root} has no index.html: build the site first (./lab build)`);
  const api = exercises ? exerciseApi(exercises) : null;
  const server = createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CSP });
      res.end(body);
    };
    const port = server.address().port;
    if (api && req.url.startsWith('/api/')) {  // the API checks Host itself, and answers in JSON
      api.handle(req, res, port).then((answered) => {
        if (!answered) send(404, 'no such request\n');  // e.g. /api/.. once normalised: never left hanging
      }, (e) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ok: false, error: `the server failed: ${e.message}` }));
      });
      return;
    }
    if (api && req.headers.host !== `127.0.0.1:${port}`) return send(403, `this server answers to 127.0.0.1:${port} only\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path === '/favicon.ico') path = '/assets/favicon.svg';  // what a browser asks a page without an icon link for
    } catch {
      return send(400, 'bad request\n');
    }
    let file = resolve(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden\n');
    let stat;
    try {  // a file may go (a rebuild) between a look and the read: a 404, never a crash
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      stat = statSync(file);
      if (!stat.isFile()) return send(404, `not found: ${path}\n`);
    } catch {
      return send(404, `not found: ${path}\n`);
    }
    // no-cache: the browser asks again on every load, and a rebuilt file is always seen; the ETag
    // (size and modification time) lets an unchanged file answer 304, so the browser reuses its
    // copy and the code it compiled from it (a lesson's wasm is compiled once, not on every visit).
    const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
    const headers = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      ETag: etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  server.exercises = api;
  server.on('close', () => api?.close());
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise(server));  // this machine only
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const port = Number(option('--port', '8000'));
  const source = option('--exercises', null);
  const site = args[0] ?? 'build/wasm/site';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: --port must be a whole number from 0 to 65535, not '${port}'`);
    process.exit(2);
  }
  try {
    const native = source && resolve(source, 'build/native');
    const exercises = source && {
      source,
      attnlab: join(native, 'cli/attnlab'),
      // attnlab itself, built after the site is up; each check builds its lesson's suite.
      prepare: ['bash', '-c', 'cmake --preset native >/dev/null && cmake --build --preset native --target attnlab'],
    };
    const server = await startServer(site, { port, exercises });
    const { port: actual } = server.address();
    // 127.0.0.1, not localhost: the server listens there only, and the link carries the token.
    const link = `http://127.0.0.1:${actual}/${server.exercises ? `?token=${server.exercises.token}` : ''}`;
    console.log(`Attention Lab is being served at ${link}  (Ctrl+C to stop)`);
    if (server.exercises)
      console.log('Open that link: its token lets the lesson pages save and test your exercises (a new one at each start).');
    // However the server ends (Ctrl+C, the terminal closed, a crash), no build or test outlives it.
    process.on('exit', () => server.exercises?.close());
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(0));
  } catch (e) {
    console.error(`serve: ${e.code === 'EADDRINUSE' ? `port ${port} is in use; try --port ${port + 1}` : e.message}`);
    process.exit(1);
  }
}
