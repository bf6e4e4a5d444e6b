// Unit tests of the small pure pieces: typography, ordering, decoding, URL and style sanitising.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeText } from '../src/articles/decode.js';
import { compareNames, loadArticles } from '../src/articles/load.js';
import { placeIn, restoreArticle } from '../src/articles/embedded.js';
import { loadConfig } from '../src/config.js';
import { tempDir, writeTree } from './helpers.js';
import path from 'node:path';
import fs from 'node:fs';
import { isLanguageTag, splitFrontMatter } from '../src/articles/front-matter.js';
import { isRightToLeft, isW3cDate } from '../src/config.js';
import { formatDiagnostic, placeOf, type Diagnostic } from '../src/diagnostics.js';
import { titleFromFileName } from '../src/articles/title.js';
import { sanitizeHtml, sanitizeStyle, sanitizeUrl } from '../src/render/sanitize.js';
import { serialize } from '../src/render/serialize.js';
import { firstStrong, markDirections } from '../src/render/direction.js';
import { nameImageLinks } from '../src/render/link-names.js';
import { addKoboSpans } from '../src/render/kobo.js';
import { fillContents, IdAllocator, processHeadings } from '../src/render/headings.js';
import { el, type XElement } from '../src/render/tree.js';
import { quotesFor, smarten } from '../src/render/typography.js';
import { markdownToHtml } from '../src/render/markdown.js';
import { withoutVaultMarks } from '../src/render/obsidian.js';
import { withoutRawLines } from '../src/render/liquid.js';
import { resolveLinks } from '../src/render/links.js';
import { fillPlaceholders } from '../src/render/placeholders.js';
import { withJsxTags } from '../src/render/jsx-tags.js';
import { readIncludes } from '../src/articles/includes.js';
import { includeRoots } from '../src/articles/site.js';
import { mkdocsProject, type MkDocsSyntax } from '../src/articles/mkdocs.js';
import { countBlocks, markUp, renderChapter } from '../src/render/chapter.js';
import { decodeBytes } from '../src/add/charset.js';
import { renderSettings, type RenderSettings } from '../src/model.js';
import { highlightCode } from '../src/render/highlight.js';
import { ALIASES, GRAMMARS } from '../src/render/highlight-grammars.js';
import { JS_WORDS, TS_WORDS, scanCode } from '../src/render/highlight-scan.js';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { engineFlags, HEAP_GROWING_PERCENT, INTERRUPT_BUDGET } from '../src/engine.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

