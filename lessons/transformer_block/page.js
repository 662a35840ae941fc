// lessons/transformer_block/page.js — lesson 16's widgets.
//
// stream:     a text through the course's trained model, one stage at a time: the residual stream
//             of each token as a bar (its length |x|), and what each layer adds to it drawn on
//             top, from the library's trace (lesson.hpp's stream); a heatmap of |added| for every
//             token and stage, whose cells say how they were computed.
// layer-norm: one row through layer norm, the row before and after as bars, with its mean,
//             variance and 1/σ; edit the row, its gain and its shift.
// budget:     where the FLOPs of a forward pass go (projections, MLP, Q·Kᵀ and P·V, read-out)
//             for the course's model and published ones, at a length n the learner picks, and the
//             n from which attention's n² term passes the rest.
import createLessonModule from './lesson.mjs';
import {
  el, fmt, flops, Heatmap, MatrixEditor, Scene, Stats, slider, stepper, textField, mountWidget, withCourseModel,
} from '../../web/js/widgets.js';

const load = withCourseModel(createLessonModule);

mountWidget('stream', load, (widget) => {
  const ex = widget.need('example');
  const picture = new Scene({ name: 'stream', label: 'The residual stream, stage by stage', width: 660, height: 300 });
  const heat = new Heatmap({ name: 'added', label: 'What each stage added: |added| per token', rowTitle: 'stage', colTitle: 'token' });
  const stats = new Stats({ name: 'stream' });
  const input = textField({ name: 'text', label: 'text', value: ex.text, oninput: () => load_() });
  let t = null;

  const load_ = () => {
    const r = widget.call('stream', input.value);
    if (!r) return;
    t = r;
    const labels = t.tokens.map((c, i) => `${i}:${c === ' ' ? '␣' : c}`);
    heat.show(t.added, t.stages, labels, {
      digits: 2,
      explain: async (s, i) => el('p', { class: 'explain', 'data-explain': 'added' },
        el('span', { class: 'explain-lhs' }, `|added| for “${labels[i]}” at ${t.stages[s]} = √(Σ_j Δx_j²) = `),
        el('strong', { 'data-value': String(t.added[s][i]) }, fmt(t.added[s][i], 4)),
        el('span', { class: 'explain-note' }, s === 0
          ? 'The embedding itself: E[token] + P[position], the stream\'s start.'
          : `The stream is now ${fmt(t.length[s][i], 4)} long; the cosine between it before and after this stage is ${fmt(t.turned[s][i], 3)}.`)),
    });
    steps.go(t.stages.length - 1);
  };

  // One bar per token: the stream's length after the stages so far, with the last stage's addition
  // drawn as its own segment (to scale), so each step shows what that layer contributed.
  const draw = (s) => {  // s: the stage shown, 0 (the embedding) to the last MLP
    if (!t) return;
    const n = t.tokens.length;
    const peak = Math.max(1e-9, ...t.length.flat(), ...t.added.flat());
    const left = 40, base = 250, step = Math.min(30, 600 / n), scale = 210 / peak;
    picture.frame(`after ${t.stages[s]}`, (p) => {
      p.put('axis', 'line', { class: 'axis', x1: left - 4, x2: left + n * step, y1: base, y2: base }, { layer: 'back' });
      p.bars('length', t.length[s], { x: left, base, step, width: step * 0.45, scale,
        title: (i) => `“${t.tokens[i]}”: |x| = ${fmt(t.length[s][i], 4)} after ${t.stages[s]}` });
      p.bars('added', t.added[s], { x: left + step * 0.5, base, step, width: step * 0.35, scale, cls: () => 'accent',
        title: (i) => `“${t.tokens[i]}”: ${t.stages[s]} added ${fmt(t.added[s][i], 4)}` });
      t.tokens.forEach((c, i) => p.text(`tok-${i}`, c === ' ' ? '␣' : c, { class: 'label', x: left + i * step + step * 0.4, y: base + 18, 'text-anchor': 'middle' }));
      p.text('legend', `${t.stages[s]}: |x| (blue) and what this stage added (green), to one scale`, { class: 'note', x: left, y: 24 });
    });
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    stats.show([
      { name: 'stage', label: 'stage', value: t.stages[s], note: `${s + 1} of ${t.stages.length}` },
      { name: 'length', label: 'mean |x|', value: fmt(mean(t.length[s]), 4) },
      { name: 'added', label: 'mean |added|', value: fmt(mean(t.added[s]), 4) },
      { name: 'turned', label: 'mean cosine, before vs after', value: fmt(mean(t.turned[s]), 3), note: '1: the stage kept the direction' },
    ]);
  };
  const steps = stepper({ name: 'stream', count: () => (t?.stages.length ?? 1) - 1, onstep: draw });
  widget.append(el('div', { class: 'controls' }, input.node), widget.banner.node, steps.node, picture.node, stats.node, heat.node);
  load_();
});

