// lessons/grouped_query/page.js — lesson 10's widget: share K/V heads.
//
// Choose how many K/V heads the example's four query heads share (4 is
// multi-head, 1 is multi-query). Every query head's weights are drawn, tagged
// with the K/V head it reads; the stats give the cache per token and how far
// the pooled layer's output is from the multi-head one.
import createLessonModule from './lesson.mjs';
import { el, MatrixEditor, MatrixView, Heatmap, Stats, mountWidget, chips } from '../../web/js/widgets.js';

const NAMES = { 4: '4 (multi-head)', 2: '2 (grouped)', 1: '1 (multi-query)' };

mountWidget('groups', createLessonModule, (widget) => {
  const ex = widget.need('example');
  let g = 2;
  const maps = el('div', { class: 'heat-row heads-row' });
  const label = (i) => ex.tokens[i] ?? `t${i + 1}`;
  const out = new MatrixView({ name: 'O', label: 'O, grouped', rowLabels: label });
  const ref = new MatrixView({ name: 'mha', label: 'O, multi-head (the original layer)', rowLabels: label });
  const stats = new Stats({ name: 'gqa' });
  const X = new MatrixEditor({ name: 'X', label: 'X · embeddings', values: ex.X, rowLabels: label, resizable: false, onchange: () => update() });

  const update = () => {
    const r = widget.call('grouped', X.values, g);
    if (!r) return;
    maps.replaceChildren(...r.P.map((P, h) => {
      const map = new Heatmap({ name: `P${h}`, label: `Query head ${h} weights`, rowTitle: 'q', colTitle: 'k' });
      map.show(P, ex.tokens, ex.tokens, { maxAbs: 1, digits: 2 });
      return el('div', { class: `head-map group-${r.groups[h]}`, 'data-group': r.groups[h] },
        el('h5', {}, `query head ${h}`, el('span', { class: 'shape' }, `reads K/V head ${r.groups[h]}`)), map.node);
    }));
    out.show(r.O);
    ref.show(r.mha);
    stats.show([
      { name: 'kv_heads', label: 'K/V heads', value: g, note: `for ${ex.heads} query heads` },
      { name: 'cache', label: 'cache per token per layer', value: r.cache_floats, note: `floats: 2 · ${g} · 4 (${ex.heads / g}× smaller than multi-head)` },
      { name: 'diff', label: 'max |O − O_multi-head|', value: r.diff },
      { name: 'relative', label: 'relative to the largest output', value: r.relative },
    ]);
  };
  const choice = chips({ name: 'kv', label: 'K/V heads', value: g, options: [4, 2, 1].map((k) => [k, NAMES[k]]),
    onpick: (k) => { g = k; update(); } });
  widget.append(
    choice.node, widget.banner.node, el('div', { class: 'stage' }, maps),
    el('div', { class: 'split' }, stats.node, el('div', { class: 'matrix-row' }, out.node, ref.node)),
    el('details', {}, el('summary', {}, 'Edit the embeddings'), el('div', { class: 'matrix-row' }, X.node)));
  update();
});
