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

// ---------------------------------------------------------------------------
// Page state for shareable links (assets/js/site.js puts it in the URL): every
// editor, slider and toggle registers how to read and restore itself. Keys are
// "<widget>.<name>", the widget being the <section data-widget> it sits in.
export const stateful = new Set();

function register(component) {
  stateful.add(component);
  return component;
}

/** {"widget.name": value} for every registered control on the page. */
export function captureState() {
  const state = {};
  for (const c of stateful) {
    const widget = c.node.isConnected && c.node.closest('[data-widget]');
    if (widget) state[`${widget.dataset.widget}.${c.key}`] = c.get();
  }
  return state;
}

/** Restores what captureState() returned; unknown keys and bad values are skipped. Returns how many applied. */
export function applyState(state) {
  let applied = 0;
  for (const c of stateful) {
    const widget = c.node.isConnected && c.node.closest('[data-widget]');
    const key = widget && `${widget.dataset.widget}.${c.key}`;
    if (!key || !(key in state)) continue;
    try {
      c.set(state[key]);
      applied++;
    } catch { /* a link from an older page: leave that control as it is */ }
  }
  return applied;
}

// ---------------------------------------------------------------------------
// Export: any figure as SVG or PNG, any matrix as CSV, as files the browser saves.
export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function toCSV(rows, header = null) {
  const cell = (v) => (typeof v === 'number' ? String(v) : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return [...(header ? [header] : []), ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** An SVG element as a standalone file: the computed paint of each element inlined. */
export function standaloneSVG(svgNode) {
  const clone = svgNode.cloneNode(true);
  const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight', 'opacity', 'text-anchor'];
  const src = [svgNode, ...svgNode.querySelectorAll('*')], dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((node, k) => {
    const cs = getComputedStyle(node);
    dst[k].setAttribute('style', props.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svgNode.viewBox?.baseVal;
  if (box?.width) {
    clone.setAttribute('width', box.width);
    clone.setAttribute('height', box.height);
  }
  return new XMLSerializer().serializeToString(clone);
}

/** An SVG document (text) drawn at `scale` onto a canvas, as a PNG blob. */
export function svgToPNG(svgText, scale = 2) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const canvas = el('canvas', { width: Math.ceil(img.width * scale), height: Math.ceil(img.height * scale) });
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the SVG could not be drawn'));
    img.src = url;
  });
}

/** A small "Export" menu: SVG and PNG when `svg()` is given, CSV when `csv()` is. */
export function exportMenu(name, { svg = null, csv = null }) {
  const file = (ext) => `${document.body.dataset.lesson ? `lesson${document.body.dataset.lesson}-` : ''}${name}.${ext}`;
  const buttons = [];
  if (svg) {
    buttons.push(el('button', { type: 'button', class: 'mini', 'data-export': 'svg',
      onclick: () => download(file('svg'), new Blob([svg()], { type: 'image/svg+xml' })) }, 'SVG'));
    buttons.push(el('button', { type: 'button', class: 'mini', 'data-export': 'png',
      onclick: async () => download(file('png'), await svgToPNG(svg())) }, 'PNG'));
  }
  if (csv) buttons.push(el('button', { type: 'button', class: 'mini', 'data-export': 'csv',
    onclick: () => download(file('csv'), new Blob([csv()], { type: 'text/csv' })) }, 'CSV'));
  return el('div', { class: 'export', role: 'group', 'aria-label': `Export ${name}` },
    el('span', { class: 'export-label', 'aria-hidden': 'true' }, 'Export'), buttons);
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
    register({ node: this.node, key: name, get: () => this.values.map((r) => [...r]),
      set: (v) => {
        if (!Array.isArray(v) || !v.length || !v.every((r) => Array.isArray(r) && r.length === v[0].length && r.length <= 12) || v.length > 12)
          throw new Error('not a matrix');
        this.set(v);
        this.onchange?.(this.values);
      } });
  }

  set(values) {
    // Numbers from the module are float32 widened to double (0.1 arrives as
    // 0.10000000149011612): show them with float32's 7 significant digits.
    this.values = values.map((row) => row.map((v) => (typeof v === 'number' ? String(Number(v.toPrecision(7))) : String(v))));
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
      ...(!this.resizable ? [] : [el('div', { class: 'resize' },
            el('span', {}, 'rows'), button('−', 'Remove a row', [-1, 0]), button('+', 'Add a row', [1, 0]),
            el('span', {}, 'cols'), button('−', 'Remove a column', [0, -1]), button('+', 'Add a column', [0, 1]))]),
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
        el('span', { class: 'shape', 'data-shape': shapeText(rows) }, shapeText(rows)),
        exportMenu(this.name, { csv: () => toCSV(this.rows) })),
      grid,
      ...(this.caption ? [el('figcaption', {}, this.caption)] : []),
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
  // The ink with the better contrast (WCAG relative luminance): dark on light cells, white on dark ones.
  const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const L = 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  return { background: `rgb(${c.join(',')})`, ink: L > 0.179 ? '#000' : '#fff' };
}

/**
 * A heatmap of a matrix with row and column labels and a legend. Cells are
 * focusable; hovering or focusing one calls onfocus(i, j), leaving calls it
 * with (-1, -1).
 */
export class Heatmap {
  constructor({ name, label, rowTitle = 'row', colTitle = 'column', onfocus, onselect }) {
    this.onselect = onselect;
    this.name = name;
    this.label = label ?? name;
    this.rowTitle = rowTitle;
    this.colTitle = colTitle;
    this.onfocus = onfocus;
    this.node = el('figure', { class: 'heatmap', 'data-heatmap': name });
  }

  show(rows, rowLabels, colLabels, { maxAbs = null, digits = 3 } = {}) {
    const m = rows[0].length;
    maxAbs ??= Math.max(0, ...rows.flat().filter(Number.isFinite).map(Math.abs));
    const grid = el('div', { class: 'heat-grid', style: { '--cols': m }, role: 'group', 'aria-label': this.label });
    grid.append(el('span', { class: 'corner' }, el('span', {}, `${this.rowTitle} ↓ ${this.colTitle} →`)));
    for (let j = 0; j < m; ++j) grid.append(el('span', { class: 'col-label' }, colLabels[j]));
    rows.forEach((row, i) => {
      grid.append(el('span', { class: 'row-label' }, rowLabels[i]));
      row.forEach((v, j) => {
        const { background, ink } = divergingColor(v, maxAbs);
        grid.append(el('button', {
          type: 'button', class: Number.isFinite(v) ? 'heat-cell' : 'heat-cell nonfinite', style: { background, color: ink },
          'data-row': i, 'data-col': j, 'data-value': String(v),
          'aria-label': `${rowLabels[i]}, ${colLabels[j]}: ${fmt(v, digits)}`,
          onmouseenter: () => this.onfocus?.(i, j), onfocus: () => this.onfocus?.(i, j),
          onmouseleave: () => this.onfocus?.(-1, -1), onblur: () => this.onfocus?.(-1, -1),
          onclick: () => this.onselect?.(i, j),
        }, fmt(v, digits)));
      });
    });
    // Weights (all ≥ 0) get the half scale 0..max; signed values the whole diverging one.
    const signed = rows.flat().some((v) => v < 0);
    const stops = (signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.5, 1]).map((t) => divergingColor(t, 1).background).join(',');
    const legend = el('div', { class: 'legend', 'aria-hidden': 'true' },
      el('span', {}, signed ? fmt(-maxAbs) : '0'), el('span', { class: 'legend-bar', style: { background: `linear-gradient(90deg,${stops})` } }),
      el('span', {}, fmt(maxAbs)));
    this.node.toggleAttribute('data-wide', m > 10);  // smaller cells for long sequences
    this.data = { rows, rowLabels, colLabels, maxAbs, signed };
    // A text alternative: the same numbers as a table, for screen readers and for copying.
    const table = el('table', { class: 'heat-table', hidden: !this.tableView },
      el('caption', {}, `${this.label}: ${this.rowTitle} by row, ${this.colTitle} by column`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, `${this.rowTitle} \\ ${this.colTitle}`),
        colLabels.map((c) => el('th', { scope: 'col' }, c)))),
      el('tbody', {}, rows.map((row, i) => el('tr', {}, el('th', { scope: 'row' }, rowLabels[i]),
        row.map((v) => el('td', { 'data-value': String(v) }, fmt(v)))))));
    grid.hidden = !!this.tableView;
    legend.hidden = !!this.tableView;
    const tableButton = el('button', { type: 'button', class: 'mini', 'aria-pressed': String(!!this.tableView), 'data-table-toggle': '',
      onclick: () => { this.tableView = !this.tableView; this.show(rows, rowLabels, colLabels, { maxAbs, digits }); } }, 'Table');
    const tools = el('div', { class: 'figure-tools' }, tableButton,
      exportMenu(this.name, { svg: () => this.toSVG(), csv: () => toCSV(rows.map((r, i) => [rowLabels[i], ...r]), ['', ...colLabels]) }));
    this.node.replaceChildren(tools, grid, table, legend);
  }

  /** The heatmap as an SVG document: cells, labels, values and the legend. */
  toSVG() {
    const { rows, rowLabels, colLabels, maxAbs, signed } = this.data;
    const c = 44, left = 72, top = 28, n = rows.length, m = rows[0].length;
    const W = left + m * c + 12, H = top + n * c + 44;
    const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`,
      `<title>${esc(this.label)}</title>`, `<rect width="${W}" height="${H}" fill="#ffffff"/>`];
    colLabels.forEach((t, j) => parts.push(`<text x="${left + j * c + c / 2}" y="${top - 8}" text-anchor="middle" fill="#5d6678">${esc(t)}</text>`));
    rows.forEach((row, i) => {
      parts.push(`<text x="${left - 6}" y="${top + i * c + c / 2 + 4}" text-anchor="end" fill="#5d6678">${esc(rowLabels[i])}</text>`);
      row.forEach((v, j) => {
        const { background, ink } = divergingColor(v, maxAbs);
        parts.push(`<rect x="${left + j * c}" y="${top + i * c}" width="${c - 2}" height="${c - 2}" rx="4" fill="${background}"/>`,
          `<text x="${left + j * c + (c - 2) / 2}" y="${top + i * c + c / 2 + 3}" text-anchor="middle" fill="${ink}">${esc(fmt(v, 3))}</text>`);
      });
    });
    const stops = (signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.5, 1]);
    parts.push('<defs><linearGradient id="legend">',
      ...stops.map((t, k) => `<stop offset="${k / (stops.length - 1)}" stop-color="${divergingColor(t, 1).background}"/>`),
      '</linearGradient></defs>',
      `<rect x="${left}" y="${top + n * c + 14}" width="${m * c - 2}" height="10" rx="5" fill="url(#legend)"/>`,
      `<text x="${left}" y="${top + n * c + 38}" fill="#5d6678">${esc(signed ? fmt(-maxAbs) : '0')}</text>`,
      `<text x="${left + m * c - 2}" y="${top + n * c + 38}" text-anchor="end" fill="#5d6678">${esc(fmt(maxAbs))}</text>`, '</svg>');
    return parts.join('');
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

/** A labelled range slider; `format(v)` writes the value beside it. */
export function slider({ name, label, min, max, step, value, format = String, oninput }) {
  const output = el('output', { class: 'slider-value', 'data-slider-value': name }, format(value));
  const input = el('input', {
    type: 'range', min, max, step, value, 'data-slider': name, 'aria-label': label,
    oninput: (e) => {
      output.textContent = format(Number(e.target.value));
      oninput?.(Number(e.target.value));
    },
  });
  const node = el('label', { class: 'slider' }, el('span', { class: 'slider-label' }, label), input, output);
  const control = {
    node,
    get value() { return Number(input.value); },
    set(v) { input.value = v; output.textContent = format(Number(input.value)); },
  };
  register({ node: input, key: name, get: () => Number(input.value),
    set: (v) => { if (!Number.isFinite(Number(v))) throw new Error('not a number'); control.set(v); oninput?.(Number(input.value)); } });
  return control;
}

/** A labelled checkbox switch. */
export function toggle({ name, label, checked = false, onchange }) {
  const input = el('input', { type: 'checkbox', 'data-toggle': name, onchange: (e) => onchange?.(e.target.checked) });
  input.checked = checked;
  const node = el('label', { class: 'toggle' }, input, el('span', {}, label));
  register({ node: input, key: name, get: () => input.checked,
    set: (v) => { input.checked = v === true; onchange?.(input.checked); } });
  return { node, get checked() { return input.checked; }, set(v) { input.checked = v; } };
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children.flat()) if (c) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/**
 * A histogram of values with an optional normal curve N(mean, variance) drawn
 * over it, so a learner can see whether a predicted spread matches.
 */
export class Histogram {
  constructor({ name, label, bins = 40, width = 520, height = 200 }) {
    Object.assign(this, { name, label, bins, width, height });
    this.node = el('figure', { class: 'chart histogram', 'data-chart': name });
  }

  show(values, { curve = null, range = null } = {}) {
    const finite = values.filter(Number.isFinite);
    const { width: W, height: H, bins } = this;
    const pad = { l: 36, r: 24, t: 10, b: 28 };
    const lo = range ? range[0] : Math.min(...finite), hi = range ? range[1] : Math.max(...finite);
    const span = hi > lo ? hi - lo : 1;
    const counts = new Array(bins).fill(0);
    for (const v of finite) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / span) * bins)))]++;
    const density = counts.map((c) => c / (finite.length * (span / bins) || 1));
    const peak = Math.max(...density, curve ? 1 / Math.sqrt(2 * Math.PI * curve.variance) : 0);
    const x = (v) => pad.l + ((v - lo) / span) * (W - pad.l - pad.r);
    const y = (d) => H - pad.b - (d / peak) * (H - pad.t - pad.b);
    const bars = density.map((d, i) => svg('rect', {
      class: 'bar', x: x(lo + (i * span) / bins) + 0.5, y: y(d), width: Math.max(0, (W - pad.l - pad.r) / bins - 1),
      height: Math.max(0, H - pad.b - y(d)),
    }));
    let path = null;
    if (curve) {
      const pts = [];
      for (let k = 0; k <= 120; ++k) {
        const v = lo + (k / 120) * span;
        const d = Math.exp(-((v - curve.mean) ** 2) / (2 * curve.variance)) / Math.sqrt(2 * Math.PI * curve.variance);
        pts.push(`${x(v).toFixed(1)},${y(d).toFixed(1)}`);
      }
      path = svg('polyline', { class: 'curve', points: pts.join(' ') });
    }
    const axis = svg('g', { class: 'axis' },
      svg('line', { x1: pad.l, x2: W - pad.r, y1: H - pad.b, y2: H - pad.b }),
      [lo, (lo + hi) / 2, hi].map((v) => svg('text', { x: x(v), y: H - 8, 'text-anchor': 'middle' }, fmt(v, 3))));
    this.node.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.label}: ${finite.length} values from ${fmt(lo)} to ${fmt(hi)}` },
        bars, path ?? [], axis),
      el('figcaption', {}, this.label, exportMenu(this.name, {
        svg: () => standaloneSVG(this.node.querySelector('svg')), csv: () => toCSV(finite.map((v) => [v]), ['value']) })));
    this.node.dataset.count = finite.length;
  }
}