describe('syntax highlighting', () => {
  const chapter = (md: string, settings: Partial<RenderSettings> = {}, highlightNow = false) => {
    const article = { file: '/a/x.md', name: 'x.md', slug: 'x', body: md, meta: { authors: [] } };
    return renderChapter(article, renderSettings(settings), markUp(article, renderSettings(settings), highlightNow)).body.replace(/^<header.*\n/, '');
  };

  it('highlights fenced code with a known language, also from the full set of languages, and can be turned off', () => {
    const md = '```js\nconst x = 1;\n```\n\n```haskell\nmain = print 1\n```\n\n```nosuchlanguage\nx\n```\n';
    // Highlighted as the chapter is serialised, or (the read-ahead thread's Markdown stage) before: the same bytes.
    for (const now of [false, true]) {
      const on = chapter(md, {}, now);
      assert.match(on, /<code class="hljs language-js"><span class="hljs-keyword">const<\/span>/);
      assert.match(on, /<code class="hljs language-haskell">.*<span class="hljs-/s);
      assert.match(on, /<pre><code class="language-nosuchlanguage">x\n<\/code><\/pre>/);
      assert.doesNotMatch(on, /data-quire/);
      assert.doesNotMatch(chapter(md, { highlight: false }, now), /hljs/);
      assert.doesNotMatch(chapter('```"><script>\nx\n```', {}, now), /<script>/);
    }
    // The mark that asks the serialiser to highlight a block, written in raw HTML, changes no text.
    assert.equal(chapter('<pre><code data-quire-highlight="js"><b>const</b> x</code></pre>\n'), '<pre><code><b>const</b> x</code></pre>\n');
  });

  it("writes highlighted code as the sanitiser and serialiser would write highlight.js's HTML", () => {
    const samples: [string, string][] = [
      ['js', 'const s = "a \' b" + `${x}` && y < 2 > 1; // <b>&amp;</b>'],
      ['ts', 'function f<T>(a: T): T { return a; }'],
      ['json', '{"a": [1, true, null, "x\\"y"]}'],
      ['html', '<p class="x" data-y=\'z\'>a &amp; b</p><script>let q = "<";</script><style>a{color:red}</style>'],
      ['python', 'def f(x):\n    """doc "quoted" \'s"""\n    return x  # <>'],
      ['c++', 'template <typename T> int main() { std::vector<int> v; return v.size() > 0 ? 1 : 0; }'],
      ['sh', 'for f in *.md; do echo "$f" | sed \'s/a/b/\' > "$f.out"; done'],
      ['css', 'a.b:hover, .c > d::after { content: "\\""; color: red !important; }'],
      ['diff', '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y'],
      ['php', '<?php echo "<b>$x</b>"; ?>'],
      ['xml', '<?xml version="1.0"?><!DOCTYPE x><a b="c">&lt;</a>'],
      ['markdown', '# T\n\n*a* `b` [c](d "e")'],
    ];
    for (const [lang, code] of samples) {
      const html = highlightCode(code, lang)!;
      const written = serialize(sanitizeHtml(`<pre><code class="hljs language-${lang}">${html}\n</code></pre>`, '').nodes, {}, false);
      assert.equal(chapter('```' + lang + '\n' + code + '\n```\n'), written + '\n', lang);
      assert.equal(chapter('```' + lang + '\n' + code + '\n```\n', {}, true), written + '\n', lang);
    }
  });

  it("shows a fenced block's file name above it, as documentation sites write it, and keeps its language", () => {
    const body = (md: string, settings: Partial<RenderSettings> = {}) => chapter(md, settings);
    const code = '\nconst a = 1;\n```\n';
    const js = '<span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>;\n';
    const figure = (name: string, pre: string) => `<figure class="code"><figcaption><code>${name}</code></figcaption>${pre}</figure>\n`;
    // Docusaurus, VitePress and Astro; Nextra; Qiita and Zenn; VitePress's code-group label.
    assert.equal(body('```js title="src/app.js" {1,3}' + code), figure('src/app.js', `<pre><code class="hljs language-js">${js}</code></pre>`));
    assert.equal(body('```python filename="main.py"\nx = 1\n```\n'), figure('main.py', '<pre><code class="hljs language-python">x = <span class="hljs-number">1</span>\n</code></pre>'));
    assert.equal(body('```js:src/app.js' + code), figure('src/app.js', `<pre><code class="hljs language-js">${js}</code></pre>`));
    assert.equal(body('```js:app/{locale}/page.js' + code), figure('app/{locale}/page.js', `<pre><code class="hljs language-js">${js}</code></pre>`));
    assert.equal(body('```[data.csv]\na,b\n```\n'), figure('data.csv', '<pre><code>a,b\n</code></pre>'));
    // The other ways of writing them; what is not a name is left out.
    for (const info of ["js title='src/app.js'", 'js title=src/app.js showLineNumbers', 'js file="src/app.js"', 'js {filename="src/app.js", linenos=table}', 'js [src/app.js]', 'js:src/app.js {1}', 'js caption="title=x" title="src/app.js"']) {
      assert.equal(body('```' + info + code), figure('src/app.js', `<pre><code class="hljs language-js">${js}</code></pre>`), info);
    }
    assert.equal(body('```ts:line-numbers {1}\nlet a\n```\n'), '<pre><code class="hljs language-ts"><span class="hljs-keyword">let</span> a\n</code></pre>\n');
    // VitePress's line highlights against the language.
    for (const info of ['ts{1}', 'ts{1,3-5}:line-numbers', 'ts{1} title="x"']) assert.match(body('```' + info + '\nlet a\n```\n'), /<pre><code class="hljs language-ts"><span class="hljs-keyword">let<\/span> a\n<\/code><\/pre>(?:<\/figure>)?\n$/, info);
    // mdBook's attributes after a comma.
    for (const info of ['rust,ignore', 'rust,no_run,edition2021', 'rust,editable']) assert.equal(body('```' + info + '\nlet a = 1;\n```\n'), '<pre><code class="hljs language-rust"><span class="hljs-keyword">let</span> <span class="hljs-variable">a</span> = <span class="hljs-number">1</span>;\n</code></pre>\n', info);
    // Escaped, and as written: no curly quote or dash in a file name.
    assert.equal(body('```html title="<script>alert(\'x\')</script>"\nx\n```\n'), figure('&lt;script&gt;alert(\'x\')&lt;/script&gt;', '<pre><code class="hljs language-html">x\n</code></pre>'));
    assert.equal(body('```sh title=\'"my--file".sh\'\nx\n```\n'), figure('"my--file".sh', '<pre><code class="hljs language-sh">x\n</code></pre>'));
    const long = 'd/'.repeat(50_000) + 'f.js';
    assert.equal(body(`\`\`\`js title="${long}"${code}`), figure(long, `<pre><code class="hljs language-js">${js}</code></pre>`));
    // A hostile info string is read in one pass: readCodeInfo took 66 ms on a line of 1,000,000 `[`, 14 ms on 200,000.
    for (const info of ['['.repeat(200_000), '"'.repeat(200_000), 'js ' + '{'.repeat(200_000), 'js ' + 'title="'.repeat(50_000), 'js ' + "a='".repeat(50_000)]) {
      const start = performance.now();
      assert.match(body('```' + info + code), info.startsWith('js title') ? /^<figure class="code"><figcaption><code>title=<\/code>/ : /^<pre>/);
      assert.ok(performance.now() - start < 2000, `${info.slice(0, 8)}: ${performance.now() - start} ms`);
    }
    // Without highlighting, and for Kobo (the name is text of its own block, in a Kobo span).
    assert.equal(body('```js:src/app.js' + code, { highlight: false }), figure('src/app.js', '<pre><code class="language-js">const a = 1;\n</code></pre>'));
    assert.equal(body('```python filename="main.py"\nx\n```\n', { highlight: false }), figure('main.py', '<pre><code class="language-python">x\n</code></pre>'));
    assert.equal(
      body('```js title="src/app.js"' + code, { target: 'kobo' }),
      figure('<span class="koboSpan" id="kobo.2.1">src/app.js</span>', `<pre><code class="hljs language-js">${js}</code></pre>`),
    );
    // A block without a name is as it was.
    assert.equal(body('```js {1,3}' + code), `<pre><code class="hljs language-js">${js}</code></pre>\n`);
    assert.equal(body('```' + code, { highlight: false }), '<pre><code>const a = 1;\n</code></pre>\n');
  });

  it('loads a grammar with those it embeds, by alias too, and leaves unknown languages plain', () => {
    // HTML hands its scripts to the JavaScript grammar: highlighted as such in a fresh process too.
    const script = `import { highlightCode } from ${JSON.stringify(new URL('../src/render/highlight.js', import.meta.url).href)};
      process.stdout.write(highlightCode('<p>x</p><script>const q = 1;</script>', 'html'));`;
    const html = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout;
    assert.match(html, /<span class="hljs-name">p<\/span>/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
    assert.match(highlightCode('main = print 1', 'hs')!, /hljs-/);
    assert.match(highlightCode('int main() { return 0; }', 'C++')!, /<span class="hljs-type">int<\/span>/);
    for (const unknown of ['nosuchlanguage', 'constructor', '__proto__', '..', 'languages/../core', 'flow']) assert.equal(highlightCode('x', unknown), undefined, unknown);
  });

  it('scans JavaScript, TypeScript and JSON with the classes highlight.js gives them', () => {
    assert.equal(
      highlightCode('/** @param {string} a - the name */\nexport function f(a) { return /x+/g.test(a) ? `${a}!` : 1e3; } // TODO: more', 'JS'),
      '<span class="hljs-comment">/** <span class="hljs-doctag">@param</span> {<span class="hljs-type">string</span>} <span class="hljs-variable">a</span> - the name */</span>\n' +
        '<span class="hljs-keyword">export</span> <span class="hljs-keyword">function</span> <span class="hljs-title function_">f</span>(a) { <span class="hljs-keyword">return</span> ' +
        '<span class="hljs-regexp">/x+/g</span>.<span class="hljs-title function_">test</span>(a) ? <span class="hljs-string">`<span class="hljs-subst">${a}</span>!`</span> : <span class="hljs-number">1e3</span>; } ' +
        '<span class="hljs-comment">// <span class="hljs-doctag">TODO:</span> more</span>',
    );
    assert.equal(highlightCode('let n: number = a / b / 2;', 'ts'), '<span class="hljs-keyword">let</span> <span class="hljs-attr">n</span>: <span class="hljs-built_in">number</span> = a / b / <span class="hljs-number">2</span>;');
    // The same bytes as highlight.js for JSON.
    const json = '{"a" : [1.5e3, true, null, "x"], // note\n "b": {}}';
    const hljs = createRequire(import.meta.url)('highlight.js') as { highlight(c: string, o: { language: string }): { value: string } };
    assert.equal(highlightCode(json, 'json'), hljs.highlight(json, { language: 'json' }).value);
  });

  it('keeps every character of the code it scans, whatever the code', () => {
    const plain = (html: string) =>
      html.replace(/<\/?span[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" })[e]!);
    const piece = fc.constantFrom('/', '*', '`', '${', '}', '{', "'", '"', '\\', '\n', ' ', 'a', 'if', 'x:', '@param', '1.5', '.', '(', '<', '&', '//', '/*', '*/', '\u{1F600}', '\uD800', 'TODO:');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom('js', 'ts', 'json'), (parts, lang) => {
        const code = parts.join('');
        const html = scanCode(code, lang)!;
        assert.equal(plain(html), code);
        assert.doesNotMatch(html.replace(/<\/?span[^>]*>/g, ''), /[<>"']/);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every character of deeply nested templates and of lines full of would-be regular expressions', () => {
    const plain = (html: string) => html.replace(/<\/?span[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" })[e]!);
    for (const code of ['`${'.repeat(20_000), '/['.repeat(20_000), `x = /[${'a'.repeat(20_000)}`, '/** @param {'.repeat(2_000)]) {
      const html = scanCode(code, 'js')!;
      assert.equal(plain(html), code);
    }
    // highlight.js is not given lines over 2,000 characters (its time grows with their square); the scanner is.
    assert.equal(highlightCode(`const x = /[${'a'.repeat(3_000)}`, 'jsx'), undefined);
    assert.match(highlightCode(`const x = /[${'a'.repeat(1_000)}`, 'jsx')!, /hljs-/);
    assert.match(highlightCode(`const x = /[${'a'.repeat(3_000)}`, 'js')!, /hljs-/);
    // Templates nested deeper than 16 are string text from there on.
    assert.equal((scanCode('`${'.repeat(40), 'js')!.match(/hljs-subst/g) ?? []).length, 16);
  });

  it('scans with the words of the installed highlight.js', () => {
    // From the grammars' definitions: highlight.js replaces a registered grammar's words when it compiles it.
    const require = createRequire(import.meta.url);
    const hljs = require('highlight.js') as unknown;
    const grammar = (name: string) => (require(`highlight.js/lib/languages/${name}`) as (h: unknown) => { keywords: Record<string, string[]> })(hljs).keywords;
    const js = grammar('javascript');
    const ts = grammar('typescript');
    for (const kind of ['keyword', 'literal', 'built_in', 'variable.language'] as const) assert.deepEqual(JS_WORDS[kind].split(' '), js[kind], kind);
    assert.deepEqual([...JS_WORDS.keyword.split(' '), ...TS_WORDS.keyword.split(' ')], ts.keyword);
    assert.deepEqual([...JS_WORDS.built_in.split(' '), ...TS_WORDS.built_in.split(' ')], ts.built_in);
  });

  // highlight.js's compiled grammars keep state from the code they read (a rule skipped where it matched, such
  // as a shebang not at the start, makes a matcher that renumbers the rules), so an article's highlighting
  // depended on the articles highlighted before it on that thread. The reference: each article alone, in a
  // worker thread of its own (modules, highlight.js with them, load anew in each).
  const markdownUrl = new URL('../src/render/markdown.js', import.meta.url).href;
  const alone = (articles: readonly string[]) =>
    Promise.all(
      articles.map(
        (md) =>
          new Promise<string>((resolve, reject) => {
            const code = `const { parentPort, workerData } = require('node:worker_threads');
              import(${JSON.stringify(markdownUrl)}).then(({ markdownToHtml }) => {
                const highlighted = new Map();
                const { html } = markdownToHtml(workerData, { math: true, highlight: true, highlighted });
                parentPort.postMessage([html, ...highlighted.values()].join('\\n'));
              });`;
            const worker = new Worker(code, { eval: true, workerData: md });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
  const script = (...lines: string[]) => `\`\`\`html\n<script>\n${lines.join('\n')}\n</script>\n\`\`\`\n`;
  /** The Markdown stage, with its fenced blocks highlighted as the read-ahead thread highlights them. */
  const render = (md: string) => {
    const highlighted = new Map<string, string>();
    const { html } = markdownToHtml(md, { math: true, highlight: true, highlighted });
    return [html, ...highlighted.values()].join('\n');
  };

  it('reads math after any text, as when it looked for the next `$` in the rest of the paragraph', () => {
    const math = (tex: string) => `<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="${tex}"><semantics><mi>${tex}</mi><annotation encoding="application/x-tex">${tex}</annotation></semantics></math>`;
    assert.equal(render('a$x$b'), `<p>a${math('x')}b</p>\n`);
    assert.equal(render('cost $5 and www.ex.com'), '<p>cost $5 and <a data-quire-pos="12" href="http://www.ex.com">www.ex.com</a></p>\n');
    // Text stops before what may be an e-mail address; a `$` in it still ends the text first.
    assert.equal(render('pay$me@ex.com now $y$'), `<p>pay$<a data-quire-pos="4" href="mailto:me@ex.com">me@ex.com</a> now ${math('y')}</p>\n`);
    assert.match(render('\\www.a.b+$$@$$'), /^<p>\\www\.a\.b\+<math [^>]*display="block"[^>]*alttext="@">/);
    // A paragraph of 20,000 links (its rest was searched for a `$` at each of them), then a formula; one of
    // 20,000 prices (searched at each of them too).
    const html = render(`${'[x](https://e.com/1) '.repeat(20_000)}$z$`);
    assert.equal(html.split('<a ').length - 1, 20_000);
    assert.ok(html.endsWith(`${math('z')}</p>\n`));
    const prices = Array.from({ length: 20_000 }, (_, i) => `$${i}`).join(' ');
    assert.equal(render(`${prices} $w$`), `<p>${prices} ${math('w')}</p>\n`);
  });

  it('highlights an article the same whatever was highlighted before it', async () => {
    // After this article, `catch` in the next one was highlighted as a keyword, not as the function called.
    const before = script('#!/usr/bin/env node', ...Array<string>(5).fill('.catch(function (e) {'), '}).catch(function (e) {', '.catch(function (e) {', 'a(b).then(c).catch(d);', 'a(b).then(c).catch(d);');
    const after = script('.catch(function (e) {');
    const [fresh] = await alone([after]);
    assert.match(fresh!, /\.<span class="hljs-title function_">catch<\/span>\(<span class="hljs-keyword">function<\/span>/);
    render(before);
    assert.equal(render(after), fresh);
  });

  it('highlights each article of any sequence as it highlights it alone', async () => {
    const pool = [
      script('#!/usr/bin/env node'),
      script('.catch(function (e) {'),
      script('}).catch(function (e) {', 'a(b).then(c).catch(d);'),
      script('#!/usr/bin/env node', ...Array<string>(5).fill('.catch(function (e) {'), '}).catch(function (e) {', '.catch(function (e) {', 'a(b).then(c).catch(d);', 'a(b).then(c).catch(d);'),
      '```css\na.b:hover, .c > d::after { color: red !important; }\n@media (min-width: 3em) { .e { margin: 0 auto } }\n```\n',
      '```sh\nfor f in *.md; do echo "$f" | sed \'s/a/b/\'; done\nx.then() # .catch\n```\n',
      '```python\n#!/usr/bin/env python\ndef f(x):\n    return x.lower() if x else None  # .catch\n```\n',
      '```c++\nint main() { std::vector<int> v; for (auto& x : v) x.catch(1); }\n```\n',
      '```js\n#!/usr/bin/env node\nx.then(f).catch(g);\n```\n\n```json\n{"a": [1, true]}\n```\n',
      '```markdown\n# T\n\n```\n',
    ];
    const reference = await alone(pool);
    fc.assert(
      fc.property(fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 12 }), (order) => {
        for (const i of order) assert.equal(render(pool[i]!), reference[i], `article ${i} of ${order.join(' ')}`);
      }),
      { numRuns: 40 },
    );
  });

  it('knows the grammars and aliases of the installed highlight.js (regenerate highlight-grammars.ts if not)', () => {
    const all = createRequire(import.meta.url)('highlight.js') as { listLanguages(): string[]; getLanguage(n: string): { aliases?: string[] } | undefined };
    assert.deepEqual([...GRAMMARS].sort(), all.listLanguages().sort());
    for (const grammar of GRAMMARS)
      for (const alias of all.getLanguage(grammar)!.aliases ?? []) {
        const a = alias.toLowerCase();
        if (a === grammar || GRAMMARS.includes(a)) continue;
        assert.equal(all.getLanguage(ALIASES[a] ?? '(none)'), all.getLanguage(a), `alias ${a}`);
      }
  });
});

describe("GitHub's alerts", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('become a titled box of their kind', () => {
    assert.equal(html('> [!NOTE]\n> Useful *information*.\n'), '<div class="markdown-alert markdown-alert-note">\n<p class="markdown-alert-title">Note</p>\n<p>Useful <em>information</em>.</p>\n</div>\n');
    assert.match(html('> [!CAUTION]\n> - one\n> - two\n'), /^<div class="markdown-alert markdown-alert-caution">\n<p class="markdown-alert-title">Caution<\/p>\n<ul>\n<li>one<\/li>/);
  });
  it('stay quotes when the marker is not first, or the quote starts with a table', () => {
    assert.equal(html('> Not an alert [!NOTE]\n'), '<blockquote>\n<p>Not an alert [!NOTE]</p>\n</blockquote>\n');
    assert.match(html('> [!NOTE] | b\n> --- | ---\n> 1 | 2\n'), /^<blockquote>\n<table>/);
    assert.equal(html('> [!unknown] kind\n> text\n'), '<blockquote>\n<p>[!unknown] kind\ntext</p>\n</blockquote>\n');
  });
  it("keep the text after GitHub's upper-case marker as the note's text", () => {
    assert.match(html('> [!NOTE] Tests are fixed when\n> they are async.\n'), /^<div class="markdown-alert markdown-alert-note">\n<p class="markdown-alert-title">Note<\/p>\n<p> ?Tests are fixed when\nthey are async\.<\/p>/);
  });
  it("are read in any case, and as Obsidian's callouts: a title after the name, folded ones open, its other names", () => {
    const box = (kind: string, title: string, body: string) => `<div class="markdown-alert markdown-alert-${kind}"><p class="markdown-alert-title">${title}</p>\n${body}</div>\n`;
    assert.equal(html('> [!note]\n> Useful.\n'), box('note', 'Note', '<p>Useful.</p>\n'));
    assert.equal(html('> [!Tip] A *titled* tip\n> Useful.\n'), box('tip', 'A <em>titled</em> tip', '<p>Useful.</p>\n'));
    assert.equal(html('> [!faq]- Folded\n> Answer.\n>\n> More.\n'), box('tip', 'Folded', '<p>Answer.</p>\n<p>More.</p>\n'));
    assert.equal(html('> [!todo]\n> - one\n'), box('note', 'Todo', '<ul>\n<li>one</li>\n</ul>\n'));
    assert.equal(html('> [!danger] Only a title\n'), box('caution', 'Only a title', ''));
    assert.equal(html('- item\n\n  > [!warning]\n  > careful\n'), `<ul>\n<li><p>item</p>\n${box('warning', 'Warning', '<p>careful</p>\n')}</li>\n</ul>\n`);
  });
});

describe('lines of component tags', () => {
  const html = (md: string, mdx: boolean) => markdownToHtml(md, { math: true, mdx }).html;
  it('end a paragraph in MDX, and the Markdown between them is Markdown', () => {
    assert.equal(html('<Tab>\nThis is **bold**.\n</Tab>\n', true), '<!--quire-pos:0:6--><quire-component>\n<p>This is <strong>bold</strong>.</p>\n<!--quire-pos:24:31--></quire-component>\n');
  });
  it("of a component named like a raw-text element, self-closed, end at their line, without a warning", () => {
    const out = markdownToHtml('<Script src="x.js" />\n\nAfter.\n', { math: true, mdx: true });
    assert.equal(out.html, '<!--quire-pos:0:23--><quire-component src="x.js"></quire-component>\n<p>After.</p>\n');
    assert.deepEqual(out.problems, []);
  });
  it('stay in their paragraph in Markdown, as CommonMark and markdown-it read them', () => {
    assert.match(html('Since version\n<Badge type="tip" text="1.2" />\nthis works.\n', false), /^<p>Since version\n<!--quire-pos:\d+:\d+--><quire-component type="tip" text="1.2"><\/quire-component>\nthis works\.<\/p>\n$/);
  });
});

describe('JSX in MDX', () => {
  const html = (md: string) => markdownToHtml(md, { math: true, mdx: true }).html;
  it("shows the text a component's props give: a field's name, a card's description and link, a tooltip's tip", () => {
    const md = '# API\n\n<ParamField path="user_id" type="string">The id.</ParamField>\n\n<LinkCard title="Guide" description="Read it first." href="https://example.com/guide" />\n\n<Card title="Bad" href="javascript:alert(1)">Body.</Card>\n\n<Icon name="check" />\n\nSee <Tooltip tip="a hint">word</Tooltip> here.\n';
    const chapter = renderChapter({ file: '/a/x.mdx', name: 'x.mdx', slug: 'x', body: md, meta: { authors: [] } }, renderSettings()).body;
    assert.match(chapter, /<div><p><strong>user_id<\/strong><\/p><p>The id\.<\/p><\/div>/);
    assert.match(chapter, /<div><p><a href="https:\/\/example\.com\/guide"><strong>Guide<\/strong><\/a><\/p><p><span>Read it first\.<\/span><\/p><\/div>/);
    assert.match(chapter, /<div><p><strong>Bad<\/strong><\/p><p>Body\.<\/p><\/div>/);
    assert.doesNotMatch(chapter, /check|javascript/);
    assert.match(chapter, /<p>See word \(<span>a hint<\/span>\) here\.<\/p>/);
  });
  it("ends a list at a line of component tags at the margin, as MDX ends it (the component's box was left open)", () => {
    assert.equal(html('<Admonition type="tip" title="Box">\n\n- in the box\n</Admonition>\n\nAfter the box.\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<quire-component type="tip" title="Box"><ul>\n<li>in the box</li>\n</ul>\n</quire-component><p>After the box.</p>\n');
  });
  it("names Nextra's tabs by the items of their <Tabs>, in order", () => {
    const md = '# T\n\n<Tabs items={["npm", \'yarn\']}>\n<Tabs.Tab>npm i</Tabs.Tab>\n<Tab>yarn add</Tab>\n</Tabs>\n\n<Tabs items={["one"]}>\n<Tab label="Own">x</Tab>\n</Tabs>\n';
    const chapter = renderChapter({ file: '/a/x.mdx', name: 'x.mdx', slug: 'x', body: md, meta: { authors: [] } }, renderSettings()).body;
    assert.match(chapter, /<div><p><strong>npm<\/strong><\/p><p>npm i<\/p><\/div>\n<div><p><strong>yarn<\/strong><\/p><p>yarn add<\/p><\/div>/);
    assert.match(chapter, /<strong>Own<\/strong>/);
  });
  it("shows a title given as JSX (`title={<>Uses <code>fetch</code></>}`) as its text", () => {
    const md = '# T\n\n<Callout title={<>Uses <code>fetch</code> {x}</>} icon={<Icon />}>Body.</Callout>\n\n<Card title={\n  <b>Multi\n  line</b>\n}>Two.</Card>\n';
    const chapter = renderChapter({ file: '/a/x.mdx', name: 'x.mdx', slug: 'x', body: md, meta: { authors: [] } }, renderSettings()).body;
    assert.match(chapter, /<div><p><strong>Uses fetch<\/strong><\/p><p>Body\.<\/p><\/div>\n<div><p><strong>Multi line<\/strong><\/p><p>Two\.<\/p><\/div>/);
  });
  it('leaves out an import whose names are over lines, as Prettier writes a long one', () => {
    assert.equal(html('import {\n  Tabs,\n  TabItem,\n} from "@theme/Tabs";\nimport Def, { a,\n  b } from \'x\';\n\nText.\n'), '<p>Text.</p>\n');
  });
  it("reads a tag whose props are expressions, or spread over lines, as a tag: Docusaurus's tabs", () => {
    const out = html("<Tabs\n  groupId=\"os\"\n  values={[\n    {label: 'Windows', value: 'win'},\n  ]}>\n<TabItem value=\"win\">Use **Ctrl**.</TabItem>\n</Tabs>\n");
    assert.doesNotMatch(out, /&lt;|\{/);
    assert.match(out, /values="\s+">/);
    assert.match(out, /<quire-component value="win" label="Windows"><p>Use <strong>Ctrl<\/strong>\.<\/p><\/quire-component>/);
    assert.equal(html('<Btn onClick={() => f(1)} {...rest}>Click</Btn>\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<quire-component onClick="          "          ><p>Click</p></quire-component>\n');
    assert.match(html('Inline <span style={{color: "red"}}>red</span> end.\n'), /^<p>Inline <!--quire-pos:\d+:\d+--><span style="\s+">red<!--quire-pos:\d+:\d+--><\/span> end\.<\/p>\n$/);
  });
  it("names each tab by its own <Tabs>'s labels, quotes inside quotes too", () => {
    const out = html("<Tabs values={[{label: 'JS', value: 'js'}, {label: \"Don't\", value: 'py'}]}>\n<TabItem value=\"js\">A.</TabItem>\n<TabItem value=\"py\">B.</TabItem>\n</Tabs>\n\n<Tabs values={[{label: 'Node.js', value: 'js'}]}>\n<TabItem value=\"js\">C.</TabItem>\n</Tabs>\n");
    assert.deepEqual([...out.matchAll(/label="([^"]*)"/g)].map((m) => m[1]), ['JS', "Don't", 'Node.js']);
  });
  it("names each tab by the label its <Tabs>'s values give it", () => {
    const out = html("<Tabs values={[{label: 'Apple', value: 'apple'}, {label: \"A & B\", value: \"ab\"}]}>\n<TabItem value=\"apple\">Red.</TabItem>\n<TabItem value=\"ab\" label=\"Own\">Both.</TabItem>\n</Tabs>\n");
    assert.match(out, /<quire-component value="apple" label="Apple"><p>Red\.<\/p>/);
    assert.match(out, /<quire-component value="ab" label="Own"><p>Both\.<\/p>/);
  });
  it("takes a string's or an asset's path for the value, and leaves code as it is", () => {
    assert.match(html("<img src={require('./a.png').default} alt=\"x\" />\n"), /<img src="\.\/a\.png" {20}alt="x" \/>/);
    assert.match(html("<img src={useBaseUrl('/img/b.png')} />\n"), /<img src="\/img\/b\.png" +\/>/);
    assert.match(html('<Badge text={"beta"} />\n'), /<quire-component text="beta"><\/quire-component>/);
    assert.equal(html('`<Tabs v={[1]}>` and\n\n```jsx\n<Tabs v={[1]}\n  x={2}>\n```\n'), '<p><code>&lt;Tabs v={[1]}&gt;</code> and</p>\n<pre><code class="language-jsx">&lt;Tabs v={[1]}\n  x={2}&gt;\n</code></pre>\n');
  });
  it('is the same length, and makes no line break where there was none', () => {
    const piece = fc.constantFrom('<Ab', '<a', ' x={', '{', '}', '`', '${', '"', "'", '>', '/>', '\n', '\n\n', ' ', 'text', '=>', '```\n', '</Ab>', '{...p}', '// c\n', '/*', '*/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const md = pieces.join('');
        const out = withJsxTags(md);
        assert.equal(out.length, md.length);
        for (let i = 0; i < out.length; i++) if (out[i] === '\n') assert.equal(md[i], '\n');
      }),
      { numRuns: 2000 },
    );
  });
  it('reads an element on a line of its own as a block, its text as Markdown', () => {
    assert.equal(html('<details>\n<summary>More **x**</summary>\nText *y*.\n</details>\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<details>\n<summary>More <strong>x</strong></summary>\n<p>Text <em>y</em>.</p>\n</details>\n');
    assert.equal(html('<td>Cell **b**</td>\n'), '<td>Cell <strong>b</strong></td>\n');
    // In Markdown, as CommonMark reads it: HTML.
    assert.equal(markdownToHtml('<td>Cell **b**</td>\n', { math: true }).html.replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<td>Cell **b**</td>\n');
  });
  it('keeps the blocks around a tag spread over lines: an export holding JSX, a tight list', () => {
    assert.equal(html('export const H = ({c}) => (\n  <span\n    style={{\n      bg: c,\n    }}>\n    {c}\n  </span>\n);\n\nText.\n'), '<p>Text.</p>\n');
    assert.equal(html('- item\n  <Foo\n    bar={1} />\n- two\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<ul>\n<li>item<quire-component     bar=" "></quire-component></li>\n<li>two</li>\n</ul>\n');
  });
  it('reads lines of tags at any indentation, without empty paragraphs between them', () => {
    assert.doesNotMatch(html('<table>\n  <thead>\n    <tr>\n      <th>A **b**</th>\n    </tr>\n  </thead>\n</table>\n'), /<p>|\*\*/);
  });
  it("leaves out a fragment's tags, and takes Docusaurus's {/* #id */} for a heading's id", () => {
    assert.equal(html('<>\n  Fragment **text**\n</>\n\nInline <>frag</> end.\n'), '<p>  Fragment <strong>text</strong></p>\n<p>Inline   frag    end.</p>\n');
    assert.equal(html('### Heading Ids {/* #my-id */}\n\n## Other {/* a note */}\n'), '<h3 id="my-id">Heading Ids</h3>\n<h2>Other</h2>\n');
  });
  it('reads a fenced block indented four spaces or more as a fence, its lines less the fence\'s indentation', () => {
    assert.equal(html('<TabItem>\n    ```js\n    const x = 1;\n      more();\n    ```\n</TabItem>\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<quire-component>\n<pre><code class="language-js">const x = 1;\n  more();\n</code></pre>\n</quire-component>\n');
    assert.equal(html('    ```\n    left open\n'), '<p>    ```\n    left open</p>\n');
  });
  it("makes a code block of a template alone as a block, in its <CodeBlock>'s language", () => {
    assert.match(html('<CodeBlock language="jsx" title="x.js">\n  {`function f() {\n  return <b/>;\n}`}\n</CodeBlock>\n'), /<pre><code class="language-jsx">function f\(\) \{\n {2}return &lt;b\/&gt;;\n\}\n<\/code><\/pre>/);
  });
  it("shows an expression that is only a string as its text", () => {
    assert.equal(html("A{' '}\nb {'<C />'} and {`t`} but {x}.\n"), '<p>A \nb &lt;C /&gt; and t but {x}.</p>\n');
  });
  linearTime(
    [
      ['30,000 tags left open in a line', '<Ab c={'.repeat(30_000)],
      ['40,000 tags with expressions in a line', 'x <Ab c={1}> '.repeat(40_000)],
      ['40,000 tags over two lines', 'x <Ab\n c={1}> '.repeat(40_000)],
      ['backtick runs of every length, none closed', `${Array.from({ length: 1_000 }, (_, i) => '`'.repeat(1_000 - i)).join(' ')}<a b={1}>`],
      ['templates nested 30,000 deep', `<Foo a={\`${'${`'.repeat(30_000)}}>`],
      ['100,000 braces', '{'.repeat(100_000)],
      ['30,000 links before a brace', `${'[a](b) '.repeat(30_000)}{`],
      ['40,000 indented fences left open', '    ~~~ x\n\n'.repeat(40_000)],
      ['50,000 templates left open', '{`x\n\n'.repeat(50_000)],
      ['20,000 tags with a comment left open in a value', '<a b={/*}>\n'.repeat(20_000)],
      ['20,000 tags with a line comment in a value, in a line', '<a b={// x '.repeat(20_000)],
    ],
    html,
  );
});

describe("pandoc's table captions", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html.replace(/<!--quire-pos:\d+:\d+-->/g, '');
  it('are the caption of the table they are beside, after it or before it, a pipe table or a grid table', () => {
    assert.match(html('| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: A *caption*\n'), /^<table>\n<caption>A <em>caption<\/em><\/caption>\n<thead>/);
    assert.match(html(': Before the table\n\n| a |\n|---|\n| 1 |\n'), /^<table>\n<caption>Before the table<\/caption>\n/);
    assert.match(html('+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n\nTable: Grid caption\n'), /^<table>\n<caption>Grid caption<\/caption>\n/);
  });
  it("leave out their attributes, which are the table's (Quarto's `{#tbl-summary}`), unless beside no table", () => {
    assert.match(html('| a |\n|---|\n| 1 |\n\n: Summary of species {#tbl-summary}\n'), /^<table>\n<caption>Summary of species<\/caption>\n/);
    assert.match(html('# H\n\nTable: Lonely {#x}\n'), /<p>Table: Lonely \{#x\}<\/p>/);
  });
  it('end where another block starts, as a paragraph does: a heading, a quote, an item, a fence', () => {
    const out = html('| a |\n|---|\n| 1 |\n\nTable: cap\n## h\n> q\n- i\n```\ncode\n\nmore\n```\n\nafter\n');
    assert.match(out, /<caption>cap<\/caption>/);
    assert.match(out, /<\/table>\n<h2>h<\/h2>\n<blockquote>\n<p>q<\/p>\n<\/blockquote>\n<ul>\n<li>i<\/li>\n<\/ul>\n<pre><code>code\n\nmore\n<\/code><\/pre>\n<p>after<\/p>\n$/);
    assert.match(html('| a |\n|---|\n| 1 |\n\nTable: two\nlines\n'), /<caption>two\nlines<\/caption>/);
  });
  it('are paragraphs beside no table, and a definition is a definition', () => {
    assert.equal(html('| a |\n|---|\n| 1 |\n\nText.\n\nTable: far from it\n').split('</table>\n')[1], '<p>Text.</p>\n<p>Table: far from it</p>\n');
    assert.match(html('Term\n: definition\n\n| a |\n|---|\n| 1 |\n'), /^<dl>\n<dt>Term<\/dt>\n<dd>definition<\/dd>\n<\/dl>\n<table>\n<thead>/);
  });
  linearTime([['50,000 captions beside no table', `| a |\n|---|\n| 1 |\n\n${'Table: x\n\n'.repeat(50_000)}`], ['a caption of 50,000 lines', `| a |\n|---|\n| 1 |\n\nTable: ${'x\n'.repeat(50_000)}`]], html);
});

describe("pandoc's grid tables", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('become tables, with a header when a = line separates it, else a body alone', () => {
    assert.equal(html('+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n'), '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody></table>\n');
    assert.equal(html('  +----+\n  | *x* |\n  +----+\n'.replace('| *x* |', '| *x*|')), '<table>\n<tbody><tr>\n<td><em>x</em></td>\n</tr>\n</tbody></table>\n');
  });
  it('stay as written when a cell spans columns or a line leaves the columns', () => {
    for (const md of ['+---+---+\n| spans |\n+---+---+\n', '+---+---+\n| a | b |\n+---+--+\n', '+---+---+\n| a | b |\n']) assert.match(html(md), /^<p>\+/, md);
  });
  it("and pandoc's simple tables become tables, aligned by the header's place over its dashes", () => {
    const out = html('  Right  Left     Center   Default\n-------  ------ ---------- -------\n     12  12        12      *12*\n    123  123      123      123\n\nAfter.\n');
    assert.match(out, /^<table>\n<thead>\n<tr>\n<th align="right">Right<\/th>\n<th align="left">Left<\/th>\n<th align="center">Center<\/th>\n<th>Default<\/th>\n<\/tr>/);
    assert.match(out, /<td align="right">123<\/td>\n<td align="left">123<\/td>\n<td align="center">123<\/td>\n<td>123<\/td>/);
    assert.match(out, /<td><em>12<\/em><\/td>[^]*<\/table>\n<p>After\.<\/p>\n$/);
    // A rule of one run of dashes, or dashes with no row after them, is no table.
    assert.equal(html('Title\n--- ---\n'), '<p>Title</p>\n<hr>\n');
  });
  it('are not looked for inside a paragraph, nor over another block', () => {
    // An indented `+-` line cut paragraphs before its indentation, and the place of the pieces was looked for forever.
    assert.equal(html('<img src="a.png">\n\n  +-- caption\n'), '<!--quire-pos:0:17--><img src="a.png"><p>  +-- caption</p>\n');
    assert.equal(html('Layout:\n\n  +-- src\n  +-- test\n'), '<p>Layout:</p>\n<p>  +-- src\n  +-- test</p>\n');
    assert.equal(html('```\n------  ------\nfoo     bar\n```\n'), '<pre><code>------  ------\nfoo     bar\n</code></pre>\n');
    assert.equal(html('## Results\n-------  -------\nfoo      bar\n'), '<h2>Results</h2>\n<hr>\n<p>foo      bar</p>\n');
    assert.match(html('<!--\n--- ---\nsecret draft\n-->\n'), /^<!--quire-pos:0:30--><!--\n--- ---\nsecret draft\n-->/);
    // No more cells than the table has characters.
    assert.doesNotMatch(html(`x\n${'--- '.repeat(800)}---\n${'y\n'.repeat(800)}`), /<table>/);
  });
  it('are read in one pass over a long run of border lines', () => {
    const start = performance.now();
    assert.match(html(`${'+--+\n'.repeat(20_000)}| a |\n`), /^<p>/);
    assert.ok(performance.now() - start < 5000, `${performance.now() - start} ms`);
  });
  it("leave pandoc's line blocks of one line, or of a table's rows, as they are", () => {
    assert.equal(html('| This is a note written with a bar\n'), '<p>| This is a note written with a bar</p>\n');
    assert.equal(html('| Name | Value\n| foo | 1\n'), '<p>| Name | Value\n| foo | 1</p>\n');
  });
  it('end what raw HTML for HTML writers leaves open, with a warning', () => {
    const out = markdownToHtml('```{=html}\n<div title="x>\n```\n\nPara one.\n', { math: true });
    assert.match(out.html, /<div title="x>">\n<p>Para one\.<\/p>/);
    assert.deepEqual(out.problems.map((p) => p.code), ['html-unclosed']);
  });
});

describe('HTML blocks left open in a quote or a list item', () => {
  const read = (md: string) => markdownToHtml(md, { math: true });
  it('are ended at their first blank line, with a warning, as at the top level', () => {
    const out = read('> <pre>\n> a\n>\n> text\n');
    assert.equal(out.html.replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<blockquote>\n<pre>\na</pre>\n<p>text</p>\n</blockquote>\n');
    assert.deepEqual(out.problems.map((p) => p.code), ['html-unclosed']);
    // Closed further on in the quote: read to its end tag, as CommonMark reads it.
    assert.equal(read('- <pre>\n  a\n\n  b</pre>\n').html.replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<ul>\n<li><pre>\na\n\nb</pre></li>\n</ul>\n');
  });
  // Each looked for its end tag to the end of the quote: 40,000 took 5.2 s, 120,000 well over 20 s.
  linearTime(
    [
      ['120,000 in a quote', '> <pre>\n>\n'.repeat(120_000)],
      ['60,000 in a list item', `- x\n${'  <script>\n\n'.repeat(60_000)}`],
    ],
    (md) => read(md).html,
  );
});

describe('long lines of small tokens', () => {
  // Each took minutes (quadratic in Marked's rules); linear, each is well under a second here. The bound is
  // one that only a quadratic reading reaches, on any machine.
  const lines: [string, string][] = [
    ['letters and underscores, no @ (the e-mail search)', '_x'.repeat(80_000)],
    ['the same with an @ in each', '_x@'.repeat(40_000)],
    ['openers that close nothing', '!_x'.repeat(40_000)],
    ['openers and one closer at the end', `${'a *b'.repeat(40_000)} c* d`],
    ['strong openers after punctuation', '**x!'.repeat(40_000)],
  ];
  for (const [what, line] of lines) {
    it(`read in linear time: ${what}`, () => {
      const started = performance.now();
      const { html } = markdownToHtml(line, { math: true });
      assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
      assert.ok(html.length >= line.length, 'all the text is kept');
    });
  }
  it('emphasis is found as before where it closes', () => {
    assert.equal(markdownToHtml(')_😀a!!**x _(**x_ z !_x *a* a *b c* _d_', { math: true }).html, '<p>)<em>😀a!!**x _(**x</em> z !_x <em>a</em> a <em>b c</em> <em>d</em></p>\n');
  });
});

/**
 * A test for each document that it is read in linear time, its text kept. Each took minutes, or would, read
 * in quadratic time; linear, each is well under a second here: the bound is one only a quadratic reading
 * reaches, on any machine.
 */
function linearTime(documents: readonly (readonly [string, string])[], html: (md: string) => string): void {
  for (const [what, md] of documents) {
    it(`are read in linear time: ${what}`, () => {
      const started = performance.now();
      const out = html(md);
      assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
      assert.ok(out.length >= md.length / 2, 'the text is kept');
    });
  }
}

describe('MDX comments and statements', () => {
  const html = (md: string) => markdownToHtml(md, { math: true, mdx: true }).html;
  it('leave out statements at the top level only: in a quote or an item they are text', () => {
    assert.equal(html('import X from "y";\nexport const a = 1;\n\n> import X from "y" reads\n\n- export const is a statement\n'), '<blockquote>\n<p>import X from &quot;y&quot; reads</p>\n</blockquote>\n<ul>\n<li>export const is a statement</li>\n</ul>\n');
  });
  it('are left out of blocks and of text, and one left open is text', () => {
    assert.equal(html('{/* a\ncomment */}\n\nText {/* here */} and {/* open\n'), '<p>Text  and {/* open</p>\n');
    assert.equal(html('*a {/* b */} c* {/* d */} `{/* code */}` `` ` {/* e */} ``\n'), '<p><em>a  c</em>  <code>{/* code */}</code> <code>` {/* e */}</code></p>\n');
  });
  linearTime(
    [
      ['100,000 left open in a line', '{/* '.repeat(100_000)],
      ['100,000 blocks left open', '{/* open\n\n'.repeat(100_000)],
      ['100,000 code spans left open before one', `${'`` a '.repeat(100_000)}{/* b */}`],
      ['300,000 comments in a paragraph without a backtick', `p ${'{/**/}a and more text'.repeat(300_000)}\n`],
    ],
    html,
  );
});

describe('files imported as text in MDX', () => {
  it("are the code of the <CodeBlock> that shows them, in its language, titled by its name; elsewhere `{Source}` as written", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'app.js'), 'export const x = 1;\n');
    fs.writeFileSync(path.join(dir, 'y.py'), 'print("hi")\n');
    const body = "import CodeBlock from '@theme/CodeBlock';\nimport Src from '!!raw-loader!./app.js';\nimport Py from './y.py?raw';\nimport Gone from '!!raw-loader!./gone.js';\n\n<CodeBlock language=\"jsx\" title=\"app.js\">{Src}</CodeBlock>\n\n<CodeBlock language=\"python\">\n{Py}\n</CodeBlock>\n\n{Src}\n\n<CodeBlock>{Gone}</CodeBlock>\n";
    const found = readIncludes(body, path.join(dir, 'page.mdx'), [dir]);
    assert.deepEqual(found.includes, { '{Src}': 'export const x = 1;\n', '{Py}': 'print("hi")\n' });
    assert.deepEqual(found.diagnostics.map((d) => `${d.line}:${d.code}`), ['4:include-unreadable']);
    const out = markdownToHtml(body, { math: true, mdx: true, includes: found.includes! }).html;
    assert.match(out, /<figure class="code"><figcaption><code>app\.js<\/code><\/figcaption><pre><code class="language-jsx">export const x = 1;\n<\/code><\/pre><\/figure>/);
    assert.match(out, /<pre><code class="language-python">print\(&quot;hi&quot;\)\n<\/code><\/pre>/);
    assert.match(out, /<p>\{Src\}<\/p>/);
  });
});

describe('MDX partials', () => {
  it('stand for the partial imported and used on a line of its own, not in code, and warn of one not found', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '_a.mdx'), '---\ntitle: A\n---\nThe *part*.\n');
    const body = "import A from './_a.mdx';\nimport B from './_b.mdx';\nimport C from './_a.mdx';\n\n<A />\n\n<B />\n\n```mdx\n<C />\n```\n";
    const found = readIncludes(body, path.join(dir, 'page.mdx'), [dir]);
    assert.deepEqual(found.includes, { '<A />': 'The *part*.\n' });
    assert.deepEqual(found.partials, [path.join(dir, '_a.mdx')]);
    assert.deepEqual(found.diagnostics.map((d) => `${d.line}:${d.code}: ${d.message}`), ['2:include-unreadable: `<B />` is left out: ./_b.mdx is not found']);
  });
  it("are read for what they hold, as the article is: a fancy list or a container only in the partial", () => {
    const out = markdownToHtml('# T\n\n<P />\n', { math: true, mdx: true, includes: { '<P />': 'a. one\nb. two\n\n::: tip\nTip.\n:::\n' } }).html;
    assert.match(out, /<ol type="a">\n<li>one<\/li>\n<li>two<\/li>\n<\/ol>\n<div class="markdown-alert markdown-alert-tip tip">/);
  });
  it('are read in linear time: 20,000 imports and uses', () => {
    const dir = tempDir();
    const started = performance.now();
    const body = `${Array.from({ length: 20_000 }, (_, i) => `import A${i} from './_a${i}.mdx';`).join('\n')}\n\n${Array.from({ length: 20_000 }, (_, i) => `<A${i} />`).join('\n\n')}\n`;
    assert.equal(readIncludes(body, path.join(dir, 'page.mdx'), [dir]).diagnostics.length, 20_000);
    assert.ok(performance.now() - started < 20_000);
  });
});

describe("MkDocs's snippets", () => {
  /** An MkDocs project: `config` as its mkdocs.yml, the articles in `docs/`. */
  const project = (config: string) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'mkdocs.yml'), config);
    fs.mkdirSync(path.join(dir, 'docs', 'parts'), { recursive: true });
    return { dir, docs: path.join(dir, 'docs') };
  };
  it("are looked for in pymdownx.snippets's base_path, in order, then in the articles folder", () => {
    const { dir, docs } = project('markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ["docs/parts", .]\n');
    assert.deepEqual(mkdocsProject(docs), { file: path.join(dir, 'mkdocs.yml'), bases: [path.join(dir, 'docs', 'parts'), dir, docs] });
    const listed = project('markdown_extensions:\n  - pymdownx.snippets:\n      base_path:\n        - docs/parts\n      check_paths: true\n  - admonition\n');
    assert.deepEqual(mkdocsProject(listed.docs)?.bases, [path.join(listed.dir, 'docs', 'parts'), listed.dir, listed.docs], 'then the project and the articles folder');
    const commented = project('markdown_extensions:\n  - pymdownx.snippets:\n      base_path: inc  # shared parts\n');
    assert.deepEqual(mkdocsProject(commented.docs)?.bases, [path.join(commented.dir, 'inc'), commented.dir, commented.docs]);
    const relative = project('markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [!relative $docs_dir, "inc"] # both\n');
    assert.deepEqual(mkdocsProject(relative.docs)?.bases, [relative.docs, path.join(relative.dir, 'inc'), relative.dir]);
    assert.deepEqual(mkdocsProject(project('site_name: X\n').docs)?.bases.length, 2, 'the project folder by default');
    fs.writeFileSync(path.join(docs, 'parts', 'a.md'), 'from parts\n');
    fs.writeFileSync(path.join(dir, 'a.md'), 'from the project\n');
    fs.writeFileSync(path.join(dir, 'b.md'), 'b\n');
    const found = readIncludes('--8<-- "a.md"\n\n--8<-- "b.md"\n', path.join(docs, 'x.md'), includeRoots(docs), mkdocsProject(docs));
    assert.deepEqual(found.includes, { '--8<-- "a.md"': 'from parts', '--8<-- "b.md"': 'b' });
  });
  it("come with the inline syntax of pymdownx's extensions the configuration turns on", () => {
    const { docs } = project('markdown_extensions:\n  - pymdownx.caret\n  - "pymdownx.tilde":\n      subscript: true\n  # - pymdownx.mark\n  - pymdownx.marker\n  - pymdownx.keys\n');
    assert.deepEqual(mkdocsProject(docs)?.syntax, { caret: true, tilde: true, keys: true });
    assert.equal(mkdocsProject(project('site_name: X\n').docs)?.syntax, undefined);
    const html = (md: string, mkdocs?: MkDocsSyntax) => markdownToHtml(md, { math: true, ...(mkdocs && { mkdocs }) }).html;
    const md = 'H~2~O, ~~gone~~, x^2^, 2^10\\ k^, ^^new^^, ==marked==, a^b and a ~b c~.\n';
    assert.equal(html(md, { caret: true, tilde: true, mark: true }), '<p>H<sub>2</sub>O, <del>gone</del>, x<sup>2</sup>, 2<sup>10 k</sup>, <ins>new</ins>, <mark>marked</mark>, a^b and a <del>b c</del>.</p>\n');
    assert.equal(html(md), '<p>H<del>2</del>O, <del>gone</del>, x^2^, 2^10\\ k^, ^^new^^, ==marked==, a^b and a <del>b c</del>.</p>\n', 'GitHub\'s reading elsewhere');
    const keys = 'Press ++ctrl+alt+del++, ++cmd+shift+p++, ++f5++ or ++ctrl+"My Key"++; C++ and ++i stay.\n';
    assert.equal(html(keys, { keys: true }), '<p>Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>, <kbd>Cmd</kbd>+<kbd>Shift</kbd>+<kbd>P</kbd>, <kbd>F5</kbd> or <kbd>Ctrl</kbd>+<kbd>My Key</kbd>; C++ and ++i stay.</p>\n');
    assert.equal(html(keys), '<p>Press ++ctrl+alt+del++, ++cmd+shift+p++, ++f5++ or ++ctrl+&quot;My Key&quot;++; C++ and ++i stay.</p>\n');
  });
  linearTime(
    [
      ['100,000 carets never closed', 'a^b '.repeat(100_000)],
      ['100,000 tildes never closed', 'a~b '.repeat(100_000)],
      ['50,000 double carets never closed', '^^a '.repeat(50_000)],
      ['50,000 key runs never closed', '++ctrl+a '.repeat(50_000)],
    ],
    (md) => markdownToHtml(md, { math: true, mkdocs: { caret: true, tilde: true, mark: true, keys: true } }).html,
  );
  it('read mkdocs.yml as a regular file only: a FIFO of that name is not waited on', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'mkdocs.yml')]);
    assert.deepEqual(mkdocsProject(dir), { file: path.join(dir, 'mkdocs.yml'), bases: [dir] });
  });
  it('take line ranges, several with commas, and the block form', () => {
    const { dir, docs } = project('site_name: X\n');
    fs.writeFileSync(path.join(dir, 'n.txt'), '1\n2\n3\n4\n5\n6\n');
    fs.writeFileSync(path.join(dir, 'a.md'), 'A\n');
    const found = readIncludes('--8<-- "n.txt:1:2,5:6"\n\n--8<--\na.md\n;skipped.md\n--8<--\n', path.join(docs, 'x.md'), includeRoots(docs), mkdocsProject(docs));
    assert.deepEqual(found.includes, { '--8<-- "n.txt:1:2,5:6"': '1\n2\n5\n6', '--8<-- "a.md"': 'A' });
    assert.deepEqual(found.diagnostics, []);
  });
  it('are put in wherever their lines are: one after another, in a paragraph, in a list item, as a block', () => {
    const includes = { '--8<-- "a.md"': 'Part *A*', '--8<-- "b.md"': 'Part B\n;--8<-- "c.md"' };
    const html = (md: string) => markdownToHtml(md, { math: true, mkdocs: {}, includes }).html.replace(/<!--quire-pos:\d+:\d+-->/g, '');
    // The part's escaped snippet is shown as written, less its `;`, not put in.
    assert.equal(html('--8<-- "a.md"\n--8<-- "b.md"\n'), '<div>\n<p>Part <em>A</em>\nPart B\n--8&lt;-- &quot;c.md&quot;</p>\n</div>\n');
    assert.equal(markdownToHtml('--8<-- "b.md"\n', { math: true, mkdocs: {}, includes: { ...includes, '--8<-- "c.md"': 'C' } }).html.replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<div>\n<p>Part B\n--8&lt;-- &quot;c.md&quot;</p>\n</div>\n');
    assert.equal(html('Intro\n--8<-- "a.md"\n'), '<div>\n<p>Intro\nPart <em>A</em></p>\n</div>\n');
    assert.equal(html('1. Step\n\n    --8<-- "a.md"\n'), '<ol>\n<li><p>Step</p>\n<div>\nPart <em>A</em></div>\n</li>\n</ol>\n');
    assert.equal(html('--8<--\na.md\n--8<--\n'), '<div>\n<p>Part <em>A</em></p>\n</div>\n');
    assert.equal(html('```\n--8<-- "b.md"\n;--8<-- "a.md"\n```\n'), '<pre><code>Part B\n--8&lt;-- &quot;c.md&quot;\n--8&lt;-- &quot;a.md&quot;\n</code></pre>\n');
    // A snippet's line after an item's text is that text's (Marked joins the two): not lost.
    assert.equal(html('- item two\n  --8<-- "a.md"\n'), '<ul>\n<li>item two\n--8&lt;-- &quot;a.md&quot;</li>\n</ul>\n');
    // Outside an MkDocs project: text, with its `;`.
    assert.equal(markdownToHtml(';--8<-- "a.md"\n', { math: true }).html, '<p>;--8&lt;-- &quot;a.md&quot;</p>\n');
  });
  it('are read only in an MkDocs project', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.md'), 'x\n');
    assert.deepEqual(readIncludes('--8<-- "a.md"\n', path.join(dir, 'x.md'), [dir], mkdocsProject(dir)), { files: [], diagnostics: [] });
  });
  it('stop where a file includes itself, with a warning, and are read in linear time', () => {
    const { docs } = project('site_name: X\n');
    fs.writeFileSync(path.join(docs, 'loop.md'), 'again:\n--8<-- "docs/loop.md"\n');
    const looped = readIncludes('--8<-- "docs/loop.md"\n', path.join(docs, 'x.md'), includeRoots(docs), mkdocsProject(docs));
    assert.equal(looped.includes!['--8<-- "docs/loop.md"'], 'again:\n--8<-- "docs/loop.md"');
    assert.deepEqual(looped.diagnostics.map((d) => d.message), ['`--8<-- "docs/loop.md"` in `loop.md` is shown as written: docs/loop.md is being put in already: a file does not include itself']);
    // 8,000 lines that each include their own file (pymdownx skips a file being put in): 25 s and 2 GB.
    fs.writeFileSync(path.join(docs, 'self.md'), '--8<-- "docs/self.md"\n'.repeat(8_000));
    const self = performance.now();
    readIncludes('--8<-- "docs/self.md"\n', path.join(docs, 'x.md'), includeRoots(docs), mkdocsProject(docs));
    assert.ok(performance.now() - self < 5_000);
    // Two files that include each other many times: stopped at the article's budget of text.
    fs.writeFileSync(path.join(docs, 'p.md'), `${'x'.repeat(1000)}\n${'--8<-- "docs/q.md"\n'.repeat(50)}`);
    fs.writeFileSync(path.join(docs, 'q.md'), `${'y'.repeat(1000)}\n${'--8<-- "docs/p.md"\n'.repeat(50)}`);
    const pq = readIncludes('--8<-- "docs/p.md"\n', path.join(docs, 'x.md'), includeRoots(docs), mkdocsProject(docs));
    assert.ok(pq.includes!['--8<-- "docs/p.md"']!.length < 8 * 1024 * 1024);
    const started = performance.now();
    const many = readIncludes(`${'--8<-- "missing.md" \n'.repeat(50_000)}${'x --8<-'.repeat(100_000)}\n`, path.join(docs, 'x.md'), includeRoots(docs), mkdocsProject(docs));
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    assert.equal(many.diagnostics.length, 1, 'each directive is warned of once');
  });
});

describe('VitePress snippets', () => {
  it("are not git's conflict markers", () => {
    const dir = tempDir();
    const found = readIncludes('<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n\n<<< @/x.js\n', path.join(dir, 'a.md'), [dir]);
    assert.deepEqual(found.diagnostics.map((d) => `${d.line}:${d.code}`), ['7:include-unreadable']);
  });
  it('find Markdown includes in a long line in linear time, not those in code spans', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.md'), 'x\n');
    const started = performance.now();
    const found = readIncludes(`${'<!--@include: ./a.md--> `<!--@include: ./b.md-->` '.repeat(50_000)}\n`, path.join(dir, 'one.md'), [dir]);
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    assert.deepEqual(Object.keys(found.includes ?? {}), ['<!--@include: ./a.md-->']);
    assert.deepEqual(found.diagnostics, []);
  });
  it('read and warn of each directive once, and look for an include\'s end within its line', () => {
    const dir = tempDir();
    const started = performance.now();
    const missing = readIncludes(`${'<!--@include: ./b.md--> '.repeat(100_000)}\n${'{{#include b.rs}}\n'.repeat(100_000)}${'<!--@include: x '.repeat(100_000)}\n`, path.join(dir, 'one.md'), [dir]);
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    assert.deepEqual(missing.diagnostics.map((d) => d.line).sort(), [1, 2]);
  });
});

describe('VitePress Markdown includes', () => {
  const directive = '<!--@include: ./a.md-->';
  // Less the marks of where the HTML blocks were written.
  const html = (md: string) => markdownToHtml(md, { math: true, includes: { [directive]: 'A *b*\n' } }).html.replace(/<!--quire-pos:[\d:]*-->/g, '');
  it('are put in place on a line of their own, in an HTML block, in a line and in HTML, and one not read shows', () => {
    assert.equal(html(`<div>\n${directive}\n</div>\n`), '<div>\n<div>\n<p>A <em>b</em></p>\n</div>\n</div>\n');
    assert.equal(html(`x ${directive} y\n`), '<p>x A <em>b</em> y</p>\n');
    assert.equal(html(`<td>${directive}</td>\n`), '<td>A *b*</td>\n');
    assert.equal(html('<!--@include: ./missing.md-->\n'), '<p><code>&lt;!--@include: ./missing.md--&gt;</code></p>\n');
    assert.equal(html('a `<!--@include: ./missing.md-->`\n'), '<p>a <code>&lt;!--@include: ./missing.md--&gt;</code></p>\n');
  });
  it('are looked for only in blocks that start with <: 120,000 link definitions are read in linear time', () => {
    const started = performance.now();
    const out = html(`${'[a]: /b\n'.repeat(120_000)}${directive}\n`);
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    assert.equal(out, '<div>\n<p>A <em>b</em></p>\n</div>\n');
  });
  it('put in a part that includes itself as deep as containers nest, then show it as written with a warning', () => {
    const self = '<!--@include: ./self.md-->';
    const out = markdownToHtml(`See ${self} *end*.\n`, { math: true, includes: { [self]: `x ${self}` } });
    assert.match(out.html, /^<p>See (?:x ){32}<code>&lt;!--@include: \.\/self\.md--&gt;<\/code> <em>end<\/em>\.<\/p>\n$/);
    assert.deepEqual(out.problems.map((p) => `${p.pos}:${p.code}`), ['4:include-unreadable']);
  });
  linearTime(
    [
      ['HTML blocks, each cut at an include', `<div>\n${directive}\n`.repeat(30_000)],
      // Only a block that starts with `<` is looked through for an include.
      ['40,000 headings after a paragraph in a document with an include', `${directive}\n\n${'some text here\n## heading\n'.repeat(40_000)}`],
    ],
    html,
  );
});

describe('fenced containers', () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('are read only where they close, and a fence in code is code', () => {
    assert.equal(html('::: tip\nleft open\n'), '<p>::: tip\nleft open</p>\n');
    assert.match(html('::: tip\n```\n:::\n```\n:::\n'), /^<div class="markdown-alert markdown-alert-tip tip"><p class="markdown-alert-title">Tip<\/p>\n<pre><code>:::\n<\/code><\/pre>\n<\/div>\n$/);
  });
  it("take a Quarto callout's title from the heading that starts it", () => {
    assert.equal(html('::: {.callout-tip collapse="true"}\n## Expand to learn more\n\nBody.\n:::\n'), '<div class="markdown-alert markdown-alert-tip callout-tip"><p class="markdown-alert-title">Expand to learn more</p>\n<p>Body.</p>\n</div>\n');
    assert.match(html('::: {.callout-tip title="Given"}\n## A section\n:::\n'), /<p class="markdown-alert-title">Given<\/p>\n<h2>A section<\/h2>/);
  });
  it("take remark-directive's attributes after the name or label, a title among them", () => {
    const titles = (md: string) => [...html(md).matchAll(/<div class="markdown-alert markdown-alert-(\w+) \w+"><p class="markdown-alert-title">([^<]*)<\/p>\n<p>([^<]*)<\/p>/g)].map((m) => m.slice(1).join(' / '));
    assert.deepEqual(titles(':::tip{icon="heart"}\nA tip.\n:::\n\n:::note{title="Heads up"}\nBody.\n:::\n\n:::caution[Watch]{icon="x"}\nB.\n:::\n'), ['tip / Tip / A tip.', 'note / Heads up / Body.', 'caution / Watch / B.']);
  });
  it('keep an indented code block that starts them apart from their title', () => {
    assert.equal(html('::: tip My title\n    let x = 1;\n:::\n'), '<div class="markdown-alert markdown-alert-tip tip"><p class="markdown-alert-title">My title</p>\n<pre><code>let x = 1;\n</code></pre>\n</div>\n');
    assert.match(markdownToHtml('!!! note "H"\n\n        code\n', { math: true, mkdocs: {} }).html, /<p class="markdown-alert-title">H<\/p>\n<pre><code>code\n<\/code><\/pre>/);
  });
  it('close the innermost open one at a bare fence, and interrupt a paragraph only where one closes', () => {
    assert.equal(html(':::: outer\na\n::: inner\nb\n:::\nc\n::::\n'), '<div class="outer">\n<p>a</p>\n<div class="inner">\n<p>b</p>\n</div>\n<p>c</p>\n</div>\n');
    assert.equal(html('text\n::: nope\nmore\n'), '<p>text\n::: nope\nmore</p>\n');
    assert.match(html(':::tip[Title] more words\nx\n:::\n'), /<p class="markdown-alert-title">Title more words<\/p>/);
  });
  it("end as the tool each is written for ends them: pandoc's at any bare fence, the others' at one as long as their opening fence", () => {
    // Nested with 5, 4 and 3 colons, in each syntax.
    const nested = (open: (colons: string, name: string) => string) => html(`${open(':::::', 'warning')}\nA\n${open('::::', 'tip')}\nB\n${open(':::', 'note')}\nC\n:::\nD\n::::\nE\n:::::\n`);
    const shape = (out: string) => out.replace(/<div[^>]*? class="[^"]*?(\w+)">(?:<p class="markdown-alert-title">[^<]*<\/p>)?\n?/g, '[$1 ').replace(/<\/div>\n/g, ']').replace(/<\/?p>|\n/g, '');
    assert.equal(shape(nested((c, n) => `${c} ${n}`)), '[warning A[tip B[note C]D]E]');
    assert.equal(shape(nested((c, n) => `${c}${n}[T]`)), '[warning A[tip B[note C]D]E]');
    assert.equal(shape(nested((c, n) => `${c}{${n}}`)), '[warning A[tip B[note C]D]E]');
    assert.equal(shape(nested((c, n) => `${c} {.${n}}`)), '[warning A[tip B[note C]D]E]');
    // A shorter bare fence inside VitePress's, Docusaurus's or MyST's box is text; it closes pandoc's div.
    assert.equal(shape(html(':::: tip\na\n:::\nb\n::::\n')), '[tip a:::b]');
    assert.equal(shape(html('::::note[T]\na\n:::\nb\n::::\n')), '[note a:::b]');
    assert.equal(shape(html('::::{note}\na\n:::\nb\n::::\n')), '[note a:::b]');
    assert.equal(shape(html(':::: {.note}\na\n:::\nb\n\n::::\n')), '[note a]b::::');
    // Between fences as long, the innermost is closed first; a longer fence closes the box it matches.
    assert.equal(shape(html('::: tip\n::: note\nx\n:::\ny\n:::\n')), '[tip [note x]y]');
    assert.equal(shape(html(':::: tip\n::: note\nx\n::::\ny\n')), '[tip ::: notex]y');
    assert.equal(shape(html('::: Warning ::::::\nw\n\n::: Danger\nd\n:::\n::::::::::::::::::\n')), '[warning w[danger d]]');
  });
  it("warn of those nested too deep, in each syntax, at the first one's line", () => {
    const lineOf = (md: string, options = {}) => markdownToHtml(md, { math: true, ...options }).problems.map((p) => `${md.slice(0, p.pos).split('\n').length} ${p.code}`);
    const n = 34;
    assert.deepEqual(lineOf(`${'{{< note >}}\n'.repeat(n)}x\n${'{{< /note >}}\n'.repeat(n)}`), ['33 container-not-read']);
    assert.deepEqual(lineOf(`${Array.from({ length: n }, (_, i) => `${'/'.repeat(3 + n - i)} note | B${i}\n`).join('')}x\n${Array.from({ length: n }, (_, i) => `${'/'.repeat(4 + i)}\n`).join('')}`, { mkdocs: {} }), ['33 container-not-read']);
    // (Python-Markdown's, whose blocks lose their indentation, at the container around it.)
    assert.deepEqual(lineOf(`${Array.from({ length: n }, (_, i) => `${'    '.repeat(i)}!!! note\n`).join('')}${'    '.repeat(n)}x\n`, { mkdocs: {} }), ['32 container-not-read']);
    assert.deepEqual(lineOf(`${'::: a\n'.repeat(32)}x\n${':::\n'.repeat(32)}`), []);
  });
  it('are still read after long nested lists, which Marked reads again at each level', () => {
    const lists = '- a\n  - b\n    - c\n      - word word word word word\n'.repeat(1000);
    assert.match(html(`${lists}\n::: tip Last\nend\n:::\n\n{{< note >}}\nhugo\n{{< /note >}}\n`), /<p class="markdown-alert-title">Last<\/p>\n<p>end<\/p>\n<\/div>\n<div class="markdown-alert markdown-alert-note note">/);
  });
  // Each is linear: a search for the closing fence, or for a fence ahead of each block, from every block
  // would take minutes here.
  const documents: [string, string][] = [
    ['fences left open, each its own paragraph', '::: a\n\n'.repeat(20_000)],
    ['fences left open in one paragraph', `text\n${'::: a\n'.repeat(40_000)}`],
    ['containers right after paragraphs, no blank line', 'para\n::: tip\nx\n:::\n'.repeat(20_000)],
    ['blocks with no blank line, and one container', `${'a\n# h\n'.repeat(40_000)}::: tip\nx\n:::\n`],
    ['containers nested deeper than the limit', `${'::: a\n'.repeat(10_000)}x\n${':::\n'.repeat(10_000)}`],
    ['containers nested with fences of growing and shrinking lengths', `${Array.from({ length: 10_000 }, (_, i) => `${':'.repeat(3 + (i % 50))} a\n`).join('')}x\n${`${':'.repeat(60)}\n`.repeat(10_000)}`],
    ['shorter bare fences inside a box', `:::: tip\n${'a\n:::\n'.repeat(20_000)}::::\n`],
  ];
  linearTime(documents, html);
});

describe("Hugo's shortcodes that hold code, and tags over several lines", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('make code blocks of code-toggle, code and a Docsy tab with a language', () => {
    assert.equal(html("{{< code-toggle file=hugo >}}\n# comment\nbaseURL = 'https://example.org/'\n{{< /code-toggle >}}\n"), '<figure class="code"><figcaption><code>hugo.toml</code></figcaption><pre><code class="language-toml"># comment\nbaseURL = &#39;https://example.org/&#39;\n</code></pre></figure>\n');
    assert.equal(html('{{< code file="x.html" lang="html" >}}\n<h2>{{ .Title }}</h2>\n{{< /code >}}\n'), '<figure class="code"><figcaption><code>x.html</code></figcaption><pre><code class="language-html">&lt;h2&gt;{{ .Title }}&lt;/h2&gt;\n</code></pre></figure>\n');
    assert.equal(html('{{< tab header="Shell" lang="bash" >}}\n# Install\n```\n{{< /tab >}}\n'), '<div class="markdown-alert tab"><p class="markdown-alert-title">Shell</p>\n<pre><code class="language-bash"># Install\n```\n</code></pre>\n</div>\n');
    assert.equal(html('{{< tab header="Notes" lang="md" text=true >}}\nSome *notes*.\n{{< /tab >}}\n'), '<div class="markdown-alert tab"><p class="markdown-alert-title">Notes</p>\n<p>Some <em>notes</em>.</p>\n</div>\n');
  });
  it('read a tag whose parameters go over lines, but not past a blank line', () => {
    assert.match(html('{{< figure\n  src="e.jpg"\n  caption="An elephant"\n>}}\n'), /<figure><img src="e\.jpg" alt="An elephant"\/><figcaption>An elephant<\/figcaption><\/figure>/);
    assert.equal(html('{{< figure\n\n  src="e.jpg" >}}\n'), '<p>{{&lt; figure</p>\n<p>  src=&quot;e.jpg&quot; &gt;}}</p>\n');
  });
});

describe("kramdown's extensions", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html.replace(/<!--quire-pos:\d+:\d+-->/g, '');
  it('leave out comments and options, write nomarkdown as HTML, and leave one left open as written', () => {
    assert.equal(html('{::options parse_block_html="true" /}\n\nA.\n\n{::comment}\nHidden.\n{:/comment}\n\n{::nomarkdown}\n<p class="x">Raw *html*</p>\n{:/}\n\nB.\n'), '<p>A.</p>\n<p class="x">Raw *html*</p>\n<p>B.</p>\n');
    assert.equal(html('{::comment}\nleft open\n'), '<p>{::comment}\nleft open</p>\n');
  });
  linearTime([['40,000 comments left open', '{::comment}\ntext\n\n'.repeat(40_000)]], html);
});

describe("abbreviations' definitions (*[HTML]: …)", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('are left out, and each use of the abbreviation, a whole word outside code, is an <abbr>', () => {
    assert.equal(html('The HTML spec, **W3C**; not HTMLX or `HTML`.\n\n*[HTML]: Hyper Text Markup Language\n*[W3C]: World Wide Web Consortium\n'), '<p>The <abbr title="Hyper Text Markup Language">HTML</abbr> spec, <strong><abbr title="World Wide Web Consortium">W3C</abbr></strong>; not HTMLX or <code>HTML</code>.</p>\n');
    assert.equal(html('*[R&D]: Research & development\n\nOur R&D team.\n'), '<p>Our <abbr title="Research &amp; development">R&amp;D</abbr> team.</p>\n');
  });
  it('are not emphasis that starts with a bracket, and never split an entity', () => {
    assert.equal(html('*[Update]: the API changed* today\n'), '<p><em>[Update]: the API changed</em> today</p>\n');
    assert.equal(html('*[amp]: amplifier\n\nTom & Jerry use an amp.\n'), '<p>Tom &amp; Jerry use an <abbr title="amplifier">amp</abbr>.</p>\n');
  });
  it('past a thousand, stay as written', () => {
    const defs = Array.from({ length: 1_001 }, (_, i) => `*[A${i}]: x`).join('\n');
    assert.match(html(`A0 A1000\n\n${defs}\n`), /^<p><abbr title="x">A0<\/abbr> A1000<\/p>\n<p>\*\[A1000\]: x<\/p>\n$/);
  });
  linearTime([['1,000 definitions and 20,000 words', `${'word A1 '.repeat(20_000)}\n\n${Array.from({ length: 1_000 }, (_, i) => `*[A${i}]: x`).join('\n')}\n`]], html);
});

describe("Obsidian's links and highlights", () => {
  const html = (md: string, vault: Record<string, string> | null = {}) => markdownToHtml(md, { math: true, ...(vault && { vault }) }).html.replace(/ data-quire-pos="\d+"/g, '');
  it('are read only in an article of a vault: elsewhere double brackets and == stay as written', () => {
    assert.equal(html("An object's [[Prototype]], a paper [[1]], Haskell's (==) and ==x==.\n\n[1]: https://example.com/\n", null), '<p>An object&#39;s [[Prototype]], a paper [<a href="https://example.com/">1</a>], Haskell&#39;s (==) and ==x==.</p>\n');
  });
  it("lead to the file the vault has by that name, and to the note for a block's id", () => {
    assert.equal(html('[[My note]] ![[d.png]] [[My note#^b1|a block]]\n', { 'My note': 'notes/My note.md', 'd.png': 'attachments/d.png' }), '<p><a href="notes/My%20note.md">My note</a> <img src="attachments/d.png" alt="d"> <a href="notes/My%20note.md">a block</a></p>\n');
  });
  it("leave out what the vault's reading view hides: comments and blocks' ids, not in code", () => {
    const md = 'A %%hidden comment%% here.\n\n%%\nprivate block\n%%\n\nA paragraph. ^para1\n\n- item ^li-2\n- next\n\nMid ^kept\nline\n\nCode `%%kept%%`.\n\n```\n%% in code %%\nline ^id\n```\n\n    printf("%%d %%s")\n\nUnclosed %% stays.\n';
    assert.equal(
      html(md),
      '<p>A                    here.</p>\n<p>A paragraph.       </p>\n<ul>\n<li>item      </li>\n<li>next</li>\n</ul>\n<p>Mid ^kept\nline</p>\n<p>Code <code>%%kept%%</code>.</p>\n<pre><code>%% in code %%\nline ^id\n</code></pre>\n<pre><code>printf(&quot;%%d %%s&quot;)\n</code></pre>\n<p>Unclosed %% stays.</p>\n',
    );
    assert.equal(html('A %%c%% b ^x\n', null), '<p>A %%c%% b ^x</p>\n', 'outside a vault, as written');
    // A comment at the end of a paragraph's line, or before its words, leaves no line break: the paragraph flows on.
    for (const md of ['First line %%a comment%%\nsecond line.\n', 'First line\n%%c%% more\nlast.\n', '- item %%c%%\n  goes on\n', '> quoted %%c%%\n> goes on\n']) assert.doesNotMatch(html(md), /<br/, md);
    assert.equal(html('First line %%a comment%%\nsecond line.\n').replace(/\s+/g, ' '), '<p>First line second line.</p> ');
    assert.match(html('Own break  \nnext %%c%%\n\nNew.\n'), /^<p>Own break<br\/?>next/, "the author's own is kept");
    // Nor does a line that only a comment fills split the paragraph (or end the list or table) it stands in.
    const flat = (md: string) => html(md).replace(/\s+/g, ' ');
    assert.equal(flat('One\n%%a note%%\ntwo.\n'), '<p>One two.</p> ');
    assert.equal(flat('One %%\nsecret\n%%\ntwo.\n'), '<p>One two.</p> ');
    assert.equal(flat('- a\n%%c%%\n- b\n'), '<ul> <li>a </li> <li>b</li> </ul> ');
    assert.equal(flat('# H\n%%c%%\ntext\n'), '<h1>H</h1> <p>text</p> ');
    assert.equal(flat('Para\n\n%%\nprivate\n%%\n\nNext.\n'), '<p>Para</p> <p>Next.</p> ');
    // In a block quote the same: the line keeps its `>`, which made it the quote's blank line (two paragraphs).
    assert.equal(flat('> quoted line\n> %%c%%\n> more quoted\n'), '<blockquote> <p>quoted line more quoted</p> </blockquote> ');
    assert.equal(flat('> a\n> %%\n> secret\n> %%\n> b\n'), '<blockquote> <p>a b</p> </blockquote> ');
    assert.equal(flat('> - item\n>   %%c%%\n>   more\n'), '<blockquote> <ul> <li>item more</li> </ul> </blockquote> ');
    // A comment's other lines keep their quote's `>` (blank, they ended the quote), and words after a comment
    // at a quoted line's start are not left indented as code.
    assert.equal(flat('> a\n>\n> %%\n> secret\n> %%\n>\n> b\n'), '<blockquote> <p>a</p> <p>b</p> </blockquote> ');
    assert.equal(flat('> a\n>\n> %%c%% more\n'), '<blockquote> <p>a</p> <p>more </p> </blockquote> ');
    for (const md of ['> quoted line\n> %%c%%\n> more\n', '> a %%\n> x\n> %%\n']) assert.equal(withoutVaultMarks(md).length, md.length, 'offsets are kept');
    // (The author's hard break before such a line is kept: the line's tab after its two spaces undid it.)
    assert.match(html('Own break  \n%%c%%\nnext\n'), /^<p>Own break<br\/?>next<\/p>/);
    // In a heading the words close up: its id, and the links to it, are the heading's without the comment.
    const chapter = renderChapter({ file: '/v/a.md', name: 'a.md', slug: 'a', body: '# T\n\n## Setup %%todo: finish%% steps\n\nSee [x](#setup-steps).\n', meta: { authors: [] }, vault: {} }, renderSettings());
    assert.match(chapter.body, /<h2 id="setup-steps">Setup steps<\/h2>\n<p>See <a href="#setup-steps">x<\/a>/);
    // A line of many comments is read once.
    const started = performance.now();
    assert.match(html(`${'%%a%% '.repeat(100_000)}b\n`), /^<p>b +<\/p>\n$/, 'and it is not left indented as code');
    assert.ok(performance.now() - started < 20_000);
  });
  it("title an upper-case callout by the text after its name, as Obsidian does (a README's GitHub alert keeps it as its first line)", () => {
    assert.match(html('> [!NOTE] Upper case title\n> Body.\n'), /<p class="markdown-alert-title">Upper case title<\/p>\n<p>Body\.<\/p>/);
    assert.match(html('> [!NOTE] First line\n> Body.\n', null), /<p class="markdown-alert-title">Note<\/p>\n<p>\s?First line\nBody\.<\/p>/);
  });
  it('make links to notes and headings, images of embeds, and <mark> of ==text==', () => {
    assert.equal(html('[[My note]] [[My note|text]] [[My note#A part]] [[#Top]]\n'), '<p><a href="My%20note.md">My note</a> <a href="My%20note.md">text</a> <a href="My%20note.md#a-part">My note › A part</a> <a href="#top">Top</a></p>\n');
    assert.equal(html('![[a b.png]] ![[c.jpg|300x200]] ![[c.jpg|A caption]]\n'), '<p><img src="a%20b.png" alt="a b"> <img src="c.jpg" alt="c"> <img src="c.jpg" alt="A caption"></p>\n');
    assert.equal(html('==a **b**== but a==b==c, == c ==\n'), '<p><mark>a <strong>b</strong></mark> but a==b==c, == c ==</p>\n');
  });
  it("leave other tools' double brackets as written", () => {
    assert.equal(html('[[toc]] [[_TOC_]] [[1]](u) `[[x]]`\n'), '<p>[[toc]] [[<em>TOC</em>]] <a href="u">[1]</a> <code>[[x]]</code></p>\n');
  });
  linearTime(
    [
      ['60,000 double brackets left open', '[[a '.repeat(60_000)],
      ['40,000 embeds left open', '![[a|'.repeat(40_000)],
      ['60,000 highlights left open', '==a '.repeat(60_000)],
      ['40,000 emphases before a highlight', `${'*a* '.repeat(40_000)}==x==`],
    ],
    html,
  );
  linearTime([['50,000 quoted lines that a comment fills', '> a\n> %%c%%\n> b\n\n'.repeat(50_000)], ['50,000 quoted comments over lines', '> a %%\n> x\n> %%\n'.repeat(50_000)]], html);
});

describe("Docusaurus's magic comments in code", () => {
  const html = (md: string, mdx = true) => markdownToHtml(md, { math: true, mdx }).html;
  it("are taken out of an MDX article's code, in the comment syntax of the block's language, where alone on their line", () => {
    assert.equal(html('```js\nf() {\n  // highlight-next-line\n  return 1;\n  /* highlight-start */\n  a();\n  // highlight-end\n}\n```\n'), '<pre><code class="language-js">f() {\n  return 1;\n  a();\n}\n</code></pre>\n');
    assert.equal(html('```\n<!-- highlight-next-line -->\n# highlight-start\n{/* highlight-end */}\n-- highlight-next-line\nx\n```\n'), '<pre><code>x\n</code></pre>\n');
    assert.equal(html('```python\n# highlight-next-line\nx = 1\n```\n'), '<pre><code class="language-python">x = 1\n</code></pre>\n');
    assert.equal(html('```js\nf(); // highlight-next-line\n// see highlight-next-line\n```\n'), '<pre><code class="language-js">f(); // highlight-next-line\n// see highlight-next-line\n</code></pre>\n');
  });
  it("stay in a syntax not the language's, and in Markdown that is not MDX", () => {
    assert.equal(html('```md\n// highlight-next-line\n<!-- highlight-start -->\n```\n'), '<pre><code class="language-md">// highlight-next-line\n</code></pre>\n');
    assert.equal(html('```js\n// highlight-next-line\nx\n```\n', false), '<pre><code class="language-js">// highlight-next-line\nx\n</code></pre>\n');
  });
});

describe("pandoc's fancy lists", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('make lists of letters and numerals, #. and examples numbered through the document', () => {
    assert.equal(html('a. Alpha\nb. Beta\n'), '<ol type="a">\n<li>Alpha</li>\n<li>Beta</li>\n</ol>\n');
    assert.equal(html('(iv) Four\n(v) Five\n  more of five\n'), '<ol type="i" start="4">\n<li>Four</li>\n<li>Five\nmore of five</li>\n</ol>\n');
    assert.equal(html('A)  One\n\nB)  Two\n'), '<ol type="A">\n<li><p>One</p>\n</li>\n<li><p>Two</p>\n</li>\n</ol>\n');
    assert.equal(html('#. Hash\n#. Hash too\n'), '<ol>\n<li>Hash</li>\n<li>Hash too</li>\n</ol>\n');
    assert.equal(html('(@) First.\n(@) Second.\n\nText.\n\n(@) Third.\n'), '<ol>\n<li>First.</li>\n<li>Second.</li>\n</ol>\n<p>Text.</p>\n<ol start="3">\n<li>Third.</li>\n</ol>\n');
  });
  it("end at a line that starts another block, and leave a chat's (@name) lines as written", () => {
    assert.match(html('a. first\nb. second\n| col | val |\n|---|---|\n| x | 1 |\n'), /<\/ol>\n<table>/);
    assert.match(html('a) one\nb) two\n***\nRest.\n'), /<\/ol>\n<hr>\n<p>Rest\.<\/p>/);
    assert.match(html('a. alpha\nb. beta\n::: note\nInside.\n:::\n'), /<\/ol>\n<div class="markdown-alert/);
    assert.equal(html('(@alice) hey\n\n(@bob) yes\n'), '<p>(@alice) hey</p>\n<p>(@bob) yes</p>\n');
  });
  it('leave a single letter, initials and letters out of order as text', () => {
    assert.equal(html('a. Only one\n'), '<p>a. Only one</p>\n');
    assert.equal(html('A. Smith wrote\nB. Jones read\n'), '<p>A. Smith wrote\nB. Jones read</p>\n');
    assert.equal(html('a. one\nc. three\n'), '<p>a. one\nc. three</p>\n');
    assert.equal(html('i.e. this\n'), '<p>i.e. this</p>\n');
  });
  linearTime(
    [
      ['100,000 items', Array.from({ length: 100_000 }, (_, i) => `${i % 2 ? 'b' : 'a'}. x\n`).join('')],
      ['#. nested 20,000 deep in a line', `${'#. '.repeat(20_000)}x\n`],
      ['50,000 single letters', 'a. x\n\n'.repeat(50_000)],
    ],
    html,
  );
});

describe("mdBook's hidden lines in Rust code", () => {
  const md = '```rust\n# fn main() {\nlet s = r#"\n## a heading in a string\n"#;\n#[derive(Debug)]\n# }\n```\n';
  it('are shown without their `#` in a book, and as written elsewhere', () => {
    assert.equal(markdownToHtml(md, { math: true, mdbook: true }).html, '<pre><code class="language-rust">fn main() {\nlet s = r#&quot;\n# a heading in a string\n&quot;#;\n#[derive(Debug)]\n}\n</code></pre>\n');
    assert.equal(markdownToHtml(md, { math: true }).html, '<pre><code class="language-rust"># fn main() {\nlet s = r#&quot;\n## a heading in a string\n&quot;#;\n#[derive(Debug)]\n# }\n</code></pre>\n');
  });
});

describe("Shiki's notations in code", () => {
  const html = (md: string) => markdownToHtml(md, { math: true, vitepress: true }).html;
  it('leave out the comments that say how a line is shown, in any comment syntax, and keep those that say what it is', () => {
    const md = "```js\nconst a = 1; // [!code highlight]\n// [!code focus:2]\nconst b = 2; /* [!code word:b] */\nold(); // [!code --]\nnew(); // [!code ++]\n```\n\n```html\n<p>x</p> <!-- [!code hl] -->\n<p>y</p> <!-- [!!code hl] -->\n```\n\n```py\nx = 1  # [!code hl:3]\n```\n";
    assert.equal(html(md), '<pre><code class="language-js">const a = 1;\nconst b = 2;\nold(); // [!code --]\nnew(); // [!code ++]\n</code></pre>\n<pre><code class="language-html">&lt;p&gt;x&lt;/p&gt;\n&lt;p&gt;y&lt;/p&gt; &lt;!-- [!code hl] --&gt;\n</code></pre>\n<pre><code class="language-py">x = 1\n</code></pre>\n');
  });
  it('are left as written outside a VitePress site (a README that shows them)', () => {
    assert.equal(markdownToHtml('```js\nx // [!code hl]\n```\n', { math: true }).html, '<pre><code class="language-js">x // [!code hl]\n</code></pre>\n');
  });
  linearTime([['a line of 200,000 spaces before a notation, 20 times', `\`\`\`\n${`${' '.repeat(200_000)}x // [!code hl]\n`.repeat(20)}\`\`\`\n`]], html);
});

describe('VuePress and VitePress tabs marked by lines', () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  const tab = (title: string, inner: string) => `<div class="markdown-alert tab"><p class="markdown-alert-title">${title}</p>\n${inner}</div>\n`;
  it("are titled tabs, as MkDocs's are: `@tab` (vuepress-theme-hope) and `== ` (vitepress-plugin-tabs)", () => {
    assert.equal(html('::: tabs\n@tab Apple\nA *text*\n\n@tab:active Banana#b\nB text\n:::\n'), `<div class="tabs">\n${tab('Apple', '<p>A <em>text</em></p>\n')}${tab('Banana', '<p>B text</p>\n')}</div>\n`);
    assert.equal(html(':::tabs\n== tab a\na content\n== tab b\nb content\n:::\n'), `<div class="tabs">\n${tab('tab a', '<p>a content</p>\n')}${tab('tab b', '<p>b content</p>\n')}</div>\n`);
  });
  it('are not looked for in containers inside the tabs; a title keeps its `#`, but for an `@tab` id', () => {
    assert.equal(html('::: tabs\n== yarn\nyarn add\n\n::: tip\n== not a tab\nhello\n:::\n:::\n'), `<div class="tabs">\n${tab('yarn', '<p>yarn add</p>\n<div class="markdown-alert markdown-alert-tip tip"><p class="markdown-alert-title">Tip</p>\n<p>== not a tab\nhello</p>\n</div>\n')}</div>\n`);
    assert.equal(html('::: tabs\n== Option #2\nx\n@tab Step #1\ny\n@tab Z#id\nz\n:::\n'), `<div class="tabs">\n${tab('Option #2', '<p>x</p>\n')}${tab('Step #1', '<p>y</p>\n')}${tab('Z', '<p>z</p>\n')}</div>\n`);
  });
  it('are not looked for in fenced code, nor in other containers', () => {
    assert.equal(html('::: code-tabs#shell\n@tab pnpm\n```bash\npnpm add x\n@tab no\n```\n:::\n'), `<div class="code-tabs">\n${tab('pnpm', '<pre><code class="language-bash">pnpm add x\n@tab no\n</code></pre>\n')}</div>\n`);
    assert.equal(html('::: details Title\n@tab stays\n:::\n'), '<details><summary>Title</summary>\n<p>@tab stays</p>\n</details>\n');
  });
  linearTime([['50,000 tabs', `::: tabs\n${'@tab x\ntext\n'.repeat(50_000)}:::\n`]], html);
});

describe("pymdownx.blocks in an MkDocs project's articles", () => {
  it('are boxes of their kind, details shown open, tabs titled, the others their blocks; left open or outside MkDocs, as written', () => {
    const md = '/// admonition | Blocks title\n    type: warning\n\nContent.\n///\n\n/// details | Summary\n    open: True\n\nHidden **text**.\n///\n\n//// tab | Tab 1\nOuter\n\n/// note\nInner note.\n///\n////\n\n/// html | div\nPlain.\n///\n\n/// tip | Never closed\nOpen text.\n';
    assert.equal(
      markdownToHtml(md, { math: true, mkdocs: {} }).html,
      '<div class="markdown-alert markdown-alert-warning admonition"><p class="markdown-alert-title">Blocks title</p>\n<p>Content.</p>\n</div>\n<details><summary>Summary</summary>\n<p>Hidden <strong>text</strong>.</p>\n</details>\n<div class="markdown-alert tab"><p class="markdown-alert-title">Tab 1</p>\n<p>Outer</p>\n<div class="markdown-alert markdown-alert-note note"><p class="markdown-alert-title">Note</p>\n<p>Inner note.</p>\n</div>\n</div>\n<div class="html">\n<p>Plain.</p>\n</div>\n<p>/// tip | Never closed\nOpen text.</p>\n',
    );
    assert.equal(markdownToHtml('/// note\nx\n///\n', { math: true }).html, '<p>/// note\nx\n///</p>\n');
  });
});

describe("MkDocs's admonitions and tabs", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  const box = (style: string, classes: string, title: string, inner: string) => `<div class="markdown-alert${style ? ` markdown-alert-${style}` : ''} ${classes}"><p class="markdown-alert-title">${title}</p>\n${inner}</div>\n`;
  it('are titled boxes holding the blocks indented under their line, folded ones shown open', () => {
    assert.equal(html('!!! note "A title"\n\n    Body with **bold**.\n\n    ```\n    code\n    ```\n\nAfter.\n'), `${box('note', 'note', 'A title', '<p>Body with <strong>bold</strong>.</p>\n<pre><code>code\n</code></pre>\n')}<p>After.</p>\n`);
    assert.equal(html('??? tip\n    Folded.\n'), box('tip', 'tip', 'Tip', '<p>Folded.</p>\n'));
    assert.equal(html('???+ faq\n    Asked.\n'), box('tip', 'faq', 'Faq', '<p>Asked.</p>\n'));
    assert.equal(html('=== "Python"\n\n    Tab text.\n'), box('', 'tab', 'Python', '<p>Tab text.</p>\n'));
  });
  it('nest 32 deep, and deeper ones are read as indented code, their text kept', () => {
    const started = performance.now();
    const out = html(Array.from({ length: 400 }, (_, i) => `${'    '.repeat(i)}!!! note\n\n${'    '.repeat(i + 1)}Level ${i}.\n\n`).join(''));
    assert.ok(performance.now() - started < 20_000);
    assert.equal(out.match(/markdown-alert-title/g)?.length, 32);
    for (const i of [0, 31, 32, 399]) assert.ok(out.includes(`Level ${i}.`), `level ${i}`);
  });
  it('show no title for an empty one, and read Material\'s ===! and ===+ tabs', () => {
    assert.equal(html('!!! danger ""\n    No title.\n'), '<div class="markdown-alert markdown-alert-caution danger"><p>No title.</p>\n</div>\n');
    assert.equal(html('===! "Reset"\n\n    Tab.\n'), box('', 'tab', 'Reset', '<p>Tab.</p>\n'));
  });
  it('stay as written with nothing indented under them', () => {
    assert.equal(html('!!! note\nNot indented.\n'), '<p>!!! note\nNot indented.</p>\n');
    assert.equal(html('=== not a tab\n\n    code\n'), '<p>=== not a tab</p>\n<pre><code>code\n</code></pre>\n');
  });
  linearTime(
    [
      ['100,000 admonition lines', '!!! note\n'.repeat(100_000)],
      ['an admonition line before 2,000 blank lines, 100 times', `!!! a\n${'\n'.repeat(2_000)}${'words '.repeat(500)}\n`.repeat(100)],
    ],
    html,
  );
});

describe('unknown front matter keys', () => {
  it('say once that a list of authors holds something that is no name', () => {
    const r = splitFrontMatter('---\ntitle: T\nauthor: [null, ~, "", 5, Ann]\n---\n\nBody\n', 'a.md');
    assert.deepEqual(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`), ['3:9 front-matter-value: `author` must be a name or a list of names']);
  });
  it('are hinted at when they look like a typo of a known key, not when they are another short word', () => {
    const r = splitFrontMatter('---\ntitel: A\nname: skill\ntags: [x]\n---\n\nBody\n', 'a.md');
    assert.deepEqual(r.diagnostics.map((d) => `${d.line} ${d.message}`), ['2 unknown front matter key `titel` is ignored; did you mean `title`?']);
  });
});

describe('TOML front matter', () => {
  it("places a key's problem at the line that sets it, and reads 16,000 keys in linear time", () => {
    const started = performance.now();
    const keys = Array.from({ length: 16_000 }, (_, i) => `k${i} = "v"`).join('\n');
    const r = splitFrontMatter(`+++\n${keys}\n  'title' = ["not", "text"]\n+++\n\nBody\n`, 'a.md');
    assert.ok(performance.now() - started < 5_000, 'a search of the lines for each key took 11 s here');
    assert.deepEqual(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), ['16002:3 front-matter-value']);
  });
});

describe("pandoc's title block", () => {
  const read = (text: string) => {
    const r = splitFrontMatter(text, 'a.md');
    return { meta: r.meta, ok: r.ok, body: r.body };
  };
  it('gives the title, the authors and the date, and the body keeps its line numbers', () => {
    assert.deepEqual(read('% Rust Release Notes\n% Jane Doe; John Roe\n% June 15, 2006\n\n# Intro\n'), { meta: { title: 'Rust Release Notes', authors: ['Jane Doe', 'John Roe'], date: 'June 15, 2006' }, ok: true, body: '\n\n\n\n# Intro\n' });
  });
  it('reads fields continued on indented lines, empty fields, and only the first three', () => {
    assert.deepEqual(read('% A title\n  on two lines\n% Author One\n  Author Two\n\nBody').meta, { title: 'A title on two lines', authors: ['Author One', 'Author Two'] });
    assert.deepEqual(read('%\n% Only An Author\n\nBody').meta, { authors: ['Only An Author'] });
    assert.deepEqual(read('% T\n% A\n% D\n% a fourth line is text\n'), { meta: { title: 'T', authors: ['A'], date: 'D' }, ok: true, body: '\n\n\n% a fourth line is text\n' });
  });
  it('reads 100,000 authors, there or in YAML, in linear time (12.6 s and 18.7 s when each was looked up in the list)', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `A${i}`);
    const started = performance.now();
    assert.equal(read(`% T\n% ${names.join('; ')}; A0\n\nBody`).meta.authors.length, 100_000);
    assert.equal(read(`---\nauthors:\n${names.map((n) => `  - ${n}`).join('\n')}\n  - A1\n---\nBody`).meta.authors.length, 100_000);
    assert.ok(performance.now() - started < 5_000);
  });
  it('is only a `%` at the very top followed by a space or the end of the line', () => {
    assert.deepEqual(read('%d items are left\n'), { meta: { authors: [] }, ok: true, body: '%d items are left\n' });
    assert.deepEqual(read('Text\n% not a title\n'), { meta: { authors: [] }, ok: true, body: 'Text\n% not a title\n' });
  });
});

describe('JSON front matter', () => {
  const read = (text: string) => {
    const r = splitFrontMatter(text, 'a.md');
    return { title: r.meta.title, ok: r.ok, problems: r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), body: r.body.trim() };
  };
  it('ends where its braces close, nested objects and one line too', () => {
    assert.deepEqual(read('{\n"title": "Nested",\n"params": {\n"a": 1\n}\n}\n\nBody\n'), { title: 'Nested', ok: true, problems: [], body: 'Body' });
    assert.deepEqual(read('{"title": "One line"}\nBody\n'), { title: 'One line', ok: true, problems: [], body: 'Body' });
    assert.deepEqual(read('{\n  "title": "Indented",\n  "p": {\n    "a": 1\n  }\n}\n\n```js\n}\n```\n'), { title: 'Indented', ok: true, problems: [], body: '```js\n}\n```' });
  });
  it('says where it is broken or left open, and a brace of Markdown is not front matter', () => {
    assert.deepEqual(read('{\n  "title": "Broken",\n  "date": 2024-01-02\n}\n').problems, ['3:15 front-matter-json']);
    assert.deepEqual(read('{\n "title": "never closed"\n\nBody\n').problems, ['1:1 front-matter-unclosed']);
    assert.deepEqual(read('{\nnot front matter\n}\n'), { title: undefined, ok: true, problems: [], body: '{\nnot front matter\n}' });
  });
  it('places a key where it is set, not where its name is a value', () => {
    assert.deepEqual(read('{\n"tags": ["order"],\n"order": "first"\n}\n').problems, ['3:1 front-matter-value']);
  });
});

describe('list items of many lines', () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  // Marked reads an item's text a line at a time: looking for a heading's underline from each line, and
  // joining the text read so far at each line, took 19 s for an item of 20,000 lines.
  linearTime(
    [
      ['an item of 100,000 lines', `- item\n${'  a line of text\n'.repeat(100_000)}`],
      // Marked joins the item's text at each lazy line too: after 1,000 of them, the list ends.
      ['an item of 200,000 lazy lines', `- item\n${'a lazy line\n'.repeat(200_000)}`],
      // Counted whatever comes between them.
      ['an item of 100,000 lazy lines, each after an indented one', `- item\n${'a lazy line\n  an indented line\n'.repeat(100_000)}`],
    ],
    html,
  );
  it('keep the text of an item past its thousandth lazy line', () => {
    const out = html(`- item\n${Array.from({ length: 1500 }, (_, i) => `lazy${i}`).join('\n')}\n`);
    for (let i = 0; i < 1500; i++) assert.ok(out.includes(`lazy${i}\n`) || out.includes(`lazy${i}<`), `lazy${i} is kept`);
    assert.match(out, /^<ul>\n<li>item\nlazy0\n/);
  });
  it('still make headings of underlined text, tasks, and links that point at their lines', () => {
    assert.equal(html('- a\n  b\n  ===\n'), '<ul>\n<li><h1>a\nb</h1>\n</li>\n</ul>\n');
    assert.equal(html('- [ ] task\n  more\n  lines\n'), '<ul>\n<li><input disabled="" type="checkbox"> task\nmore\nlines</li>\n</ul>\n');
    const md = '- a\n  b [x](https://e.com)\n  c [y](https://f.org)\n  d\n\n  e [z](https://g.org)\n';
    const at = [...html(md).matchAll(/data-quire-pos="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(at, ['[x]', '[y]', '[z]'].map((s) => md.indexOf(s)));
  });
});

describe('definition lists', () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('are terms, then definitions that start with a colon', () => {
    assert.equal(html('Term\n: Definition\n'), '<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>\n');
    assert.equal(html('A\nB\n: one\n: two\n\nC\n\n: loose\n'), '<dl>\n<dt>A</dt>\n<dt>B</dt>\n<dd>one</dd>\n<dd>two</dd>\n<dt>C</dt>\n<dd><p>loose</p>\n</dd>\n</dl>\n');
    assert.equal(html('T\n:   text\n\n        code\n\nAfter.\n'), '<dl>\n<dt>T</dt>\n<dd><p>text</p>\n<pre><code>code\n</code></pre>\n</dd>\n</dl>\n<p>After.</p>\n');
  });
  it('leave alone what only looks like one', () => {
    assert.equal(html('Para\n\n:smile: and\n:::\nx\n'), '<p>Para</p>\n<p>😄 and\n:::\nx</p>\n');
    assert.equal(html('# Heading\n: not a term\n'), '<h1>Heading</h1>\n<p>: not a term</p>\n');
    assert.equal(html('```\nT\n: in code\n```\n'), '<pre><code>T\n: in code\n</code></pre>\n');
    assert.match(html(`${'line\n'.repeat(9)}: text\n`), /^<p>line\n[^]*\n: text<\/p>\n$/);
  });
  it('give their links the offsets they have in the article', () => {
    const md = 'Intro.\n\nTerm [a](https://a.org)\n:   Def [b](https://b.org)\n    lazy [c](https://c.org)\n\n    More [d](https://d.org)\n';
    const at = [...html(md).matchAll(/data-quire-pos="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(at, ['[a]', '[b]', '[c]', '[d]'].map((s) => md.indexOf(s)));
  });
  linearTime(
    [
      ['one list of 40,000 groups', 'Term\n: definition\n\n'.repeat(40_000)],
      ['40,000 lists, each after a heading', 'Term\n: definition\n# h\n'.repeat(40_000)],
      ['terms that nothing defines', `${'a\nb\n\n'.repeat(40_000)}x\n: y\n`],
      ['a definition of 100,000 lazy lines', `T\n: d\n${'lazy line\n'.repeat(100_000)}`],
      ['100,000 definitions of one term', `T\n${': d\n'.repeat(100_000)}`],
    ],
    html,
  );
  it('nest 32 deep at most, their text kept', () => {
    const md = `T\n${Array.from({ length: 2000 }, (_, i) => `${'    '.repeat(Math.min(i, 40))}: word${i}`).join('\n')}\n`;
    const started = performance.now();
    const out = html(md);
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    assert.equal(out.match(/<dl>/g)?.length, 32);
    for (let i = 0; i < 2000; i++) assert.ok(out.includes(`word${i}`), `word${i} is kept`);
  });
});

describe("kramdown's markdown attribute", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('reads what the element holds as Markdown, with its tags and their positions kept', () => {
    assert.equal(html('<div class="n" markdown="1">\n# Title\n*text*\n</div>\n'), '<!--quire-pos:0:28--><div class="n">\n<h1>Title</h1>\n<p><em>text</em></p>\n<!--quire-pos:44:50--></div>\n');
    assert.equal(html("<p markdown='span'>a *b*</p>\n"), '<!--quire-pos:0:19--><p>a <em>b</em><!--quire-pos:24:28--></p>\n');
    // `1` on a paragraph or a heading: its text; on code, raw HTML, as kramdown keeps it.
    assert.equal(html('<p markdown="1">\n*text*\n</p>\n').replace(/<!--quire-pos:[\d:]*-->/g, ''), '<p><em>text</em></p>\n');
    assert.equal(html('<button markdown="1">*x*</button>\n').replace(/<!--quire-pos:[\d:]*-->/g, ''), '<button><em>x</em></button>\n');
    assert.equal(html('<pre markdown="1">*x*</pre>\n').replace(/<!--quire-pos:[\d:]*-->/g, ''), '<pre markdown="1">*x*</pre>\n');
    assert.equal(html('<div markdown="0">\n*x*\n</div>\n'), '<!--quire-pos:0:30--><div markdown="0">\n*x*\n</div>\n');
    assert.equal(html('<div markdown="1">\nnever closed *x*\n'), '<!--quire-pos:0:36--><div markdown="1">\nnever closed *x*\n');
  });
  it('is not closed by an end tag in code', () => {
    const out = html('<div markdown="1">\n```html\n</div>\n```\n\nText `</div>` here.\n</div>\n\nafter\n').replace(/<!--quire-pos:[\d:]*-->/g, '');
    assert.equal(out, '<div>\n<pre><code class="language-html">&lt;/div&gt;\n</code></pre>\n<p>Text <code>&lt;/div&gt;</code> here.</p>\n</div>\n<p>after</p>\n');
  });
  linearTime(
    [
      ['elements left open', '<div markdown="1">\n\n'.repeat(40_000)],
      ['elements left open in one block', '<div markdown="1">\n'.repeat(40_000)],
      ['elements nested deeper than the limit', `${'<div markdown="1">\n'.repeat(5_000)}x\n${'</div>\n'.repeat(5_000)}`],
      ['an element of 200,000 end tags in code spans', `<div markdown="1">\n${'x `</div>` '.repeat(200_000)}\n</div>\n`],
      ['an element of 100,000 backticks', `<div markdown="1">\n${'x `'.repeat(100_000)}\n</div>\n`],
    ],
    html,
  );
});

describe("Jekyll's Liquid destinations", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('are read as the site paths they stand for', () => {
    assert.match(html('[a]({% post_url 2019-01-02-x %}#s) [b]({{ site.baseurl }}/about/) ![c]({{ "/i.png" | relative_url }})\n'), /href="\/2019-01-02-x\.html#s">a<\/a> <a [^>]*href="\/about\/">b<\/a> <img [^>]*src="\/i\.png"/);
    assert.equal(html('[d]({{ page.x }}/y)\n'), '<p>[d]({{ page.x }}/y)</p>\n');
  });
  linearTime([['destinations left open', '[a]({{ site.baseurl }}'.repeat(40_000)], ['pieces of Liquid without end', `[a](${'{{ x '.repeat(40_000)}`]], html);
});

describe("pandoc's inline notes", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('give their links the offsets they have in the article', () => {
    const md = 'One.\n\nTwo.^[See [this](https://a.org) and [that](https://b.org).]\n';
    const at = [...html(md).matchAll(/data-quire-pos="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(at, ['[this]', '[that]'].map((s) => md.indexOf(s)));
  });
  linearTime(
    [
      ['notes left open', 'x ^[a '.repeat(80_000)],
      ['80,000 notes', 'x ^[a] '.repeat(80_000)],
    ],
    html,
  );
});

describe("pandoc's spans and attributes", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('make a bracketed span a span, and leave out the attributes of a link, an image or code', () => {
    assert.equal(html('[small caps]{.smallcaps} [texte]{lang=fr #t} ![f](f.png){width=50%} `x`{.py} *e*{.x} [a]{ b c }\n'), '<p><span class="smallcaps">small caps</span> <span id="t" lang="fr">texte</span> <img data-quire-pos="45" src="f.png" alt="f"> <code>x</code> <em>e</em>{.x} [a]{ b c }</p>\n');
  });
  linearTime(
    [
      ['brackets left open', `${'[a '.repeat(80_000)}]{.x}`],
      ['80,000 spans', '[a]{.x} '.repeat(80_000)],
    ],
    html,
  );
});

describe('footnote definitions', () => {
  it('may follow a paragraph line without a blank line, as on GitHub', () => {
    const { html, problems } = markdownToHtml('One[^1] and two[^2].\n\n[^1]: First note.\ncontinued.\n[^2]: Second note.\n', { math: true });
    assert.deepEqual(problems, []);
    assert.match(html, /<li id="footnote-quire-2">\n<p>Second note\./);
  });
  for (const [what, md] of [['definitions after paragraphs', 'para\n[^n]: def\n'.repeat(20_000)], ['blocks with no blank line, and a reference', `${'a\n# h\n'.repeat(40_000)}x[^1]\n`]] as const) {
    it(`are read in linear time: ${what}`, () => {
      const started = performance.now();
      markdownToHtml(md, { math: true });
      assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    });
  }
});

describe("GitBook's blocks", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html.replace(/ data-quire-pos="\d+"/g, '');
  it('are boxes of their kind, tabs titled by their names, code by its file, and embeds links', () => {
    const out = html('{% hint style="warning" %}\n**Good to know:** text.\n{% endhint %}\n\n{% tabs %}\n{% tab title="npm" %}\nnpm install x\n{% endtab %}\n{% tab title="yarn" %}\nyarn add x\n{% endtab %}\n{% endtabs %}\n\n{% code title="app.js" %}\n```js\nlet a = 1;\n```\n{% endcode %}\n\n{% embed url="https://github.com/x/y" %}\n\n{% embed url="https://youtu.be/v" %}\nA caption\n{% endembed %}\n\n{% content-ref url="b.md" %}\n[b](b.md)\n{% endcontent-ref %}\n');
    assert.deepEqual([...out.matchAll(/<p class="markdown-alert-title">([^<]*)<\/p>/g)].map((m) => m[1]), ['Warning', 'npm', 'yarn', 'app.js']);
    assert.match(out, /<div class="markdown-alert markdown-alert-warning hint"><p class="markdown-alert-title">Warning<\/p>\n<p><strong>Good to know:<\/strong> text\.<\/p>/);
    assert.match(out, /<a href="https:\/\/github\.com\/x\/y">https:\/\/github\.com\/x\/y<\/a>/);
    assert.match(out, /<a href="https:\/\/youtu\.be\/v">A caption<\/a>/);
    assert.match(out, /<div class="content-ref">\n<p><a href="b\.md">b<\/a><\/p>\n<\/div>/);
    assert.doesNotMatch(out, /\{%/);
  });
  it('left open, stay as written', () => {
    assert.equal(html('{% hint style="info" %}\nNever closed.\n'), '<p>{% hint style=&quot;info&quot; %}\nNever closed.</p>\n');
  });
  it("between Liquid's raw tags, as a page that shows how to write them has them, stay as written", () => {
    const out = html('{% raw %}\n{% hint style="info" %}\nYour text\n{% endhint %}\n{% endraw %}\n\n{% hint style="warning" %}\nReal\n{% endhint %}\n');
    assert.match(out, /^<p>\{% hint style=&quot;info&quot; %\}\nYour text\n\{% endhint %\}<\/p>\n<div class="markdown-alert markdown-alert-warning hint">/);
  });
});

describe("Jekyll's Liquid tags", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('make highlight a code block, leave out raw and comment tags, and keep the others as written', () => {
    assert.equal(
      html('{% highlight ruby linenos %}\ndef foo\nend\n{% endhighlight %}\n\n{% raw %}\n```\n{{ page.title }}\n```\n{% endraw %}\n\nInline {% raw %}{{ x }}{% endraw %}.\n\n{% comment %}\nhidden\n{% endcomment %}\n\n{% include note.html %} stays.\n'),
      '<pre><code class="language-ruby">def foo\nend\n</code></pre>\n<pre><code>{{ page.title }}\n</code></pre>\n<p>Inline {{ x }}.</p>\n<p>{% include note.html %} stays.</p>\n',
    );
  });
  it('leave out the end of a raw tag that its paragraph read as its last line', () => {
    assert.equal(html('{% raw %}\nUse {{ message }} here.\n{% endraw %}\n\nEnd, naming {% endraw %} alone.\n'), '<p>Use {{ message }} here.</p>\n<p>End, naming {% endraw %} alone.</p>\n');
    // A lone `{% endraw %}` named before the pair is text; the pair's own end line is taken out.
    assert.equal(html('Close it with {% endraw %} later.\n\n{% raw %}\nUse {{ message }}.\n{% endraw %}\n'), '<p>Close it with {% endraw %} later.</p>\n<p>Use {{ message }}.</p>\n');
  });
  it('leave out the end tag, in a sentence, of a raw tag alone on its line', () => {
    // systemd's HACKING.md: `{% raw %}` on a line, and its end in a sentence, "`{% raw %} … `{% endraw %}`…`":
    // the raw tag went and its end tag showed.
    assert.equal(html('{% raw %}\nUse {{ message }} here {% endraw %} and after.\n'), '<p>Use {{ message }} here  and after.</p>\n');
    assert.equal(html('{% raw %}\n\n- output. `{% raw %} … `{% endraw %}` creates a block\n'), '<ul>\n<li>output. <code>{% raw %} … </code>` creates a block</li>\n</ul>\n');
    // Closed once: a second end tag further on is text.
    assert.equal(html('{% raw %}\n\nx {{ a }}\n\n{% endraw %}\n\nafter {% endraw %}.\n'), '<p>x {{ a }}</p>\n<p>after {% endraw %}.</p>\n');
  });
  it("leave a list or a paragraph whole around a pair's lines, as Liquid takes them out before Markdown", () => {
    // Between a list's items, the tag showed in the item before (the line went on its text) ...
    assert.equal(html('- a\n{% raw %}\n- b {{ x }}\n{% endraw %}\n- c\n').replace(/\s+/g, ' '), '<ul> <li>a </li> <li>b {{ x }} </li> <li>c</li> </ul> ');
    // ... and after a blank line it ended the list, the items after it another.
    assert.equal(html('- a\n\n{% raw %}\n- b {{ x }}\n{% endraw %}\n- c\n').replace(/\s+/g, ' '), '<ul> <li><p>a</p> </li> <li><p>b {{ x }} </p> </li> <li><p>c</p> </li> </ul> ');
    assert.equal(html('One\n{% raw %}\ntwo {{ x }}\n{% endraw %}\nthree\n').replace(/\s+/g, ' '), '<p>One two {{ x }} three</p> ');
    // (A hard break before the line is kept; no other is made.)
    assert.match(html('Break  \n{% raw %}\nnext {{ x }}\n{% endraw %}\nlast\n'), /^<p>Break<br>next \{\{ x \}\}\s+last<\/p>\n$/);
    for (const md of ['- a\n{% raw %}\n- b\n{% endraw %}\n- c\n', '\n{% raw %}\nx\n{% endraw %}\n']) assert.equal(withoutRawLines(md).length, md.length, 'offsets are kept');
  });
  it('keep a raw tag without its other half: it is text that names it', () => {
    assert.equal(html('Wrap the sample in {% raw %} (#7798).\n\n{% endraw %}\n\n{% raw %}\n'), '<p>Wrap the sample in {% raw %} (#7798).</p>\n<p>{% endraw %}</p>\n<p>{% raw %}</p>\n');
  });
  linearTime([['highlight tags never ended', '{% highlight x %}\n\n'.repeat(20_000)], ['comment tags never ended', '{% comment %}\n'.repeat(20_000)], ['raw tags never ended', '{% raw %}\n\n'.repeat(20_000)], ['raw tags in one text, one ended', `${'a {% raw %} b '.repeat(20_000)}{% endraw %}`], ['raw tags on lines, ended in sentences', '{% raw %}\nthe words of a paragraph {% endraw %} y\n\n'.repeat(20_000)], ['50,000 raw pairs between list items', '- a\n{% raw %}\n- b {{ x }}\n{% endraw %}\n'.repeat(50_000)]], html);
});

describe('MyST (Sphinx) directives and roles', () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('are boxes, version notes and code, in code fences and colon fences', () => {
    const out = html('```{note}\nNo `$VARIABLE`.\n```\n\n```{versionadded} 7.0\n```\n\n```{admonition} Custom\n:class: tip\nBody.\n```\n\n```{code-block} python\n:linenos:\nprint(1)\n```\n\n:::{warning}\nColon.\n:::\n');
    const titles = [...out.matchAll(/<p class="markdown-alert-title">([^<]*)<\/p>/g)].map((m) => m[1]);
    assert.deepEqual(titles, ['Note', 'New in version 7.0', 'Custom', 'Warning']);
    assert.match(out, /<pre><code class="language-python">print\(1\)\n<\/code><\/pre>/);
    assert.doesNotMatch(out, /\{note\}|:class:|:linenos:/);
  });
  it("keep a directive's argument: a figure's picture, a dropdown's or a card's title, an admonition's first line once", () => {
    const out = html('```{figure} fig.png\n:alt: A fig\n:width: 50%\n\nCaption *text*.\n```\n\n```{dropdown} Why is the sky blue?\nRayleigh.\n```\n\n```{card} A card\nBody.\n```\n\n::::{tab-set}\n:::{tab-item} Label1\nOne\n:::\n::::\n\n```{note} First line\nBody.\n```\n');
    assert.match(out, /<div class="figure">\n<p><img [^>]*src="fig\.png" alt="A fig"[^>]*><\/p>\n<p>Caption <em>text<\/em>\.<\/p>\n<\/div>/);
    assert.match(out, /<details><summary>Why is the sky blue\?<\/summary>\n<p>Rayleigh\.<\/p>/);
    assert.deepEqual([...out.matchAll(/<p class="markdown-alert-title">([^<]*)<\/p>/g)].map((m) => m[1]), ['A card', 'Label1', 'Note']);
    assert.equal(out.split('First line').length, 2, 'the first line once');
  });
  it("read a directive's options, `:key: value` lines or a `---` block, in code fences and colon fences alike", () => {
    // A colon fence's `:alt:` showed as a paragraph, and a `---` block as a rule and a heading (`width: 3` over `---`).
    const out = html(':::{figure} fig.png\n:alt: A fig\n:width: 50%\n:name: fig-one\n\nCaption *text*.\n:::\n\n:::{figure} b.png\n---\nalt: "B, b"\nname: Fig Two\nwidth: 3\n---\nThe caption.\n:::\n\n```{figure} c.png\n---\nalt: C\n---\nCap C\n```\n\n:::{note}\n:class: tip\nHi\n:::\n');
    // (A named figure's mark, for the chapter to name its {ref}s by its caption, is the chapter's to take off: myst.ts.)
    assert.deepEqual([...out.matchAll(/<div (?:id="([^"]*)" )?class="figure(?: quire-named)?">\n<p><img [^>]*src="([^"]*)" alt="([^"]*)"><\/p>\n<p>([^]*?)<\/p>\n<\/div>/g)].map((m) => m.slice(1)), [
      ['fig-one', 'fig.png', 'A fig', 'Caption <em>text</em>.'],
      ['fig-two', 'b.png', 'B, b', 'The caption.'],
      [undefined, 'c.png', 'C', 'Cap C'],
    ]);
    assert.doesNotMatch(out, /<hr|<h2|:alt:|:width:|width: 3|:class:/);
    assert.match(out, /<p class="markdown-alert-title">Note<\/p>\n<p>Hi<\/p>/);
    // A `---` block of other lines than options is the directive's text: the paragraph between the rules went, unsaid.
    for (const fence of [[':::{note}', ':::'], ['```{note}', '```']]) {
      assert.match(html(`${fence[0]}\n---\nThis paragraph is between rules.\n---\nAfter.\n${fence[1]}\n`), /This paragraph is between rules\.[^]*After\./, fence[0]);
      // Nor is a first line that opens with an emoji's shortcode an option: it went, unsaid.
      assert.match(html(`${fence[0]}\n:class: tip\n:warning: Do not delete it.\n${fence[1]}\n`), /<p>⚠️ Do not delete it\.<\/p>/, fence[0]);
    }
  });
  it('read a colon fence of code or a formula as the code fence of the same', () => {
    // They showed as paragraphs, `:::{code-block} python :linenos: print(1) :::`; in a note, the code's
    // closing fence closed the note.
    const out = html(':::{code-block} python\n:linenos:\nprint(1)\n:::\n\n:::{math}\na=b\n:::\n\n::::{note}\n:::{code} sh\nls ```x``\n:::\nText.\n::::\n\nAfter.\n');
    assert.match(out, /^<pre><code class="language-python">print\(1\)\n<\/code><\/pre>\n<div class="math-display"><math [^>]*display="block"[^>]*alttext="a=b"/);
    assert.match(out, /<p class="markdown-alert-title">Note<\/p>\n<pre><code class="language-sh">ls ```x``\n<\/code><\/pre>\n<p>Text\.<\/p>\n<\/div>\n<p>After\.<\/p>\n$/);
    assert.doesNotMatch(out, /:::|linenos/);
  });
  it('make a displayed formula of {math}, one for each block of it', () => {
    assert.match(html('```{math}\nE = mc^2\n```\n'), /<math [^>]*display="block"[^>]*alttext="E = mc\^2"/);
    assert.deepEqual([...html('```{math}\na = b\n\nc = d\n```\n').matchAll(/display="block"[^>]*alttext="([^"]*)"/g)].map((m) => m[1]), ['a = b', 'c = d']);
  });
  it('make a toctree a list of links to its documents, in code fences and colon fences, its options read', () => {
    // pip's topics/index.md: the toctree showed as a code block, `:maxdepth: 1` and all.
    const out = html('```{toctree}\n:maxdepth: 1\n:caption: Topics & more\n:reversed:\n\nintro\nThe guide <guide.md>\n/ref/index\n```\n\n:::{toctree}\n:hidden:\n\nintro\n:::\n\n:::{toctree}\n---\nnumbered: true\nglob:\n---\nguides/*\n:::\n').replace(/<!--quire-pos:\d+:\d+-->| data-quire-offset="\d+"/g, '');
    assert.equal(out, [
      '<div class="toctree-wrapper">', '<p class="caption"><strong>Topics &amp; more</strong></p>', '<ul>',
      '<li><a class="quire-doc" href="/ref/index.md">/ref/index</a></li>', '<li><a href="guide.md">The guide</a></li>', '<li><a class="quire-doc" href="intro.md">intro</a></li>',
      '</ul>', '</div>', '<div class="toctree-wrapper">', '<ol>', '<li>guides/*</li>', '</ol>', '</div>', '',
    ].join('\n'));
  });
  it('show a role as its text, without the role', () => {
    assert.equal(html('See {x} `code`, {term}`sdists <Source Distribution (or "sdist")>` and {term}`wheel`.\n'), '<p>See {x} <code>code</code>, sdists and wheel.</p>\n');
    // A {ref} is a link to its label (found at settle, links.ts), named by its text or by the heading there; it showed as code.
    assert.equal(html('See {ref}`--install-option <install_--install-option>` and {ref}`Hash mode`.\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<p>See <a class="quire-ref" href="#install_--install-option">--install-option</a> and <a class="quire-doc quire-ref" href="#Hash%20mode">Hash mode</a>.</p>\n');
    // A target, `(label)=`, is an anchor with the label's id; it showed as a paragraph.
    assert.equal(html('(Hash mode)=\n## Hash\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<span id="hash-mode" class="quire-label"></span>\n<h2>Hash</h2>\n');
    // A line of other text in its shape is that text: algebra, `(x + y)=`, vanished into an anchor.
    assert.equal(html('Expand:\n\n(x + y)=\nx² + 2xy + y²\n\n(a*b)=\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<p>Expand:</p>\n<p>(x + y)=\nx² + 2xy + y²</p>\n<p>(a*b)=</p>\n');
    // (A sign standing alone between spaces is algebra's too: `(a - b)=`, `(n / 2)=` vanished the same.)
    assert.equal(html('(a - b)=\na² - 2ab + b²\n\n(n / 2)=\n\n(sec: intro part-2)=\n## Intro\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<p>(a - b)=\na² - 2ab + b²</p>\n<p>(n / 2)=</p>\n<span id="sec-intro-part-2" class="quire-label"></span>\n<h2>Intro</h2>\n');
    // A {doc} is a link to the document (its title given at settle: link-names.ts); it showed its path as code.
    assert.equal(html('See {doc}`guide` and {doc}`The guide <../guide>`.\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<p>See <a class="quire-doc" href="guide.md">guide</a> and <a href="../guide.md">The guide</a>.</p>\n');
    // In a link's text they are the code they were: a link in the link ended it, the words after the role out of it.
    assert.equal(html('See [the {ref}`sec` part](https://example.com/) and [{doc}`Guide <guide>` here](https://example.com/g).\n').replace(/<!--quire-pos:\d+:\d+-->| data-quire-pos="\d+"/g, ''), '<p>See <a href="https://example.com/">the <code>sec</code> part</a> and <a href="https://example.com/g"><code>Guide</code> here</a>.</p>\n');
  });
  it('show a PEP or an RFC as Sphinx names it, with its kind before its number', () => {
    // pip's dependency-resolution.md: "found in {pep}`440`" read "found in 440".
    assert.equal(html('Found in {pep}`440`, {rfc}`2616#section-3`, {pep}`the versioning PEP <440>`.\n'), '<p>Found in PEP 440, RFC 2616#section-3, <code>the versioning PEP</code>.</p>\n');
  });
  it("read a {file}'s or {samp}'s escaped backslashes and braces as Sphinx does", () => {
    // pip's configuration.md:73: {file}`C:\\ProgramData\\pip\\pip.ini` showed its doubled backslashes.
    assert.equal(html('At {file}`C:\\\\ProgramData\\\\pip\\\\pip.ini`, {samp}`print(\\{1\\})`, not `C:\\\\x`.\n'), '<p>At <code>C:\\ProgramData\\pip\\pip.ini</code>, <code>print({1})</code>, not <code>C:\\\\x</code>.</p>\n');
  });
  it('raise a {sup} and lower a {sub}, not show them as code', () => {
    // pip's dependency-resolution.md:210-213, a table's note mark: "compatible{sup}`1`" read "compatible1" in code.
    assert.equal(html('Any compatible{sup}`1` version of H{sub}`2`O, x{superscript}`<2>`.\n'), '<p>Any compatible<sup>1</sup> version of H<sub>2</sub>O, x<sup>&lt;2&gt;</sup>.</p>\n');
  });
  // Each target of a run was read as a setext heading's first line, its underline looked for through the others.
  linearTime([['targets in a run', `${'(a-label)=\n'.repeat(40_000)}## H\n`], ['colon fences of code', ':::{code-block} python\n:linenos:\nx ``y``\n:::\n\n'.repeat(20_000)]], html);
});

describe("Quarto's shortcodes", () => {
  it("put an include's Markdown in its place, a video's link, and no page break", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '_setup.md'), '---\ntitle: x\n---\nIncluded **setup**.\n');
    const body = 'Intro.\n\n{{< include _setup.md >}}\n\n{{< include _gone.qmd >}}\n\n{{< pagebreak >}}\n\n{{< video https://www.youtube.com/embed/wo9vZccmqwc >}}\n\n```\n{{< include _setup.md >}}\n```\n';
    const found = readIncludes(body, path.join(dir, 'doc.qmd'), [dir]);
    assert.deepEqual(found.includes, { '{{< include _setup.md >}}': 'Included **setup**.\n' });
    assert.deepEqual(found.partials, [path.join(dir, '_setup.md')]);
    assert.deepEqual(found.diagnostics.map((d) => `${d.line}:${d.code}`), ['5:include-unreadable']);
    const out = markdownToHtml(body, { math: true, includes: found.includes! }).html.replace(/<!--quire-pos:\d+:\d+-->\n?/g, '');
    assert.match(out, /^<p>Intro\.<\/p>\n<div>\n<p>Included <strong>setup<\/strong>\.<\/p>\n<\/div>\n<p>\{\{&lt; include _gone\.qmd &gt;\}\}<\/p>\n<p><a href="https:\/\/www\.youtube\.com\/watch\?v=wo9vZccmqwc">YouTube video wo9vZccmqwc<\/a><\/p>\n<pre><code>\{\{&lt; include _setup\.md &gt;\}\}\n<\/code><\/pre>\n$/);
  });
});

describe("Quarto's and R Markdown's chunks", () => {
  it("are code in their engine's language, without the options of their `#|` lines", () => {
    const out = markdownToHtml('```{r}\n#| echo: false\n#| label: fig-x\nplot(1:10)\n```\n\n```{r setup, include=FALSE}\nlibrary(x)\n```\n\n```{python}\nprint(1)\n```\n', { math: true }).html;
    assert.deepEqual([...out.matchAll(/<code class="language-(\w+)">([^<]*)<\/code>/g)].map((m) => [m[1], m[2]]), [['r', 'plot(1:10)\n'], ['r', 'library(x)\n'], ['python', 'print(1)\n']]);
  });
});

describe("Hugo's shortcodes", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('are read as blocks where they stand alone or hold a box, and stay as written elsewhere', () => {
    assert.equal(html('{{< note >}}\nSee.\n{{< /note >}}\n'), '<div class="markdown-alert markdown-alert-note note"><p class="markdown-alert-title">Note</p>\n<p>See.</p>\n</div>\n');
    assert.equal(html('Press {{< kbd >}}C{{< /kbd >}} now.\n'), '<p>Press {{&lt; kbd &gt;}}C{{&lt; /kbd &gt;}} now.</p>\n');
    assert.equal(html('{{< youtube id="x1" title="Talk" >}}\n'), '<!--quire-pos:0:37--><p><a href="https://www.youtube.com/watch?v=x1">Talk</a></p>\n');
  });
  it('escaped, are shown as Hugo shows them, two in a paragraph too', () => {
    assert.equal(html('Write {{</* note */>}} to open and {{</* /note */>}} to close, `{{%/* x */%}}` too.\n'), '<p>Write {{&lt; note &gt;}} to open and {{&lt; /note &gt;}} to close, <code>{{% x %}}</code> too.</p>\n');
  });
  it('end a table, a list or a quote they follow without a blank line, as a container does', () => {
    for (const before of ['| a | b |\n|---|---|\n| 1 | 2 |\n', '- item\n', '> quote\n']) {
      for (const box of ['{{< note >}}\nN\n{{< /note >}}\n', '::: note\nN\n:::\n']) {
        assert.match(html(before + box), /<\/(?:table|ul|blockquote)>\n<div class="markdown-alert markdown-alert-note note"><p class="markdown-alert-title">Note<\/p>\n<p>N<\/p>\n<\/div>\n$/, before + box);
      }
    }
  });
  it('make a page reference a link to the page, with its title', () => {
    assert.equal(html('[a]({{< relref "b.md#c" >}} "T") and [d]({{% ref e.md %}})\n'), '<p><a data-quire-pos="0" href="b.md#c" title="T">a</a> and <a data-quire-pos="37" href="e.md">d</a></p>\n');
  });
  const documents: [string, string][] = [
    ['a line of tags never ended', '{{<a '.repeat(100_000)],
    ['pairs never closed', '{{< note >}}\n\n'.repeat(20_000)],
    ['pairs right after paragraphs', 'para\n{{< note >}}\nx\n{{< /note >}}\n'.repeat(20_000)],
    ['page references in one paragraph', '[a]({{< ref "b.md" >}}) '.repeat(20_000)],
    ['page references never ended', '[a]({{< ref "b.md" '.repeat(20_000)],
    ['escaped shortcodes never ended', 'a {{</* x '.repeat(80_000)],
    ['table rows that look like fences', `| a | b |\n|---|---|\n${'| 1 | 2 |\n:::x\n'.repeat(20_000)}`],
  ];
  linearTime(documents, html);
});

