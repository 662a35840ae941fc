// web/js/site/worksheets.js — the worksheets and their answer keys, filled from the checks module.
//
// worksheets.html holds one sheet per lesson (web/build.mjs writes the static parts: the picture,
// goals, discussion, commands); this fills each sheet's self-checks and pencil-and-paper exercises
// (checks.mjs sheet(slug)): their words, their inputs and empty boxes to answer in. answers.html
// holds one key per lesson; this fills it from checks.mjs key(slug): each answer as the page grades
// it, in the same boxes, and the worked steps, all computed by the library. Either page marks its
// <main> data-ready="true" once every lesson is filled (the print test waits for it).
// ?lesson=<slug> keeps one lesson's sheet or key, to print it alone.
import { el, fmt } from '../dom.js';
import { askChecks, loadChecks } from './progress.js';

/** An answer as the grader writes it ("-0.33, 0.24"), with typographic minus signs. */
const minus = (text) => text.replace(/(^|, )-/g, '$1−');

/** A small matrix of numbers, bracketed, with its name: an exercise's input. */
function matrix(name, rows) {
  return el('figure', { class: 'given' },
    el('figcaption', {}, `${name} =`),
    el('span', { class: 'bracket' },
      el('table', { class: 'given-matrix' }, el('tbody', {}, rows.map((r) => el('tr', {}, r.map((x) => el('td', {}, fmt(x)))))))));
}

/** The answer's boxes, rows × columns, empty (a worksheet) or holding `values` (a key). */
function boxes(grid, values) {
  const [rows, cols] = grid;
  return el('div', { class: 'answer-scroll' }, el('table', { class: `answer-grid${values ? ' filled' : ''}`, 'aria-label': `answer: ${rows} × ${cols} boxes` },
    el('tbody', {}, Array.from({ length: rows }, (_, i) => el('tr', {},
      Array.from({ length: cols }, (_, j) => el('td', {}, values ? minus(values[i * cols + j]) : '')))))));
}

/** Room to work in, in proportion to the exercise (more for more boxes and inputs; a little for a self-check's sum). */
function space(item) {
  const cells = item.grid.length ? item.grid[0] * item.grid[1] : 1;
  const mm = item.paper ? Math.min(46, 14 + 2 * cells + 3 * item.given.length) : 12;
  return el('div', { class: 'work-space', style: { height: `${mm}mm` }, 'aria-hidden': 'true' });
}

function options(item, chosen) {
  return el('ol', { class: 'sheet-options', type: 'a' }, item.options.map((o, k) =>
    el('li', { class: k === chosen ? 'chosen' : null }, el('span', { class: 'tick', 'aria-hidden': 'true' }, k === chosen ? '☒' : '☐'), ` ${o}`)));
}

function sheetItem(item) {
  const li = el('li', { class: `sheet-item${item.paper ? ' paper' : ''}`, dataset: { id: item.id } }, el('p', { class: 'prompt' }, item.prompt));
  if (item.given.length) li.append(el('div', { class: 'givens' }, item.given.map((g) => matrix(g.name, g.value))));
  if (item.kind === 'choice') li.append(options(item));
  else li.append(space(item), el('div', { class: 'answer-line' }, el('span', {}, 'Answer'),
    item.grid.length ? boxes(item.grid) : el('span', { class: 'blank long' })));
  return li;
}

function keyItem(item) {
  const li = el('li', { class: `key-item${item.paper ? ' paper' : ''}`, dataset: { id: item.id } },
    el('p', { class: 'prompt' }, item.paper ? el('span', { class: 'key-tag' }, 'On paper') : null, item.prompt));
  if (item.given.length) li.append(el('div', { class: 'givens' }, item.given.map((g) => matrix(g.name, g.value))));
  const chosen = item.options.indexOf(item.answer);  // a choice's answer is its option
  if (item.kind === 'choice') li.append(options(item, chosen));
  else li.append(el('div', { class: 'answer-line' }, el('span', {}, 'Answer'),
    item.grid.length ? boxes(item.grid, item.values) : el('strong', { class: 'key-answer' }, minus(item.answer))));
  if (item.steps.length) li.append(el('ol', { class: 'key-steps', 'aria-label': 'worked' }, item.steps.map((s) => el('li', {}, s))));
  li.append(el('p', { class: 'key-why' }, item.why));
  if (item.hints.length) li.append(el('p', { class: 'key-qhints' }, el('span', {}, 'Hints: '), item.hints.join(' · ')));
  // What the grader is given to check the key against the page (the print test types it back).
  li.dataset.answer = item.kind === 'choice' ? String(chosen) : item.answer;
  return li;
}

/** Keeps only ?lesson=<slug>'s article, if asked. */
function onlyOne(main, articles) {
  const one = new URLSearchParams(location.search).get('lesson');
  if (!one || !articles.some((a) => a.dataset.sheet === one || a.dataset.key === one)) return;
  for (const a of articles) a.hidden = a.dataset.sheet !== one && a.dataset.key !== one;
  main.querySelector('.hero')?.append(el('p', { class: 'sheet-filter' },
    'Only one lesson is shown here, and printed. ', el('a', { href: location.pathname }, 'Show every lesson')));
}

async function fill(main, articles, each) {
  onlyOne(main, articles);
  let mod;
  try {
    mod = await loadChecks();
  } catch (e) {
    main.prepend(el('p', { class: 'error-banner', role: 'alert' }, `The questions could not load: ${e.message}`));
    return;
  }
  for (const a of articles) {
    const problem = await each(mod, a);
    if (problem) a.prepend(el('p', { class: 'error-banner', role: 'alert' }, problem));
  }
  main.dataset.ready = 'true';
}

export function mountWorksheets() {
  const main = document.querySelector('[data-worksheets]');
  if (!main) return;
  fill(main, [...main.querySelectorAll('[data-sheet]')], (mod, sheet) => {
    const r = mod.sheet(sheet.dataset.sheet);
    if (!r.ok) return r.error;
    sheet.querySelector('[data-sheet-checks]').replaceChildren(...r.items.filter((i) => !i.paper).map(sheetItem));
    sheet.querySelector('[data-sheet-paper]').replaceChildren(...r.items.filter((i) => i.paper).map(sheetItem));
    return null;
  });
}

export function mountAnswers() {
  const main = document.querySelector('[data-answers]');
  if (!main) return;
  fill(main, [...main.querySelectorAll('[data-key]')], async (mod, key) => {
    const r = await askChecks(mod, 'key', key.dataset.key);
    if (!r.ok) return r.error;
    key.querySelector('[data-key-items]').replaceChildren(...r.items.map(keyItem));
    return null;
  });
}

