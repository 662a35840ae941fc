// tools/check-manifest.mjs — lessons/lessons.json against lessons/lessons.schema.json (ajv), and
// against the tree: every lesson folder holds its fixed files, no folder is left unregistered,
// every library header named exists, and every lesson's checks.json is valid against
// lessons/checks.schema.json with its names unique. ctest docs.manifest.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv/dist/2020.js';
import { PART_IDS } from '../web/diagram.mjs';

const root = new URL('..', import.meta.url).pathname;
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const manifest = read('lessons/lessons.json');
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(read('lessons/lessons.schema.json'));
const validateChecks = ajv.compile(read('lessons/checks.schema.json'));
const problems = [];
if (!validate(manifest)) for (const e of validate.errors) problems.push(`lessons.json${e.instancePath}: ${e.message}`);
const files = ['README.md', 'lesson.hpp', 'exercise.cpp', 'walkthrough.cpp', 'test.cpp', 'bindings.cpp', 'page.js', 'page.test.mjs', 'checks.json'];
const slugs = new Set();
for (const l of manifest.lessons ?? []) {
  if (slugs.has(l.slug)) problems.push(`lessons.json: the slug ${l.slug} appears twice`);
  slugs.add(l.slug);
  for (const f of files) if (!existsSync(join(root, 'lessons', l.slug, f))) problems.push(`lessons/${l.slug}/${f} is missing`);
  for (const p of l.library ?? []) if (!existsSync(join(root, p))) problems.push(`lesson ${l.slug}: ${p} does not exist`);
  const checksFile = `lessons/${l.slug}/checks.json`;
  if (!existsSync(join(root, checksFile))) continue;
  const questions = read(checksFile);
  if (!validateChecks(questions)) for (const e of validateChecks.errors) problems.push(`${checksFile}${e.instancePath}: ${e.message}`);
  const names = (Array.isArray(questions) ? questions : []).map((q) => q.name);
  for (const n of names.filter((n, i) => names.indexOf(n) !== i)) problems.push(`${checksFile}: the name ${n} appears twice`);
}
// The diagram's parts and the schema's list of them are the same list.
const schemaParts = read('lessons/lessons.schema.json').$defs.lesson.properties.parts.items.enum;
if (JSON.stringify(schemaParts) !== JSON.stringify(PART_IDS))
  problems.push(`lessons.schema.json lists the parts ${schemaParts.join(', ')}; web/diagram.mjs draws ${PART_IDS.join(', ')}`);
for (const d of readdirSync(join(root, 'lessons')))
  if (statSync(join(root, 'lessons', d)).isDirectory() && !slugs.has(d)) problems.push(`lessons/${d}/ is not in lessons.json`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`lessons.json: ${manifest.lessons.length} lessons, valid against its schema and the tree`);
