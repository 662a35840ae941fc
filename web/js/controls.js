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


/**
 * A row of buttons, one of them chosen (aria-pressed), part of shareable links: the choice of a
 * mode, a number of heads, a task. `options` is [[value, text], …]; each button carries
 * data-<name> = its value. onpick(value) fires when the learner picks one.
 */
export function chips({ name, label, options, value, onpick }) {
  let chosen = value;
  const buttons = options.map(([v, text]) =>
    el('button', { type: 'button', class: 'chip', [`data-${name}`]: String(v), onclick: () => pick(v) }, text));
  const show = () => buttons.forEach((b, k) => b.setAttribute('aria-pressed', String(options[k][0] === chosen)));
  const pick = (v) => {
    chosen = v;
    show();
    onpick?.(v);
  };
  const node = el('div', { class: 'toolbar', role: 'group', 'aria-label': label },
    el('span', { class: 'toolbar-label' }, label), buttons);
  show();
  register({ node, key: name, get: () => chosen,
    set: (v) => { if (!options.some(([o]) => o === v)) throw new Error('not an option'); pick(v); } });
  return { node, get value() { return chosen; }, set(v) { chosen = v; show(); } };
}
