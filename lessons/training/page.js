// lessons/training/page.js — the capstone's widget: train in the page.
//
// Choose a task and press Train. Each animation frame runs the Adam steps the
// chosen pace has made due (5, 20 or 100 a second, or 10 a frame) in the wasm
// module (forward, lesson 14's backward, Adam), then redraws the held-out loss
// curve, the attention map of a fixed probe sequence, and the model's answers.
// Training stops by itself below the target loss; the status line says whether
// it is training, paused, trained (train again) or reset by a changed setting.
import createLessonModule from './lesson.mjs';
import { el, fmt, Heatmap, Stats, LinePlot, slider, mountWidget, chips, explainWeight } from '../../web/js/widgets.js';

mountWidget('trainer', createLessonModule, (widget) => {
  const target = widget.need('target_loss').value;
  // state: 'idle' (untrained, or reset), 'running', 'paused', 'trained', 'stuck' (3000 steps, not below target)
  let task = 'reverse', state = 'idle', points = [], elapsed = 0, steps = 0;
  let pace = { since: 0, steps: 0 };  // where the current pace was set: the time, and the steps done then
  const curve = new LinePlot({ name: 'loss', label: 'held-out loss per symbol', xLabel: 'step', yLabel: 'loss' });
  const heat = new Heatmap({ name: 'A', label: 'Attention map on the probe sequence', rowTitle: 'query', colTitle: 'key' });
  const stats = new Stats({ name: 'train' });
  const sample = el('div', { class: 'train-sample', 'aria-live': 'polite' });
  const status = el('p', { class: 'run-status', 'data-trained': 'false', 'data-state': 'idle', 'aria-live': 'polite' }, 'Press Train.');
  const say = (s, text) => {
    state = s;
    status.dataset.state = s;
    status.dataset.trained = String(s === 'trained');
    status.textContent = text;
    trainButton.textContent = s === 'trained' || s === 'stuck' ? 'Train again ▶' : s === 'paused' ? 'Go on ▶' : 'Train ▶';
    trainButton.disabled = s === 'running';
    pauseButton.disabled = s !== 'running';
  };

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
    curve.show(points.length ? points : [{ x: 0, y: r.loss }], { connect: true });
    stats.show([
      { name: 'steps', label: 'steps', value: r.steps ?? 0, note: `of 16 sequences each` },
      { name: 'loss', label: 'held-out loss', value: r.loss, note: `target < ${target}` },
      { name: 'accuracy', label: 'held-out accuracy', value: r.accuracy },
      { name: 'seconds', label: 'training time', value: elapsed / 1000, note: 'seconds' },
    ]);
  };
  /** A fresh, untrained model; `why` says what made it (a changed setting), or nothing on the first load. */
  const reset = (why) => {
    const r = widget.call('reset', task, lr.value, seed.value);
    if (!r) return;
    points = [{ x: 0, y: r.loss }];
    elapsed = steps = 0;
    say('idle', why ? `Reset: ${why}, so the model starts again, untrained. Press Train.` : 'Press Train.');
    draw({ ...r, steps: 0 });
  };
  let last = 0;
  const frame = (now) => {
    if (state !== 'running') return;
    // As many steps as the pace has made due since it was set (at most 40 a frame: a slow machine
    // falls behind the pace rather than freezing the page).
    const due = speed.value === 0 ? 10 : Math.min(40, Math.floor(((now - pace.since) / 1000) * speed.value) - (steps - pace.steps));
    elapsed += now - last;
    last = now;
    if (due <= 0) return requestAnimationFrame(frame);
    const t = widget.call('train', due);
    if (!t) return say('paused', 'Paused: that step failed (see the message above).');
    steps = t.steps;
    const r = { steps: t.steps, batch_loss: t.batch_loss, ...t.held_out };
    points.push({ x: r.steps, y: r.loss });
    draw(r);
    const rate = steps / Math.max(elapsed / 1000, 1e-3);
    if (r.loss < target)
      say('trained', `Trained: loss ${fmt(r.loss, 3)} after ${r.steps} steps, ${fmt(elapsed / 1000, 3)} s. Train again to start from a fresh model.`);
    else if (r.steps >= 3000)
      say('stuck', `Not below ${target} after ${r.steps} steps: try another learning rate or seed, or train again.`);
    else {
      status.textContent = `Training: step ${r.steps}, about ${fmt(rate, 3)} steps a second, held-out loss ${fmt(r.loss, 3)}.`;
      requestAnimationFrame(frame);
    }
  };
  const start = () => {
    if (state === 'running') return;
    if (state === 'trained' || state === 'stuck') reset();
    const now = performance.now();
    pace = { since: now, steps };
    last = now;
    say('running', `Training: step ${steps}.`);
    requestAnimationFrame(frame);
  };
  const trainButton = el('button', { type: 'button', class: 'chip', 'data-action': 'train', onclick: start }, 'Train ▶');
  const pauseButton = el('button', { type: 'button', class: 'chip', 'data-action': 'pause', disabled: true,
    onclick: () => state === 'running' && say('paused', `Paused at step ${steps}: press Go on to continue from here.`) }, 'Pause');
  const resetButton = el('button', { type: 'button', class: 'chip', 'data-action': 'reset', onclick: () => reset('you pressed Reset') }, 'Reset');
  const choice = chips({ name: 'task', label: 'task', value: task, options: ['reverse', 'copy', 'shift'].map((t) => [t, t]),
    onpick: (t) => { task = t; reset('the task changed'); } });
  const lr = slider({ name: 'lr', label: 'learning rate', min: 0.0005, max: 0.02, step: 0.0005, value: 0.003, format: (v) => fmt(v, 3), oninput: () => reset('the learning rate changed') });
  const seed = slider({ name: 'seed', label: 'seed', min: 1, max: 20, step: 1, value: 1, format: String, oninput: () => reset('the seed changed') });
  // Steps a second: slow enough to watch the map form, or (0) as fast as the tab can go.
  const speed = chips({ name: 'pace', label: 'steps a second', value: 20, options: [[5, '5'], [20, '20'], [100, '100'], [0, 'as fast as it can']],
    onpick: () => { pace = { since: performance.now(), steps }; } });
  widget.append(
    choice.node, el('div', { class: 'controls' }, lr.node, seed.node), speed.node,
    el('div', { class: 'toolbar' }, trainButton, pauseButton, resetButton),
    status, widget.banner.node,
    el('div', { class: 'split' }, curve.node, el('div', {}, stats.node, sample)), heat.node);
  reset();
});
