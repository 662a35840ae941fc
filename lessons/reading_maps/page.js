// lessons/reading_maps/page.js — lesson 18's widgets, each a map set against a measurement.
//
// heads:       every head of the course's model as a dot, on a random string said twice: across,
//              how its map looks (copying, the previous byte, the first byte, its peak); up, how
//              much the loss rises without it.
// attribution: which earlier bytes a prediction depends on, by the last layer's attention, by
//              rollout through both layers, and by occlusion (replace the byte, measure the drop);
//              run in a worker, as it is one forward pass per byte.
// rollout:     each layer's map (heads averaged) and their rollout, side by side.
// needle:      a random string placed at each depth of a window and said again at the end: how well
//              the model completes it, by depth (in a worker).
// two-ways:    copying learned by two models with different maps; switch each one's attention off.
import createLessonModule from './lesson.mjs';
import {
  el, fmt, Heatmap, LinePlot, Scene, Stats, chips, slider, textField, modelInWorker, mountWidget, withCourseModel,
} from '../../web/js/widgets.js';

const load = withCourseModel(createLessonModule);
const LESSON = new URL('./lesson.mjs', import.meta.url);  // the long runs load it again, in a worker
const show = (c) => (c === ' ' ? '␣' : c);

mountWidget('heads', load, (widget) => {
  const ex = widget.need('example');
  const picture = new Scene({ name: 'heads', label: 'Each head: how its map looks, against what removing it costs', width: 600, height: 340 });
  const stats = new Stats({ name: 'heads' });
  const text = el('p', { class: 'generated', 'data-text': '' });
  const period = slider({ name: 'period', label: 'period', min: 8, max: 48, step: 1, value: ex.period, oninput: () => update() });
  const seed = slider({ name: 'seed', label: 'seed', min: 1, max: 50, step: 1, value: ex.seed, oninput: () => update() });
  const looks = chips({ name: 'looks', label: 'across', value: 'copying', options: [['copying', 'copying (induction score)'],
    ['previous', 'weight on the previous byte'], ['first', 'weight on the first byte'], ['peak', 'peak weight']], onpick: () => update() });
  const update = () => {
    const r = widget.call('heads', period.value, seed.value);
    if (!r) return;
    text.textContent = r.text;
    const key = looks.value, left = 70, bottom = 290, W = 500, H = 250;
    const across = r.heads.map((h, k) => (key === 'copying' ? r.copying[k] : h[key]));
    const top = Math.max(1e-3, ...r.copy_cost), lo = Math.min(0, ...r.copy_cost);
    const y = (v) => bottom - ((v - lo) / (top - lo)) * H;
    picture.frame(`across: ${key}`, (p) => {
      p.put('x-axis', 'line', { class: 'axis', x1: left, x2: left + W, y1: bottom, y2: bottom }, { layer: 'back' });
      p.put('y-axis', 'line', { class: 'axis', x1: left, x2: left, y1: bottom, y2: bottom - H }, { layer: 'back' });
      p.put('zero', 'line', { class: 'guide', x1: left, x2: left + W, y1: y(0), y2: y(0) }, { layer: 'back' });
      p.text('x-label', 'how the map looks (0 to 1) →', { class: 'note', x: left + W, y: bottom + 30, 'text-anchor': 'end' });
      p.text('y-label', '↑ the second copy\'s surprisal without the head − with it (nats per byte)', { class: 'note', x: left, y: 18 });
      p.text('y-top', fmt(top, 2), { class: 'note', x: left - 6, y: y(top) + 4, 'text-anchor': 'end' });
      p.text('y-zero', '0', { class: 'note', x: left - 6, y: y(0) + 4, 'text-anchor': 'end' });
      r.heads.forEach((h, k) => {
        const cost = r.copy_cost[k], cx = left + across[k] * W, cy = y(cost);
        p.put(`dot-${k}`, 'circle', { class: 'marker head-dot', cx, cy, r: 7, 'data-head': k, 'data-x': across[k], 'data-y': cost },
          { value: cost, title: `layer ${h.layer + 1}, head ${h.head + 1}: ${key} ${fmt(across[k], 3)}; the second copy +${fmt(cost, 3)} nats without it` });
        p.text(`name-${k}`, `L${h.layer + 1}H${h.head + 1}`, { class: 'label', x: cx + 10, y: cy + 4 });
      });
    });
    stats.show([
      { name: 'copy-rho', label: 'ρ(copying, cost)', value: r.copying_vs_cost, note: 'Spearman, over the 8 heads' },
      { name: 'prev-rho', label: 'ρ(previous byte, cost)', value: r.previous_vs_cost },
    ]);
  };
  widget.append(el('div', { class: 'controls' }, period.node, seed.node), el('div', { class: 'controls' }, looks.node),
    widget.banner.node, text, picture.node, stats.node);
  update();
});

