// lessons/sliding_window/page.js — lesson 12's widgets.
//
// "band": the attention weights of 16 seeded tokens under a window of w keys,
// causal or not, with the pairs it keeps and the receptive field of L layers.
// "window-tiles": the same band over a long sequence, cut into tiles: which the
// tiled kernel skips, masks or computes whole; then the wasm SIMD kernel run
// with and without the window.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, Heatmap, Stats, slider, toggle, mountWidget } from '../../web/js/widgets.js';

const STATE = ['skipped', 'masked', 'whole'];

mountWidget('band', createLessonModule, (widget) => {
  const heat = new Heatmap({ name: 'P', label: 'Attention weights under the window', rowTitle: 'query', colTitle: 'key' });
  const stats = new Stats({ name: 'band' });
  const update = () => {
    const r = widget.call('band', 16, w.value, causal.checked);
    const f = r && widget.call('receptive', layers.value, w.value);
    if (!f) return;
    const names = Array.from({ length: 16 }, (_, i) => String(i));
    heat.show(r.P, names, names, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.S, rows: names, cols: names }) });
    stats.show([
      { name: 'pairs', label: 'pairs scored', value: r.pairs, note: `of ${r.full} without a window (${fmt((100 * r.pairs) / r.full, 3)} %)` },
      { name: 'field', label: `positions reachable through ${layers.value} layers`, value: f.value, note: 'L·(w − 1) + 1' },
    ]);
  };
  const w = slider({ name: 'w', label: 'window w', min: 1, max: 16, step: 1, value: 4, format: String, oninput: update });
  const layers = slider({ name: 'layers', label: 'layers L', min: 1, max: 8, step: 1, value: 2, format: String, oninput: update });
  const causal = toggle({ name: 'causal', label: 'causal', checked: true, onchange: update });
  widget.append(
    el('div', { class: 'controls' }, w.node, causal.node, layers.node), widget.banner.node,
    heat.node, stats.node);
  update();
});

mountWidget('window-tiles', createLessonModule, (widget) => {
  const grid = el('div', { class: 'tile-grid window-grid', role: 'img' });
  const stats = new Stats({ name: 'tiles' });
  const run = new Stats({ name: 'kernel' });
  const n = 4096, B = 64;
  const update = () => {
    const r = widget.call('tiles', n, w.value, causal.checked, B);
    if (!r) return;
    grid.style.setProperty('--cols', r.grid.length);
    grid.setAttribute('aria-label', `${r.computed} of ${r.total} tiles computed`);
    grid.replaceChildren(...r.grid.flatMap((row, i) => row.map((s, j) => el('span', { class: `tile ${STATE[s]}`, 'data-row': i, 'data-col': j, 'data-state': STATE[s] }))));
    stats.show([
      { name: 'computed', label: 'tiles computed', value: r.computed, note: `of ${r.total} (${fmt((100 * r.computed) / r.total, 3)} %)` },
      { name: 'masked', label: 'of them masked at the edge', value: r.grid.flat().filter((s) => s === 1).length },
    ]);
  };
  const time = () => {
    const r = widget.call('kernel', n, w.value, causal.checked);
    if (!r) return;
    run.show([
      { name: 'ms_window', label: 'v4_window', value: `${fmt(r.ms_window, 3)} ms`, note: `${r.tiles} tiles` },
      { name: 'ms_full', label: causal.checked ? 'v4_simd, causal, no window' : 'v4_simd, no window', value: `${fmt(r.ms_full, 3)} ms`, note: `${r.full_tiles} tiles` },
      { name: 'speedup', label: 'time saved', value: `${fmt(r.ms_full / r.ms_window, 3)}×` },
    ]);
  };
  const w = slider({ name: 'w', label: 'window w', min: 64, max: 4096, step: 64, value: 512, format: String, oninput: update });
  const causal = toggle({ name: 'causal', label: 'causal', checked: true, onchange: update });
  widget.append(
    el('div', { class: 'controls' }, w.node, causal.node), widget.banner.node,
    el('div', { class: 'split' }, grid, el('div', {}, stats.node,
      el('div', { class: 'toolbar' }, el('button', { type: 'button', class: 'chip', 'data-action': 'time', onclick: time }, 'Run both kernels in this page')), run.node)));
  update();
});
