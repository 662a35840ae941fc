// tools/update-readme.mjs — paste `attnlab lesson N`'s output into lesson N's README.
//
//   node tools/update-readme.mjs N|slug ...   (or ./lab readme N)    every lesson when none is given
//
// Replaces the fenced block between <!-- attnlab lesson <slug> --> and <!-- /attnlab -->
// with what the native build prints now. The ctest <slug>.readme fails whenever the
// two differ, so run this after changing a walkthrough.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lessons = JSON.parse(readFileSync(join(root, 'lessons/lessons.json'), 'utf8')).lessons;
const wanted = process.argv.slice(2);
const chosen = wanted.length ? wanted.map((w) => lessons.find((l, i) => l.slug === w || String(i + 1) === w || String(i + 1).padStart(2, '0') === w)) : lessons;
if (chosen.some((l) => !l)) {
  console.error(`update-readme: no lesson '${wanted[chosen.indexOf(undefined)]}'; give a number from 1 to ${lessons.length} or a slug`);
  process.exit(2);
}
for (const lesson of chosen) {
  const output = execFileSync(join(root, 'build/native/cli/attnlab'), ['lesson', lesson.slug], { encoding: 'utf8' });
  const file = join(root, 'lessons', lesson.slug, 'README.md');
  const text = readFileSync(file, 'utf8');
  const block = new RegExp(`(<!-- attnlab lesson ${lesson.slug} -->\\n\`\`\`text\\n)[\\s\\S]*?(\`\`\`\\n<!-- /attnlab -->)`);
  if (!block.test(text)) {
    console.error(`update-readme: ${file} has no block <!-- attnlab lesson ${lesson.slug} --> \`\`\`text … \`\`\` <!-- /attnlab -->`);
    process.exit(1);
  }
  const next = text.replace(block, (_, open, close) => open + output + close);
  if (next !== text) writeFileSync(file, next), console.log(`updated ${file}`);
}
