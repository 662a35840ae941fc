// web/js/matrix.js — matrices on the page: an editor, a read-only view, and a heatmap with a legend
// and a table view.
import { el, fmt } from './dom.js';
import { cellStyle, divergingColor, sequentialColor } from './plot.js';
import { exportMenu, toCSV } from './export.js';
import { register } from './state.js';

// What a cell must look like to be a number (web/bind/convert.hpp's is_decimal, the same grammar);
// anything else is marked red, and the module refuses it, naming the cell.
const NUMBER = /^[ \t\n\r\f\v]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[ \t\n\r\f\v]*$/;
const shapeText = (rows) => `(${rows.length}, ${rows[0]?.length ?? 0})`;

/**
 * An editable matrix. `values` is an array of rows of strings (what the learner
 * typed); `onchange(values)` fires on every edit. Rows and columns can be added
 * and removed when `resizable` is set, which is how a learner can (and should
 * be able to) make shapes disagree; `resizable: 'columns'` keeps a vector (one row) one row.
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
    // Every box as wide as the longest entry (4 to 12 characters), so no number is cut off.
    const ch = Math.min(12, Math.max(4, ...this.values.flat().map((v) => String(v).trim().length)));
    const grid = el('div', { class: 'matrix-grid', style: { '--cols': cols, '--cell-ch': ch }, role: 'group', 'aria-label': `${this.label} entries` });
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
            ...(this.resizable === 'columns' ? [] : [el('span', {}, 'rows'), button('−', 'Remove a row', [-1, 0]), button('+', 'Add a row', [1, 0])]),
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
        // Labelled like the heatmaps' CSVs: a header of column numbers, each row named.
        exportMenu(this.name, { csv: () => toCSV(this.rows.map((r, i) => [this.rowLabels ? this.rowLabels(i) : String(i), ...r]),
          ['', ...this.rows[0].map((_, j) => String(j))]) })),
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

/**
 * A heatmap of a matrix with row and column labels and a legend. Cells are
 * focusable; hovering or focusing one calls onfocus(i, j), leaving calls it
 * with (-1, -1). With show(…, { explain }), pointing at a cell (hover, focus or tap)
 * writes out how it was computed below the map (web/js/explain.js).
 */
export class Heatmap {
  constructor({ name, label, rowTitle = 'row', colTitle = 'column', onfocus, onselect, caption = false }) {
    this.onselect = onselect;
    this.caption = caption;  // show the label above the map (where no heading names it)
    this.name = name;
    this.label = label ?? name;
    this.rowTitle = rowTitle;
    this.colTitle = colTitle;
    this.onfocus = onfocus;
    this.node = el('figure', { class: 'heatmap', 'data-heatmap': name });
  }