mountWidget('layer-norm', load, (widget) => {
  const ex = widget.need('example');
  const picture = new Scene({ name: 'norm', label: 'One row before and after layer norm', width: 560, height: 250 });
  const stats = new Stats({ name: 'norm' });
  const update = () => {
    const r = widget.call('normalise', x.values[0], g.values[0], b.values[0]);
    if (!r) return;
    const rows = [['x', x.values[0].map(Number)], ['x̂', r.xhat], ['y = g·x̂ + b', r.y]];
    const peak = Math.max(1e-9, ...rows.flatMap(([, v]) => v.map(Math.abs)));
    picture.frame('x, then x̂, then y', (p) => {
      rows.forEach(([name, v], k) => {
        const left = 30 + k * 180, base = 125, step = 150 / v.length;
        p.put(`zero-${k}`, 'line', { class: 'axis', x1: left - 4, x2: left + v.length * step, y1: base, y2: base }, { layer: 'back' });
        p.bars(`row${k}`, v, { x: left, base, step, width: step * 0.7, scale: 100 / peak, cls: (j) => (v[j] < 0 ? 'neg' : ''),
          title: (j) => `${name}[${j}] = ${fmt(v[j], 4)}` });
        p.text(`name-${k}`, name, { class: 'label', x: left + 60, y: 240, 'text-anchor': 'middle' });
      });
    });
    stats.show([
      { name: 'mean', label: 'mean of x', value: r.mean },
      { name: 'variance', label: 'variance (over d)', value: r.variance },
      { name: 'rstd', label: '1/√(variance + ε)', value: r.rstd },
    ]);
  };
  const x = new MatrixEditor({ name: 'x', label: 'x (one token)', values: [ex.x], resizable: false, onchange: update });
  const g = new MatrixEditor({ name: 'g', label: 'gain g', values: [ex.g], resizable: false, onchange: update });
  const b = new MatrixEditor({ name: 'b', label: 'shift b', values: [ex.b], resizable: false, onchange: update });
  widget.append(el('div', { class: 'matrix-row' }, x.node, g.node, b.node), widget.banner.node, picture.node, stats.node);
  update();
});

mountWidget('budget', load, (widget) => {
  const picture = new Scene({ name: 'budget', label: 'Where a forward pass spends its FLOPs', width: 660, height: 320 });
  const parts = [['projections', 'projections'], ['mlp', 'MLP'], ['scores', 'Q·Kᵀ and P·V'], ['readout', 'read-out']];
  const n = slider({ name: 'n', label: 'n tokens', min: 4, max: 20, step: 1, value: 10, format: (v) => fmt(2 ** v, 7), oninput: () => update() });
  const update = () => {
    const r = widget.call('budgets', 2 ** n.value);
    if (!r) return;
    const models = r.value, left = 160, W = 330;
    picture.frame(`n = ${2 ** n.value}`, (p) => {
      p.text('head-cross', 'n² wins from', { class: 'note', x: left + W + 12, y: 24 });
      models.forEach((m, k) => {
        const total = parts.reduce((a, [key]) => a + m[key], 0), y = 36 + k * 40;
        let x = left;
        p.text(`name-${k}`, m.name, { class: 'label', x: left - 8, y: y + 15, 'text-anchor': 'end' });
        parts.forEach(([key, label]) => {
          const w = (W * m[key]) / total;
          p.put(`${k}-${key}`, 'rect', { class: `part part-${key}`, x, y, width: w, height: 22, 'data-model': m.name, 'data-part': key },
            { value: m[key], title: `${m.name}, ${label}: ${flops(m[key])} (${fmt((100 * m[key]) / total, 3)} %)` });
          x += w;
        });
        p.text(`cross-${k}`, `n = ${fmt(m.crossover, 6)}`, { class: 'note', x: left + W + 12, y: y + 15 }, { value: m.crossover });
      });
      parts.forEach(([key, label], q) => {
        p.put(`key-${key}`, 'rect', { class: `part part-${key}`, x: left + (q % 2) * 170, y: 282 + Math.floor(q / 2) * 20, width: 12, height: 12 });
        p.text(`key-label-${key}`, label, { class: 'note', x: left + 18 + (q % 2) * 170, y: 292 + Math.floor(q / 2) * 20 });
      });
    });
  };
  widget.append(el('div', { class: 'controls' }, n.node), widget.banner.node, picture.node);
  update();
});
