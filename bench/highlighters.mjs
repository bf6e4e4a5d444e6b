// Highlighters compared on the benchmark's real documentation (realdocs.mjs): every fenced code block with a
// language, as quire's Markdown stage sees it, highlighted by each candidate. For each: the time to
// highlight them all (warm: best of several passes; and the first pass, loading included), and what a reader
// sees on a grey-scale screen: each character's look (bold, italic, grey level of 16, underline or
// strike-through) under quire's style sheet, compared with highlight.js's, character by character.
//   node bench/highlighters.mjs [--count 1000] [--runs 5] [--alt DIR]
// --alt DIR: a folder whose node_modules holds the other highlighters to compare (`npm install prismjs
// lowlight shiki` there); those that are missing are left out. Run `npx tsc` first (it uses dist/).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { marked } from 'marked';
import { realCorpus } from './realdocs.mjs';
import { BOOK_CSS } from '../dist/src/epub/styles.js';
import { highlightCode } from '../dist/src/render/highlight.js';
import { ALIASES } from '../dist/src/render/highlight-grammars.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const count = Number(option('count', 1000));
const runs = Number(option('runs', 5));
const alt = option('alt', undefined);
const require = createRequire(path.join(here, 'x.js'));
const altRequire = alt ? createRequire(path.join(path.resolve(alt), 'x.js')) : undefined;

// The blocks: fenced, with a language, as markdown.ts hands them to the highlighter.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-highlighters-'));
realCorpus(dir, count);
const blocks = [];
for (const [article, f] of fs.readdirSync(dir).sort().entries()) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/^---\n[^]*?\n---\n/, '');
  marked.walkTokens(marked.lexer(text), (t) => {
    const lang = t.type === 'code' && t.codeBlockStyle !== 'indented' ? /^\S+/.exec(t.lang ?? '')?.[0] : undefined;
    if (lang && lang !== 'math') blocks.push({ article, lang, text: t.text.replace(/\n$/, '') });
  });
}
fs.rmSync(dir, { recursive: true, force: true });
const totalChars = blocks.reduce((n, b) => n + b.text.length, 0);

// The look of each hljs class under quire's style sheet (its rules before the dark-mode ones).
const light = BOOK_CSS.slice(0, BOOK_CSS.indexOf('@media (prefers-color-scheme: dark)'));
const rules = [];
for (const m of light.matchAll(/([^{}]*\.hljs-[^{}]*)\{([^}]*)\}/g)) {
  const classes = m[1].split(',').map((s) => s.trim().replace(/^\./, ''));
  const decl = Object.fromEntries(m[2].split(';').map((d) => d.split(':').map((s) => s.trim())).filter((d) => d[0]));
  rules.push({ classes, decl });
}
const grey = (hex) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return Math.round((0.299 * r + 0.587 * g + 0.114 * b) / 17); // 16 levels, as on e-ink
};
/** A character's look from the classes of the spans around it, outermost first. */
function look(stack) {
  let bold = false;
  let italic = false;
  let level = 0;
  let deco = '';
  for (const classes of stack)
    for (const { classes: sel, decl } of rules)
      if (classes.some((c) => sel.includes(c))) {
        if (decl['font-weight'] === 'bold') bold = true;
        if (decl['font-style'] === 'italic') italic = true;
        if (decl.color) level = grey(decl.color);
        if (decl['text-decoration']) deco = decl['text-decoration'];
      }
  return `${bold ? 'B' : ''}${italic ? 'I' : ''}${level}${deco}`;
}
const lookCache = new Map();
/** Each character's look in highlighted HTML with hljs classes (spans only), and the text it spells. */
function looksOfHtml(html) {
  const looks = [];
  let text = '';
  const stack = [];
  let key = '';
  for (const m of html.matchAll(/<span class="([^"]*)">|<\/span>|&(?:amp|lt|gt|quot|#x[0-9a-f]+|#\d+);|[^<&]+|[^]/gi)) {
    if (m[1] !== undefined) {
      stack.push(m[1].split(' '));
      key = stack.map((s) => s.join(' ')).join('>');
    } else if (m[0] === '</span>') {
      stack.pop();
      key = stack.map((s) => s.join(' ')).join('>');
    } else {
      const t = m[0][0] !== '&' || m[0].length === 1 ? m[0] : m[0][1] === '#' ? String.fromCodePoint(m[0][2] === 'x' || m[0][2] === 'X' ? parseInt(m[0].slice(3), 16) : Number(m[0].slice(2, -1))) : { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' }[m[0]];
      if (!lookCache.has(key)) lookCache.set(key, look(stack));
      const l = lookCache.get(key);
      for (let i = 0; i < t.length; i++) looks.push(l);
      text += t;
    }
  }
  return { looks, text };
}

