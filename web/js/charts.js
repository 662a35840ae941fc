// web/js/charts.js — small SVG charts: a histogram with a normal curve, bars, named numbers, a line plot.
import { el, fmt, svg } from './dom.js';
import { exportMenu, standaloneSVG, toCSV } from './export.js';

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
    // Tick labels short enough for the margin: 2.3e6, not 2.307e+6 cut to .307e+6 (the review's find).
    const tick = (v) => (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2) ? v.toExponential(1).replace('e+', 'e') : fmt(v, 3));
    this.node.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${this.label}: ${points.map((p) => `${p.x}: ${this.format(p.y)}`).join('; ')}` },
        svg('g', { class: 'axis' },
          svg('line', { x1: pad.l, x2: W - pad.r, y1: H - pad.b, y2: H - pad.b }),
          svg('line', { x1: pad.l, x2: pad.l, y1: pad.t, y2: H - pad.b }),
          ticks.map((t) => svg('text', { x: x(t * xmax), y: H - pad.b + 16, 'text-anchor': 'middle' }, tick(t * xmax))),
          ticks.slice(1).map((t) => svg('text', { x: pad.l - 6, y: y(t * ymax) + 4, 'text-anchor': 'end' }, tick(t * ymax))),
          svg('text', { x: (pad.l + W - pad.r) / 2, y: H - 6, 'text-anchor': 'middle' }, this.xLabel),
          svg('text', { x: pad.l, y: 12, 'text-anchor': 'middle' }, this.yLabel)),
        curvePts.length ? svg('polyline', { class: 'curve', points: curvePts.join(' ') }) : [],
        points.map((p) => svg('circle', { class: 'point', cx: x(p.x), cy: y(p.y), r: 4, 'data-x': p.x, 'data-y': p.y }))),
      el('figcaption', {}, this.label, curveLabel ? el('span', { class: 'curve-label' }, ` — ${curveLabel}`) : null,
        exportMenu(this.name, { svg: () => standaloneSVG(this.node.querySelector('svg')),
          csv: () => toCSV(points.map((p) => [p.x, p.y]), [this.xLabel, this.yLabel]) })));
  }
}