describe("kramdown's attribute lists", () => {
  const html = (md: string) => markdownToHtml(md, { math: true }).html;
  it('give a heading just before them its id, and are otherwise left out', () => {
    assert.equal(html('## H\n{: #x .y}\n'), '<h2 id="x" class="y">H</h2>\n');
    assert.equal(html('## H\n\n{: #x}\npara\n{:.c}\n'), '<h2>H</h2>\n<p>para</p>\n');
  });
  it("are attributes and names only: Clojure's and Ruby's `{:…}` lines are text", () => {
    assert.equal(html('A map\n{:name "Ada" :born 1815}\n\nRuby\n{:verbose => true}\n\n{:}\n'), '<p>A map\n{:name &quot;Ada&quot; :born 1815}</p>\n<p>Ruby\n{:verbose =&gt; true}</p>\n<p>{:}</p>\n');
  });
  it('after a span, are left out; elsewhere in text they stay', () => {
    assert.equal(html('Bold **b**{: .x} and `c`{:.y} and text {: .z} stays.\n'), '<p>Bold <strong>b</strong> and <code>c</code> and text {: .z} stays.</p>\n');
  });
  it('after a table are not a row of it', () => {
    assert.equal(html('| a | b |\n|---|---|\n| 1 | 2 |\n{: .table .striped}\n'), '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody></table>\n');
  });
  it("make a {:toc} list the place of the chapter's contents only when it is one item, and keep a `{:` in text", () => {
    assert.equal(html('* TOC\n{:toc}\n\nText {: .x}\n').replace(/<!--quire-pos:\d+:\d+-->/g, ''), '<div class="quire-toc"></div>\n<p>Text {: .x}</p>\n');
    assert.equal(html('- a\n- TOC\n{:toc}\n'), '<ul>\n<li>a</li>\n<li>TOC</li>\n</ul>\n');
  });
});

