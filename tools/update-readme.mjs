// tools/update-readme.mjs — paste `attnlab lesson N`'s output into lesson N's README.
//
//   node tools/update-readme.mjs N      (or ./lab readme N)
//
// Replaces the fenced block between <!-- attnlab lesson N --> and <!-- /attnlab -->
// with what the native build prints now. The ctest lessonNN.readme fails
// whenever the two differ, so run this after changing a demo.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const n = Number(process.argv[2]);
const manifest = JSON.parse(readFileSync(join(root, 'lessons/lessons.json'), 'utf8'));
const lesson = manifest.lessons.find((l) => l.id === n);
if (!lesson) {
  console.error(`update-readme: no lesson '${process.argv[2] ?? ''}'; give a number from 1 to ${manifest.lessons.length}`);
  process.exit(2);
}
const output = execFileSync(join(root, 'build/native/cli/attnlab'), ['lesson', String(n)], { encoding: 'utf8' });
const file = join(root, 'lessons', lesson.folder, 'README.md');
const text = readFileSync(file, 'utf8');
const block = new RegExp(`(<!-- attnlab lesson ${n} -->\\n\`\`\`text\\n)[\\s\\S]*?(\`\`\`\\n<!-- /attnlab -->)`);
if (!block.test(text)) {
  console.error(`update-readme: ${file} has no block <!-- attnlab lesson ${n} --> \`\`\`text … \`\`\` <!-- /attnlab -->`);
  process.exit(1);
}
writeFileSync(file, text.replace(block, (_, open, close) => open + output + close));
console.log(`updated ${file}`);
