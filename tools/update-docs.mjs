// tools/update-docs.mjs — writes the generated parts of the docs from the manifest and the library.
//
//   node tools/update-docs.mjs          rewrite them
//   node tools/update-docs.mjs --check  exit 1 if any is out of date (ctest docs.generated)
//
//   README.md             the table of lessons
//   docs/teaching.md      the course plan (sessions packed from each lesson's "minutes"); each lesson's
//                         class time, sheet, goals, discussion questions and exercise; and the course's
//                         references, every work of the lessons' "Further reading", once (references())
//   docs/architecture.md  the cheat sheet: each paper symbol or equation, the attn:: function that
//                         computes it (from its `/// paper:` line in src/attn), the lesson, the kernels
// Each part sits between a begin and an end marker, so the prose around it is kept.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lessons = JSON.parse(readFileSync(join(root, 'lessons/lessons.json'), 'utf8')).lessons.map((l, i) => ({ ...l, number: i + 1 }));
const pad = (n) => String(n).padStart(2, '0');
const cell = (s) => s.replaceAll('|', '\\|');

function lessonTable() {
  return ['| # | Lesson | Library |', '|---|--------|---------|',
    ...lessons.map((l) => `| ${pad(l.number)} | [${l.title}](lessons/${l.slug}/README.md) | ${l.library.map((p) => `\`${p}\``).join(', ')} |`)].join('\n');
}

function teaching() {
  return lessons.map((l) => [
    `### ${pad(l.number)} · ${l.title}`, '', l.summary, '', `Class time: ${l.minutes} minutes. Worksheet: \`worksheets.html?lesson=${l.slug}\`; answer key: \`answers.html?lesson=${l.slug}\`.`, '', 'Goals:', ...l.goals.map((g) => `- ${g}`), '',
    'Discuss:', ...l.discuss.map((q, i) => `${i + 1}. ${q}`), '',
    `Exercise: \`lessons/${l.slug}/exercise.cpp\`, checked by \`./lab check ${l.number}\`; reference ${l.library.map((p) => `\`${p}\``).join(', ')}.`, '',
  ].join('\n')).join('\n');
}

// A session is two hours: the first 15 minutes go over the last session's sheets (answers.html),
// the rest to its lessons' pages and sheets, packed in the manifest's order by their "minutes".
const SESSION = 120, REVIEW = 15;
function sessions(all = lessons) {
  const out = [];
  for (const l of all) {
    const last = out.at(-1);
    if (last && last.minutes + l.minutes <= SESSION - REVIEW) last.lessons.push(l), (last.minutes += l.minutes);
    else out.push({ lessons: [l], minutes: l.minutes });
  }
  return out;
}

function plan() {
  const range = (ls) => ls.length === 1 ? pad(ls[0].number) : `${pad(ls[0].number)}–${pad(ls.at(-1).number)}`;
  const packed = sessions();
  const rows = packed.map((s, k) => {
    const what = s.lessons.map((l) => `${pad(l.number)} ${l.title} (${l.minutes} min)`).join('; ');
    const spare = SESSION - REVIEW - s.minutes;
    return `| ${k + 1} | ${cell(what)} | ${REVIEW} min ${k ? 'on the last sheets (with their keys)' : 'introducing the course'}, then ${s.lessons.map((l) => `${l.minutes} min lesson ${pad(l.number)}`).join(', ')}` +
      `${spare > 0 ? `, ${spare} min discussion` : ''} | sheets ${range(s.lessons)} (back), exercises ${range(s.lessons)} |`;
  });
  return [`${packed.length} sessions of two hours for the ${lessons.length} lessons, ${lessons.reduce((m, l) => m + l.minutes, 0)} minutes of lessons in all.`, '',
    '| Session | Lessons (class time) | In class | Before the next session |', '|---|---|---|---|', ...rows].join('\n');
}

/** Each item of a lesson README's "## Further reading" list, joined onto one line. */
function furtherReading(text) {
  const at = text.search(/^## Further reading\s*$/m);
  if (at < 0) return [];
  const section = text.slice(at).split('\n').slice(1);
  const end = section.findIndex((l) => /^## /.test(l));
  const items = [];
  for (const line of end < 0 ? section : section.slice(0, end)) {
    if (line.startsWith('- ')) items.push(line.slice(2).trim());
    else if (/^\s+\S/.test(line) && items.length) items[items.length - 1] += ' ' + line.trim();
  }
  return items;
}

/** A reference as the list gives it: authors, year, title and venue, without the lesson's note. */
function citation(item) {
  const arxiv = item.match(/^(.*?arXiv:\d{4}\.\d{4,5})( \([^)]*\))?/);
  if (arxiv) return `${arxiv[1]}${arxiv[2] ?? ''}.`;
  const title = item.indexOf('*', item.indexOf('*') + 1);
  const stop = item.indexOf('. ', title);
  return stop < 0 ? item : item.slice(0, stop + 1);
}

/** What identifies a work across lessons: its arXiv id, else its title. */
function workKey(item) {
  return item.match(/arXiv:(\d{4}\.\d{4,5})/)?.[1] ?? item.match(/\*([^*]+)\*/)?.[1].toLowerCase().replace(/\W+/g, ' ').trim() ?? item;
}

/** The first author's family name, for sorting ("Guy L. Steele Jr." -> "Steele"). */
function surname(item) {
  const first = item.split(/,| \(/)[0].replace(/ (Jr|Sr)\.?$/, '').trim().split(' ');
  return first[first.length - 1];
}

/** Every work cited in the lessons' further reading, once, by first author, with the lessons citing it. */
function references() {
  const works = new Map();
  for (const l of lessons) {
    for (const item of furtherReading(readFileSync(join(root, 'lessons', l.slug, 'README.md'), 'utf8'))) {
      const key = workKey(item), text = citation(item);
      const w = works.get(key) ?? { text, lessons: [] };
      // of the ways the lessons cite a work, the list keeps the one naming the most authors
      if ((text.match(/,/g) ?? []).length > (w.text.match(/,/g) ?? []).length && !/et al\./.test(text)) w.text = text;
      if (!w.lessons.includes(l.number)) w.lessons.push(l.number);
      works.set(key, w);
    }
  }
  return [...works.values()]
    .sort((a, b) => surname(a.text).localeCompare(surname(b.text)) || a.text.localeCompare(b.text))
    .map((w) => `- ${w.text} Lesson${w.lessons.length > 1 ? 's' : ''} ${w.lessons.map((n) => `[${pad(n)}](../lessons/${lessons[n - 1].slug}/README.md)`).join(', ')}.`)
    .join('\n');
}

function headers(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? headers(p) : p.endsWith('.hpp') ? [p] : [];
  }).sort();
}

/** Every `/// paper: EQUATION[; kernels: …]` line in src/attn, with the function declared below it. */
function cheatSheet() {
  const rows = [];
  for (const file of headers(join(root, 'src/attn'))) {
    const path = relative(root, file);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = line.match(/^\/\/\/ paper: (.*?)(?:; kernels: (.*))?$/);
      if (!m) return;
      const decl = lines.slice(i + 1, i + 4).find((l) => /\w+\s*\(/.test(l) && !l.startsWith('template'));
      const name = decl?.match(/([A-Za-z_]\w*)\s*\(/)?.[1];
      if (!name) throw new Error(`${path}:${i + 1}: no function declared below its "/// paper:" line`);
      const lesson = lessons.find((l) => l.library.includes(path));
      rows.push({ order: lesson?.number ?? 99, text: `| ${cell(m[1])} | \`attn::${name}\` | [${path}](../${path}) | ` +
        `${lesson ? `[${pad(lesson.number)} ${lesson.slug}](../lessons/${lesson.slug}/README.md)` : ''} | ${cell(m[2] ?? '')} |` });
    });
  }
  rows.sort((a, b) => a.order - b.order);  // lesson order; within a lesson, file order
  return ['| Paper symbol or equation | Computed by | File | Lesson | Kernels |', '|---|---|---|---|---|', ...rows.map((r) => r.text)].join('\n');
}

const parts = [
  ['README.md', 'lessons', lessonTable],
  ['docs/teaching.md', 'plan', plan],
  ['docs/teaching.md', 'lessons', teaching],
  ['docs/teaching.md', 'references', references],
  ['docs/architecture.md', 'cheat sheet', cheatSheet],
];
const stale = [];
for (const [file, what, make] of parts) {
  const begin = `<!-- ${what}: generated by tools/update-docs.mjs -->`, end = `<!-- end of ${what} -->`;
  const doc = readFileSync(join(root, file), 'utf8');
  const a = doc.indexOf(begin), b = doc.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`${file} lacks the markers ${begin} … ${end}`);
    process.exit(2);
  }
  const next = doc.slice(0, a + begin.length) + '\n\n' + make() + '\n\n' + doc.slice(b);
  if (next === doc) continue;
  if (process.argv.includes('--check')) stale.push(file);
  else writeFileSync(join(root, file), next), console.log(`updated ${file}`);
}
if (stale.length) {
  console.error(`out of date with the manifest or src/attn: ${stale.join(', ')}. Run node tools/update-docs.mjs`);
  process.exit(1);
}
if (process.argv.includes('--check')) console.log('README.md, docs/teaching.md and docs/architecture.md are up to date');
