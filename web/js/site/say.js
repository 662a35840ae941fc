// web/js/site/say.js — a polite live region: short messages a screen reader announces.
import { el } from '../dom.js';

const status = el('p', { class: 'sr-status', role: 'status', 'aria-live': 'polite' });
let timer;

export function say(text) {
  if (!status.isConnected) document.body.append(status);
  status.textContent = text;
  clearTimeout(timer);
  timer = setTimeout(() => (status.textContent = ''), 4000);
}
