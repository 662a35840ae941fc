// web/build.mjs — builds the static site from the manifest and the lessons.
//
//   node web/build.mjs --out build/wasm/site
//
// Reads lessons/lessons.json (lesson N is its N-th entry, lessons/<slug>/ its folder);
// renders each lesson's README.md (Markdown, KaTeX maths and highlighted C++, all at build
// time) into web/templates/lesson.html; writes the index, the worksheets, their answer keys and the class page; bundles the
// site's scripts with esbuild (web/js/site.js and every lesson's page.js, into ES modules
// that share their chunks, so any npm module can be imported without new plumbing);
// copies web/css, each lesson's page.css if it has one, and the KaTeX and highlight.js
// assets; writes a redirect page at every URL a lesson had before (lessons.json
// "formerly") and assets/NOTICES.txt, the licences of everything bundled; copies the
// course's trained model (model/course.weights) to assets/model/. The lesson
// modules (lesson.mjs + lesson.wasm) are linked into the same folders by CMake. Nothing is
// fetched at run time: the site works offline from any static file server.
//
// README directives (HTML comments, so GitHub shows the README cleanly too):
//   <!-- widget: NAME | Title | help -->  a <section data-widget="NAME"> with that heading,
//                                         which the page's page.js fills
//   <!-- code: PATH#REGION -->            the lines between `// [REGION]` markers in PATH, highlighted
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagram } from './diagram.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function load(name) {
  try {
    return await import(name);
  } catch {
    console.error(`web/build.mjs: cannot load the npm package '${name}'. Run \`npm ci\` in ${root}.`);
    process.exit(1);
  }
}
const { Marked } = await load('marked');
const katex = (await load('katex')).default;
const hljs = (await load('highlight.js/lib/core')).default;
const esbuild = await load('esbuild');
hljs.registerLanguage('cpp', (await load('highlight.js/lib/languages/cpp')).default);
hljs.registerLanguage('sh', (await load('highlight.js/lib/languages/bash')).default);

const outArg = process.argv.indexOf('--out');
if (outArg < 0 || !process.argv[outArg + 1]) {
  console.error('usage: node web/build.mjs --out <site folder>');
  process.exit(2);
}
const out = resolve(process.argv[outArg + 1]);

const escapeHtml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const slug = (s) => s.toLowerCase().replace(/<[^>]+>/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const pad2 = (n) => String(n).padStart(2, '0');
const fill = (template, values) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`template needs {{${key}}}`);
    return values[key];
  });

function highlight(code, lang) {
  const language = lang === 'c++' ? 'cpp' : lang;
  if (language && hljs.getLanguage(language)) return hljs.highlight(code, { language }).value;
  return escapeHtml(code);
}

// The lines between two `// [region]` markers, dedented, with their line numbers.
function codeRegion(path, region) {
  const file = join(root, path);
  if (!existsSync(file)) throw new Error(`<!-- code: ${path}#${region} -->: no such file`);
  const lines = readFileSync(file, 'utf8').split('\n');
  const marks = lines.flatMap((l, i) => (l.trim() === `// [${region}]` ? [i] : []));
  if (marks.length !== 2) throw new Error(`${path} needs exactly two "// [${region}]" lines, has ${marks.length}`);
  const body = lines.slice(marks[0] + 1, marks[1]);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
  return { code: body.map((l) => l.slice(indent)).join('\n'), first: marks[0] + 2, last: marks[1] };
}

