// web/js/charts.js — small SVG charts: a histogram with a normal curve, bars, named numbers, a line
// plot, and named series on one plot (linear or log axes, a shaded band).
import { el, fmt, fmtCount, svg } from './dom.js';
import { exportMenu, standaloneSVG, toCSV } from './export.js';
import { axes, line, linear, log, tick } from './plot.js';

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
    const pad = { l: 48, r: 24, t: 10, b: 34 };
    const lo = range ? range[0] : Math.min(...finite), hi = range ? range[1] : Math.max(...finite);
    const span = hi > lo ? hi - lo : 1;
    const counts = new Array(bins).fill(0);
    for (const v of finite) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / span) * bins)))]++;
    const density = counts.map((c) => c / (finite.length * (span / bins) || 1));
    const peak = Math.max(...density, curve ? 1 / Math.sqrt(2 * Math.PI * curve.variance) : 0);
    const x = linear([lo, lo + span], [pad.l, W - pad.r]).domain([lo, lo + span]);  // the bins' own ends, not rounded
    const y = linear([0, peak], [H - pad.b, pad.t]);
    const bars = density.map((d, i) => svg('rect', {
      class: 'bar', x: x(lo + (i * span) / bins) + 0.5, y: y(d), width: Math.max(0, (W - pad.l - pad.r) / bins - 1),
      height: Math.max(0, H - pad.b - y(d)),
    }));
    let path = null;
    if (curve) {
      const pts = [];
      for (let k = 0; k <= 120; ++k) {
        const v = lo + (k / 120) * span;
        pts.push({ x: v, y: Math.exp(-((v - curve.mean) ** 2) / (2 * curve.variance)) / Math.sqrt(2 * Math.PI * curve.variance) });
      }
      path = svg('path', { class: 'curve', d: line(pts, x, y) });
    }
    const axis = axes({ x, y, width: W, height: H, pad, ticks: [5, 3] });
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

/** A small table of named numbers: [{name, label, value, note}] with data-stat on each value (a
 * whole number in full: fmtCount). */
