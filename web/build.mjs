// web/build.mjs — builds the static site from the manifest and the lessons.
//
//   node web/build.mjs --out build/wasm/site
//
// Reads lessons/lessons.json; writes the worksheets (goals, discussion, exercise per lesson);
// renders each lesson's README.md (Markdown, KaTeX
// maths rendered here at build time, C++ highlighted here too) into
// web/templates/lesson.html; writes the index; copies web/js, web/css, each
// lesson's page.js and the KaTeX and highlight.js assets out of node_modules.
// The lesson modules (lesson.mjs + lesson.wasm) are linked into the same
// folders by CMake. Nothing is fetched at run time: the site works offline
// from any static file server.
//
// README directives (HTML comments, so GitHub shows the README cleanly too):
//   <!-- widget: NAME -->          a <section data-widget="NAME"> the page's page.js fills
//   <!-- code: PATH#REGION -->     the lines between `// [REGION]` markers in PATH, highlighted
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
          `<div class="math-display">${katex.renderToString(t.tex, { displayMode: true, throwOnError: true })}</div>\n`,
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
        const widget = text.match(/^<!--\s*widget:\s*([\w-]+)\s*-->/);
        if (widget) {
          const name = widget[1];
          context.widgets.push(name);
          return `<section class="widget" id="widget-${name}" data-widget="${name}" aria-label="Interactive: ${name}">` +
            `<p class="widget-status" role="status">Loading the lesson's WebAssembly module…</p></section>\n`;
        }
        const code = text.match(/^<!--\s*code:\s*([^#\s]+)#([\w-]+)\s*-->/);
        if (code) {
          const [, path, region] = code;
          const { code: src, first, last } = codeRegion(path, region);
          return `<figure class="code"><figcaption><code>${escapeHtml(path)}</code>, lines ${first}–${last}</figcaption>` +
            `<pre class="code" tabindex="0"><code class="hljs language-cpp">${highlight(src, 'cpp')}</code></pre></figure>\n`;
        }
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
      const here = l.id === current;
      return `<li${here ? ' class="current"' : ''}><a href="${prefix}lessons/${l.folder}/index.html"` +
        `${here ? ' aria-current="page"' : ''}><span class="num">${pad2(l.id)}</span>` +
        `<span class="title">${escapeHtml(l.title)}</span></a></li>`;
    })
    .join('\n');
}

