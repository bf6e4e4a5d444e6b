// quire check: silent on quire's own books, each rule firing on a book broken on purpose, and bounded,
// clear errors on hostile files (zip bombs, entities, escaping names, truncated files).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { checkEpub } from '../src/check/index.js';
import { readCentralDirectory } from '../src/check/zip.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { makeBook } from '../src/index.js';
import { FIXTURES, ROOT, runCli, tempDir, VALIDATOR } from './helpers.js';

const CHAPTER = 'OEBPS/chapter-002-nato-opportunities-in-the-indo-pacific.xhtml';
let seed: Buffer;

async function seedBook(): Promise<Buffer> {
  seed ??= (await makeBook({ cwd: ROOT, articlesDir: 'articles' })).epub!;
  return seed;
}

/** A copy of the project's book, changed by `change`, written to a file. */
async function broken(change: (zip: JSZip) => Promise<void> | void, options: { mimetype?: 'STORE' | 'DEFLATE' } = {}): Promise<string> {
  const zip = await JSZip.loadAsync(await seedBook());
  await change(zip);
  const mimetype = zip.file('mimetype');
  const out = new JSZip();
  out.file('mimetype', 'application/epub+zip', { compression: options.mimetype ?? 'STORE' });
  for (const [name, file] of Object.entries(zip.files)) {
    if (name === 'mimetype' || file.dir) continue;
    out.file(name, await file.async('nodebuffer'));
  }
  void mimetype;
  const file = path.join(tempDir(), 'broken.epub');
  fs.writeFileSync(file, await out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return file;
}

async function edit(zip: JSZip, name: string, change: (text: string) => string): Promise<void> {
  zip.file(name, change(await zip.file(name)!.async('string')));
}

const codes = (findings: Diagnostic[]) => [...new Set(findings.map((f) => f.code))].sort();

describe('quire check on quire books', () => {
  it("finds nothing in the project's book or any fixture book", async () => {
    const dir = tempDir();
    const books: [string, Buffer][] = [['own', await seedBook()]];
    for (const name of fs.readdirSync(FIXTURES).filter((n) => !n.startsWith('error-'))) {
      const r = await makeBook({ cwd: path.join(FIXTURES, name), remote: { offline: true } });
      books.push([name, r.epub!]);
    }
    for (const [name, epub] of books) {
      const file = path.join(dir, `${name}.epub`);
      fs.writeFileSync(file, epub);
      assert.deepEqual(await checkEpub(file, { epubcheck: false }), [], name);
    }
  });

  it('quire check exits 0 on a good book, and merges EPUBCheck when it is installed', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'book.epub'), await seedBook());
    const r = await runCli(['check', 'book.epub'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'book.epub: no problems found\n');
  });
});

describe('quire check on EPUB 2 books', () => {
  const epub2 = (options: { ncx?: boolean } = {}) =>
    broken(async (zip) => {
      await edit(zip, 'OEBPS/content.opf', (x) => {
        let opf = x.replace('version="3.0"', 'version="2.0"').replace(/\s*<meta property="[^"]+">[^<]*<\/meta>/g, '').replace(' properties="nav"', '').replace(' properties="cover-image"', '');
        if (options.ncx === false) opf = opf.replace(/\s*<item id="ncx"[^>]*\/>/, '').replace(' toc="ncx"', '');
        return opf;
      });
      for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xhtml'))) await edit(zip, name, (x) => x.replace(/ xml:lang="en" lang="en"/, ''));
      if (options.ncx === false) zip.remove('OEBPS/toc.ncx');
    });

  it('applies no EPUB 3 rule (navigation document, language of each document, accessibility metadata) to EPUB 2', async () => {
    assert.deepEqual(await checkEpub(await epub2(), { epubcheck: false }), []);
    const noNcx = await checkEpub(await epub2({ ncx: false }), { epubcheck: false });
    assert.deepEqual(noNcx.map((d) => [d.code, d.message]), [['check-nav', 'no NCX (manifest item of type application/x-dtbncx+xml): an EPUB 2 book needs one']]);
  });

  it("finds nothing in a book calibre converted to EPUB 2, nor in calibre's own quick-start guide but its missing mimetype", async (t) => {
    try {
      execFileSync('ebook-convert', ['--version'], { stdio: 'pipe' });
    } catch {
      process.stderr.write('\n!! SKIPPED the calibre EPUB 2 check: ebook-convert is not installed (apt-get install -y calibre; .ci/run does)\n\n');
      return t.skip('calibre is not installed');
    }
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'book.epub'), await seedBook());
    const env = { ...process.env, QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox', CALIBRE_CONFIG_DIRECTORY: path.join(dir, 'calibre-config') };
    execFileSync('ebook-convert', ['book.epub', 'v2.epub', '--epub-version', '2'], { cwd: dir, env, stdio: 'pipe' });
    const converted = await JSZip.loadAsync(fs.readFileSync(path.join(dir, 'v2.epub')));
    assert.match(await converted.file(/\.opf$/)[0]!.async('string'), /version="2\.0"/);
    assert.deepEqual(await checkEpub(path.join(dir, 'v2.epub'), { epubcheck: false }), []);
    const guide = '/usr/share/calibre/quick_start/eng.epub';
    if (fs.existsSync(guide)) assert.deepEqual(codes(await checkEpub(guide, { epubcheck: false })), ['check-mimetype']);
  });
});

