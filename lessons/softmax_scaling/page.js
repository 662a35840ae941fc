// lessons/softmax_scaling/page.js — lesson 02's widgets.
//
// 1. softmax-row: edit a row of scores and the temperature; the stable softmax
//    and the naive one are shown side by side, so typing 100 shows the overflow.
//    A step-through morphs the row's bars through the stable softmax's steps
//    (less the max, over T, exponentiated, summed, normalised), from the
//    library's trace (attn::softmax_trace).
// 2. scaling: the 1/√d_k experiment. Random unit-variance queries and keys; the
//    histogram of their scores against the predicted normal curve, the softmax
//    weights of one query, entropy and max weight; toggles that break it.
import createLessonModule from './lesson.mjs';
import { el, fmt, MatrixEditor, BarChart, Histogram, Scene, Stats, slider, stepper, toggle, mountWidget } from '../../web/js/widgets.js';

const FLT_MAX = 3.4028234663852886e38; // the largest float32

mountWidget('softmax-row', createLessonModule, (widget) => {
  const example = widget.need('example');
  const stable = new BarChart({ name: 'stable', label: 'stable softmax: exp(z − max) / Σ' });
  const naive = new BarChart({ name: 'naive', label: 'naive softmax: exp(z) / Σ (no max subtracted)' });
  const stats = new Stats({ name: 'softmax-row' });
  // One set of bars morphing through the stages; each stage on its own scale, written on its axis.
  const picture = new Scene({ name: 'softmax', label: 'The stable softmax, step by step', width: 620, height: 250 });
  const stages = [
    ['z', 'the scores z_j', (t) => t.z],
    ['shifted', 'less their maximum: z_j − m, all ≤ 0', (t) => t.shifted],
    ['scaled', 'over the temperature: (z_j − m) / T', (t) => t.scaled],
    ['e', 'exponentiated: e_j = exp((z_j − m) / T), the largest 1', (t) => t.e],
    ['p', 'normalised: p_j = e_j / Σ e, summing to 1', (t) => t.p],
  ];
  let trace = null;
  const draw = (at) => {
    const [key, caption, get] = stages[at], values = get(trace), n = values.length;
    const step = Math.min(64, 460 / n), x = 40;
    picture.frame(`step ${at} of ${stages.length - 1}: ${caption}`, (p) => {
      p.text('caption', caption, { class: 'label', x, y: 22 });
      p.vector('stage', values, { x, top: 40, height: 150, step, cls: () => (at >= 3 ? 'new' : ''), title: (j) => `${key}_${j + 1} = ${fmt(values[j])}` });
      p.text('stage-note', at === 1 ? `m = ${fmt(trace.m)}` : at === 3 || at === 4 ? `Σ e = ${fmt(trace.sum, 5)}` : '', { class: 'label', x: x + n * step + 10, y: 54 }, { value: at === 1 ? trace.m : trace.sum });
    });
  };
  const steps = stepper({ name: 'softmax', count: () => stages.length - 1, onstep: (at) => trace && draw(at) });
  const update = () => {
    const r = widget.call('softmax_row', z.values[0], T.value);
    if (!r) return;
    trace = r.steps;
    steps.go(steps.at);
    const labels = r.stable.map((_, j) => `z${j + 1}`);
    stable.show(r.stable, { max: 1, labels });
    naive.show(r.naive, { max: 1, labels });
    const broken = r.naive.filter((v) => !Number.isFinite(v)).length;
    stats.show([
      { name: 'stable', label: 'stable weights', value: r.stable.map((v) => fmt(v, 3)).join('  ') },
      { name: 'naive', label: 'naive weights', value: r.naive.map((v) => fmt(v, 3)).join('  '), bad: broken > 0,
        note: broken ? `exp overflowed to ∞ past ln(FLT_MAX) = ${fmt(Math.log(FLT_MAX))}, and ∞/∞ is NaN` : 'agrees while every exp(z/T) fits in float32' },
      { name: 'entropy', label: 'entropy', value: r.entropy, note: `nats (max ln ${r.stable.length} = ${fmt(Math.log(r.stable.length))})` },
      { name: 'sum', label: 'sum of weights', value: r.sum },
    ]);
  };
  const z = new MatrixEditor({ name: 'z', label: 'z · one row of scores', values: [example.z], resizable: 'columns', onchange: update });
  const T = slider({ name: 'temperature', label: 'temperature T', min: 0.1, max: 5, step: 0.05, value: 1, format: (v) => fmt(v, 3), oninput: update });
  const overflow = el('button', { type: 'button', class: 'chip', onclick: () => { z.set([example.z.map((v) => v + 100)]); update(); } }, 'Add 100 to every score');
  const reset = el('button', { type: 'button', class: 'chip', onclick: () => { z.set([example.z]); T.set(1); update(); } }, 'Reset the row');
  widget.append(
    el('div', { class: 'matrix-row' }, z.node, el('div', { class: 'controls' }, T.node, overflow, reset)),
    widget.banner.node,
    el('div', { class: 'split' }, el('div', {}, stable.node, naive.node), stats.node),
    el('div', { class: 'stage' }, el('h4', {}, 'Step through the stable softmax'), steps.node, picture.node));
  update();
});

mountWidget('scaling', createLessonModule, (widget) => {
  const hist = new Histogram({ name: 'scores', label: 'the 4096 scores q·k (bars) and the predicted normal curve N(0, predicted variance)' });
  const row = new BarChart({ name: 'row', label: 'softmax weights of query 1 over its 64 keys' });
  const stats = new Stats({ name: 'scaling' });
  const update = () => {
    const r = widget.call('explore', 2 ** dk.value, T.value, scaled.checked, stable.checked, gain.value);
    if (!r) return;
    hist.show(r.scores, { curve: { mean: 0, variance: r.predicted } });
    row.show(r.row, { max: 1 });
    stats.show([
      { name: 'variance', label: 'variance of the scores', value: r.variance, note: `predicted ${fmt(r.predicted)}` },
      { name: 'max_weight', label: 'mean largest weight', value: r.max_weight, note: 'of a row; 1/64 ≈ 0.016 is uniform' },
      { name: 'entropy', label: 'mean entropy', value: r.entropy, note: `nats; at most ln 64 = ${fmt(r.max_entropy)}` },
      { name: 'nonfinite_rows', label: 'rows with inf or NaN', value: r.nonfinite_rows, bad: r.nonfinite_rows > 0,
        note: r.nonfinite_rows > 0 ? 'the naive softmax overflowed: these rows are garbage' : 'none' },
    ]);
  };
  const dk = slider({ name: 'd_k', label: 'd_k', min: 0, max: 9, step: 1, value: 6, format: (v) => String(2 ** v), oninput: update });
  const T = slider({ name: 'temperature', label: 'temperature T', min: 0.1, max: 5, step: 0.05, value: 1, format: (v) => fmt(v, 3), oninput: update });
  const gain = slider({ name: 'gain', label: 'multiply scores by', min: 1, max: 100, step: 1, value: 1, format: (v) => `×${v}`, oninput: update });
  const scaled = toggle({ name: 'scaled', label: 'divide by √d_k', checked: true, onchange: update });
  const stable = toggle({ name: 'stable', label: 'subtract the row max (stable)', checked: true, onchange: update });
  widget.append(
    el('div', { class: 'controls' }, dk.node, T.node, gain.node),
    el('div', { class: 'controls' }, scaled.node, stable.node),
    widget.banner.node,
    el('div', { class: 'split' }, el('div', {}, hist.node, row.node), stats.node));
  update();
});