describe('emoji shortcodes', () => {
  it("become GitHub's emoji in text and link text, but not in code, URLs, escapes or unknown names", () => {
    assert.equal(
      markdownToHtml('Done :tada: :+1: `:tada:` [:rocket:](https://example.com/:tada:) \\:tada: :Tada: :nope: 10:30:00\n', { math: true }).html,
      '<p>Done 🎉 👍 <code>:tada:</code> <a data-quire-pos="26" href="https://example.com/:tada:">🚀</a> :tada: :Tada: :nope: 10:30:00</p>\n',
    );
  });
  it('are not read inside words, paths and IPv6 addresses, but are one after the other', () => {
    assert.equal(
      markdownToHtml('Foo::x::bar, a::b::c, module::up::down, 2001:db8:a:b::1, fe80::1:a:, word:tada: :tada:s; :+1::tada: (:tada:) :tada:.\n', { math: true }).html,
      '<p>Foo::x::bar, a::b::c, module::up::down, 2001:db8:a:b::1, fe80::1:a:, word:tada: :tada:s; 👍🎉 (🎉) 🎉.</p>\n',
    );
  });
  it('stays linear in a long paragraph', () => {
    const started = performance.now();
    markdownToHtml('word *em* :x: '.repeat(40000), { math: true });
    assert.ok(performance.now() - started < 20_000, 'a quadratic search takes minutes here');
  });
});

