// lessons/tiled/page.js — lesson 09's widgets.
//
// tiles:    a step-through of the tiled loop over the score matrix (query blocks
//           down, key blocks across), drawn from the module's trace: the Q block
//           and the K/V block it meets, the tile's scores, the running m, ℓ and
//           O_i of the block's rows, skipped tiles hatched and never visited; and
//           a memory meter comparing the naive kernel's n² scores with one tile.
// orders:   the same tiles stepped in FlashAttention-2's order (query blocks
//           outside) and FlashAttention-1's (key blocks outside), side by side.
// sram:     FlashAttention's block sizes and main-memory traffic (Theorem 2) for
//           an on-chip memory the learner types: their L1, L2 or a GPU's SRAM.
// versions: naive, online, tiled and SIMD kernels run on the same input in this
//           tab; their outputs agree and their times differ.
import createLessonModule from './lesson.mjs';
import { el, svg, fmt, bytes, divergingColor, Scene, Stats, slider, stepper, toggle, mountWidget } from '../../web/js/widgets.js';


mountWidget('tiles', createLessonModule, (widget) => {
  const picture = new Scene({ name: 'tiles', label: 'The tiled loop over the score matrix', width: 660, height: 400 });
  picture.defs(svg('pattern', { id: 'hatch-tiles', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { width: 6, height: 6, class: 'hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' })));
  const stats = new Stats({ name: 'tiles' });
  const meter = el('div', { class: 'meter' });
  let tiles = [];

  const load = () => {
    const r = widget.call('schedule', n.value, 2 ** br.value, 2 ** bc.value, causal.checked);
    if (!r) return;
    tiles = r.tiles;
    const naive = r.naive_bytes, tiled = r.tiled_bytes;
    meter.replaceChildren(
      el('div', { class: 'meter-row' }, el('span', {}, 'naive: n² scores'),
        el('span', { class: 'meter-bar naive', style: { width: '100%' } }), el('strong', { 'data-value': String(naive), 'data-meter': 'naive' }, bytes(naive))),
      el('div', { class: 'meter-row' }, el('span', {}, 'tiled: one tile, m, l, O_i'),
        el('span', { class: 'meter-bar tiled', style: { width: `${Math.max(0.5, (100 * tiled) / naive)}%` } }),
        el('strong', { 'data-value': String(tiled), 'data-meter': 'tiled' }, bytes(tiled))));
    steps.go(0);
  };

  // The score matrix to scale (u pixels per token): Q's blocks down the left, K/V's across the top,
  // the current tile's scores in colour, and its rows' m, ℓ and O_i as bars on the right.
  const G = 300, gx = 60, gy = 56, px = 400;
  const draw = (at) => {
    const N = n.value, u = G / N, cur = tiles[at - 1];
    const st = cur ? widget.call('step', N, 2 ** br.value, 2 ** bc.value, causal.checked, at - 1) : null;
    const visited = tiles.slice(0, at).filter((t) => !t.skipped).length;
    picture.frame(cur ? `tile ${at} of ${tiles.length}: queries ${cur.q0}–${cur.q1 - 1}, keys ${cur.k0}–${cur.k1 - 1}${cur.skipped ? ', skipped' : ''}` : `${tiles.length} tiles, none visited`, (p) => {
      p.text('q-title', 'Q', { class: 'label', x: gx - 26, y: gy - 8, 'text-anchor': 'middle' });
      p.text('k-title', 'K, V', { class: 'label', x: gx - 8, y: gy - 30, 'text-anchor': 'end' });
      const qBlocks = [...new Map(tiles.map((t) => [t.q0, t])).values()], kBlocks = [...new Map(tiles.map((t) => [t.k0, t])).values()];
      qBlocks.forEach((t) => p.put(`qb-${t.q0}`, 'rect', { class: `band${cur && cur.q0 === t.q0 ? ' on' : ''}`, x: gx - 34, y: gy + t.q0 * u, width: 16, height: (t.q1 - t.q0) * u, 'data-q0': t.q0 }, { title: `Q rows ${t.q0}–${t.q1 - 1}` }));
      kBlocks.forEach((t) => p.put(`kb-${t.k0}`, 'rect', { class: `band${cur && cur.k0 === t.k0 ? ' on' : ''}`, x: gx + t.k0 * u, y: gy - 26, width: (t.k1 - t.k0) * u, height: 16, 'data-k0': t.k0 }, { title: `K, V rows ${t.k0}–${t.k1 - 1}` }));
      tiles.forEach((t, i) => p.put(`tile-${i}`, 'rect', {
        class: ['tile', t.skipped ? 'skipped' : t.masked ? 'masked' : 'full', i < at ? 'done' : '', i === at - 1 ? 'current' : ''].join(' '),
        x: gx + t.k0 * u, y: gy + t.q0 * u, width: (t.k1 - t.k0) * u, height: (t.q1 - t.q0) * u, 'data-tile': i,
      }, { title: `queries ${t.q0}–${t.q1 - 1}, keys ${t.k0}–${t.k1 - 1}${t.skipped ? ': skipped (future)' : ''}` }));
      // This tile's scores, S_ij = Q_i·K_jᵀ/√d (−∞ where the mask hides a key: left blank).
      const S = st && !cur.skipped ? st.rows.map((r) => r.s) : [];
      const top = Math.max(1e-9, ...S.flat().filter(Number.isFinite).map(Math.abs));
      p.cells('score', S, { x: gx + (cur?.k0 ?? 0) * u, y: gy + (cur?.q0 ?? 0) * u, size: u, gap: u > 4 ? 1 : 0, layer: 'front',
        fill: (v) => (Number.isFinite(v) ? divergingColor(v, top) : 'none'),
        title: (i, j) => `S(${cur.q0 + i}, ${cur.k0 + j}) = ${fmt(S[i][j])}` });
      // The running state of the block's rows: m, ℓ, and O_i (o, before the division by ℓ).
      const rows = st?.rows ?? [], h = Math.min(16, G / Math.max(1, rows.length)), cols = [['m', 'm', (r) => r.m], ['l', 'ℓ', (r) => r.l], ['o0', 'O_i[0]', (r) => r.o[0]], ['o1', 'O_i[1]', (r) => r.o[1]]];
      p.text('rows-title', cur ? `rows ${cur.q0}–${cur.q1 - 1} after this tile` : 'rows: not started', { class: 'note', x: px, y: gy - 30 });
      cols.forEach(([key, label, get], c) => {
        const values = rows.map(get), x = px + 20 + c * 62, peak = Math.max(1e-9, ...values.filter(Number.isFinite).map(Math.abs));
        p.text(`h-${key}`, label, { class: 'label', x: x + 25, y: gy - 8, 'text-anchor': 'middle' });
        p.put(`zero-${key}`, 'line', { class: 'axis', x1: x + 25, x2: x + 25, y1: gy, y2: gy + G }, { layer: 'back' });
        p.hbars(key, values, { x: x + 25, y: gy, step: h, height: Math.max(1, h - 1), scale: 25 / peak,
          cls: (k) => (values[k] < 0 ? 'neg' : ''), title: (k) => `row ${rows[k].row}: ${label} = ${fmt(values[k])}` });
      });
      p.text('legend', causal.checked ? 'hatched: skipped, every key in the future' : 'query blocks ↓, key blocks →', { class: 'note', x: gx, y: gy + G + 22 });
    });
    stats.show([
      { name: 'step', label: 'step', value: at, note: `of ${tiles.length} tiles` },
      { name: 'current', label: 'this tile', value: cur ? `Q rows ${cur.q0}–${cur.q1 - 1} × K rows ${cur.k0}–${cur.k1 - 1}` : '—',
        note: cur ? (cur.skipped ? 'skipped: every key is in the future' : cur.masked ? 'on the diagonal: partly masked' : 'computed: m, l and O_i updated') : '' },
      { name: 'computed', label: 'tiles computed so far', value: visited },
      { name: 'skipped', label: 'tiles skipped in all', value: tiles.filter((t) => t.skipped).length },
    ]);
  };

  const steps = stepper({ name: 'tiles', count: () => tiles.length, onstep: draw,
    extra: [['Next query block', 'row', (at) => {
      const q = tiles[at]?.q0;
      while (at < tiles.length && tiles[at].q0 === q) ++at;
      return at;
    }]] });
  const n = slider({ name: 'n', label: 'n', min: 8, max: 256, step: 1, value: 100, format: String, oninput: load });
  const br = slider({ name: 'Br', label: 'Br', min: 2, max: 6, step: 1, value: 4, format: (v) => String(2 ** v), oninput: load });
  const bc = slider({ name: 'Bc', label: 'Bc', min: 2, max: 6, step: 1, value: 4, format: (v) => String(2 ** v), oninput: load });
  const causal = toggle({ name: 'causal', label: 'causal', checked: true, onchange: load });

  widget.append(
    el('div', { class: 'controls' }, n.node, br.node, bc.node, causal.node),
    steps.node,
    widget.banner.node,
    picture.node,
    stats.node,
    el('div', { class: 'stage' }, el('h4', {}, 'Memory beyond Q, K, V and O (d = 64)'), meter));
  load();
});