describe('quire check on broken books', () => {
  it('reports each problem with the file, line and rule', async () => {
    const file = await broken(async (zip) => {
      await edit(zip, CHAPTER, (x) =>
        x
          .replace(/^<\?xml[^>]*>\n/, '')
          .replace(' xml:lang="en" lang="en"', '')
          .replace('<p>2022 is', '<p id="dup">A</p><p id="dup" onclick="x()">B</p><script>alert(1)</script><img src="https://example.com/x.png" alt="remote"/><img src="images/none.png"/><h5>Skipped</h5><table><tr><td>no header</td></tr></table><p>2022 is'),
      );
      await edit(zip, 'OEBPS/toc.xhtml', (x) => x.replace('#the-advantage-of-closer-cooperation-for-nato', '#nowhere'));
      await edit(zip, 'OEBPS/content.opf', (x) => x.replace('<dc:language>en</dc:language>', '<dc:language>english</dc:language>').replace(/\s*<meta property="schema:accessibilitySummary">[^<]*<\/meta>/, ''));
      zip.file('OEBPS/stray.txt', 'not in the manifest');
    });
    const findings = await checkEpub(file, { epubcheck: false });
    assert.deepEqual(codes(findings), [
      'a11y-alt',
      'a11y-heading-order',
      'a11y-metadata',
      'a11y-table-headers',
      'check-duplicate-id',
      'check-language',
      'check-manifest-extra',
      'check-missing-resource',
      'check-nav-target',
      'check-remote',
      'check-script',
      'kindle-xml-declaration',
    ]);
    const dup = findings.find((f) => f.code === 'check-duplicate-id')!;
    assert.equal(dup.file, `${file}/${CHAPTER}`);
    assert.ok(dup.line! > 1);
    assert.match(findings.find((f) => f.code === 'check-nav-target')!.message, /#nowhere/);
    assert.ok(findings.some((f) => f.code === 'check-language' && /english/.test(f.message) && f.source === 'kindle'));
  });

  it('reports remote resources in the CSS of any EPUB: style sheets, <style> and style attributes, escapes decoded', async () => {
    const file = await broken(async (zip) => {
      await edit(zip, 'OEBPS/style.css', (x) =>
        [
          '@import url("https://a.example/import.css");',
          "@import 'https://b.example/import2.css' screen;",
          x,
          "p.c { background: -webkit-image-set('https://c.example/p.png' 1x, \"https://d.example/q.png\" 2x); }",
          '@font-face { font-family: F; src: u\\72l(//e.example/f.woff2) format("woff2"); }',
          'p.g { background: \\75rl(\\68ttps://g.example/x.png); }',
          'p.h { background: image("ftp://h.example/y.png"); }',
          'p::before { content: "http://not-loaded.example/"; }',
          '@namespace svg url(http://www.w3.org/2000/svg);',
          '/* url(https://in-a-comment.example/) */',
          'p.l { background: url(images/local.png); }',
        ].join('\n'),
      );
      await edit(zip, CHAPTER, (x) =>
        x
          .replace('</head>', '<style>@import "//i.example/s.css";</style></head>')
          .replace('<p>2022 is', `<p style="background-image: image-set('https://tracker.example/p.png' 1x)">x</p><p>2022 is`),
      );
    });
    const findings = await checkEpub(file, { epubcheck: false });
    const remote = findings.filter((d) => d.code === 'check-remote').map((d) => `${d.file!.slice(file.length + 1)}: ${d.message}`);
    assert.deepEqual(remote.sort(), [
      `${CHAPTER}: <style> loads a remote resource: //i.example/s.css`,
      `${CHAPTER}: a style attribute loads a remote resource: https://tracker.example/p.png`,
      'OEBPS/style.css: the style sheet loads a remote resource: //e.example/f.woff2',
      'OEBPS/style.css: the style sheet loads a remote resource: ftp://h.example/y.png',
      'OEBPS/style.css: the style sheet loads a remote resource: https://a.example/import.css',
      'OEBPS/style.css: the style sheet loads a remote resource: https://b.example/import2.css',
      'OEBPS/style.css: the style sheet loads a remote resource: https://c.example/p.png',
      'OEBPS/style.css: the style sheet loads a remote resource: https://d.example/q.png',
      'OEBPS/style.css: the style sheet loads a remote resource: https://g.example/x.png',
    ]);
    const r = await runCli(['check', file, '--no-epubcheck'], { cwd: path.dirname(file) });
    assert.equal(r.code, 1);
  });

  it('flags a 30,000 x 30,000 PNG (a decompression bomb) from its IHDR, without decoding it', async () => {
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(12 + data.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(30_000, 0);
    ihdr.writeUInt32BE(30_000, 4);
    ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
    // The first rows only: a reader would allocate for the whole image before finding the data short.
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(30_001 * 16))), chunk('IEND', Buffer.alloc(0))]);
    const file = await broken(async (zip) => {
      zip.file('OEBPS/images/bomb.png', png);
      await edit(zip, 'OEBPS/content.opf', (x) => x.replace('</manifest>', '<item id="bomb" href="images/bomb.png" media-type="image/png"/></manifest>'));
      await edit(zip, CHAPTER, (x) => x.replace('<p>2022 is', '<p><img src="images/bomb.png" alt="big"/></p><p>2022 is'));
    });
    const r = await runCli(['check', file, '--no-epubcheck'], { cwd: path.dirname(file) });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'broken.epub/OEBPS/images/bomb.png: error: images/bomb.png is 30000 x 30000 pixels (900 megapixels, more than 50): decoding it takes 3433 MB (a decompression bomb?) [check-image-pixels]\n');
  });

  it('checks the container, the manifest against the zip, and media types by their bytes', async () => {
    const file = await broken(
      async (zip) => {
        zip.remove('OEBPS/chapter-001-nato-pulling-seoul-closer.xhtml');
        zip.file('OEBPS/cover.png', Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000\u0000\u0000\u0000\u00ff\u00ff\u00ff,\u0000\u0000\u0000\u0000\u0001\u0000\u0001\u0000\u0000\u0002\u0002D\u0001\u0000;', 'latin1'));
      },
      { mimetype: 'DEFLATE' },
    );
    const findings = await checkEpub(file, { epubcheck: false });
    assert.deepEqual(codes(findings), ['check-manifest-missing', 'check-media-type', 'check-mimetype', 'check-nav-target']);
  });

  it('finds malformed XHTML, WebP images and links to the body', async () => {
    const file = await broken(async (zip) => {
      await edit(zip, CHAPTER, (x) => x.replace('<body>', '<body id="top">').replace('</section>', '<b></section>'));
      await edit(zip, 'OEBPS/toc.xhtml', (x) => x.replace('chapter-001-nato-pulling-seoul-closer.xhtml"', 'chapter-001-nato-pulling-seoul-closer.xhtml#top"'));
      await edit(zip, 'OEBPS/chapter-001-nato-pulling-seoul-closer.xhtml', (x) => x.replace('<body>', '<body id="top">'));
      zip.file('OEBPS/images/pic.webp', fs.readFileSync(path.join(FIXTURES, 'images/articles/pics/red.png')));
      await edit(zip, 'OEBPS/content.opf', (x) => x.replace('</manifest>', '<item id="webp" href="images/pic.webp" media-type="image/webp"/></manifest>'));
    });
    const findings = await checkEpub(file, { epubcheck: false });
    assert.ok(findings.some((f) => f.code === 'check-xml' && f.file === `${file}/${CHAPTER}`), JSON.stringify(findings));
    assert.ok(findings.some((f) => f.code === 'kindle-body-link'));
    assert.ok(findings.some((f) => f.code === 'kindle-image-type'));
    assert.ok(findings.some((f) => f.code === 'check-media-type'), 'a PNG listed as WebP');
  });

  it(`merges ${VALIDATOR === 'epubcheck' ? "EPUBCheck's" : 'no EPUBCheck'} messages and exits 1 on errors`, async (t) => {
    const file = await broken(async (zip) => {
      await edit(zip, CHAPTER, (x) => x.replace('<p>2022 is', '<p id="dup">A</p><p id="dup">B</p><p>2022 is'));
    });
    const r = await runCli(['check', file], { cwd: path.dirname(file) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.epub\/OEBPS\/chapter-002[^:]+\.xhtml:\d+:\d+: error: id `dup` is used twice \[check-duplicate-id\]/);
    if (VALIDATOR !== 'epubcheck') return t.skip('the EPUBCheck jar is not installed');
    assert.match(r.stderr, /\[epubcheck-RSC-005\]/);
    const json = await runCli(['check', file, '--json'], { cwd: path.dirname(file) });
    const findings = JSON.parse(json.stdout) as Diagnostic[];
    assert.ok(findings.some((f) => f.source === 'epubcheck'));
    assert.ok(findings.some((f) => f.source === 'quire'));
  });
});

