// web/js/dom.js — building the page's elements, and writing numbers for people.
//
// Numbers are never computed here: a lesson's page.js sends its inputs to its
// WebAssembly module and shows what comes back. Every element that shows a number
// also carries it, unrounded, in data-value, which the browser tests compare with
// the native build.

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

/** A count as a reader reads it: whole numbers from 10 000 to a billion in full, grouped by
 * thousands with thin spaces (160 800 pairs, not 1.608e+5); anything else as fmt() writes it. */
export function fmtCount(x) {
  if (!Number.isInteger(x) || Math.abs(x) < 1e4 || Math.abs(x) >= 1e9) return fmt(x);
  return String(Math.abs(x)).replace(/\B(?=(\d{3})+$)/g, '\u202f').replace(/^/, x < 0 ? '−' : '');
}

export const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children.flat()) if (c) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}


/** Bytes as people read them, exactly as attn::format_bytes (src/attn/cost.hpp) writes them: "512 KiB", "1.5 GiB". */
export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (n >= 1024 && u < 4) { n /= 1024; u++; }
  const text = n >= 100 || u === 0 ? n.toFixed(0) : String(Number(n.toPrecision(3)));
  return `${text} ${units[u]}`;
}

/** A count of floating-point operations with the SI prefix that keeps it under 1000: 1.07 TFLOP, not 1.1e+3 GFLOP. */
export function flops(n) {
  const units = ['FLOP', 'kFLOP', 'MFLOP', 'GFLOP', 'TFLOP', 'PFLOP', 'EFLOP'];
  let u = 0;
  while (Math.abs(n) >= 1000 && u < units.length - 1) { n /= 1000; u++; }
  return `${String(Number(n.toPrecision(3)))} ${units[u]}`;
}
