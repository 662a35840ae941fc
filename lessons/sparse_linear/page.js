// lessons/sparse_linear/page.js — lesson 19's widgets.
//
// patterns:  a pattern's mask, shaded by the share of pairs each cell keeps, under the 64×64
//            tiles the kernel computes (whole, partial, skipped: the library's tile plan); then
//            v4_sparse and v4_simd timed in this tab.
// weights:   the example's softmax weights beside linear attention's, which it never forms.
// state:     causal linear attention token by token: S, z, and the output against the weights' row.
// crossover: v4_simd and linear attention timed in a worker for n = 64 and up, on log axes.
// recall:    the associative-recall task: each form's accuracy, and one question's weights.
import createLessonModule from './lesson.mjs';
import { el, svg, fmt, flops, sequentialColor, explainWeight, explanation, Heatmap, MatrixView, Scene, SeriesPlot, Stats, chips, slider, stepper, toggle, mountWidget } from '../../web/js/widgets.js';

const LESSON = new URL('./lesson.mjs', import.meta.url);  // the long runs load it again, in a worker
const TILE = ['skipped', 'partial', 'whole'];
const names = (n, p = 't') => Array.from({ length: n }, (_, i) => `${p}${i}`);
const terms = (xs) => xs.map((x) => fmt(x, 3)).join(' + ');

/** A(i, j) = φ(q_i)·φ(k_j) / Σ_k φ(q_i)·φ(k_k): each dot product from the library (attn/explain.hpp). */
const explainLinear = ({ A, fQ, fK, causal, rows, cols }) => async (i, j) => {
  const seen = causal ? i + 1 : fK.length;
  const dots = await Promise.all(Array.from({ length: seen }, (_, k) => explanation('score', fQ, fK, i, k, false)));
  const value = A[i][j];  // the library's weight: the sum below is how it was made
  if (j >= seen)
    return el('p', { class: 'explain', 'data-explain': 'masked' }, el('span', { class: 'explain-lhs' }, `A(${rows[i]}, ${cols[j]}) = `),
      el('strong', { 'data-value': '0' }, '0'), el('span', { class: 'explain-note' }, `Causal: key “${cols[j]}” comes after query “${rows[i]}” and is never added to its state.`));
  return el('p', { class: 'explain', 'data-explain': 'linear-weight' },
    el('span', { class: 'explain-lhs' }, `A(${rows[i]}, ${cols[j]}) = φ(q)·φ(k_${cols[j]}) / Σ_k φ(q)·φ(k_k)`),
    ` = ${fmt(dots[j].value, 4)} / (${seen <= 6 ? terms(dots.map((d) => d.value)) : `${seen} terms`}) = `,
    el('strong', { 'data-value': String(value) }, fmt(value)),
    el('span', { class: 'explain-note' }, 'Every φ(q)·φ(k) is positive, and none is raised to a power: the weights stay close to each other.'));
};

