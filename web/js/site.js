// web/js/site.js — what every page shares, beyond the lesson's widgets:
//
//   theme       light or dark, from the system or the learner's choice (remembered)
//   presenter   large type for a class; ← → (or PageUp/PageDown) step through the sections
//   links       every widget's settings live in the URL (#state=…); "Copy link" shares the view
//   progress    visits, self-checks and exercises, kept in localStorage; shown on the index,
//               exported and imported as a JSON file a teacher can collect (no server);
//               `./lab progress --export FILE` writes the same file from the native exercises
//   self-checks "predict, then reveal" questions at the end of each lesson, graded by the
//               library compiled to WebAssembly (assets/checks/checks.mjs), hints one by one
//
// Loaded as a module by both templates; the page's own page.js builds its widgets.
import { applyState, captureState, download, el } from './widgets.js';

const root = document.documentElement;
const assets = new URL('..', import.meta.url);  // …/assets/
const lessonId = Number(document.body.dataset.lesson) || 0;

// ---------------------------------------------------------------- storage
const store = {
  get(key, fallback) {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch { /* private mode or full: the page works, it just forgets */ }
  },
};

// ---------------------------------------------------------------- theme
const THEME_KEY = 'attnlab.theme';
function applyTheme(theme) {
  root.dataset.theme = theme;
  for (const link of document.querySelectorAll('link[data-hljs]'))
    link.media = link.dataset.hljs === theme ? 'all' : 'not all';
  const button = document.querySelector('[data-action="theme"]');
  if (button) {
    button.setAttribute('aria-pressed', String(theme === 'dark'));
    button.title = theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme';
  }
}
// The first choice (remembered, else the system's) was made before the first paint by
// assets/js/theme.js; toolbar() below applies it to the code styles and the toggle.
const systemDark = matchMedia('(prefers-color-scheme: dark)');
systemDark.addEventListener('change', (e) => {
  if (store.get(THEME_KEY, null) === null) applyTheme(e.matches ? 'dark' : 'light');
});

// ---------------------------------------------------------------- the toolbar
const status = el('p', { class: 'sr-status', role: 'status', 'aria-live': 'polite' });
function say(text) {
  status.textContent = text;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => (status.textContent = ''), 4000);
}

function toolbar() {
  const bar = el('div', { class: 'site-tools', role: 'group', 'aria-label': 'Page tools' });
  if (lessonId) {
    bar.append(el('button', { type: 'button', class: 'tool', 'data-action': 'copy-link', title: 'Copy a link to this view',
      onclick: copyLink }, 'Copy link'));
    bar.append(el('button', { type: 'button', class: 'tool', 'data-action': 'present', 'aria-pressed': 'false',
      title: 'Presenter mode: large type, ← → step through the lesson (P)', onclick: () => present(!presenting()) }, 'Present'));
  }
  bar.append(el('button', { type: 'button', class: 'tool', 'data-action': 'theme', 'aria-pressed': 'false',
    onclick: () => {
      const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
      store.set(THEME_KEY, next);
      applyTheme(next);
    } }, el('span', { 'aria-hidden': 'true' }, '◐ '), 'Dark'));
  document.querySelector('.topbar')?.append(bar);
  document.body.append(status);
  applyTheme(root.dataset.theme);
}

// ---------------------------------------------------------------- presenter mode
const presenting = () => document.body.classList.contains('presenter');
function present(on) {
  document.body.classList.toggle('presenter', on);
  document.querySelector('[data-action="present"]')?.setAttribute('aria-pressed', String(on));
  say(on ? 'Presenter mode: ← and → step through the sections, Esc leaves.' : 'Presenter mode off.');
}
function step(direction) {
  // A section scrolled to sits just under the sticky top bar (scroll-padding-top): about 72 px down.
  const stops = [...document.querySelectorAll('main h1, main h2, main .widget, main .selfchecks')];
  const top = (s) => s.getBoundingClientRect().top;
  const target = direction > 0 ? stops.find((s) => top(s) > 104) : [...stops].reverse().find((s) => top(s) < 40);
  (target ?? stops[direction > 0 ? stops.length - 1 : 0])?.scrollIntoView({ block: 'start' });
}
document.addEventListener('keydown', (e) => {
  const typing = e.target.closest?.('input, textarea, select, [contenteditable]');
  if (typing || e.altKey || e.ctrlKey || e.metaKey || !lessonId) return;
  if (e.key === 'p' || e.key === 'P') present(!presenting());
  else if (presenting() && (e.key === 'ArrowRight' || e.key === 'PageDown')) { step(1); e.preventDefault(); }
  else if (presenting() && (e.key === 'ArrowLeft' || e.key === 'PageUp')) { step(-1); e.preventDefault(); }
  else if (presenting() && e.key === 'Escape') present(false);
});

