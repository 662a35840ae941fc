// web/js/site/links.js — every widget's settings live in the URL (#state=…); "Copy link" shares the view.
//
// web/js/state.js registers every MatrixEditor, slider and toggle with how to read and
// restore it; this writes them to the URL after each edit and applies a link's state once
// every widget reports data-ready.
import { el } from '../dom.js';
import { applyState, captureState } from '../state.js';
import { say } from './say.js';

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
export async function restoreFromURL() {
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


export function copyLinkButton() {
  return el('button', { type: 'button', class: 'tool', 'data-action': 'copy-link', title: 'Copy a link to this view',
    onclick: copyLink }, 'Copy link');
}