mountWidget('patterns', createLessonModule, (widget) => {
  const picture = new Scene({ name: 'patterns', label: 'The pattern and its tiles', width: 420, height: 440 });
  const stats = new Stats({ name: 'patterns' });
  const run = new Stats({ name: 'kernel' });
  const G = 384, x0 = 24, y0 = 40;
  const update = () => {
    const n = 2 ** size.value, r = widget.call('pattern', pattern.value, n, Math.min(n, l.value));
    if (!r) return;
    const cells = r.density.length, u = G / cells, tiles = r.tiles.length, t = G / tiles;
    picture.frame(`${pattern.value}, n = ${n}: ${r.cost.computed} of ${r.cost.tiles} tiles computed`, (p) => {
      p.text('title', `n = ${n} · a cell: ${r.cell}×${r.cell} pairs · a tile: 64×64`, { class: 'note', x: x0, y: 20 });
      p.cells('pairs', r.density, { x: x0, y: y0, size: u, gap: 0, layer: 'back',
        fill: (v) => (v > 0 ? sequentialColor(0.25 + 0.75 * v, 1) : 'none'),
        title: (i, j) => `queries ${i * r.cell}–${(i + 1) * r.cell - 1}, keys ${j * r.cell}–${(j + 1) * r.cell - 1}: ${fmt(100 * r.density[i][j], 3)} % of pairs visible` });
      r.tiles.forEach((row, i) => row.forEach((s, j) => p.put(`tile-${i}-${j}`, 'rect', {
        class: `plan-tile ${TILE[s]}`, x: x0 + j * t, y: y0 + i * t, width: t, height: t, 'data-tile': TILE[s], 'data-i': i, 'data-j': j,
      }, { layer: 'front', title: `tile (${i}, ${j}): ${s === 0 ? 'skipped, no visible pair' : s === 1 ? 'computed, then masked' : 'computed whole'}` })));
    });
    const c = r.cost;
    stats.show([
      { name: 'pairs', label: 'pairs kept', value: c.pairs, note: `${fmt((100 * c.pairs) / c.dense_pairs, 3)} % of the ${r.causal ? 'causal triangle' : 'full square'}` },
      { name: 'computed', label: 'tiles computed', value: c.computed, note: `${fmt((100 * c.computed) / c.dense_tiles, 3)} % of the ${c.dense_tiles} the kernel computes without the pattern` },
      { name: 'partial', label: 'of them partial (masked)', value: c.partial },
    ]);
    run.show([]);
  };
  const time = () => {
    const n = 2 ** size.value, r = widget.call('kernel', pattern.value, n, Math.min(n, l.value));
    if (!r) return;
    run.show([
      { name: 'ms_sparse', label: 'v4_sparse, this pattern', value: `${fmt(r.ms_sparse, 3)} ms`, note: `${r.tiles} tiles` },
      { name: 'ms_dense', label: 'v4_simd, every tile', value: `${fmt(r.ms_dense, 3)} ms`, note: `${r.dense_tiles} tiles` },
      { name: 'speedup', label: 'speed-up over every tile', value: `${fmt(r.ms_dense / r.ms_sparse, 3)}×`, note: r.ms_dense < r.ms_sparse ? 'slower: every tile computed, and masked too' : '' },
      ...(r.diff >= 0 ? [{ name: 'diff', label: 'max |v4_sparse − masked reference|', value: r.diff }] : []),
    ]);
  };
  const pattern = chips({ name: 'pattern', label: 'pattern', options: ['causal', 'window', 'strided', 'strided-blocks', 'fixed', 'bigbird'].map((p) => [p, p]), value: 'strided', onpick: update });
  const size = slider({ name: 'n', label: 'n', min: 8, max: 12, step: 1, value: 11, format: (v) => String(2 ** v), oninput: update });
  const l = slider({ name: 'l', label: 'l (window, stride or run)', min: 8, max: 1024, step: 8, value: 64, format: String, oninput: update });
  widget.append(
    el('div', { class: 'controls' }, pattern.node, size.node, l.node), widget.banner.node,
    el('div', { class: 'split' }, picture.node, el('div', {}, stats.node,
      el('div', { class: 'toolbar' }, el('button', { type: 'button', class: 'chip', 'data-action': 'time', onclick: time }, 'Run both kernels in this page')), run.node)));
  update();
});

mountWidget('weights', createLessonModule, (widget) => {
  const soft = new Heatmap({ name: 'P', label: 'softmax weights P', rowTitle: 'query', colTitle: 'key', caption: true });
  const lin = new Heatmap({ name: 'A', label: 'linear attention weights A', rowTitle: 'query', colTitle: 'key', caption: true });
  const stats = new Stats({ name: 'weights' });
  const update = () => {
    const r = widget.call('weights', causal.checked);
    if (!r) return;
    const t = names(8), top = (M) => M.reduce((a, row) => a + Math.max(...row), 0) / M.length;
    soft.show(r.P, t, t, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.S, rows: t, cols: t }) });
    lin.show(r.A, t, t, { maxAbs: 1, digits: 2, explain: explainLinear({ A: r.A, fQ: r.fQ, fK: r.fK, causal: causal.checked, rows: t, cols: t }) });
    stats.show([
      { name: 'top_softmax', label: 'largest weight per row, softmax', value: top(r.P), note: 'averaged over the rows' },
      { name: 'top_linear', label: 'largest weight per row, linear', value: top(r.A), note: 'the same rows, no exponential' },
    ]);
  };
  const causal = toggle({ name: 'causal', label: 'causal', checked: false, onchange: update });
  widget.append(el('div', { class: 'controls' }, causal.node), widget.banner.node,
    el('div', { class: 'matrix-row' }, soft.node, lin.node), stats.node);
  update();
});

