// lessons/06_quadratic_cost/page.js — lesson 06's widgets.
//
// measure: time the naive kernel (compiled to wasm) for n = 64 … the chosen
//          largest n at d = 64, plot the medians with the least-squares c·n²
//          fit, and the memory the score matrix takes.
// ask:     type any n; the model says what it costs, and the naive kernel
//          refuses sizes the page cannot hold, saying how much they would need.
import createLessonModule from './lesson.mjs';
import { el, fmt, ErrorBanner, LinePlot, Stats, slider, toggle, mountWidget } from '../../assets/js/widgets.js';

const loaded = createLessonModule();
const D = 64;
const bytes = (b) => (b >= 2 ** 30 ? `${fmt(b / 2 ** 30, 3)} GiB` : b >= 2 ** 20 ? `${fmt(b / 2 ** 20, 3)} MiB` : `${fmt(b / 2 ** 10, 3)} KiB`);
const nextFrame = () => new Promise((r) => setTimeout(r, 0));

mountWidget('measure', () => loaded, (lesson, section) => {
  const banner = new ErrorBanner();
  const time = new LinePlot({ name: 'time', label: 'median time of the naive kernel (ms)', xLabel: 'n', yLabel: 'ms' });
  const memory = new LinePlot({ name: 'memory', label: 'score matrix held (MiB)', xLabel: 'n', yLabel: 'MiB' });
  const stats = new Stats({ name: 'measure' });
  const status = el('p', { class: 'run-status', 'aria-live': 'polite' }, 'Press Measure: the kernel runs in this tab.');
  const largest = slider({ name: 'largest', label: 'largest n', min: 7, max: 12, step: 1, value: 10, format: (v) => String(2 ** v) });
  const causal = toggle({ name: 'causal', label: 'causal', checked: false });
  const run = el('button', { type: 'button', class: 'button-primary', 'data-action': 'measure', onclick: () => measure() }, 'Measure');

  async function measure() {
    run.disabled = true;
    section.dataset.state = 'running';
    const points = [], mem = [];
    try {
      for (let n = 64; n <= 2 ** largest.value; n *= 2) {
        status.textContent = `timing n = ${n}…`;
        await nextFrame();
        const r = lesson.benchmark(n, D, causal.checked, n <= 256 ? 7 : 3);
        if (!r.ok) throw new Error(r.error);
        points.push({ x: n, y: r.ms });
        mem.push({ x: n, y: r.score_bytes / 2 ** 20 });
        time.show(points);
      }
      const f = lesson.fit(points.map((p) => p.x), points.map((p) => p.y));
      if (!f.ok) throw new Error(f.error);
      time.show(points, { curve: (n) => f.c * n * n, curveLabel: `fit c·n², c = ${fmt(f.c * 1e6, 3)} ns per n²` });
      memory.show(mem, { curve: (n) => (4 * n * n) / 2 ** 20, curveLabel: 'exactly 4·n² bytes' });
      const last = points[points.length - 1], model = lesson.model(last.x, D, causal.checked);
      stats.show([
        { name: 'c', label: 'fitted c', value: f.c, note: 'ms per n²' },
        { name: 'gflops', label: `GFLOP/s at n = ${last.x}`, value: model.flops / (last.y * 1e6), note: `${fmt(model.flops / 1e9, 3)} GFLOP in ${fmt(last.y, 3)} ms` },
        { name: 'ratio', label: 'time(n) / time(n/2)', value: points.length > 1 ? last.y / points[points.length - 2].y : NaN, note: 'about 4 for O(n²)' },
      ]);
      status.textContent = `done: ${points.length} sizes, medians of several runs each.`;
      section.dataset.state = 'done';
      banner.clear();
    } catch (e) {
      banner.show(e.message);
      status.textContent = 'stopped.';
      section.dataset.state = 'error';
    } finally {
      run.disabled = false;
    }
  }

  section.append(
    el('header', { class: 'widget-head' }, el('h3', {}, 'Time it, live'),
      el('p', {}, `The naive kernel at d = ${D}, compiled to WebAssembly, timed in this tab for n = 64, 128, … up to the largest n.`)),
    el('div', { class: 'controls' }, largest.node, causal.node, run),
    status, banner.node,
    el('div', { class: 'split' }, el('div', {}, time.node, memory.node), stats.node));
});

mountWidget('ask', () => loaded, (lesson, section) => {
  const banner = new ErrorBanner();
  const stats = new Stats({ name: 'ask' });
  const limit = lesson.limit();
  const input = el('input', { class: 'number-input', type: 'text', inputmode: 'numeric', value: '65536', 'aria-label': 'sequence length n', 'data-input': 'n' });
  const ask = () => {
    const m = lesson.model(input.value, D, false);
    if (!m.ok) { stats.show([]); return banner.show(m.error); }
    stats.show([
      { name: 'flops', label: 'FLOPs', value: m.flops, note: `${fmt(m.flops / 1e9, 3)} GFLOP` },
      { name: 'score_bytes', label: 'score matrix', value: m.score_bytes, note: bytes(m.score_bytes) },
      { name: 'io_bytes', label: 'Q, K, V and O', value: m.io_bytes, note: bytes(m.io_bytes) },
    ]);
    if (m.fits) return banner.clear();
    // Ask the kernel itself: it refuses before it allocates anything.
    const r = lesson.benchmark(input.value, D, false, 1);
    banner.show(r.ok ? 'unexpectedly ran' : r.error);
  };
  section.append(
    el('header', { class: 'widget-head' }, el('h3', {}, 'How long a sequence?'),
      el('p', {}, `The page lets the naive kernel hold at most ${limit.text} of scores. Type a length and ask.`)),
    el('div', { class: 'controls' }, el('label', { class: 'slider' }, el('span', { class: 'slider-label' }, 'n'), input),
      el('button', { type: 'button', class: 'button-primary', 'data-action': 'ask', onclick: ask }, 'Ask the naive kernel')),
    banner.node, stats.node);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') ask(); });
  ask();
});
