// lessons/trained_model/page.js — lesson 17's widgets, all on the course's trained model.
//
// predict:  type a text; the next byte's ten most likely candidates as bars, and generated text
//           (greedy, or sampled at a temperature from the top k) with its speed per byte.
// heads:    bertviz's head view: the text twice, queries on the left and keys on the right, a line
//           from each query to the keys it attends to, as thick as the weight; point at a token to
//           see only its lines. Below it, the model view: every head of every layer as a small
//           map; pick one to see it above, and switch heads off to see what the model then predicts.
// copying:  a random string said twice; how surprised the model is by each byte, and each
//           head's induction score, with the best head switched off or on.
// Heads switched off are shared by all three widgets (the page's one `off` set).
import createLessonModule from './lesson.mjs';
import {
  el, fmt, BarChart, Scene, Stats, sequentialColor, slider, chips, textField, toggle, mountWidget, withCourseModel,
} from '../../web/js/widgets.js';

const load = withCourseModel(createLessonModule);
const off = new Set();            // heads switched off, as layer·heads + head
const listeners = [];             // widgets to redraw when `off` changes
const changed = () => listeners.forEach((f) => f());
const offList = () => [...off].sort((a, b) => a - b);

mountWidget('predict', load, (widget) => {
  const ex = widget.need('example');
  const bars = new BarChart({ name: 'next', label: 'The next byte: the ten most likely', height: 160 });
  const stats = new Stats({ name: 'predict' });
  const out = el('p', { class: 'generated', 'data-generated': '', 'aria-live': 'polite' });
  const input = textField({ name: 'text', label: 'text', value: ex.prompt, oninput: () => update() });
  const update = () => {
    const r = widget.call('predict', input.value, offList(), 10);
    if (!r) return;
    bars.show(r.top.map((c) => c.p), { max: r.top[0].p, labels: r.top.map((c) => c.byte) });  // to the likeliest
    bars.node.dataset.top = r.top.map((c) => c.code).join(',');
    stats.show([{ name: 'entropy', label: 'entropy', value: `${fmt(r.entropy, 3)} nats`, note: `ln 256 = ${fmt(Math.log(256), 3)}: knowing nothing` },
      { name: 'first', label: 'most likely', value: `“${r.top[0].byte}”`, note: `${fmt(100 * r.top[0].p, 3)} %` }]);
  };
  const count = slider({ name: 'count', label: 'bytes', min: 10, max: 400, step: 10, value: 80 });
  const temperature = slider({ name: 'temperature', label: 'temperature', min: 0, max: 2, step: 0.1, value: 0, format: (v) => (v === 0 ? '0 (greedy)' : String(v)) });
  const topk = slider({ name: 'topk', label: 'top-k', min: 0, max: 40, step: 1, value: 0, format: (v) => (v === 0 ? 'all' : String(v)) });
  const seed = slider({ name: 'seed', label: 'seed', min: 1, max: 20, step: 1, value: 1 });
  const go = el('button', { type: 'button', class: 'button-primary', 'data-action': 'write', onclick: () => {
    const t0 = performance.now();
    const r = widget.call('write', input.value, count.value, temperature.value, topk.value, seed.value);
    const ms = performance.now() - t0;
    if (!r) return;
    out.replaceChildren(el('span', { class: 'prompt' }, r.prompt), el('span', { class: 'continuation' }, r.text));
    out.dataset.generated = r.text;
    out.dataset.msPerByte = String(ms / count.value);
    speed.textContent = `${count.value} bytes in ${fmt(ms, 3)} ms: ${fmt(ms / count.value, 3)} ms a byte, through the KV cache`;
  } }, 'Write ▶');
  const speed = el('p', { class: 'run-status', 'data-speed': '' });
  widget.append(el('div', { class: 'controls' }, input.node),
    widget.banner.node, bars.node, stats.node,
    el('div', { class: 'controls' }, count.node, temperature.node, topk.node, seed.node, go), out, speed);
  listeners.push(update);
  update();
});

