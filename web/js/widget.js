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
   * A run that takes a while (timing kernels): `button` is disabled and the section's data-state is
   * 'running' until `body(say)` settles, then 'done' (the banner clears) or 'error' (the banner says
   * why). say(text) writes progress into `status`, and lets the page paint before the next step.
   */
  async run({ button, status }, body) {
    const say = (text) => { status.textContent = text; return new Promise((r) => setTimeout(r, 0)); };
    button.disabled = true;
    this.section.dataset.state = 'running';
    try {
      await body(say);
      this.clear();
      this.section.dataset.state = 'done';
    } catch (e) {
      this.error(e.message);
      status.textContent = 'stopped.';
      this.section.dataset.state = 'error';
    } finally {
      button.disabled = false;
    }
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