function renderMarkdown(markdown, context) {
  const headings = [];
  const md = new Marked({ gfm: true });
  md.use({
    extensions: [
      {
        name: 'mathBlock',
        level: 'block',
        start: (src) => src.match(/^\$\$/m)?.index,
        tokenizer(src) {
          const m = src.match(/^\$\$([\s\S]+?)\$\$[^\S\n]*(?:\n|$)/);
          if (m) return { type: 'mathBlock', raw: m[0], tex: m[1].trim() };
        },
        renderer: (t) =>
          `<div class="math-display" tabindex="0">${katex.renderToString(t.tex, { displayMode: true, throwOnError: true })}</div>\n`,
      },
      {
        name: 'mathInline',
        level: 'inline',
        start: (src) => src.indexOf('$') >= 0 ? src.indexOf('$') : undefined,
        tokenizer(src) {
          const m = src.match(/^\$((?:\\\$|[^$\n])+?)\$/);
          if (m) return { type: 'mathInline', raw: m[0], tex: m[1] };
        },
        renderer: (t) => katex.renderToString(t.tex, { throwOnError: true }),
      },
    ],
    renderer: {
      code({ text, lang }) {
        return `<pre class="code" tabindex="0"><code class="hljs">${highlight(text, lang)}</code></pre>\n`;
      },
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        if (depth === 1) return ''; // the page template shows the title
        const id = slug(html);
        if (depth === 2) headings.push({ id, html });
        return `<h${depth} id="${id}"><a class="anchor" href="#${id}" aria-hidden="true" tabindex="-1">#</a>${html}</h${depth}>\n`;
      },
      html({ text }) {
        const widget = text.match(/^<!--\s*widget:\s*([\w-]+)\s*(?:\|([^|]*?)\s*(?:\|\s*([\s\S]*?))?)?\s*-->/);
        if (widget) {
          const [, name, title, help] = widget;
          if (!title) throw new Error(`<!-- widget: ${name} -->: give it a title, <!-- widget: ${name} | Title | help -->`);
          context.widgets.push(name);
          return `<section class="widget" id="widget-${name}" data-widget="${name}" aria-labelledby="widget-${name}-title">` +
            `<header class="widget-head"><h3 id="widget-${name}-title">${escapeHtml(title)}</h3>` +
            `${help ? `<p>${escapeHtml(help)}</p>` : ''}</header>` +
            `<div class="widget-body"><p class="widget-status" role="status">Loading the lesson's WebAssembly module…</p></div></section>\n`;
        }
        const code = text.match(/^<!--\s*code:\s*([^#\s]+)#([\w-]+)\s*-->/);
        if (code) {
          const [, path, region] = code;
          const { code: src, first, last } = codeRegion(path, region);
          return `<figure class="code"><figcaption><code>${escapeHtml(path)}</code>, lines ${first}–${last}</figcaption>` +
            `<pre class="code" tabindex="0"><code class="hljs language-cpp">${highlight(src, 'cpp')}</code></pre></figure>\n`;
        }
        // The walkthrough's output (between the README-check markers) is folded: the page leads
        // with the widgets, and the step-by-step numbers are there on demand.
        const walk = text.match(/^<!--\s*attnlab lesson\s+([\w-]+)\s*-->/);
        if (walk) return `<details class="walkthrough"><summary>Every step, as <code>./lab lesson ${escapeHtml(walk[1])}</code> prints it</summary>\n`;
        if (/^<!--\s*\/attnlab\s*-->/.test(text)) return '</details>\n';
        if (/^<!--[\s\S]*?-->\s*$/.test(text)) return ''; // other comments (e.g. the README-check markers)
        return text;
      },
    },
  });
  const html = md.parse(markdown);
  return { html, headings };
}

function lessonNav(lessons, current, prefix) {
  return lessons
    .map((l) => {
      const here = l.slug === current;
      return `<li${here ? ' class="current"' : ''}><a href="${prefix}lessons/${l.slug}/index.html"` +
        `${here ? ' aria-current="page"' : ''}><span class="num">${pad2(l.number)}</span>` +
        `<span class="title">${escapeHtml(l.title)}</span></a></li>`;
    })
    .join('\n');
}

/** The site's scripts: one ES module per entry (site.js, the long runs' worker.js, each page.js), sharing their chunks. */
async function bundle(lessons) {
  const entryPoints = { 'assets/js/site': join(root, 'web/js/site.js'), 'assets/js/worker': join(root, 'web/js/worker.js') };
  for (const l of lessons) entryPoints[`lessons/${l.slug}/page`] = join(root, 'lessons', l.slug, 'page.js');
  rmSync(join(out, 'assets/js'), { recursive: true, force: true });
  const { metafile } = await esbuild.build({
    entryPoints, outdir: out, bundle: true, splitting: true, format: 'esm', target: 'es2022',
    chunkNames: 'assets/js/chunks/[name]-[hash]', external: ['./lesson.mjs'], legalComments: 'eof',
    logLevel: 'warning', charset: 'utf8', metafile: true,
  });
  cpSync(join(root, 'web/js/theme.js'), join(out, 'assets/js/theme.js'));  // a classic script, before the first paint
  return metafile;
}

/** The licences of what the site ships from npm, for assets/NOTICES.txt: katex's and highlight.js's
 * files, and every package esbuild bundled into the scripts (from its metafile, so none is missed). */
function notices(metafile) {
  const bundled = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) bundled.add(m[1]);
  }
  const shipped = [['katex', 'its CSS and fonts'], ['highlight.js', 'its two GitHub styles'],
    ...[...bundled].sort().map((name) => [name, 'bundled into the site\'s scripts'])];
  const parts = ['Attention Lab: the code is Apache-2.0 (LICENSE), the lesson text CC BY 4.0 (LICENSE-text).',
    'The site ships these parts of other projects, under their licences:'];
  for (const [name, what] of shipped) {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => join(root, 'node_modules', name, f)).find(existsSync);
    if (!file) throw new Error(`node_modules/${name} has no LICENSE file to quote`);
    parts.push(`\n==== ${name} ${pkg.version} (${pkg.license}): ${what}\n\n${readFileSync(file, 'utf8').trim()}`);
  }
  return parts.join('\n') + '\n';
}

