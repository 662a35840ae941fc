// web/js/site/course.js — the lessons as the site knows them, from lessons/lessons.json (bundled in
// by esbuild at build time), and where this page stands among them.
import manifest from '../../../lessons/lessons.json';

/** [{slug, number, title, hints, formerly}], in the manifest's order: number is the position. */
export const lessons = manifest.lessons.map((l, i) => ({
  slug: l.slug, number: i + 1, title: l.title, formerly: l.formerly ?? [],
  hints: [l.hints.idea, l.hints.invariant, l.hints.pseudocode],
}));

/** The three tiers of an exercise's hints, as `attnlab hint` names them. */
export const hintTiers = ['the idea', 'the invariant', 'pseudo-code'];

/** The lesson a number of the old progress format (version 1) meant: its former folder's digits. */
export function slugOfOldNumber(n) {
  const wanted = String(n).padStart(2, '0');
  return lessons.find((l) => l.formerly.some((f) => f.slice(0, 2) === wanted))?.slug ?? null;
}

/** This page's lesson ('' on the index and the worksheets). */
export const here = document.body.dataset.lesson ?? '';
export const hereNumber = Number(document.body.dataset.lessonNumber) || 0;

/** The site's assets folder, from the page's own place (data-root: "../../" on a lesson page). */
export const assets = new URL(`${document.body.dataset.root ?? ''}assets/`, location.href);

const created = new Map();
/** A module the site ships under assets/ (the self-checks', the explanations'), loaded and created once per page. */
export function assetModule(path) {
  if (!created.has(path)) created.set(path, import(new URL(path, assets).href).then(({ default: create }) => create()));
  return created.get(path);
}