mountWidget('heads', load, (widget) => {
  const ex = widget.need('example');
  const info = widget.lesson.modelInfo;
  const picture = new Scene({ name: 'head-view', label: 'Head view: each query’s lines to the keys it attends to', width: 560, height: 420 });
  const grid = el('div', { class: 'model-view', role: 'group', 'aria-label': 'Model view: every head of every layer' });
  const stats = new Stats({ name: 'heads' });
  const input = textField({ name: 'text', label: 'text', value: 'the cat sat on the mat. the cat', oninput: () => update() });
  let layer = 0, head = 0, focus = -1, r = null;
  const layerChips = chips({ name: 'layer', label: 'layer', options: [...Array(info.layers).keys()].map((l) => [l, String(l + 1)]), value: 0,
    onpick: (v) => { layer = v; draw(); } });
  const headChips = chips({ name: 'head', label: 'head', options: [...Array(info.heads).keys()].map((h) => [h, String(h + 1)]), value: 0,
    onpick: (v) => { head = v; draw(); } });

  const update = () => {
    const got = widget.call('look', input.value, offList());
    if (!got) return;
    r = got;
    draw();
    thumbnails();
  };
  // The head view: tokens in two columns, a line from query i to key j as thick and as opaque as P(i, j).
  const draw = () => {
    if (!r) return;
    const A = r.maps[layer][head], n = r.tokens.length, row = Math.min(22, 380 / n), top = 30;
    const isOff = off.has(layer * info.heads + head);
    picture.frame(`layer ${layer + 1}, head ${head + 1}${focus >= 0 ? `, query ${focus}` : ''}`, (p) => {
      p.text('q-title', 'queries', { class: 'note', x: 90, y: 18, 'text-anchor': 'end' });
      p.text('k-title', 'keys', { class: 'note', x: 470, y: 18 });
      r.tokens.forEach((t, i) => {
        const y = top + i * row + row / 2 + 4;
        const q = p.text(`q-${i}`, t, { class: `label token${focus === i ? ' on' : ''}`, x: 90, y, 'text-anchor': 'end', 'data-query': i, tabindex: 0 });
        q.onmouseenter = q.onfocus = () => { focus = i; draw(); thumbnails(); };
        q.onmouseleave = q.onblur = () => { focus = -1; draw(); thumbnails(); };
        p.text(`k-${i}`, t, { class: 'label token', x: 470, y, 'data-key': i });
      });
      for (let i = 0; i < n; ++i) for (let j = 0; j <= i; ++j) {
        const w = A[i][j], shown = (focus < 0 || focus === i) && w >= (focus < 0 ? 0.05 : 0.01);
        const key = `line-${i}-${j}`;
        if (!shown) continue;
        p.put(key, 'line', { class: `attend${isOff ? ' off' : ''}`, x1: 100, y1: top + i * row + row / 2, x2: 460, y2: top + j * row + row / 2,
          'stroke-width': Math.max(0.5, 6 * w), 'stroke-opacity': Math.min(1, 0.15 + w), 'data-i': i, 'data-j': j },
        { value: w, title: `“${r.tokens[i]}” (${i}) → “${r.tokens[j]}” (${j}): ${fmt(w, 3)}`, layer: 'back' });
      }
    });
    picture.node.dataset.layer = layer;
    picture.node.dataset.head = head;
    const best = focus >= 0 ? A[focus].indexOf(Math.max(...A[focus])) : -1;
    stats.show([
      { name: 'head', label: 'head', value: `layer ${layer + 1}, head ${head + 1}`, note: isOff ? 'switched off: drawn, but its output is not used' : '' },
      { name: 'focus', label: 'query', value: focus >= 0 ? `${focus}: “${r.tokens[focus]}”` : 'point at one',
        note: focus >= 0 ? `looks most at ${best}: “${r.tokens[best]}” (${fmt(A[focus][best], 3)}); predicts “${r.predicted[focus]}” next` : '' },
    ]);
  };
  // The model view: every head as a small map, with a switch. While a query is pointed at in the
  // head view, each map shows that query's row alone: where every head looks from that token.
  const thumbnails = () => {
    grid.replaceChildren();
    grid.style.setProperty('--heads', info.heads);
    r.maps.forEach((layerMaps, l) => layerMaps.forEach((A, h) => {
      const k = l * info.heads + h, n = A.length, c = 64 / n;
      const cells = [];
      A.forEach((rowA, i) => rowA.forEach((w, j) => {
        if (j > i || (focus >= 0 && focus !== i)) return;
        const color = sequentialColor(w, 1);  // with its dark twin, as in every map (widgets.css: rect.themed)
        cells.push(`<rect class="themed" x="${(j * c).toFixed(2)}" y="${(i * c).toFixed(2)}" width="${c.toFixed(2)}" height="${c.toFixed(2)}" fill="${color.background}" style="--cell-bg-dark: ${color.dark.background}"/>`);
      }));
      const pick = el('button', { type: 'button', class: 'thumb', 'aria-pressed': String(l === layer && h === head),
        'aria-label': `layer ${l + 1}, head ${h + 1}: show it above`, 'data-thumb': k, onclick: () => {
          layer = l; head = h; layerChips.set(l); headChips.set(h); draw(); thumbnails();
        } });
      pick.innerHTML = `<svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">${cells.join('')}</svg>`;
      const sw = toggle({ name: `off-${k}`, label: 'off', checked: off.has(k), onchange: (v) => {
        if (v) off.add(k); else off.delete(k);
        changed();
      } });
      grid.append(el('div', { class: `thumb-cell${off.has(k) ? ' is-off' : ''}`, 'data-model-head': k },
        el('span', { class: 'thumb-title' }, `L${l + 1} H${h + 1}`), pick, sw.node));
    }));
  };
  widget.append(el('div', { class: 'controls' }, input.node),
    el('div', { class: 'controls' }, layerChips.node, headChips.node), widget.banner.node, picture.node, stats.node,
    el('h4', {}, 'Model view: every head of every layer (rows: layers). Pick one to show it above; switch heads off to see what changes.'), grid);
  void ex;
  listeners.push(update);
  update();
});