/** A page at a lesson's old URL that sends the browser (and the reader) to the new one. */
function redirect(to, title) {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}: moved</title>\n` +
    `<meta http-equiv="refresh" content="0; url=${to}">\n<link rel="canonical" href="${to}">\n</head>\n` +
    `<body><p>This lesson has moved: <a href="${to}">${escapeHtml(title)}</a>.</p></body>\n</html>\n`;
}

async function build() {
  const manifest = JSON.parse(readFileSync(join(root, 'lessons/lessons.json'), 'utf8'));
  const lessons = manifest.lessons.map((l, i) => ({ ...l, number: i + 1 }));
  const template = (name) => readFileSync(join(root, 'web/templates', name), 'utf8');
  const head = (prefix) => fill(template('head.html'), { root: prefix }).trim();
  const lessonTemplate = template('lesson.html');

  mkdirSync(join(out, 'assets'), { recursive: true });
  cpSync(join(root, 'web/css'), join(out, 'assets/css'), { recursive: true });
  const metafile = await bundle(lessons);
  cpSync(join(root, 'web/favicon.svg'), join(out, 'assets/favicon.svg'));
  // The course's trained model (attnlab train), which lessons 16-18 load through web/js/model.js.
  cpSync(join(root, 'model/course.weights'), join(out, 'assets/model/course.weights'));
  const katexDist = join(root, 'node_modules/katex/dist');
  cpSync(join(katexDist, 'katex.min.css'), join(out, 'assets/katex/katex.min.css'));
  cpSync(join(katexDist, 'fonts'), join(out, 'assets/katex/fonts'), { recursive: true });
  cpSync(join(root, 'node_modules/highlight.js/styles/github.min.css'), join(out, 'assets/css/hljs-light.css'));
  cpSync(join(root, 'node_modules/highlight.js/styles/github-dark.min.css'), join(out, 'assets/css/hljs-dark.css'));
  writeFileSync(join(out, 'assets/NOTICES.txt'), notices(metafile));

  for (const [i, l] of lessons.entries()) {
    const dir = join(root, 'lessons', l.slug);
    const context = { widgets: [] };
    const { html, headings } = renderMarkdown(readFileSync(join(dir, 'README.md'), 'utf8'), context);
    const prev = lessons[i - 1], next = lessons[i + 1];
    const pager = (x, rel, label) =>
      x ? `<a class="pager-${rel}" rel="${rel}" href="../${x.slug}/index.html"><span class="pager-label">${label}</span>` +
          `<span class="pager-title">${pad2(x.number)} · ${escapeHtml(x.title)}</span></a>` : '<span></span>';
    const target = join(out, 'lessons', l.slug);
    mkdirSync(target, { recursive: true });
    const css = existsSync(join(dir, 'page.css'));
    if (css) cpSync(join(dir, 'page.css'), join(target, 'page.css'));
    // The exercise as it was at the build, which the page shows read-only when served as static
    // files (under ./lab serve the page reads and saves the live file through the exercise API).
    cpSync(join(dir, 'exercise.cpp'), join(target, 'exercise.cpp'));
    writeFileSync(join(target, 'index.html'), fill(lessonTemplate, {
      head: head('../../'),
      id: pad2(l.number),
      number: String(l.number),
      slug: l.slug,
      title: escapeHtml(l.title),
      summary: escapeHtml(l.summary),
      count: String(lessons.length),
      nav: lessonNav(lessons, l.slug, '../../'),
      toc: headings.map((h) => `<li><a href="#${h.id}">${h.html}</a></li>`).join('\n'),
      content: html,
      prev: pager(prev, 'prev', 'Previous'),
      next: pager(next, 'next', 'Next'),
      tags: l.tags.map((t) => `<li>${escapeHtml(t)}</li>`).join(''),
      diagram: diagram({ built: l.parts, lessons, href: (x) => `../${x.slug}/index.html`,
        caption: l.parts.length ? 'Where this lesson sits in a transformer layer: highlighted, the parts it builds. Each part links to the lesson that builds it.'
          : 'Where attention sits in a transformer layer. Each part links to the lesson that builds it.' }),
      pagecss: css ? '<link rel="stylesheet" href="page.css">\n' : '',
    }));
    for (const old of l.formerly ?? []) {
      mkdirSync(join(out, 'lessons', old), { recursive: true });
      writeFileSync(join(out, 'lessons', old, 'index.html'), redirect(`../${l.slug}/index.html`, l.title));
    }
    if (!existsSync(join(target, 'lesson.mjs')))
      console.warn(`web/build.mjs: ${target}/lesson.mjs is missing; build the ${l.slug}_page target`);
  }

  const cards = lessons.map((l) => `<li class="card" data-lesson="${l.slug}">
  <a href="lessons/${l.slug}/index.html">
    <span class="card-num">${pad2(l.number)}</span>
    <span class="card-body"><span class="card-title">${escapeHtml(l.title)}</span>
    <span class="card-summary">${escapeHtml(l.summary)}</span>
    <span class="tags">${l.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('')}</span></span>
  </a>