describe('math between dollar signs', () => {
  const html = (md: string, math = true) => markdownToHtml(md, { math }).html;
  const formulas = (md: string) => [...html(md).matchAll(/alttext="([^"]*)"/g)].map((m) => m[1]);
  it('never runs a $$ formula across a code span', () => {
    assert.equal(html('Hashes `$md5$s$$c`\n(note the double $$). It returns `$$`-format ones.\n'), '<p>Hashes <code>$md5$s$$c</code>\n(note the double $$). It returns <code>$$</code>-format ones.</p>\n');
  });

  it('renders $…$ inline and $$…$$ on its own lines or in text to MathML, with the TeX as alttext', () => {
    assert.deepEqual(formulas('Euler: $e^{i\\pi}+1=0$.'), ['e^{i\\pi}+1=0']);
    const block = html('Before.\n\n$$\n\\frac{1}{2}\n$$\n\nAfter.');
    assert.match(block, /<div class="math-display"><math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML" display="block"[^>]* alttext="\\frac\{1\}\{2\}"><semantics>.*<mfrac><mn>1<\/mn><mn>2<\/mn><\/mfrac>.*<annotation encoding="application\/x-tex">\\frac\{1\}\{2\}<\/annotation>/s);
    assert.match(html('Text $$x^2$$ more.'), /<p>Text <math [^>]*display="block"/);
  });

  it('leaves prices, escaped dollars, code and spaced dollar signs alone', () => {
    for (const text of ['It costs $5 and $10.', 'From $20,000 to $30,000.', 'An escaped \\$x\\$ sign.', 'Shell: `$HOME` and `$PATH $USER`.', 'A lone $ sign and $ spaced $ too.', 'Paid $5 for `a$`.', '```\n$$ x $$\n```']) {
      assert.equal(formulas(text).length, 0, text);
      assert.doesNotMatch(html(text), /<math/, text);
    }
    assert.deepEqual(formulas('$5 and $x$ then'), ['x']);
    assert.deepEqual(formulas('Ends a sentence $x$, then $y$.'), ['x', 'y']);
  });

  it("leaves a changelog's operators alone: words around dollar signs are not TeX", () => {
    // mongoose's and gatsby's changelogs: the dollar signs went, and the words between them were a formula.
    for (const text of ['fixed; $elemMatch+$in with field selection', 'fast filters for $regex/$glob', 'add array.$, array.$.$ subpaths', 'use $set=$unset']) {
      assert.deepEqual(formulas(text), [], text);
      assert.equal(html(text), `<p>${text}</p>\n`);
    }
    assert.deepEqual(formulas('the $n$th term, $k$-th, $x+y$ and $a_1, \\ldots$, $.5$ and $f(x) =$ here'), ['n', 'k', 'x+y', 'a_1, \\ldots', '.5', 'f(x) =']);
    assert.deepEqual(formulas('French intervals $]0,1[$ and $]a,b]$.'), [']0,1[', ']a,b]']);
  });

  it("also reads GitHub's forms: $`…`$ inline and a fenced block of language math", () => {
    assert.deepEqual(formulas('Inline $`a_1 * b_2`$ form.'), ['a_1 * b_2']);
    assert.match(html('```math\n\\sqrt{2}\n```'), /<div class="math-display"><math [^>]*display="block"[^>]*alttext="\\sqrt\{2\}"/);
    assert.match(html('```math\n\\sqrt{2}\n```', false), /<pre><code class="language-math">/);
  });

  it('does not cross a blank line, and can be turned off', () => {
    assert.deepEqual(formulas('$a\n\nb$'), []);
    assert.deepEqual(formulas('$a\nb$'), ['a b']);
    assert.doesNotMatch(html('Euler: $e^{i\\pi}$ and $$x$$', false), /<math/);
  });

  it('reports a formula it cannot render at its place, and shows the TeX instead', () => {
    const { html: out, problems } = markdownToHtml('# T\n\nOops: $\\frac{a$ and $\\nosuch$.\n', { math: true });
    assert.deepEqual(problems.map((p) => [p.pos, p.code]), [[11, 'math-invalid'], [25, 'math-invalid']]);
    assert.match(problems[1]!.message, /Unsupported function name: \\nosuch\)/);
    assert.match(out, /<code class="math-error">\$\\frac\{a\$<\/code>/);
  });
});

describe("quotation marks of the text's language", () => {
  it('are those of German, French, Swedish, Danish, Spanish; English and the others keep English ones', () => {
    const text = 'He said "Hallo" and \'yes\', it\'s the \'90s.';
    const by = (lang: string) => smarten(text, '', quotesFor(lang));
    assert.equal(by('de'), 'He said \u201eHallo\u201c and \u201ayes\u2018, it\u2019s the \u201990s.');
    assert.equal(by('fr-FR'), 'He said \u00ab\u202fHallo\u202f\u00bb and \u2039\u202fyes\u202f\u203a, it\u2019s the \u201990s.');
    assert.equal(by('sv'), 'He said \u201dHallo\u201d and \u2019yes\u2019, it\u2019s the \u201990s.');
    assert.equal(by('da'), 'He said \u00bbHallo\u00ab and \u203ayes\u2039, it\u2019s the \u201990s.');
    assert.equal(by('es'), 'He said \u00abHallo\u00bb and \u201cyes\u201d, it\u2019s the \u201990s.');
    assert.equal(by('de-CH'), 'He said \u00abHallo\u00bb and \u2039yes\u203a, it\u2019s the \u201990s.');
    for (const lang of ['en', 'en-GB', 'pt-BR', 'nl', 'zh']) assert.equal(by(lang), 'He said \u201cHallo\u201d and \u2018yes\u2019, it\u2019s the \u201990s.', lang);
  });
  it("follow a chapter's language, and an element's own within it", () => {
    const chapter = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: '# Ein "Test"\n\nEr sagte "Hallo".\n\n<p lang="en">He said "hi".</p>\n', meta: { authors: [], lang: 'de' } }, renderSettings());
    assert.equal(chapter.title, 'Ein \u201eTest\u201c');
    assert.match(chapter.body, /<p>Er sagte \u201eHallo\u201c\.<\/p>\n<p lang="en">He said \u201chi\u201d\.<\/p>/);
  });
});

