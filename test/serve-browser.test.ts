// `quire serve` in a browser: headless Chromium (Debian's, driven by playwright-core) at a phone's size opens
// the library page, opens a book in the reader (epub.js) and must show its first chapter's text; with
// `quire serve --watch`, a change to an article rebuilds the book and the open page reloads at the chapter
// it showed, with the new text.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, serve } from '../src/index.js';
import { CLI, tempDir, writeTree } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available) {
  process.stderr.write(`\n!! SKIPPED the serve browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_CHROMIUM === '1') throw new Error('QUIRE_REQUIRE_CHROMIUM=1 but Chromium is missing');
}

/** The text the reader's frame shows now ('' before epub.js has drawn a page). */
function shownText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('#viewer iframe') as HTMLIFrameElement | null)?.contentDocument?.body?.innerText ?? '');
}

async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => ((document.querySelector('#viewer iframe') as HTMLIFrameElement | null)?.contentDocument?.body?.innerText ?? '').includes(t), text, { timeout: 60_000 });
}

describe('quire serve in a browser', { skip: !available && 'no Chromium' }, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  });
  after(async () => browser?.close());

  it('lists the books and opens one in the reader, at a phone\'s size, showing the first chapter', async () => {
    const dir = tempDir('quire-serve-page-');
    writeTree(dir, { 'articles/book.yaml': 'title: Pocket Book\nauthor: Ana\n', 'articles/a.md': '# The Start\n\nFirst chapter words here.\n', 'articles/b.md': '# The Middle\n\nSecond chapter words.\n' });
    const result = await build({ articlesDir: 'articles', output: 'out/pocket.epub', cwd: dir });
    assert.ok(result.written);
    const server = await serve({ folder: path.join(dir, 'out'), port: 0 });
    const page = await browser.newPage({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${server.url}/`);
      assert.deepEqual(await page.locator('.books .title').allTextContents(), ['Pocket Book']);
      assert.deepEqual(await page.locator('.books .authors').allTextContents(), ['Ana']);
      await page.locator('.books a.open').first().click();
      await waitForText(page, 'First chapter words here.');
      assert.match(await shownText(page), /The Start/);
      const options = await page.locator('#toc option').allTextContents();
      assert.deepEqual(options.map((o) => o.trim()), ['The Start', 'The Middle']);
      await page.locator('#next').click();
      await waitForText(page, 'Second chapter words.');
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('with --watch, rebuilds on a change to an article and reloads the open page at the same chapter', async () => {
    const dir = tempDir('quire-serve-watch-');
    writeTree(dir, { 'articles/book.yaml': 'title: Live Book\n', 'articles/a.md': '# Opening\n\nAlpha words.\n', 'articles/b.md': '# Closing\n\nBeta words.\n' });
    const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', 'out', '--port', '0', '--watch', 'articles'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const waitFor = async (test: () => boolean, what: string) => {
      for (let i = 0; i < 1200 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(test(), `${what}\nstdout: ${stdout}\nstderr: ${stderr}`);
    };
    const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
    try {
      await waitFor(() => /watching for changes/.test(stdout), 'the server started and built the book');
      const base = /reader: +(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)![1]!;
      await page.goto(`${base}/read?book=book`);
      await waitForText(page, 'Alpha words.');
      const second = await page.locator('#toc option').nth(1).getAttribute('value');
      await page.selectOption('#toc', second!);
      await waitForText(page, 'Beta words.');
      await page.waitForFunction(() => /b\.xhtml$/.test(document.documentElement.dataset.chapter ?? ''), undefined, { timeout: 60_000 });
      const chapter = await page.evaluate(() => document.documentElement.dataset.chapter);
      assert.match(page.url(), new RegExp(`#${encodeURIComponent(chapter!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      await page.evaluate(() => ((window as unknown as { beforeReload: boolean }).beforeReload = true));

      const builds = (stdout.match(/^wrote /gm) ?? []).length;
      fs.writeFileSync(path.join(dir, 'articles', 'b.md'), '# Closing\n\nBeta words, rewritten.\n');
      await waitFor(() => (stdout.match(/^wrote /gm) ?? []).length > builds, 'the book was rebuilt');
      await page.waitForFunction(() => !(window as unknown as { beforeReload?: boolean }).beforeReload, undefined, { timeout: 60_000 });
      await waitForText(page, 'Beta words, rewritten.');
      await page.waitForFunction(() => document.documentElement.dataset.chapter !== undefined, undefined, { timeout: 60_000 });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.chapter), chapter, 'the page came back to the chapter it showed');
    } finally {
      await page.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
