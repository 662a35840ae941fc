// tools/new-lesson.mjs — scaffolds a lesson that already builds, fails its stub's tests and loads its page.
//
//   node tools/new-lesson.mjs NN slug "Title"      (or ./lab new-lesson NN slug "Title")
//
// NN is where the lesson goes in the course (1 to the number of lessons + 1); the lessons after
// it move down one, and nothing else changes, because every lesson is keyed by its slug. Writes:
//   lessons/<slug>/        README.md, lesson.hpp, exercise.cpp, walkthrough.cpp, test.cpp,
//                          bindings.cpp, page.js, page.test.mjs, checks.json (tools/new-lesson/*.tmpl)
//   src/attn/<slug>.hpp    the library header, with one function to replace
// and edits only lessons/lessons.json (the new entry), src/attn/attn.hpp (its include line) and
// the generated docs (tools/update-docs.mjs). ctest scaffold.new_lesson runs this in a scratch copy
// of the tree and builds the new lesson's native targets, so the recipe cannot go stale.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [at, slug, title] = process.argv.slice(2);
const die = (message) => {
  console.error(`new-lesson: ${message}`);
  console.error('usage: node tools/new-lesson.mjs NN slug "Title"   e.g. 15 linear_attention "Linear attention"');
  process.exit(2);
};
const manifestPath = join(root, 'lessons/lessons.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const count = manifest.lessons.length;
const position = Number(at);
if (!Number.isInteger(position) || position < 1 || position > count + 1) die(`NN must be a whole number from 1 to ${count + 1}, not '${at ?? ''}'`);
if (!/^[a-z][a-z0-9_]{1,39}$/.test(slug ?? '')) die(`the slug must be lower case letters, digits and _, starting with a letter: not '${slug ?? ''}'`);
if (!title?.trim()) die('give the lesson a title');
if (manifest.lessons.some((l) => l.slug === slug) || existsSync(join(root, 'lessons', slug))) die(`there is a lesson '${slug}' already`);
if (existsSync(join(root, 'src/attn', `${slug}.hpp`))) die(`src/attn/${slug}.hpp exists already`);

const values = { slug, title, number: String(position), nn: String(position).padStart(2, '0') };
const fill = (text) => text.replace(/\{\{(slug|title|number|nn)\}\}/g, (_, k) => values[k]);
const templates = join(root, 'tools/new-lesson');
mkdirSync(join(root, 'lessons', slug));
for (const file of readdirSync(templates)) {
  const text = fill(readFileSync(join(templates, file), 'utf8'));
  if (file === 'library.hpp.tmpl') writeFileSync(join(root, 'src/attn', `${slug}.hpp`), text);
  else writeFileSync(join(root, 'lessons', slug, file.replace(/\.tmpl$/, '')), text);
}

const umbrella = join(root, 'src/attn/attn.hpp');
writeFileSync(umbrella, readFileSync(umbrella, 'utf8').trimEnd() + `\n#include "${slug}.hpp"  // ${title}\n`);

manifest.lessons.splice(position - 1, 0, {
  slug, title,
  summary: `(One or two sentences: what ${title} is, for the page's lede and the index card.)`,
  library: [`src/attn/${slug}.hpp`],
  hints: {
    idea: '(Hint 1, the idea: what the exercise must achieve, in words.)',
    invariant: '(Hint 2, the invariant: what holds at every step, the shapes and the traps.)',
    pseudocode: '(Hint 3, pseudo-code: the steps, never the C++ itself.)',
  },
  tags: [slug.replaceAll('_', ' ')],
  parts: [],
  goals: ['(What a learner can do after this lesson.)'],
  discuss: ['(A question for a class.)'],
  minutes: 40,
});
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
execFileSync(process.execPath, [join(root, 'tools/update-docs.mjs')], { stdio: 'inherit' });

console.log(`new-lesson: lesson ${position} is lessons/${slug}/ (library: src/attn/${slug}.hpp). Next:
  ./lab build                      then open it with ./lab serve
  ./lab check ${slug}              the untouched exercise fails its tests, as it must
  edit the library header, lesson.hpp, the walkthrough, then  ./lab readme ${slug}`);
