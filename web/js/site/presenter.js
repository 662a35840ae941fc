// web/js/site/presenter.js — a lesson as slides, for a class: one idea per slide.
//
// Presenter mode (the toolbar's Present, or P) turns the lesson page into a deck built from its own
// parts: a title slide (the lesson's title, summary and where it sits in a transformer), then one
// slide per widget, per key equation and per figure, each under the heading of its section, and
// the self-checks last. The widgets stay live: a slide is the page's own widget, not a picture of
// it. → ↓ PageDown Space (what clickers send) go forward, ← ↑ PageUp Backspace back, Home and End
// to the ends, a number then Enter to that slide, B blanks the screen, Esc leaves. Printed in
// presenter mode, the page is the handout (style.css): every slide in order, numbered, each kept on
// one page where it fits; a widget taller than a page goes on over the next, and nothing is cut.
import { el } from '../dom.js';
import { say } from './say.js';

const presenting = () => document.body.classList.contains('presenter');
let slides = [];   // [{heading, parts: [element…]}]
let at = 0;
let typed = '';     // digits typed before Enter
let bar = null;

/** The deck, from the lesson's top-level parts in reading order. */
function deck() {
  const main = document.querySelector('main.lesson');
  if (!main) return [];
  const kids = [...main.children];
  const title = kids.filter((e) => e.matches('.kicker, h1, .lede, .where-diagram'));
  const out = [{ heading: null, parts: title }];
  let heading = null;
  for (const e of kids) {
    if (e.tagName === 'H2') heading = e;
    else if (e.matches('section[data-widget], .math-display, figure:not(.where-diagram), .selfchecks'))
      out.push({ heading, parts: [e] });
  }
  return out;
}

function mark() {
  for (const e of document.querySelectorAll('[data-slide], [data-slide-heading]')) {
    delete e.dataset.slide;
    delete e.dataset.slideFirst;
    delete e.dataset.slideHeading;
    e.classList.remove('on-slide');
  }
  slides.forEach((s, k) => {
    s.parts.forEach((p, i) => {
      p.dataset.slide = String(k + 1);
      if (i === 0) p.dataset.slideFirst = 'true';
    });
    if (s.heading) s.heading.dataset.slideHeading = s.heading.dataset.slideHeading ? `${s.heading.dataset.slideHeading} ${k + 1}` : String(k + 1);
  });
}

function show(k) {
  at = Math.max(0, Math.min(slides.length - 1, k));
  for (const e of document.querySelectorAll('.on-slide')) e.classList.remove('on-slide');
  const s = slides[at];
  for (const p of s.parts) p.classList.add('on-slide');
  s.heading?.classList.add('on-slide');
  bar.querySelector('.slide-count').textContent = `${at + 1} / ${slides.length}`;
  window.scrollTo(0, 0);
  say(`Slide ${at + 1} of ${slides.length}${s.heading ? `: ${s.heading.textContent.replace(/^#/, '')}` : ''}`);
}

function present(on) {
  document.body.classList.toggle('presenter', on);
  document.querySelector('[data-action="present"]')?.setAttribute('aria-pressed', String(on));
  if (on) {
    slides = deck();
    mark();
    bar ??= el('nav', { class: 'slide-bar', 'aria-label': 'Slides' },
      el('button', { type: 'button', class: 'tool', 'aria-label': 'Previous slide', onclick: () => show(at - 1) }, '‹'),
      el('span', { class: 'slide-count', 'aria-live': 'off' }),
      el('button', { type: 'button', class: 'tool', 'aria-label': 'Next slide', onclick: () => show(at + 1) }, '›'),
      el('button', { type: 'button', class: 'tool', onclick: () => window.print() }, 'Print handout'),
      el('button', { type: 'button', class: 'tool', onclick: () => present(false) }, 'Exit'));
    document.body.append(bar);
    show(0);
    say(`Presenter mode, ${slides.length} slides: → and ← step through them, Esc leaves.`);
  } else {
    for (const e of document.querySelectorAll('.on-slide')) e.classList.remove('on-slide');
    document.body.classList.remove('blank');
    bar?.remove();
    say('Presenter mode off.');
  }
}

const forward = ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'];
const back = ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'];

/** The toolbar's button, and the keys (P, then the deck's keys) while on a lesson page. */
export function presenterButton() {
  document.addEventListener('keydown', (e) => {
    const typing = e.target.closest?.('input, textarea, select, [contenteditable], .cm-editor');
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    if (!presenting()) {
      if (e.key === 'p' || e.key === 'P') present(true);
      return;
    }
    // A widget's own control keeps its keys (a slider's arrows, a button's Enter and Space).
    const control = e.target.closest?.('button, a, [role="slider"], [role="radio"], [role="tab"], summary');
    if (control && !control.closest('.slide-bar') && [...forward, ...back].includes(e.key)) return;
    if (/^\d$/.test(e.key)) { typed += e.key; return; }
    if (e.key === 'Enter' && typed) { show(Number(typed) - 1); typed = ''; e.preventDefault(); return; }
    typed = '';
    if (forward.includes(e.key)) show(at + 1);
    else if (back.includes(e.key)) show(at - 1);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(slides.length - 1);
    else if (e.key === 'b' || e.key === 'B' || e.key === '.') document.body.classList.toggle('blank');
    else if (e.key === 'Escape' || e.key === 'p' || e.key === 'P') present(false);
    else return;
    e.preventDefault();
  });
  return el('button', { type: 'button', class: 'tool', 'data-action': 'present', 'aria-pressed': 'false',
    title: 'Presenter mode: the lesson as slides, → ← to step, printable as a handout (P)', onclick: () => present(!presenting()) }, 'Present');
}
