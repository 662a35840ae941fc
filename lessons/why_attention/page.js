// lessons/why_attention/page.js — lesson 4's widgets.
//
// score:     Bahdanau's additive score on editable numbers, beside lesson 01's dot product.
// train:     two translators (fixed vector, attention) trained side by side in this tab, a few
//            steps each animation frame; every 250 steps both are measured on new sentences of
//            2 to 16 words, and the chart of accuracy against length redraws.
// alignment: one sentence through both models: the weights α beside the true alignment.
// positions: accuracy at each position of 16-word sentences.
// paths:     the counts of Vaswani et al.'s Table 1, and the gradient reaching each source word.
// The models live in the lesson's module, which every widget on the page shares: training sends
// 'why-attention:models' so that the alignment and the positions redraw from the new weights.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, BarChart, Heatmap, MatrixEditor, MatrixView, SeriesPlot, Stats, chips, slider, mountWidget } from '../../web/js/widgets.js';

const CHANGED = 'why-attention:models';
let made = false;  // the module holds no models until the first widget asks
const ensureModels = (widget) => made || (made = widget.call('reset', 1) !== null);
const changed = (detail) => document.dispatchEvent(new CustomEvent(CHANGED, { detail }));
let trainedSteps = 0;
const untrainedNote = () => (trainedSteps ? `after ${trainedSteps} training steps` : 'untrained: press Train above to teach them');

mountWidget('score', createLessonModule, (widget) => {
  const ex = widget.need('example');
  const names = (row) => row.map((w, j) => `h_${j + 1}: ${fmt(w, 2)}`);
  const views = {
    e: new MatrixView({ name: 'e', label: 'e_j = vᵀ tanh(W s + U h_j)' }),
    alpha: new MatrixView({ name: 'alpha', label: 'α = softmax(e)' }),
    context: new MatrixView({ name: 'context', label: 'c = Σ α_j h_j' }),
    dot: new MatrixView({ name: 'dot', label: 's·h_j (lesson 01)' }),
    dot_alpha: new MatrixView({ name: 'dot_alpha', label: 'softmax(s·h_j)' }),
  };
  const bars = new BarChart({ name: 'additive-weights', label: 'additive weights α over the h_j', height: 120 });
  const dotBars = new BarChart({ name: 'dot-weights', label: 'dot-product weights over the h_j', height: 120 });
  const note = el('p', { class: 'note', 'data-note': 'widths' });
  const update = () => {
    const r = widget.call('compute', s.values[0], H.values, W.values, U.values, v.values[0]);
    if (!r) return;
    for (const k of ['e', 'alpha', 'context']) views[k].show([r[k]]);
    bars.show(r.alpha, { max: 1, labels: names(r.alpha) });
    if (r.dot.length) {
      views.dot.show([r.dot]);
      views.dot_alpha.show([r.dot_alpha]);
      dotBars.show(r.dot_alpha, { max: 1, labels: names(r.dot_alpha) });
      note.textContent = '';
    } else {
      note.textContent = 'Now s and h_j differ in width: the dot product s·h_j is not defined, the additive score still is.';
    }
    for (const n of [views.dot.node, views.dot_alpha.node, dotBars.node]) n.hidden = !r.dot.length;
  };
  const s = new MatrixEditor({ name: 's', label: 's (decoder state)', values: [ex.s], onchange: update });
  const H = new MatrixEditor({ name: 'H', label: 'H (rows h_j)', values: ex.H, onchange: update });
  const W = new MatrixEditor({ name: 'W', label: 'W', values: ex.W, onchange: update });
  const U = new MatrixEditor({ name: 'U', label: 'U', values: ex.U, onchange: update });
  const v = new MatrixEditor({ name: 'v', label: 'v', values: [ex.v], onchange: update });
  widget.append(
    el('div', { class: 'matrix-row' }, s.node, H.node, W.node, U.node, v.node), widget.banner.node,
    el('div', { class: 'split outputs' },
      el('div', {}, el('h4', {}, 'Additive (Bahdanau)'), bars.node, views.e.node, views.alpha.node, views.context.node),
      el('div', {}, el('h4', {}, 'Dot product (lesson 01)'), dotBars.node, views.dot.node, views.dot_alpha.node, note)));
  update();
});

