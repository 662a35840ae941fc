// lessons/online_softmax/page.js — lesson 08's widget: the step debugger.
//
// Edit a row of scores; step through it one element at a time. The picture draws
// the module's trace: one bar per score read, exp(z_j − m) against the running
// max (every old bar shrinks when m grows), ℓ as those bars stacked, and the
// output o / ℓ as a marker at the weights' centre (each score's value is its
// position j). The table below gives the same state as numbers. At the end the
// online softmax is compared with the three-pass one. A cut slider splits the
// row in two and merges the halves' states.
import createLessonModule from './lesson.mjs';
import { el, fmt, MatrixEditor, BarChart, Scene, Stats, slider, stepper, mountWidget } from '../../web/js/widgets.js';

mountWidget('online-debugger', createLessonModule, (widget) => {
  const ex = widget.need('example');
  let t = null;  // the trace; steps.at is how many elements have been read
  const table = el('table', { class: 'build-up trace' });
  const state = new Stats({ name: 'state' });
  const bars = new BarChart({ name: 'p', label: 'the online softmax (bars) once every score is read' });
  const merged = new Stats({ name: 'merge' });
  const picture = new Scene({ name: 'online', label: 'The online softmax, one score at a time', width: 620, height: 290 });

  // Bars of exp(z_j − m) (at most 1: the maximum's own), ℓ as the same bars stacked, o / ℓ as a marker.
  const draw = (at) => {
    const n = t.steps.length, s = t.steps[at - 1];
    const step = Math.min(56, 440 / n), width = step * 0.7, x = 34, base = 210, scale = 150;
    const lmax = Math.max(...t.steps.map((u) => u.l));
    picture.frame(at ? `after ${at} of ${n} scores: m = ${fmt(s.m)}, ℓ = ${fmt(s.l)}` : `none of ${n} scores read`, (p) => {
      p.put('one', 'line', { class: 'guide', x1: x - 6, x2: x + n * step, y1: base - scale, y2: base - scale }, { layer: 'back' });
      p.text('one-label', 'exp(z − m) = 1 at the max', { class: 'note', x: x - 6, y: base - scale - 6 }, { layer: 'back' });
      p.put('axis', 'line', { class: 'axis', x1: x - 6, x2: x + n * step, y1: base, y2: base }, { layer: 'back' });
      p.text('v-name', 'v_j', { class: 'note', x: x - 10, y: base + 16, 'text-anchor': 'end' }, { layer: 'back' });
      t.steps.forEach((u, j) => {
        p.text(`z-${j}`, `z=${fmt(u.z, 3)}`, { class: j < at ? 'label' : 'label pending', x: x + j * step + width / 2, y: 26, 'text-anchor': 'middle' });
        p.text(`v-${j}`, String(j), { class: 'note', x: x + j * step + width / 2, y: base + 16, 'text-anchor': 'middle' });
      });
      const grew = at > 1 && s.rescale < 1;
      p.bars('term', s?.terms ?? [], { x, base, step, width, scale,
        cls: (j) => (j === at - 1 ? 'new' : grew ? 'shrunk' : 'old'),
        title: (j) => `exp(z_${j} − m) = exp(${fmt(t.steps[j].z)} − ${fmt(s.m)}) = ${fmt(s.terms[j])}` });
      // ℓ: the same terms, stacked, on a scale that fits the largest ℓ of the whole row.
      const lx = x + n * step + 40, lscale = scale / lmax;
      let top = base;
      (s?.terms ?? []).forEach((v, j) => {
        top -= v * lscale;
        p.put(`stack-${j}`, 'rect', { class: `bar ${j === at - 1 ? 'new' : grew ? 'shrunk' : 'old'}`, x: lx, y: top, width: 34, height: v * lscale, 'data-bars': 'stack', 'data-i': j }, { value: v });
      });
      p.text('l', at ? `ℓ = ${fmt(s.l, 5)}` : 'ℓ = 0', { class: 'label', x: lx + 17, y: Math.min(top, base) - 8, 'text-anchor': 'middle' }, { value: s?.l ?? 0 });
      p.text('m', at ? `m = ${fmt(s.m)}` : 'm = −∞', { class: 'label', x: lx + 17, y: base + 16, 'text-anchor': 'middle' }, { value: s?.m ?? -Infinity });
      p.text('o', at ? `o = ${fmt(s.o, 5)}` : 'o = 0', { class: 'label', x: lx + 17, y: base + 34, 'text-anchor': 'middle' }, { value: s?.o ?? 0 });
      if (grew) p.text('grew', `max grew: old terms × ${fmt(s.rescale, 3)}`, { class: 'note warn', x: x - 6, y: base + 72 });
      if (at) {
        const ox = x + s.out * step + width / 2;
        p.put('out', 'path', { class: 'marker', d: `M${ox},${base + 22} l-7,12 h14 z`, 'data-x': ox, 'data-step': step, 'data-x0': x + width / 2 }, { value: s.out });
        p.text('out-label', `o / ℓ = ${fmt(s.out, 4)}`, { class: 'label', x: ox, y: base + 48, 'text-anchor': 'middle' }, { value: s.out });
      }
    });
  };

  const update = (from = steps.at) => {
    const r = widget.call('trace', z.values[0]);
    if (!r) return;
    t = r;
    cut.node.querySelector('input').max = t.steps.length;
    steps.go(from);
  };

  const render = () => {
    const at = steps.at;
    draw(at);
    table.replaceChildren(
      el('thead', {}, el('tr', {}, ['j', 'z_j', 'm', 'l', 'rescale'].map((h) => el('th', {}, h)))),
      el('tbody', {}, t.steps.map((s, j) => el('tr', {
        class: j < at ? (s.rescale < 1 && j > 0 ? 'added grew' : 'added') : 'pending', 'data-step': j,
        ...(j === at - 1 ? { 'aria-current': 'step' } : {}),
      },
        el('td', {}, String(j)), el('td', {}, fmt(s.z)),
        el('td', { 'data-value': String(s.m) }, j < at ? fmt(s.m) : ''),
        el('td', { 'data-value': String(s.l) }, j < at ? fmt(s.l, 6) : ''),
        el('td', { 'data-value': String(s.rescale) }, j < at ? (j === 0 ? '— (start)' : s.rescale < 1 ? `${fmt(s.rescale, 4)} ← max grew` : '1') : '')))));
    const last = at > 0 ? t.steps[at - 1] : null;
    state.show([
      { name: 'read', label: 'scores read', value: at, note: `of ${t.steps.length}` },
      { name: 'm', label: 'm (running max)', value: last ? last.m : -Infinity },
      { name: 'l', label: 'l (running sum)', value: last ? last.l : 0 },
    ]);
    if (at === t.steps.length) {
      const diff = Math.max(...t.p.map((v, j) => Math.abs(v - t.p3[j])));
      bars.show(t.p, { max: 1 });
      state.show([
        { name: 'read', label: 'scores read', value: at, note: 'all: pass 2 writes p_j = exp(z_j − m)/l' },
        { name: 'm', label: 'm (running max)', value: last.m },
        { name: 'l', label: 'l (running sum)', value: last.l },
        { name: 'diff', label: 'max |online − 3-pass|', value: diff },
      ]);
    } else bars.show(t.p.map(() => 0), { max: 1 });
    const h = widget.call('halves', z.values[0], cut.value);
    if (h) merged.show([
      { name: 'left', label: `left (first ${cut.value})`, value: `m = ${fmt(h.left.m)}, l = ${fmt(h.left.l, 6)}` },
      { name: 'right', label: 'right (the rest)', value: `m = ${fmt(h.right.m)}, l = ${fmt(h.right.l, 6)}` },
      { name: 'merged_l', label: 'merged', value: h.merged.l, note: `m = ${fmt(h.merged.m)}; one pass: l = ${fmt(t.steps[t.steps.length - 1].l, 6)}` },
    ]);
  };

  const z = new MatrixEditor({ name: 'z', label: 'z · a row of scores', values: [ex.z], resizable: 'columns', onchange: () => update(0) });
  const steps = stepper({ name: 'online', count: () => t?.steps.length ?? 0, onstep: () => t && render() });
  const cut = slider({ name: 'cut', label: 'split after', min: 0, max: ex.z.length, step: 1, value: 4, format: String, oninput: () => render() });

  widget.append(
    el('div', { class: 'matrix-row' }, z.node),
    steps.node,
    widget.banner.node,
    picture.node,
    el('div', { class: 'split' }, table, el('div', {}, state.node, bars.node)),
    el('div', { class: 'stage' }, el('h4', {}, 'Split and merge'), el('div', { class: 'controls' }, cut.node), merged.node));
  update();
});