describe('quire check on hostile files', () => {
  it('reports a bad percent-escape in an href instead of crashing (exit 1, not 70)', async () => {
    const file = await broken(async (zip) => {
      await edit(zip, 'OEBPS/content.opf', (x) => x.replace('href="chapter-001-nato-pulling-seoul-closer.xhtml"', 'href="bad%zz.xhtml"'));
      await edit(zip, 'OEBPS/toc.xhtml', (x) => x.replace('href="chapter-002-', 'href="%E0%A4%A.xhtml#x" title="').replace('href="chapter-003-', 'href="chapter-003-%'));
      await edit(zip, CHAPTER, (x) => x.replace('<p>2022 is', '<p><img src="pic%g0.png" alt=""/></p><p>2022 is'));
    });
    const r = await runCli(['check', file, '--no-epubcheck'], { cwd: path.dirname(file) });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /URIError|at .*\.js:\d+/);
    const lines = r.stderr.split('\n').filter((l) => l.includes('[check-href]'));
    assert.ok(lines.some((l) => /content\.opf:\d+:1: error: "bad%zz\.xhtml" has a bad percent-escape/.test(l)), r.stderr);
    assert.ok(lines.some((l) => /toc\.xhtml:\d+:1: error: "%E0%A4%A\.xhtml#x" has a bad percent-escape/.test(l)), r.stderr);
    assert.ok(lines.some((l) => l.includes('"pic%g0.png"')), r.stderr);
  });

  const write = (data: Buffer) => {
    const file = path.join(tempDir(), 'hostile.epub');
    fs.writeFileSync(file, data);
    return file;
  };

  /** A zip written by hand, so that sizes and names can lie. */
  function zipOf(entries: { name: string; data: Buffer; declaredSize?: number; deflate?: boolean }[]): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
      const name = Buffer.from(e.name);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(e.deflate ? 8 : 0, 8);
      local.writeUInt32LE(zlib.crc32(e.data), 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(e.declaredSize ?? e.data.length, 22);
      local.writeUInt16LE(name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(e.deflate ? 8 : 0, 10);
      central.writeUInt32LE(zlib.crc32(e.data), 16);
      central.writeUInt32LE(body.length, 20);
      central.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      locals.push(local, name, body);
      centrals.push(central, name);
      offset += 30 + name.length + body.length;
    }
    const cd = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, cd, end]);
  }
  const mimetype = { name: 'mimetype', data: Buffer.from('application/epub+zip') };

  it('refuses a billion-laughs DOCTYPE in any entry before EPUBCheck sees it', async () => {
    const laughs = '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>';
    const file = await broken(async (zip) => {
      await edit(zip, CHAPTER, (x) => x.replace('<html', `${laughs}\n<html`).replace('<p>2022 is', '<p>&i;</p><p>2022 is'));
      // Also in UTF-16, in an entry no rule of quire's parses.
      zip.file('OEBPS/extra.svg', Buffer.from(`<?xml version="1.0" encoding="UTF-16"?>${laughs}<svg xmlns="http://www.w3.org/2000/svg">&i;</svg>`, 'utf16le'));
    });
    const r = await runCli(['check', file], { cwd: path.dirname(file) });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`broken\\.epub/${CHAPTER.replace(/\./g, '\\.')}: error: the entry declares XML entities .*\\[check-xml-entities\\]`));
    assert.match(r.stderr, /broken\.epub\/OEBPS\/extra\.svg: error: the entry declares XML entities/);
    assert.match(r.stderr, /broken\.epub: warning: EPUBCheck was not run: OEBPS\/chapter-002[^,]+\.xhtml, OEBPS\/extra\.svg declare XML entities, which it would expand \[check-epubcheck-not-run\]/);
    assert.doesNotMatch(r.stderr, /\[epubcheck-/);
    assert.equal(r.stderr.split('[check-xml-entities]').length - 1, 2, 'one finding an entry');
  });

  it('bounds EPUBCheck in memory and time, and says when it did not run or finish, and why', async (t) => {
    const dir = tempDir();
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, await seedBook());
    const missing = await checkEpub(file, { epubcheckJar: path.join(dir, 'no.jar') });
    assert.deepEqual(missing.map((d) => [d.severity, d.code, d.message]), [['warning', 'check-epubcheck-not-run', `EPUBCheck was not run: its jar is not at ${path.join(dir, 'no.jar')} (install EPUBCheck, or pass --no-epubcheck)`]]);
    if (VALIDATOR !== 'epubcheck') return t.skip('Java and the EPUBCheck jar are not installed');
    const starved = await checkEpub(file, { epubcheckLimits: { memoryMb: 8 } });
    assert.deepEqual(starved.map((d) => [d.severity, d.code, d.message]), [['error', 'check-epubcheck-failed', 'EPUBCheck did not finish, so its findings are missing: it ran out of its 8 MB of memory']]);
    const hurried = await runCli(['check', 'book.epub', '--epubcheck-timeout', '1'], { cwd: dir });
    assert.equal(hurried.code, 1);
    assert.equal(hurried.stderr, 'book.epub: error: EPUBCheck did not finish, so its findings are missing: it was stopped after 1 s, its time limit [check-epubcheck-failed]\n');
    const usage = await runCli(['check', 'book.epub', '--epubcheck-memory', 'lots'], { cwd: dir });
    assert.equal(usage.code, 2);
  });

  it('verifies the CRC-32 of every entry: one flipped byte in a stored image is an error', async () => {
    const book = Buffer.from(await seedBook());
    const image = readCentralDirectory(book).find((e) => e.method === 0 && /\.(png|jpe?g|gif)$/.test(e.name))!;
    assert.ok(image, 'the book stores an image');
    const start = image.offset + 30 + book.readUInt16LE(image.offset + 26) + book.readUInt16LE(image.offset + 28);
    book[start + Math.floor(image.compressedSize / 2)]! ^= 0x01;
    const file = write(book);
    const r = await runCli(['check', file], { cwd: path.dirname(file) });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`hostile\\.epub/${image.name.replace(/\./g, '\\.')}: error: CRC-32 mismatch \\(declared [0-9a-f]{8}, the bytes give [0-9a-f]{8}\\): the entry is damaged or was altered \\[check-zip\\]`));
    assert.doesNotMatch(r.stdout, /no problems found/);
  });

  it('refuses a zip bomb before inflating it, and one that lies about its size while inflating', async () => {
    const bomb = zipOf([mimetype, { name: 'OEBPS/big.xhtml', data: Buffer.alloc(100 * 1024 * 1024), deflate: true }]);
    assert.ok(bomb.length < 1024 * 1024, 'a small file');
    const started = Date.now();
    const findings = await checkEpub(write(bomb), { epubcheck: false });
    assert.equal(findings[0]!.code, 'check-zip');
    assert.match(findings[0]!.message, /zip bomb/);
    const liar = zipOf([mimetype, { name: 'META-INF/container.xml', data: Buffer.alloc(50 * 1024 * 1024, 32), declaredSize: 100, deflate: true }]);
    const lies = await checkEpub(write(liar), { epubcheck: false });
    assert.ok(lies.some((f) => f.code === 'check-zip' && f.file?.endsWith('/META-INF/container.xml') && /cannot be inflated: it holds more than the 100 bytes it declares \(a zip bomb\?\)/.test(f.message)), JSON.stringify(lies));
    // Under the size caps, but growing 1,000 times: refused from the central directory alone.
    const dense = zipOf([mimetype, { name: 'OEBPS/dense.xhtml', data: Buffer.alloc(40 * 1024 * 1024), deflate: true }]);
    const [refused] = await checkEpub(write(dense), { epubcheck: false });
    assert.equal(refused!.code, 'check-zip');
    assert.match(refused!.message, /^OEBPS\/dense\.xhtml would inflate from \d+ to 41943040 bytes, more than 100 times \(a zip bomb\?\)$/);
    // An entry holding fewer bytes than it declares.
    const short = zipOf([mimetype, { name: 'OEBPS/short.css', data: Buffer.from('p {}'), declaredSize: 40, deflate: true }]);
    const shorts = await checkEpub(write(short), { epubcheck: false });
    assert.ok(shorts.some((f) => f.file?.endsWith('/OEBPS/short.css') && f.message === 'the entry declares 40 bytes but holds 4'), JSON.stringify(shorts));
    assert.ok(Date.now() - started < 10_000);
  });

  it('refuses entity declarations in the package and names that lead out of the book', async () => {
    const container = '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';
    const opf = '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "file:///etc/passwd">]><package xmlns="http://www.idpf.org/2007/opf"><metadata>&b;&ext;</metadata></package>';
    const file = write(zipOf([mimetype, { name: 'META-INF/container.xml', data: Buffer.from(container) }, { name: 'content.opf', data: Buffer.from(opf) }, { name: '../../escape.txt', data: Buffer.from('x') }, { name: '/etc/cron.d/x', data: Buffer.from('x') }]));
    const findings = await checkEpub(file, { epubcheck: false });
    assert.ok(findings.some((f) => f.code === 'check-xml-entities'), JSON.stringify(findings));
    assert.equal(findings.filter((f) => f.code === 'check-zip-path').length, 2);
    assert.ok(!fs.existsSync(path.join(path.dirname(file), '..', '..', 'escape.txt')));
    assert.ok(!JSON.stringify(findings).includes('root:'), 'nothing of /etc/passwd was read');
  });

  it('finds broken links and duplicate entries as EPUBCheck does, without it', async (t) => {
    const source = await JSZip.loadAsync(await seedBook());
    const files: { name: string; data: Buffer; deflate?: boolean }[] = [];
    for (const [name, f] of Object.entries(source.files)) if (!f.dir) files.push({ name, data: await f.async('nodebuffer'), deflate: name !== 'mimetype' });
    const chapter = files.find((f) => f.name === CHAPTER)!;
    chapter.data = Buffer.from(chapter.data.toString().replace('<p>2022 is', '<p><a href="chapter-009-gone.xhtml">gone</a> <a href="chapter-001-nato-pulling-seoul-closer.xhtml#nowhere">nowhere</a> <a href="#missing">here</a> <a href="https://example.org/#x">web</a></p><p>2022 is'));
    const style = files.find((f) => f.name === 'OEBPS/style.css')!;
    const file = write(zipOf([...files, { name: style.name, data: Buffer.from('p { color: red }') }]));
    const r = await runCli(['check', file, '--no-epubcheck'], { cwd: path.dirname(file) });
    assert.equal(r.code, 1, r.stderr);
    const chapterLine = (message: string) => new RegExp(`hostile\\.epub/${CHAPTER.replace(/\./g, '\\.')}:\\d+:\\d+: error: ${message} \\[check-broken-link\\]`);
    assert.match(r.stderr, chapterLine('the link chapter-009-gone\\.xhtml leads to a file that is not in the book'));
    assert.match(r.stderr, chapterLine('the link chapter-001-nato-pulling-seoul-closer\\.xhtml#nowhere leads to #nowhere, which OEBPS/chapter-001-nato-pulling-seoul-closer\\.xhtml does not have'));
    assert.match(r.stderr, chapterLine('the link #missing leads to #missing, which this document does not have'));
    assert.doesNotMatch(r.stderr, /example\.org/);
    assert.match(r.stderr, /hostile\.epub\/OEBPS\/style\.css: error: the zip holds two entries of this name: readers may take either \[check-zip-duplicate\]/);
    if (VALIDATOR !== 'epubcheck') return t.skip('EPUBCheck is not installed: its side is not compared');
    const withEpubcheck = await checkEpub(file);
    // What EPUBCheck reports, quire reports too: a missing file (RSC-007), a missing fragment (RSC-012), a duplicate entry (OPF-060).
    const theirs = codes(withEpubcheck.filter((d) => d.source === 'epubcheck'));
    for (const id of ['epubcheck-RSC-007', 'epubcheck-RSC-012', 'epubcheck-OPF-060']) assert.ok((theirs as string[]).includes(id), `${id} in ${theirs.join(' ')}`);
  });

  it('escapes entry names before printing them: a name cannot forge a line of output', async () => {
    const container = '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';
    const opf = '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata><dc:language xmlns:dc="http://purl.org/dc/elements/1.1/">en</dc:language></metadata><manifest/><spine/></package>';
    const evil = 'evil\nhostile.epub/injected.xhtml:3:1: warning: all is well [check-nav]\r\u001b[2K\u0085\u2028\u202e';
    const file = write(zipOf([mimetype, { name: 'META-INF/container.xml', data: Buffer.from(container) }, { name: 'content.opf', data: Buffer.from(opf) }, { name: evil, data: Buffer.from('x') }]));
    const r = await runCli(['check', file, '--no-epubcheck'], { cwd: path.dirname(file) });
    assert.equal(r.code, 1);
    for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^hostile\.epub.*: (error|warning): .* \[[a-z0-9-]+\]$/, line);
    assert.ok(r.stderr.includes('hostile.epub/evil\\nhostile.epub/injected.xhtml:3:1: warning: all is well [check-nav]\\r\\x1b[2K\\x85\\u2028\\u202e: warning:'), r.stderr);
    assert.doesNotMatch(r.stderr, /^hostile\.epub\/injected/m);
  });

  it('says clearly when the file is not a zip, is truncated, or holds a million entries', async () => {
    assert.match((await checkEpub(write(Buffer.from('just text, not a zip')), { epubcheck: false }))[0]!.message, /not a zip file/);
    const whole = await seedBook();
    assert.match((await checkEpub(write(whole.subarray(0, whole.length - 100)), { epubcheck: false }))[0]!.message, /truncated or damaged/);
    const many = zipOf([mimetype, ...Array.from({ length: 60_000 }, (_, i) => ({ name: `f${i}`, data: Buffer.alloc(0) }))]);
    assert.match((await checkEpub(write(many), { epubcheck: false }))[0]!.message, /60001 entries, more than the 50000/);
  });
});