mountWidget('train', createLessonModule, (widget) => {
  ensureModels(widget);
  let state = 'idle', steps = 0, losses = [], measured = [], spent = 0;
  const goal = () => Number(length.value);
  const chart = new SeriesPlot({ name: 'accuracy', label: 'Words right against sentence length', xLabel: 'words in the sentence', yLabel: 'share of words right',
    series: [{ key: 'rnn', label: 'fixed vector' }, { key: 'attention', label: 'attention' }], yRange: [0, 1], format: (v) => fmt(v, 2) });
  const loss = new SeriesPlot({ name: 'loss', label: 'Loss per word on each batch', xLabel: 'step', yLabel: 'loss',
    series: [{ key: 'rnn', label: 'fixed vector' }, { key: 'attention', label: 'attention' }], format: (v) => fmt(v, 3) });
  const stats = new Stats({ name: 'train' });
  const status = el('p', { class: 'run-status', 'data-state': 'idle', 'aria-live': 'polite' }, 'Press Train.');
  const say = (s, text) => {
    state = s;
    status.dataset.state = s;
    status.textContent = text;
    trainButton.textContent = s === 'paused' ? 'Go on ▶' : s === 'trained' ? 'Train again ▶' : 'Train ▶';
    trainButton.disabled = s === 'running';
    pauseButton.disabled = s !== 'running';
  };
  const measure = () => {
    const a = widget.call('accuracy', 20);
    if (!a) return false;
    measured = a.length.map((x, k) => ({ x, rnn: a.rnn[k], attention: a.attention[k], alignment: a.alignment[k] }));
    chart.show(measured, { band: [4, 8, 'trained on'], caption: `after ${steps} steps; 20 new sentences of each length` });
    const at = (n) => measured.find((m) => m.x === n);
    stats.show([
      { name: 'steps', label: 'steps', value: steps, note: `of ${goal()}` },
      { name: 'rnn16', label: 'fixed vector: share right at 16 words', value: at(16).rnn },
      { name: 'attention16', label: 'attention: share right at 16 words', value: at(16).attention },
      { name: 'alignment8', label: 'attention\'s largest α on the true source word, 8 words', value: at(8).alignment },
    ]);
    return true;
  };
  const reset = (why) => {
    if (!widget.call('reset', Number(seed.value))) return;
    made = true;
    steps = trainedSteps = spent = 0;
    losses = [];
    loss.node.hidden = true;
    measure();
    say('idle', why ? `Reset: ${why}; both models start again, untrained. Press Train.` : 'Press Train.');
    changed({ steps: 0 });
  };
  const frame = () => {
    if (state !== 'running') return;
    const t0 = performance.now();
    let r = null;
    while (performance.now() - t0 < 24 && steps < goal()) {  // a frame's worth of steps
      r = widget.call('train', 1);
      if (!r) return say('paused', 'Paused: that step failed (see the message above).');
      steps = r.steps;
      if (steps % 10 === 0) losses.push({ x: steps, rnn: r.loss_rnn, attention: r.loss_attention });
      if (steps % 250 === 0) break;
    }
    spent += performance.now() - t0;
    trainedSteps = steps;
    if (steps % 250 === 0 || steps >= goal()) {
      loss.show(losses.length ? losses : [{ x: steps, rnn: r.loss_rnn, attention: r.loss_attention }]);
      loss.node.hidden = false;
      measure();
      changed({ steps, done: steps >= goal() });
    }
    if (steps >= goal()) return say('trained', `Trained: ${steps} steps in ${fmt(spent / 1000, 3)} s of computing. The widgets below now use these models.`);
    status.textContent = `Training: step ${steps} of ${goal()}, about ${fmt(steps / Math.max(spent / 1000, 1e-3), 3)} steps a second.`;
    requestAnimationFrame(frame);
  };
  const start = () => {
    if (state === 'running') return;
    if (state === 'trained') reset();
    say('running', `Training: step ${steps}.`);
    requestAnimationFrame(frame);
  };
  const trainButton = el('button', { type: 'button', class: 'chip', 'data-action': 'train', onclick: start }, 'Train ▶');
  const pauseButton = el('button', { type: 'button', class: 'chip', 'data-action': 'pause', disabled: true,
    onclick: () => state === 'running' && say('paused', `Paused at step ${steps}: press Go on to continue.`) }, 'Pause');
  const resetButton = el('button', { type: 'button', class: 'chip', 'data-action': 'reset', onclick: () => reset('you pressed Reset') }, 'Reset');
  const seed = slider({ name: 'seed', label: 'seed', min: 1, max: 20, step: 1, value: 1, format: String, oninput: () => reset('the seed changed') });
  const length = chips({ name: 'steps', label: 'steps', value: 3000, options: [[250, '250'], [1000, '1000'], [3000, '3000']], onpick: () => {} });
  widget.append(el('div', { class: 'controls' }, seed.node, length.node),
    el('div', { class: 'toolbar' }, trainButton, pauseButton, resetButton), status, widget.banner.node,
    el('div', { class: 'split' }, chart.node, el('div', {}, stats.node, loss.node)));
  reset();
});