// ---------------------------------------------------------------- shareable links
const STATE_PREFIX = '#state=';
function encodeState(state) {
  return STATE_PREFIX + encodeURIComponent(JSON.stringify(state));
}
function decodeState(hash) {
  if (!hash.startsWith(STATE_PREFIX)) return null;
  try {
    const state = JSON.parse(decodeURIComponent(hash.slice(STATE_PREFIX.length)));
    return state && typeof state === 'object' && !Array.isArray(state) ? state : null;
  } catch {
    return null;
  }
}
function saveStateToURL() {
  const state = captureState();
  if (Object.keys(state).length) history.replaceState(null, '', encodeState(state));
}
async function copyLink() {
  saveStateToURL();
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
    say('Link copied: it opens this page with these settings.');
  } catch {
    window.prompt('Copy this link:', link);
  }
  document.body.dataset.copiedLink = link;
}
function widgetsReady() {
  const widgets = [...document.querySelectorAll('[data-widget]')];
  const done = () => widgets.every((w) => w.dataset.ready === 'true' || w.querySelector('.error-banner'));
  return new Promise((resolve) => {
    if (done()) return resolve();
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.querySelector('main'), { attributes: true, subtree: true, childList: true });
    setTimeout(() => { observer.disconnect(); resolve(); }, 20000);
  });
}
async function restoreFromURL() {
  const state = decodeState(location.hash);
  await widgetsReady();
  if (state) {
    const applied = applyState(state);
    say(applied ? 'Restored the settings from the link.' : 'This link\'s settings do not fit this page; showing the defaults.');
  }
  document.body.dataset.stateRestored = 'true';
  let timer;
  const later = () => { clearTimeout(timer); timer = setTimeout(saveStateToURL, 250); };
  for (const type of ['input', 'change', 'click']) document.querySelector('main')?.addEventListener(type, later);
}

