// web/js/controls.js — a labelled slider and a checkbox switch, both part of shareable links.
import { el } from './dom.js';
import { register } from './state.js';

/** A labelled range slider; `format(v)` writes the value beside it. */
export function slider({ name, label, min, max, step, value, format = String, oninput }) {
  const output = el('output', { class: 'slider-value', 'data-slider-value': name }, format(value));
  const input = el('input', {
    type: 'range', min, max, step, value, 'data-slider': name, 'aria-label': label,
    oninput: (e) => {
      output.textContent = format(Number(e.target.value));
      oninput?.(Number(e.target.value));
    },
  });
  const node = el('label', { class: 'slider' }, el('span', { class: 'slider-label' }, label), input, output);
  const control = {
    node,
    get value() { return Number(input.value); },
    set(v) { input.value = v; output.textContent = format(Number(input.value)); },
  };
  register({ node: input, key: name, get: () => Number(input.value),
    set: (v) => { if (!Number.isFinite(Number(v))) throw new Error('not a number'); control.set(v); oninput?.(Number(input.value)); } });
  return control;
}

/** A labelled checkbox switch. */
export function toggle({ name, label, checked = false, onchange }) {
  const input = el('input', { type: 'checkbox', 'data-toggle': name, onchange: (e) => onchange?.(e.target.checked) });
  input.checked = checked;
  const node = el('label', { class: 'toggle' }, input, el('span', {}, label));
  register({ node: input, key: name, get: () => input.checked,
    set: (v) => { input.checked = v === true; onchange?.(input.checked); } });
  return { node, get checked() { return input.checked; }, set(v) { input.checked = v; } };
}

