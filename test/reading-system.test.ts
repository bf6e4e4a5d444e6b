// Books in a reading system: real books opened as .epub files by epub.js (the library behind many web readers)
// in headless Chromium (Debian's, driven by playwright-core; no browser download), served over loopback.
// epub.js unzips the book itself, follows its container to the package, builds the contents from the
// navigation document and shows each page of the reading order in a frame of its own. In that frame every page
// must be the one asked for, parse as XHTML, show text or pictures, load every image and reach every footnote;
// the contents must name every chapter by its title, and every section link must reach its heading; the
// reading order must be as long as the package says.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { makeBook } from '../src/index.js';
import { FIXTURES, openEpub, ROOT, startServer } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available) {
  process.stderr.write(`\n!! SKIPPED the reading-system tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_CHROMIUM === '1') throw new Error('QUIRE_REQUIRE_CHROMIUM=1 but Chromium is missing');
}

const SCRIPTS: Record<string, string> = {
  '/jszip.min.js': path.join(ROOT, 'node_modules', 'jszip', 'dist', 'jszip.min.js'),
  '/epub.min.js': path.join(ROOT, 'node_modules', 'epubjs', 'dist', 'epub.min.js'),
};

/** The reader: epub.js and the JSZip it unzips books with, and a place to show pages. */
const HOST = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>reader</title>
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script>
</head><body style="margin:0"><div id="viewer" style="width:600px;height:800px"></div></body></html>`;

function decodeXml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(+d))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** What the book says of itself, read from the zip without epub.js: the reading order, each page's title and footnote references. */
async function expectations(epub: Buffer) {
  const book = await openEpub(epub);
  const opfPath = /full-path="([^"]+)"/.exec(await book.text('META-INF/container.xml'))![1]!;
  const opf = await book.text(opfPath);
  const items = [...opf.matchAll(/<item ([^>]*)\/>/g)].map((m) => ({
    id: /\bid="([^"]+)"/.exec(m[1]!)![1]!,
    href: /\bhref="([^"]+)"/.exec(m[1]!)![1]!,
    nav: /\bproperties="[^"]*\bnav\b/.test(m[1]!),
  }));
  const cover = /<reference type="cover"[^>]* href="([^"]+)"/.exec(opf)?.[1];
  const spine = [];
  for (const [, idref] of opf.matchAll(/<itemref idref="([^"]+)"/g)) {
    const item = items.find((i) => i.id === idref)!;
    const xhtml = await book.text(path.posix.join(path.posix.dirname(opfPath), item.href));
    spine.push({
      href: item.href,
      title: decodeXml(/<title>([^<]*)<\/title>/.exec(xhtml)?.[1] ?? ''),
      noteRefs: (xhtml.match(/\bepub:type="noteref"/g) ?? []).length,
      chapter: !item.nav && item.href !== cover,
    });
  }
  return { spine, chapters: spine.filter((s) => s.chapter) };
}

interface PageState {
  views: number;
  sectionIndex: number;
  title: string;
  parserError: boolean;
  text: number;
  images: number;
  brokenImages: (string | null)[];
  noteRefs: number;
  deadNoteRefs: string[];
  target: boolean | null;
}