mountWidget('state', createLessonModule, (widget) => {
  const S = new Heatmap({ name: 'S', label: 'S = Σ φ(k_j) v_jᵀ (4 × 4)', rowTitle: 'feature', colTitle: 'value', caption: true });
  const z = new MatrixView({ name: 'z', label: 'z = Σ φ(k_j)' });
  const o = new MatrixView({ name: 'o', label: 'o_t = φ(q_t)ᵀS / φ(q_t)·z' });
  const quad = new MatrixView({ name: 'o_quadratic', label: 'row t of A·V (weights formed whole)' });
  const stats = new Stats({ name: 'state' });
  const fK = widget.need('weights', false).fK, V = widget.need('example').V;
  const draw = (t) => {
    const r = widget.call('state', t);
    if (!r) return;
    const f = ['f0', 'f1', 'f2', 'f3'];
    // S(c, e) = Σ_{j ≤ t} φ(k_j)_c·v_j,e: column c of φ(K) against column e of V, by the library's dot product.
    const upto = (M, c) => [M.slice(0, t + 1).map((row) => row[c])];
    S.show(r.state.S, f, ['v0', 'v1', 'v2', 'v3'], { digits: 2, explain: async (c, e) => {
      const d = await explanation('score', upto(fK, c), upto(V, e), 0, 0, false);
      return el('p', { class: 'explain', 'data-explain': 'state' }, el('span', { class: 'explain-lhs' }, `S(f${c}, v${e}) = Σ_j φ(k_j)_${c}·v_j,${e}, j = 0…${t}`),
        ` = ${d.q.map((x, k) => `${fmt(x, 3)}×${fmt(d.k[k], 3)}`).join(' + ')} = `, el('strong', { 'data-value': String(r.state.S[c][e]) }, fmt(r.state.S[c][e])),
        el('span', { class: 'explain-note' }, `Token ${t} added its own term; the sum's size never changes.`));
    } });
    z.show([r.state.z]);
    o.show([r.o]);
    quad.show([r.o_quadratic]);
    stats.show([
      { name: 'tokens', label: 'tokens read', value: t + 1, note: `t0 … t${t}` },
      { name: 'state', label: 'numbers in the state', value: r.state.S.length * r.state.S[0].length + r.state.z.length, note: 'the same at every step' },
      { name: 'diff', label: 'max |o_t − row t of A·V|', value: Math.max(...r.o.map((v, k) => Math.abs(v - r.o_quadratic[k]))) },
    ]);
  };
  const steps = stepper({ name: 'token', count: () => 7, onstep: draw });
  widget.append(steps.node, widget.banner.node, el('div', { class: 'matrix-row' }, S.node, el('div', {}, z.node, o.node, quad.node)), stats.node);
  steps.go(0);
});

