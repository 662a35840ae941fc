// web/js/site/selfchecks.js — "predict, then reveal" questions at the end of each lesson, graded by
// the library compiled to WebAssembly (assets/checks/checks.mjs), hints one by one; and the
// lesson's native exercise, with a box to record that `./lab check N` passes.
import { el } from '../dom.js';
import { here, hereNumber, hintTiers, lessons } from './course.js';
import { askChecks, forgetExercise, loadChecks, loadProgress, provenance, record, recordExercise } from './progress.js';

const hintsKey = 'attention-lab-hints';

/** How many of each lesson's exercise hints this browser has revealed: {slug: 0..3}. */
function hintsSeen() {
  try {
    const v = JSON.parse(localStorage.getItem(hintsKey) ?? '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/**
 * The exercise's hints, one tier at a time as `./lab hint N` gives them (the idea, the invariant,
 * pseudo-code), each button press revealing the next and saying how many remain; remembered.
 */
function exerciseHints() {
  const hints = lessons.find((l) => l.slug === here)?.hints ?? [];
  const list = el('ol', { class: 'check-hints exercise-hints', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', class: 'chip', 'data-exercise-hint': '' });
  let shown = 0;
  const reveal = (k) => list.append(el('li', { 'data-tier': hintTiers[k] },
    el('strong', {}, `Hint ${k + 1} of ${hints.length}, ${hintTiers[k]}. `), hints[k]));
  const label = () => {
    const left = hints.length - shown;
    button.textContent = left === 0 ? 'No more hints' : shown === 0
      ? `Hint (1 of ${hints.length}: ${hintTiers[0]})`
      : `Next hint (${shown + 1} of ${hints.length}: ${hintTiers[shown]}; ${left} left)`;
    button.disabled = left === 0;
  };
  button.addEventListener('click', () => {
    if (shown >= hints.length) return;
    reveal(shown++);
    try {
      localStorage.setItem(hintsKey, JSON.stringify({ ...hintsSeen(), [here]: shown }));
    } catch { /* private mode: the hints still show, they are just not remembered */ }
    label();
  });
  const seen = Math.min(Number(hintsSeen()[here]) || 0, hints.length);
  while (shown < seen) reveal(shown++);
  label();
  return [el('div', { class: 'check-actions' }, button), list];
}

/** The lesson's native exercise: how to check it, its hints, and a box to record that it passes. */
function exerciseCard() {
  const key = here;
  const note = el('p', { class: 'check-feedback right', role: 'status', 'aria-live': 'polite' });
  const box = el('input', { type: 'checkbox', 'data-exercise-done': '',
    onchange: () => {
      if (box.checked) recordExercise(key, 'ticked');
      else forgetExercise(key);
      show();
    } });
  const card = el('div', { class: 'selfcheck exercise-card', 'data-exercise': key },
    el('p', { class: 'check-prompt' }, el('span', { class: 'check-num', 'aria-hidden': 'true' }, '⌨'), ' The exercise, on your machine'),
    el('p', { class: 'exercise-how' }, 'Fill in ', el('code', {}, `lessons/${here}/exercise.cpp`), ' and run ',
      el('code', {}, `./lab check ${hereNumber}`), '. When every test passes, tick the box; or run ',
      el('code', {}, './lab progress --export progress.json'), ' and import that file on the index, which records every exercise that passes.'),
    el('label', { class: 'check-option' }, box, ' ', el('span', {}, el('code', {}, `./lab check ${hereNumber}`), ' passes on my machine')),
    ...exerciseHints(),
    note);
  // The file itself, in an editor: loaded when the card is near, as CodeMirror is large.
  const editorBox = el('div', { class: 'exercise-in-page', 'data-exercise-editor': '' });
  card.append(editorBox);
  editorBox.addEventListener('exercise-passed', () => show());
  const open = () => import('./exercise.js').then((m) => m.mountExercise(editorBox)).catch((e) => {
    editorBox.append(el('p', { class: 'error-banner', role: 'alert' }, `The exercise editor could not start: ${e.message}`));
  });
  if ('IntersectionObserver' in window) {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); open(); }
    }, { rootMargin: '600px' });
    seen.observe(editorBox);
  } else open();
  const show = () => {
    const at = loadProgress().exercises[key];
    box.checked = Boolean(at);
    card.classList.toggle('done', box.checked);
    card.dataset.done = String(box.checked);
    const p = loadProgress();
    note.textContent = at ? `Recorded ${new Date(at).toLocaleDateString()}${provenance(p, key) === 'passed here'
      ? ': the tests ran on this machine.' : ', on your word (a teacher trusts a graded run).'}` : '';
  };
  show();
  return card;
}

