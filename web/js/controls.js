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

/** A labelled one-line text box (a text for a model, lessons 16-18), part of shareable links. */
export function textField({ name, label, value = '', maxlength = 128, oninput }) {
  const input = el('input', { type: 'text', class: 'text-input', value, maxlength, 'data-input': name, 'aria-label': label,
    oninput: () => oninput?.(input.value) });
  const node = el('label', { class: 'text-field' }, el('span', {}, label), input);
  register({ node: input, key: name, get: () => input.value,
    set: (v) => { input.value = String(v).slice(0, maxlength); oninput?.(input.value); } });
  return { node, input, get value() { return input.value; }, set(v) { input.value = v; } };
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

/**
 * Step-through controls for states 0…count(): Reset, Back, Step, Play/Pause at a chosen speed, and
 * Run to end (data-action reset, back, step, play, end), with `extra` buttons [[label, action,
 * (at) => new at], …] after Step. onstep(at) draws state `at`; `next(at)` is the step forward.
 * Play only starts when asked, and under prefers-reduced-motion it moves a step at a time with no
 * transitions (the CSS drops them): the learner sets the pace. Not part of shareable links.
 */
export function stepper({ name, count, onstep, next = (at) => at + 1, labels = {}, extra = [] }) {
  let at = 0, timer = null;
  const go = (v) => {
    at = Math.max(0, Math.min(count(), v));
    if (at >= count()) pause();
    onstep(at);
  };
  const button = (label, action, fn) =>
    el('button', { type: 'button', class: 'chip', 'data-action': action, onclick: fn }, label);
  const speed = el('select', { 'aria-label': 'steps per second', 'data-speed': name },
    [1, 2, 4, 8].map((s) => el('option', { value: String(s) }, `${s}/s`)));
  speed.value = '2';
  const play = button('Play ▶▶', 'play', () => (timer ? pause() : start()));
  function start() {
    if (at >= count()) go(0);
    play.textContent = 'Pause ❚❚';
    play.setAttribute('aria-pressed', 'true');
    const tick = () => { go(next(at)); if (timer) timer = setTimeout(tick, 1000 / Number(speed.value)); };
    timer = setTimeout(tick, 1000 / Number(speed.value));
  }
  function pause() {
    clearTimeout(timer);
    timer = null;
    play.textContent = 'Play ▶▶';
    play.setAttribute('aria-pressed', 'false');
  }
  const node = el('div', { class: 'toolbar stepper', role: 'group', 'aria-label': 'step through', 'data-stepper': name },
    button(labels.reset ?? 'Reset', 'reset', () => { pause(); go(0); }),
    button(labels.back ?? '◀ Back', 'back', () => { pause(); go(at - 1); }),
    button(labels.step ?? 'Step ▶', 'step', () => { pause(); go(next(at)); }),
    extra.map(([label, action, fn]) => button(label, action, () => { pause(); go(fn(at)); })),
    button(labels.end ?? 'Run to end', 'end', () => { pause(); go(count()); }),
    play, speed);
  play.setAttribute('aria-pressed', 'false');
  return { node, get at() { return at; }, go, pause };
}
