// bench/generate_bench.mjs — how fast the course's trained model writes, in headless Chromium
// (lesson 17's page, its WebAssembly module) and natively (`attnlab`, the same C++), side by side
// in one run.
//
//   ./lab build
//   node bench/generate_bench.mjs [build/wasm/site] [build/native/cli/attnlab]
//
// In the page: lesson 17's module with the model loaded, warmed up by 3 runs, then 5 runs of 400
// bytes after a 27-byte prompt, greedy and at temperature 0.8 with top-k 20; each run decodes
// through the KV cache (lesson 10) and slides the context once it fills. Natively: `attnlab
// generate` on the same prompt, settings and counts, which reports its own time per byte.
// Prints a Markdown table for docs/performance.md.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { openSite, newPage } from '../tests/browser/harness.mjs';

process.env.ATTN_SITE_DIR ??= resolve(process.argv[2] ?? 'build/wasm/site');
const attnlab = resolve(process.argv[3] ?? 'build/native/cli/attnlab');

const site = await openSite();
const page = await newPage(site);
await page.goto(`${site.base}/lessons/trained_model/index.html`);
await page.waitForLoadState('networkidle');
const result = await page.evaluate(async () => {
  const m = await (await import('./lesson.mjs')).default();
  const bytes = new Uint8Array(await (await fetch('../../assets/model/course.weights')).arrayBuffer());
  const info = m.use_model(bytes);
  const prompt = 'Attention lets every token ';
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = (count, temperature, topk, runs) => {
    const ms = [];
    for (let k = 0; k < runs; ++k) {
      const t0 = performance.now();
      const r = m.write(prompt, count, temperature, topk, k + 1);
      ms.push(performance.now() - t0);
      if (!r.ok) throw new Error(r.error);
    }
    return median(ms) / count;
  };
  time(100, 0, 0, 3);  // V8 tiers the module up
  return { info, greedy: time(400, 0, 0, 5), sampled: time(400, 0.8, 20, 5), agent: navigator.userAgent };
});
await site.close();

const native = (temperature, topk) => {  // the median of 5 of attnlab generate's own ms per byte
  const ms = [];
  for (let k = 0; k < 5; ++k) {
    const r = spawnSync(attnlab, ['generate', 'Attention lets every token ', '--count', '400', '--temperature', String(temperature),
      '--top-k', String(topk), '--seed', String(k + 1)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`attnlab generate failed: ${r.stderr}`);
    ms.push(Number(/([\d.]+) ms per byte/.exec(r.stderr)[1]));
  }
  return ms.sort((a, b) => a - b)[2];
};
const rows = [['greedy', result.greedy, native(0, 0)], ['temperature 0.8, top-k 20', result.sampled, native(0.8, 20)]];

const chrome = /Chrome\/([\d.]+)/.exec(result.agent)?.[1] ?? '?';
console.log(`Generation by the course's model (${result.info.parameters} weights), Chromium ${chrome}, ${cpus()[0].model}, ${cpus().length} cores`);
console.log('\n| decoding | page (wasm), ms per byte | native, ms per byte | page / native |');
console.log('|---|---:|---:|---:|');
for (const [name, page, nat] of rows)
  console.log(`| ${name} | ${page.toFixed(2)} | ${nat.toFixed(2)} | ${(page / nat).toFixed(1)}× |`);
console.log('\n(medians of 5 runs of 400 bytes each; the page\'s module warmed up first)');
