// web/js/widgets.js — the widgets every lesson page builds from.
//
// Plain DOM, no framework: a matrix editor, a read-only matrix, a heatmap with a
// legend, an error banner. Numbers are never computed here: a lesson's page.js
// sends the editors' contents to its WebAssembly module and shows what comes
// back. Every element that shows a number also carries it, unrounded, in
// data-value, which is what the browser tests compare with the native build.

/** el('div', {class: 'x', onclick: f}, child, 'text', ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, v);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** 4 significant digits, no trailing zeros, never "-0": 2, -0.5, 0.3333, 1.235e+4 */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const s = abs >= 1e5 || abs < 1e-4 ? x.toExponential(digits - 1) : x.toPrecision(digits);
  return s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1').replace(/^-/, '−');
}

// What a cell must look like to be a number; anything else is marked, and the
// module's validation names it.
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const shapeText = (rows) => `(${rows.length}, ${rows[0]?.length ?? 0})`;

/**
 * An editable matrix. `values` is an array of rows of strings (what the learner
 * typed); `onchange(values)` fires on every edit. Rows and columns can be added
 * and removed when `resizable` is set, which is how a learner can (and should
 * be able to) make shapes disagree.
 */
export class MatrixEditor {
  constructor({ name, label, values, rowLabels = null, resizable = true, onchange }) {
    this.name = name;
    this.label = label ?? name;
    this.rowLabels = rowLabels;
    this.resizable = resizable;
    this.onchange = onchange;
    this.node = el('div', { class: 'matrix-card editor', 'data-matrix': name });
    this.set(values);
  }

  set(values) {
    this.values = values.map((row) => row.map((v) => String(v)));
    this.render();
  }

  changed() {
    this.render();
    this.onchange?.(this.values);
  }

  resize(dRows, dCols) {
    const rows = this.values.length, cols = this.values[0].length;
    if (rows + dRows < 1 || cols + dCols < 1 || rows + dRows > 12 || cols + dCols > 12) return;
    if (dRows > 0) this.values.push(Array(cols).fill('0'));
    if (dRows < 0) this.values.pop();
    if (dCols > 0) this.values.forEach((r) => r.push('0'));
    if (dCols < 0) this.values.forEach((r) => r.pop());
    this.changed();
  }

  render() {
    const rows = this.values.length, cols = this.values[0].length;
    const grid = el('div', { class: 'matrix-grid', style: { '--cols': cols }, role: 'group', 'aria-label': `${this.label} entries` });
    this.values.forEach((row, i) => {
      if (this.rowLabels) grid.append(el('span', { class: 'row-label' }, this.rowLabels(i)));
      row.forEach((v, j) => {
        const input = el('input', {
          type: 'text', inputmode: 'decimal', value: v, spellcheck: 'false', autocomplete: 'off',
          'aria-label': `${this.label} row ${i + 1} column ${j + 1}`,
          'data-row': i, 'data-col': j,
          class: NUMBER.test(v) ? '' : 'invalid',
          oninput: (e) => {
            this.values[i][j] = e.target.value;
            e.target.classList.toggle('invalid', !NUMBER.test(e.target.value));
            this.onchange?.(this.values);
          },
        });
        grid.append(input);
      });
    });
    if (this.rowLabels) grid.classList.add('labelled');
    const button = (text, title, d) =>
      el('button', { type: 'button', class: 'mini', title, 'aria-label': `${title} (${this.label})`, onclick: () => this.resize(...d) }, text);
    this.node.replaceChildren(
      el('div', { class: 'matrix-head' },
        el('span', { class: 'matrix-name' }, this.label),
        el('span', { class: 'shape', 'data-shape': shapeText(this.values) }, shapeText(this.values))),
      grid,
      this.resizable
        ? el('div', { class: 'resize' },
            el('span', {}, 'rows'), button('−', 'Remove a row', [-1, 0]), button('+', 'Add a row', [1, 0]),
            el('span', {}, 'cols'), button('−', 'Remove a column', [0, -1]), button('+', 'Add a column', [0, 1]))
        : null,
    );
    this.node.dataset.rows = rows;
    this.node.dataset.cols = cols;
  }
}

/** A read-only matrix with its name and shape; rows can be highlighted. */
export class MatrixView {
  constructor({ name, label, caption = '', rowLabels = null }) {
    this.name = name;
    this.label = label ?? name;
    this.caption = caption;
    this.rowLabels = rowLabels;
    this.node = el('figure', { class: 'matrix-card view', 'data-matrix': name });
  }

  show(rows, highlightRow = -1) {
    this.rows = rows;
    const cols = rows[0].length;
    const grid = el('div', { class: 'matrix-grid', style: { '--cols': cols } });
    rows.forEach((row, i) => {
      if (this.rowLabels) grid.append(el('span', { class: 'row-label' + (i === highlightRow ? ' hl' : '') }, this.rowLabels(i)));
      row.forEach((v, j) =>
        grid.append(el('span', { class: 'cell' + (i === highlightRow ? ' hl' : ''), 'data-row': i, 'data-col': j, 'data-value': String(v) }, fmt(v))));
    });
    if (this.rowLabels) grid.classList.add('labelled');
    this.node.replaceChildren(
      el('div', { class: 'matrix-head' },
        el('span', { class: 'matrix-name' }, this.label),
        el('span', { class: 'shape', 'data-shape': shapeText(rows) }, shapeText(rows))),
      grid,
      this.caption ? el('figcaption', {}, this.caption) : null,
    );
  }

