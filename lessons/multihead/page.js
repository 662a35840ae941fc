// lessons/multihead/page.js — lesson 05's widgets.
//
// heads: choose h (1, 2, 3 or 4); every head's attention map side by side and
//        the output, all from the module. h = 3 does not divide d_model = 4,
//        and the page says so.
// cost:  parameters, FLOPs and attention weights held, for n, d_model and h.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, MatrixView, Heatmap, Stats, slider, mountWidget, chips } from '../../web/js/widgets.js';

const big = (x) => (x >= 1e9 ? `${fmt(x / 1e9)} G` : x >= 1e6 ? `${fmt(x / 1e6)} M` : x >= 1e3 ? `${fmt(x / 1e3)} k` : fmt(x));

mountWidget('heads', createLessonModule, (widget) => {
  const ex = widget.need('example');
  let heads = ex.heads;
  const maps = el('div', { class: 'heat-row heads-row' });
  const out = new MatrixView({ name: 'O', label: 'O = Concat(heads)·W_o', rowLabels: (i) => ex.tokens[i] });

  const update = () => {
    const r = widget.call('run', ex.X, ex.w, heads);
    if (!r) return;
    maps.replaceChildren(...r.P.map((P, h) => {
      const map = new Heatmap({ name: `P${h}`, label: `Head ${h} weights`, rowTitle: 'q', colTitle: 'k' });
      map.show(P, ex.tokens, ex.tokens, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.S[h], rows: ex.tokens, cols: ex.tokens }) });
      return el('div', { class: 'head-map' }, el('h5', {}, `head ${h}`, el('span', { class: 'shape' }, `d_k = ${4 / heads}`)), map.node);
    }));
    out.show(r.O);
  };
  const choice = chips({ name: 'heads', label: 'heads h', value: heads, options: [1, 2, 3, 4].map((h) => [h, String(h)]),
    onpick: (h) => { heads = h; update(); } });
  widget.append(
    choice.node, widget.banner.node, el('div', { class: 'stage' }, maps), el('div', { class: 'stage matrix-row' }, out.node));
  update();
});

mountWidget('cost', createLessonModule, (widget) => {
  const stats = new Stats({ name: 'cost' });
  const update = () => {
    const x = widget.call('cost', 2 ** n.value, 64 * d.value, 2 ** h.value);
    if (!x) return;
    const r = { ...x.cost, d_k: x.d_k };
    stats.show([
      { name: 'd_k', label: 'd_k = d_v per head', value: r.d_k },
      { name: 'params', label: 'parameters', value: r.params, note: big(r.params) + ' — 4·d_model², whatever h is' },
      { name: 'flops', label: 'FLOPs', value: r.flops, note: big(r.flops) + ' — also independent of h' },
      { name: 'score_floats', label: 'attention weights', value: r.score_floats, note: `${big(r.score_floats)} floats = h·n², ${big(4 * r.score_floats)}B in float32` },
    ]);
  };
  const n = slider({ name: 'n', label: 'tokens n', min: 6, max: 14, step: 1, value: 10, format: (v) => String(2 ** v), oninput: update });
  const d = slider({ name: 'd_model', label: 'd_model', min: 1, max: 16, step: 1, value: 8, format: (v) => String(64 * v), oninput: update });
  const h = slider({ name: 'heads', label: 'heads h', min: 0, max: 6, step: 1, value: 3, format: (v) => String(2 ** v), oninput: update });
  widget.append(
    el('div', { class: 'controls' }, n.node, d.node, h.node), widget.banner.node, stats.node);
  update();
});
