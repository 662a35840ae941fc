// web/js/site/presenter.js — large type for a class; ← → (or PageUp/PageDown) step through the sections.
import { el } from '../dom.js';
import { say } from './say.js';

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

/** The toolbar's button, and the keys (P, arrows, Esc) while on a lesson page. */
export function presenterButton() {
  document.addEventListener('keydown', (e) => {
    const typing = e.target.closest?.('input, textarea, select, [contenteditable]');
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'p' || e.key === 'P') present(!presenting());
    else if (presenting() && (e.key === 'ArrowRight' || e.key === 'PageDown')) { step(1); e.preventDefault(); }
    else if (presenting() && (e.key === 'ArrowLeft' || e.key === 'PageUp')) { step(-1); e.preventDefault(); }
    else if (presenting() && e.key === 'Escape') present(false);
  });
  return el('button', { type: 'button', class: 'tool', 'data-action': 'present', 'aria-pressed': 'false',
    title: 'Presenter mode: large type, ← → step through the lesson (P)', onclick: () => present(!presenting()) }, 'Present');
}