  highlight(row) {
    if (this.rows) this.show(this.rows, row);
  }

  clear() {
    this.rows = null;
    this.node.replaceChildren(el('div', { class: 'matrix-head' }, el('span', { class: 'matrix-name' }, this.label)),
      el('p', { class: 'empty' }, '—'));
  }
}

// A diverging colour scale for signed values (blue below zero, orange above),
// from ColorBrewer's colour-blind-safe PuOr/RdBu family, symmetric about 0.
const NEG = [33, 102, 172], MID = [247, 247, 247], POS = [224, 130, 20];
export function divergingColor(value, maxAbs) {
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, value / maxAbs)) : 0;
  const [a, b] = t < 0 ? [MID, NEG] : [MID, POS];
  const u = Math.abs(t);
  const c = a.map((x, k) => Math.round(x + (b[k] - x) * u));
  return { background: `rgb(${c.join(',')})`, ink: u > 0.55 ? '#fff' : '#1d2330' };
}

/**
 * A heatmap of a matrix with row and column labels and a legend. Cells are
 * focusable; hovering or focusing one calls onfocus(i, j), leaving calls it
 * with (-1, -1).
 */
export class Heatmap {
  constructor({ name, label, rowTitle = 'row', colTitle = 'column', onfocus }) {
    this.name = name;
    this.label = label ?? name;
    this.rowTitle = rowTitle;
    this.colTitle = colTitle;
    this.onfocus = onfocus;
    this.node = el('figure', { class: 'heatmap', 'data-heatmap': name });
  }

  show(rows, rowLabels, colLabels) {
    const n = rows.length, m = rows[0].length;
    const maxAbs = Math.max(...rows.flat().map(Math.abs));
    const grid = el('div', { class: 'heat-grid', style: { '--cols': m }, role: 'group', 'aria-label': this.label });
    grid.append(el('span', { class: 'corner' }, el('span', {}, `${this.rowTitle} ↓ ${this.colTitle} →`)));
    for (let j = 0; j < m; ++j) grid.append(el('span', { class: 'col-label' }, colLabels[j]));
    rows.forEach((row, i) => {
      grid.append(el('span', { class: 'row-label' }, rowLabels[i]));
      row.forEach((v, j) => {
        const { background, ink } = divergingColor(v, maxAbs);
        grid.append(el('button', {
          type: 'button', class: 'heat-cell', style: { background, color: ink },
          'data-row': i, 'data-col': j, 'data-value': String(v),
          'aria-label': `${rowLabels[i]}, ${colLabels[j]}: ${fmt(v)}`,
          onmouseenter: () => this.onfocus?.(i, j), onfocus: () => this.onfocus?.(i, j),
          onmouseleave: () => this.onfocus?.(-1, -1), onblur: () => this.onfocus?.(-1, -1),
        }, fmt(v, 3)));
      });
    });
    const stops = [-1, -0.5, 0, 0.5, 1].map((t) => divergingColor(t, 1).background).join(',');
    const legend = el('div', { class: 'legend', 'aria-hidden': 'true' },
      el('span', {}, fmt(-maxAbs)), el('span', { class: 'legend-bar', style: { background: `linear-gradient(90deg,${stops})` } }),
      el('span', {}, fmt(maxAbs)));
    this.node.replaceChildren(grid, legend);
  }

  mark(i, j) {
    for (const cell of this.node.querySelectorAll('.heat-cell'))
      cell.classList.toggle('marked', +cell.dataset.row === i && +cell.dataset.col === j);
  }
}

/** A message box that shows errors from the module; the page keeps working. */
export class ErrorBanner {
  constructor() {
    this.node = el('div', { class: 'error-banner', role: 'alert', hidden: true });
  }
  show(message) {
    this.node.replaceChildren(el('strong', {}, 'That input does not work: '), el('span', { class: 'error-text' }, message));
    this.node.hidden = false;
  }
  clear() {
    this.node.hidden = true;
    this.node.replaceChildren();
  }
}

/**
 * Loads a lesson's module and mounts `build(module, section)` into the
 * <section data-widget=name>. A module that fails to load leaves a message in
 * the section instead of a blank space.
 */
export async function mountWidget(name, loadModule, build) {
  const section = document.querySelector(`[data-widget="${name}"]`);
  if (!section) throw new Error(`this page has no <section data-widget="${name}">`);
  try {
    const module = await loadModule();
    section.replaceChildren();
    build(module, section);
    section.dataset.ready = 'true';
  } catch (e) {
    section.replaceChildren(el('p', { class: 'error-banner', role: 'alert' },
      `This widget could not start: ${e?.message ?? e}. The lesson text still works; try reloading.`));
    throw e;
  }
}
