// web/js/site/progress.js — what a learner has done: visits, self-checks and exercises, kept in
// localStorage and exported as a JSON file a teacher can collect (no server). `./lab progress
// --export FILE` writes the same file from the native exercises (cli/attnlab.cpp).
//
// Format version 2: each part maps a lesson's slug (for a self-check, "<slug>.<name>") to the time
// it happened. exercise_sources says how each exercise came to pass, since a learner's own file can
// be edited: "attnlab" (`attnlab progress` ran its tests on the learner's machine), "page" (the
// lesson page ran them under ./lab serve) or "ticked" (the learner's word); none, in older files,
// counts as "ticked". Only a teacher's `attnlab grade` report says "graded" (site/class.js).
// Version 1 keyed lessons by their number ("3", "03-softmax"); such files, and such
// localStorage, are migrated through each lesson's former folder names (lessons.json "formerly").
import { assetModule, lessons, slugOfOldNumber } from './course.js';
import { courseWeights } from '../model.js';
import { store } from './store.js';

const KEY = 'attnlab.progress';
const FORMAT = 'attention-lab-progress';
export const PARTS = ['visited', 'checks', 'exercises'];
export const SOURCES = ['attnlab', 'page', 'ticked'];
const empty = () => ({ format: FORMAT, version: 2, visited: {}, checks: {}, exercises: {}, exercise_sources: {} });
/** "passed here" when tests ran on the learner's machine (attnlab or the page), else "ticked". */
export const provenance = (p, slug) => (['attnlab', 'page'].includes(p.exercise_sources?.[slug]) ? 'passed here' : 'ticked');
const stamp = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** A version-1 key as version 2: "3" → "scaled_dot_product", "03-softmax" → "softmax_scaling.softmax". */
function migrateKey(part, key) {
  if (part !== 'checks') return slugOfOldNumber(key);
  const m = key.match(/^(\d\d)-([\w-]+)$/);
  const slug = m && slugOfOldNumber(m[1]);
  return slug ? `${slug}.${m[2]}` : null;
}

/** Checks a file (or stored data) of version 1 or 2; returns clean version-2 progress or throws a message. */
export function validateProgress(data) {
  if (!data || data.format !== FORMAT || (data.version !== 1 && data.version !== 2))
    throw new Error(`this is not an Attention Lab progress file (format ${FORMAT}, version 1 or 2)`);
  const clean = empty();
  const known = new Set(lessons.map((l) => l.slug));
  for (const part of PARTS) {
    if (part === 'exercises' && data[part] === undefined) continue;  // files from before exercises were recorded
    if (typeof data[part] !== 'object' || data[part] === null || Array.isArray(data[part])) throw new Error(`its "${part}" is not a list`);
    for (const [k, v] of Object.entries(data[part])) {
      if (!/^[\w.-]{1,80}$/.test(k) || !stamp(v)) throw new Error(`its entry "${k}" is not valid`);
      const key = data.version === 1 ? migrateKey(part, k) : k;
      if (key === null) continue;  // a lesson this course no longer has
      const slug = part === 'checks' ? key.split('.')[0] : key;
      if (data.version === 2 && !known.has(slug)) throw new Error(`its entry "${k}" names no lesson of this course`);
      clean[part][key] = v;
    }
  }
  const sources = data.exercise_sources ?? {};
  if (typeof sources !== 'object' || sources === null || Array.isArray(sources)) throw new Error('its "exercise_sources" is not a list');
  for (const [k, v] of Object.entries(sources)) {
    if (!(k in clean.exercises)) continue;  // a source for an exercise it does not list
    if (!SOURCES.includes(v)) throw new Error(`its exercise source "${k}" is "${String(v).slice(0, 20)}", not one of ${SOURCES.join(', ')}`);
    clean.exercise_sources[k] = v;
  }
  if (typeof data.name === 'string') clean.name = data.name.slice(0, 80);
  return clean;
}

export function loadProgress() {
  const p = store.get(KEY, null);
  if (!p || p.format !== FORMAT) return empty();
  try {
    const clean = validateProgress(p);
    if (p.version !== 2) store.set(KEY, clean);  // migrated once, in place
    return clean;
  } catch {
    return empty();
  }
}

export function saveProgress(p) {
  store.set(KEY, p);
}

export function mergeProgress(a, b) {
  const out = empty();
  for (const part of PARTS) Object.assign(out[part], a[part], b[part]);
  // The stronger word wins: tests that ran (attnlab, page) over a tick.
  for (const slug of Object.keys(out.exercises)) {
    const seen = [a.exercise_sources?.[slug], b.exercise_sources?.[slug]].filter(Boolean);
    out.exercise_sources[slug] = seen.find((s) => s !== 'ticked') ?? seen[0] ?? 'ticked';
  }
  if (a.name || b.name) out.name = b.name || a.name;
  return out;
}

/** Records that `part` happened for `key` (the first time counts); returns the progress. */
export function record(part, key) {
  const p = loadProgress();
  p[part][key] ??= new Date().toISOString();
  saveProgress(p);
  return p;
}

/** Records that lesson `slug`'s exercise passes, and how we know (SOURCES): a run beats a tick. */
export function recordExercise(slug, source) {
  const p = loadProgress();
  p.exercises[slug] ??= new Date().toISOString();
  if (source !== 'ticked' || !p.exercise_sources[slug]) p.exercise_sources[slug] = source;
  saveProgress(p);
  return p;
}

/** Forgets that lesson `slug`'s exercise passes. */
export function forgetExercise(slug) {
  const p = loadProgress();
  delete p.exercises[slug];
  delete p.exercise_sources[slug];
  saveProgress(p);
  return p;
}

/** The self-checks' module, shared by every page (assets/checks/checks.mjs), loaded once. */
export const loadChecks = () => assetModule('checks/checks.mjs');

/**
 * mod[fn](...args) of the checks module; a question answered from the course's trained model
 * (lessons 16-18) gets the model first, fetched once, the first time one asks for it.
 */
export async function askChecks(mod, fn, ...args) {
  const r = mod[fn](...args);
  if (r.ok || !/the model is not loaded/.test(r.error)) return r;
  const loaded = mod.use_model(await courseWeights());
  return loaded.ok ? mod[fn](...args) : loaded;
}
