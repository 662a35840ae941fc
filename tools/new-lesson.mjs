// tools/new-lesson.mjs — scaffolds a lesson that already builds, fails its stub's tests and loads its page.
//
//   node tools/new-lesson.mjs NN slug "Title"      (or ./lab new-lesson NN slug "Title")
//
// NN is where the lesson goes in the course (1 to the number of lessons + 1); the lessons after
// it move down one. Every lesson is keyed by its slug, so no file, URL, progress key or test name
// changes; what does change is the text that names a lesson by its number ("lesson 09's kernel",
// "lessons 08 and 09", "attnlab check 15"), and renumber() rewrites those in every tracked text
// file (model/course-text.txt, the model's frozen training text, and tests/fixtures excepted).
// Writes:
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
let manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const count = manifest.lessons.length;
const position = Number(at);
if (!Number.isInteger(position) || position < 1 || position > count + 1) die(`NN must be a whole number from 1 to ${count + 1}, not '${at ?? ''}'`);
if (!/^[a-z][a-z0-9_]{1,39}$/.test(slug ?? '')) die(`the slug must be lower case letters, digits and _, starting with a letter: not '${slug ?? ''}'`);
if (!title?.trim()) die('give the lesson a title');
if (manifest.lessons.some((l) => l.slug === slug) || existsSync(join(root, 'lessons', slug))) die(`there is a lesson '${slug}' already`);
if (existsSync(join(root, 'src/attn', `${slug}.hpp`))) die(`src/attn/${slug}.hpp exists already`);

renumber(position, count);

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

manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));  // as renumber() left it
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

/**
 * Text that names lessons `position`..`count` by number names them one further on: "lesson 09"
 * becomes "lesson 10" (the width kept), "lessons 08 and 09" "lessons 09 and 10", and the
 * commands' numbers too ("attnlab check 15", "./lab hint 10"). Numbers before the new lesson, and
 * numbers no lesson has ("hint 99"), stay.
 */
function renumber(from, last) {
  const skip = /^(model\/course-text\.txt|tests\/fixtures\/|third_party\/|package-lock\.json$|node_modules\/)/;
  const text = /(\.(md|cpp|hpp|h|js|mjs|cjs|json|txt|css|html|cmake|sh|yml)|CMakeLists\.txt|^lab|^\.ci\/run)$/;
  const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n')
    .filter((f) => f && text.test(f) && !skip.test(f) && existsSync(join(root, f)));
  const bump = (digits) => {
    const n = Number(digits);
    return n >= from && n <= last ? String(n + 1).padStart(digits.length, '0') : digits;
  };
  const reference = /(?<![-\w])((?:[Ll]essons?|(?:attnlab|lab) (?:check|hint|example|reset|solution|watch|grade \S+ --lesson)) )(\d{1,2})((?:(?:, | and | or | to |[-–])\d{1,2}\b)*)(?![\d.]\d)/g;
  for (const f of files) {
    const path = join(root, f);
    const before = readFileSync(path, 'utf8');
    const after = before.replace(reference, (_, head, n, rest) => head + bump(n) + rest.replace(/\d{1,2}/g, bump));
    if (after !== before) writeFileSync(path, after);
  }
}

console.log(`new-lesson: lesson ${position} is lessons/${slug}/ (library: src/attn/${slug}.hpp). Next:
  ./lab build                      then open it with ./lab serve
  ./lab check ${slug}              the untouched exercise fails its tests, as it must
  edit the library header, lesson.hpp, the walkthrough, then  ./lab readme ${slug}`);