mountWidget('copying', load, (widget) => {
  const ex = widget.need('example');
  const picture = new Scene({ name: 'copying', label: 'How surprised the model is by each byte of a random string said twice', width: 660, height: 250 });
  const scores = new Scene({ name: 'scores', label: 'Each head’s induction score', width: 660, height: 150 });
  const stats = new Stats({ name: 'copying' });
  const period = slider({ name: 'period', label: 'period', min: 8, max: 64, step: 1, value: ex.period, oninput: () => update() });
  const seed = slider({ name: 'cseed', label: 'seed', min: 1, max: 50, step: 1, value: ex.seed, oninput: () => update() });
  const update = () => {
    const L = period.value, length = 2 * L;
    const r = widget.call('induction', length, L, seed.value, offList());
    if (!r) return;
    const s = r.surprisal, n = s.length, step = 600 / n, scale = 180 / Math.max(Math.log(256), ...s);
    picture.frame(`period ${L}`, (p) => {
      p.put('axis', 'line', { class: 'axis', x1: 36, x2: 36 + n * step, y1: 210, y2: 210 }, { layer: 'back' });
      p.put('copy', 'line', { class: 'guide', x1: 36 + (L - 1) * step, x2: 36 + (L - 1) * step, y1: 20, y2: 215 }, { layer: 'back' });
      p.text('first', 'first time: a guess', { class: 'note', x: 40, y: 30 });
      p.text('again', 'the second time: copied', { class: 'note', x: 40 + L * step, y: 30 });
      p.bars('s', s, { x: 36, base: 210, step, width: Math.max(1, step * 0.8), scale, cls: (i) => (i >= L - 1 ? 'accent' : ''),
        title: (i) => `predicting “${r.test.text[i + 1]}” (byte ${i + 1}): ${fmt(s[i], 3)} nats` });
      p.text('ln26', 'ln 26', { class: 'note', x: 34, y: 210 - Math.log(26) * scale + 4, 'text-anchor': 'end' });
    });
    const all = r.test.scores.flat(), heads = r.test.scores[0].length;
    scores.frame('scores', (p) => {
      p.bars('score', all, { x: 40, base: 120, step: 600 / all.length, width: 600 / all.length * 0.7, scale: 100,
        cls: (k) => (k === r.best[0] * heads + r.best[1] ? 'accent' : ''),
        title: (k) => `layer ${Math.floor(k / heads) + 1}, head ${(k % heads) + 1}: ${fmt(all[k], 3)}` });
      all.forEach((v, k) => {
        const x = 40 + (k + 0.35) * (600 / all.length);
        p.text(`name-${k}`, `L${Math.floor(k / heads) + 1}H${(k % heads) + 1}`, { class: 'note', x, y: 140, 'text-anchor': 'middle' });
        p.text(`value-${k}`, fmt(v, 2), { class: 'note', x, y: 114 - 100 * v, 'text-anchor': 'middle' }, { value: v });
      });
    });
    stats.show([
      { name: 'first', label: 'first copy, nats a byte', value: r.test.first, note: `ln 26 = ${fmt(Math.log(26), 3)}` },
      { name: 'later', label: 'second copy, nats a byte', value: r.test.later },
      { name: 'best', label: 'best induction head', value: `layer ${r.best[0] + 1}, head ${r.best[1] + 1}`,
        note: `score ${fmt(r.test.scores[r.best[0]][r.best[1]], 3)}` },
    ]);
    if (chosen === null) best = r.best[0] * heads + r.best[1];
  };
  let best = 0, chosen = null;  // the best head now, and the one this switch turned off
  const bestOff = toggle({ name: 'bestoff', label: 'switch the best head off', checked: false, onchange: (v) => {
    if (v) off.add((chosen = best));
    else if (chosen !== null) off.delete(chosen), (chosen = null);
    changed();
  } });
  widget.append(el('div', { class: 'controls' }, period.node, seed.node, bestOff.node), widget.banner.node, picture.node, scores.node, stats.node);
  listeners.push(update);
  update();
});