mountWidget('attribution', load, (widget) => {
  const ex = widget.need('example');
  const picture = new Scene({ name: 'attribution', label: 'Which bytes the prediction depends on, three ways', width: 660, height: 300 });
  const stats = new Stats({ name: 'attribution' });
  const input = textField({ name: 'text', label: 'text', value: ex.attribution_text });
  const run = widget.longRun({ label: 'Measure', action: 'attribute', module: LESSON, idle: 'Press Measure: one forward pass per byte, in a worker.' },
    async ({ say, work }) => {
      say('loading the model in the worker…', 0.1);
      await modelInWorker(work);
      say(`occluding each of ${input.value.length} bytes…`, 0.3);
      const r = await work('attribute', input.value);
      draw(r);
      say(`“${input.value}” → “${show(String.fromCharCode(r.predicted))}” (${fmt(100 * r.probability, 3)} %)`, 1);
    });
  const draw = (r) => {
    const n = r.text.length, step = Math.min(22, 600 / n), rows = [['attention', 'attention (last layer)'], ['rollout', 'rollout (both layers)'], ['occlusion', 'occlusion (measured)']];
    picture.frame(`after “${r.text}”`, (p) => {
      rows.forEach(([key, label], k) => {
        const v = r[key], peak = Math.max(1e-9, ...v.map(Math.abs)), base = 70 + k * 85;
        p.text(`row-${key}`, label, { class: 'note', x: 50, y: base - 52 });
        p.bars(key, v, { x: 50, base, step, width: step * 0.75, scale: 50 / peak, cls: (j) => (v[j] < 0 ? 'neg' : ''),
          title: (j) => `byte ${j} “${show(r.text[j])}”: ${label} ${fmt(v[j], 3)}` });
      });
      [...r.text].forEach((c, j) => p.text(`c-${j}`, show(c), { class: 'label', x: 50 + j * step + step * 0.37, y: 290, 'text-anchor': 'middle' }));
    });
    stats.show([
      { name: 'att-rho', label: 'ρ(attention, occlusion)', value: r.attention_vs_occlusion },
      { name: 'roll-rho', label: 'ρ(rollout, occlusion)', value: r.rollout_vs_occlusion },
    ]);
  };
  widget.append(el('div', { class: 'controls' }, input.node), run.node,
    widget.banner.node, picture.node, stats.node);
});

mountWidget('rollout', load, (widget) => {
  const maps = ['layer 1', 'layer 2', 'rollout'].map((label, k) => new Heatmap({ name: `rollout-${k}`, label, rowTitle: 'query', colTitle: 'key', caption: true }));
  const input = textField({ name: 'text', label: 'text', value: 'the cat sat on the mat', oninput: () => update() });
  const update = () => {
    const r = widget.call('rollout', input.value);
    if (!r) return;
    const names = r.tokens.map((t, i) => `${i}:${t}`);
    [...r.layers, r.rollout].forEach((M, k) => maps[k].show(M, names, names, { digits: 2, maxAbs: 1 }));
  };
  widget.append(el('div', { class: 'controls' }, input.node),
    widget.banner.node, el('div', { class: 'map-row' }, maps.map((m) => m.node)));
  update();
});

mountWidget('needle', load, (widget) => {
  const ex = widget.need('example');
  const plot = new LinePlot({ name: 'needle', label: 'Recall of the needle by where it sat', xLabel: 'depth (byte)', yLabel: 'mean p' });
  const run = widget.longRun({ label: 'Measure', action: 'needle', module: LESSON, idle: 'Press Measure: a few hundred forward passes, in a worker.' },
    async ({ say, work }) => {
      say('loading the model in the worker…', 0.1);
      await modelInWorker(work);
      say(`${ex.trials} needles at each depth…`, 0.3);
      const r = await work('needle', ex.trials, ex.seed);
      plot.show(r.value.map((p) => ({ x: p.depth, y: p.probability })), { connect: true });
      say(`measured at ${r.value.length} depths`, 1);
    });
  widget.append(run.node, widget.banner.node, plot.node);
});

mountWidget('two-ways', createLessonModule, (widget) => {
  const ex = widget.need('example');
  const maps = [new Heatmap({ name: 'two-a', label: 'attention only (lesson 15)', rowTitle: 'query', colTitle: 'key', caption: true }),
    new Heatmap({ name: 'two-b', label: 'one transformer block', rowTitle: 'query', colTitle: 'key', caption: true })];
  const stats = new Stats({ name: 'two' });
  const steps = slider({ name: 'steps', label: 'steps', min: 100, max: 800, step: 100, value: ex.steps });
  const run = widget.longRun({ label: 'Train both', action: 'two', module: LESSON, idle: 'Press Train both: two small models learn to copy, in a worker.' },
    async ({ say, work }) => {
      say('training…', 0.2);
      const r = await work('two', steps.value, ex.seed);
      const names = r.probe.map((s, i) => `${i}:${s}`);
      maps[0].show(r.attention_only.map, names, names, { digits: 2, maxAbs: 1 });
      maps[1].show(r.with_residual.map, names, names, { digits: 2, maxAbs: 1 });
      row.replaceChildren(...maps.map((m) => m.node));  // drawn once there is something to draw
      const pc = (x) => `${fmt(100 * x, 3)} %`;
      stats.show([
        { name: 'a', label: 'attention only: accuracy', value: pc(r.attention_only.accuracy),
          note: `without its attention ${pc(r.attention_only.accuracy_without_attention)}; every other symbol redrawn ${pc(r.attention_only.accuracy_others_replaced)}; queries at their symbol's usual position ${pc(r.attention_only.fixed_position)}` },
        { name: 'b', label: 'one block: accuracy', value: pc(r.with_residual.accuracy),
          note: `without its attention ${pc(r.with_residual.accuracy_without_attention)}; every other symbol redrawn ${pc(r.with_residual.accuracy_others_replaced)}` },
      ]);
      say('trained: both copy; only one needed its map', 1);
    });
  const row = el('div', { class: 'map-row' });
  widget.append(el('div', { class: 'controls' }, steps.node), run.node, widget.banner.node, row, stats.node);
});
