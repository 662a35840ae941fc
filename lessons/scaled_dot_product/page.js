// lessons/scaled_dot_product/page.js — lesson 03's widget: attention over a sentence.
//
// Self-attention over "the cat sat on the mat", or cross-attention from
// "le chat assis". The heatmap shows the weights P; click a query's row to see
// its output o_i = Σ_j P(i, j)·v_j build up one key at a time, stepped or
// played: each value row flows into the output with the width of its weight
// (the partial sums come from the module). A sharpness slider scales W_q.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, MatrixEditor, MatrixView, Heatmap, BarChart, Scene, slider, stepper, mountWidget, chips } from '../../web/js/widgets.js';

mountWidget('attention', createLessonModule, (widget) => {
  const ex = widget.need('example');
  const features = ex.features;
  let mode = 'self', selected = 2, result = null, shown = false;
  const heat = new Heatmap({ name: 'P', label: 'Attention weights P', rowTitle: 'query', colTitle: 'key',
    onselect: (i) => { selected = i; showBuildUp(); } });
  const out = new MatrixView({ name: 'O', label: 'O = P·V', caption: 'one output row per query' });
  const running = new BarChart({ name: 'running', label: 'o_i so far, per feature' });
  const buildTable = el('table', { class: 'build-up' });
  const buildTitle = el('p', { class: 'build-title' });
  const step = stepper({ name: 'keys', count: () => result?.P[0].length ?? 0, onstep: () => showBuildUp() });
  const picture = new Scene({ name: 'blend', label: 'P·V: the values blended by the weights', width: 620, height: 290 });

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
    step.go(step.at > keys.length || !shown ? keys.length : step.at);
    shown = true;
  }

  function showBuildUp() {
    if (!result?.ok) return;
    const keys = result.P[0].map((_, j) => ex.tokens[j] ?? `t${j + 1}`);
    const q = queryTokens()[selected];
    const r = widget.call('build_up', result.P, result.V, selected);
    if (!r) return;
    const upto = step.at;
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
    drawBlend(keys, q, upto, r.partials, now);
  }

  // Keys down the left with their weights; each value row, as bright as its weight, flows into o_i.
  function drawBlend(keys, q, upto, partials, now) {
    const n = keys.length, d = features.length, P = result.P[selected], V = result.V;
    const rowH = Math.min(34, 220 / n), y0 = 34, vx = 210, ox = 440, fw = 40;
    const vmax = Math.max(1e-9, ...V.flat().map(Math.abs)), omax = Math.max(1e-9, ...partials.flat().map(Math.abs), ...V.flat().map(Math.abs));
    const obase = y0 + (n * rowH) / 2, oscale = 90 / omax;
    picture.frame(`o_${q} after ${upto} of ${n} keys`, (p) => {
      p.text('w-title', `P(${q}, j)`, { class: 'note', x: 60, y: y0 - 12 });
      p.text('v-title', 'v_j', { class: 'note', x: vx, y: y0 - 12 });
      p.text('o-title', `o_${q} = Σ_j P·v_j`, { class: 'label', x: ox, y: y0 - 12 });
      p.hbars('weight', P, { x: 60, y: y0 + 4, step: rowH, height: rowH - 10, scale: 120, cls: (j) => (j < upto ? 'new' : 'old') ,
        title: (j) => `P(${q}, ${keys[j]}) = ${fmt(P[j], 4)}` });
      keys.forEach((k, j) => {
        const cy = y0 + j * rowH + rowH / 2, on = j < upto;
        p.text(`key-${j}`, k, { class: on ? 'label' : 'label pending', x: 50, y: cy + 4, 'text-anchor': 'end' });
        V[j].forEach((v, c) => p.put(`v-${j}-${c}`, 'rect', { class: `bar${v < 0 ? ' neg' : ''}`, x: vx + c * 16, width: 12,
          y: v >= 0 ? cy - (Math.abs(v) / vmax) * (rowH / 2 - 2) : cy, height: (Math.abs(v) / vmax) * (rowH / 2 - 2),
          opacity: on ? 0.2 + 0.8 * Math.min(1, P[j] / Math.max(...P)) : 0.15 }, { value: v, title: `v_${k}[${features[c]}] = ${fmt(v)}` }));
        p.put(`flow-${j}`, 'path', { class: 'flow', d: `M${vx + d * 16 + 4},${cy} C${(vx + ox) / 2},${cy} ${(vx + ox) / 2},${obase} ${ox - 24},${obase}`,
          'stroke-width': on ? 1 + 10 * P[j] : 0.5, opacity: on ? 0.55 : 0.15 }, { layer: 'back', value: P[j] });
      });
      p.put('o-zero', 'line', { class: 'axis', x1: ox - 6, x2: ox + d * fw, y1: obase, y2: obase }, { layer: 'back' });
      p.bars('out', now, { x: ox, base: obase, step: fw, width: fw - 10, scale: oscale, cls: (c) => (now[c] < 0 ? 'neg' : ''),
        title: (c) => `o_${q}[${features[c]}] = ${fmt(now[c], 4)}` });
      features.forEach((f, c) => p.text(`f-${c}`, f, { class: 'note', x: ox + c * fw + (fw - 10) / 2, y: obase + 100, 'text-anchor': 'end', transform: `rotate(-40 ${ox + c * fw + (fw - 10) / 2} ${obase + 100})` }));
    });
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
    el('div', { class: 'stage' }, buildTitle, step.node, picture.node,
      el('div', { class: 'split' }, buildTable, running.node)));
  update();
});
