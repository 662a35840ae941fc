// web/js/site/exercise.js — the lesson's exercise in the page (CodeMirror 6, C++).
//
// Served by `./lab serve`, the page holds a token (serve.js) and the editor is live: "Run tests"
// saves lessons/<slug>/exercise.cpp and streams `attnlab check <slug> --json` through the
// exercise API (web/exercise-server.mjs): each test's ✓ or ✗ as it finishes, compiler errors
// marked on their lines. "Reset to the stub" puts the course's stub back (the server keeps the
// learner's file as a .bak); "Compare with the reference" opens once the tests pass.
// Served as plain static files, the page shows the exercise read-only, with the commands.
import { EditorView, basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { cpp } from '@codemirror/lang-cpp';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { el } from '../dom.js';
import { here, hereNumber } from './course.js';
import { recordExercise } from './progress.js';
import { serveToken } from './serve.js';

const theme = EditorView.theme({
  '&': { border: '1px solid var(--rule)', borderRadius: 'var(--radius)', background: 'var(--code-bg)', color: 'var(--ink)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', maxHeight: '32rem' },
  '.cm-gutters': { background: 'var(--panel)', color: 'var(--muted)', borderRight: '1px solid var(--rule)' },
  '.cm-content': { caretColor: 'var(--ink)' },
  '.cm-activeLine, .cm-activeLineGutter': { background: 'color-mix(in srgb, var(--accent) 8%, transparent)' },
});

/** Calls the exercise API with the token; resolves the parsed JSON, or throws its error. */
async function api(token, method, path, body) {
  const res = await fetch(`/api/${path}`, { method, body, headers: { 'X-Attnlab-Token': token,
    ...(body === undefined ? {} : { 'Content-Type': 'text/plain; charset=utf-8' }) } });
  const data = await res.json().catch(() => ({ ok: false, error: `the server answered ${res.status}` }));
  if (!data.ok) throw new Error(data.error);
  return data;
}

/** Reads an NDJSON stream, calling onEvent for each object as it arrives. */
async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let partial = '';
  for (;;) {
    const { value, done } = await reader.read();
    partial += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    const lines = partial.split('\n');
    partial = lines.pop();
    for (const line of lines) if (line.trim()) onEvent(JSON.parse(line));
    if (done) break;
  }
  if (partial.trim()) onEvent(JSON.parse(partial));
}

function editor(parent, text, editable) {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [basicSetup, cpp(), lintGutter(), theme,
        EditorState.readOnly.of(!editable), EditorView.editable.of(editable),
        EditorView.contentAttributes.of({ 'aria-label': `lessons/${here}/exercise.cpp` })],
    }),
  });
}