export class Stats {
  constructor({ name }) {
    this.node = el('dl', { class: 'stats', 'data-stats': name });
  }
  show(items) {
    this.node.replaceChildren(...items.flatMap(({ name, label, value, note, bad }) => [
      el('dt', {}, label),
      el('dd', { class: bad ? 'bad' : '', 'data-stat': name, 'data-value': String(value) },
        typeof value === 'number' ? fmtCount(value) : value, note ? el('span', { class: 'note' }, note) : null),
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

  /** points [{x, y}], drawn as dots (joined by a line with `connect`), and an optional curve x => y. */
  show(points, { curve = null, curveLabel = '', connect = false } = {}) {
    const { width: W, height: H } = this;
    const pad = { l: 56, r: 16, t: 24, b: 44 };
    const xmax = Math.max(...points.map((p) => p.x), 1), ymax = Math.max(...points.map((p) => p.y), 1e-12) * 1.1;
    const x = linear([0, xmax], [pad.l, W - pad.r]), y = linear([0, ymax], [H - pad.b, pad.t]);
    const curvePts = [];
    if (curve) for (let k = 0; k <= 100; ++k) { const v = (k / 100) * xmax; curvePts.push({ x: v, y: Math.min(curve(v), y.domain()[1]) }); }
    this.node.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.label}: ${points.map((p) => `${p.x}: ${this.format(p.y)}`).join('; ')}` },
        axes({ x, y, width: W, height: H, pad, xLabel: this.xLabel, yLabel: this.yLabel }),
        curvePts.length ? svg('path', { class: 'curve', d: line(curvePts, x, y) }) : [],
        connect && points.length > 1 ? svg('path', { class: 'trace', d: line(points, x, y) }) : [],
        points.map((p) => svg('circle', { class: 'point', cx: x(p.x), cy: y(p.y), r: connect ? 2.5 : 4, 'data-x': p.x, 'data-y': p.y }))),
      el('figcaption', {}, this.label, curveLabel ? el('span', { class: 'curve-label' }, ` — ${curveLabel}`) : null,
        exportMenu(this.name, { svg: () => standaloneSVG(this.node.querySelector('svg')),
          csv: () => toCSV(points.map((p) => [p.x, p.y]), [this.xLabel, this.yLabel]) })));
  }
}

/** Tick values for a log axis: the powers of 10 inside the domain (and its ends when there are fewer than two). */
const decades = ([lo, hi]) => {
  const out = [];
  for (let v = 10 ** Math.floor(Math.log10(lo)); v <= hi * 1.0001; v *= 10) if (v >= lo / 1.0001) out.push(v);
  return out.length >= 2 ? out : [lo, hi];
};

/**
 * Several named series against one x: rows [{x, <key>: y, …}], one line and its dots per series
 * (CSS classes series-0, series-1, … colour them; a legend names them), on linear or log axes,
 * with an optional shaded band [x0, x1] and its label (a training range, say). Dots carry
 * data-series, data-x and data-y, so a test reads what is drawn.
 */
export class SeriesPlot {
  constructor({ name, label, xLabel, yLabel, series, logX = false, logY = false, yRange = null, width = 560, height = 280, format = fmt }) {
    Object.assign(this, { name, label, xLabel, yLabel, series, logX, logY, yRange, width, height, format });
    this.node = el('figure', { class: 'chart lineplot series-plot', 'data-chart': name });
  }

  show(rows, { band = null, caption = '' } = {}) {
    const { width: W, height: H, series } = this;
    const pad = { l: 60, r: 20, t: 22 + 16 * series.length, b: 44 };
    const xs = rows.map((r) => r.x), ys = rows.flatMap((r) => series.map((s) => r[s.key])).filter((v) => Number.isFinite(v) && (!this.logY || v > 0));
    const xd = [Math.min(...xs), Math.max(...xs)];
    const yd = this.yRange ?? (this.logY ? [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5] : [0, Math.max(...ys, 1e-12) * 1.1]);
    const x = (this.logX ? log : linear)(xd, [pad.l, W - pad.r]).domain(xd), y = (this.logY ? log : linear)(yd, [H - pad.b, pad.t]);
    const drawn = series.map((s, k) => {
      const pts = rows.filter((r) => Number.isFinite(r[s.key]) && (!this.logY || r[s.key] > 0)).map((r) => ({ x: r.x, y: r[s.key] }));
      return svg('g', { class: `series series-${k}`, 'data-series': s.key },
        svg('path', { class: 'trace', d: line(pts, x, y) }),
        pts.map((p) => svg('circle', { class: 'point', cx: x(p.x), cy: y(p.y), r: 3, 'data-series': s.key, 'data-x': p.x, 'data-y': p.y })),
        svg('text', { class: 'legend-text', x: W - pad.r, y: 14 + 16 * k, 'text-anchor': 'end' }, `● ${s.label}`));
    });
    const shade = band ? [svg('rect', { class: 'band-shade', x: x(band[0]), y: pad.t, width: Math.max(0, x(band[1]) - x(band[0])), height: H - pad.b - pad.t }),
      svg('text', { class: 'band-label', x: (x(band[0]) + x(band[1])) / 2, y: H - pad.b - 6, 'text-anchor': 'middle' }, band[2] ?? '')] : [];
    const ticks = [this.logX ? xs : null, this.logY ? decades(y.domain()) : null];
    const said = rows.map((r) => `${this.xLabel} ${r.x}: ${series.map((s) => `${s.label} ${this.format(r[s.key])}`).join(', ')}`).join('; ');
    this.node.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.label}: ${said}` },
        shade, axes({ x, y, width: W, height: H, pad, xLabel: this.xLabel, yLabel: this.yLabel, values: ticks,
          format: [String, (v) => (this.logY ? tick(v) : fmt(v, 3))] }), drawn),
      el('figcaption', {}, this.label, caption ? el('span', { class: 'curve-label' }, ` — ${caption}`) : null,
        exportMenu(this.name, { svg: () => standaloneSVG(this.node.querySelector('svg')),
          csv: () => toCSV(rows.map((r) => [r.x, ...series.map((s) => r[s.key])]), [this.xLabel, ...series.map((s) => s.label)]) })));
  }
}
