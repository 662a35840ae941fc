// lessons/01_qkv_dot_product/page.js — lesson 01's widget: the Q·Kᵀ playground.
//
// Editors for X, W_q, W_k, W_v; every edit sends them to the lesson's
// WebAssembly module (lesson.hpp: compute) and shows Q, K, V and the score
// heatmap it returns. Hovering or focusing a score writes out its dot product.
// A bad input (mismatched shapes, text in a box) shows the module's message and
// leaves the last good result dimmed: the page keeps working.
import createLessonModule from './lesson.mjs';
import { el, explainScore, MatrixEditor, MatrixView, Heatmap, mountWidget } from '../../web/js/widgets.js';

mountWidget('qkv-playground', createLessonModule, (widget) => {
  const example = widget.need('example');
  const baseTokens = example.tokens;
  const token = (i) => baseTokens[i] ?? `t${i + 1}`;

  const update = () => {
    const result = widget.call('compute', X.values, Wq.values, Wk.values, Wv.values);
    if (!result) return;
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
  );
  update();
});