mountWidget('versions', createLessonModule, (widget) => {
  const table = el('table', { class: 'build-up versions' });
  const n = slider({ name: 'vn', label: 'n', min: 8, max: 11, step: 1, value: 9, format: (v) => String(2 ** v) });
  const causal = toggle({ name: 'vcausal', label: 'causal', checked: false });
  const names = { naive: 'v1 naive', online: 'v2 online', tiled: 'v3 tiled', simd: 'v4 SIMD' };
  const rows = {};
  table.append(el('thead', {}, el('tr', {}, ['kernel', 'median ms', 'GFLOP/s', 'max |O − naive|', 'O[0][0..3]'].map((h) => el('th', {}, h)))),
    el('tbody', {}, Object.entries(names).map(([v, label]) => (rows[v] = el('tr', { 'data-version': v }, el('td', {}, label), el('td'), el('td'), el('td'), el('td'))))));

  const show = (v, r) => {
    const [, ms, gf, diff, o] = rows[v].children;
    ms.textContent = fmt(r.ms, 3);
    gf.textContent = fmt(r.gflops, 3);
    diff.textContent = fmt(r.max_diff, 2);
    diff.dataset.value = String(r.max_diff);
    o.textContent = r.O_first_rows[0].slice(0, 4).map((x) => fmt(x, 4)).join(', ');
    rows[v].dataset.first = JSON.stringify(r.O_first_rows);
    rows[v].dataset.last = JSON.stringify(r.O_last_row);
  };
  // The four kernels run in a Web Worker (widget.longRun): at n = 2048 the naive one alone takes a
  // while, and the page stays live, with a progress bar and Cancel.
  const run = widget.longRun({ label: 'Run all four', action: 'run-all', module: new URL('./lesson.mjs', import.meta.url) },
    async ({ say, work }) => {
      let isa = '';
      const kernels = Object.keys(names);
      for (const [k, v] of kernels.entries()) {
        say(`running ${names[v]}…`, k / kernels.length);
        const r = await work('run', v, 2 ** n.value, causal.checked, 3);
        show(v, r);
        isa = r.isa;
      }
      say(`done: the same input (n = ${2 ** n.value}, d = 64) through all four kernels; SIMD here is ${isa}.`, 1);
    });
  widget.append(
    el('div', { class: 'controls' }, n.node, causal.node), run.node, widget.banner.node, table);
});