  show(rows, rowLabels, colLabels, { maxAbs = null, digits = 3, explain = null } = {}) {
    const m = rows[0].length;
    // Larger than 8×8: colour in every cell, the number on demand (hover, focus or tap; or the table).
    const quiet = rows.length > 8 || m > 8;
    // A cell holds four or five characters: tiny values as 3e-4, not 0.00027 run into the next cell.
    const cellText = (v) => (v !== 0 && Number.isFinite(v) && Math.abs(v) < 5e-3 ? v.toExponential(0) : fmt(v, digits));
    maxAbs ??= Math.max(0, ...rows.flat().filter(Number.isFinite).map(Math.abs));
    // Weights (all ≥ 0) on the sequential palette 0..max; signed values on the diverging one.
    const signed = rows.flat().some((v) => v < 0);
    const color = (v) => (signed ? divergingColor(v, maxAbs) : sequentialColor(v, maxAbs));
    const grid = el('div', { class: 'heat-grid', style: { '--cols': m }, role: 'group', 'aria-label': this.label });
    grid.append(el('span', { class: 'corner' }, el('span', {}, `${this.rowTitle} ↓ ${this.colTitle} →`)));
    for (let j = 0; j < m; ++j) grid.append(el('span', { class: 'col-label' }, colLabels[j]));
    rows.forEach((row, i) => {
      grid.append(el('span', { class: 'row-label' }, rowLabels[i]));
      row.forEach((v, j) => {
        grid.append(el('button', {
          type: 'button', class: Number.isFinite(v) ? 'heat-cell' : 'heat-cell nonfinite', style: cellStyle(color(v)),
          'data-row': i, 'data-col': j, 'data-value': String(v),
          'aria-label': `${rowLabels[i]}, ${colLabels[j]}: ${quiet ? fmt(v, digits) : cellText(v)}`,
          onmouseenter: () => this.point(i, j), onfocus: () => this.point(i, j),
          onmouseleave: () => this.onfocus?.(-1, -1), onblur: () => this.onfocus?.(-1, -1),
          onclick: () => { this.point(i, j); this.onselect?.(i, j); },
        }, quiet ? '' : cellText(v)));
      });
    });
    const stops = (signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1]).map((t) => color(t * maxAbs));
    const gradient = (pick) => `linear-gradient(90deg,${stops.map(pick).join(',')})`;
    const legend = el('div', { class: 'legend', 'aria-hidden': 'true' },
      el('span', {}, signed ? fmt(-maxAbs) : '0'),
      el('span', { class: 'legend-bar', style: { '--legend': gradient((c) => c.background), '--legend-dark': gradient((c) => c.dark.background) } }),
      el('span', {}, fmt(maxAbs)));
    this.node.toggleAttribute('data-wide', m > 10);  // smaller cells for long sequences
    this.node.toggleAttribute('data-quiet', quiet);
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
      onclick: () => { this.tableView = !this.tableView; this.show(rows, rowLabels, colLabels, { maxAbs, digits, explain }); } }, 'Table');
    const tools = el('div', { class: 'figure-tools' }, tableButton,
      exportMenu(this.name, { svg: () => this.toSVG(), csv: () => toCSV(rows.map((r, i) => [rowLabels[i], ...r]), ['', ...colLabels]) }));
    // A map without an explanation of its own still gives a cell's number on demand when it is quiet.
    this.explain = explain ?? (quiet ? async (i, j) => el('p', { class: 'explain', 'data-explain': 'value' },
      el('span', { class: 'explain-lhs' }, `${this.rowTitle} ${rowLabels[i]}, ${this.colTitle} ${colLabels[j]}: `),
      el('strong', { 'data-value': String(rows[i][j]) }, fmt(rows[i][j], 4))) : null);
    this.explained = el('div', { class: 'explain-slot', 'aria-live': 'polite', hidden: !this.explain || !!this.tableView },
      this.explain ? el('p', { class: 'explain-hint' }, explain ? 'Point at a cell, or tap it, to see how it was computed.'
        : 'Point at a cell, or tap it, to see its number.') : null);
    const title = this.caption ? el('figcaption', { class: 'heat-title' }, this.label) : null;
    this.node.replaceChildren(...(title ? [title] : []), tools, grid, table, legend, this.explained);
  }

  /** The learner points at cell (i, j): onfocus, and its explanation if the map has one. */
  point(i, j) {
    this.onfocus?.(i, j);
    if (!this.explain) return;
    const asked = (this.asked = (this.asked ?? 0) + 1);
    this.explain(i, j).then((node) => { if (asked === this.asked) this.explained.replaceChildren(node); },
      (e) => { if (asked === this.asked) this.explained.replaceChildren(el('p', { class: 'explain' }, `Cannot explain this cell: ${e.message}`)); });
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
        const { background, ink } = signed ? divergingColor(v, maxAbs) : sequentialColor(v, maxAbs);
        parts.push(`<rect x="${left + j * c}" y="${top + i * c}" width="${c - 2}" height="${c - 2}" rx="4" fill="${background}"/>`,
          `<text x="${left + j * c + (c - 2) / 2}" y="${top + i * c + c / 2 + 3}" text-anchor="middle" fill="${ink}">${esc(fmt(v, 3))}</text>`);
      });
    });
    const stops = (signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1]);
    parts.push('<defs><linearGradient id="legend">',
      ...stops.map((t, k) => `<stop offset="${k / (stops.length - 1)}" stop-color="${(signed ? divergingColor : sequentialColor)(t, 1).background}"/>`),
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

