// lessons/backward/page.js — lesson 13's widget: gradients and the checker.
//
// Edit Q (K, V and dO under "more inputs"); the heatmaps show dQ, dK and dV
// from the module's backward pass. Click any gradient cell: the checker
// perturbs that input by ±h and compares the slope of the loss with the
// gradient, at nine step sizes, in float32 and in float64.
import createLessonModule from './lesson.mjs';
import { el, MatrixEditor, Heatmap, Stats, LinePlot, toggle, mountWidget } from '../../web/js/widgets.js';

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
  const inputs = () => [editors.Q.values, editors.K.values, editors.V.values, editors.dO.values];
  const update = () => {
    const r = widget.call('grads', ...inputs(), causal.checked);
    if (!r) return;
    for (const name of ['dQ', 'dK', 'dV']) maps[name].show(r[name], rows(r[name].length), r[name][0].map((_, c) => String(c)), { digits: 3 });
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
    el('div', { class: 'split' }, stats.node, el('div', {}, p32.node, p64.node)));
  update();
});
