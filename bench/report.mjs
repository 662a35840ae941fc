// bench/report.mjs — the tables `./lab bench` writes into docs/performance.md, from its samples.
//
// renderBench(samples, machine): samples maps a case id (bench/run.mjs names them) to one figure
// per round; every ratio is taken within a round before its median, so the two sides of it were
// measured minutes apart at most, under the same neighbours.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fixed = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/// A figure as "median [lowest–highest]" over the rounds.
function figure(xs, digits = 1, scale = 1) {
  if (!xs?.length) return '—';
  const v = xs.map((x) => x * scale);
  if (v.length === 1) return fixed(v[0], digits);
  return `${fixed(median(v), digits)} [${fixed(Math.min(...v), digits)}–${fixed(Math.max(...v), digits)}]`;
}

/// Round by round, a ÷ b (each a list of per-round figures, or a per-round list already made).
function perRound(a, b) {
  if (!a?.length || !b?.length) return [];
  return a.slice(0, Math.min(a.length, b.length)).map((x, r) => x / b[r]);
}

/// The shapes measured for one kind of case, "<kind>/<a>/<b>/<threads>" → "<a>/<b>", each once.
const shapesOf = (samples, kind) =>
  [...new Set(Object.keys(samples).filter((k) => k.startsWith(`${kind}/`)).map((k) => k.split('/').slice(1, 3).join('/')))];