export async function mountSelfChecks() {
  const section = document.querySelector('[data-selfchecks]');
  if (!section) return;
  section.append(exerciseCard());
  const body = section.querySelector('.selfchecks-body');
  let mod;
  try {
    mod = await loadChecks();
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error-banner', role: 'alert' }, `The self-checks could not start: ${e.message}`));
    return;
  }
  const r = mod.questions(here);
  if (!r.ok) {
    body.replaceChildren(el('p', { class: 'error-banner', role: 'alert' }, r.error));
    return;
  }
  body.replaceChildren(...r.questions.map((q, n) => selfCheck(mod, q, n)));
  section.dataset.ready = 'true';
}

function selfCheck(mod, q, n) {
  const done = () => Boolean(loadProgress().checks[q.id]);
  const feedback = el('p', { class: 'check-feedback', role: 'status', 'aria-live': 'polite' });
  const hints = el('ol', { class: 'check-hints' });
  let shown = 0;
  const hintButton = el('button', { type: 'button', class: 'chip', 'data-hint': '',
    onclick: () => {
      if (shown >= q.hints.length) return;
      hints.append(el('li', {}, q.hints[shown++]));
      hintButton.textContent = shown < q.hints.length ? `Another hint (${shown + 1} of ${q.hints.length})` : 'No more hints';
      hintButton.disabled = shown >= q.hints.length;
    } }, `Hint (1 of ${q.hints.length})`);
  const inputId = `answer-${q.id}`;
  let answerField;
  if (q.kind === 'choice') {
    answerField = el('div', { class: 'check-options', role: 'radiogroup', 'aria-labelledby': `prompt-${q.id}` },
      q.options.map((o, i) => el('label', { class: 'check-option' },
        el('input', { type: 'radio', name: inputId, value: String(i), 'data-option': i }), ' ', o)));
  } else {
    answerField = el('label', { class: 'check-answer' }, el('span', {}, q.kind === 'vector' ? 'Your numbers' : 'Your answer'),
      el('input', { type: 'text', id: inputId, inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
        placeholder: q.kind === 'vector' ? 'e.g. 0.10, 0.20' : 'a number' }));
  }
  const card = el('form', { class: 'selfcheck', 'data-check': q.id, novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const answer = q.kind === 'choice'
        ? card.querySelector(`input[name="${inputId}"]:checked`)?.value ?? ''
        : card.querySelector(`#${CSS.escape(inputId)}`).value;
      if (answer === '') {
        feedback.className = 'check-feedback wrong';
        feedback.textContent = q.kind === 'choice' ? 'Pick an answer first.' : 'Type an answer first.';
        return;
      }
      const g = await askChecks(mod, 'grade', q.id, answer);
      if (!g.ok) {
        feedback.className = 'check-feedback wrong';
        feedback.textContent = g.error;
        return;
      }
      feedback.className = `check-feedback ${g.correct ? 'right' : 'wrong'}`;
      feedback.textContent = g.correct ? `${g.feedback} (${g.expected})` : g.feedback;
      if (g.correct) {
        record('checks', q.id);
        card.classList.add('done');
        card.dataset.done = 'true';
      }
    } },
  el('p', { class: 'check-prompt', id: `prompt-${q.id}` }, el('span', { class: 'check-num' }, `${n + 1}.`), ' ', q.prompt),
  answerField,
  el('div', { class: 'check-actions' }, el('button', { type: 'submit', class: 'button small' }, 'Check'), hintButton),
  hints, feedback);
  if (done()) {
    card.classList.add('done');
    card.dataset.done = 'true';
    feedback.className = 'check-feedback right';
    feedback.textContent = 'Done earlier. Answer again any time.';
  }
  return card;
}

