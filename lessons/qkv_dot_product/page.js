// lessons/01_qkv_dot_product/page.js — lesson 01's widget: the Q·Kᵀ playground.
//
// Editors for X, W_q, W_k, W_v; every edit sends them to the lesson's
// WebAssembly module (lesson.hpp: compute) and shows Q, K, V and the score
// heatmap it returns. Hovering or focusing a score writes out its dot product.
// "Watch the scores being made" steps through S one cell at a time: row i of Q
// meets column j of Kᵀ, their products stand as bars, and their sum fills the
// cell (the library's explanation of that cell, attn/explain.hpp).
// A bad input (mismatched shapes, text in a box) shows the module's message and
// leaves the last good result dimmed: the page keeps working.
import createLessonModule from './lesson.mjs';
import { el, fmt, divergingColor, explainScore, explanation, MatrixEditor, MatrixView, Heatmap, Scene, stepper, mountWidget } from '../../web/js/widgets.js';

mountWidget('qkv-playground', createLessonModule, (widget) => {
  const example = widget.need('example');
  const baseTokens = example.tokens;
  const token = (i) => baseTokens[i] ?? `t${i + 1}`;

  let last = null;  // the last good result: what the step-through draws
  const update = () => {
    const result = widget.call('compute', X.values, Wq.values, Wk.values, Wv.values);
    if (!result) return;
    last = result;
    steps.go(Math.min(steps.at, result.S.length ** 2));
    const labels = result.S.map((_, i) => token(i));
    Qv.show(result.Q);
    Kv.show(result.K);
    Vv.show(result.V);
    heat.show(result.S, labels, labels, { explain: explainScore({ Q: result.Q, K: result.K, rows: labels, cols: labels }) });
    focus(-1, -1);
  };

  const focus = (i, j) => {
    heat.mark(i, j);
    Qv.highlight(i);
    Kv.highlight(j);
  };

  // Q on the left, Kᵀ on top, S where they meet; the products of the current pair as bars, their sum as the last.
  const picture = new Scene({ name: 'qk', label: 'Q meets Kᵀ, one score at a time', width: 640, height: 300 });
  let drawn = 0;  // a later step's drawing replaces an earlier one still waiting for its explanation
  const draw = async (at) => {
    const { Q, K, S } = last, n = S.length, d = Q[0].length, ticket = ++drawn;
    const i = Math.floor((at - 1) / n), j = (at - 1) % n;
    const e = at ? await explanation('score', Q, K, i, j, false).catch(() => null) : null;
    if (ticket !== drawn) return;
    const c = Math.min(28, 200 / Math.max(n, d)), kx = 40 + d * c + 16, ky = 20, qy = ky + d * c + 16;
    const top = Math.max(1e-9, ...[Q, K, S].flat(2).map(Math.abs));
    const number = (v) => (c >= 24 ? fmt(v, 2) : '');
    const ink = (v) => divergingColor(v, top);
    picture.frame(e ? `S(${token(i)}, ${token(j)}) = q_${token(i)} · k_${token(j)} = ${fmt(e.value)}` : `${n}×${n} scores to make`, (p) => {
      p.cells('Q', Q, { x: 40, y: qy, size: c, fill: ink, label: number, cls: (r) => (e && r === i ? 'row' : '') });
      p.cells('KT', Q[0].map((_, k) => K.map((row) => row[k])), { x: kx, y: ky, size: c, fill: ink, label: number, cls: (_, col) => (e && col === j ? 'col' : '') });
      p.text('Q-name', 'Q', { class: 'label', x: 40 + (d * c) / 2, y: qy - 4, 'text-anchor': 'middle' });
      p.text('K-name', 'Kᵀ', { class: 'label', x: kx - 8, y: ky + (d * c) / 2, 'text-anchor': 'end' });
      p.cells('S', S, { x: kx, y: qy, size: c, fill: (v, r, col) => (r * n + col < at ? ink(v) : 'none'), label: (v, r, col) => (r * n + col < at ? number(v) : ''),
        cls: (r, col) => (r * n + col === at - 1 ? 'current' : r * n + col < at ? '' : 'pending') });
      if (!e) return;
      // The products q[c]·k[c] and their sum: the bars add up to the last one, the cell's score.
      const bx = kx + n * c + 50, base = qy + 80, scale = 70 / Math.max(1e-9, ...e.products.map(Math.abs), Math.abs(e.value));
      const step = Math.min(30, (640 - bx - 60) / (d + 1));
      p.put('zero', 'line', { class: 'axis', x1: bx - 4, x2: bx + (d + 1) * step + 4, y1: base, y2: base }, { layer: 'back' });
      p.bars('product', e.products, { x: bx, base, step, width: step * 0.7, scale, cls: (k) => (e.products[k] < 0 ? 'neg' : ''),
        title: (k) => `q[${k}]·k[${k}] = ${fmt(e.q[k])} × ${fmt(e.k[k])} = ${fmt(e.products[k])}` });
      p.bars('sum', [e.value], { x: bx + d * step + 8, base, step, width: step * 0.7, scale, cls: () => 'new', title: () => `the sum: ${fmt(e.value)}` });
      p.text('products-name', `q_${token(i)}[c]·k_${token(j)}[c]`, { class: 'note', x: bx, y: base - 84 });
      p.text('sum-name', 'Σ', { class: 'label', x: bx + d * step + 8 + step * 0.35, y: base + 18, 'text-anchor': 'middle' });
      p.text('sum-value', `S(${token(i)}, ${token(j)}) = ${fmt(e.value)}`, { class: 'label', x: bx, y: base + 44 }, { value: e.value });
    });
  };
  const steps = stepper({ name: 'qk', count: () => (last ? last.S.length ** 2 : 0), onstep: (at) => last && draw(at) });

  const X = new MatrixEditor({ name: 'X', label: 'X · embeddings', values: example.X, rowLabels: token, onchange: update });
  const Wq = new MatrixEditor({ name: 'W_q', values: example.W_q, onchange: update });
  const Wk = new MatrixEditor({ name: 'W_k', values: example.W_k, onchange: update });
  const Wv = new MatrixEditor({ name: 'W_v', values: example.W_v, onchange: update });
  const Qv = new MatrixView({ name: 'Q', label: 'Q = X·W_q', rowLabels: token, caption: 'what each token looks for' });
  const Kv = new MatrixView({ name: 'K', label: 'K = X·W_k', rowLabels: token, caption: 'what each token is found by' });
  const Vv = new MatrixView({ name: 'V', label: 'V = X·W_v', rowLabels: token, caption: 'what each token hands over' });
  const heat = new Heatmap({ name: 'S', label: 'Scores S = Q·Kᵀ', rowTitle: 'query', colTitle: 'key', onfocus: focus });

  const randomize = (m) => m.values.map((row) => row.map(() => String(Math.round(Math.random() * 4 - 2))));
  const presets = {
    'The example': () => {
      for (const [editor, key] of [[X, 'X'], [Wq, 'W_q'], [Wk, 'W_k'], [Wv, 'W_v']]) editor.set(example[key]);
    },
    'W_k = W_q (symmetric)': () => Wk.set(Wq.values.map((r) => [...r])),
    'Random integers': () => {
      for (const editor of [X, Wq, Wk, Wv]) editor.set(randomize(editor));
    },
  };
  const presetBar = el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Presets' },
    el('span', { class: 'toolbar-label' }, 'Presets'),
    Object.entries(presets).map(([name, apply]) =>
      el('button', { type: 'button', class: 'chip', onclick: () => { apply(); update(); } }, name)));

  widget.append(
    presetBar,
    el('div', { class: 'stage' }, el('h4', {}, 'Token embeddings'),
      el('div', { class: 'matrix-row' }, X.node,
        el('p', { class: 'aside' }, 'One row per token, d_model numbers each. Add a row to add a token; ',
          'add a column to widen the embedding (then each W needs a row more).'))),
    el('div', { class: 'stage' }, el('h4', {}, 'Learned weights'),
      el('div', { class: 'matrix-row' }, Wq.node, Wk.node, Wv.node)),
    widget.banner.node,
    el('div', { class: 'stage outputs' }, el('h4', {}, 'Projections'),
      el('div', { class: 'matrix-row' }, Qv.node, Kv.node, Vv.node)),
    el('div', { class: 'stage' }, el('h4', {}, 'Scores S = Q·Kᵀ (row: query, column: key)'),
      el('div', { class: 'heat-row' }, heat.node)),
    el('div', { class: 'stage' }, el('h4', {}, 'Watch the scores being made'), steps.node, picture.node),
  );
  update();
});
