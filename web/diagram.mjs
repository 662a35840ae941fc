// web/diagram.mjs — where attention sits: one drawing of a transformer layer, as SVG, written into
// every page by web/build.mjs (no script: it is markup, themed by the site's CSS variables).
//
// The parts run in the order a token's numbers flow, from the tokens to the next-token output.
// Each part links to the first lesson (in the manifest's order) whose `parts` list it; on a
// lesson's page the parts that lesson builds are highlighted (class "built", and said so to a
// screen reader). Two layouts of the same parts: seven a row for a wide column, three a row
// for a phone; the CSS shows one.

export const PARTS = [
  { id: 'tokens', label: 'tokens', sub: 'text → ids' },
  { id: 'positions', label: 'embed + pos', sub: 'x = e + p' },
  { id: 'qkv', label: 'Q, K, V', sub: 'three maps of x' },
  { id: 'scores', label: 'Q·Kᵀ', sub: 'scores' },
  { id: 'scale', label: '÷ √d_k', sub: 'scale' },
  { id: 'mask', label: 'mask', sub: '−∞ where hidden' },
  { id: 'softmax', label: 'softmax', sub: 'weights P' },
  { id: 'weighted', label: 'P·V', sub: 'weighted sum' },
  { id: 'heads', label: 'h heads', sub: 'in parallel' },
  { id: 'concat', label: 'concat·W_o', sub: 'heads joined' },
  { id: 'residual', label: 'add & norm', sub: 'x + attn(x)' },
  { id: 'mlp', label: 'MLP', sub: 'per token' },
  { id: 'output', label: 'next token', sub: 'logits' },
];
export const PART_IDS = PARTS.map((p) => p.id);

const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** One layout: `cols` parts a row, snaking (left to right, then right to left). */
function layout(cols, { built, href, lessonOf, id }) {
  const marker = `arrow-${cols}${id ? `-${id}` : ''}`;  // unique on a page that holds several diagrams
  const W = 116, H = 52, gx = 20, gy = 30, pad = 8;
  const width = pad * 2 + cols * W + (cols - 1) * gx;
  const rows = Math.ceil(PARTS.length / cols);
  const height = pad * 2 + rows * H + (rows - 1) * gy;
  const at = (k) => {
    const r = Math.floor(k / cols), c = r % 2 ? cols - 1 - (k % cols) : k % cols;
    return { x: pad + c * (W + gx), y: pad + r * (H + gy), r };
  };
  const arrows = [], boxes = [];
  PARTS.forEach((p, k) => {
    const a = at(k);
    if (k + 1 < PARTS.length) {
      const b = at(k + 1);
      const [x1, y1, x2, y2] = a.r === b.r
        ? (b.x > a.x ? [a.x + W, a.y + H / 2, b.x - 3, b.y + H / 2] : [a.x, a.y + H / 2, b.x + W + 3, b.y + H / 2])
        : [a.x + W / 2, a.y + H, b.x + W / 2, b.y - 3];
      arrows.push(`<line class="flow" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#${marker})"/>`);
    }
    const lesson = lessonOf(p.id);
    const mine = built.includes(p.id);
    const said = `${p.label}, ${p.sub}${lesson ? `: lesson ${lesson.number}, ${lesson.title}` : ''}${mine ? ' (this lesson builds it)' : ''}`;
    // The title names the part, its lesson and whether this page builds it: a tooltip on hover, and
    // the link's accessible name (it begins with the visible words, as WCAG 2.5.3 asks).
    const box = `<title>${esc(said)}</title><rect x="${a.x}" y="${a.y}" width="${W}" height="${H}" rx="8"/>` +
      `<text class="part-label" x="${a.x + W / 2}" y="${a.y + 22}">${esc(p.label)}</text>` +
      `<text class="part-sub" x="${a.x + W / 2}" y="${a.y + 40}">${esc(p.sub)}</text>`;
    const cls = `part${mine ? ' built' : ''}`;
    boxes.push(lesson
      ? `<a class="${cls}" data-part="${p.id}" href="${esc(href(lesson))}">${box}</a>`
      : `<g class="${cls}" data-part="${p.id}" role="img">${box}</g>`);
  });
  return `<svg class="diagram-${cols > 3 ? 'wide' : 'narrow'}" viewBox="0 0 ${width} ${height}" role="group" ` +
    `aria-label="A transformer layer, from tokens to the next token">` +
    `<defs><marker id="${marker}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    '<path d="M0,0 L8,4 L0,8 z" class="arrow-head"/></marker></defs>' +
    `${arrows.join('')}${boxes.join('')}</svg>`;
}

/**
 * The diagram as a <figure>: `built` the parts to highlight (a lesson's `parts`), `lessons` the
 * manifest's lessons (with number), `href(lesson)` the link to a lesson's page from this page, `id`
 * a suffix for its ids where one page holds several diagrams (the worksheets).
 */
export function diagram({ built = [], lessons, href, caption, id = '' }) {
  const lessonOf = (part) => lessons.find((l) => (l.parts ?? []).includes(part));
  const opts = { built, href, lessonOf, id };
  return `<figure class="where-diagram" data-diagram="transformer">${layout(7, opts)}${layout(3, opts)}` +
    `<figcaption>${esc(caption)}</figcaption></figure>`;
}