mountWidget('alignment', createLessonModule, (widget) => {
  ensureModels(widget);
  const alpha = new Heatmap({ name: 'alpha', label: 'α, the weights the attention model learned', rowTitle: 'target word', colTitle: 'source word', caption: true });
  const truth = new Heatmap({ name: 'truth', label: 'the true alignment, never shown to the model', rowTitle: 'target word', colTitle: 'source word', caption: true });
  const out = el('div', { class: 'translation', 'aria-live': 'polite' });
  const stats = new Stats({ name: 'alignment' });
  let sentence = 7;
  const draw = () => {
    const r = widget.call('translate', Number(length.value), sentence);
    if (!r) return;
    alpha.show(r.alpha, r.target, r.source, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.scores, rows: r.target, cols: r.source }) });
    truth.show(r.truth, r.target, r.source, { maxAbs: 1, digits: 1, explain: async (i, j) => el('p', { class: 'explain', 'data-explain': 'truth' },
      `Target word ${i + 1}, “${r.target[i]}”, ${r.truth[i][j] ? 'translates' : 'does not translate'} source word ${j + 1}, “${r.source[j]}”: `,
      el('strong', { 'data-value': String(r.truth[i][j]) }, fmt(r.truth[i][j])),
      el('span', { class: 'explain-note' }, 'The task knows this; the model is never told it.')) });
    const words = (ws) => ws.map((w, i) => el('span', { class: w === r.target[i] ? 'right' : 'wrong', 'data-word': w }, `${w} `));
    out.replaceChildren(
      el('span', {}, 'source'), el('span', { 'data-line': 'source' }, r.source.join(' ')),
      el('span', {}, 'target'), el('span', { 'data-line': 'target' }, r.target.join(' ')),
      el('span', {}, 'fixed vector'), el('span', { 'data-line': 'rnn' }, ...words(r.rnn)),
      el('span', {}, 'attention'), el('span', { 'data-line': 'attention' }, ...words(r.attention)));
    stats.show([{ name: 'aligned', label: 'largest α on the true word', value: r.aligned, note: untrainedNote() }]);
  };
  const length = slider({ name: 'length', label: 'sentence length', min: 4, max: 16, step: 1, value: 8, format: (v) => `${v} words`, oninput: draw });
  const another = el('button', { type: 'button', class: 'chip', 'data-action': 'another', onclick: () => { sentence += 1; draw(); } }, 'Another sentence');
  widget.append(el('div', { class: 'controls' }, length.node, another), widget.banner.node, out, stats.node,
    el('div', { class: 'matrix-row' }, alpha.node, truth.node));
  document.addEventListener(CHANGED, draw);
  draw();
});

mountWidget('positions', createLessonModule, (widget) => {
  ensureModels(widget);
  const chart = new SeriesPlot({ name: 'positions', label: 'Words right at each position', xLabel: 'position in the sentence', yLabel: 'share of words right',
    series: [{ key: 'rnn', label: 'fixed vector' }, { key: 'attention', label: 'attention' }], yRange: [0, 1], format: (v) => fmt(v, 2) });
  const draw = () => {
    const r = widget.call('positions', Number(length.value), 30);
    if (!r) return;
    chart.show(r.position.map((x, k) => ({ x, rnn: r.rnn[k], attention: r.attention[k] })),
      { band: [1, 8, 'as long as trained on'], caption: `30 sentences of ${length.value} words, ${untrainedNote()}` });
  };
  const length = slider({ name: 'length', label: 'sentence length', min: 8, max: 24, step: 1, value: 16, format: (v) => `${v} words`, oninput: draw });
  widget.append(length.node, widget.banner.node, chart.node);
  document.addEventListener(CHANGED, (e) => (e.detail.done || e.detail.steps % 1000 === 0) && draw());
  draw();
});

mountWidget('paths', createLessonModule, (widget) => {
  const stats = new Stats({ name: 'paths' });
  const chart = new SeriesPlot({ name: 'reach', label: 'Gradient reaching each source word (log scale)', xLabel: 'source word', yLabel: '‖gradient‖',
    series: [{ key: 'rnn', label: 'fixed vector' }, { key: 'attention', label: 'attention' }], logY: true, format: (v) => fmt(v, 2) });
  const draw = () => {
    const n = Number(size.value);
    const p = widget.call('paths', n), r = widget.call('reach', n);
    if (!p || !r) return;
    stats.show([
      { name: 'rnn_steps', label: 'RNN: steps one after another', value: p.rnn_steps[0] },
      { name: 'rnn_path', label: 'RNN: longest path, source to target', value: p.rnn_path[0] },
      { name: 'attention_path', label: 'RNN + attention: longest path', value: p.attention_path[0], note: `but ${p.attention_steps[0]} steps one after another` },
      { name: 'self_path', label: 'self-attention: steps, longest path', value: `${p.self_steps[0]}, ${p.self_path[0]}` },
    ]);
    chart.show(r.position.map((x, k) => ({ x, rnn: r.rnn[k], attention: r.attention[k] })), { caption: `two untrained models, one sentence of ${n} words` });
  };
  const size = slider({ name: 'n', label: 'sentence length n', min: 4, max: 64, step: 1, value: 32, format: (v) => `${v} words`, oninput: draw });
  widget.append(size.node, widget.banner.node, el('div', { class: 'split' }, stats.node, chart.node));
  draw();
});