function build() {
  const manifest = JSON.parse(readFileSync(join(root, 'lessons/lessons.json'), 'utf8'));
  const lessons = manifest.lessons;
  const lessonTemplate = readFileSync(join(root, 'web/templates/lesson.html'), 'utf8');
  const indexTemplate = readFileSync(join(root, 'web/templates/index.html'), 'utf8');

  mkdirSync(join(out, 'assets'), { recursive: true });
  cpSync(join(root, 'web/css'), join(out, 'assets/css'), { recursive: true });
  cpSync(join(root, 'web/js'), join(out, 'assets/js'), { recursive: true });
  cpSync(join(root, 'web/favicon.svg'), join(out, 'assets/favicon.svg'));
  const katexDist = join(root, 'node_modules/katex/dist');
  cpSync(join(katexDist, 'katex.min.css'), join(out, 'assets/katex/katex.min.css'));
  cpSync(join(katexDist, 'fonts'), join(out, 'assets/katex/fonts'), { recursive: true });
  cpSync(join(root, 'node_modules/highlight.js/styles/github.min.css'), join(out, 'assets/css/hljs-light.css'));
  cpSync(join(root, 'node_modules/highlight.js/styles/github-dark.min.css'), join(out, 'assets/css/hljs-dark.css'));
  writeFileSync(join(out, 'assets/lessons.json'), JSON.stringify(manifest, null, 1));

  for (const [i, l] of lessons.entries()) {
    const dir = join(root, 'lessons', l.folder);
    const context = { widgets: [] };
    const { html, headings } = renderMarkdown(readFileSync(join(dir, 'README.md'), 'utf8'), context);
    const prev = lessons[i - 1], next = lessons[i + 1];
    const pager = (x, rel, label) =>
      x ? `<a class="pager-${rel}" rel="${rel}" href="../${x.folder}/index.html"><span class="pager-label">${label}</span>` +
          `<span class="pager-title">${pad2(x.id)} · ${escapeHtml(x.title)}</span></a>` : '<span></span>';
    const target = join(out, 'lessons', l.folder);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'index.html'), fill(lessonTemplate, {
      id: pad2(l.id),
      title: escapeHtml(l.title),
      summary: escapeHtml(l.summary),
      count: String(lessons.length),
      nav: lessonNav(lessons, l.id, '../../'),
      toc: headings.map((h) => `<li><a href="#${h.id}">${h.html}</a></li>`).join('\n'),
      content: html,
      prev: pager(prev, 'prev', 'Previous'),
      next: pager(next, 'next', 'Next'),
      tags: l.tags.map((t) => `<li>${escapeHtml(t)}</li>`).join(''),
    }));
    cpSync(join(dir, 'page.js'), join(target, 'page.js'));
    if (!existsSync(join(target, 'lesson.mjs')))
      console.warn(`web/build.mjs: ${target}/lesson.mjs is missing; build the lesson${pad2(l.id)}_page target`);
  }

  const cards = lessons.map((l) => `<li class="card" data-lesson="${l.id}">
  <a href="lessons/${l.folder}/index.html">
    <span class="card-num">${pad2(l.id)}</span>
    <span class="card-body"><span class="card-title">${escapeHtml(l.title)}</span>
    <span class="card-summary">${escapeHtml(l.summary)}</span>
    <span class="tags">${l.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('')}</span></span>
  </a>
</li>`).join('\n');
  const sheets = lessons.map((l) => `<article class="worksheet" id="lesson-${pad2(l.id)}" aria-labelledby="ws-${l.id}">
  <h2 id="ws-${l.id}"><span class="card-num">${pad2(l.id)}</span> ${escapeHtml(l.title)}</h2>
  <p class="ws-summary">${escapeHtml(l.summary)}</p>
  <h3>After this lesson you can</h3>
  <ul>${(l.goals ?? []).map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul>
  <h3>Discuss</h3>
  <ol>${(l.discuss ?? []).map((q) => `<li>${escapeHtml(q)}</li>`).join('')}</ol>
  <h3>Exercise</h3>
  <p>Read the lesson at <a href="lessons/${l.folder}/index.html">lessons/${l.folder}</a> and answer its self-checks.
    Then make <code>lessons/${l.folder}/exercise.cpp</code> pass: <code>./lab lesson ${l.id}</code> prints every number of the
    worked example, <code>./lab check ${l.id}</code> runs the tests, <code>./lab hint ${l.id}</code> gives a nudge.
    The reference is <code>${escapeHtml(l.library)}</code>.</p>
  <details><summary>Hint</summary><p>${escapeHtml(l.hint)}</p></details>
</article>`).join('\n');
  for (const l of lessons)
    if (!l.goals?.length || !l.discuss?.length) throw new Error(`lessons.json: lesson ${l.id} needs "goals" and "discuss"`);
  writeFileSync(join(out, 'worksheets.html'), fill(readFileSync(join(root, 'web/templates/worksheets.html'), 'utf8'), { sheets }));

  writeFileSync(join(out, 'index.html'), fill(indexTemplate, {
    count: `${lessons.length} lesson${lessons.length === 1 ? '' : 's'}`,
    cards,
    first: `lessons/${lessons[0].folder}/index.html`,
  }));
  console.log(`site: ${lessons.length} lesson(s) -> ${out}`);
}

try {
  build();
} catch (e) {
  console.error(`web/build.mjs: ${e.message}`);
  process.exit(1);
}
