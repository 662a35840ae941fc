// lessons/positions/page.js — lesson 13's widgets.
//
// "positions": twelve tokens with identical content, so every pattern in their
// scores comes from position. Choose the encoding (none, sinusoidal, RoPE,
// ALiBi); see the scores, the weights, and how the weight of a key falls with
// its distance. "pe-table": the sinusoidal table itself.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, Heatmap, LinePlot, slider, mountWidget, chips } from '../../web/js/widgets.js';

const KINDS = [['none', 'none'], ['sinusoidal', 'sinusoidal'], ['rope', 'RoPE'], ['alibi', 'ALiBi']];

mountWidget('positions', createLessonModule, (widget) => {
  let how = 'rope';
  const S = new Heatmap({ name: 'S', label: 'Scores S (position only)', rowTitle: 'query', colTitle: 'key' });
  const P = new Heatmap({ name: 'P', label: 'Weights P = softmax(S)', rowTitle: 'query', colTitle: 'key' });
  const plot = new LinePlot({ name: 'profile', label: 'weight of a key t positions back, relative to the token itself', xLabel: 'distance t', yLabel: 'e^(s_t − s_0)' });
  const names = Array.from({ length: 12 }, (_, i) => String(i));
  const update = () => {
    slope.node.hidden = how !== 'alibi';
    const r = widget.call('scores', how, 12, slope.value);
    const p = r && widget.call('profile', how, slope.value, 48);
    if (!p) return;
    S.show(r.S, names, names, { digits: 1 });
    P.show(r.P, names, names, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.S, rows: names, cols: names }) });
    plot.show(p.distance.map((x, k) => ({ x, y: Math.exp(p.score[k] - p.score[0]) })));
  };
  const choice = chips({ name: 'encoding', label: 'encoding', value: how, options: KINDS, onpick: (k) => { how = k; update(); } });
  const slope = slider({ name: 'slope', label: 'ALiBi slope m', min: 0, max: 2, step: 0.0625, value: 0.5, format: (v) => fmt(v, 4), oninput: update });
  widget.append(
    choice.node, el('div', { class: 'controls' }, slope.node), widget.banner.node,
    S.node, P.node, plot.node);
  update();
});

mountWidget('pe-table', createLessonModule, (widget) => {
  const heat = new Heatmap({ name: 'PE', label: 'PE(p, c)', rowTitle: 'position', colTitle: 'column' });
  const update = () => {
    const r = widget.call('table', 16, d.value);
    if (!r) return;
    heat.show(r.value, Array.from({ length: 16 }, (_, i) => String(i)), r.value[0].map((_, c) => (c % 2 ? `cos${c >> 1}` : `sin${c >> 1}`)), { maxAbs: 1, digits: 2 });
  };
  const d = slider({ name: 'd', label: 'd', min: 2, max: 24, step: 2, value: 16, format: String, oninput: update });
  widget.append(
    el('div', { class: 'controls' }, d.node), widget.banner.node, heat.node);
  update();
});
