// lessons/quadratic_cost/page.js — lesson 07's widgets.
//
// measure: time the naive kernel (compiled to wasm) for n = 64 … the chosen
//          largest n at d = 64, plot the medians with the least-squares c·n²
//          fit, and the memory the score matrix takes. The timing runs in a Web
//          Worker (widget.longRun), with a progress bar and Cancel.
// ask:     type any n; the model says what it costs, and the naive kernel
//          refuses sizes the page cannot hold, saying how much they would need.
// roofline: each step's arithmetic intensity (FLOP per byte) against this tab's
//          measured peak and bandwidth and the published A100 and H100 roofs,
//          on log-log axes (Williams et al. 2009).
import createLessonModule from './lesson.mjs';
import { el, svg, fmt, bytes, flops, LinePlot, Stats, slider, toggle, mountWidget, axes, line, log } from '../../web/js/widgets.js';

const D = 64;
const LESSON = new URL('./lesson.mjs', import.meta.url);  // the long runs load it again, in a worker

mountWidget('measure', createLessonModule, (widget) => {
  const time = new LinePlot({ name: 'time', label: 'median time of the naive kernel (ms)', xLabel: 'n', yLabel: 'ms' });
  const memory = new LinePlot({ name: 'memory', label: 'score matrix held (MiB)', xLabel: 'n', yLabel: 'MiB' });
  const stats = new Stats({ name: 'measure' });
  const largest = slider({ name: 'largest', label: 'largest n', min: 7, max: 12, step: 1, value: 10, format: (v) => String(2 ** v) });
  const causal = toggle({ name: 'causal', label: 'causal', checked: false });
  const run = widget.longRun({ label: 'Measure', action: 'measure', module: LESSON, idle: 'Press Measure: the kernel runs in this tab, in a worker beside the page.' },
    async ({ say, work }) => {
      const points = [], mem = [], sizes = [];
      for (let n = 64; n <= 2 ** largest.value; n *= 2) sizes.push(n);
      for (const [k, n] of sizes.entries()) {
        // The work of size n is about n²: the bar moves by how much of Σ n² is done.
        say(`timing n = ${n}…`, sizes.slice(0, k).reduce((a, m) => a + m * m, 0) / sizes.reduce((a, m) => a + m * m, 0));
        const r = await work('benchmark', n, D, causal.checked, n <= 256 ? 7 : 3);
        points.push({ x: n, y: r.ms });
        mem.push({ x: n, y: r.score_bytes / 2 ** 20 });
        time.show(points);
      }
      const f = widget.need('fit', points.map((p) => p.x), points.map((p) => p.y));
      time.show(points, { curve: (n) => f.value * n * n, curveLabel: `fit c·n², c = ${fmt(f.value * 1e6, 3)} ns per n²` });
      memory.show(mem, { curve: (n) => (4 * n * n) / 2 ** 20, curveLabel: 'exactly 4·n² bytes' });
      const last = points[points.length - 1], model = widget.need('model', last.x, D, causal.checked).cost;
      stats.show([
        { name: 'c', label: 'fitted c', value: f.value * 1e6, note: 'ns per n² (the curve above)' },
        { name: 'gflops', label: `GFLOP/s at n = ${last.x}`, value: model.flops / (last.y * 1e6), note: `${flops(model.flops)} in ${fmt(last.y, 3)} ms` },
        { name: 'ratio', label: 'time(n) / time(n/2)', value: points.length > 1 ? last.y / points[points.length - 2].y : NaN, note: 'tends to 4 for O(n²) as n grows; lower at small n' },
      ]);
      say(`done: ${points.length} sizes, medians of several runs each.`, 1);
    });

  widget.append(
    el('div', { class: 'controls' }, largest.node, causal.node), run.node, widget.banner.node,
    el('div', { class: 'split' }, el('div', {}, time.node, memory.node), stats.node));
});

