// lessons/masking/page.js — lesson 06's widget: the mask composer.
//
// Toggle the causal mask, slide the padding length, click any cell of the mask
// to flip it, choose -inf or -1e9 as the fill. The module masks, softmaxes and
// mixes; the page shows the mask, the weights (masked cells hatched) and the
// outputs. A step-through takes one query's row of scores through the mask
// and the softmax (−∞ where blocked, exp(−∞) = 0, normalised over what is
// left), from the module's trace. The proof panel replaces every token after
// position i and reports how much each output moved.
import createLessonModule from './lesson.mjs';
import { el, fmt, explainWeight, MatrixView, Heatmap, Scene, Stats, slider, stepper, toggle, mountWidget, register } from '../../web/js/widgets.js';

mountWidget('mask-composer', createLessonModule, (widget) => {
  const ex = widget.need('example');
  const n = ex.tokens.length;
  let mask = null;
  const maskGrid = el('div', { class: 'mask-grid', role: 'group', 'aria-label': 'Mask: click a cell to allow or block it' });
  const weights = new Heatmap({ name: 'P', label: 'Attention weights P', rowTitle: 'query', colTitle: 'key' });
  const out = new MatrixView({ name: 'O', label: 'O = P·V', rowLabels: (i) => ex.tokens[i] });
  const proof = new Stats({ name: 'future' });
  const picture = new Scene({ name: 'mask-row', label: 'One query’s row through the mask and the softmax', width: 620, height: 270 });
  const stages = [
    ['scores', 'the scores s_j = q·k_j / √d_k', (t) => t.scores],
    ['masked', 'masked: the keys it may not see get the fill', (t) => t.masked],
    ['shifted', 'less the largest score it may see', (t) => t.softmax.shifted],
    ['e', 'exponentiated: exp(−∞) = 0, a blocked key weighs nothing', (t) => t.softmax.e],
    ['p', 'normalised over the keys left: row i of P', (t) => t.softmax.p],
  ];
  let trace = null;
  const drawRow = (at) => {
    const [key, caption, get] = stages[at], values = get(trace), i = query.value;
    picture.frame(`“${ex.tokens[i]}”, step ${at} of ${stages.length - 1}: ${caption}`, (p) => {
      p.text('caption', `“${ex.tokens[i]}”: ${caption}`, { class: 'label', x: 40, y: 22 });
      p.vector('row', values, { x: 40, top: 40, height: 140, step: Math.min(64, 460 / n), labels: ex.tokens,
        cls: (j) => (mask[i][j] ? (at >= 3 ? 'new' : '') : 'shrunk'), title: (j) => `${key}(${ex.tokens[i]}, ${ex.tokens[j]}) = ${fmt(values[j])}` });
    });
  };
  const rowSteps = stepper({ name: 'mask-row', count: () => stages.length - 1, onstep: (at) => trace && drawRow(at) });
  const showRow = () => {
    const r = widget.call('row', ex.X, ex.W_q, ex.W_k, ex.W_v, mask, query.value, big.checked);
    if (!r) return;
    trace = r;
    rowSteps.go(rowSteps.at);
  };

  const compose = () => {
    const r = widget.call('compose', n, causal.checked, valid.value);
    if (!r) return;
    mask = r.value;
    update();
  };

  const drawMask = () => {
    maskGrid.style.setProperty('--cols', n);
    maskGrid.replaceChildren(el('span', {}), ...ex.tokens.map((t) => el('span', { class: 'col-label' }, t)),
      ...mask.flatMap((row, i) => [el('span', { class: 'row-label' }, ex.tokens[i]),
        ...row.map((v, j) => el('button', { type: 'button', class: v ? 'mask-cell on' : 'mask-cell off',
          'data-row': i, 'data-col': j, 'aria-pressed': String(v === 1),
          'aria-label': `${ex.tokens[i]} may ${v ? '' : 'not '}see ${ex.tokens[j]}`,
          onclick: () => { mask[i][j] = 1 - mask[i][j]; update(); } }, v ? '✓' : ''))]));
  };

  const update = () => {
    drawMask();
    const r = widget.call('run', ex.X, ex.W_q, ex.W_k, ex.W_v, mask, big.checked);
    if (!r) return;
    // With −1e9 the blocked scores are finite numbers the softmax takes in: explained as they are.
    const allowed = big.checked ? mask.map((row) => row.map(() => 1)) : mask;
    weights.show(r.P, ex.tokens, ex.tokens, { maxAbs: 1, digits: 2, explain: explainWeight({ S: r.S, mask: allowed, rows: ex.tokens, cols: ex.tokens }) });
    // hatch what the mask blocks, so zero-by-mask and zero-by-score look different
    for (const cell of weights.node.querySelectorAll('.heat-cell'))
      cell.classList.toggle('blocked', mask[cell.dataset.row][cell.dataset.col] === 0);
    out.show(r.O);
    const starved = mask.map((row, i) => (row.every((v) => v === 0) ? ex.tokens[i] : null)).filter(Boolean);
    note.textContent = starved.length
      ? `Fully masked: ${starved.join(', ')}. ${big.checked
        ? 'With −1e9 those rows average every value, future and padding included.'
        : 'With −∞ their weights are all 0 and their output is 0.'}`
      : 'Every query can see at least one key.';
    note.classList.toggle('warn', starved.length > 0 && big.checked);
    showRow();
    prove();
  };

  const prove = () => {
    const r = widget.call('future', ex.X, ex.W_q, ex.W_k, ex.W_v, mask, position.value);
    if (!r) return;
    const i = position.value;
    proof.show([
      { name: 'upto', label: `max |ΔO| at positions 0..${i}`, value: r.upto,
        note: r.upto === 0 ? 'exactly 0: the past did not see the change' : 'the past saw the future!', bad: r.upto !== 0 },
      i + 1 < n ? { name: 'after', label: `max |ΔO| at positions ${i + 1}..${n - 1}`, value: r.after, note: 'these may change' }
        : { name: 'after', label: 'positions after it', value: 'none', note: `position ${i} is the last: nothing comes after it` },
    ]);
  };

  const causal = toggle({ name: 'causal', label: 'causal (no looking ahead)', checked: true, onchange: compose });
  const valid = slider({ name: 'valid', label: 'real tokens', min: 0, max: n, step: 1, value: ex.valid, format: String, oninput: compose });
  const big = toggle({ name: 'big', label: 'fill with −1e9 instead of −∞', checked: false, onchange: update });
  const position = slider({ name: 'position', label: 'position i', min: 0, max: n - 1, step: 1, value: 1,
    format: (v) => `${v} (“${ex.tokens[v]}”)`, oninput: prove });
  const query = slider({ name: 'query', label: 'query', min: 0, max: n - 1, step: 1, value: 2,
    format: (v) => `${v} (“${ex.tokens[v]}”)`, oninput: showRow });
  const note = el('p', { class: 'mask-note', 'aria-live': 'polite' });
  // The mask's cells are part of a shared link, after the toggles that compose it (links apply in order).
  register({ node: maskGrid, key: 'mask', get: () => mask.map((row) => [...row]),
    set: (v) => {
      if (!Array.isArray(v) || v.length !== n || v.some((row) => !Array.isArray(row) || row.length !== n || row.some((x) => x !== 0 && x !== 1)))
        throw new Error(`the mask must be ${n} rows of ${n} zeros and ones`);
      mask = v.map((row) => [...row]);
      update();
    } });

  widget.append(
    el('div', { class: 'controls' }, causal.node, valid.node, big.node),
    widget.banner.node,
    el('div', { class: 'stage heat-row' },
      el('figure', { class: 'mask-figure' }, maskGrid, el('figcaption', {}, 'mask: ✓ = may attend')),
      weights.node),
    note,
    el('div', { class: 'stage matrix-row' }, out.node),
    el('div', { class: 'stage' }, el('h4', {}, 'One query’s row, step by step'), el('div', { class: 'controls' }, query.node), rowSteps.node, picture.node),
    el('div', { class: 'stage' }, el('h4', {}, 'Proof: replace every token after position i'),
      el('div', { class: 'controls' }, position.node), proof.node));
  compose();
});