// orders: the same tiles in FlashAttention-2's order and in FlashAttention-1's, stepped together.
mountWidget('orders', createLessonModule, (widget) => {
  const n = slider({ name: 'on', label: 'n', min: 8, max: 64, step: 4, value: 16, format: String, oninput: () => load() });
  const b = slider({ name: 'ob', label: 'Br = Bc', min: 2, max: 16, step: 2, value: 4, format: String, oninput: () => load() });
  const panes = {
    fa2: { title: 'FlashAttention-2: query blocks outside', grid: el('div', { class: 'tile-grid', role: 'img' }), note: el('p', { class: 'order-note' }) },
    fa1: { title: 'FlashAttention-1: key blocks outside', grid: el('div', { class: 'tile-grid', role: 'img' }), note: el('p', { class: 'order-note' }) },
  };
  let orders = { fa2: [], fa1: [] };
  const load = () => {
    const r = widget.call('loop_orders', n.value, b.value, b.value);
    if (!r) return;
    orders = r;
    steps.go(0);
  };
  const draw = (at) => {
    const blocks = Math.ceil(n.value / b.value);
    for (const [key, pane] of Object.entries(panes)) {
      const seq = orders[key];
      const index = new Map(seq.map((t, i) => [`${t.q0},${t.k0}`, i]));
      pane.grid.style.gridTemplateColumns = `repeat(${blocks}, 1fr)`;
      pane.grid.style.gridTemplateRows = `repeat(${blocks}, 1fr)`;
      pane.grid.setAttribute('aria-label', `${pane.title}: ${at} of ${seq.length} tiles visited`);
      // Drawn in grid order (query blocks down, key blocks across); shaded by when the loop visits them.
      const cells = [];
      for (let q = 0; q < blocks; ++q)
        for (let k = 0; k < blocks; ++k) {
          const i = index.get(`${q * b.value},${k * b.value}`);
          cells.push(el('span', {
            class: ['tile', 'full', i < at ? 'done' : '', i === at - 1 ? 'current' : ''].join(' '),
            'data-order': key, 'data-visit': i, title: `visit ${i + 1}: queries ${q * b.value}–…, keys ${k * b.value}–…`,
          }));
        }
      pane.grid.replaceChildren(...cells);
      const cur = seq[at - 1];
      const revisits = cur ? seq.slice(0, at).filter((t) => t.q0 === cur.q0).length : 0;
      pane.note.textContent = !cur ? 'not started'
        : key === 'fa2'
          ? `query block ${cur.q0 / b.value}, key block ${cur.k0 / b.value}: its O_i, m, ℓ stay on chip; O is written once, after its last key block`
          : `key block ${cur.k0 / b.value}, query block ${cur.q0 / b.value}: O_i, m, ℓ read from main memory and written back, renormalised (visit ${revisits} of ${blocks} for these rows)`;
      pane.note.dataset.visit = String(at);
    }
  };
  const steps = stepper({ name: 'orders', count: () => orders.fa2.length, onstep: draw });
  widget.append(
    el('div', { class: 'controls' }, n.node, b.node),
    steps.node,
    widget.banner.node,
    el('div', { class: 'orders' }, ...Object.values(panes).map((p) => el('figure', { class: 'tile-figure' },
      el('figcaption', {}, p.title), p.grid, p.note))));
  load();
});