mountWidget('ask', createLessonModule, (widget) => {
  const stats = new Stats({ name: 'ask' });
  const limit = widget.need('limit');
  const input = el('input', { class: 'number-input', type: 'text', inputmode: 'numeric', value: '4096', 'aria-label': 'sequence length n', 'data-input': 'n' });  // fits: try 65536 to see a refusal
  const ask = () => {
    const r = widget.call('model', input.value, D, false);
    if (!r) return;  // the message names n; the last good answer stays
    const m = r.cost;
    stats.show([
      { name: 'flops', label: 'FLOPs', value: m.flops, note: flops(m.flops) },
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

mountWidget('roofline', createLessonModule, (widget) => {
  const W = 560, H = 330, pad = { l: 64, r: 28, t: 30, b: 52 };
  const X = [0.1, 1000], Y = [1, 2e6];  // FLOP/byte, GFLOP/s
  const lx = log(X, [pad.l, W - pad.r]), ly = log(Y, [H - pad.b, pad.t]);
  const figure = el('figure', { class: 'chart roofline', 'data-chart': 'roofline' });
  const stats = new Stats({ name: 'roofline' });
  let mine = null;
  const roof = (m, cls) => {
    const ridge = m.gflops / m.gbytes_per_s;
    const at = (x) => Math.min(m.gflops, m.gbytes_per_s * x);  // the roof over intensity x
    const knee = Math.min(Math.max(ridge, X[0]), X[1]);
    const pts = [[X[0], at(X[0])], [knee, at(knee)], [X[1], at(X[1])]];
    return svg('g', { class: `roof ${cls}`, 'data-roof': m.name },
      svg('path', { d: line(pts.map(([x, y]) => ({ x, y: Math.max(y, Y[0]) })), lx, ly) }),
      svg('text', { x: lx(X[1]) - 4, y: ly(m.gflops) - 4, 'text-anchor': 'end' }, m.name));
  };
  const draw = () => {
    const r = widget.call('roofline_model', 4096, 64);
    if (!r) return;
    const decades = (a, b) => { const t = []; for (let e = Math.ceil(Math.log10(a)); e <= Math.log10(b); ++e) t.push(10 ** e); return t; };
    const steps = r.steps;
    figure.replaceChildren(svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img',
      'aria-label': `Roofline: ${steps.map((s) => `${s.name} at ${fmt(s.intensity, 3)} FLOP per byte`).join('; ')}` },
    axes({ x: lx, y: ly, width: W, height: H, pad, xLabel: 'arithmetic intensity (FLOP per byte of main memory)', yLabel: 'GFLOP/s',
      values: [decades(...X), decades(...Y).filter((v, i) => i % 2 === 0)], format: [fmt, fmt] }),
    r.roofs.map((m) => roof(m, 'published')),
    mine ? roof({ name: `this tab (${mine.isa})`, gflops: mine.gflops, gbytes_per_s: mine.gbytes_per_s }, 'mine') : [],
    steps.map((s, i) => svg('g', { class: 'step', 'data-step': i },
      svg('line', { class: 'step-line', x1: lx(s.intensity), x2: lx(s.intensity), y1: pad.t, y2: H - pad.b }),
      svg('circle', { cx: lx(s.intensity), cy: ly(mine ? Math.min(mine.gflops, mine.gbytes_per_s * s.intensity) : Y[0] * 2), r: 4, 'data-intensity': s.intensity },
        svg('title', {}, `${s.name}: ${flops(s.flops)} over ${bytes(s.bytes)}, ${fmt(s.intensity, 3)} FLOP/byte`))))),
    el('figcaption', {}, 'Each vertical line is a step of attention at n = 4096, d = 64 (hover for its counts); a roof is min(peak, bandwidth × intensity).'));
    stats.show([
      ...steps.map((s, i) => ({ name: `step${i}`, label: s.name, value: fmt(s.intensity, 3), note: 'FLOP/byte' })),
      ...(mine ? [{ name: 'peak', label: 'this tab: peak', value: fmt(mine.gflops, 3), note: 'GFLOP/s, one core' },
        { name: 'bandwidth', label: 'this tab: bandwidth', value: fmt(mine.gbytes_per_s, 3), note: 'GB/s, reading 32 MiB' },
        { name: 'ridge', label: 'this tab: ridge', value: fmt(mine.gflops / mine.gbytes_per_s, 3), note: 'FLOP/byte' }] : []),
    ]);
  };
  const run = widget.longRun({ label: 'Measure this tab', action: 'measure-roof', module: LESSON, idle: 'Press Measure to put this tab on the chart.' },
    async ({ say, work }) => {
      say('measuring…', 0);
      const m = mine = await work('measure_roof', 3);
      say(`measured: ${fmt(m.gflops, 3)} GFLOP/s and ${fmt(m.gbytes_per_s, 3)} GB/s in this tab (${m.isa}).`, 1);
      draw();
    });
  widget.append(run.node, widget.banner.node, figure, stats.node);
  draw();
});
