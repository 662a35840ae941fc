// lessons/grouped_query/page.js — lesson 11's widget: share K/V heads.
//
// Choose how many K/V heads the example's four query heads share (4 is
// multi-head, 1 is multi-query). A diagram joins each query head to the K/V
// head it reads, the K/V heads merging as they are pooled, with the cache per
// token beside them; every query head's weights are drawn, tagged with its K/V
// head; the stats give how far the pooled layer's output is from multi-head.
import createLessonModule from './lesson.mjs';
import { el, MatrixEditor, MatrixView, Heatmap, Scene, Stats, mountWidget, chips, explainWeight } from '../../web/js/widgets.js';

const NAMES = { 4: '4 (multi-head)', 2: '2 (grouped)', 1: '1 (multi-query)' };

mountWidget('groups', createLessonModule, (widget) => {
  const ex = widget.need('example');
  let g = 2;
  const maps = el('div', { class: 'heat-row heads-row' });
  const label = (i) => ex.tokens[i] ?? `t${i + 1}`;
  const out = new MatrixView({ name: 'O', label: 'O, grouped', rowLabels: label });
  const ref = new MatrixView({ name: 'mha', label: 'O, multi-head (the original layer)', rowLabels: label });
  const stats = new Stats({ name: 'gqa' });
  const picture = new Scene({ name: 'sharing', label: 'Query heads and the K/V heads they share', width: 620, height: 225 });
  // Query heads on top, K/V heads below at the middle of the query heads that read them.
  const draw = (r) => {
    const H = r.groups.length, w = 110, gap = 140, x0 = 30, qy = 30, ky = 130;
    const centre = (k) => {
      const hs = r.groups.map((gr, h) => (gr === k ? h : -1)).filter((h) => h >= 0);
      return x0 + w / 2 + (gap * (hs[0] + hs[hs.length - 1])) / 2;
    };
    picture.frame(`${H} query heads reading ${g} K/V head${g > 1 ? 's' : ''}; the cache holds ${r.cache_floats} floats per token`, (p) => {
      for (let h = 0; h < H; ++h) {
        p.put(`q-${h}`, 'rect', { class: 'band', x: x0 + h * gap, y: qy, width: w, height: 34, rx: 6, 'data-head': h });
        p.text(`q-${h}-label`, `query head ${h}`, { class: 'label', x: x0 + h * gap + w / 2, y: qy + 22, 'text-anchor': 'middle' });
        const kx = centre(r.groups[h]);
        p.put(`edge-${h}`, 'path', { class: 'flow', d: `M${x0 + h * gap + w / 2},${qy + 34} C${x0 + h * gap + w / 2},${qy + 70} ${kx},${ky - 36} ${kx},${ky}`,
          'stroke-width': 3, 'data-from': h, 'data-to': r.groups[h] }, { layer: 'back' });
      }
      for (let k = 0; k < g; ++k) {
        p.put(`kv-${k}`, 'rect', { class: 'band on', x: centre(k) - w / 2, y: ky, width: w, height: 34, rx: 6, 'data-kv-head': k });
        p.text(`kv-${k}-label`, `K/V head ${k}`, { class: 'label on-accent', x: centre(k), y: ky + 22, 'text-anchor': 'middle' });
      }
      p.hbars('cache', [r.cache_floats], { x: x0, y: ky + 50, step: 0, height: 12, scale: 7, cls: () => 'new' });
      p.text('cache-label', `cache per token per layer: ${r.cache_floats} floats (K and V, ${g} head${g > 1 ? 's' : ''} × 4 wide each)`,
        { class: 'note', x: x0, y: ky + 78 }, { value: r.cache_floats });
    });
  };
  const X = new MatrixEditor({ name: 'X', label: 'X · embeddings', values: ex.X, rowLabels: label, resizable: false, onchange: () => update() });

  const update = () => {
    const r = widget.call('grouped', X.values, g);
    if (!r) return;
    maps.replaceChildren(...r.P.map((P, h) => {
      const map = new Heatmap({ name: `P${h}`, label: `Query head ${h} weights`, rowTitle: 'q', colTitle: 'k' });
      map.show(P, ex.tokens, ex.tokens, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.S[h], rows: ex.tokens, cols: ex.tokens }) });
      return el('div', { class: `head-map group-${r.groups[h]}`, 'data-group': r.groups[h] },
        el('h5', {}, `query head ${h}`, el('span', { class: 'shape' }, `reads K/V head ${r.groups[h]}`)), map.node);
    }));
    draw(r);
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
    choice.node, widget.banner.node, picture.node, el('div', { class: 'stage' }, maps),
    el('div', { class: 'split' }, stats.node, el('div', { class: 'matrix-row' }, out.node, ref.node)),
    el('details', {}, el('summary', {}, 'Edit the embeddings'), el('div', { class: 'matrix-row' }, X.node)));
  update();
});