mountWidget('crossover', createLessonModule, (widget) => {
  const chart = new SeriesPlot({ name: 'crossover', label: 'Median time of each, in this tab', xLabel: 'n', yLabel: 'ms', logX: true, logY: true,
    series: [{ key: 'softmax_ms', label: 'v4_simd (softmax)' }, { key: 'linear_ms', label: 'linear attention' }], format: (v) => `${fmt(v, 3)} ms` });
  const stats = new Stats({ name: 'crossover' });
  const draw = (points) => chart.show(points.map((p) => ({ x: p.n, ...p })), { caption: 'both axes on log scales' });
  const causal = toggle({ name: 'causal', label: 'causal', checked: false });
  const run = widget.longRun({ label: 'Measure', action: 'measure', module: LESSON, idle: 'Press Measure: both run in this tab, in a worker beside the page.' },
    async ({ say, work }) => {
      const points = [], sizes = [64, 128, 256, 512, 1024, 2048, 4096];
      for (const [k, n] of sizes.entries()) {
        say(`timing n = ${n}…`, sizes.slice(0, k).reduce((a, m) => a + m * m, 0) / sizes.reduce((a, m) => a + m * m, 0));
        points.push(await work('time', n, causal.checked, n <= 512 ? 7 : 3));
        draw(points);
      }
      const cross = points.find((p, k) => points.slice(k).every((q) => q.linear_ms < q.softmax_ms));  // faster from here on
      const model = widget.need('cost', 4096, 64, causal.checked);
      stats.show([
        { name: 'measured', label: 'linear attention faster from', value: cross ? `n = ${cross.n}` : 'not up to 4096', note: 'the first size measured from which it stays faster' },
        { name: 'flops', label: 'fewer FLOPs from', value: `n = ${model.crossover}`, note: 'by the two cost models' },
        { name: 'ratio', label: 'FLOPs at n = 4096, softmax / linear', value: model.softmax_flops / model.linear.flops, note: `${flops(model.softmax_flops)} against ${flops(model.linear.flops)}` },
      ]);
      say(`done: ${points.length} sizes.`, 1);
    });
  widget.append(el('div', { class: 'controls' }, causal.node), run.node, widget.banner.node, el('div', { class: 'split' }, chart.node, stats.node));
});

mountWidget('recall', createLessonModule, (widget) => {
  const W = 560, H = 190;
  const scores = el('figure', { class: 'chart bars recall-bars', 'data-chart': 'accuracy' });
  const weights = new Scene({ name: 'recall-weights', label: 'question 0: the weight on each stored pair', width: W, height: H });
  const stats = new Stats({ name: 'recall' });
  const update = () => {
    const pairs = 2 ** k.value, r = widget.call('recall', pairs);
    if (!r) return;
    scores.replaceChildren(svg('svg', { viewBox: '0 0 560 90', role: 'img', 'aria-label': `softmax ${fmt(100 * r.softmax, 3)} %, linear ${fmt(100 * r.linear, 3)} %` },
      [['softmax', r.softmax], ['linear', r.linear]].map(([name, v], i) => svg('g', {},
        svg('text', { x: 0, y: 26 + i * 40, class: 'label' }, name),
        svg('rect', { class: 'bar-bg', x: 80, y: 10 + i * 40, width: 400, height: 24 }),
        svg('rect', { class: `bar ${name}`, x: 80, y: 10 + i * 40, width: 400 * v, height: 24, 'data-value': String(v), 'data-bar': name }),
        svg('text', { x: 490, y: 27 + i * 40 }, `${fmt(100 * v, 3)} %`)))),
    el('figcaption', {}, `share of 200 questions answered, ${pairs} pairs`));
    const step = (W - 130) / pairs;
    weights.frame(`${pairs} pairs, the asked-for pair is ${r.answer}`, (p) => {
      [['softmax', r.softmax_w, 80], ['linear', r.linear_w, 170]].forEach(([name, w, base]) => {
        const peak = Math.max(...w);  // each row to its own scale: the linear row's bars are all near 1/pairs
        p.text(`${name}-label`, name, { class: 'label', x: 0, y: base - 24 });
        p.text(`${name}-scale`, `tallest ${fmt(peak, 2)}`, { class: 'note', x: 0, y: base - 6 });
        p.bars(name, w, { x: 120, base, step, width: Math.max(0.5, step - 1), scale: 70 / peak,
          cls: (j) => (j === r.answer ? 'asked' : ''), title: (j) => `pair ${j}: weight ${fmt(w[j], 3)}${j === r.answer ? ' (asked for)' : ''}` });
      });
    });
    stats.show([
      { name: 'softmax_w', label: 'softmax weight on the asked-for pair', value: r.softmax_w[r.answer] },
      { name: 'linear_w', label: 'linear weight on the asked-for pair', value: r.linear_w[r.answer], note: `uniform would be ${fmt(1 / pairs, 3)}` },
    ]);
  };
  const k = slider({ name: 'pairs', label: 'stored pairs', min: 2, max: 9, step: 1, value: 6, format: (v) => String(2 ** v), oninput: update });
  widget.append(el('div', { class: 'controls' }, k.node), widget.banner.node, scores, weights.node, stats.node);
  update();
});
