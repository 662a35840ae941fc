// tests/browser/pdf.mjs — just enough of a PDF reader to check what Chromium prints: the pages in
// order, and how much each one draws. Chromium (Skia) writes plain objects, no object streams,
// and Flate-compressed content streams, which node:zlib inflates.
import { constants, inflateSync } from 'node:zlib';

/** Every "N 0 obj … endobj" of the file: N -> {dict, stream} (latin1 text; stream inflated if Flate). */
function objects(buf) {
  const text = buf.toString('latin1');
  const out = new Map();
  const head = /(\d+) 0 obj\b/g;
  for (let m; (m = head.exec(text));) {
    const from = head.lastIndex;
    const s = text.indexOf('stream', from), e = text.indexOf('endobj', from);
    let dict = text.slice(from, e), stream = null;
    if (s >= 0 && s < e) {
      // A stream holds binary bytes: take exactly /Length of them, and go on after it.
      dict = text.slice(from, s);
      const length = Number(dict.match(/\/Length\s+(\d+)(?!\s+\d+\s+R)/)?.[1]);
      const start = s + (text[s + 6] === '\r' ? 8 : 7);
      const raw = buf.subarray(start, start + length);
      stream = (/\/FlateDecode/.test(dict) ? inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }) : raw).toString('latin1');
      head.lastIndex = text.indexOf('endobj', start + length);
    } else head.lastIndex = e;
    out.set(Number(m[1]), { dict, stream });
  }
  return out;
}

const refs = (s) => [...(s ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));

/** The pages, in the page tree's order: [{width, height, drawsText: number of text-showing operators}]. */
export function pdfPages(buf) {
  const objs = objects(buf);
  const catalog = [...objs.values()].find((o) => /\/Type\s*\/Catalog/.test(o.dict));
  if (!catalog) throw new Error('no PDF catalog');
  const textOps = (n, seen = new Set()) => {
    if (seen.has(n)) return 0;
    seen.add(n);
    const o = objs.get(n);
    let count = (o?.stream?.match(/\bT[Jj]\b/g) ?? []).length;
    // forms it draws (Skia puts some content in XObjects)
    const xo = o?.dict.match(/\/XObject\s*<<([^>]*)>>/);
    for (const r of refs(xo?.[1])) count += textOps(r, seen);
    return count;
  };
  const pages = [];
  const walk = (n) => {
    const o = objs.get(n);
    if (/\/Type\s*\/Pages\b/.test(o.dict)) {
      for (const kid of refs(o.dict.match(/\/Kids\s*\[([^\]]*)\]/)?.[1])) walk(kid);
      return;
    }
    const box = o.dict.match(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/);
    let drawsText = 0;
    const contents = o.dict.match(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/)?.[1];
    for (const r of refs(contents)) drawsText += textOps(r);
    const resources = o.dict.match(/\/Resources\s*(\d+) 0 R/)?.[1];
    const xo = resources ? objs.get(Number(resources)).dict.match(/\/XObject\s*<<([^>]*)>>/) : o.dict.match(/\/XObject\s*<<([^>]*)>>/);
    for (const r of refs(xo?.[1])) drawsText += textOps(r);
    pages.push({ width: box ? Number(box[3]) : 0, height: box ? Number(box[4]) : 0, drawsText });
  };
  walk(refs(catalog.dict.match(/\/Pages\s*(\d+ 0 R)/)?.[1])[0]);
  return pages;
}