// ---------------------------------------------------------------- progress
const PROGRESS_KEY = 'attnlab.progress';
const PARTS = ['visited', 'checks', 'exercises'];  // each maps an id to the time it happened
const emptyProgress = () => ({ format: 'attention-lab-progress', version: 1, visited: {}, checks: {}, exercises: {} });
function loadProgress() {
  const p = store.get(PROGRESS_KEY, null);
  if (!p || p.format !== 'attention-lab-progress') return emptyProgress();
  for (const part of PARTS) if (typeof p[part] !== 'object' || p[part] === null) p[part] = {};
  return p;
}
function saveProgress(p) {
  store.set(PROGRESS_KEY, p);
}
/** Checks an imported file; returns a clean progress object or throws a message. */
function validateProgress(data) {
  if (!data || data.format !== 'attention-lab-progress' || data.version !== 1)
    throw new Error('this is not an Attention Lab progress file (format attention-lab-progress, version 1)');
  const clean = emptyProgress();
  for (const part of PARTS) {
    if (part === 'exercises' && data[part] === undefined) continue;  // files from before exercises were recorded
    if (typeof data[part] !== 'object' || data[part] === null || Array.isArray(data[part])) throw new Error(`its "${part}" is not a list`);
    for (const [k, v] of Object.entries(data[part])) {
      if (!/^[\w-]{1,40}$/.test(k) || typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new Error(`its entry "${k}" is not valid`);
      clean[part][k] = v;
    }
  }
  if (typeof data.name === 'string') clean.name = data.name.slice(0, 80);
  return clean;
}
function mergeProgress(a, b) {
  const out = emptyProgress();
  for (const part of PARTS) Object.assign(out[part], a[part], b[part]);
  if (a.name || b.name) out.name = b.name || a.name;
  return out;
}

let checksModule = null;
async function loadChecks() {
  checksModule ??= (async () => {
    const { default: create } = await import(new URL('checks/checks.mjs', assets).href);
    return create();
  })();
  return checksModule;
}

// ---------------------------------------------------------------- self-checks (lesson pages)
/** The lesson's native exercise: how to check it, and a box to record that it passes. */
function exerciseCard() {
  const nn = String(lessonId).padStart(2, '0');
  const folder = location.pathname.split('/').filter(Boolean).at(-2) ?? `${nn}_…`;
  const key = String(lessonId);
  const note = el('p', { class: 'check-feedback right', role: 'status', 'aria-live': 'polite' });
  const box = el('input', { type: 'checkbox', 'data-exercise-done': '',
    onchange: () => {
      const p = loadProgress();
      if (box.checked) p.exercises[key] ??= new Date().toISOString();
      else delete p.exercises[key];
      saveProgress(p);
      show();
    } });
  const card = el('div', { class: 'selfcheck exercise-card', 'data-exercise': key },
    el('p', { class: 'check-prompt' }, el('span', { class: 'check-num', 'aria-hidden': 'true' }, '⌨'), ' The exercise, on your machine'),
    el('p', { class: 'exercise-how' }, 'Fill in ', el('code', {}, `lessons/${folder}/exercise.cpp`), ' and run ',
      el('code', {}, `./lab check ${lessonId}`), '. When every test passes, tick the box; or run ',
      el('code', {}, './lab progress --export progress.json'), ' and import that file on the index, which records every exercise that passes.'),
    el('label', { class: 'check-option' }, box, ' ', el('span', {}, el('code', {}, `./lab check ${lessonId}`), ' passes on my machine')),
    note);
  const show = () => {
    const at = loadProgress().exercises[key];
    box.checked = Boolean(at);
    card.classList.toggle('done', box.checked);
    card.dataset.done = String(box.checked);
    note.textContent = at ? `Recorded ${new Date(at).toLocaleDateString()}.` : '';
  };
  show();
  return card;
}

async function mountSelfChecks() {
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
  const r = mod.questions(lessonId);
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
    onsubmit: (e) => {
      e.preventDefault();
      const answer = q.kind === 'choice'
        ? card.querySelector(`input[name="${inputId}"]:checked`)?.value ?? ''
        : card.querySelector(`#${CSS.escape(inputId)}`).value;
      if (answer === '') {
        feedback.className = 'check-feedback wrong';
        feedback.textContent = q.kind === 'choice' ? 'Pick an answer first.' : 'Type an answer first.';
        return;
      }
      const g = mod.grade(q.id, answer);
      if (!g.ok) {
        feedback.className = 'check-feedback wrong';
        feedback.textContent = g.error;
        return;
      }
      feedback.className = `check-feedback ${g.correct ? 'right' : 'wrong'}`;
      feedback.textContent = g.correct ? `${g.feedback} (${g.expected})` : g.feedback;
      if (g.correct) {
        const p = loadProgress();
        p.checks[q.id] ??= new Date().toISOString();
        saveProgress(p);
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

// ---------------------------------------------------------------- the index: progress
async function mountIndexProgress() {
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
      const done = Object.keys(p.checks).filter((k) => k.startsWith(`${String(id).padStart(2, '0')}-`)).length;
      doneAll += Math.min(done, n);
      const visited = Boolean(p.visited[id]);
      const exercise = Boolean(p.exercises[id]);
      exercisesDone += exercise ? 1 : 0;
      card.dataset.visited = String(visited);
      card.dataset.checksDone = String(done);
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
        exercise ? el('span', { class: 'exercise-done' }, '✓ exercise passes') : '');
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

// ---------------------------------------------------------------- start
toolbar();
if (lessonId) {
  const p = loadProgress();
  p.visited[lessonId] ??= new Date().toISOString();
  saveProgress(p);
  mountSelfChecks();
  restoreFromURL();
} else {
  mountIndexProgress();
}