// The candidates: name, what it is, how to load it, and how it highlights one block (HTML with hljs classes,
// or looks directly), undefined when it leaves the block plain.
const hljsLang = (lang) => {
  const l = lang.toLowerCase();
  return Object.hasOwn(ALIASES, l) ? ALIASES[l] : l;
};
const candidates = [];
let hljsFull;
candidates.push({
  name: 'highlight.js 11, every named block (quire before)',
  load: () => (hljsFull = require('highlight.js')),
  run: (b) => {
    const g = hljsLang(b.lang);
    return hljsFull.getLanguage(g) ? hljsFull.highlight(b.text, { language: g, ignoreIllegals: true }).value : undefined;
  },
});
const quireRun = (b) => highlightCode(b.text, b.lang);
candidates.push({ name: 'quire now: scanner for JS, TS, JSON; highlight.js for the rest', load: () => {}, run: quireRun });
{
  const cache = new Map();
  candidates.push({
    name: 'highlight.js, identical blocks highlighted once',
    load: () => cache.clear(),
    pass: () => cache.clear(),
    run: (b) => {
      const key = `${b.lang}\n${b.text}`;
      if (!cache.has(key)) cache.set(key, candidates[0].run(b));
      return cache.get(key);
    },
  });
}
for (const kb of [2, 1]) candidates.push({ name: `highlight.js, blocks over ${kb} kB left plain`, load: () => {}, run: (b) => (b.text.length > kb * 1000 ? undefined : candidates[0].run(b)) });

const tryAlt = (name) => {
  try {
    return altRequire?.(name);
  } catch {
    return undefined;
  }
};
const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(path.resolve(alt), 'node_modules', name, 'package.json'), 'utf8')).version;
const resolveAlt = (name) => {
  try {
    return pathToFileURL(altRequire.resolve(name)).href;
  } catch {
    return undefined;
  }
};
const Prism = tryAlt('prismjs');
if (Prism) {
  // Prism's classes mapped to the hljs classes of the same meaning, for quire's style sheet.
  const map = { keyword: 'keyword', boolean: 'literal', builtin: 'built_in', 'class-name': 'title', function: 'title', number: 'number', string: 'string', 'template-string': 'string', char: 'char', 'attr-value': 'string', regex: 'regexp', comment: 'comment', prolog: 'comment', doctype: 'meta', cdata: 'comment', tag: 'name', 'attr-name': 'attr', selector: 'selector-tag', property: 'attr', variable: 'variable', constant: 'variable', atrule: 'keyword', important: 'keyword', symbol: 'symbol', inserted: 'addition', deleted: 'deletion', url: 'link', entity: 'symbol', bold: 'strong', italic: 'emphasis', title: 'section' };
  const prismLang = (l) => ({ js: 'javascript', mjs: 'javascript', cjs: 'javascript', ts: 'typescript', jsonc: 'json', 'c++': 'cpp', sh: 'bash', shell: 'bash', zsh: 'bash', console: 'shell-session', md: 'markdown', html: 'markup', xml: 'markup', hbs: 'handlebars', yml: 'yaml', vim: 'vim', coffeescript: 'coffeescript', toml: 'toml', text: 'plain' })[l.toLowerCase()] ?? l.toLowerCase();
  const convert = (html) => html.replace(/<span class="token ([^"]*)">/g, (_, c) => `<span class="${c.split(' ').map((x) => (map[x] ? `hljs-${map[x]}` : x)).join(' ')}">`);
  candidates.push({
    name: `Prism ${versionOf('prismjs')}, its grammars for the same languages`,
    load: () => altRequire('prismjs/components/index.js')([...new Set(blocks.map((b) => prismLang(b.lang)))].filter((l) => l !== 'plain')),
    run: (b) => {
      const l = prismLang(b.lang);
      return Prism.languages[l] ? convert(Prism.highlight(b.text, Prism.languages[l], l)) : undefined;
    },
  });
}
const lowlightUrl = alt && resolveAlt('lowlight');
const toHtmlUrl = alt && resolveAlt('hast-util-to-html');
if (lowlightUrl && toHtmlUrl) {
  let ll;
  let toHtml;
  candidates.push({
    name: `lowlight ${versionOf('lowlight')} (highlight.js to a syntax tree, then HTML)`,
    load: async () => {
      const { createLowlight, all } = await import(lowlightUrl);
      ({ toHtml } = await import(toHtmlUrl));
      ll = createLowlight(all);
    },
    run: (b) => {
      const g = hljsLang(b.lang);
      return ll.registered(g) ? toHtml(ll.highlight(g, b.text)) : undefined;
    },
  });
}
const shikiPath = alt && resolveAlt('shiki');
if (shikiPath) {
  let sh;
  let langs;
  const shikiLang = (l) => ({ js: 'javascript', ts: 'typescript', 'c++': 'cpp', sh: 'bash', shell: 'bash', console: 'shellsession', md: 'markdown', hbs: 'handlebars', yml: 'yaml', vim: 'viml', coffeescript: 'coffee', text: 'plaintext' })[l.toLowerCase()] ?? l.toLowerCase();
  candidates.push({
    name: `shiki ${versionOf('shiki')} (TextMate grammars, theme github-light)`,
    passes: 1,
    load: async () => {
      const shiki = await import(shikiPath);
      langs = [...new Set(blocks.map((b) => shikiLang(b.lang)))].filter((l) => shiki.bundledLanguages[l]);
      sh = await shiki.createHighlighter({ themes: ['github-light'], langs });
    },
    run: (b) => {
      const l = shikiLang(b.lang);
      if (!langs.includes(l)) return undefined;
      // Its own colours and font styles, seen in grey.
      const looks = [];
      for (const line of sh.codeToTokens(b.text, { lang: l, theme: 'github-light' }).tokens) {
        if (looks.length) looks.push('0');
        for (const t of line) {
          const fs_ = t.fontStyle ?? 0;
          const c = t.color && /^#[0-9a-f]{6}/i.test(t.color) ? grey(t.color) : 0;
          const l2 = `${fs_ & 2 ? 'B' : ''}${fs_ & 1 ? 'I' : ''}${c <= 2 ? 0 : c}${fs_ & 4 ? 'underline' : ''}`;
          for (let i = 0; i < t.content.length; i++) looks.push(l2);
        }
      }
      return { looks };
    },
  });
}