describe('smart typography', () => {
  const cases: [string, string, string][] = [
    ['"Hello," she said.', '', '\u201cHello,\u201d she said.'],
    ["it's 'quoted'", '', 'it\u2019s \u2018quoted\u2019'],
    ["the '90s", '', 'the \u201990s'],
    ['a -- b --- c...', '', 'a \u2013 b \u2014 c\u2026'],
    ['"', 'x', '\u201d'],
    ['"after a space"', ' ', '\u201cafter a space\u201d'],
    ['" stands alone', ' ', '\u201d stands alone'],
    ['(\'paren\')', '', '(\u2018paren\u2019)'],
    ['AT&T 1 < 2', '', 'AT&T 1 < 2'],
    // Addresses and options are kept as written; the text around them is still smartened.
    ['Full Changelog: https://github.com/o/r/compare/v1.0...v2.0 -- "done"...', '', 'Full Changelog: https://github.com/o/r/compare/v1.0...v2.0 \u2013 \u201cdone\u201d\u2026'],
    ["see https://en.wikipedia.org/wiki/Ender's_Game, it's", '', 'see https://en.wikipedia.org/wiki/Ender\'s_Game, it\u2019s'],
    ['"https://x.org" and www.example.com/--x', '', '\u201chttps://x.org\u201d and www.example.com/--x'],
    ['mail first--last@example.com -- now', '', 'mail first--last@example.com \u2013 now'],
    ['run ./configure --prefix=/usr (--with-x) -- a--b', '', 'run ./configure --prefix=/usr (--with-x) \u2013 a\u2013b'],
    ['--flag first', '', '--flag first'],
    // A long option after its short one (Node's changelogs: `add -r/--require flags`, `-c|--check`).
    ['add -r/--require flags, -c|--check, -h,--help and --prof/--prof-process -- or a/b--c', '', 'add -r/--require flags, -c|--check, -h,--help and --prof/--prof-process \u2013 or a/b\u2013c'],
    // Quotes around a path, an attribute's value, a character; flags that start with a digit, handles, ranges.
    ['starts with "/", "./", or "../"', '', 'starts with \u201c/\u201d, \u201c./\u201d, or \u201c../\u201d'],
    // Node's CHANGELOG_IOJS.md:1194, "when the temp directory is at '/'. Also": the closing quote was an opening one.
    ["at '/'. Also '-'. and '../'", '', 'at \u2018/\u2019. Also \u2018-\u2019. and \u2018../\u2019'],
    // Node's errors.md:324 '(each line beginning with "at ").', http2.md:3405 "joined together with '; '.".
    ['(each line beginning with "at "). Joined with \'; \'. Or \', \'', '', '(each line beginning with \u201cat \u201d). Joined with \u2018; \u2019. Or \u2018, \u2019'],
    // Node's CHANGELOG_V13.md:854 'ignore all the "Debug","Release" folders', process.md:1779 "(e.g.,'1')".
    ['the "Debug","Release" folders (e.g.,\'1\') "Hello," she said, "yes,"', '', 'the \u201cDebug\u201d,\u201cRelease\u201d folders (e.g.,\u20181\u2019) \u201cHello,\u201d she said, \u201cyes,\u201d'],
    ["{stdio:'inherit'} role=\"heading\" a '!'", '', '{stdio:\u2018inherit\u2019} role=\u201cheading\u201d a \u2018!\u2019'],
    ['Use "--force" or \'--timestamp [format]\' or \u201c--x\u201d, not "a--b"', '', 'Use \u201c--force\u201d or \u2018--timestamp [format]\u2019 or \u201c--x\u201d, not \u201ca\u2013b\u201d'],
    ['"No"--then he left', '', '\u201cNo\u201d\u2013then he left'],
    // Arrows and long runs of hyphens are kept (Node's CHANGELOG_ARCHIVE.md: `fs.cat ------> fs.readFile`).
    ['fs.cat -------> fs.readFile, Python 2 --> 3, a <-- b <--> c; a ---- rule -- but --- dashes', '', 'fs.cat -------> fs.readFile, Python 2 --> 3, a <-- b <--> c; a ---- rule \u2013 but \u2014 dashes'],
    ['use --3way, thanks @Rob--W; v1.2.3...v1.3.0 and for...of -- wait...', '', 'use --3way, thanks @Rob--W; v1.2.3...v1.3.0 and for...of \u2013 wait\u2026'],
    // Hyphens quoted or bracketed with nothing else name themselves (minimist's CHANGELOG.md:260 "Improve '--'
    // handling", request's CHANGELOG.md “--”); between words or beside a space they are a dash.
    ["Improve '--' handling, \"---\", \u201c--\u201d and (--); \"No\"--then a --, b -- c", '', 'Improve \u2018--\u2019 handling, \u201c---\u201d, \u201c--\u201d and (--); \u201cNo\u201d\u2013then a \u2013, b \u2013 c'],
    ["'--", '', '\u2018\u2013'],
    // An option as another's value (yargs-parser's CHANGELOG.md:228 "support -o=--value and --option=--value").
    ['support -o=--value and --option=--value -- a=b', '', 'support -o=--value and --option=--value \u2013 a=b'],
    // A rest parameter in a signature (p-limit's readme.md:45 `### limit(fn, ...args)`, conf's readme.md:291
    // `.reset(...keys)`, ow's `ow.any(...predicate[])`); elided arguments and prose keep their ellipsis.
    ['limit(fn, ...args), .reset(...keys), ow.any(...predicate[]) but concat(...), (...and more) and wait...', '', 'limit(fn, ...args), .reset(...keys), ow.any(...predicate[]) but concat(\u2026), (\u2026and more) and wait\u2026'],
    // A call's or an index's quoted arguments (handlebars' release-notes.md "require('sys') is deprecated",
    // nodemailer's CHANGELOG.md "emit('log')", minimist's CHANGELOG.md:218 "argv['--']"); quotes in an array
    // or an object in the call, after a space or in prose stay typographic.
    ['require(\'sys\'), emit(\'log\', x), set("a", \'b\'), argv[\'--\'] and _date("1", ["M", "Y"]), render(\'p\', { layout: \'foo\' }), the (\'x\') and \'y\'', '', 'require(\'sys\'), emit(\'log\', x), set("a", \'b\'), argv[\'--\'] and _date("1", [\u201cM\u201d, \u201cY\u201d]), render(\'p\', { layout: \u2018foo\u2019 }), the (\u2018x\u2019) and \u2018y\u2019'],
  ];
  for (const [input, before, expected] of cases) {
    it(JSON.stringify(input), () => assert.equal(smarten(input, before), expected));
  }
  // A call's bracket (`f(`) let a long word reach the e-mail address and range rules, which took 18 s on this
  // 100,000-character one (and 9 s on a run of dots): tried at each of its characters, each read the rest of it.
  it('reads a long word or run of dots after a call\'s bracket in linear time', () => {
    for (const text of ["a('" + 'x'.repeat(100_000), 'f(' + '...'.repeat(33_000), 'a@b ' + 'x'.repeat(100_000)]) {
      const started = performance.now();
      smarten(text, '');
      assert.ok(performance.now() - started < 2_000, `${text.slice(0, 4)}: ${performance.now() - started} ms; a quadratic reading takes seconds here`);
    }
    assert.equal(smarten('mail first.last+tag@example.com or v1.2.3...v1.3.0, not "x"', ''), 'mail first.last+tag@example.com or v1.2.3...v1.3.0, not \u201cx\u201d');
  });
});

describe('the contents\' entries', () => {
  it('show a heading\'s code as written, as the chapter does, and smarten its words (ext\'s docs: `# \\`String.random(options = { ... })\\``)', () => {
    const chapter = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: '# `String.random(options = { ... })` _(ext/string/random)_\n\n## "Say" `--` and `"a" -- b`...\n', meta: { authors: [] } }, renderSettings());
    assert.equal(chapter.title, 'String.random(options = { ... }) (ext/string/random)');
    assert.deepEqual(chapter.sections.map((s) => s.text), ['\u201cSay\u201d -- and "a" -- b\u2026']);
  });
});

describe('links to a heading', () => {
  it('find it whatever the case of the fragment, as GitHub does (dom-serializer\'s README.md:17 `[options](#Options)`)', () => {
    const article = (name: string, body: string) => ({ file: `/a/${name}`, name, slug: name.replace('.md', ''), body, meta: { authors: [] } });
    const a = renderChapter(article('a.md', '# A\n\nSee [options](#Options), [version](#projectVersion), [there](b.md#Part-Two) and [none](#Nowhere).\n\n## Options\n\n#### projectVersion\n'), renderSettings());
    const b = renderChapter(article('b.md', '# B\n\n## Part two\n'), renderSettings());
    const index = new Map([['/a/a.md', { href: 'chapter-a.xhtml', chapter: a }], ['/a/b.md', { href: 'chapter-b.xhtml', chapter: b }]]);
    const diagnostics: Diagnostic[] = [...a.diagnostics];
    const xhtml = fillPlaceholders(a.body, resolveLinks(a, index, '/a', diagnostics), []);
    assert.match(xhtml, /<a href="#options">options<\/a>, <a href="#projectversion">version<\/a>, <a href="chapter-b\.xhtml#part-two">there<\/a> and <span>none<\/span>/);
    assert.deepEqual(diagnostics.map((d) => d.code), ['link-anchor-missing']);
  });
});

describe('file name order', () => {
  it('compares numbers by value and is case-insensitive', () => {
    const names = ['10-b.md', '9-a.md', 'B.md', 'a.md', '2.md', '02.md'];
    assert.deepEqual([...names].sort(compareNames), ['02.md', '2.md', '9-a.md', '10-b.md', 'a.md', 'B.md']);
  });
});

describe('decoding', () => {
  it('takes UTF-8, strips a BOM and normalises line ends', () => {
    const r = decodeText(Buffer.from('\ufeffa\r\nb\rc\n', 'utf8'), 'f.md');
    assert.equal(r.text, 'a\nb\nc\n');
    assert.deepEqual(r.diagnostics, []);
  });
  it('decodes UTF-16 with a BOM and warns', () => {
    const r = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('caf\u00e9', 'utf16le')]), 'f.md');
    assert.equal(r.text, 'caf\u00e9');
    assert.equal(r.diagnostics[0]!.severity, 'warning');
    assert.equal(r.diagnostics[0]!.code, 'encoding-utf16');
  });
  it('refuses Latin-1, pointing at the first bad byte', () => {
    const r = decodeText(Buffer.from('ok\nno: caf\xe9\n', 'latin1'), 'f.md');
    assert.equal(r.text, undefined);
    assert.equal(r.diagnostics[0]!.severity, 'error');
    assert.deepEqual([r.diagnostics[0]!.line, r.diagnostics[0]!.column], [2, 8]);
    assert.match(r.diagnostics[0]!.message, /not valid UTF-8 \(byte 0xE9\)/);
  });
  it('takes out the characters XML forbids, saying so at the first with the count', () => {
    const r = decodeText(Buffer.from('ok\r\n\u00e9t\u00e9 \u0093quoted\u0094 \u0008\n', 'utf8'), 'f.md');
    assert.equal(r.text, 'ok\n\u00e9t\u00e9 quoted \n');
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column]), [['text-control-removed', 'warning', 2, 5]]);
    assert.match(r.diagnostics[0]!.message, /^U\+0093 and 2 more like it removed: .*windows-1252/);
  });
  it('refuses an overlong or truncated sequence', () => {
    assert.equal(decodeText(Buffer.from([0x61, 0xc0, 0xaf]), 'f').text, undefined);
    assert.equal(decodeText(Buffer.from([0x61, 0xe2, 0x82]), 'f').text, undefined);
    assert.equal(decodeText(Buffer.from([0xed, 0xa0, 0x80]), 'f').text, undefined);
  });
});

describe('URLs', () => {
  it('refuses script URLs however they are disguised', () => {
    for (const u of ['javascript:alert(1)', 'JaVaScRiPt:x', ' java\tscript:x', 'java\u0000script:x', 'vbscript:x', 'data:text/html,x']) {
      assert.equal(sanitizeUrl(u), undefined, u);
    }
  });
  it('keeps web, mail and relative links', () => {
    for (const u of ['https://example.com/a?b=1', 'mailto:a@b.c', 'other.md#x', '#frag', '../x.md']) assert.equal(sanitizeUrl(u), u);
  });
  it('keeps data: only for images', () => {
    assert.equal(sanitizeUrl('data:image/png;base64,AAAA', true), 'data:image/png;base64,AAAA');
  });
});

describe('video, audio and embedded pages', () => {
  const clean = (html: string) => serialize(sanitizeHtml(html, html).nodes);
  it('keep their fallback content, and a link to the web address they play unless the fallback has one', () => {
    assert.equal(
      clean('<video controls><source src="https://example.com/v.webm"><track src="c.vtt">Cannot play <a href="https://example.com/v.webm">it</a>.</video>'),
      'Cannot play <a href="https://example.com/v.webm">it</a>.',
    );
    // "Your browser cannot play it" alone left the reader no way to the video.
    assert.equal(clean('<p>A <video src="https://example.com/v.mp4">Your browser cannot play it.</video> B</p>'), '<p>A Your browser cannot play it. <a href="https://example.com/v.mp4">https://example.com/v.mp4</a> B</p>');
    assert.equal(clean('<object data="https://example.com/d.pdf"><param name="x" value="y"><p>The <b>text</b></p></object>'), '<p>The <b>text</b></p><p><a href="https://example.com/d.pdf">https://example.com/d.pdf</a></p>');
    assert.equal(clean('<a href="https://example.org/"><video src="https://example.com/v.mp4">fallback</video></a>'), '<a href="https://example.org/">fallback</a>', 'no link inside a link');
  });
  it('become a link to the web address they play or show when they have no fallback', () => {
    assert.equal(clean('<p>See <video src="https://example.com/demo.mp4" poster="p.jpg"></video></p>'), '<p>See <a href="https://example.com/demo.mp4">https://example.com/demo.mp4</a></p>');
    assert.equal(clean('<audio><source src="https://example.com/a.ogg"></audio>'), '<p><a href="https://example.com/a.ogg">https://example.com/a.ogg</a></p>');
    assert.equal(clean('<iframe src="https://example.com/embed?a=1&b=2"></iframe>'), '<p><a href="https://example.com/embed?a=1&amp;b=2">https://example.com/embed?a=1&amp;b=2</a></p>');
    // Outside running text each is a paragraph of its own: two videos in a row read "Demo videoThe talk".
    assert.equal(
      clean('<iframe src="https://example.com/a" title="Demo video"></iframe><iframe src="https://example.com/b" title="The talk"></iframe>'),
      '<p><a href="https://example.com/a">Demo video</a></p><p><a href="https://example.com/b">The talk</a></p>',
    );
    // In running text where no paragraph is (a table's cell, a tight list's item, a <div>), it stays in its sentence.
    assert.equal(clean('<table><tr><td>Watch <iframe src="https://example.com/t" title="the talk"></iframe> here</td></tr></table>'), '<table><tr><td>Watch <a href="https://example.com/t">the talk</a> here</td></tr></table>');
    assert.equal(clean('<ul><li>See <video src="https://example.com/v.mp4">the demo</video>.</li></ul>'), '<ul><li>See the demo <a href="https://example.com/v.mp4">https://example.com/v.mp4</a>.</li></ul>');
    assert.equal(clean('<div><iframe src="https://example.com/d" title="Demo"></iframe> <b>first</b></div>'), '<div><a href="https://example.com/d">Demo</a> <b>first</b></div>');
  });
  it("warn of an <iframe>'s own text, which no browser shows, quoting it", () => {
    const html = '<iframe src="https://example.com/e" title="The map">Your browser shows no <b>frames</b>: see <a href="https://example.com/m">the map</a>.</iframe><iframe src="https://example.com/f"> </iframe>';
    const { nodes, problems } = sanitizeHtml(html, html);
    assert.equal(serialize(nodes), '<p><a href="https://example.com/e">The map</a></p><p><a href="https://example.com/f">https://example.com/f</a></p>');
    assert.deepEqual(
      problems.map((p) => `${p.pos} ${p.code}: ${p.message}`),
      ['0 html-text-dropped: the text inside <iframe> ("Your browser shows no frames: see the map.") is not shown: a browser never shows it, and the book shows a link to the embedded page in its place'],
    );
  });
  it('leave only the address as text inside a link, and nothing for local files or script URLs', () => {
    assert.equal(clean('<a href="https://example.org/"><video src="https://example.com/v.mp4"></video></a>'), '<a href="https://example.org/">https://example.com/v.mp4</a>');
    const html = '<p>A<audio src="local.mp3"></audio><embed src="javascript:alert(1)"><iframe src="data:text/html,x"></iframe>B<video src="clip.mp4">Its fallback</video></p>';
    const { nodes, problems } = sanitizeHtml(html, html);
    assert.equal(serialize(nodes), '<p>ABIts fallback</p>');
    // A local file with no fallback is reported; a script URL, or a local file whose fallback is kept, is not.
    assert.deepEqual(
      problems.map((p) => `${p.code}: ${p.message}`),
      [
        'html-media-dropped: <audio> of local.mp3 left out: an e-book cannot play or show it, and only a web address can be linked to',
        'html-media-dropped: <iframe> of data:text/html,x left out: an e-book cannot play or show it, and only a web address can be linked to',
      ],
    );
  });
});

