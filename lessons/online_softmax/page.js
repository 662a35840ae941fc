// lessons/online_softmax/page.js — lesson 07's widget: the step debugger.
//
// Edit a row of scores; step through it one element at a time. The table shows
// z_j, the running max m, the running sum l and the rescale factor applied to
// the old sum, all from the module's trace. At the end the online softmax is
// compared with the three-pass one. A cut slider splits the row in two and
// merges the halves' states.
import createLessonModule from './lesson.mjs';
import { el, fmt, MatrixEditor, BarChart, Stats, slider, stepper, mountWidget } from '../../web/js/widgets.js';

mountWidget('online-debugger', createLessonModule, (widget) => {
  const ex = widget.need('example');
  let t = null;  // the trace; steps.at is how many elements have been read
  const table = el('table', { class: 'build-up trace' });
  const state = new Stats({ name: 'state' });
  const bars = new BarChart({ name: 'p', label: 'the online softmax (bars) once every score is read' });
  const merged = new Stats({ name: 'merge' });

  const update = (from = steps.at) => {
    const r = widget.call('trace', z.values[0]);
    if (!r) return;
    t = r;
    cut.node.querySelector('input').max = t.steps.length;
    steps.go(from);
  };

  const render = () => {
    const at = steps.at;
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

  const z = new MatrixEditor({ name: 'z', label: 'z · a row of scores', values: [ex.z], onchange: () => update(0) });
  const steps = stepper({ name: 'online', count: () => t?.steps.length ?? 0, onstep: () => t && render() });
  const cut = slider({ name: 'cut', label: 'split after', min: 0, max: ex.z.length, step: 1, value: 4, format: String, oninput: () => render() });

  widget.append(
    el('div', { class: 'matrix-row' }, z.node),
    steps.node,
    widget.banner.node,
    el('div', { class: 'split' }, table, el('div', {}, state.node, bars.node)),
    el('div', { class: 'stage' }, el('h4', {}, 'Split and merge'), el('div', { class: 'controls' }, cut.node), merged.node));
  update();
});
