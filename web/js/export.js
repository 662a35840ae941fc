// web/js/export.js — any figure as SVG or PNG, any matrix as CSV, as files the browser saves.
import { el } from './dom.js';

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
  const file = (ext) => `${document.body.dataset.lesson ? `${document.body.dataset.lesson}-` : ''}${name}.${ext}`;
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

