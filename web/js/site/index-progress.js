// web/js/site/index-progress.js — the index's progress panel: per lesson, self-checks done, visited,
// exercise passing; a name for the teacher; export and import of the progress file.
import { download } from '../export.js';
import { el } from '../dom.js';
import { loadChecks, loadProgress, mergeProgress, provenance, saveProgress, validateProgress } from './progress.js';

export async function mountIndexProgress() {
  const panel = document.querySelector('[data-progress]');
  if (!panel) return;
  const summary = panel.querySelector('.progress-summary');
  const message = el('p', { class: 'progress-message', role: 'status', 'aria-live': 'polite' });
  let counts = {};
  try {
    const r = (await loadChecks()).all_counts();
    if (r.ok) counts = r.counts;
  } catch { /* the counts need the module; visits still show */ }

  const render = () => {
    const p = loadProgress();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    let doneAll = 0, exercisesDone = 0;
    for (const card of document.querySelectorAll('.card[data-lesson]')) {
      const id = card.dataset.lesson;
      const n = counts[id] ?? 0;
      const done = Object.keys(p.checks).filter((k) => k.startsWith(`${id}.`)).length;
      doneAll += Math.min(done, n);
      const visited = Boolean(p.visited[id]);
      const exercise = Boolean(p.exercises[id]);
      exercisesDone += exercise ? 1 : 0;
      card.dataset.visited = String(visited);
      card.dataset.checksDone = String(done);
      card.dataset.checks = String(n);
      card.dataset.exercise = String(exercise);
      let meter = card.querySelector('.card-progress');
      if (!meter) {
        meter = el('span', { class: 'card-progress' });
        card.querySelector('.card-body').append(meter);
      }
      const complete = n > 0 && done >= n;
      card.classList.toggle('complete', complete);
      meter.replaceChildren(
        el('span', { class: 'dots', 'aria-hidden': 'true' }, Array.from({ length: n }, (_, k) => el('span', { class: k < done ? 'dot on' : 'dot' }))),
        el('span', {}, complete ? `✓ ${n === 1 ? 'self-check' : `all ${n} self-checks`} done` :
          `${done} of ${n} self-check${n === 1 ? '' : 's'}${visited ? ' · visited' : ''}`),
        exercise ? el('span', { class: 'exercise-done', 'data-provenance': provenance(p, id) },
          provenance(p, id) === 'passed here' ? '✓ exercise passes here' : '✓ exercise ticked (your word)') : '');
    }
    const pct = total ? Math.round((100 * doneAll) / total) : 0;
    panel.dataset.done = String(doneAll);
    panel.dataset.exercises = String(exercisesDone);
    const lessonCount = document.querySelectorAll('.card[data-lesson]').length;
    summary.replaceChildren(
      el('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(total),
        'aria-valuenow': String(doneAll), 'aria-label': 'Self-checks done' },
      el('span', { style: { width: `${pct}%` } })),
      el('p', {}, el('strong', {}, `${doneAll} of ${total}`), ' self-checks done, ',
        el('strong', {}, `${exercisesDone} of ${lessonCount}`), ' exercises passing, ',
        `${Object.keys(p.visited).length} of ${lessonCount} lessons visited.`,
        p.name ? ` (${p.name})` : ''));
  };

  const nameInput = el('input', { type: 'text', id: 'progress-name', autocomplete: 'name', value: loadProgress().name ?? '',
    onchange: (e) => { const p = loadProgress(); p.name = e.target.value.slice(0, 80); saveProgress(p); render(); } });
  const fileInput = el('input', { type: 'file', accept: 'application/json,.json', hidden: true, 'data-import-file': '',
    onchange: async (e) => {
      const file = e.target.files[0];
      e.target.value = '';
      if (!file) return;
      try {
        if (file.size > 1 << 20) throw new Error('the file is larger than any progress file');
        const merged = mergeProgress(loadProgress(), validateProgress(JSON.parse(await file.text())));
        saveProgress(merged);
        render();
        message.className = 'progress-message ok';
        message.textContent = `Imported ${file.name}.`;
      } catch (err) {
        message.className = 'progress-message bad';
        message.textContent = `Could not import ${file.name}: ${err instanceof SyntaxError ? 'it is not JSON' : err.message}.`;
      }
    } });
  panel.querySelector('.progress-actions').append(
    el('label', { class: 'progress-name' }, el('span', {}, 'Your name (for your teacher)'), nameInput),
    el('button', { type: 'button', class: 'chip', 'data-action': 'export-progress', onclick: () => {
      const p = loadProgress();
      p.exported = new Date().toISOString();
      const who = (p.name ?? '').trim().replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '');
      download(`attention-lab-progress${who ? `-${who}` : ''}.json`, new Blob([JSON.stringify(p, null, 1)], { type: 'application/json' }));
    } }, 'Export progress'),
    el('button', { type: 'button', class: 'chip', 'data-action': 'import-progress', onclick: () => fileInput.click() }, 'Import…'),
    fileInput, message);
  render();
  panel.dataset.ready = 'true';
}

