// lessons/training/page.js — the capstone's widget: train in the page.
//
// Choose a task and press Train. Each animation frame runs a few Adam steps in
// the wasm module (forward, lesson 13's backward, Adam), then redraws the
// held-out loss curve, the attention map of a fixed probe sequence, and the
// model's answers. Training stops by itself below the target loss.
import createLessonModule from './lesson.mjs';
import { el, fmt, Heatmap, Stats, LinePlot, slider, mountWidget, chips, explainWeight } from '../../web/js/widgets.js';

mountWidget('trainer', createLessonModule, (widget) => {
  const target = widget.need('target_loss').value;
  let task = 'reverse', running = false, points = [], started = 0, elapsed = 0;
  const curve = new LinePlot({ name: 'loss', label: 'held-out loss per symbol', xLabel: 'step', yLabel: 'loss' });
  const heat = new Heatmap({ name: 'A', label: 'Attention map on the probe sequence', rowTitle: 'query', colTitle: 'key' });
  const stats = new Stats({ name: 'train' });
  const sample = el('div', { class: 'train-sample', 'aria-live': 'polite' });
  const status = el('p', { class: 'run-status', 'data-trained': 'false' }, 'Press Train.');

  const draw = (r) => {
    const p = widget.call('probe');
    if (!p) return;
    const names = p.x.map((s, i) => `${i}:${s}`);
    heat.show(p.A, names, names, { maxAbs: 1, digits: 2, explain: explainWeight({ S: p.S, rows: names, cols: names }) });
    sample.replaceChildren(
      el('span', {}, 'input'), el('span', {}, p.x.join(' ')),
      el('span', {}, 'answer'), el('span', {}, p.target.join(' ')),
      el('span', {}, 'model'), el('span', { 'data-predicted': p.predicted.join(' ') },
        ...p.predicted.map((s, i) => el('span', { class: s === p.target[i] ? 'right' : 'wrong' }, `${s} `))));
    curve.show(points.length ? points : [{ x: 0, y: r.loss }]);
    stats.show([
      { name: 'steps', label: 'steps', value: r.steps ?? 0, note: `of 16 sequences each` },
      { name: 'loss', label: 'held-out loss', value: r.loss, note: `target < ${target}` },
      { name: 'accuracy', label: 'held-out accuracy', value: r.accuracy },
      { name: 'seconds', label: 'training time', value: elapsed / 1000, note: 'seconds' },
    ]);
  };
  const reset = () => {
    running = false;
    const r = widget.call('reset', task, lr.value, seed.value);
    if (!r) return;
    points = [{ x: 0, y: r.loss }];
    elapsed = 0;
    status.dataset.trained = 'false';
    status.textContent = 'Press Train.';
    draw({ ...r, steps: 0 });
  };
  const frame = () => {
    if (!running) return;
    const t = widget.call('train', 10);
    if (!t) return (running = false);
    const r = { steps: t.steps, batch_loss: t.batch_loss, ...t.held_out };
    elapsed = performance.now() - started;
    points.push({ x: r.steps, y: r.loss });
    draw(r);
    if (r.loss < target) {
      running = false;
      status.dataset.trained = 'true';
      status.textContent = `Trained: loss ${fmt(r.loss, 3)} after ${r.steps} steps, ${fmt(elapsed / 1000, 3)} s.`;
    } else if (r.steps >= 3000) {
      running = false;
      status.textContent = `Not below ${target} after ${r.steps} steps: try another learning rate or seed.`;
    } else requestAnimationFrame(frame);
  };
  const button = (text, action, fn) => el('button', { type: 'button', class: 'chip', 'data-action': action, onclick: fn }, text);
  const choice = chips({ name: 'task', label: 'task', value: task, options: ['reverse', 'copy', 'shift'].map((t) => [t, t]),
    onpick: (t) => { task = t; reset(); } });
  const lr = slider({ name: 'lr', label: 'learning rate', min: 0.0005, max: 0.02, step: 0.0005, value: 0.003, format: (v) => fmt(v, 3), oninput: reset });
  const seed = slider({ name: 'seed', label: 'seed', min: 1, max: 20, step: 1, value: 1, format: String, oninput: reset });
  widget.append(
    choice.node, el('div', { class: 'controls' }, lr.node, seed.node),
    el('div', { class: 'toolbar' },
      button('Train ▶', 'train', () => { if (!running && status.dataset.trained !== 'true') { running = true; started = performance.now() - elapsed; requestAnimationFrame(frame); } }),
      button('Pause', 'pause', () => { running = false; }),
      button('Reset', 'reset', reset)),
    status, widget.banner.node,
    el('div', { class: 'split' }, curve.node, el('div', {}, stats.node, sample)), heat.node);
  reset();
});
