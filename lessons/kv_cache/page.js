// lessons/kv_cache/page.js — lesson 10's widgets: the cache growing, and what it costs.
//
// "decoder": prefill the prompt, then decode one token at a time. The cached K
// and V grow a row per token, drawn as a cache filling slot by slot, the newest
// query reaching every cached key with the width of its weight and the cached
// values flowing into its output; every output row is compared with full
// causal attention.
// "cache-cost": attention FLOPs per token with and without the cache, and a
// calculator for a whole model's cache.
import createLessonModule from './lesson.mjs';
import { el, fmt, divergingColor, MatrixEditor, MatrixView, BarChart, Scene, Stats, LinePlot, slider, stepper, toggle, mountWidget } from '../../web/js/widgets.js';

mountWidget('decoder', createLessonModule, (widget) => {
  const ex = widget.need('example');
  const strip = el('ol', { class: 'token-strip', 'aria-label': 'tokens: cached or still to come' });
  const label = (i) => ex.tokens[i] ?? `t${i + 1}`;
  const Kc = new MatrixView({ name: 'K_cache', label: 'K cache', caption: 'one row per token so far', rowLabels: label });
  const Vc = new MatrixView({ name: 'V_cache', label: 'V cache', rowLabels: label });
  const O = new MatrixView({ name: 'O', label: 'O, decoded', caption: 'row t from the cache at step t', rowLabels: label });
  const w = new BarChart({ name: 'weights', label: 'the newest query’s weights over the cached keys' });
  const stats = new Stats({ name: 'decode' });
  const picture = new Scene({ name: 'cache', label: 'The KV cache filling, one token at a time', width: 640, height: 200 });
  // The cache's n slots (K and V side by side), filled up to t; q_t's weights over them as flows.
  const draw = (t, r) => {
    const n = ex.tokens.length, dk = ex.K[0].length, dv = ex.V[0].length, c = Math.min(22, 180 / n), y0 = 36;
    const kx = 190, vx = kx + dk * c + 24, ox = vx + dv * c + 120, mid = y0 + (n * c) / 2 - c / 2;
    const top = Math.max(1e-9, ...[ex.K, V.values.map((row) => row.map(Number)), ex.Q].flat(2).filter(Number.isFinite).map(Math.abs));
    const ink = (v) => divergingColor(v, top), slot = (M, d) => ex.tokens.map((_, i) => (i < t ? M[i] : Array(d).fill(0)));
    picture.frame(t ? `${t} of ${n} tokens cached; the newest, “${label(t - 1)}”, attends over them` : `the cache is empty: ${n} slots`, (p) => {
      p.text('K-title', 'K cache', { class: 'label', x: kx, y: y0 - 10 });
      p.text('V-title', 'V cache', { class: 'label', x: vx, y: y0 - 10 });
      p.cells('K', slot(r.K_cache, dk), { x: kx, y: y0, size: c, fill: (v, i) => (i < t ? ink(v) : 'none'), cls: (i) => (i >= t ? 'pending' : i === t - 1 ? 'current' : '') });
      p.cells('V', slot(r.V_cache, dv), { x: vx, y: y0, size: c, fill: (v, i) => (i < t ? ink(v) : 'none'), cls: (i) => (i >= t ? 'pending' : i === t - 1 ? 'current' : '') });
      ex.tokens.forEach((tok, i) => p.text(`tok-${i}`, tok, { class: i < t ? 'label' : 'label pending', x: kx - 8, y: y0 + i * c + c / 2 + 4, 'text-anchor': 'end' }));
      if (!t) return;
      p.text('q-title', `q_${label(t - 1)}`, { class: 'label', x: 20, y: mid - 8 });
      p.cells('q', [ex.Q[t - 1]], { x: 20, y: mid, size: c, fill: ink });
      p.text('o-title', `o_${label(t - 1)}`, { class: 'label', x: ox, y: mid - 8 });
      p.cells('o', [r.O[t - 1]], { x: ox, y: mid, size: c, fill: ink, title: (_, k) => `o[${k}] = ${fmt(r.O[t - 1][k], 4)}` });
      r.weights.forEach((w, i) => {
        const y = y0 + i * c + c / 2;
        p.put(`qk-${i}`, 'path', { class: 'flow', d: `M${20 + dk * c + 4},${mid + c / 2} C${kx - 70},${mid + c / 2} ${kx - 70},${y} ${kx - 40},${y}`,
          'stroke-width': 1 + 10 * w, 'data-flow': 'weight', 'data-i': i }, { layer: 'back', value: w, title: `weight of “${label(i)}”: ${fmt(w, 4)}` });
        p.put(`vo-${i}`, 'path', { class: 'flow', d: `M${vx + dv * c + 4},${y} C${ox - 60},${y} ${ox - 60},${mid + c / 2} ${ox - 4},${mid + c / 2}`,
          'stroke-width': 1 + 10 * w, 'data-flow': 'blend', 'data-i': i }, { layer: 'back', value: w });
      });
    });
  };
  const V = new MatrixEditor({ name: 'V', label: 'V · values (edit me)', values: ex.V, rowLabels: label, resizable: false, onchange: () => update() });

  const update = () => {
    const t = steps.at;
    const r = widget.call('decode', ex.Q, ex.K, V.values, t, ex.prompt);
    if (!r) return;
    strip.replaceChildren(...ex.tokens.map((tok, i) => el('li', {
      class: i < t ? (i < Math.min(t, ex.prompt) ? 'cached prompt' : 'cached') : 'pending', 'data-token': i,
      ...(i === t - 1 ? { 'aria-current': 'step' } : {}) }, tok)));
    draw(t, r);
    if (t === 0) { Kc.clear(); Vc.clear(); O.clear(); w.show([0], { max: 1 }); }
    else {
      Kc.show(r.K_cache, t - 1); Vc.show(r.V_cache, t - 1); O.show(r.O, t - 1);
      w.show(r.weights, { max: 1, labels: ex.tokens.slice(0, t) });
    }
    stats.show([
      { name: 'cached', label: 'tokens cached', value: t, note: t === 0 ? 'press Prefill' : t <= ex.prompt ? 'the prompt, in one pass' : `${t - ex.prompt} decoded one by one` },
      { name: 'flops', label: 'FLOPs for the newest token', value: t ? 2 * t * (ex.K[0].length + ex.V[0].length) : 0, note: '2·t·(d_k + d_v): linear in t' },
      { name: 'diff', label: 'max |decoded − full causal attention|', value: r.diff },
    ]);
  };
  // Before the prompt is in the cache, the first step prefills it in one pass.
  const steps = stepper({ name: 'decode', count: () => ex.tokens.length, onstep: update,
    next: (t) => Math.max(t, ex.prompt - 1) + 1, labels: { step: 'Decode next ▶', end: 'Decode all' },
    extra: [['Prefill prompt', 'prefill', (t) => Math.max(t, ex.prompt)]] });
  widget.append(
    strip,
    steps.node,
    widget.banner.node,
    picture.node,
    el('div', { class: 'matrix-row' }, Kc.node, Vc.node, O.node),
    el('div', { class: 'split' }, w.node, stats.node),
    el('details', {}, el('summary', {}, 'Edit the values'), el('div', { class: 'matrix-row' }, V.node)));
  update();
});