/// renderBench(samples, machine) → Markdown.
export function renderBench(samples, machine) {
  const S = (id) => samples[id] ?? [];
  const ratio = (a, b) => perRound(S(a), S(b));
  const scaling = (id1, id2) => perRound(S(id2), S(id1));
  const lines = [];
  const out = (...xs) => lines.push(...xs);

  out(`Measured ${machine.date} by \`${machine.command}\` on ${machine.cpu} (${machine.isa}, ${machine.cores} vCPUs), ` +
    `Node ${machine.node}, ONNX Runtime ${machine.ort} (onnxruntime-node natively, onnxruntime-web for the wasm build): ` +
    `${machine.rounds} round${machine.rounds === 1 ? '' : 's'}, every case once per round in a fresh random order, each measurement a process of its own ` +
    `running ${machine.seconds} s after warming up. A figure is the median over the rounds [lowest–highest]; a ratio is ` +
    'taken within each round, then its median [lowest–highest]. ONNX Runtime runs the same single-head shapes on the same ' +
    'inputs, checked first against a float64 softmax(Q·Kᵀ/√d)·V (bench/peer.mjs).', '');

  out('**Forward pass**, non-causal, one head, float32; GFLOP/s by the model 4·n²·d (lesson 07). ' +
    '"MHA" is the com.microsoft MultiHeadAttention op, "Attention" the standard opset-23 op.', '',
    '| n | d | threads | v4_simd | ORT MHA | ORT Attention | v4_simd ÷ MHA | v4_simd ÷ Attention | v4_simd ÷ FMA peak |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const shapes = shapesOf(samples, 'simd');
  for (const shape of shapes)
    for (const t of [1, 2]) {
      const [n, d] = shape.split('/'), c = `simd/${shape}/${t}`;
      if (!samples[c]) continue;
      const peak = t === 1 ? S('peak') : S('peak-pair');
      out(`| ${n} | ${d} | ${t} | ${figure(S(c))} | ${figure(S(`ort-mha/${shape}/${t}`))} | ${figure(S(`ort-attention/${shape}/${t}`))} | ` +
        `${figure(ratio(c, `ort-mha/${shape}/${t}`), 2)}× | ${figure(ratio(c, `ort-attention/${shape}/${t}`), 2)}× | ` +
        `${figure(perRound(S(c), peak), 0, 100)} % |`);
    }
  out('', `FMA peak in the same rounds: one process ${figure(S('peak'))} GFLOP/s; two processes at once ` +
    `${figure(S('peak-pair'))} together, a scaling of ${figure(scaling('peak', 'peak-pair'), 2)}× ` +
    '(what two threads can hope for on this host; the 2-thread rows above are against that sum).', '');

  out('**Two threads**: the speed-up of 2 threads over 1, against the scaling two processes of the FMA peak reach in the same round.', '',
    '| n | d | v4_simd 2 ÷ 1 thread | ORT MHA 2 ÷ 1 | v4_simd\'s, ÷ the two processes\' |', '|---:|---:|---:|---:|---:|');
  for (const shape of shapes) {
    const [n, d] = shape.split('/');
    const own = scaling(`simd/${shape}/1`, `simd/${shape}/2`);
    out(`| ${n} | ${d} | ${figure(own, 2)}× | ${figure(scaling(`ort-mha/${shape}/1`, `ort-mha/${shape}/2`), 2)}× | ` +
      `${figure(perRound(own, scaling('peak', 'peak-pair')), 0, 100)} % |`);
  }

  out('', '**Decoding**: n_q queries against a cache of n_k keys, d = 64; GB/s of K and V read (decoding is memory-bound), ' +
    'against the read bandwidth measured with the same threads. v5_split_kv is causal (the queries are the last n_q ' +
    'positions); ONNX Runtime\'s MHA has no causal mask, which for n_q = 8 of 32 768 changes 28 of 262 144 pairs.', '',
    '| n_q | n_k | threads | v5_split_kv | ORT MHA | v5 ÷ MHA | v5 ÷ read bandwidth |', '|---:|---:|---:|---:|---:|---:|---:|');
  const decodes = shapesOf(samples, 'decode');
  for (const shape of decodes)
    for (const t of [1, 2]) {
      const [nq, nk] = shape.split('/'), c = `decode/${shape}/${t}`;
      out(`| ${nq} | ${nk} | ${t} | ${figure(S(c))} | ${figure(S(`ort-mha-decode/${shape}/${t}`))} | ` +
        `${figure(ratio(c, `ort-mha-decode/${shape}/${t}`), 2)}× | ${figure(ratio(c, `read-bw/${t}`), 0, 100)} % |`);
    }
  out('', `Read bandwidth in the same rounds: 1 thread ${figure(S('read-bw/1'))} GB/s, 2 threads ${figure(S('read-bw/2'))} ` +
    `(${figure(scaling('read-bw/1', 'read-bw/2'), 2)}×).`, '');

  if (samples['backward/1024']) {
    out('**Backward pass** (lesson 13\'s tiled backward, 64×64 tiles, float32, n = 1024, d = 64, one thread), GFLOP/s by ' +
      'its own model 2·pairs·(3·d_k + 2·d_v) (attn::backward_cost_model): ' +
      `${figure(S('backward/1024'))}, which is ${figure(ratio('backward/1024', 'simd/1024/64/1'), 3)}× v4_simd's forward ` +
      'at the same n in the same rounds. It is the lesson\'s readable xtensor code, not a tuned kernel.', '');
  }

  if (samples['wasm-peak']) {
    out('**WebAssembly** under Node (SIMD128, one thread), GFLOP/s; the peak is 12 (mul, add) chains on f32x4 registers ' +
      '(SIMD128 has no FMA).', '', '| n | wasm simd | ORT-web MHA | ORT-web Attention | simd ÷ MHA | simd ÷ Attention | simd ÷ wasm peak |',
    '|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of [1024, 4096]) {
      const c = `wasm-simd/${n}`;
      if (!samples[c]) continue;
      out(`| ${n} | ${figure(S(c))} | ${figure(S(`ort-web-mha/${n}`))} | ${figure(S(`ort-web-attention/${n}`))} | ` +
        `${figure(ratio(c, `ort-web-mha/${n}`), 2)}× | ${figure(ratio(c, `ort-web-attention/${n}`), 2)}× | ` +
        `${figure(ratio(c, 'wasm-peak'), 0, 100)} % |`);
    }
    out('', `wasm peak in the same rounds: ${figure(S('wasm-peak'))} GFLOP/s.`, '');
  }

  // The targets of issue 20, judged by the medians of the per-round ratios.
  const target = (what, xs, goal, unit = '×', scale = 1) => {
    const m = xs.length ? median(xs) * scale : NaN;
    const verdict = !Number.isFinite(m) ? 'not measured' : m >= goal ? 'met' : 'missed';
    out(`| ${what} | ${figure(xs, unit === '%' ? 0 : 2, scale)}${unit === '%' ? ' %' : '×'} | ${verdict} |`);
  };
  out('**The targets** (issue 20), from the same rounds:', '', '| target | measured | |', '|---|---:|---|');
  target('one thread, n = 4096, d = 64: ≥ 80 % of the FMA peak', ratio('simd/4096/64/1', 'peak'), 80, '%', 100);
  target('one thread, n = 4096, d = 64: ≥ 1.3× ORT MultiHeadAttention', ratio('simd/4096/64/1', 'ort-mha/4096/64/1'), 1.3);
  target('two threads, n = 4096, d = 64: ≥ 90 % of the scaling two processes reach',
    perRound(scaling('simd/4096/64/1', 'simd/4096/64/2'), scaling('peak', 'peak-pair')), 90, '%', 100);
  target('d = 128, n = 4096, one thread: ≥ 70 % of the FMA peak', ratio('simd/4096/128/1', 'peak'), 70, '%', 100);
  if (samples['wasm-peak']) {
    target('wasm, n = 1024: ≥ 60 % of the wasm peak', ratio('wasm-simd/1024', 'wasm-peak'), 60, '%', 100);
    target('wasm, n = 1024: ≥ 1.2× onnxruntime-web (MHA)', ratio('wasm-simd/1024', 'ort-web-mha/1024'), 1.2);
  }
  target('split-KV decoding, 32 768 keys, n_q = 1: 2 threads ≥ 1.6× one thread', scaling('decode/1/32768/1', 'decode/1/32768/2'), 1.6);
  out('');
  return lines.join('\n');
}
