// bench/crossover.mjs — the sequence length from which linear attention (lesson 19) is faster than
// v4_simd, from one bench_attention run that timed both side by side.
//
//   build/native/bench/bench_attention --benchmark_filter='BM_linear|BM_crossover_simd' \
//       --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true \
//       --benchmark_report_aggregates_only=true --benchmark_out=cross.json --benchmark_out_format=json
//   node bench/crossover.mjs cross.json
//
// Prints a Markdown table of the medians at each n, their ratio, and the first n at which linear
// attention's median time is below v4_simd's, non-causal and causal (docs/performance.md quotes it).
import { readFileSync } from 'node:fs';

const [input] = process.argv.slice(2);
if (!input) {
  console.error('usage: node bench/crossover.mjs <benchmark.json>');
  process.exit(2);
}
const data = JSON.parse(readFileSync(input, 'utf8'));
const runs = data.benchmarks.filter((b) => b.aggregate_name === 'median');
const ms = (re) => new Map(runs.map((b) => [b.run_name.match(re), b]).filter(([m]) => m).map(([m, b]) => [Number(m[1]), b.real_time]));
const cpu = data.context?.host_name ? `${data.context.num_cpus} CPUs at ${data.context.mhz_per_cpu} MHz` : '';
for (const causal of [0, 1]) {
  const soft = ms(new RegExp(`^BM_crossover_simd/n:(\\d+)/causal:${causal}/threads:1`));
  const lin = ms(new RegExp(`^BM_linear/n:(\\d+)/causal:${causal}$`));
  const sizes = [...soft.keys()].filter((n) => lin.has(n)).sort((a, b) => a - b);
  if (!sizes.length) {
    console.error(`crossover: no BM_linear and BM_crossover_simd medians for causal:${causal} in ${input}`);
    process.exit(1);
  }
  console.log(`\n${causal ? 'Causal' : 'Not causal'}, d = 64, one thread${cpu ? ` (${cpu})` : ''}:\n`);
  console.log('| n | v4_simd (ms) | linear (ms) | simd / linear |\n|---:|---:|---:|---:|');
  for (const n of sizes) console.log(`| ${n} | ${soft.get(n).toFixed(3)} | ${lin.get(n).toFixed(3)} | ${(soft.get(n) / lin.get(n)).toFixed(2)} |`);
  const first = sizes.find((n, k) => sizes.slice(k).every((m) => lin.get(m) < soft.get(m)));
  console.log(`\nLinear attention is faster from n = ${first ?? `(not up to ${sizes.at(-1)})`}${causal ? ' (causal)' : ''}.`);
}
