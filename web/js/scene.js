// web/js/scene.js — animated figures: SVG shapes laid out from the library's state at one step.
//
//   const scene = new Scene({ name: 'online', label: 'The online softmax, one score at a time', width: 560, height: 260 });
//   scene.frame('after 3 of 8 scores', (s) => {
//     s.bars('term', t.terms, { x: 40, base: 200, step: 50, width: 36, scale: 150 });
//     s.text('l', 'ℓ = 1.14', { x: 480, y: 40 }, { value: t.l });
//   });
//
// A frame draws the state of one step: every shape is put under a key, so a shape that exists in
// the step before is moved, not redrawn, and CSS eases it to its new size and place (the old terms
// of the online softmax shrink in front of the learner). With prefers-reduced-motion the shapes
// jump instead (widgets.css). Every shape that stands for a number carries it in data-value, and a
// group of bars its scale (pixels per unit) and baseline, so a browser test can check that step N
// is drawn from the trace's state N. The numbers come from the library; this file only places them.
import { el, fmt, svg } from './dom.js';
import { exportMenu, standaloneSVG } from './export.js';

export class Scene {
  constructor({ name, label, width, height, layers = ['back', 'main', 'front'] }) {
    Object.assign(this, { name, label });
    this.svg = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'scene-svg' });
    this.layers = Object.fromEntries(layers.map((l) => [l, svg('g', { 'data-layer': l })]));
    this.svg.append(...Object.values(this.layers));
    this.shapes = new Map();
    this.node = el('figure', { class: 'scene', 'data-scene': name }, this.svg,
      el('figcaption', {}, label, exportMenu(name, { svg: () => standaloneSVG(this.svg) })));
  }

  /** Patterns and gradients the shapes refer to by id (ids are page-wide: prefix them with the name). */
  defs(...nodes) {
    this.svg.prepend(svg('defs', {}, ...nodes));
  }

  /** Draws one step: `draw(scene)` puts every shape the step has; shapes it does not put go. */
  frame(description, draw) {
    this.seen = new Set();
    draw(this);
    for (const [key, node] of this.shapes) if (!this.seen.has(key)) node.remove(), this.shapes.delete(key);
    this.svg.setAttribute('aria-label', `${this.label}: ${description}`);
    this.node.dataset.step = description;
  }

  /** The shape under `key`, made the first time, with these attributes (undefined removes one). */
  put(key, tag, attrs, { text, layer = 'main', value, title } = {}) {
    let node = this.shapes.get(key);
    if (!node || node.tagName !== tag) {
      node?.remove();
      node = svg(tag, { 'data-key': key });
      this.layers[layer].append(node);
      this.shapes.set(key, node);
    }
    // Only what changed is written: a frame of thousands of shapes (lesson 09's tiles) mostly repeats the last.
    const set = (k, v) => { if (node.getAttribute(k) !== v) node.setAttribute(k, v); };
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) node.removeAttribute(k);
      else set(k, v === true ? '' : String(v));
    }
    if (value !== undefined) set('data-value', String(value));
    if (text !== undefined && node.firstChild?.nodeValue !== text) node.textContent = text;
    if (title !== undefined) {
      const t = node.querySelector('title') ?? node.appendChild(svg('title'));
      if (t.textContent !== title) t.textContent = title;
    }
    this.seen.add(key);
    return node;
  }

  text(key, text, attrs, options = {}) {
    return this.put(key, 'text', attrs, { ...options, text });
  }

  /**
   * One bar per value, upwards from `base` (downwards when negative), `scale` pixels per unit,
   * bar k at x + k·step. Keys are `${key}-${k}`; `cls(k)` adds classes, `title(k)` a tooltip.
   */
  bars(key, values, { x, base, step, width, scale, cls = () => '', title, layer }) {
    values.forEach((v, k) => {
      const h = Number.isFinite(v) ? Math.abs(v) * scale : 0;
      this.put(`${key}-${k}`, 'rect', {
        class: `bar ${cls(k)}`.trim(), x: x + k * step, y: v >= 0 ? base - h : base, width, height: h,
        'data-bars': key, 'data-i': k, 'data-scale': scale, 'data-base': base,
      }, { value: v, layer, title: title?.(k) });
    });
  }

  /**
   * A vector as bars on a zero line, scaled to fit `height` (its finite values and 0), each value
   * written below its bar, −∞ drawn as a mark under the line: one row of numbers at one step.
   */
  vector(key, values, { x, top, height, step, labels = [], cls = () => '', title }) {
    const width = step * 0.7, finite = values.filter(Number.isFinite);
    const lo = Math.min(0, ...finite), hi = Math.max(0, ...finite), scale = height / Math.max(1e-9, hi - lo), base = top + hi * scale;
    this.put(`${key}-zero`, 'line', { class: 'axis', x1: x - 6, x2: x + values.length * step, y1: base, y2: base }, { layer: 'back' });
    this.text(`${key}-zero-label`, '0', { class: 'note', x: x - 10, y: base + 4, 'text-anchor': 'end' }, { layer: 'back' });
    this.bars(key, values, { x, base, step, width, scale, title, cls: (j) => `${values[j] < 0 ? 'neg' : ''} ${cls(j)}`.trim() });
    values.forEach((v, j) => {
      const cx = x + j * step + width / 2;
      this.text(`${key}-value-${j}`, fmt(v, 3), { class: v === -Infinity ? 'note warn' : 'note', x: cx, y: top + height + 36, 'text-anchor': 'middle' }, { value: v });
      if (labels[j] !== undefined) this.text(`${key}-name-${j}`, labels[j], { class: 'label', x: cx, y: top + height + 54, 'text-anchor': 'middle' });
      if (v === -Infinity) this.text(`${key}-inf-${j}`, '▼', { class: 'note warn', x: cx, y: base + 16, 'text-anchor': 'middle' });
    });
    return { base, scale };
  }

  /** Horizontal bars: bar k from x to the right (left when negative) at y + k·step. */
  hbars(key, values, { x, y, step, height, scale, cls = () => '', title, layer }) {
    values.forEach((v, k) => {
      const w = Number.isFinite(v) ? Math.abs(v) * scale : 0;
      this.put(`${key}-${k}`, 'rect', {
        class: `bar ${cls(k)}`.trim(), x: v >= 0 ? x : x - w, y: y + k * step, width: w, height,
        'data-bars': key, 'data-i': k, 'data-scale': scale, 'data-base': x,
      }, { value: v, layer, title: title?.(k) });
    });
  }

  /**
   * A matrix as coloured squares: cell (i, j) at (x + j·size, y + i·size), filled by `fill(v, i, j)`
   * (a colour, or { background, ink } as divergingColor gives), with `label(v, i, j)` written in it.
   */
  cells(key, M, { x, y, size, gap = 1, fill, cls = () => '', title, label, layer }) {
    M.forEach((row, i) => row.forEach((v, j) => {
      const f = fill?.(v, i, j), paint = typeof f === 'object' ? f : null, bg = paint ? f.background : f;
      // A palette colour (plot.js) carries its dark-theme twin, which widgets.css swaps in.
      const themed = paint?.dark ? 'themed' : '';
      this.put(`${key}-${i}-${j}`, 'rect', {
        class: `cell ${cls(i, j)} ${themed}`.trim(), x: x + j * size, y: y + i * size, width: Math.max(0.5, size - gap),
        height: Math.max(0.5, size - gap), fill: bg, style: themed && `--cell-bg-dark: ${paint.dark.background}`,
        'data-cells': key, 'data-i': i, 'data-j': j,
      }, { value: v, layer, title: title?.(i, j) });
      const text = label?.(v, i, j);
      if (text) this.text(`${key}-${i}-${j}-label`, text, { class: `cell-label ${themed}`.trim(), x: x + (j + 0.5) * size - gap / 2, y: y + (i + 0.5) * size + 4,
        'text-anchor': 'middle', fill: paint?.ink, style: themed && `--cell-ink-dark: ${paint.dark.ink}` }, { layer: 'front' });
    }));
  }
}