/** Bars for one vector of weights (e.g. one row of softmax), 0..max. */
export class BarChart {
  constructor({ name, label, width = 520, height = 140 }) {
    Object.assign(this, { name, label, width, height });
    this.node = el('figure', { class: 'chart bars', 'data-chart': name });
  }

  show(values, { max = null, labels = null } = {}) {
    const { width: W, height: H } = this;
    const pad = { l: 8, r: 8, t: 8, b: labels ? 22 : 8 };
    const top = max ?? Math.max(...values.filter(Number.isFinite), 1e-12);
    const w = (W - pad.l - pad.r) / values.length;
    const bars = values.map((v, i) => {
      const bad = !Number.isFinite(v);
      const h = bad ? H - pad.t - pad.b : (Math.max(0, v) / top) * (H - pad.t - pad.b);
      return svg('rect', { class: bad ? 'bar nonfinite' : 'bar', x: pad.l + i * w + 0.5, y: H - pad.b - h,
        width: Math.max(1, w - 1), height: h, 'data-value': String(v) });
    });
    const texts = labels ? labels.map((t, i) => svg('text', { x: pad.l + (i + 0.5) * w, y: H - 6, 'text-anchor': 'middle' }, t)) : [];
    this.node.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.label}: ${values.map((v) => fmt(v, 2)).join(', ')}` },
        bars, svg('g', { class: 'axis' }, texts)),
      el('figcaption', {}, this.label, exportMenu(this.name, {
        svg: () => standaloneSVG(this.node.querySelector('svg')),
        csv: () => toCSV(values.map((v, i) => [labels ? labels[i] : i, v]), ['label', 'value']) })));
  }
}

/** A small table of named numbers: [{name, label, value, note}] with data-stat on each value. */
export class Stats {
  constructor({ name }) {
    this.node = el('dl', { class: 'stats', 'data-stats': name });
  }
  show(items) {
    this.node.replaceChildren(...items.flatMap(({ name, label, value, note, bad }) => [
      el('dt', {}, label),
      el('dd', { class: bad ? 'bad' : '', 'data-stat': name, 'data-value': String(value) },
        typeof value === 'number' ? fmt(value) : value, note ? el('span', { class: 'note' }, note) : null),
    ]));
  }
}

/**
 * A line plot of measured points with an optional fitted curve, linear axes
 * from 0. points: [{x, y}]; curve: x => y.
 */
export class LinePlot {
  constructor({ name, label, xLabel, yLabel, width = 520, height = 240, format = fmt }) {
    Object.assign(this, { name, label, xLabel, yLabel, width, height, format });
    this.node = el('figure', { class: 'chart lineplot', 'data-chart': name });
  }

  show(points, { curve = null, curveLabel = '' } = {}) {
    const { width: W, height: H } = this;
    const pad = { l: 56, r: 16, t: 24, b: 40 };
    const xmax = Math.max(...points.map((p) => p.x), 1), ymax = Math.max(...points.map((p) => p.y), 1e-12) * 1.1;
    const x = (v) => pad.l + (v / xmax) * (W - pad.l - pad.r);
    const y = (v) => H - pad.b - (v / ymax) * (H - pad.t - pad.b);
    const curvePts = [];
    if (curve) for (let k = 0; k <= 100; ++k) { const v = (k / 100) * xmax; curvePts.push(`${x(v).toFixed(1)},${y(Math.min(curve(v), ymax * 1.5)).toFixed(1)}`); }
    const ticks = [0, 0.5, 1];
    this.node.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.label}: ${points.map((p) => `${p.x}: ${this.format(p.y)}`).join('; ')}` },
        svg('g', { class: 'axis' },
          svg('line', { x1: pad.l, x2: W - pad.r, y1: H - pad.b, y2: H - pad.b }),
          svg('line', { x1: pad.l, x2: pad.l, y1: pad.t, y2: H - pad.b }),
          ticks.map((t) => svg('text', { x: x(t * xmax), y: H - pad.b + 16, 'text-anchor': 'middle' }, fmt(t * xmax))),
          ticks.slice(1).map((t) => svg('text', { x: pad.l - 6, y: y(t * ymax) + 4, 'text-anchor': 'end' }, this.format(t * ymax))),
          svg('text', { x: (pad.l + W - pad.r) / 2, y: H - 6, 'text-anchor': 'middle' }, this.xLabel),
          svg('text', { x: pad.l, y: 12, 'text-anchor': 'middle' }, this.yLabel)),
        curvePts.length ? svg('polyline', { class: 'curve', points: curvePts.join(' ') }) : [],
        points.map((p) => svg('circle', { class: 'point', cx: x(p.x), cy: y(p.y), r: 4, 'data-x': p.x, 'data-y': p.y }))),
      el('figcaption', {}, this.label, curveLabel ? el('span', { class: 'curve-label' }, ` — ${curveLabel}`) : null,
        exportMenu(this.name, { svg: () => standaloneSVG(this.node.querySelector('svg')),
          csv: () => toCSV(points.map((p) => [p.x, p.y]), [this.xLabel, this.yLabel]) })));
  }
}