// The reference: highlight.js's looks for every block.
await candidates[0].load();
const reference = blocks.map((b) => {
  const html = candidates[0].run(b);
  return html === undefined ? Array(b.text.length).fill('0') : looksOfHtml(html).looks;
});

const rows = [];
for (const c of candidates) {
  let t = performance.now();
  await c.load();
  const outs = blocks.map((b) => c.run(b));
  const first = performance.now() - t;
  let best = Infinity;
  for (let r = 1; r < (c.passes ?? runs); r++) {
    c.pass?.();
    t = performance.now();
    for (const b of blocks) c.run(b);
    best = Math.min(best, performance.now() - t);
  }
  // What a reader sees: characters whose look is the same as highlight.js's; and characters not plain.
  let same = 0;
  let styled = 0;
  let bold = 0;
  let lost = 0;
  let markup = 0;
  outs.forEach((out, i) => {
    markup += typeof out === 'string' ? out.length : 0;
    const b = blocks[i];
    const { looks, text } = out === undefined ? { looks: Array(b.text.length).fill('0'), text: b.text } : typeof out === 'string' ? looksOfHtml(out) : { ...out, text: b.text };
    if (text !== b.text) lost++;
    for (let k = 0; k < b.text.length; k++) {
      const l = looks[k] ?? '0';
      if (l === reference[i][k]) same++;
      if (l !== '0') styled++;
      if (l.startsWith('B')) bold++;
    }
  });
  rows.push({ name: c.name, first, best: c.passes === 1 ? NaN : best, same: same / totalChars, styled: styled / totalChars, bold: bold / totalChars, lost, markup: outs.some((o) => typeof o === 'string') ? markup : NaN });
  process.stderr.write(`${c.name}: ${first.toFixed(0)} ms\n`);
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const lines = [
  `${blocks.length} fenced code blocks with a language (${(totalChars / 1e6).toFixed(2)} MB) from ${count} real-docs articles, on ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, one thread.`,
  '',
  '| highlighter | first pass, loading included | warm pass (best of ' + (runs - 1) + ') | markup written | same look as highlight.js, in grey | characters not plain | bold | blocks whose text changed |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.first.toFixed(0)} ms | ${Number.isNaN(r.best) ? '–' : `${r.best.toFixed(0)} ms`} | ${Number.isNaN(r.markup) ? '–' : `${(r.markup / 1e6).toFixed(2)} MB`} | ${pct(r.same)} | ${pct(r.styled)} | ${pct(r.bold)} | ${r.lost} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