describe('books in a reading system (epub.js)', { skip: !available && 'no Chromium' }, () => {
  let browser: Browser;
  let server: { base: string; close(): Promise<void> };
  const books = new Map<string, Buffer>();

  before(async () => {
    server = await startServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0]!;
      const script = SCRIPTS[url];
      const book = books.get(url);
      if (url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOST);
      else if (script) res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(script));
      else if (book) res.writeHead(200, { 'content-type': 'application/epub+zip' }).end(book);
      else if (url === '/favicon.ico') res.writeHead(204).end();
      else res.writeHead(404).end();
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Open the book in epub.js, show every page of its reading order and every section of its contents; returns what was expected. */
  async function readInEpubJs(name: string, epub: Buffer) {
    const url = `/${name}.epub`;
    books.set(url, epub);
    const expected = await expectations(epub);
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(server.base + '/', { waitUntil: 'load' });
      const opened = await page.evaluate(async (bookUrl) => {
        const w = window as any;
        w.book = w.ePub(bookUrl, { openAs: 'epub' });
        w.rendition = w.book.renderTo('viewer', { width: 600, height: 800 });
        await w.book.ready;
        const nav = await w.book.loaded.navigation;
        const entry = (i: any) => ({ label: String(i.label).trim(), href: String(i.href) });
        const flat = (items: any[]): { label: string; href: string }[] => items.flatMap((i) => [entry(i), ...flat(i.subitems ?? [])]);
        return { spine: (w.book.spine.spineItems as any[]).map((s) => String(s.href)), toc: (nav.toc as any[]).map(entry), all: flat(nav.toc) };
      }, server.base + url);

      assert.equal(opened.spine.length, expected.spine.length, `${name}: epub.js reads as many pages in the reading order as the package lists`);
      assert.deepEqual(opened.spine, expected.spine.map((s) => s.href), `${name}: epub.js reads the package's reading order`);
      assert.deepEqual(opened.toc, expected.chapters.map((c) => ({ label: c.title, href: c.href })), `${name}: epub.js's contents name every chapter by its title, in order`);

      /** Show `href` (a page, or a page and a fragment) and look at the frame epub.js shows it in. */
      const show = (href: string) =>
        page.evaluate(async (href): Promise<PageState> => {
          const w = window as any;
          await w.rendition.display(href);
          const contents = w.rendition.getContents() as any[];
          const doc = contents[0]?.document as Document | undefined;
          if (!doc) return { views: contents.length, sectionIndex: -1, title: '', parserError: false, text: 0, images: 0, brokenImages: [], noteRefs: 0, deadNoteRefs: [], target: null };
          const imgs = [...doc.querySelectorAll('img')];
          await Promise.all(
            imgs.map((img) =>
              img.complete
                ? null
                : new Promise((resolve) => {
                    img.addEventListener('load', resolve, { once: true });
                    img.addEventListener('error', resolve, { once: true });
                    setTimeout(resolve, 5000);
                  }),
            ),
          );
          const byId = (fragment: string) => {
            try {
              return doc.getElementById(decodeURIComponent(fragment));
            } catch {
              return doc.getElementById(fragment);
            }
          };
          // epub.js writes the page into its frame as HTML (srcdoc), where `epub:type` is an attribute of that
          // name in no namespace; read as XHTML it is `type` in the OPS namespace. Either counts.
          const refs = [...doc.querySelectorAll('a')].filter((a) => a.getAttributeNS('http://www.idpf.org/2007/ops', 'type') === 'noteref' || a.getAttribute('epub:type') === 'noteref');
          const fragment = href.includes('#') ? href.slice(href.indexOf('#') + 1) : null;
          return {
            views: contents.length,
            sectionIndex: Number(contents[0].sectionIndex),
            title: doc.title,
            parserError: doc.getElementsByTagName('parsererror').length > 0,
            text: (doc.body?.innerText ?? '').trim().length,
            images: imgs.length,
            brokenImages: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src')),
            noteRefs: refs.length,
            deadNoteRefs: refs.map((a) => a.getAttribute('href') ?? '').filter((h) => !h.startsWith('#') || !byId(h.slice(1))),
            target: fragment === null ? null : !!byId(fragment),
          };
        }, href);

      for (const [index, item] of expected.spine.entries()) {
        const where = `${name}/${item.href}`;
        const state = await show(item.href);
        assert.equal(state.views, 1, `${where}: epub.js shows the page in one frame`);
        assert.equal(state.sectionIndex, index, `${where}: the frame holds that page of the reading order`);
        assert.equal(state.title, item.title, `${where}: the frame holds that page's document`);
        assert.equal(state.parserError, false, `${where}: parses as XHTML`);
        assert.ok(state.text > 0 || state.images > 0, `${where}: shows something`);
        assert.deepEqual(state.brokenImages, [], `${where}: every image loads`);
        assert.equal(state.noteRefs, item.noteRefs, `${where}: every footnote reference is shown`);
        assert.deepEqual(state.deadNoteRefs, [], `${where}: every footnote reference reaches its note`);
      }

      for (const entry of opened.all.filter((e) => e.href.includes('#'))) {
        const where = `${name}: contents entry "${entry.label}" (${entry.href})`;
        const state = await show(entry.href);
        assert.equal(state.sectionIndex, expected.spine.findIndex((s) => s.href === entry.href.split('#')[0]), `${where} opens its chapter`);
        assert.equal(state.target, true, `${where} reaches its heading`);
      }

      assert.deepEqual(errors, [], `${name}: no script errors in the reader`);
      return expected;
    } finally {
      await page.close();
      books.delete(url);
    }
  }

  it("reads every page of the project's book", async () => {
    const result = await makeBook({ cwd: ROOT, articlesDir: 'articles' });
    const expected = await readInEpubJs('project', result.epub!);
    assert.ok(expected.chapters.length >= 2, 'the book has its chapters');
  });

  it('reads every page of books with images, footnotes, tables, raw HTML, SVG and MathML, right-to-left text, links, odd titles, deep contents, math and highlighted code', async () => {
    let images = 0;
    let noteRefs = 0;
    for (const name of ['images', 'footnotes', 'gfm', 'raw-html', 'svg-mathml', 'rtl', 'links', 'titles', 'toc-depth', 'math', 'highlight']) {
      const result = await makeBook({ cwd: path.join(FIXTURES, name), remote: { offline: true } });
      const expected = await readInEpubJs(name, result.epub!);
      images += result.images;
      noteRefs += expected.spine.reduce((n, s) => n + s.noteRefs, 0);
    }
    assert.ok(images > 0 && noteRefs > 0, 'the books have images and footnotes to check');
  });
});
