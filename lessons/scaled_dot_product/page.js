// lessons/scaled_dot_product/page.js — lesson 03's widget: attention over a sentence.
//
// Self-attention over "the cat sat on the mat", or cross-attention from
// "le chat assis". The heatmap shows the weights P; click a query's row to see
// its output o_i = Σ_j P(i, j)·v_j build up one key at a time (the partial
// sums come from the module). A sharpness slider scales W_q.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, MatrixEditor, MatrixView, Heatmap, BarChart, slider, mountWidget, chips } from '../../web/js/widgets.js';

mountWidget('attention', createLessonModule, (widget) => {
  const ex = widget.need('example');
  const features = ex.features;
  let mode = 'self', selected = 2, result = null;
  const heat = new Heatmap({ name: 'P', label: 'Attention weights P', rowTitle: 'query', colTitle: 'key',
    onselect: (i) => { selected = i; showBuildUp(); } });
  const out = new MatrixView({ name: 'O', label: 'O = P·V', caption: 'one output row per query' });
  const running = new BarChart({ name: 'running', label: 'o_i so far, per feature' });
  const buildTable = el('table', { class: 'build-up' });
  const buildTitle = el('p', { class: 'build-title' });
  const step = slider({ name: 'keys', label: 'keys added', min: 0, max: ex.tokens.length, step: 1,
    value: ex.tokens.length, format: String, oninput: () => showBuildUp() });

  const X = new MatrixEditor({ name: 'X', label: 'X · embeddings', values: ex.X, rowLabels: (i) => ex.tokens[i] ?? `t${i + 1}`, onchange: () => update() });
  const sharp = slider({ name: 'sharpness', label: 'W_q sharpness', min: 0, max: 3, step: 0.05, value: 1,
    format: (v) => `×${fmt(v, 3)}`, oninput: () => update() });
  const queryTokens = () => (mode === 'self' ? ex.tokens : ex.cross_tokens);
  const scaled = (W) => W.map((r) => r.map((v) => v * sharp.value));

  function update() {
    result = mode === 'self'
      ? widget.call('self', X.values, scaled(ex.W_q), ex.W_k, ex.W_v)
      : widget.call('cross', ex.X_cross, X.values, scaled(ex.W_q_cross), ex.W_k, ex.W_v);
    if (!result) return;
    const keys = result.P[0].map((_, j) => ex.tokens[j] ?? `t${j + 1}`);
    heat.show(result.P, queryTokens(), keys, { maxAbs: 1, digits: 2, explain: explainWeight({ S: result.S, rows: queryTokens(), cols: keys }) });
    selected = Math.min(selected, result.P.length - 1);
    out.rowLabels = (i) => queryTokens()[i];
    out.show(result.O, selected);
    step.node.querySelector('input').max = keys.length;
    if (step.value > keys.length) step.set(keys.length);
    showBuildUp();
  }

  function showBuildUp() {
    if (!result?.ok) return;
    const keys = result.P[0].map((_, j) => ex.tokens[j] ?? `t${j + 1}`);
    const q = queryTokens()[selected];
    const r = widget.call('build_up', result.P, result.V, selected);
    if (!r) return;
    const upto = step.value;
    heat.mark(selected, upto - 1);
    out.highlight(selected);
    buildTitle.replaceChildren('Query ', el('strong', {}, `“${q}”`), `: o_${q} = Σ_j P(${q}, j) · v_j, after ${upto} of ${keys.length} keys`);
    const vec = (v) => `[${v.map((x) => fmt(x, 2)).join(', ')}]`;
    buildTable.replaceChildren(
      el('thead', {}, el('tr', {}, el('th', {}, 'key j'), el('th', {}, 'weight P(i, j)'), el('th', {}, 'value v_j'), el('th', {}, 'running o_i'))),
      el('tbody', {}, keys.map((k, j) => el('tr', { class: j < upto ? 'added' : 'pending', 'data-key': j },
        el('td', {}, k), el('td', { 'data-value': String(result.P[selected][j]) }, fmt(result.P[selected][j], 3)),
        el('td', {}, vec(result.V[j])), el('td', { 'data-running': j, 'data-values': r.partials[j].join(',') }, j < upto ? vec(r.partials[j]) : '')))));
    const now = upto > 0 ? r.partials[upto - 1] : r.partials[0].map(() => 0);
    running.show(now, { max: 1, labels: features });
    running.node.dataset.values = now.join(',');
  }

  const modes = chips({ name: 'mode', label: 'Mode', value: mode,
    options: [['self', 'Self-attention: the cat sat on the mat'], ['cross', 'Cross-attention: le chat assis → the sentence']],
    onpick: (m) => { mode = m; selected = m === 'self' ? 2 : 1; update(); } });

  widget.append(
    modes.node,
    el('div', { class: 'controls' }, sharp.node),
    el('details', { class: 'stage' }, el('summary', {}, `Edit the embeddings (${features.join(', ')})`),
      el('div', { class: 'matrix-row' }, X.node)),
    widget.banner.node,
    el('div', { class: 'stage heat-row' }, heat.node, out.node),
    el('div', { class: 'stage' }, buildTitle, el('div', { class: 'controls' }, step.node),
      el('div', { class: 'split' }, buildTable, running.node)));
  update();
});
