// bench/plot.mjs — docs/performance.svg from a Google Benchmark JSON file.
//
//   build/native/bench/bench_attention --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
//       --benchmark_out=bench.json --benchmark_out_format=json
//   node bench/plot.mjs bench.json docs/performance.svg
//
// GFLOP/s (medians) against n on a log₂ axis, one line per kernel, non-causal,
// one thread, with the measured FMA peak as a dashed line. No dependencies.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/plot.mjs <benchmark.json> <out.svg>');
  process.exit(2);
}
const runs = JSON.parse(readFileSync(input, 'utf8')).benchmarks.filter((b) => b.aggregate_name === 'median');
const gflops = (b) => b['GFLOP/s'];  // rate counters are stored already divided by the time
const isa = runs.find((b) => b.name.startsWith('BM_fma_peak'))?.label ?? 'SIMD';  // the ISA the binary was built for
const series = {
  [`v4_simd (tiled, ${isa})`]: /^BM_tiled_simd\/n:(\d+)\/causal:0\/threads:1/,
  'naive on OpenBLAS sgemm': /^BM_naive_blas\/n:(\d+)\/causal:0\/threads:1/,
  'v3_tiled (scalar)': /^BM_tiled_scalar\/n:(\d+)\/causal:0\/threads:1/,
  'v1_naive': /^BM_naive\/n:(\d+)\/causal:0/,
  'v2_online': /^BM_online\/n:(\d+)\/causal:0/,
};
const colors = ['#e08214', '#2166ac', '#8073ac', '#b2182b', '#4d9221'];
const peak = runs.find((b) => b.name.startsWith('BM_fma_peak'));
const lines = Object.entries(series).map(([label, re]) => ({
  label,
  points: runs.map((b) => [b.name.match(re), b]).filter(([m]) => m).map(([m, b]) => [Number(m[1]), gflops(b)]),
}));
const W = 720, H = 420, pad = { l: 64, r: 200, t: 24, b: 48 };
const xs = lines.flatMap((l) => l.points.map((p) => p[0]));
const x0 = Math.log2(Math.min(...xs)), x1 = Math.log2(Math.max(...xs));
const ymax = Math.max(peak ? gflops(peak) : 0, ...lines.flatMap((l) => l.points.map((p) => p[1]))) * 1.08;
const X = (n) => pad.l + ((Math.log2(n) - x0) / (x1 - x0)) * (W - pad.l - pad.r);
const Y = (g) => H - pad.b - (g / ymax) * (H - pad.t - pad.b);
let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">\n`;
svg += `<rect width="${W}" height="${H}" fill="#fff"/>\n`;
for (let g = 0; g <= ymax; g += 50) svg += `<line x1="${pad.l}" x2="${W - pad.r}" y1="${Y(g)}" y2="${Y(g)}" stroke="#eee"/><text x="${pad.l - 8}" y="${Y(g) + 4}" text-anchor="end" fill="#555">${g}</text>\n`;
for (const n of [...new Set(xs)].sort((a, b) => a - b)) svg += `<text x="${X(n)}" y="${H - pad.b + 18}" text-anchor="middle" fill="#555">${n}</text>\n`;
svg += `<text x="${(pad.l + W - pad.r) / 2}" y="${H - 10}" text-anchor="middle">n (d = 64, non-causal, 1 thread)</text>\n`;
svg += `<text x="16" y="${pad.t + (H - pad.t - pad.b) / 2}" transform="rotate(-90 16 ${pad.t + (H - pad.t - pad.b) / 2})" text-anchor="middle">GFLOP/s</text>\n`;
if (peak) {
  const p = gflops(peak);
  svg += `<line x1="${pad.l}" x2="${W - pad.r}" y1="${Y(p)}" y2="${Y(p)}" stroke="#333" stroke-dasharray="6 4"/><text x="${W - pad.r + 8}" y="${Y(p) + 4}">FMA peak ${p.toFixed(0)}</text>\n`;
}
const labels = [];
lines.forEach((l, i) => {
  if (!l.points.length) return;
  svg += `<polyline fill="none" stroke="${colors[i]}" stroke-width="2.5" points="${l.points.map(([n, g]) => `${X(n)},${Y(g)}`).join(' ')}"/>\n`;
  for (const [n, g] of l.points) svg += `<circle cx="${X(n)}" cy="${Y(g)}" r="3.5" fill="${colors[i]}"/>\n`;
  labels.push({ y: Y(l.points[l.points.length - 1][1]) + 4, text: l.label, color: colors[i] });
});
labels.sort((a, b) => a.y - b.y);  // keep the end labels at least 15 px apart
for (let i = 1; i < labels.length; ++i) labels[i].y = Math.max(labels[i].y, labels[i - 1].y + 15);
for (let i = labels.length - 1; i >= 0; --i)  // and above the x axis
  labels[i].y = Math.min(labels[i].y, i === labels.length - 1 ? H - pad.b - 2 : labels[i + 1].y - 15);
for (const l of labels) svg += `<text x="${W - pad.r + 8}" y="${l.y}" fill="${l.color}">${l.text}</text>\n`;
svg += '</svg>\n';
writeFileSync(output, svg);
console.log(`wrote ${output}`);
