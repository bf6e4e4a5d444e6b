// Remote images, served by a real HTTP server on loopback inside the test (no mocked fetch): downloads,
// conversion, failures of every kind, the private-address guard, the cache and offline mode.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { makeBook } from '../src/index.js';
import { epubcheck, FIXTURES, openEpub, problems, startServer, tempDir, writeTree } from './helpers.js';

const PNG = fs.readFileSync(path.join(FIXTURES, 'images/articles/pics/red.png'));
const hits = new Map<string, number>();
let server: Awaited<ReturnType<typeof startServer>>;
let base = '';
let webp: Buffer;

before(async () => {
  webp = await sharp({ create: { width: 4, height: 3, channels: 3, background: { r: 0, g: 128, b: 255 } } }).webp({ lossless: true }).toBuffer();
  server = await startServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const send = (status: number, type: string, body: Buffer | string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (url === '/red.png') return send(200, 'image/png', PNG);
    if (url === '/named.jpg') return send(200, 'image/jpeg', PNG); // the bytes say PNG
    if (url === '/photo.webp') return send(200, 'image/webp', webp);
    if (url === '/missing.png') return send(404, 'text/plain', 'not found');
    if (url === '/slow.png') return; // never answers
    if (url === '/loop') {
      res.writeHead(302, { location: '/loop' });
      return res.end();
    }
    if (url === '/moved.png') {
      res.writeHead(301, { location: '/red.png' });
      return res.end();
    }
    if (url === '/page.html') return send(200, 'text/html', '<html><body>not an image</body></html>');
    if (url === '/big.png') return send(200, 'image/png', Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]));
    if (url === '/flaky.png') return hits.get(url) === 1 ? send(500, 'text/plain', 'try again') : send(200, 'image/png', PNG);
    send(404, 'text/plain', 'no such thing');
  });
  base = server.base;
});

after(() => server.close());

const LOOPBACK = { allowPrivateNetwork: true, timeoutMs: 800, maxBytes: 1024 * 1024 };