describe('images of pages that load them late, and hidden elements', () => {
  const clean = (html: string) => serialize(sanitizeHtml(html, html).nodes);
  it('show the picture a lazy-loading page or a srcset offers, where the src is missing or a blank pixel', () => {
    const blank = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    assert.equal(clean(`<img src="${blank}" data-src="https://example.com/photo.jpg" alt="Photo">`), '<img src="https://example.com/photo.jpg" alt="Photo"/>');
    assert.equal(clean('<img data-lazy-src="https://example.com/a.png" alt="A">'), '<img src="https://example.com/a.png" alt="A"/>');
    assert.equal(clean('<img srcset="https://example.com/b-1x.png 1x, https://example.com/b-2x.png 2x" alt="B">'), '<img src="https://example.com/b-2x.png" alt="B"/>');
    // As quire add chooses: the widest up to 2,000 pixels.
    assert.equal(clean('<img src="/img/spacer.gif" srcset="s.jpg 640w, m.jpg 1600w, l.jpg 4000w" alt="C">'), '<img src="m.jpg" alt="C"/>');
    assert.equal(clean('<picture><source srcset="https://example.com/p-640.jpg 640w, https://example.com/p-1280.jpg 1280w" type="image/jpeg"><img alt="D"></picture>'), '<span><img src="https://example.com/p-1280.jpg" alt="D"/></span>');
    // An image with a src of its own keeps it; one that offers nothing is its alt text, as before.
    assert.equal(clean('<img src="https://example.com/e.png" srcset="https://example.com/e-2x.png 2x" alt="E">'), '<img src="https://example.com/e.png" alt="E"/>');
    assert.equal(clean(`<img src="${blank}" alt="F">`), `<img src="${blank}" alt="F"/>`);
    assert.equal(clean('<img alt="G">'), 'G');
    // A name in the attribute of the real picture is the picture's, whatever it says.
    assert.equal(clean('<img src="/img/spacer.gif" data-lazy-src="/img/lazy-river.png" alt="H">'), '<img src="/img/lazy-river.png" alt="H"/>');
  });
  it("put a table's caption first, wherever it was written (EPUBCheck refuses it after the columns)", () => {
    assert.equal(clean('<table><colgroup><col></colgroup><caption>Prices</caption><tr><td>1</td></tr></table>'), '<table><caption>Prices</caption><colgroup><col/></colgroup><tr><td>1</td></tr></table>');
  });
  it('keep the regions of an image map as the links they were, named by their alt text (e-readers have no image maps)', () => {
    const html = '<p><img src="plan.png" usemap="#m" alt="Plan"><map name="m"><area shape="rect" coords="0,0,9,9" href="https://example.com/north" alt="North"><area href="south.md#gate" alt=" South  gate "><area href="javascript:alert(1)" alt="East"><area nohref alt="West"><area href="https://example.com/none" alt=""></map></p>';
    const { nodes, problems } = sanitizeHtml(html, html);
    assert.equal(serialize(nodes), '<p><img src="plan.png" alt="Plan"/><span><a href="https://example.com/north">North</a> <a href="south.md#gate">South gate</a> East West </span></p>');
    assert.deepEqual(problems, []);
    // No link inside a link: the region's name stays, as text.
    assert.equal(clean('<a href="https://example.org/"><map><area href="https://example.com/y" alt="Y"></map></a>'), '<a href="https://example.org/"><span>Y </span></a>');
  });
  it('keep the text a form field shows: its value, not a password or a hidden one', () => {
    const html = '<p>Run <input type="text" readonly value="npm  install quire"> then <input type="submit" value="Send"><input value="plain"><input type="password" value="secret"><input type="hidden" value="token"><input type="text"></p>';
    const { nodes, problems } = sanitizeHtml(html, html);
    assert.equal(serialize(nodes), '<p>Run npm install quire  then Send plain </p>');
    assert.deepEqual(problems, []);
  });
  it('keep the value a meter or a progress bar shows when it has no text of its own', () => {
    assert.equal(clean('<p>Disk <meter value="0.6"></meter>, <meter min="0" max="5" value="3"></meter>, <progress value="70" max="100"></progress>, <progress></progress>, <meter value="0.2">low</meter>.</p>'), '<p>Disk 60%, 3/5, 70%, , <span>low</span>.</p>');
    assert.equal(clean('<p><progress value="15" max="10"></progress> <progress value="-5" max="10"></progress> <meter value="2" min="5" max="10"></meter></p>'), '<p>10/10 0/10 5/10</p>');
  });
  it('show what an inline style hides, as with the hidden attribute, but not in SVG', () => {
    assert.equal(clean('<p>A <span style="display: none">B</span> <span style="visibility:hidden !important; color: red">C</span> <span hidden>D</span></p>'), '<p>A <span>B</span> <span style="color: red">C</span> <span>D</span></p>');
    assert.equal(clean('<div style="display: block">E</div>'), '<div style="display: block">E</div>');
    // The other ways pages hide text: no opacity, no size, a font of no size, no colour, off the page, scaled to nothing.
    const hidden = ['opacity: 0', 'max-height: 0; overflow: hidden', 'height:0', 'width: 1px; height: 1px', 'font-size: 0', 'font-size: 1px', 'color: transparent', 'color: rgba(0, 0, 0, 0)', 'color: rgb(0 0 0 / 0%)', 'text-indent: -9999px', 'transform: scale(0)'];
    assert.equal(clean(hidden.map((css, i) => `<div style="${css}">T${i}</div>`).join('')), hidden.map((css, i) => `<div${css.includes('overflow') ? ' style="overflow: hidden"' : ''}>T${i}</div>`).join(''));
    const shown = ['opacity: 0.5', 'font-size: 0.8em', 'color: rgba(0, 0, 0, 0.6)', 'text-indent: -1em', 'transform: scale(0.9)', 'max-height: 20em'];
    assert.equal(clean(shown.map((css) => `<div style="${css}">T</div>`).join('')), shown.map((css) => `<div style="${css}">T</div>`).join(''));
    assert.match(clean('<svg width="10" height="10"><rect style="display: none" width="1" height="1"/></svg>'), /<rect style="display: none"/);
  });
});

describe('very many nodes in one place', () => {
  it('an element that is unwrapped keeps its 200,000 children (spread into one call, they overflowed the stack)', () => {
    const html = `<x-foo>${'<b>a</b>'.repeat(200_000)}</x-foo>`;
    const { nodes } = sanitizeHtml(html, html);
    assert.equal(nodes.length, 200_000);
    assert.ok(nodes.every((n) => typeof n !== 'string' && n.tag === 'b'));
  });
  it('40,000 elements of the same id get x, x-1, x-2... past the ids already taken', () => {
    const ids = new IdAllocator(new Set(['x-2', 'x-5']));
    const given = Array.from({ length: 40_000 }, () => ids.claim('x'));
    assert.deepEqual(given.slice(0, 6), ['x', 'x-1', 'x-3', 'x-4', 'x-6', 'x-7']);
    assert.equal(given.at(-1), 'x-40001');
    assert.equal(new Set(given).size, 40_000);
    assert.equal(ids.claim('x-7'), 'x-7-1');
  });
  it('a Kobo paragraph of 200,000 sentences gets a span for each', () => {
    const p = el('p', {}, ['Before. ', Array.from({ length: 200_000 }, (_, i) => `S${i}.`).join(' '), el('b', {}, ['Bold.']), ' After.']);
    addKoboSpans([p]);
    assert.equal(p.children.length, 200_003);
    const ids = p.children.map((c) => (typeof c === 'string' ? c : c.attrs.get('id') ?? c.tag));
    assert.deepEqual([...ids.slice(0, 3), ...ids.slice(-3)], ['kobo.1.1', 'kobo.1.2', 'kobo.1.3', 'kobo.1.200001', 'b', 'kobo.1.200003']);
    assert.equal(serialize(p.children.slice(-3)), '<span class="koboSpan" id="kobo.1.200001">S199999.</span><b><span class="koboSpan" id="kobo.1.200002">Bold.</span></b><span class="koboSpan" id="kobo.1.200003"> After.</span>');
  });
});

describe('tokens located in list items and quotes', () => {
  // The place of the link written out (quire-pos), against where it is in the text.
  const linkAt = (md: string) => {
    const m = /<a data-quire-pos="(\d+)"/.exec(markdownToHtml(md, { math: true }).html);
    return [Number(m?.[1]), md.indexOf('[x](y)')];
  };
  it('include a code block of 9,000 lines in a list item, with the link after it in its place', () => {
    const md = `1. Run:\n\n   \`\`\`\n${'   line\n'.repeat(9_000)}   \`\`\`\n\n   See [x](y).\n`;
    const [at, expected] = linkAt(md);
    assert.equal(at, expected);
    assert.equal(markdownToHtml(md, { math: true }).html.match(/^line$/gm)?.length, 8_999);
  });
  it('find paragraphs of two lines in a long quote in linear time', () => {
    const started = performance.now();
    const [at, expected] = linkAt(`${'>a\n>a\n>\n'.repeat(60_000)}>[x](y)\n`);
    assert.ok(performance.now() - started < 20_000, 'a quadratic search takes a minute here');
    assert.equal(at, expected);
  });
});

describe('heading ids beside images', () => {
  it('are GitHub\'s: the images\' alt text is not in them, the spaces around them are (links written for GitHub find them)', () => {
    const nodes = [
      el('h2', {}, ['Contributors ', el('a', { href: 'https://x' }, [el('img', { src: 'a.svg', alt: 'Good first issue' }, [])]), ' ', el('a', { href: 'https://y' }, [el('img', { src: 'b.svg', alt: 'Commits' }, [])])]),
      el('h2', {}, [el('img', { src: 'l.png', alt: 'logo' }, []), ' Project']),
      el('h2', {}, [el('img', { src: 'o.png', alt: 'Only' }, [])]),
    ];
    const sections = processHeadings(nodes, new IdAllocator(new Set()));
    assert.deepEqual(sections.map((s) => [s.id, s.text]), [['contributors--', 'Contributors'], ['-project', 'Project'], ['only', 'Only']]);
  });
});

describe('decoding pages and feeds', () => {
  it('reads windows-1252 and the labels that mean it with its quotes and dashes; UTF-8 when the bytes are, else windows-1252', () => {
    const bytes = Buffer.from([0x93, 0x41, 0x94, 0x20, 0x96, 0x20, 0x80, 0x85, 0x99, 0xe9, 0x81]);
    for (const label of ['windows-1252', 'ISO-8859-1', 'latin1', 'us-ascii', undefined, 'no-such-charset']) assert.equal(decodeBytes(bytes, label), '\u201cA\u201d \u2013 \u20ac\u2026\u2122\u00e9\u0081', String(label));
    assert.equal(decodeBytes(Buffer.from('caf\u00e9 \u2014', 'utf8'), undefined), 'caf\u00e9 \u2014');
    assert.equal(decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0xc3, 0xa9]), 'windows-1252'), '\u00e9');
    assert.equal(decodeBytes(Buffer.from([0x8a, 0x9a]), 'windows-1250'), '\u0160\u0161');
    // UTF-8 with one stray byte is UTF-8 still (one U+FFFD); a feed that declares nothing is UTF-8.
    assert.equal(decodeBytes(Buffer.concat([Buffer.from('caf\u00e9 \u2014 ', 'utf8'), Buffer.from([0x92])]), undefined), 'caf\u00e9 \u2014 \ufffd');
    assert.equal(decodeBytes(Buffer.from([0x41, 0x92]), undefined, true), 'A\ufffd');
    // windows-1252 that happens to hold a valid UTF-8 pair (`É` and a no-break space) is windows-1252.
    assert.equal(decodeBytes(Buffer.from('caf\u00e9 na\u00efve. \u00ab \u00c9T\u00c9\u00a0\u00bb fin', 'latin1'), undefined), 'caf\u00e9 na\u00efve. \u00ab \u00c9T\u00c9\u00a0\u00bb fin');
  });
});

describe('heading ids and spaces', () => {
  it('keep the spaces as written, as GitHub does (`## Foo  Bar` is `#foo--bar`); a line break is one space', () => {
    const body = '# Big  Title\n\n## Foo  Bar\n\nSet  ext\nline\n---\n\n<h2>\n  Laid   out\n  over lines\n</h2>\n\n[a](#big--title) [b](#foo--bar)\n';
    const chapter = renderChapter({ file: '/a/t.md', name: 't.md', slug: 't', body, meta: { authors: [] } }, renderSettings());
    assert.deepEqual(chapter.sections.map((s) => [s.id, s.text]), [['foo--bar', 'Foo Bar'], ['set--ext-line', 'Set ext line'], ['laid---out-over-lines', 'Laid out over lines']]);
    assert.equal(chapter.titleId, 'big--title');
    assert.match(chapter.body, /<a href="#big--title">a<\/a> <a href="#foo--bar">b<\/a>/);
  });
});

describe("GitHub's pictures for its light and dark themes", () => {
  it('keep the light one of a pair, and a dark one alone', () => {
    const body = '# T\n\n![Logo](light.png#gh-light-mode-only)\n![Logo](dark.png#gh-dark-mode-only)\n\n[![b](https://x.org/l.svg#gh-light-mode-only)](https://x.org) [![b](https://x.org/d.svg#gh-dark-mode-only)](https://x.org)\n\n![Only](alone.png#gh-dark-mode-only)\n';
    const chapter = renderChapter({ file: '/a/t.md', name: 't.md', slug: 't', body, meta: { authors: [] } }, renderSettings());
    assert.deepEqual(chapter.images.map((i) => i.target), ['light.png#gh-light-mode-only', 'https://x.org/l.svg#gh-light-mode-only', 'alone.png#gh-dark-mode-only']);
    assert.equal(chapter.links.length + (chapter.body.match(/<a href="https:\/\/x\.org">/g) ?? []).length, 1, 'one link left of the badge pair');
  });
});

describe('heading levels', () => {
  const levels = (body: string) => renderChapter({ file: '/a/t.md', name: 't.md', slug: 't', body, meta: { authors: [] } }, renderSettings()).sections.map((s) => `${s.level} ${s.text}`);
  it('keep headings written at one level at one level when they skip levels: siblings stay siblings', () => {
    // A post that starts its sections at `###`: all three were h2, h3, h3, the last two out of the contents.
    assert.deepEqual(levels('# Title\n\n### Install\n\nRun.\n\n### Configure\n\n### Run\n'), ['2 Install', '2 Configure', '2 Run']);
    // `##` then `####` options: each option one level down, side by side.
    assert.deepEqual(levels('# T\n\n## Options\n\n#### --verbose\n\n#### --quiet\n\n## Next\n\n### Sub\n\n##### Deep\n'), ['2 Options', '3 --verbose', '3 --quiet', '2 Next', '3 Sub', '4 Deep']);
    // A heading above the first ones written (a second `#`) is a section of the chapter too.
    assert.deepEqual(levels('# T\n\n### a\n\n# B\n\n## c\n'), ['2 a', '2 B', '3 c']);
  });
});

describe('headings by the hundred thousand', () => {
  it('are numbered and listed without overflowing the stack (an include or list items can hold that many)', () => {
    const nodes = [el('div', { class: 'quire-toc' }, []), ...Array.from({ length: 150_000 }, (_, i) => el(i % 2 ? 'h3' : 'h2', {}, [`H${i}`]))];
    const sections = processHeadings(nodes, new IdAllocator(new Set()));
    assert.equal(sections.length, 150_000);
    fillContents(nodes, sections);
  });
  it('count in list items and quotes against the limit of an article', () => {
    assert.equal(countBlocks('- # a\n> ## b\n1. ### c\n  - # d\n    # indented code\n').headings, 4);
  });
});

describe("a chapter's own table of contents", () => {
  const body = (md: string) => renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: md, meta: { authors: [] } }, renderSettings()).body;
  it("leaves out a heading marked {: .no_toc}, as kramdown does, and so does the book's contents", () => {
    const chapter = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: '# T\n\n## Table of contents\n{: .no_toc .text-delta }\n\n1. TOC\n{:toc}\n\n## Install\n\n## Use\n', meta: { authors: [] } }, renderSettings());
    assert.match(chapter.body, /<h2 id="table-of-contents" class="no_toc text-delta">Table of contents<\/h2>\n<div class="contents"><ul><li><a href="#install">Install<\/a><\/li><li><a href="#use">Use<\/a><\/li><\/ul><\/div>/);
    assert.deepEqual(chapter.sections.map((s) => s.text), ['Install', 'Use']);
  });
  it("shows each entry as its heading shows it: typography done once, the heading's code as written", () => {
    const xhtml = body('# T\n\n[TOC]\n\n## `f(a = { ... })` and "x" -- y\n');
    assert.match(xhtml, /<li><a href="#[^"]*">f\(a = \{ \.\.\. \}\) and “x” – y<\/a><\/li>/);
  });
  it("is not asked for by a quote's lazy continuation line, which is the quote's text, and the other paragraphs keep theirs", () => {
    for (const marker of ['[TOC]', '[[toc]]', '${toc}', '{{#title x}}']) {
      const xhtml = body(`# T\n\n## One\n\nzq0 para **bold**\n\n> zq2 text\n${marker}\n\nzq3\n`);
      assert.match(xhtml, /<h2 id="one">One<\/h2>\n<p>zq0 para <strong>bold<\/strong><\/p>\n<blockquote>\n<p>zq2 text\n([^<]*)<\/p>\n<\/blockquote>\n<p>zq3<\/p>/, marker);
      assert.doesNotMatch(xhtml, /undefined|class="contents"/, marker);
    }
  });
  it('is asked for in a list item by a marker on a line of its own, and not by one text goes on from', () => {
    const list = '<div class="contents"><ul><li><a href="#a">A</a></li><li><a href="#b">B</a></li></ul></div>';
    assert.ok(body('# T\n\n- one\n\n- [TOC]\n\n- three\n\n## A\n\n## B\n').includes(`<li><p>one</p>\n</li>\n<li>${list}\n</li>`));
    assert.ok(body('# T\n\n1. one\n\n   [[_TOC_]]\n\n2. two\n\n## A\n\n## B\n').includes(`<li><p>one</p>\n${list}\n</li>`));
    assert.ok(body('# T\n\n- ${toc}\n- two\n\n## A\n\n## B\n').includes(`<li>${list}\n</li>`));
    for (const md of ['- one\n  [TOC]\n', '- [TOC]\n  more\n', '- one\n\n  [TOC] more\n']) {
      const xhtml = body(`# T\n\n${md}\n## A\n`);
      assert.match(xhtml, /\[TOC\]/, md);
      assert.doesNotMatch(xhtml, /class="contents"|quire-toc/, md);
    }
  });
  it("is asked for by markdown-it-toc's `@[toc]`, under the title written after it", () => {
    assert.ok(body('# T\n\n@[TOC](Table of "contents")\n\n## A\n\n## B\n').includes('<p class="contents-title">Table of “contents”</p>\n<div class="contents"><ul><li><a href="#a">A</a></li><li><a href="#b">B</a></li></ul></div>'));
    assert.ok(body('# T\n\n@[toc]\n\n## A\n').includes('<div class="contents"><ul><li><a href="#a">A</a></li></ul></div>'));
    assert.match(body('# T\n\n@[toc](x) and more\n\n## A\n'), /<p>@\0L0\0toc\0E0\0 and more<\/p>/, 'a link when text goes on from it');
  });
  it('is at the first marker only: 3,000 markers and headings in linear time and memory', () => {
    const started = performance.now();
    const xhtml = body(`# Big\n\n${Array.from({ length: 3_000 }, (_, i) => `[TOC]\n\n## H${i}\n`).join('\n')}`);
    assert.ok(performance.now() - started < 10_000, 'a list at each marker ran out of memory');
    assert.equal(xhtml.match(/<div class="contents">/g)?.length, 1);
    assert.equal(xhtml.match(/<li><a href="#h\d+">/g)?.length, 3_000);
    // The others are left out of their parent at once: 100,000 in one quote took 14 s, one splice each.
    const quoted = body(`# T\n\n## a\n\n${'> [TOC]\n>\n> text\n>\n'.repeat(30_000)}`);
    assert.equal(quoted.match(/<div class="contents">/g)?.length, 1);
    assert.equal(quoted.match(/<p>text<\/p>/g)?.length, 30_000);
    assert.doesNotMatch(quoted, /quire-toc/);
  });
});