/** The exercise's file in `box`: live with ./lab serve, read-only otherwise. */
export async function mountExercise(box) {
  const token = serveToken();
  let live = null;
  if (token) {
    try {
      live = await api(token, 'GET', 'status');
    } catch (e) {
      box.append(el('p', { class: 'error-banner', role: 'alert' }, `The exercise server refused this page: ${e.message}`));
    }
  }
  if (!live) return readOnly(box);
  const { text } = await api(token, 'GET', `exercise/${here}`);
  const status = el('p', { class: 'exercise-status', role: 'status', 'aria-live': 'polite' });
  const results = el('ol', { class: 'exercise-results', 'aria-label': 'The tests' });
  const errors = el('ul', { class: 'exercise-errors', 'aria-label': 'Compiler errors' });
  const reference = el('details', { class: 'exercise-reference', hidden: '' }, el('summary', {}, 'The reference'), el('pre', {}));
  const host = el('div', { class: 'exercise-editor', 'data-editor': 'live' });
  const run = el('button', { type: 'button', class: 'button-primary', 'data-action': 'run-tests' }, 'Run tests');
  const reset = el('button', { type: 'button', class: 'chip', 'data-action': 'reset' }, 'Reset to the stub');
  const compare = el('button', { type: 'button', class: 'chip', 'data-action': 'compare', disabled: '' }, 'Compare with the reference');
  box.append(el('p', { class: 'exercise-how' }, 'Edit the exercise here and run its tests: the page saves ',
    el('code', {}, `lessons/${here}/exercise.cpp`), ' and builds it on your machine (', el('code', {}, './lab serve'),
    ' is running). Your editor and ', el('code', {}, `./lab watch ${hereNumber}`), ' see the same file.'),
  host, el('div', { class: 'check-actions' }, run, reset, compare), status, errors, results, reference);
  const view = editor(host, text, true);
  const native = (state) => {
    box.dataset.native = state;
    status.textContent = {
      building: 'The native build is still running: the tests can run in a minute or two.',
      ready: 'The native build is ready: Run tests builds and tests your exercise.',
    }[state] ?? 'The native build failed: see the terminal where ./lab serve runs.';
  };
  if (live.native !== 'ready') {
    native(live.native);
    // Say so when it is ready (./lab serve serves the pages before the native build is done).
    const poll = setInterval(async () => {
      try {
        const now = await api(token, 'GET', 'status');
        if (now.native === 'building') return;
        clearInterval(poll);
        native(now.native);
      } catch {
        clearInterval(poll);
      }
    }, 3000);
  }

  const lineOf = (n) => view.state.doc.line(Math.min(Math.max(n, 1), view.state.doc.lines));
  const showErrors = (list) => {
    const goTo = (e) => {
      view.dispatch({ selection: { anchor: lineOf(e.line).from + Math.max(e.column - 1, 0) }, scrollIntoView: true });
      view.focus();
    };
    errors.replaceChildren(...list.map((e) => el('li', {},
      el('button', { type: 'button', class: 'link-button', onclick: () => goTo(e) }, `line ${e.line}`), `: ${e.message}`)));
    view.dispatch(setDiagnostics(view.state, list.map((e) => {
      const line = lineOf(e.line);
      const from = Math.min(line.from + Math.max(e.column - 1, 0), line.to);
      return { from, to: Math.max(from + 1, line.to), severity: 'error', message: e.message };
    })));
  };
  const busy = (on) => { for (const b of [run, reset]) b.disabled = on; box.dataset.running = String(on); };

  run.addEventListener('click', async () => {
    busy(true);
    results.replaceChildren();
    showErrors([]);
    box.dataset.state = 'running';
    try {
      status.textContent = 'Saving…';
      await api(token, 'PUT', `exercise/${here}`, view.state.doc.toString());
      status.textContent = 'Building your exercise with its tests…';
      const res = await fetch(`/api/check/${here}`, { method: 'POST', headers: { 'X-Attnlab-Token': token } });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `the server answered ${res.status}`);
      await readEvents(res, (e) => {
        if (e.event === 'queued') status.textContent = `Waiting for ${e.ahead} other run${e.ahead === 1 ? '' : 's'} to finish…`;
        if (e.event === 'build') status.textContent = 'Building your exercise with its tests…';
        if (e.event === 'test') {
          status.textContent = 'Running the tests…';
          const ok = e.state === 'passed';
          results.append(el('li', { class: ok ? 'pass' : 'fail', 'data-test': e.name, 'data-state': e.state },
            el('span', { class: 'mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), ' ', ok ? e.name : el('strong', {}, e.name),
            ok ? [] : el('ul', {}, ...e.failures.map((f) => el('li', {}, `test.cpp line ${f.line}: ${f.message}`)),
              e.note ? el('li', {}, e.note) : [])));
        }
        if (e.event === 'done') {
          box.dataset.state = e.state;
          if (e.state === 'does not compile') {
            showErrors(e.errors);
            status.textContent = e.errors.length
              ? `✗ It does not compile: ${e.errors.length} error${e.errors.length === 1 ? '' : 's'}, marked on ${e.errors.length === 1 ? 'its line' : 'their lines'}.`
              : '✗ It does not compile.';
            if (!e.errors.length) errors.replaceChildren(el('li', {}, el('pre', {}, e.compiler_output.slice(-3000))));
          } else if (e.state === 'passed') {
            status.textContent = `✓ All ${e.total} tests pass. Lesson ${hereNumber} done.`;
            compare.disabled = false;
            recordExercise(here, 'page');  // the tests ran here: "passed here", not a tick
            box.dispatchEvent(new CustomEvent('exercise-passed', { bubbles: true }));
          } else if (e.state === 'error' || (e.error && !e.total)) {
            status.textContent = `✗ ${e.error}`;
          } else {
            status.textContent = `✗ ${e.total - e.passed} of ${e.total} tests fail.` +
              (e.state === 'timed out' ? ' One ran past its time limit and was stopped.' : '');
          }
        }
      });
    } catch (e) {
      status.textContent = `✗ ${e.message}`;
      box.dataset.state = 'error';
    } finally {
      busy(false);
    }
  });

  reset.addEventListener('click', async () => {
    busy(true);
    try {
      const r = await api(token, 'POST', `reset/${here}`);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: r.text } });
      results.replaceChildren();
      showErrors([]);
      status.textContent = r.message;
    } catch (e) {
      status.textContent = `✗ ${e.message}`;
    } finally {
      busy(false);
    }
  });

  compare.addEventListener('click', async () => {
    try {
      const r = await api(token, 'POST', `solution/${here}`);
      reference.querySelector('pre').textContent = r.text;
      reference.hidden = false;
      reference.open = true;
    } catch (e) {
      status.textContent = e.message;
    }
  });
  box.dataset.ready = 'true';
}

async function readOnly(box) {
  const host = el('div', { class: 'exercise-editor', 'data-editor': 'read-only' });
  box.append(el('p', { class: 'exercise-how' }, 'The exercise, read-only: this page is served as static files. To edit it and ',
    'run its tests here, start ', el('code', {}, './lab serve'), ' and open the link it prints. Or, in a terminal, ',
    el('code', {}, `./lab watch ${hereNumber}`), ' (checks again on every save) or ', el('code', {}, `./lab check ${hereNumber}`), '.'),
  host);
  try {
    const res = await fetch('exercise.cpp');
    if (!res.ok) throw new Error(`exercise.cpp: ${res.status}`);
    editor(host, await res.text(), false);
  } catch (e) {
    host.append(el('p', { class: 'error-banner', role: 'alert' }, `The exercise could not be shown: ${e.message}`));
  }
  box.dataset.ready = 'true';
}