describe('remote images', () => {
  it('downloads, converts and embeds them once each; every failure is a warning with its line and the book stays valid', async () => {
    hits.clear();
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': [
        '# Remote',
        '',
        `![red](${base}/red.png) ![red again](${base}/red.png) ![moved](${base}/moved.png) ![named](${base}/named.jpg)`,
        `<img src="${base}/photo.webp" alt="webp">`,
        `![flaky](${base}/flaky.png)`,
        `![missing](${base}/missing.png)`,
        `![slow](${base}/slow.png)`,
        `![loop](${base}/loop)`,
        `![page](${base}/page.html)`,
        `![big](${base}/big.png)`,
        // Without alt text, the message says what is shown in the image's place: its title, or nothing.
        `<img src="${base}/missing.png" title="A title"> <img src="${base}/missing.png">`,
        '',
      ].join('\n'),
    });
    const result = await makeBook({ cwd: dir, remote: LOOPBACK });
    const warnings = result.diagnostics.map((d) => `${d.line}: ${d.code}: ${d.message.replace(base, '')}`);
    assert.deepEqual(warnings, [
      '6: image-download-failed: image /missing.png could not be downloaded (HTTP 404); its alt text is shown instead',
      '7: image-download-failed: image /slow.png could not be downloaded (no answer within 0.8 s); its alt text is shown instead',
      '8: image-download-failed: image /loop could not be downloaded (more than 5 redirects); its alt text is shown instead',
      '9: image-not-image: image /page.html left out: the file is not an image',
      '10: image-download-failed: image /big.png could not be downloaded (larger than 1 MB); its alt text is shown instead',
      '11: image-download-failed: image /missing.png could not be downloaded (HTTP 404); its title is shown instead',
      '11: image-download-failed: image /missing.png could not be downloaded (HTTP 404); it has no alt text to show in its place',
    ]);
    assert.equal(hits.get('/red.png'), 2, 'once for red.png, once through the redirect of moved.png');
    assert.equal(hits.get('/flaky.png'), 2, 'a server error is tried again');
    const book = await openEpub(result.epub!);
    const images = book.names.filter((n) => n.startsWith('OEBPS/images/'));
    assert.equal(images.length, 2, `red (and its copies) and the converted WebP: ${images.join(', ')}`);
    for (const img of images) assert.equal((await book.bytes(img)).subarray(1, 4).toString('latin1'), 'PNG');
    const opf = await book.text('OEBPS/content.opf');
    for (const img of images) assert.ok(opf.includes(`href="${img.slice(6)}" media-type="image/png"`));
    const xhtml = await book.text('OEBPS/chapter-a.xhtml');
    assert.ok(!xhtml.includes(base), 'no reference to the network is left');
    assert.match(xhtml, /<span class="image-missing">slow<\/span>/);
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('never asks a loopback or private address unless allowed', async () => {
    hits.clear();
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': `# A\n\n![x](${base}/red.png) ![y](http://localhost:1/x.png) <img src="http://[::1]/x.png"> ![w](http://10.0.0.1/x.png)\n` });
    const result = await makeBook({ cwd: dir, remote: { timeoutMs: 800 } });
    assert.equal(hits.size, 0, 'the server was never asked');
    assert.equal(result.diagnostics.length, 4);
    for (const d of result.diagnostics) assert.match(d.message, /private or local address, which is refused unless private addresses are allowed/);
  });

  it('downloads from a host written as an IPv6 address, and links to one, with its brackets', async () => {
    // Marked percent-encodes a URL's brackets (`http://%5B::1%5D/`): the image was never downloaded.
    const v6 = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    }, '::1');
    try {
      const dir = tempDir();
      writeTree(dir, { 'articles/a.md': `# A\n\n![red](${v6.base}/red.png)\n\nSee [the host](${v6.base}/page) or <${v6.base}/auto>.\n` });
      const result = await makeBook({ cwd: dir, remote: LOOPBACK });
      assert.deepEqual(result.diagnostics, []);
      const book = await openEpub(result.epub!);
      const chapter = await book.text('OEBPS/chapter-a.xhtml');
      assert.equal(book.names.filter((n) => n.startsWith('OEBPS/images/')).length, 1, book.names.join(' '));
      assert.match(chapter, /<img [^>]*src="images\/[^"]+\.png"/);
      assert.ok(chapter.includes(`href="${v6.base}/page"`), chapter);
      assert.ok(chapter.includes(`href="${v6.base}/auto"`), chapter);
      assert.ok(!chapter.includes('%5B'), chapter);
      const file = path.join(dir, 'book.epub');
      fs.writeFileSync(file, result.epub!);
      assert.equal(problems(await epubcheck(file)), '');
    } finally {
      await v6.close();
    }
  });

  it('keeps downloads in the cache: a second build needs no network, and --offline uses only the cache', async () => {
    hits.clear();
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': `# A\n\n![red](${base}/red.png)\n` });
    const first = await makeBook({ cwd: dir, cacheDir: '.quire-cache', remote: LOOPBACK });
    assert.equal(hits.get('/red.png'), 1);
    const offline = await makeBook({ cwd: dir, cacheDir: '.quire-cache', remote: { ...LOOPBACK, offline: true } });
    assert.equal(hits.get('/red.png'), 1, 'not asked again');
    assert.deepEqual(offline.diagnostics, []);
    assert.ok(offline.epub!.equals(first.epub!));
    const empty = await makeBook({ cwd: tempDir(), articlesDir: path.join(dir, 'articles'), remote: { offline: true } });
    assert.match(empty.diagnostics[0]!.message, /not downloaded before, and the build is offline/);
  });

  it('finishes quickly when a host cannot be reached, trying it once', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 40 }, (_, i) => `![badge ${i}](https://badges.invalid/b${i}.svg)`);
    writeTree(dir, { 'articles/readme.md': `# Project\n\n${lines.join('\n')}\n` });
    const started = Date.now();
    const result = await makeBook({ cwd: dir, remote: { timeoutMs: 5000 } });
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.equal(result.diagnostics.length, 40);
    for (const d of result.diagnostics) assert.match(d.message, /cannot reach badges\.invalid/);
    assert.ok(result.epub, 'the book is still made');
  });
});
