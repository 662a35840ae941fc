// web/js/site/class.js — the class page: many learners' progress files and the teacher's grade
// report (`attnlab grade` writes class-report.json) in one grid, learner × lesson, each exercise
// saying where its result came from: "graded" (the teacher's machine ran the tests), "passed
// here" (the learner's machine did) or "ticked" (the learner's word). In memory only: nothing is
// stored or sent. A learner is matched across files by name, compared without case or punctuation
// (the progress file's name, else its file name; the report's folder name).
import { el } from '../dom.js';
import { lessons } from './course.js';
import { mergeProgress, provenance, validateProgress } from './progress.js';

const STATES = ['passed', 'failed', 'crashed', 'timed out', 'does not compile', 'untouched', 'not handed in'];
const keyOf = (name) => name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A grade report, checked: {graded, cells: [{learner, lesson, state, passed, total, first_message}]}, or throws a message. */
export function validateGrades(data) {
  if (!data || data.format !== 'attention-lab-grades' || data.version !== 1)
    throw new Error('this is not a grade report of `attnlab grade` (format attention-lab-grades, version 1)');
  if (!Array.isArray(data.cells)) throw new Error('its "cells" is not a list');
  const known = new Set(lessons.map((l) => l.slug));
  const cells = data.cells.map((c, k) => {
    const ok = c && typeof c.learner === 'string' && c.learner.length <= 200 && known.has(c.lesson) && STATES.includes(c.state) &&
      Number.isInteger(c.passed) && Number.isInteger(c.total) && c.passed >= 0 && c.passed <= c.total;
    if (!ok) throw new Error(`its cell ${k + 1} is not valid`);
    return { learner: c.learner, lesson: c.lesson, state: c.state, passed: c.passed, total: c.total,
      first_message: String(c.first_message ?? '').slice(0, 400) };
  });
  return { graded: String(data.graded ?? ''), cells };
}

export function mountClass() {
  const panel = document.querySelector('[data-class]');
  if (!panel) return;
  const learners = new Map();  // key -> {name, progress, grades: {slug: cell}}
  const grid = panel.querySelector('.class-grid');
  const message = el('ul', { class: 'class-messages', role: 'status', 'aria-live': 'polite' });
  const learner = (name) => {
    const key = keyOf(name) || name;
    if (!learners.has(key)) learners.set(key, { name, progress: null, grades: {} });
    return learners.get(key);
  };

  const render = () => {
    if (!learners.size) return;
    const rows = [...learners.values()].sort((a, b) => a.name.localeCompare(b.name));
    grid.replaceChildren(el('table', { class: 'class-table' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Learner'),
        lessons.map((l) => el('th', { scope: 'col', title: l.title }, String(l.number).padStart(2, '0'))))),
      el('tbody', {}, rows.map((r) => el('tr', { 'data-learner': r.name }, el('th', { scope: 'row' }, r.name),
        lessons.map((l) => cell(r, l.slug)))))));
  };

  const cell = (r, slug) => {
    const graded = r.grades[slug];
    const checks = r.progress ? Object.keys(r.progress.checks).filter((k) => k.startsWith(`${slug}.`)).length : 0;
    const small = checks ? el('small', {}, `${checks} self-check${checks === 1 ? '' : 's'}`) : '';
    if (graded) {
      const counts = graded.total ? ` ${graded.passed}/${graded.total}` : '';
      return el('td', { class: `graded state-${graded.state.replace(/ /g, '-')}`, 'data-provenance': 'graded',
        'data-state': graded.state, title: graded.first_message || null },
      el('span', {}, `${graded.state === 'passed' ? '✓' : graded.state === 'not handed in' || graded.state === 'untouched' ? '·' : '✗'} ${graded.state}${counts}`),
      el('span', { class: 'prov' }, 'graded'), small);
    }
    if (r.progress?.exercises[slug]) {
      const how = provenance(r.progress, slug);
      return el('td', { class: `reported ${how.replace(/ /g, '-')}`, 'data-provenance': how, 'data-state': 'passed' },
        el('span', {}, '✓ passes'), el('span', { class: 'prov' }, how), small);
    }
    return el('td', { 'data-provenance': 'none' }, small || '—');
  };

  const input = el('input', { type: 'file', multiple: true, accept: 'application/json,.json', hidden: true, 'data-class-files': '',
    onchange: async (e) => {
      const files = [...e.target.files];
      e.target.value = '';
      const said = [];
      for (const file of files) {
        try {
          if (file.size > 8 << 20) throw new Error('it is larger than any progress file or report');
          const data = JSON.parse(await file.text());
          if (data?.format === 'attention-lab-grades') {
            const report = validateGrades(data);
            for (const c of report.cells) learner(c.learner).grades[c.lesson] = c;
            said.push(el('li', { class: 'ok' }, `${file.name}: a grade report (${new Set(report.cells.map((c) => c.learner)).size} learners${report.graded ? `, graded ${report.graded}` : ''}).`));
          } else {
            const progress = validateProgress(data);
            const name = progress.name?.trim() || file.name.replace(/\.json$/i, '').replace(/^attention-lab-progress-?/, '') || file.name;
            const r = learner(name);
            r.progress = r.progress ? mergeProgress(r.progress, progress) : progress;
            said.push(el('li', { class: 'ok' }, `${file.name}: ${name}'s progress.`));
          }
        } catch (err) {
          said.push(el('li', { class: 'bad' }, `${file.name} was not imported: ${err instanceof SyntaxError ? 'it is not JSON' : err.message}.`));
        }
      }
      message.replaceChildren(...said);
      render();
      panel.dataset.learners = String(learners.size);
    } });
  panel.querySelector('.class-actions').append(
    el('button', { type: 'button', class: 'chip', 'data-action': 'import-class', onclick: () => input.click() },
      'Import progress files and grade reports…'),
    input, message);
  panel.dataset.learners = '0';
  panel.dataset.ready = 'true';
}
