// lessons/backward/page.js — lesson 14's widget: gradients and the checker.
//
// Edit Q (K, V and dO under "more inputs"); the heatmaps show dQ, dK and dV
// from the module's backward pass. Click any gradient cell: the checker
// perturbs that input by ±h and compares the slope of the loss with the
// gradient, at nine step sizes, in float32 and in float64. A step-through
// draws the gradient flowing back through the graph, one matrix at a time:
// dO, then dV = Pᵀ·dO, dP = dO·Vᵀ, dS through the softmax, dQ and dK, each
// the module's own (attn::attention_backward's trace). Pointing at a gradient's cell writes it out
// as the sum of products the backward pass made it from (attn::explain_gradient).
import createLessonModule from './lesson.mjs';
import { el, fmt, divergingColor, MatrixEditor, Heatmap, Scene, Stats, LinePlot, stepper, toggle, mountWidget, explainGradient } from '../../web/js/widgets.js';

mountWidget('gradients', createLessonModule, (widget) => {
  const ex = widget.need('example');
  let pick = { which: 'Q', i: 0, j: 0 };
  const rows = (n) => Array.from({ length: n }, (_, i) => `t${i}`);
  const maps = Object.fromEntries(['dQ', 'dK', 'dV'].map((name) => [name, new Heatmap({
    name, label: `${name} = ∂L/∂${name.slice(1)}`, caption: true, rowTitle: 'token', colTitle: 'column',
    onselect: (i, j) => { pick = { which: name[1], i, j }; check(); },
  })]));
  const stats = new Stats({ name: 'check' });
  const p32 = new LinePlot({ name: 'digits32', label: 'float32: digits that agree', xLabel: 'h = 10^-x', yLabel: 'digits' });
  const p64 = new LinePlot({ name: 'digits64', label: 'float64: digits that agree', xLabel: 'h = 10^-x', yLabel: 'digits' });
  const editors = {};
  // The forward graph (grey) and the gradient coming back along it (lit), one node per step.
  const picture = new Scene({ name: 'flow', label: 'The gradient flowing back through attention', width: 640, height: 270 });
  const nodes = [  // [name, gradient, x, y, reached from, formula]
    ['O', 'dO', 520, 40, null, 'dO: given by the loss'], ['V', 'dV', 360, 160, 'O', 'dV = Pᵀ·dO'],
    ['P', 'dP', 360, 40, 'O', 'dP = dO·Vᵀ'], ['S', 'dS', 200, 40, 'P', 'dS = P ∘ (dP − rowsum(P ∘ dP))'],
    ['Q', 'dQ', 40, 40, 'S', 'dQ = dS·K / √d_k'], ['K', 'dK', 40, 160, 'S', 'dK = dSᵀ·Q / √d_k'],
  ];
  let last = null;
  const drawFlow = (at) => {
    const where = Object.fromEntries(nodes.map(([n, , x, y]) => [n, [x, y]]));
    const all = nodes.map(([, g]) => last[g]), top = Math.max(1e-12, ...all.flat(2).map(Math.abs));
    picture.frame(`step ${at} of ${nodes.length - 1}: ${nodes[at][5]}`, (p) => {
      for (const [a, b] of [['Q', 'S'], ['K', 'S'], ['S', 'P'], ['P', 'O'], ['V', 'O']]) {
        const [[x1, y1], [x2, y2]] = [where[a], where[b]];
        p.put(`fwd-${a}${b}`, 'line', { class: 'guide', x1: x1 + 60, y1: y1 + 12, x2: x2 - 6, y2: y2 + 12 }, { layer: 'back' });
      }
      nodes.forEach(([name, grad, x, y, from, formula], k) => {
        const reached = k <= at, M = last[grad], c = Math.min(14, 56 / Math.max(M.length, M[0].length));
        p.text(`name-${name}`, reached ? grad : name, { class: reached ? 'label' : 'label pending', x, y: y - 8 });
        p.cells(grad, reached ? M : [], { x, y, size: c, fill: (v) => divergingColor(v, top), cls: () => (k === at ? 'current' : ''),
          title: (i, j) => `${grad}(${i}, ${j}) = ${fmt(M[i][j], 4)}` });
        if (from && reached) {
          const [fx, fy] = where[from];
          p.put(`back-${name}`, 'path', { class: 'flow', d: `M${fx - 6},${fy + 24} L${x + 66},${y + 24}`, 'stroke-width': k === at ? 4 : 2, 'data-back': `${from}-${name}` }, { layer: 'back' });
        }
        if (k === at) p.text('formula', formula, { class: 'label', x: 40, y: 250 });
      });
    });
  };
  const flow = stepper({ name: 'flow', count: () => nodes.length - 1, onstep: (at) => last && drawFlow(at) });
  const inputs = () => [editors.Q.values, editors.K.values, editors.V.values, editors.dO.values];
  const update = () => {
    const r = widget.call('grads', ...inputs(), causal.checked);
    if (!r) return;
    const [Q, K, V, dO] = inputs();
    for (const name of ['dQ', 'dK', 'dV']) {
      const labels = [rows(r[name].length), r[name][0].map((_, c) => String(c))];
      maps[name].show(r[name], ...labels, { digits: 3,
        explain: explainGradient({ Q, K, V, dO, causal: causal.checked, which: name[1], rows: labels[0], cols: labels[1] }) });
    }
    last = { ...r, dO: editors.dO.values.map((row) => row.map(Number)) };
    flow.go(flow.at);
    check();
  };
  const check = () => {
    const r = widget.call('check', ...inputs(), pick.which, pick.i, pick.j, causal.checked);
    if (!r) return;
    for (const name of ['dQ', 'dK', 'dV']) maps[name].mark(name[1] === pick.which ? pick.i : -1, pick.j);
    const digits = (e) => Math.max(0, Math.min(16, -Math.log10(e / Math.max(Math.abs(r.analytic), 1e-300) + 1e-17)));
    const best = (es) => Math.max(...es.map(digits));
    p32.show(r.h.map((h, k) => ({ x: k + 1, y: digits(r.e32[k]) })));
    p64.show(r.h.map((h, k) => ({ x: k + 1, y: digits(r.e64[k]) })));
    stats.show([
      { name: 'element', label: 'checking', value: `d${pick.which}(${pick.i}, ${pick.j})` },
      { name: 'analytic', label: 'backward pass', value: r.analytic },
      { name: 'best32', label: 'best agreement, float32', value: best(r.e32), note: 'digits' },
      { name: 'best64', label: 'best agreement, float64', value: best(r.e64), note: 'digits' },
    ]);
  };
  for (const name of ['Q', 'K', 'V', 'dO'])
    editors[name] = new MatrixEditor({ name, label: name, values: ex[name], rowLabels: (i) => `t${i}`, resizable: false, onchange: update });
  const causal = toggle({ name: 'causal', label: 'causal', onchange: update });
  widget.append(
    el('div', { class: 'matrix-row' }, editors.Q.node), el('div', { class: 'controls' }, causal.node),
    el('details', {}, el('summary', {}, 'More inputs: K, V and dO'), el('div', { class: 'matrix-row' }, editors.K.node, editors.V.node, editors.dO.node)),
    widget.banner.node,
    el('div', { class: 'heat-row' }, maps.dQ.node, maps.dK.node, maps.dV.node),
    el('div', { class: 'stage' }, el('h4', {}, 'The gradient flowing back'), flow.node, picture.node),
    el('div', { class: 'split' }, stats.node, el('div', {}, p32.node, p64.node)));
  update();
});