// sram: FlashAttention's block sizes and main-memory traffic for an on-chip memory the learner types.
mountWidget('sram', createLessonModule, (widget) => {
  const stats = new Stats({ name: 'sram' });
  const kib = el('input', { type: 'number', name: 'kib', min: '1', step: '1', value: '192', 'aria-label': 'on-chip memory in KiB', oninput: () => show() });
  const N = slider({ name: 'sN', label: 'N', min: 9, max: 17, step: 1, value: 13, format: (v) => String(2 ** v), oninput: () => show() });
  const d = slider({ name: 'sd', label: 'd', min: 5, max: 8, step: 1, value: 6, format: (v) => String(2 ** v), oninput: () => show() });
  const presets = [['L1d 32 KiB', 32], ['L1d 48 KiB', 48], ['L2 1 MiB', 1024], ['L2 2 MiB', 2048], ['GPU SM L1+shared 192 KiB (A100)', 192], ['GPU SM L1+shared 256 KiB (H100)', 256]];
  const show = () => {
    const r = widget.call('sram', Number(kib.value), 2 ** N.value, 2 ** d.value);
    if (!r) return;
    stats.show([
      { name: 'M', label: 'M (floats)', value: r.M_floats },
      { name: 'Bc', label: 'B_c = ⌈M / 4d⌉', value: r.Bc },
      { name: 'Br', label: 'B_r = min(B_c, d)', value: r.Br },
      { name: 'standard', label: 'standard: N·d + N²', value: fmt(r.standard, 3), note: 'main-memory accesses (elements)' },
      { name: 'tiled', label: 'tiled: N²d² / M', value: fmt(r.tiled, 3), note: 'Theorem 2, constants dropped' },
      { name: 'ratio', label: 'standard / tiled', value: `${fmt(r.standard / r.tiled, 3)}×`,
        note: r.in_range ? '' : 'M > N·d: the tiles hold a whole input; counted as one pass, 4·N·d' },
    ]);
  };
  widget.append(
    el('div', { class: 'controls' }, el('label', { class: 'number-field' }, 'on-chip memory (KiB) ', kib), N.node, d.node),
    el('div', { class: 'toolbar' }, ...presets.map(([label, v]) => el('button', {
      type: 'button', class: 'chip', 'data-kib': String(v), onclick: () => { kib.value = String(v); show(); },
    }, label))),
    widget.banner.node, stats.node);
  show();
});
