// web/js/site/theme.js — light or dark, from the system or the learner's choice (remembered).
//
// The first choice was made before the first paint by assets/js/theme.js (a classic script
// in <head>); this module applies it to the code styles and the toggle, and follows the system.
import { el } from '../dom.js';
import { store } from './store.js';

const KEY = 'attnlab.theme';
const root = document.documentElement;

export function applyTheme(theme) {
  root.dataset.theme = theme;
  for (const link of document.querySelectorAll('link[data-hljs]')) link.media = link.dataset.hljs === theme ? 'all' : 'not all';
  const button = document.querySelector('[data-action="theme"]');
  if (button) {
    // The label names what a press gives (the review found "Dark" shown in dark mode too).
    button.querySelector('[data-theme-label]').textContent = theme === 'dark' ? 'Light' : 'Dark';
    button.title = theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme';
  }
}

matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
  if (store.get(KEY, null) === null) applyTheme(e.matches ? 'dark' : 'light');
});

/** The toolbar's theme toggle. */
export function themeButton() {
  return el('button', { type: 'button', class: 'tool', 'data-action': 'theme',
    onclick: () => {
      const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
      store.set(KEY, next);
      applyTheme(next);
    } }, el('span', { 'aria-hidden': 'true' }, '◐ '), el('span', { 'data-theme-label': '' }, 'Dark'));
}