mountWidget('cache-cost', createLessonModule, (widget) => {
  const cached = new LinePlot({ name: 'cached', label: 'FLOPs per token, with the cache', xLabel: 'position t', yLabel: 'FLOPs' });
  const recompute = new LinePlot({ name: 'recompute', label: 'FLOPs per token, recomputing the prefix', xLabel: 'position t', yLabel: 'FLOPs' });
  const mem = new Stats({ name: 'memory' });
  const plot = () => {
    const r = widget.call('cost', ctx.value, 128);
    if (!r) return;
    cached.show(r.t.map((x, k) => ({ x, y: r.cached[k] })), { curve: (x) => 2 * x * 256, curveLabel: '2·t·(d_k + d_v), a line' });
    recompute.show(r.t.map((x, k) => ({ x, y: r.recompute[k] })), { curve: (x) => x * (x + 1) * 256, curveLabel: 't(t+1)·(d_k + d_v), a parabola' });
  };
  const calc = () => {
    const r = widget.call('memory', layers.value, heads.value, dhead.value, tokens.value, fp32.checked ? 4 : 2);
    if (!r) return;
    mem.show([
      { name: 'per_token', label: 'cache per token', value: fmt(r.per_token / 1024, 4) + ' KiB' },
      { name: 'total', label: 'cache per sequence', value: r.text, note: `${fmt(r.bytes, 4)} bytes` },
    ]);
  };
  const ctx = slider({ name: 'context', label: 'context length', min: 256, max: 32768, step: 256, value: 4096, format: String, oninput: plot });
  const layers = slider({ name: 'layers', label: 'layers', min: 1, max: 128, step: 1, value: 32, format: String, oninput: calc });
  const heads = slider({ name: 'kv_heads', label: 'K/V heads', min: 1, max: 128, step: 1, value: 32, format: String, oninput: calc });
  const dhead = slider({ name: 'd_head', label: 'd_head', min: 16, max: 256, step: 16, value: 128, format: String, oninput: calc });
  const tokens = slider({ name: 'tokens', label: 'tokens of context', min: 1024, max: 131072, step: 1024, value: 4096, format: String, oninput: calc });
  const fp32 = toggle({ name: 'fp32', label: 'float32 (otherwise float16)', onchange: calc });
  widget.append(
    el('div', { class: 'controls' }, ctx.node), widget.banner.node,
    el('div', { class: 'split' }, cached.node, recompute.node),
    el('div', { class: 'stage' }, el('h4', {}, 'Cache size of a whole model'),
      el('div', { class: 'controls' }, layers.node, heads.node, dhead.node, tokens.node, fp32.node), mem.node));
  plot();
  calc();
});