describe('raw-text elements written in a sentence (<textarea>, <xmp>, <noembed>, <plaintext>, <script>...)', () => {
  const body = (md: string) => renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: md, meta: { authors: [] } }, renderSettings()).body;
  it('show their text as it is written, with no marker of quire inside, and straight quotes', () => {
    const xhtml = body('# T\n\nA <textarea>plain *text* only</textarea> end.\n\nCopy: <textarea><iframe src="https://x.org/e"></iframe></textarea>\n\nB <XMP>x < y & *z*</XMP> c.\n\n<noembed>no embed text</noembed>\n');
    assert.doesNotMatch(xhtml, /quire-pos/);
    assert.match(xhtml, /<p>A <code>plain \*text\* only<\/code> end\.<\/p>/);
    assert.match(xhtml, /<p>Copy: <code>&lt;iframe src="https:\/\/x\.org\/e"&gt;&lt;\/iframe&gt;<\/code><\/p>/);
    assert.match(xhtml, /<pre>x &lt; y &amp; \*z\*<\/pre>/);
    assert.match(xhtml, /<p>no embed text<\/p>/);
  });
  it('left open in a sentence, are words of it, shown as written as on GitHub; in a block, end with the block', () => {
    const xhtml = body('# T\n\nA <textarea>open *text*\n\nNext with <b>bold</b>.\n\nA <plaintext>pt\n\n<div><TEXTAREA>\nblock open\n\nAfter <b>b</b>.\n');
    assert.match(xhtml, /<p>A &lt;textarea&gt;open <em>text<\/em><\/p>/);
    assert.match(xhtml, /<p>Next with <b>bold<\/b>\.<\/p>/);
    assert.match(xhtml, /<p>A &lt;plaintext&gt;pt<\/p>/);
    assert.match(xhtml, /<pre>block open<\/pre><p>After <b>b<\/b>\.<\/p>/);
    const many = body(`# T\n\n${'a <textarea>x '.repeat(20_000)}\n`);
    assert.equal(many.split('&lt;textarea&gt;x').length - 1, 20_000);
  });
  it("<script>, <style>, <iframe> and <title> in a sentence are shown as written, as GitHub's tag filter shows them", () => {
    const xhtml = body('# T\n\nVia a <style> element in the file.\n\n- Make <script> in Head behave correctly\n- Next\n\nUse <iframe> to embed it.\n\n| a | b |\n|---|---|\n| <SCRIPT> tag | kept |\n\nClosed <script>alert(1)</script> and <title>T</title> too.\n');
    assert.match(xhtml, /<p>Via a &lt;style&gt; element in the file\.<\/p>/);
    assert.match(xhtml, /<li>Make &lt;script&gt; in Head behave correctly<\/li>/);
    assert.match(xhtml, /<p>Use &lt;iframe&gt; to embed it\.<\/p>/);
    assert.match(xhtml, /<td>&lt;SCRIPT&gt; tag<\/td>/);
    assert.match(xhtml, /<p>Closed &lt;script&gt;alert\(1\)&lt;\/script&gt; and &lt;title&gt;T&lt;\/title&gt; too\.<\/p>/);
    assert.doesNotMatch(xhtml, /<script|<style|<iframe|<title/);
    // Written with attributes, an element as before (an embedded page is its link); in a drawing, the drawing's.
    assert.match(body('# T\n\nDemo: <iframe src="https://x.org/e" title="Demo video"></iframe> here.\n'), /<p>Demo: <a href="https:\/\/x\.org\/e">Demo video<\/a> here\.<\/p>/);
    assert.match(body('# T\n\nA <svg width="9" height="9"><title>Logo</title><circle r="1"/></svg> b.\n'), /<svg [^>]*><title>Logo<\/title>/);
    // On a line of its own, raw HTML as before: a script is left out.
    assert.doesNotMatch(body('# T\n\n<script>\nalert(1)\n</script>\n\nText.\n'), /alert/);
  });
  it('in an HTML block, a placeholder or a type is shown as written and an address in angle brackets is a link', () => {
    const xhtml = body('# T\n\n<pre>\nOptional<String> name = lookup(id);\n</pre>\n\n<table>\n<tr><td>Returns <code>List<Item></code>; mail <help@example.com> or <mailto:h@x.org>, see <https://example.com/d?a=1&b=2></td></tr>\n</table>\n\n<!-- TODO --> Write about Vec<T>.\n\n<div><svg><rect/><text>x</text></svg> <my-widget>, <custom>closed</custom>, <b>b</b></div>\n');
    assert.match(xhtml, /<pre>Optional&lt;String&gt; name = lookup\(id\);\n<\/pre>/);
    assert.match(xhtml, /<td>Returns <code>List&lt;Item&gt;<\/code>; mail <a href="mailto:help@example\.com">help@example\.com<\/a> or <a href="mailto:h@x\.org">mailto:h@x\.org<\/a>, see <a href="https:\/\/example\.com\/d\?a=1&amp;b=2">https:\/\/example\.com\/d\?a=1&amp;b=2<\/a><\/td>/);
    assert.match(xhtml, / Write about Vec&lt;T&gt;\./);
    assert.match(xhtml, /<rect><\/rect><text>x<\/text><\/svg> &lt;my-widget&gt;, closed, <b>b<\/b><\/div>/);
  });
  it('a bare address with an entity in it (`?a=1&amp;b=2`) leads where its text says, as on GitHub', () => {
    assert.match(body('# T\n\nSee https://x.org/s?a=1&amp;b=2 now, www.x.org/?q=&lt;3.\n'), /<p>See <a href="https:\/\/x\.org\/s\?a=1&amp;b=2">https:\/\/x\.org\/s\?a=1&amp;b=2<\/a> now, <a href="http:\/\/www\.x\.org\/\?q=%3C3">www\.x\.org\/\?q=&lt;3<\/a>\.<\/p>/);
  });
  it('an HTML block of tags run together without a space (`<abc<abc…`), or of many bare names, is read in linear time, each `<` shown', () => {
    const started = performance.now();
    const xhtml = body(`# T\n\n<div>\n${'<abc'.repeat(50_000)} <a b${'<c'.repeat(50_000)}\n</div>\n\n<div>\n${'<g> '.repeat(100_000)}\n</div>\n`);
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
    assert.equal(xhtml.split('&lt;g&gt;').length - 1, 100_000);
    assert.equal(xhtml.split('&lt;abc').length - 1, 50_000);
    assert.equal(xhtml.split('&lt;c').length - 1, 50_000);
  });
  it('a placeholder or a type written as a tag in a sentence is shown as written; elements and components are not', () => {
    const xhtml = body('# T\n\nReplace <your-token> with it, or npm install <package-name>. Returns Promise<void> or Observable<T>, Array<Props>, <path d>.\n\nA <my-el>kept</my-el>, <x-y a="1">, <b>bold</b>, <Badge text="x"/> and <ClientOnly>in</ClientOnly>.\n\n<svg><path d="M0 0"/></svg> and <circle>\n');
    assert.match(xhtml, /<p>Replace &lt;your-token&gt; with it, or npm install &lt;package-name&gt;\. Returns Promise&lt;void&gt; or Observable&lt;T&gt;, Array&lt;Props&gt;, &lt;path d&gt;\.<\/p>/);
    assert.match(xhtml, /<p>A kept, , <b>bold<\/b>, <span>x<\/span> and in\.<\/p>/);
    // A component with nothing to show, in a sentence of a document that is not MDX (gatsby's changelog).
    assert.match(body('# T\n\n- Fast Refresh for <Root /> #30901, <Foo/> and <br /> and <hr/>\n'), /<li>Fast Refresh for &lt;Root \/&gt; #30901, &lt;Foo\/&gt; and <br\/> and <hr\/><\/li>/);
    assert.doesNotMatch(xhtml, /&lt;circle/, 'beside an inline drawing, SVG elements are its');
    const many = body(`# T\n\n${'a <x-y> '.repeat(20_000)}\n`);
    assert.equal(many.split('&lt;x-y&gt;').length - 1, 20_000);
    // On a line of its own (an HTML block to CommonMark) too, unless the article ends such an element.
    const lines = body('# T\n\nRun:\n\n<package-name>\n\n> <url>\n\n<custom-block>\n\ninside\n\n</custom-block>\n');
    assert.match(lines, /<p>Run:<\/p>\n<p>&lt;package-name&gt;<\/p>\n<blockquote>\n<p>&lt;url&gt;<\/p>\n<\/blockquote>\n<p>inside<\/p>/);
    assert.match(body('# T\n\n- <name>\n- b\n'), /<li>&lt;name&gt;<\/li>/);
    // A component named as an HTML element in another case, with nothing else to show: as written too.
    assert.match(body('# T\n\nUse <Link> to go, <Title> to name, <Button>Click</Button>, <Nav to="/b">x</Nav>.\n'), /<p>Use &lt;Link&gt; to go, &lt;Title&gt; to name, Click, x\.<\/p>/);
    assert.match(body('# T\n\n<Link>\n\nMore.\n'), /<p>&lt;Link&gt;<\/p>\n<p>More\.<\/p>/);
    // HTML's elements that show nothing bare, or take the rest of the chapter apart, likewise; wrapping ones stay.
    const apart = body('# T\n\n"<object>" tags need alternative content; cp <input> <output file>, the <h2> element, a <b>bold</b> <select>x</select>.\n\n## After\n\n- item\n');
    assert.match(apart, /<p>“&lt;object&gt;” tags need alternative content; cp &lt;input&gt; &lt;output file&gt;, the &lt;h2&gt; element, a <b>bold<\/b> <span>x<\/span>\.<\/p>\n<h2 id="after">After<\/h2>\n<ul>\n<li>item<\/li>/);
    assert.match(body('# T\n\n<template>\n\nMore.\n'), /<p>&lt;template&gt;<\/p>\n<p>More\.<\/p>/);
    // Elements whose end tag may be left out are elements where their paragraph ends what holds them, words
    // elsewhere; one the article ends further on (not in code) is an element.
    assert.match(body('# T\n\nPut each item in an <li> element, a <td> cell, end of <body> please.\n\n- The <li> element\n'), /<p>Put each item in an &lt;li&gt; element, a &lt;td&gt; cell, end of &lt;body&gt; please\.<\/p>\n<ul>\n<li>The &lt;li&gt; element<\/li>/);
    assert.match(body('# T\n\nUse the <table> element.\n\n```html\n<table></table>\n```\n'), /<p>Use the &lt;table&gt; element\.<\/p>/);
    assert.match(body('# T\n\nA list: <ul><li>one<li>two</ul> end.\n'), /<ul><li>one<\/li><li>two<\/li><\/ul>/);
    assert.match(body('# T\n\n<dl>\n\n<dt>\n\nTerm\n\n<dd>\n\nDef\n\n</dl>\n'), /<dl><dt>/);
    assert.match(body('# T\n\nIntro <table>\n<tr><td>a</td></tr>\n</table>\n'), /<table>\n<tbody><tr><td>a<\/td><\/tr>/);
    // `<Br>` is HTML's line break, in any case.
    assert.match(body('# T\n\nline<Br>two<BR/>three\n'), /<p>line<br\/>two<br\/>three<\/p>/);
    // In a heading, shown too, but its id is GitHub's (GitHub drops them), so that links written for GitHub find it.
    // The title's id too.
    assert.match(body('# Promise<void>\n\nSee [it](#promise).\n'), /<h1 id="promise" class="chapter-title">Promise<span>&lt;void&gt;<\/span><\/h1>/);
    assert.match(body('# T\n\n## Promise<void> and Map<K>\n\nSee [it](#promise-and-map).\n'), /<h2 id="promise-and-map">Promise<span>&lt;void&gt;<\/span> and Map<span>&lt;K&gt;<\/span><\/h2>\n<p>See <a href="#promise-and-map">it<\/a>/);
    // Beside an inline drawing, outside it, too; `<Svg>` is a component's name.
    assert.match(body('# T\n\nDraw <svg><title>T</title></svg> then npm i <package-name> and Promise<void>.\n'), /<\/svg> then npm i &lt;package-name&gt; and Promise&lt;void&gt;\.<\/p>/);
    assert.match(body('# T\n\nUse <Svg> or <Link> here.\n'), /<p>Use &lt;Svg&gt; or &lt;Link&gt; here\.<\/p>/);
  });
  it('a `<` that is no tag, after an inline `<code>`, `<kbd>` or `<pre>`, is shown as written, as GitHub shows it', () => {
    // iso-codes' changelog: "codes to <country_code>-<code> instead of" leaves a `<code>` open; a `<country_code>`
    // after it was given to the HTML parser as written, read as a tag, and the words up to its `>` were lost.
    assert.match(body('# T\n\nA <code> x <country_code> y.\n'), /<p>A <code> x &lt;country_code&gt; y\.<\/code><\/p>/);
    assert.match(body('# T\n\nIn <kbd>a <_b</kbd> and <code>x<y_z>w</code>, <code>&lt;div&gt; a<b</code>.\n'), /<p>In <kbd>a &lt;_b<\/kbd> and <code>x&lt;y_z&gt;w<\/code>, <code>&lt;div&gt; a&lt;b<\/code>\.<\/p>/);
    // Tags inside stay tags.
    assert.match(body('# T\n\nA <code>x <b>y</b></code> z.\n'), /<p>A <code>x <b>y<\/b><\/code> z\.<\/p>/);
  });
  it('`<Details>` and `<Summary>` written with capitals are HTML\'s outside MDX: the summary heads its block', () => {
    // Node.js's collaborator guide: `<details>` then `<Summary>Manual Landing Steps</Summary>`; the summary was a
    // component, unwrapped, and its words ran into the block's first paragraph ("Manual Landing StepsClear any").
    assert.match(body('# T\n\n<details>\n<Summary>Manual Landing Steps</Summary>\n\nClear any `am`.\n\n</details>\n'), /<div class="details"><p class="details-summary">Manual Landing Steps<\/p>\n<p>Clear any <code>am<\/code>\.<\/p>\n<\/div>/);
    assert.match(body('# T\n\n<Details open>\n<Summary>Both</Summary>\n\nBody **here**.\n\n</Details>\n'), /<div class="details"><p class="details-summary">Both<\/p>\n<p>Body <strong>here<\/strong>\.<\/p>\n<\/div>/);
    // A placeholder in a sentence stays as written; a site's `<Details summary="…">` stays a component, its summary shown.
    assert.match(body('# T\n\nA <Summary> in a sentence.\n'), /<p>A &lt;Summary&gt; in a sentence\.<\/p>/);
    assert.match(body('# T\n\n<Details summary="Click me">\n\nInside.\n\n</Details>\n'), /<div><p><strong>Click me<\/strong><\/p><p>Inside\.<\/p>/);
    // In MDX, they are components as before.
    const mdx = renderChapter({ file: '/a/x.mdx', name: 'x.mdx', slug: 'x', body: '# T\n\n<details>\n<Summary>Label</Summary>\n\nText.\n\n</details>\n', meta: { authors: [] } }, renderSettings()).body;
    assert.doesNotMatch(mdx, /details-summary/);
  });
  it('stay linear: 20,000 of them in a paragraph, and one left open before 100,000 tokens', () => {
    const many = body(`# T\n\n${'a <textarea>x</textarea> '.repeat(20_000)}\n`);
    assert.equal(many.split('<code>x</code>').length - 1, 20_000);
    const open = body(`# T\n\n<textarea>${'*a* '.repeat(100_000)}\n`);
    assert.equal(open.split('*a*').length - 1, 100_000);
  });
});

describe('note ids', () => {
  it("keep their notes when the author's ids are the same: the author's give way", () => {
    const xhtml = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: '# T\n\n## Five\n{: #x-fn1}\n\nText[^1] and <span id="x-fnref1">x</span>.\n\n[^1]: The note.\n', meta: { authors: [] } }, renderSettings()).body;
    assert.match(xhtml, /<h2 id="x-fn1-1">Five<\/h2>/);
    assert.match(xhtml, /<a href="#x-fn1" id="x-fnref1" class="noteref"/);
    assert.match(xhtml, /<span id="x-fnref1-1">x<\/span>/);
    assert.match(xhtml, /<aside id="x-fn1" class="footnote"/);
  });
});

describe('abbreviations', () => {
  const body = (md: string) => renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: md, meta: { authors: [] } }, renderSettings()).body;
  it('write the expansion after the first use of an abbreviation in a chapter: e-readers show no tooltips', () => {
    const xhtml = body('# Title\n\nSee the <abbr title="World  Health\nOrganization">WHO</abbr> report; the <abbr title="World Health Organization">WHO</abbr> says so.\n\n<acronym title="North Atlantic Treaty Organization">NATO</acronym>.\n');
    assert.match(xhtml, /the <abbr title="World  Health&#10;Organization">WHO<\/abbr> \(World Health Organization\) report; the <abbr title="World Health Organization">WHO<\/abbr> says so\./);
    assert.match(xhtml, /<abbr title="North Atlantic Treaty Organization">NATO<\/abbr> \(North Atlantic Treaty Organization\)\./);
  });
  it('are all written out in a paragraph of 50,000, and past a thousand without looking for them in the text', () => {
    const xhtml = body(`# Title\n\n${Array.from({ length: 50_000 }, (_, i) => `<abbr title="Term ${i}">T${i}</abbr> is Term ${i}.`).join(' ')}\n`);
    assert.equal(xhtml.split('</abbr> (Term ').length - 1, 49_000);
    assert.match(xhtml, /<abbr title="Term 999">T999<\/abbr> is Term 999\. <abbr title="Term 1000">T1000<\/abbr> \(Term 1000\) is Term 1000\./);
  });
  it('leave it out where the chapter spells it out already, the title is the text, in headings and in code', () => {
    const md = '# Title\n\n## The <abbr title="Application Programming Interface">API</abbr>\n\nAn Application Programming Interface (<abbr title="Application Programming Interface">API</abbr>).\n\n<abbr title="ok">OK</abbr> <abbr title="">X</abbr> <abbr>Y</abbr>\n\n<pre><code><abbr title="Hypertext">H</abbr></code></pre>\n';
    const xhtml = body(md);
    assert.doesNotMatch(xhtml, /\(Application|\(ok\)|\(Hypertext\)/);
    assert.match(xhtml, /<abbr title="ok">OK<\/abbr> <abbr title="">X<\/abbr> <abbr>Y<\/abbr>/);
  });
});

describe('styles', () => {
  it('drops resources, scripts and positioning', () => {
    assert.equal(sanitizeStyle('color: red; background: url(http://x/y.png); width: expression(alert(1)); position: fixed'), 'color: red');
  });
  it('keeps references inside the document', () => {
    assert.equal(sanitizeStyle('fill: url(#gradient)'), 'fill: url(#gradient)');
  });
});

describe('languages and dates', () => {
  it('checks language tags', () => {
    assert.ok(isLanguageTag('en'));
    assert.ok(isLanguageTag('pt-BR'));
    assert.ok(isLanguageTag('zh-Hant-TW'));
    assert.ok(!isLanguageTag('english language'));
    assert.ok(!isLanguageTag(''));
  });
  it('knows right-to-left languages', () => {
    assert.ok(isRightToLeft('ar'));
    assert.ok(isRightToLeft('he-IL'));
    assert.ok(isRightToLeft('fa'));
    assert.ok(!isRightToLeft('en'));
    assert.ok(!isRightToLeft('az-Latn'));
  });
  it('checks W3C dates', () => {
    for (const d of ['2024', '2024-05', '2024-05-01', '2024-05-01T10:00:00Z', '2024-05-01T10:00+02:00']) assert.ok(isW3cDate(d), d);
    for (const d of ['05/01/2024', '2024-13-01', 'yesterday', '2024-5-1']) assert.ok(!isW3cDate(d), d);
  });
});

describe('diagnostics', () => {
  it('finds lines and columns', () => {
    assert.deepEqual(placeOf('ab\ncd\nef', 4), { line: 2, column: 2 });
    assert.deepEqual(placeOf('ab', 0), { line: 1, column: 1 });
  });
  it('formats as path:line:col: severity: message [code]', () => {
    const d = { file: '/w/articles/a.md', line: 3, column: 7, severity: 'error' as const, code: 'front-matter-yaml' as const, message: 'bad' };
    assert.equal(formatDiagnostic(d, '/w'), 'articles/a.md:3:7: error: bad [front-matter-yaml]');
    assert.equal(formatDiagnostic({ ...d, line: undefined, column: undefined }, '/w'), 'articles/a.md: error: bad [front-matter-yaml]');
  });
});

describe('titles from file names', () => {
  it('drops dates, extensions and separators', () => {
    assert.equal(titleFromFileName('2023-05-01-my_first-post.md'), 'My first post');
    assert.equal(titleFromFileName('notes.MARKDOWN'), 'Notes');
    assert.equal(titleFromFileName('日本語.md'), '日本語');
  });
  it("name a subfolder's own page after its folder", () => {
    assert.equal(titleFromFileName('02-getting_started/index.md'), 'Getting started');
    assert.equal(titleFromFileName('api/README.md'), 'Api');
    assert.equal(titleFromFileName('api/intro.md'), 'Intro');
    assert.equal(titleFromFileName('README.md'), 'README');
  });
  it('are taken when the first heading is not a `#` one: a later `#` heading stays in its place', () => {
    const chapter = (body: string, name: string) => renderChapter({ file: `/a/${name}`, name, slug: 'x', body, meta: { authors: [] } }, renderSettings());
    // A conventional changelog: `#` for minor releases, `##` for patches, the newest first.
    const log = chapter('## 1.1.1\n* fix one\n## 1.1.0-beta\n* fix two\n# 1.1.0\n* feature three\n## 1.0.1\n* fix four\n# 1.0.0\n* first\n', 'CHANGELOG.md');
    assert.equal(log.title, 'CHANGELOG');
    assert.deepEqual([...log.body.matchAll(/<h(\d)[^>]*>([^<]*)<\/h\d>\n<ul>\n<li>([^<]*)</g)].map((m) => `${m[1]} ${m[2]}: ${m[3]}`), ['2 1.1.1: fix one', '2 1.1.0-beta: fix two', '2 1.1.0: feature three', '3 1.0.1: fix four', '2 1.0.0: first']);
    // A README whose sections are `##` and whose last is `# License`; a logo before the title is fine.
    assert.equal(chapter('<p align="center"><img src="logo.png" alt="koa"></p>\n\nIntro.\n\n## Install\n\nnpm i.\n\n# License\n\nMIT\n', 'koa.md').title, 'Koa');
    assert.equal(chapter('<p align="center"><img src="logo.png" alt="koa"></p>\n\n# koa\n\n## Install\n', 'readme.md').title, 'koa');
    assert.equal(chapter('[![npm](https://x.org/b.svg)](https://x.org/p)\n\n# koa\n\n## Install\n', 'readme.md').title, 'koa');
    assert.equal(chapter('这是介绍。\n\n# 入门\n\n正文。\n', '入门.md').title, '入门', 'a title of two Chinese characters names its file');
    // Words before the first `#` heading: it stays under them, where it was written (ioredis's README).
    const intro = chapter('Intro, with a [notice](https://x.org).\n\n# Features\n\nText under features.\n', 'README.md');
    assert.equal(intro.title, 'README');
    assert.match(intro.body, /<\/header>\s*<p>Intro, with a [^]*?<\/p>\s*<h2 id="features">Features<\/h2>\s*<p>Text under features\.<\/p>/);
  });
});

describe('front matter dir', () => {
  it('reads rtl and ltr (any case), ignores auto, and reports anything else at its place', () => {
    assert.equal(splitFrontMatter('---\ndir: RTL\n---\nx', 'a.md').meta.dir, 'rtl');
    assert.equal(splitFrontMatter('---\ndir: ltr\n---\nx', 'a.md').meta.dir, 'ltr');
    const auto = splitFrontMatter('---\ndir: auto\n---\nx', 'a.md');
    assert.equal(auto.meta.dir, undefined);
    assert.deepEqual(auto.diagnostics, []);
    const bad = splitFrontMatter('---\ntitle: A\ndir: sideways\n---\nx', 'a.md');
    assert.deepEqual(bad.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`), ['3:6 error front-matter-value: `dir` must be `rtl` (right to left) or `ltr` (left to right)']);
  });
});

describe('direction of text blocks', () => {
  it('is the direction of the first strong letter, past digits, punctuation and code', () => {
    assert.equal(firstStrong(['12. «', el('code', {}, ['npm']), ' שלום world']), 'rtl');
    assert.equal(firstStrong([' 3.14 ', el('em', {}, ['Hello']), ' مرحبا']), 'ltr');
    assert.equal(firstStrong(['2024 ', el('code', {}, ['x'])]), undefined);
    assert.equal(firstStrong([el('span', { dir: 'ltr' }, ['abc']), 'ܫܠܡܐ']), 'rtl', 'Syriac; an element with its own dir does not count');
  });
  it('marks only the blocks that run against their surroundings', () => {
    const arabic = el('p', {}, ['مرحبا ', el('code', {}, ['npm'])]);
    const english = el('p', {}, ['English inside the quote']);
    const quote = el('blockquote', {}, [el('p', {}, ['اقتباس']), english]);
    const plain = el('p', {}, ['Plain English']);
    markDirections([arabic, quote, plain], 'ltr');
    assert.equal(arabic.attrs.get('dir'), 'rtl');
    assert.equal(quote.attrs.get('dir'), 'rtl');
    assert.equal(english.attrs.get('dir'), 'ltr', 'an English paragraph inside the Arabic quote turns back');
    assert.equal(plain.attrs.has('dir'), false);
    const inArabicBook = el('p', {}, ['English']);
    markDirections([inArabicBook], 'rtl');
    assert.equal(inArabicBook.attrs.get('dir'), 'ltr');
  });
  it('lays out code left to right in right-to-left text', () => {
    const listing = el('pre', {}, [el('code', { class: 'language-js' }, ['const x = foo(1);'])]);
    const inline = el('code', {}, ['a();']);
    const sentence = el('p', {}, ['مثال ', inline, ' هنا']);
    const given = el('pre', { dir: 'rtl' }, ['שיר']);
    markDirections([listing, sentence, given], 'rtl');
    assert.deepEqual([listing.attrs.get('dir'), (listing.children[0] as XElement).attrs.get('dir'), inline.attrs.get('dir'), given.attrs.get('dir')], ['ltr', undefined, 'ltr', 'rtl']);
    const english = el('pre', {}, ['x']);
    markDirections([english], 'ltr');
    assert.equal(english.attrs.has('dir'), false, 'nothing added where the text runs left to right');
  });
});

describe('names of links that hold only an image', () => {
  it('describes the image by where the link leads, and leaves described images and text links alone', () => {
    const badge = el('img', { src: 'https://img.example/badge.svg', alt: '' });
    const described = el('img', { src: 'logo.png', alt: 'Logo' });
    const local = el('img', { src: 'img/the%20logo.png?v=2', alt: '' });
    const inText = el('img', { src: 'icon.png', alt: '' });
    const loose = el('img', { src: 'banner.png', alt: '' });
    nameImageLinks([
      el('a', { href: 'https://ci.example/widget' }, [badge]),
      el('a', { href: 'https://example.org' }, [described]),
      el('a', { href: 'other.md' }, [local]),
      el('a', { href: 'mailto:me@example.org' }, [el('span', {}, [el('img', { src: 'm.png' })])]),
      el('a', { href: 'https://example.org' }, [inText, 'Home']),
      el('p', {}, [loose]),
    ]);
    assert.equal(badge.attrs.get('alt'), 'https://ci.example/widget');
    assert.equal(described.attrs.get('alt'), 'Logo');
    assert.equal(local.attrs.get('alt'), 'the logo.png');
    assert.equal(inText.attrs.get('alt'), '', 'the link has its text');
    assert.equal(loose.attrs.get('alt'), '', 'an image outside a link stays decorative');
  });
});

describe('data: URLs lifted out of an article', () => {
  it('lift only base64 URLs in an image\'s place, put back exactly, with columns as in the file', () => {
    const payload = Buffer.from(Array.from({ length: 1200 }, (_, i) => (i * 7919) & 255)).toString('base64');
    const url = `data:image/png;base64,${payload}`;
    const texts: Record<string, string> = {
      'a.md': `---\ntitle: A\n---\n# A\n\nx ![one](${url}) [b](b.md) <img src="${url}"> <img src=${url}> ![<](<${url}>) end\n`,
      'b.md': `# B\r\n\r\n![crlf](${url}) [a](a.md)\r\n`,
      'c.md': `\uFEFF# C “é”\n\n![bom](${url}) tail\n`,
      // Not lifted: upper-case scheme, a payload that does not read back as written, a space, too short, not an image's place.
      'd.md': `# D\n\n![u](DATA:image/png;base64,${payload}) ![n](data:image/png;base64,${payload.slice(0, -2)}) ![s](data:image/png;base64, ${payload}) ![t](data:image/png;base64,AAAA) text data:image/png;base64,${payload}\n`,
      'e.md': `---\ntitle: "![x](${url})"\n---\n# E\n\n![e](${url})\n`,
    };
    const dir = writeTree(tempDir(), Object.fromEntries(Object.entries(texts).map(([n, t]) => [`articles/${n}`, t])));
    const articlesDir = path.join(dir, 'articles');
    const { articles } = loadArticles(articlesDir, loadConfig(articlesDir, {}, dir).config);
    const lifted = Object.fromEntries(articles.map((a) => [a.name, a.lifted?.spans.length ?? 0]));
    assert.deepEqual(lifted, { 'a.md': 4, 'b.md': 1, 'c.md': 1, 'd.md': 0, 'e.md': 0 });
    for (const a of articles) {
      const decoded = decodeText(fs.readFileSync(a.file), a.file);
      const asRead = splitFrontMatter(decoded.text!, a.file).body;
      const restored = restoreArticle(a);
      assert.equal(restored.body, asRead, a.name);
      assert.equal(restored.lifted, undefined);
      assert.ok(a.body.length < asRead.length || !a.lifted);
      // Every offset of the lifted text outside the references is placed where the file has it.
      let shift = 0;
      const spans = a.lifted?.spans ?? [];
      for (let at = 0, k = 0; at <= a.body.length; at++) {
        while (k < spans.length && spans[k]!.at + spans[k]!.length <= at) shift += spans[k++]!.shorter;
        if (k < spans.length && at > spans[k]!.at) continue;
        assert.deepEqual(placeIn(a, at), placeOf(asRead, at + shift), `${a.name} at ${at}`);
      }
    }
    const a = articles.find((x) => x.name === 'a.md')!;
    assert.equal(a.data!.size, 1, 'one image, decoded once');
    assert.deepEqual([...a.data!.values()][0], Buffer.from(payload, 'base64'));
  });
});


describe("the command's V8 settings", () => {
  const budget = `--interrupt-budget=${INTERRUPT_BUDGET}`;
  const growing = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  it('raises the interrupt budget and lowers the heap growing factor for a build on two cores or fewer, and keeps V8 defaults on more', () => {
    assert.deepEqual(engineFlags(['build', 'articles', '-o', 'w.epub'], 2, []), [budget, growing]);
    assert.deepEqual(engineFlags(['digest'], 1, ['--max-old-space-size=4096']), [budget, growing]);
    assert.deepEqual(engineFlags(['build'], 8, []), []);
  });

  it('keeps V8 defaults in a process that runs on: watch mode and the content server', () => {
    assert.deepEqual(engineFlags(['build', '--watch'], 2, []), []);
    assert.deepEqual(engineFlags(['build', '-w'], 2, []), []);
    assert.deepEqual(engineFlags(['build', '-qw', 'articles'], 2, []), []);
    assert.deepEqual(engineFlags(['serve', 'output'], 2, []), []);
  });

  it('leaves a setting given on the command line or in NODE_OPTIONS as it is', () => {
    assert.deepEqual(engineFlags(['build'], 2, ['--interrupt-budget=1000']), [growing]);
    assert.deepEqual(engineFlags(['build'], 2, ['', '--interrupt_budget=1000', '--heap_growing_percent=10']), []);
    assert.deepEqual(engineFlags(['build'], 2, ['--interrupt-budget-for-feedback-allocation=10']), [budget, growing]);
  });
});
