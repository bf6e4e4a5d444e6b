// Properties that hold for any input: generated Markdown (thousands of documents) always gives chapters that
// are well-formed XML, free of scripts, event handlers, javascript: URLs and external resources, with unique
// ids and links that resolve; books made from them pass the EPUB checks; random YAML never crashes quire.
// QUIRE_FUZZ_RUNS sets the number of documents (`npm run fuzz` runs many more).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { cleanText } from '../src/articles/decode.js';
import { splitFrontMatter } from '../src/articles/front-matter.js';
import { checkEpub } from '../src/check/index.js';
import { CHECK_CODES, DIAGNOSTIC_CODES } from '../src/codes.js';
import { loadConfig } from '../src/config.js';
import { chapterDocument } from '../src/epub/documents.js';
import { makeBook } from '../src/index.js';
import { AssetStore } from '../src/settle/images.js';
import { renderChapter } from '../src/render/chapter.js';
import { renderSettings } from '../src/model.js';
import { resolveLinks } from '../src/render/links.js';
import { fillPlaceholders } from '../src/render/placeholders.js';
import { hasValidHost } from '../src/render/uri.js';
import { frontMatterish, markdownDocument, markdownWithoutHtml, yamlish } from './generators.js';
import { parseSimpleMapping, parseWithLibrary } from '../src/yaml.js';
import { markdownToHtml } from '../src/render/markdown.js';
import { sanitizeHtml, sanitizeStyle } from '../src/render/sanitize.js';
import { cleanStyleSheet } from '../src/css.js';
import { stripForbidden } from '../src/xml.js';
import type { XNode } from '../src/render/tree.js';
import { epubcheck, FIXTURES, problems, tempDir, writeTree } from './helpers.js';

const RUNS = Number(process.env.QUIRE_FUZZ_RUNS ?? 10_000);
/** A fixed seed keeps `npm test` repeatable; `npm run fuzz` explores with a new one each time (printed on failure). */
const SEED = process.env.QUIRE_FUZZ_SEED === 'random' ? Date.now() % 2_147_483_647 : Number(process.env.QUIRE_FUZZ_SEED ?? 20261122);
const BOOKS = Number(process.env.QUIRE_FUZZ_BOOKS ?? 3);

/** Failing inputs found by the fuzzer, kept as regression cases. */
const REGRESSIONS: string[] = [
  '<svg><!DOCTYPE x [<!ENTITY a "aa">]><text>&a;</text></svg>\n',
  '[x](https://matrix.to/#/#room:x)\n',
  'www.example.org](x.png?y#z)\n',
  '[x](http://a b/)\n',
  // An internationalised domain name, which Marked percent-encodes (EPUBCheck: RSC-023).
  'See http://bücher.example/x and [b](http://bücher.de/).\n',
  // A drawing in the heading that becomes the title, with a reference to nothing.
  '# <svg><use href="#nope"/><a href="http://x"><text>t</text></a><foreignObject><div>x</div></foreignObject>loose</svg>\n',
];

const dir = tempDir('quire-props-');
writeTree(dir, { 'articles/other.md': '# Other\n\n## Part\n' });
const articlesDir = path.join(dir, 'articles');

/** Render one document through the real chapter pipeline (as makeBook does) to a full XHTML document. */
let rendered = 0;
async function chapterFor(input: string): Promise<{ xhtml: string; codes: string[] }> {
  const markdown = cleanText(input); // as the loader hands it over
  const article = { file: path.join(articlesDir, 'doc.md'), name: 'doc.md', slug: 'doc', body: markdown, meta: { authors: [] } };
  // Every other document keeps its notes as endnotes after the chapter rather than as pop-up footnotes.
  const chapter = renderChapter(article, renderSettings({ notes: rendered++ % 2 === 0 ? 'footnotes' : 'chapter' }));
  const other = renderChapter({ file: path.join(articlesDir, 'other.md'), name: 'other.md', slug: 'other', body: '# Other\n\n## Part\n', meta: { authors: [] } }, renderSettings());
  const index = new Map([
    [article.file, { href: 'chapter-doc.xhtml', chapter }],
    [other.article.file, { href: 'chapter-other.xhtml', chapter: other }],
  ]);
  const diagnostics = [...chapter.diagnostics];
  const links = resolveLinks(chapter, index, articlesDir, diagnostics);
  const images = await new AssetStore(articlesDir).resolve(chapter, diagnostics);
  const body = fillPlaceholders(chapter.body, links, images);
  return { xhtml: chapterDocument({ title: chapter.title, titleId: chapter.titleId, lang: 'en', body }), codes: diagnostics.map((d) => d.code) };
}

