// Books as a reader shows them: every page of real books opened in headless Chromium (Debian's, driven by
// playwright-core; no browser download), served over loopback as XHTML, so an XML error would show.
// Text must be visible, images must load, footnote references must reach their notes.
// UPDATE_SCREENSHOTS=1 also writes docs/screenshots/*.png for the README.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { makeBook } from '../src/index.js';
import { FIXTURES, openEpub, ROOT, startServer, tempDir } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available) {
  process.stderr.write(`\n!! SKIPPED the rendering tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_CHROMIUM === '1') throw new Error('QUIRE_REQUIRE_CHROMIUM=1 but Chromium is missing');
}

const TYPES: Record<string, string> = { '.xhtml': 'application/xhtml+xml', '.css': 'text/css', '.png': 'image/png', '.jpg': 'image/jpeg', '.gif': 'image/gif' };

/** Unpack a book into a folder and serve it; returns the URL of its OEBPS folder and the reading order. */
async function serveBook(epub: Buffer) {
  const dir = tempDir('quire-render-');
  const book = await openEpub(epub);
  for (const name of book.names) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await book.bytes(name));
  }
  const opf = await book.text('OEBPS/content.opf');
  const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => hrefs.get(m[1]!)!);
  const server = await startServer((req, res) => {
    const file = path.join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]!));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return { base: `${server.base}/OEBPS/`, spine, close: () => server.close() };
}

describe('books in a browser', { skip: !available && 'no Chromium' }, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  });
  after(async () => browser?.close());

  async function readEveryPage(epub: Buffer, screenshots?: Record<string, string>) {
    const served = await serveBook(epub);
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    try {
      for (const href of served.spine) {
        await page.goto(served.base + href, { waitUntil: 'load' });
        const state = await page.evaluate(() => {
          const imgs = [...document.querySelectorAll('img')];
          const refs = [...document.querySelectorAll('a')].filter((a) => a.getAttributeNS('http://www.idpf.org/2007/ops', 'type') === 'noteref');
          return {
            parserError: !!document.querySelector('parsererror'),
            text: (document.body?.innerText ?? '').trim().length,
            brokenImages: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src')),
            images: imgs.length,
            deadNoteRefs: refs.filter((a) => !document.getElementById(decodeURIComponent(a.getAttribute('href')!.slice(1)))).length,
            noteRefs: refs.length,
          };
        });
        assert.equal(state.parserError, false, `${href} parses as XHTML`);
        assert.ok(state.text > 0 || state.images > 0, `${href} shows something`);
        assert.deepEqual(state.brokenImages, [], `${href}: every image loads`);
        assert.equal(state.deadNoteRefs, 0, `${href}: every footnote reference reaches its note`);
        const shot = screenshots?.[href];
        if (shot) await page.screenshot({ path: shot });
      }
    } finally {
      await page.close();
      await served.close();
    }
  }

  it("shows every page of the project's book; screenshots of the cover, the contents and a chapter", async () => {
    const result = await makeBook({ cwd: ROOT, articlesDir: 'articles' });
    const out = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : tempDir('quire-shots-');
    fs.mkdirSync(out, { recursive: true });
    await readEveryPage(result.epub!, {
      'cover.xhtml': path.join(out, 'cover.png'),
      'toc.xhtml': path.join(out, 'contents.png'),
      'chapter-002-nato-opportunities-in-the-indo-pacific.xhtml': path.join(out, 'chapter.png'),
    });
    for (const name of ['cover.png', 'contents.png', 'chapter.png']) assert.ok(fs.statSync(path.join(out, name)).size > 5000, name);
  });

  it('shows images and reaches footnotes in books with both', async () => {
    for (const name of ['images', 'footnotes', 'gfm', 'raw-html', 'svg-mathml', 'rtl', 'links', 'math', 'highlight', 'notes-chapter']) {
      const result = await makeBook({ cwd: path.join(FIXTURES, name), remote: { offline: true } });
      await readEveryPage(result.epub!);
    }
  });

  it('shows highlighted code by weight and style, not only colour, in light and dark mode', async () => {
    const result = await makeBook({ cwd: path.join(FIXTURES, 'highlight') });
    const served = await serveBook(result.epub!);
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.goto(`${served.base}chapter-code.xhtml`, { waitUntil: 'load' });
        const looks = await page.evaluate(() => {
          /** The colour painted behind an element: the first background that is not transparent, else white. */
          const ground = (e: Element | null): string => {
            for (; e; e = e.parentElement) {
              const c = getComputedStyle(e).backgroundColor;
              if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
            }
            return 'rgb(255, 255, 255)';
          };
          const style = (selector: string) => {
            const e = document.querySelector(selector)!;
            const s = getComputedStyle(e);
            return { weight: Number(s.fontWeight), style: s.fontStyle, color: s.color, ground: ground(e) };
          };
          return {
            keyword: style('.language-js .hljs-keyword'),
            comment: style('.language-js .hljs-comment'),
            string: style('.hljs-string'),
            plain: style('pre code:not(.hljs)'),
          };
        });
        // In grey, keywords stand out by weight and comments by slant.
        assert.ok(looks.keyword.weight >= 700, `${colorScheme}: keywords are bold (${looks.keyword.weight})`);
        assert.equal(looks.comment.style, 'italic', `${colorScheme}: comments are italic`);
        assert.ok(looks.plain.weight < 700 && looks.plain.style === 'normal', `${colorScheme}: plain code is neither`);
        // And where there is colour, it is there, lighter in dark mode.
        const rgb = (c: string) => c.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];
        const luminance = (c: string) => {
          const [r, g, b] = rgb(c);
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        // WCAG's contrast ratio.
        const relative = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const contrast = (a: string, b: string) => {
          const [hi, lo] = [relative(a), relative(b)].sort((x, y) => y - x) as [number, number];
          return (hi + 0.05) / (lo + 0.05);
        };
        assert.notEqual(looks.keyword.color, looks.plain.color, `${colorScheme}: keywords have a colour`);
        if (colorScheme === 'light') assert.ok(luminance(looks.keyword.color) < 128, `light: keywords are dark (${looks.keyword.color})`);
        else assert.ok(luminance(looks.keyword.color) > 128, `dark: keywords are light (${looks.keyword.color})`);
        // Chromium, like calibre, reports dark mode and still paints the page white: light colours need a dark
        // ground of their own.
        for (const token of ['keyword', 'comment', 'string', 'plain'] as const) {
          const { color, ground } = looks[token];
          assert.ok(contrast(color, ground) >= 4.5, `${colorScheme}: ${token} ${color} on ${ground} is ${contrast(color, ground).toFixed(1)}:1`);
        }
      }
    } finally {
      await page.close();
      await served.close();
    }
  });

  describe('a README on a small screen (test/fixtures/devices, built offline)', () => {
    let served: Awaited<ReturnType<typeof serveBook>>;
    before(async () => {
      const result = await makeBook({ cwd: path.join(FIXTURES, 'devices'), remote: { offline: true } });
      served = await serveBook(result.epub!);
    });
    after(async () => served?.close());

    /** Open the README chapter at a phone's width and evaluate `probe` in it. */
    async function onPhone<T>(probe: () => T, colorScheme: 'light' | 'dark' = 'light'): Promise<T> {
      const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
      try {
        await page.emulateMedia({ colorScheme });
        await page.goto(`${served.base}chapter-readme.xhtml`, { waitUntil: 'load' });
        return await page.evaluate(probe);
      } finally {
        await page.close();
      }
    }

    it('shows the README on a phone: a screenshot for the README', async () => {
      const out = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : tempDir('quire-shots-');
      fs.mkdirSync(out, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2 });
      try {
        await page.goto(`${served.base}chapter-readme.xhtml`, { waitUntil: 'load' });
        // From the folded install steps to the nine-column table.
        const top = await page.evaluate(() => document.querySelector('.details')!.getBoundingClientRect().top - 16);
        await page.screenshot({ path: path.join(out, 'readme-phone.png'), clip: { x: 0, y: Math.max(0, top - 220), width: 360, height: 640 }, fullPage: true });
      } finally {
        await page.close();
      }
      assert.ok(fs.statSync(path.join(out, 'readme-phone.png')).size > 5000);
    });

    it('sets code at 0.9 of the body text or more, in a paragraph, a block and a table', async () => {
      const sizes = await onPhone(() => {
        const size = (selector: string) => parseFloat(getComputedStyle(document.querySelector(selector)!).fontSize);
        return { body: size('p'), inline: size('p code'), block: size('pre code'), table: size('td code'), cell: size('td') };
      });
      assert.ok(sizes.inline / sizes.body >= 0.9, `inline code ${sizes.inline}px against body ${sizes.body}px`);
      assert.ok(sizes.block / sizes.body >= 0.9, `a code block ${sizes.block}px against body ${sizes.body}px`);
      assert.ok(sizes.table / sizes.cell >= 1, `code in a table ${sizes.table}px against the table's text ${sizes.cell}px`);
    });

    it('clips nothing at 360px: a nine-column table, a long URL and a long word wrap', async () => {
      const layout = await onPhone(() => {
        const width = document.documentElement.clientWidth;
        const outside = [...document.body.querySelectorAll('*')]
          .filter((e) => e.getBoundingClientRect().right > width + 0.5)
          .map((e) => `<${e.localName}> ${(e.textContent ?? '').trim().slice(0, 40)}`);
        const table = document.querySelector('table')!;
        const url = [...document.querySelectorAll('a')].find((a) => a.textContent!.startsWith('https://github.com/'))!;
        return { width, scrollWidth: document.documentElement.scrollWidth, outside, columns: table.rows[0]!.cells.length, tableRight: table.getBoundingClientRect().right, urlLines: url.getClientRects().length };
      });
      assert.equal(layout.columns, 9, 'the table has its nine columns');
      assert.deepEqual(layout.outside, [], `elements past the right edge of a ${layout.width}px screen`);
      assert.ok(layout.scrollWidth <= layout.width, `the page is ${layout.scrollWidth}px wide on a ${layout.width}px screen`);
      assert.ok(layout.tableRight <= layout.width, 'the table fits');
      assert.ok(layout.urlLines > 1, 'the long URL is broken over lines');
    });

    it('shows what <details> held, its summary as a label (e-readers cannot unfold it)', async () => {
      const shown = await onPhone(() => {
        const visible = (text: string) => {
          const e = [...document.querySelectorAll('body *')].find((x) => x.children.length === 0 && x.textContent!.includes(text)) ?? [...document.querySelectorAll('p')].find((x) => x.textContent!.includes(text));
          return !!e && e.checkVisibility() && e.getBoundingClientRect().height > 0;
        };
        const label = [...document.querySelectorAll('p')].find((p) => p.textContent === 'Install steps');
        return {
          steps: visible('npm install -g widget-cli'),
          noSummary: visible('A block with no summary of its own.'),
          label: !!label && label.checkVisibility() && Number(getComputedStyle(label).fontWeight) >= 700,
          folded: document.querySelectorAll('details').length,
        };
      });
      assert.deepEqual(shown, { steps: true, noSummary: true, label: true, folded: 0 });
    });

    it('lays out an Arabic paragraph, a Hebrew list item and an Arabic quote right to left in an English article', async () => {
      const layout = await onPhone(() => {
        const place = (e: Element) => {
          // Where the block's first word is drawn: at the right of its box when the block runs right to left.
          const range = document.createRange();
          const text = [...e.childNodes].find((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim()) ?? e.querySelector('p')!.firstChild!;
          range.setStart(text, 0);
          range.setEnd(text, 1);
          const first = range.getBoundingClientRect();
          const box = e.getBoundingClientRect();
          return { direction: getComputedStyle(e).direction, fromRight: box.right - first.right, fromLeft: first.left - box.left };
        };
        const find = (selector: string, text: string) => [...document.querySelectorAll(selector)].find((e) => e.textContent!.includes(text))!;
        return {
          article: getComputedStyle(document.body).direction,
          arabic: place(find('p', 'مرحبا')),
          hebrew: place(find('li', 'שלום')),
          quote: place(find('blockquote', 'اقتباس')),
          english: place(find('li', 'An English item')),
        };
      });
      assert.equal(layout.article, 'ltr');
      for (const name of ['arabic', 'hebrew', 'quote'] as const) {
        const block = layout[name];
        assert.equal(block.direction, 'rtl', `${name}: laid out right to left`);
        assert.ok(block.fromRight < 30 && block.fromLeft > 100, `${name}: its first letter is at the right (${JSON.stringify(block)})`);
      }
      assert.equal(layout.english.direction, 'ltr');
      assert.ok(layout.english.fromLeft < 20, 'the English item starts at the left');
    });

    it('shows links kept as text (a missing article, a javascript: URL) as plain text, and names badge links', async () => {
      const links = await onPhone(() => {
        const looks = (text: string) => {
          const e = [...document.querySelectorAll('body *')].find((x) => x.children.length === 0 && x.textContent === text)!;
          return { link: !!e.closest('a'), underline: getComputedStyle(e).textDecorationLine };
        };
        return {
          changelog: looks('the changelog'),
          script: looks('click here'),
          badges: [...document.querySelectorAll('a[href^="https://"]')].filter((a) => a.querySelector('.image-missing')).map((a) => (a as HTMLElement).innerText),
        };
      });
      assert.deepEqual(links.changelog, { link: false, underline: 'none' });
      assert.deepEqual(links.script, { link: false, underline: 'none' });
      assert.deepEqual(links.badges, ['Build status', 'https://www.npmjs.com/package/widget'], 'a badge whose image failed shows its description, else where it leads');
    });

    it('centres display math', async () => {
      const math = await onPhone(() => {
        const formula = document.querySelector('math[display=block]')!;
        const column = formula.parentElement!.getBoundingClientRect();
        const drawn = formula.querySelector('mrow')!.getBoundingClientRect();
        return { left: drawn.left - column.left, right: column.right - drawn.right, width: drawn.width };
      });
      assert.ok(math.width > 20, `the formula is drawn (${math.width}px wide)`);
      assert.ok(Math.abs(math.left - math.right) <= 2, `as much room left (${math.left}px) as right (${math.right}px) of the formula`);
    });
  });

  it('follows a note reference to the notes at the end of the book and back again', async () => {
    const result = await makeBook({ cwd: path.join(FIXTURES, 'notes-book') });
    const served = await serveBook(result.epub!);
    assert.ok(served.spine.includes('notes.xhtml'), 'the notes document is in the reading order');
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    try {
      await page.goto(`${served.base}chapter-1-first.xhtml`, { waitUntil: 'load' });
      await page.click('a.noteref >> nth=1');
      await page.waitForURL(/notes\.xhtml#1-first-fn2$/);
      const note = await page.evaluate(() => {
        const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        return { text: target?.textContent ?? '', type: target?.getAttributeNS('http://www.idpf.org/2007/ops', 'type') };
      });
      assert.match(note.text, /A named note with/);
      assert.equal(note.type, 'endnote');
      await page.click('[id="1-first-fn2"] a.footnote-back');
      await page.waitForURL(/chapter-1-first\.xhtml#1-first-fnref2$/);
      assert.ok(await page.evaluate(() => !!document.getElementById('1-first-fnref2')), 'the back-link lands on the reference');
    } finally {
      await page.close();
      await served.close();
    }
  });
});
