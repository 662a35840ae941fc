// web/serve.mjs — a small static file server for the built site.
//
//   node web/serve.mjs [site folder] [--port 8000] [--host 127.0.0.1]
//
// Serves files only from the site folder (no directory listing, no paths
// outside it), with the MIME types the pages need (application/wasm for
// instantiateStreaming) and a Content-Security-Policy that allows this origin
// only. The browser tests import startServer() and listen on a free port.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
};

// Only this origin; no inline script and no eval. The lesson modules are linked
// with -sDYNAMIC_EXECUTION=0, so embind's glue needs no new Function; compiling
// WebAssembly itself needs 'wasm-unsafe-eval', which allows nothing else.
// Inline styles stay allowed: KaTeX positions its glyphs with style attributes.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function startServer(siteDir, { port = 8000, host = '127.0.0.1' } = {}) {
  const root = resolve(siteDir);
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`${root} has no index.html: build the site first (./lab build)`);
  const server = createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CSP });
      res.end(body);
    };
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
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) return send(404, `not found: ${path}\n`);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
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
  const host = option('--host', '127.0.0.1');
  const site = args[0] ?? 'build/wasm/site';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: --port must be a whole number from 0 to 65535, not '${port}'`);
    process.exit(2);
  }
  try {
    const server = await startServer(site, { port, host });
    const { port: actual } = server.address();
    console.log(`Attention Lab is being served at http://localhost:${actual}/  (Ctrl+C to stop)`);
  } catch (e) {
    console.error(`serve: ${e.code === 'EADDRINUSE' ? `port ${port} is in use; try --port ${port + 1}` : e.message}`);
    process.exit(1);
  }
}
