// web/js/widget.js — one lifecycle for every widget on a lesson page.
//
//   mountWidget('attention', createLessonModule, (w) => {
//     const ex = w.need('example');                  // a result, or the widget says it cannot start
//     const update = () => {
//       const r = w.call('self', X.values, ...);    // a result, or null: the banner shows the error
//       if (!r) return;                              // and the last good output stays, dimmed
//       ...
//     };
//     w.append(controls, w.banner.node, figures);
//   });
//
// The lesson's module is loaded once per page, however many widgets use it. The
// widget's title and help line come from the README's directive
// (<!-- widget: NAME | Title | help -->, rendered by web/build.mjs), so page.js
// builds only what is the widget's own.
import { el } from './dom.js';
import { assets } from './site/course.js';

/** What a cancelled long run rejects with. */
class Cancelled extends Error {}

/** A message box that shows errors from the module; the page keeps working. */
export class ErrorBanner {
  constructor() {
    this.node = el('div', { class: 'error-banner', role: 'alert', hidden: true });
  }
  show(message) {
    this.node.replaceChildren(el('strong', {}, 'That input does not work: '), el('span', { class: 'error-text' }, message));
    this.node.hidden = false;
  }
  clear() {
    this.node.hidden = true;
    this.node.replaceChildren();
  }
}

const modules = new Map();  // loader -> the promise of its module: one instance per page
const load = (loader) => {
  if (!modules.has(loader)) modules.set(loader, loader());
  return modules.get(loader);
};

/** What build() gets: the module, the section, its banner, and calls that show their own errors. */
class Widget {
  constructor(section, lesson) {
    this.section = section;
    this.lesson = lesson;
    this.body = section.querySelector('.widget-body') ?? section;
    this.banner = new ErrorBanner();
  }

  /** lesson[fn](...args) if it succeeds (the banner clears); null if not (the banner shows why, output dims). */
  call(fn, ...args) {
    const r = this.lesson[fn](...args);
    if (!r.ok) {
      this.error(r.error);
      return null;
    }
    this.clear();
    return r;
  }

  /** Shows `message` in the banner and dims the last good output. */
  error(message) {
    this.banner.show(message);
    this.section.classList.add('stale');
  }

  clear() {
    this.banner.clear();
    this.section.classList.remove('stale');
  }

  /** lesson[fn](...args), which the widget cannot do without: an error stops the widget from starting. */
  need(fn, ...args) {
    const r = this.lesson[fn](...args);
    if (!r.ok) throw new Error(r.error);
    return r;
  }

  /**
   * A run long enough to freeze a page (timing kernels), done in a Web Worker that holds its own
   * copy of the lesson's module (`module`: the URL of its lesson.mjs). Returns { node, start }: node
   * holds the button (`label`, data-action=`action`), a Cancel button, a progress bar and the status
   * line (`idle` until the first run). start() disables the button, sets the section's data-state
   * to 'running' and awaits body({ say, work }): work(fn, ...args) is lesson[fn](...args) in the
   * worker (its result, or it throws the module's error); say(text, done) writes the status and
   * how much is done (0..1). Then data-state is 'done' (the banner clears) or 'error' (the banner
   * says why). Cancel terminates the worker, so a kernel mid-run stops at once: 'cancelled'.
   */
  longRun({ label, action, module, idle = '' }, body) {
    let worker = null, pending = new Map(), next = 0, cancelled = false;
    const status = el('p', { class: 'run-status', 'aria-live': 'polite' }, idle);
    const bar = el('progress', { class: 'run-progress', max: 1, value: 0, hidden: true, 'aria-label': `${label}: how much is done` });
    const stop = () => {
      cancelled = true;
      worker?.terminate();
      worker = null;
      for (const { reject } of pending.values()) reject(new Cancelled());
      pending = new Map();
    };
    const work = (fn, ...args) => {
      if (cancelled) return Promise.reject(new Cancelled());
      if (!worker) {
        worker = new Worker(new URL('js/worker.js', assets), { type: 'module' });
        worker.onmessage = ({ data: { id, result } }) => {
          const p = pending.get(id);
          pending.delete(id);
          if (result.ok) p?.resolve(result);
          else p?.reject(new Error(result.error));
        };
        worker.onerror = (e) => {  // the worker itself failed (its script did not load): every call fails
          e.preventDefault();
          for (const p of pending.values()) p.reject(new Error(`the run's worker failed: ${e.message || 'it could not start'}`));
          pending = new Map();
          worker?.terminate();
          worker = null;
        };
      }
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, module: String(module), fn, args });
      });
    };
    const say = (text, done) => {
      status.textContent = text;
      if (done !== undefined) bar.value = done;
    };
    const button = el('button', { type: 'button', class: 'button-primary', 'data-action': action, onclick: () => start() }, label);
    const cancel = el('button', { type: 'button', class: 'chip', 'data-action': 'cancel', hidden: true, onclick: () => stop() }, 'Cancel');
    const start = async () => {
      cancelled = false;
      button.disabled = true;
      cancel.hidden = bar.hidden = false;
      bar.value = 0;
      this.section.dataset.state = 'running';
      try {
        await body({ say, work });
        this.clear();
        bar.value = 1;
        this.section.dataset.state = 'done';
      } catch (e) {
        if (e instanceof Cancelled) {
          status.textContent = 'cancelled: what finished before is kept. Press the button to run again.';
          this.section.dataset.state = 'cancelled';
        } else {
          this.error(e.message);
          status.textContent = 'stopped.';
          this.section.dataset.state = 'error';
        }
      } finally {
        button.disabled = false;
        cancel.hidden = true;
      }
    };
    return { node: el('div', { class: 'long-run' }, button, cancel, bar, status), start, button, status };
  }

  append(...nodes) {
    this.body.append(...nodes);
  }
}

/**
 * Loads the lesson's module (once per page) and mounts `build(widget)` into the
 * <section data-widget=name>. A module that fails to load, or a build that throws,
 * leaves a message in the section instead of a blank space.
 */
export async function mountWidget(name, loader, build) {
  const section = document.querySelector(`[data-widget="${name}"]`);
  if (!section) throw new Error(`this page has no <section data-widget="${name}">`);
  const body = section.querySelector('.widget-body') ?? section;
  try {
    const widget = new Widget(section, await load(loader));
    body.replaceChildren();
    build(widget);
    section.dataset.ready = 'true';
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error-banner', role: 'alert' },
      `This widget could not start: ${e?.message ?? e}. The lesson text still works; try reloading.`));
    throw e;
  }
}
