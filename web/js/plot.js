// web/js/plot.js — scales, axes, lines and colours for every chart and map, from d3's modules
// (d3-scale, d3-axis, d3-shape, d3-scale-chromatic; bundled by esbuild, nothing fetched at run time).
//
//   const x = linear([0, xmax], [left, right]), y = linear([0, ymax], [bottom, top]);
//   svg('svg', …, axes({ x, y, width, height, pad, xLabel, yLabel }), svg('path', { d: line(points, x, y) }))
//
// Colours are ColorBrewer's, chosen to stay apart for colour-blind readers: PuOr for signed values
// (purple below zero, white at zero, orange above) and Oranges for values from 0 up (weights).
// Each colour comes with the ink (black or white) that reads best on it, and with its dark-theme
// twin (.dark): the same hues rising out of the dark page, so that in the dark theme a cell that
// holds nothing is dark and a large weight glows, where the light palette would make it a white
// tile. The page shows one or the other by CSS (--cell-bg and --cell-bg-dark in widgets.css), so switching the
// theme recolours every map at once.
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleLog } from 'd3-scale';
import { interpolateLab } from 'd3-interpolate';
import { interpolateOranges, interpolatePuOr } from 'd3-scale-chromatic';
import { select } from 'd3-selection';
import { line as lineOf } from 'd3-shape';
import { fmt, svg } from './dom.js';

/** A linear scale from `domain` to `range`, its ends rounded to tick values. */
export const linear = (domain, range) => scaleLinear().domain(domain).nice().range(range);
/** A log₁₀ scale from `domain` to `range` (both ends > 0). */
export const log = (domain, range) => scaleLog().domain(domain).range(range);

/** A tick label short enough for its margin: 2.3e6, not 2.307e+6 cut to .307e+6. */
export const tick = (v) => (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2) ? v.toExponential(1).replace('e+', 'e').replace('.0e', 'e') : fmt(v, 3));

/**
 * The x axis along the bottom and the y axis up the left of a chart `width` × `height` with margins
 * `pad` ({l, r, t, b}), with about `ticks` ticks each (or exactly the tick `values`; d3-axis), and their titles.
 */
export function axes({ x, y, width, height, pad, xLabel = '', yLabel = '', ticks = [5, 4], values = [null, null], format = [tick, tick] }) {
  const bottom = svg('g', { class: 'axis axis-x', transform: `translate(0,${height - pad.b})` });
  const left = svg('g', { class: 'axis axis-y', transform: `translate(${pad.l},0)` });
  select(bottom).call(axisBottom(x).ticks(ticks[0]).tickValues(values[0]).tickFormat((v) => format[0](v)).tickSizeOuter(0));
  select(left).call(axisLeft(y).ticks(ticks[1]).tickValues(values[1]).tickFormat((v) => format[1](v)).tickSizeOuter(0));
  for (const g of [bottom, left]) for (const a of ['font-size', 'font-family']) g.removeAttribute(a);  // the page's CSS sets the font
  return svg('g', { class: 'axis' }, bottom, left,
    svg('text', { class: 'axis-title', x: (pad.l + width - pad.r) / 2, y: height - 4, 'text-anchor': 'middle' }, xLabel),
    svg('text', { class: 'axis-title', x: 4, y: pad.t - 10 }, yLabel));
}

/** The path through points [{x, y}] on scales x and y (d3-shape), for svg('path', { d }). */
export const line = (points, x, y) => lineOf().x((p) => x(p.x)).y((p) => y(p.y))(points) ?? '';

// The ink with the better contrast on a background (WCAG relative luminance): dark on light, white on dark.
const inkOn = (rgb) => {
  const [r, g, b] = rgb.match(/\d+/g).map(Number);
  const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) > 0.179 ? '#000' : '#fff';
};
const clamp = (t) => Math.max(-1, Math.min(1, t));

const paint = (background) => ({ background, ink: inkOn(background) });
// The dark theme's zero: a shade above the panel (--panel, #1b1e26), so an empty cell still shows as one.
const DARK_ZERO = '#2b2f3b';
const darkOrange = interpolateLab(DARK_ZERO, interpolateOranges(0.45));  // Oranges' bright middle
const darkPurple = interpolateLab(DARK_ZERO, interpolatePuOr(0.3));  // PuOr's light purple

/** A signed value on PuOr, symmetric about 0 (±maxAbs the ends): { background, ink, dark: { background, ink } }. */
export function divergingColor(value, maxAbs) {
  const t = maxAbs > 0 && Number.isFinite(value) ? clamp(value / maxAbs) : 0;
  // d3's PuOr runs purple (0) to orange (1); its darkest ends left out.
  return { ...paint(interpolatePuOr(0.5 + 0.45 * t)), dark: paint(t < 0 ? darkPurple(-t) : darkOrange(t)) };
}

/** A value from 0 up on Oranges (max the darkest): { background, ink, dark: { background, ink } }. */
export function sequentialColor(value, max) {
  const t = max > 0 && Number.isFinite(value) ? Math.max(0, clamp(value / max)) : 0;
  return { ...paint(interpolateOranges(0.03 + 0.82 * t)), dark: paint(darkOrange(t)) };
}

/**
 * The style of a cell coloured `c` (from divergingColor or sequentialColor): the light colour and
 * ink, and the dark theme's as custom properties, which widgets.css swaps in.
 */
export const cellStyle = (c) => ({ '--cell-bg': c.background, '--cell-ink': c.ink, '--cell-bg-dark': c.dark.background, '--cell-ink-dark': c.dark.ink });
