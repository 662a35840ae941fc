// web/js/explain.js — how one cell of a map was computed, written out with its own numbers.
//
//   heat.show(S, rows, cols, { explain: explainScore({ Q, K, scaled: true, rows, cols }) });
//
// Hovering, focusing or tapping a cell asks the library (attn/explain.hpp, compiled once for every
// page as assets/explain/explain.mjs, loaded on the first request) for the inputs of that cell's
// sum, and writes the sum out: a score as its dot product, a weight as exp(s − m) over its row's
// sum, a masked weight and why it is 0, an output as the weights' blend of a column of V. The
// numbers are the library's; this file only lays them out. A gradient's cell (lesson 14) is written
// out the same way: the sum of products the backward pass makes it from.
import { el, fmt } from './dom.js';
import { assetModule } from './site/course.js';

const library = () => assetModule('explain/explain.mjs');

const MAX_TERMS = 6;  // longer sums show their first terms and how many there are
const paren = (x) => (x < 0 ? `(${fmt(x, 3)})` : fmt(x, 3));
const sum = (a, b) => {
  const terms = a.map((x, k) => `${paren(x)}×${paren(b[k])}`);
  return terms.length <= MAX_TERMS ? terms.join(' + ') : `${terms.slice(0, MAX_TERMS - 1).join(' + ')} + … (${terms.length} terms)`;
};
const result = (value) => el('strong', { 'data-value': String(value) }, fmt(value));
const lhs = (text) => el('span', { class: 'explain-lhs' }, text);
/** The library's explanation itself (attn/explain.hpp): explanation('score', Q, K, i, j, scaled) → { q, k, products, … }. */
export const explanation = async (fn, ...args) => {
  const r = (await library())[fn](...args);
  if (!r.ok) throw new Error(r.error);
  return r;
};

/** A score S(i, j) = q_i·k_j (× 1/√d_k when scaled), from Q and K. */
export const explainScore = ({ Q, K, scaled = false, rows, cols }) => async (i, j) => {
  const r = await explanation('score', Q, K, i, j, scaled);
  const name = `S(${rows[i]}, ${cols[j]})`;
  return el('p', { class: 'explain', 'data-explain': 'score' }, lhs(`${name} = q_${rows[i]} · k_${cols[j]}${scaled ? ' / √d_k' : ''}`),
    ` = ${sum(r.q, r.k)}`, scaled ? ` = ${fmt(r.dot, 4)} × 1/√${r.q.length}` : '', ' = ', result(r.value),
    el('span', { class: 'explain-note' }, `How well query “${rows[i]}” matches key “${cols[j]}”.`));
};

/**
 * A weight P(i, j) = exp(S(i, j) − m) / Σ over the row, from the scores S (−∞ where masked) and,
 * optionally, the mask (1 = may attend).
 */
export const explainWeight = ({ S, mask, rows, cols }) => async (i, j) => {
  const allowed = mask ?? S.map((row) => row.map((v) => (v === -Infinity ? 0 : 1)));
  const finite = S.map((row) => row.map((v) => (Number.isFinite(v) ? v : 0)));
  const r = await explanation('weight', finite, allowed, i, j);
  const name = `P(${rows[i]}, ${cols[j]})`;
  if (r.masked)
    return el('p', { class: 'explain', 'data-explain': 'masked' }, lhs(`${name} = `), result(r.value),
      el('span', { class: 'explain-note' }, `Key “${cols[j]}” is masked for query “${rows[i]}”: its score is −∞ before the softmax, and e^−∞ = 0.`));
  const e = r.e.filter((_, k) => Number.isFinite(r.s[k]));
  const total = e.length <= MAX_TERMS ? e.map((x) => fmt(x, 3)).join(' + ') : `${e.length} terms`;
  return el('p', { class: 'explain', 'data-explain': 'weight' }, lhs(`${name} = exp(s − m) / Σ exp(s_k − m)`),
    ` = exp(${fmt(r.s[j], 4)} − ${fmt(r.m, 4)}) / (${total}) = ${fmt(r.e[j], 4)} / ${fmt(r.sum, 4)} = `, result(r.value),
    el('span', { class: 'explain-note' }, `m = ${fmt(r.m, 4)} is the largest score query “${rows[i]}” may see, so every exponent is ≤ 0 and nothing overflows.`));
};

/** An output O(i, c) = Σ_j P(i, j)·V(j, c), from the weights P and the values V. */
export const explainOutput = ({ P, V, rows, cols }) => async (i, c) => {
  const r = await explanation('output', P, V, i, c);
  return el('p', { class: 'explain', 'data-explain': 'output' }, lhs(`O(${rows[i]}, ${cols[c]}) = Σ_j P(${rows[i]}, j)·V(j, ${cols[c]})`),
    ` = ${sum(r.p, r.v)} = `, result(r.value),
    el('span', { class: 'explain-note' }, `Query “${rows[i]}”’s weights blending column ${cols[c]} of V.`));
};

/**
 * A gradient's cell of O = softmax(Q·Kᵀ/√d_k)·V (lesson 14), from Q, K, V, dO and the mask:
 * dV(j, c) = Σ_i P(i, j)·dO(i, c), dQ(i, c) = Σ_j dS(i, j)·K(j, c) / √d_k, dK(j, c) = Σ_i dS(i, j)·Q(i, c) / √d_k.
 */
export const explainGradient = ({ Q, K, V, dO, causal = false, which, rows, cols }) => async (i, c) => {
  const r = await explanation('gradient', Q, K, V, dO, causal, which, i, c);
  const cell = `d${which}(${rows[i]}, ${cols[c]})`;
  const [form, note] = {
    V: [`Σ_i P(i, ${rows[i]})·dO(i, ${cols[c]})`, `Value row ${rows[i]} reached each output by its weight, so its gradient is dO weighted the same way.`],
    Q: [`Σ_j dS(${rows[i]}, j)·K(j, ${cols[c]}) / √d_k`, `Query ${rows[i]} made its scores with every key: each key's column ${cols[c]}, by how much the loss wants that score to move.`],
    K: [`Σ_i dS(i, ${rows[i]})·Q(i, ${cols[c]}) / √d_k`, `Key ${rows[i]} was scored by every query: each query's column ${cols[c]}, by how much the loss wants that score to move.`],
  }[which];
  return el('p', { class: 'explain', 'data-explain': 'gradient' }, lhs(`${cell} = ${form}`),
    ` = ${sum(r.a, r.b)}`, which === 'V' ? '' : ` = ${fmt(r.dot, 4)} × 1/√${Q[0].length}`, ' = ', result(r.value),
    el('span', { class: 'explain-note' }, note));
};