</li>`).join('\n');
  // One sheet per lesson, two printed pages (front and back): the picture, the goals and the
  // self-checks; then the pencil-and-paper exercises with room to write, the discussion and the
  // commands. The questions and their inputs come from the checks module when the page opens
  // (web/js/site/worksheets.js); the key (answers.html) prints their answers from the same module.
  const sheets = lessons.map((l) => `<article class="sheet" id="lesson-${l.slug}" data-sheet="${l.slug}" aria-labelledby="ws-${l.slug}">
  <section class="sheet-page sheet-front">
    <header class="sheet-head">
      <h2 id="ws-${l.slug}"><span class="card-num">${pad2(l.number)}</span> ${escapeHtml(l.title)}</h2>
      <p class="sheet-name">Name <span class="blank"></span> Date <span class="blank short"></span></p>
    </header>
    <p class="ws-summary">${escapeHtml(l.summary)}</p>
    ${diagram({ built: l.parts, lessons, href: (x) => `lessons/${x.slug}/index.html`, id: l.slug,
    caption: l.parts.length ? 'The parts of a transformer layer this lesson builds, highlighted.' : 'Where attention sits in a transformer layer.' })}
    <h3>After this lesson you can</h3>
    <ul class="sheet-goals">${l.goals.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul>
    <h3>Check yourself <span class="sheet-note">predict first, then check on the page</span></h3>
    <ol class="sheet-items" data-sheet-checks><li class="sheet-loading">The questions load with the page.</li></ol>
  </section>
  <section class="sheet-page sheet-back">
    <h3>On paper <span class="sheet-note">work in the space, answer in the boxes</span></h3>
    <ol class="sheet-items" data-sheet-paper></ol>
    <h3>Discuss</h3>
    <ol class="sheet-discuss">${l.discuss.map((q) => `<li>${escapeHtml(q)}</li>`).join('')}</ol>
    <h3>At the computer</h3>
    <p class="sheet-commands">Open <code>lessons/${l.slug}</code> on the site. Then make <code>lessons/${l.slug}/exercise.cpp</code> pass:
      <code>./lab check ${l.number}</code> runs its tests, <code>./lab hint ${l.number}</code> gives the next of three hints,
      <code>./lab lesson ${l.number}</code> prints every number of the worked example.</p>
  </section>
</article>`).join('\n');
  // The answer keys, for the teacher: every answer and worked step computed by the checks module
  // (web/js/site/worksheets.js), and each exercise's three hints in full, from the manifest.
  const keys = lessons.map((l) => `<article class="key" id="key-${l.slug}" data-key="${l.slug}" aria-labelledby="key-h-${l.slug}">
  <h2 id="key-h-${l.slug}"><span class="card-num">${pad2(l.number)}</span> ${escapeHtml(l.title)}</h2>
  <ol class="key-items" data-key-items><li class="sheet-loading">The answers load with the page.</li></ol>
  <h3>The exercise's hints, in full</h3>
  <ol class="key-hints">
    <li><strong>The idea.</strong> ${escapeHtml(l.hints.idea)}</li>
    <li><strong>The invariant.</strong> ${escapeHtml(l.hints.invariant)}</li>
    <li><strong>Pseudo-code.</strong> ${escapeHtml(l.hints.pseudocode)}</li>
  </ol>
</article>`).join('\n');
  writeFileSync(join(out, 'answers.html'), fill(template('answers.html'), { head: head(''), keys }));
  writeFileSync(join(out, 'worksheets.html'), fill(template('worksheets.html'), { head: head(''), sheets,
    index: lessons.map((l) => `<li><a href="?lesson=${l.slug}">${pad2(l.number)} · ${escapeHtml(l.title)}</a></li>`).join('') }));
  // The class page: learners' progress files and the grade report in one grid (web/js/site/class.js).
  writeFileSync(join(out, 'class.html'), fill(template('class.html'), { head: head('') }));

  writeFileSync(join(out, 'index.html'), fill(template('index.html'), {
    head: head(''),
    count: `${lessons.length} lesson${lessons.length === 1 ? '' : 's'}`,
    cards,
    first: `lessons/${lessons[0].slug}/index.html`,
    diagram: diagram({ lessons, href: (x) => `lessons/${x.slug}/index.html`,
      caption: 'Where attention sits in a transformer layer, from tokens to the next token. Each part links to the lesson that builds it.' }),
  }));
  console.log(`site: ${lessons.length} lesson(s) -> ${out}`);
}

try {
  await build();
} catch (e) {
  console.error(`web/build.mjs: ${e.message}`);
  process.exit(1);
}