/** Problems EPUB reading systems and EPUBCheck would have with a chapter; empty when it is clean. */
function chapterProblems(xhtml: string): string[] {
  const found: string[] = [];
  const ids = new Set<string>();
  const fragments: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => {
    found.push(`not well-formed: ${e.message}`);
  });
  parser.on('opentag', (tag) => {
    if (['script', 'iframe', 'object', 'embed', 'form', 'style', 'base', 'meta'].includes(tag.local) && !(tag.local === 'meta' && tag.attributes.charset)) {
      found.push(`<${tag.name}> element`);
    }
    for (const a of Object.values(tag.attributes)) {
      if (/^on/i.test(a.local)) found.push(`event handler ${a.name}`);
      if (/^\s*(javascript|vbscript|data):/i.test(a.value) && a.local !== 'alt' && a.local !== 'title') found.push(`${a.name}="${a.value}"`);
      if (a.local === 'id') {
        if (ids.has(a.value)) found.push(`duplicate id ${a.value}`);
        ids.add(a.value);
      }
      if ((a.local === 'src' || (a.local === 'href' && tag.local === 'image')) && !/^images\/[0-9a-f]{16}\.(png|jpg|gif)$/.test(a.value)) {
        found.push(`resource ${a.name}="${a.value}"`);
      }
      if (a.local === 'href' && tag.local === 'link' && a.value !== 'style.css') found.push(`stylesheet ${a.value}`);
      if (a.local === 'href' && a.value.startsWith('#')) fragments.push(a.value.slice(1));
      if (a.local === 'href' && !hasValidHost(a.value)) found.push(`unparseable host in ${a.value}`);
      if (a.local === 'href' && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*[%\u0080-\uffff]/i.test(a.value)) found.push(`host not in ASCII in ${a.value}`);
      if (a.local === 'href' && !/^([a-z][a-z0-9+.-]*:|#|chapter-[a-z0-9-]+\.xhtml(#|$)|style\.css$)/i.test(a.value)) found.push(`href to a file not in the book: ${a.value}`);
      if (a.local === 'style' && /url\(\s*['"]?(?!#)/i.test(a.value)) found.push(`style loads ${a.value}`);
    }
  });
  parser.write(xhtml).close();
  for (const f of fragments) if (!ids.has(f)) found.push(`link to missing #${f}`);
  return found;
}

describe('properties of any Markdown', () => {
  it('regression cases stay fixed', async () => {
    for (const md of REGRESSIONS) assert.deepEqual(chapterProblems((await chapterFor(md)).xhtml), [], md);
  });

  it(`${RUNS} generated documents give clean, well-formed chapters`, async () => {
    await fc.assert(
      fc.asyncProperty(markdownDocument, async (md) => {
        const { xhtml, codes } = await chapterFor(md);
        assert.deepEqual(chapterProblems(xhtml), []);
        for (const code of codes) assert.ok(code in DIAGNOSTIC_CODES, `uncatalogued code ${code}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the fast parser for HTML written by Marked builds the same tree as parse5', () => {
    fc.assert(
      fc.property(markdownWithoutHtml, (input) => {
        const md = cleanText(input);
        const { html } = markdownToHtml(md);
        if (html.includes('<!--quire-pos:')) return; // raw HTML after all (an autolink of `<...>`): parse5's job
        assert.deepEqual(sanitizeHtml(html, md).nodes, sanitizeHtml(html, md, { alwaysParse5: true }).nodes);
      }),
      { numRuns: Math.min(RUNS, 5000), seed: SEED },
    );
  });

  it('the fast parser also builds the same tree as parse5 for raw HTML it accepts, and parse5 takes the rest', () => {
    // Raw HTML of the kinds real documentation holds, with its traps: unclosed and misnested tags, a
    // paragraph or a block inside a paragraph, single quotes, repeated attributes, odd comments, entities.
    const raw = fc.constantFrom(
      '<!-- end auto-generated rule header -->', '<!-- a -- b -->', '<!-->', '<!--->', '<!-- x --!> y -->', '<!-- open',
      '<a name="x"></a>', '<a href="y.md">y</a>', '<a href=\'q\'>q</a>', '<a href="a" href="b">d</a>', '<a href="x"><a href="z">n</a></a>',
      '<b>bold</b>', '<b>open', '</b>', '<b><i>mis</b></i>', '<code>a < b &amp; c &copy d</code>', '<code>x', '<br>', '</br>', '<BR/>',
      '<kbd>Ctrl</kbd>+<kbd>C</kbd>', '<sup>1</sup>', '<span title="&quot;t&quot;">s</span>', '<p>para</p>', '<div>d</div>',
      '<details><summary>s</summary>', '</details>', '<T>', 'Array<T>', '<del>x</del>', '<em>e<strong>s</em></strong>', '<wbr>', '<x-y>z</x-y>',
    );
    const md = fc
      .array(fc.oneof(raw, markdownWithoutHtml, fc.constantFrom('\n\n', ' ', '\n', '- ', '> ', '*', '`')), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(md, (input) => {
        const text = cleanText(input);
        const { html } = markdownToHtml(text);
        assert.deepEqual(sanitizeHtml(html, text).nodes, sanitizeHtml(html, text, { alwaysParse5: true }).nodes);
      }),
      { numRuns: Math.min(RUNS, 5000), seed: SEED },
    );
  });

  it('books of generated documents pass EPUBCheck, as plain EPUB, KEPUB and Kindle books, with each placement of notes', async () => {
    const samples = fc.sample(markdownDocument, { numRuns: 30 * BOOKS, seed: SEED });
    const variants = [
      { notes: 'footnotes', target: 'epub' },
      { notes: 'book', target: 'kobo' },
      { notes: 'chapter', target: 'kindle' },
    ] as const;
    const checks: Promise<void>[] = [];
    for (let batch = 0; batch < BOOKS; batch++) {
      const book = tempDir('quire-fuzz-book-');
      const variant = variants[batch % variants.length]!;
      samples.slice(batch * 30, batch * 30 + 30).forEach((md, i) => writeTree(book, { [`articles/doc-${i}.md`]: md }));
      writeTree(book, { 'articles/book.yaml': `notes: ${variant.notes}\n` });
      const result = await makeBook({ cwd: book, remote: { offline: true }, target: variant.target });
      assert.ok(result.epub, `book ${batch} was made: ${result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
      const file = path.join(book, 'book.epub');
      fs.writeFileSync(file, result.epub);
      // Checked together at the end: one EPUBCheck run for all the books.
      checks.push(epubcheck(file).then((r) => assert.equal(problems(r), '', `batch ${batch} of seed ${SEED}`)));
    }
    await Promise.all(checks);
  });
});

describe('properties of any YAML', () => {
  it('front matter never crashes quire; a problem always has a line', () => {
    fc.assert(
      fc.property(yamlish, (yaml) => {
        const fm = splitFrontMatter(`---\n${yaml}\n---\n\nBody\n`, '/x/a.md');
        for (const d of fm.diagnostics) {
          assert.ok(d.code in DIAGNOSTIC_CODES);
          assert.ok(d.line !== undefined && d.line >= 1 && d.line <= yaml.split('\n').length + 2, `line ${d.line}`);
        }
      }),
      { numRuns: Math.min(RUNS, 5000), seed: SEED },
    );
  });

  it('front matter read without the YAML library reads as the library reads it, places included', () => {
    let simple = 0;
    let runs = 0;
    fc.assert(
      fc.property(frontMatterish, (yaml) => {
        runs++;
        const fast = parseSimpleMapping(yaml, 2);
        if (fast === undefined) return;
        simple++;
        const library = parseWithLibrary(yaml, '/x/a.md', 2, 'front-matter-yaml');
        assert.deepEqual(fast, library, JSON.stringify(yaml));
      }),
      { numRuns: Math.min(RUNS, 10_000), seed: SEED },
    );
    // The comparison is only worth something if the simple reading takes a good share of the inputs.
    assert.ok(simple > runs / 10, `the simple reading took ${simple} of ${runs}`);
  });

  it('book.yaml never crashes quire; a problem always has a line', () => {
    const folder = tempDir('quire-yaml-');
    fc.assert(
      fc.property(yamlish, (yaml) => {
        fs.writeFileSync(path.join(folder, 'book.yaml'), yaml);
        const { diagnostics } = loadConfig(folder, {}, folder);
        for (const d of diagnostics) {
          assert.ok(d.code in DIAGNOSTIC_CODES);
          if (d.code !== 'config-order') assert.ok(d.line !== undefined && d.line >= 1, `${d.code} has a line`);
        }
      }),
      { numRuns: Math.min(RUNS, 2000), seed: SEED },
    );
  });
});

describe('properties of any CSS', () => {
  // Pieces attackers and real style sheets are made of: resource functions and their vendor variants,
  // escapes, comments, strings, at-rules, and ordinary declarations.
  const piece = fc.constantFrom(
    'color', 'background', 'background-image', 'list-style-image', 'cursor', 'border-image', 'mask', 'src', 'content', 'font', '-webkit-mask-image', '--x', 'behavior',
    ':', ';', ' ', '{', '}', '(', ')', ',', '"', "'", '\\', '\\75 rl(', '/**/', '/*', '*/', '\n', '!important',
    'url(', 'url (', 'URL(', 'image-set(', '-webkit-image-set(', 'image(', 'cross-fade(', '-webkit-cross-fade(', 'element(', 'src(', 'var(', 'env(', 'expression(',
    'rgb(', 'linear-gradient(', 'calc(', 'attr(', 'https://tracker.example/p.png', '//tracker.example/p.png', 'http://x/y', '#id', 'red', '1x', '10px',
    '@import', '@font-face', '@media screen', '@supports (display: grid)', '@page', '@namespace', '<style>', '</style>', 'p', 'h1 ', '.c',
  );
  const cssText = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));
  /** Whatever could load something: a resource function (but url(#id)), an import, a font face, an escape. */
  const resource = (css: string) =>
    /(^|[^\w-])(-[a-z]+-)?(url|image-set|image|cross-fade|element|src)\s*\((?!\s*['"]?#[\w.-]+['"]?\s*\))/i.test(css) || /@import|@font-face|\\/i.test(css) || /https?:|\/\/tracker/i.test(css.replace(/(["'])[^"']*\1/g, ''));

  it('no remote resource survives in a style attribute', () => {
    fc.assert(
      fc.property(cssText, (css) => {
        const cleaned = sanitizeStyle(css);
        assert.ok(!resource(cleaned), `${JSON.stringify(css)} -> ${JSON.stringify(cleaned)}`);
        const styles: string[] = [];
        const walk = (n: XNode) => {
          if (typeof n === 'string') return;
          if (n.attrs.has('style')) styles.push(n.attrs.get('style')!);
          n.children.forEach(walk);
        };
        sanitizeHtml(`<p style="${css.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">x<svg><rect style="${css.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"/></svg></p>`, 'fuzz').nodes.forEach(walk);
        for (const style of styles) assert.ok(!resource(style), `${JSON.stringify(css)} -> ${JSON.stringify(style)}`);
      }),
      { numRuns: Math.min(RUNS, 10_000), seed: SEED },
    );
  });

  it('no remote resource survives in a style sheet, and every removal has a place', () => {
    fc.assert(
      fc.property(cssText, (css) => {
        const cleaned = cleanStyleSheet(css);
        assert.ok(!resource(cleaned.css), `${JSON.stringify(css)} -> ${JSON.stringify(cleaned.css)}`);
        for (const p of cleaned.problems) assert.ok(p.at >= 0 && p.at <= css.length);
      }),
      { numRuns: Math.min(RUNS, 10_000), seed: SEED },
    );
  });
});

describe('properties of any EPUB given to quire check', async () => {
  const book = (await makeBook({ cwd: path.join(FIXTURES, 'images'), remote: { offline: true } })).epub!;
  const folder = tempDir('quire-check-fuzz-');
  /** Where each central directory record starts (the zip's own index of its entries). */
  const records: number[] = [];
  for (let at = book.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = book.indexOf('PK\x01\x02', at + 4, 'latin1')) records.push(at);
  const anyRecord = fc.constantFrom(...records);
  // Bytes of hostile names: control characters, newlines, separators, a bad percent-escape, UTF-8 pieces.
  const nameByte = fc.constantFrom(0, 1, 0x0a, 0x0d, 0x1b, 0x7f, 0x2e, 0x2f, 0x5c, 0x25, 0x7a, 0x41, 0xc3, 0xa9, 0xe2, 0x80, 0xae, 0xff);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: book.length - 1 }) }),
    fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat({ max: book.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('name' as const), record: anyRecord, bytes: fc.array(nameByte, { minLength: 1, maxLength: 12 }) }),
    fc.record({ kind: fc.constant('size' as const), record: anyRecord, field: fc.constantFrom(16, 20, 24, 28, 42), value: fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff), fc.nat()) }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
  function mutate(m: Mutation): Buffer {
    if (m.kind === 'truncate') return Buffer.from(book.subarray(0, m.at));
    const out = Buffer.from(book);
    if (m.kind === 'flip') for (const [at, x] of m.flips) out[at]! ^= x;
    if (m.kind === 'name') {
      const length = out.readUInt16LE(m.record + 28);
      m.bytes.slice(0, length).forEach((b, i) => (out[m.record + 46 + i] = b));
    }
    if (m.kind === 'size') {
      if (m.field === 28) out.writeUInt16LE(m.value & 0xffff, m.record + 28);
      else out.writeUInt32LE(m.value >>> 0, m.record + m.field);
    }
    return out;
  }

  it('never crashes or hangs on a truncated, flipped, renamed or resized EPUB, and says what is wrong', { timeout: 120_000 }, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const file = path.join(folder, `fuzz-${runs++ % 4}.epub`);
        const bytes = mutate(m);
        if (bytes.equals(book)) return;
        fs.writeFileSync(file, bytes);
        const findings = await checkEpub(file, { epubcheck: false });
        for (const d of findings) {
          assert.ok(d.code in CHECK_CODES, `uncatalogued code ${d.code}`);
          assert.notEqual(d.code, 'check-internal', d.message);
          // One finding, one line: no name can forge another line of output.
          assert.doesNotMatch(`${d.file} ${d.message}`, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, JSON.stringify(d));
        }
        // A change to the bytes never goes unseen (a flip may land in bytes no reader looks at: a timestamp).
        if (m.kind !== 'flip') assert.ok(findings.some((d) => d.severity === 'error'), `${JSON.stringify(m)} went unseen`);
      }),
      { numRuns: Math.max(100, Math.round(RUNS / 20)), seed: SEED },
    );
  });
});

describe('characters XML forbids', () => {
  // The search stripForbidden skips when there is nothing to strip, as XML 1.0 and e-readers define it.
  // eslint-disable-next-line no-control-regex
  const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  const tricky = fc.constantFrom('\u0000', '\u0009', '\n', '\r', '\u001f', '\u007f', '\u0085', '\u00a0', '\ud800', '\udbff', '\udc00', '\udfff', '😀', '\ufffe', '\uffff', '\ufeff', 'a', ' ');
  it('are stripped, and only they, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(tricky, fc.string({ unit: 'binary' })), { maxLength: 40 }), (parts) => {
        const s = parts.join('');
        assert.equal(stripForbidden(s), s.replace(FORBIDDEN, ''));
      }),
      { numRuns: 2000 },
    );
  });
});
