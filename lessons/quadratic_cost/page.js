// lessons/quadratic_cost/page.js — lesson 06's widgets.
//
// measure: time the naive kernel (compiled to wasm) for n = 64 … the chosen
//          largest n at d = 64, plot the medians with the least-squares c·n²
//          fit, and the memory the score matrix takes.
// ask:     type any n; the model says what it costs, and the naive kernel
//          refuses sizes the page cannot hold, saying how much they would need.
import createLessonModule from './lesson.mjs';
import { el, fmt, bytes, LinePlot, Stats, slider, toggle, mountWidget } from '../../web/js/widgets.js';

const D = 64;
const nextFrame = () => new Promise((r) => setTimeout(r, 0));

mountWidget('measure', createLessonModule, (widget) => {
  const time = new LinePlot({ name: 'time', label: 'median time of the naive kernel (ms)', xLabel: 'n', yLabel: 'ms' });
  const memory = new LinePlot({ name: 'memory', label: 'score matrix held (MiB)', xLabel: 'n', yLabel: 'MiB' });
  const stats = new Stats({ name: 'measure' });
  const status = el('p', { class: 'run-status', 'aria-live': 'polite' }, 'Press Measure: the kernel runs in this tab.');
  const largest = slider({ name: 'largest', label: 'largest n', min: 7, max: 12, step: 1, value: 10, format: (v) => String(2 ** v) });
  const causal = toggle({ name: 'causal', label: 'causal', checked: false });
  const run = el('button', { type: 'button', class: 'button-primary', 'data-action': 'measure', onclick: () => measure() }, 'Measure');

  async function measure() {
    run.disabled = true;
    widget.section.dataset.state = 'running';
    const points = [], mem = [];
    try {
      for (let n = 64; n <= 2 ** largest.value; n *= 2) {
        status.textContent = `timing n = ${n}…`;
        await nextFrame();
        const r = widget.need('benchmark', n, D, causal.checked, n <= 256 ? 7 : 3);
        points.push({ x: n, y: r.ms });
        mem.push({ x: n, y: r.score_bytes / 2 ** 20 });
        time.show(points);
      }
      const f = widget.need('fit', points.map((p) => p.x), points.map((p) => p.y));
      time.show(points, { curve: (n) => f.c * n * n, curveLabel: `fit c·n², c = ${fmt(f.c * 1e6, 3)} ns per n²` });
      memory.show(mem, { curve: (n) => (4 * n * n) / 2 ** 20, curveLabel: 'exactly 4·n² bytes' });
      const last = points[points.length - 1], model = widget.need('model', last.x, D, causal.checked).cost;
      stats.show([
        { name: 'c', label: 'fitted c', value: f.c, note: 'ms per n²' },
        { name: 'gflops', label: `GFLOP/s at n = ${last.x}`, value: model.flops / (last.y * 1e6), note: `${fmt(model.flops / 1e9, 3)} GFLOP in ${fmt(last.y, 3)} ms` },
        { name: 'ratio', label: 'time(n) / time(n/2)', value: points.length > 1 ? last.y / points[points.length - 2].y : NaN, note: 'about 4 for O(n²)' },
      ]);
      status.textContent = `done: ${points.length} sizes, medians of several runs each.`;
      widget.section.dataset.state = 'done';
      widget.clear();
    } catch (e) {
      widget.error(e.message);
      status.textContent = 'stopped.';
      widget.section.dataset.state = 'error';
    } finally {
      run.disabled = false;
    }
  }

  widget.append(
    el('div', { class: 'controls' }, largest.node, causal.node, run),
    status, widget.banner.node,
    el('div', { class: 'split' }, el('div', {}, time.node, memory.node), stats.node));
});

mountWidget('ask', createLessonModule, (widget) => {
  const stats = new Stats({ name: 'ask' });
  const limit = widget.need('limit');
  const input = el('input', { class: 'number-input', type: 'text', inputmode: 'numeric', value: '65536', 'aria-label': 'sequence length n', 'data-input': 'n' });
  const ask = () => {
    const r = widget.call('model', input.value, D, false);
    if (!r) return stats.show([]);
    const m = r.cost;
    stats.show([
      { name: 'flops', label: 'FLOPs', value: m.flops, note: `${fmt(m.flops / 1e9, 3)} GFLOP` },
      { name: 'score_bytes', label: 'score matrix', value: m.score_bytes, note: bytes(m.score_bytes) },
      { name: 'io_bytes', label: 'Q, K, V and O', value: m.io_bytes, note: bytes(m.io_bytes) },
    ]);
    if (r.fits) return;
    // Ask the kernel itself: it refuses before it allocates anything.
    const b = widget.lesson.benchmark(input.value, D, false, 1);
    widget.error(b.ok ? 'unexpectedly ran' : b.error);
  };
  widget.append(
    el('p', { class: 'aside' }, `The page lets the naive kernel hold at most ${limit.text} of scores.`),
    el('div', { class: 'controls' }, el('label', { class: 'slider' }, el('span', { class: 'slider-label' }, 'n'), input),
      el('button', { type: 'button', class: 'button-primary', 'data-action': 'ask', onclick: ask }, 'Ask the naive kernel')),
    widget.banner.node, stats.node);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') ask(); });
  ask();
});
