// Hostile input, round two: a shared articles folder, a web page or a cache can never leak a file into
// the book, hang quire or exhaust it. Each case checks the diagnostic, the exit code, the bound, and that
// nothing of the file outside reaches the book.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { encodePng, SVG_SCALE } from '../src/images.js';
import { makeBook } from '../src/index.js';
import { CLI, openEpub, ROOT, runCli, startServer, tempDir, writeTree, type Epub } from './helpers.js';

/** A PNG of one flat colour. */
function png(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

/** How many pixels of each image in the book are (nearly) of colour `rgb`. */
async function pixelsOf(book: Epub, rgb: [number, number, number]): Promise<number> {
  let count = 0;
  for (const name of book.names.filter((n) => n.endsWith('.png'))) {
    const { data, info } = await sharp(await book.bytes(name)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < info.width * info.height * 4; i += 4) {
      if (data[i + 3]! > 200 && Math.abs(data[i]! - rgb[0]) < 8 && Math.abs(data[i + 1]! - rgb[1]) < 8 && Math.abs(data[i + 2]! - rgb[2]) < 8) count++;
    }
  }
  return count;
}

/** Whether any entry of the book holds these bytes. */
async function holds(book: Epub, bytes: Buffer): Promise<boolean> {
  for (const name of book.names) if ((await book.bytes(name)).includes(bytes)) return true;
  return false;
}

/** A reference as the diagnostics show it: long ones are cut short. */
const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

const RED: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number] = [0, 0, 255];

describe('SVG images draw only what they embed', () => {
  it('never draws a file from outside the articles folder, a device or a web address', async () => {
    const dir = tempDir();
    const secret = await png(40, 40, RED);
    const inside = await png(40, 40, BLUE);
    const abs = path.join(dir, 'outside', 'secret.png');
    const image = (href: string) => `<image href="${href}" width="40" height="40"/>`;
    const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">${body}</svg>`;
    const dataSvg = Buffer.from(svg(image(abs) + image('outside/secret.png') + image('/dev/zero'))).toString('base64');
    writeTree(dir, {
      'outside/secret.png': secret,
      'articles/inside.png': inside,
      // A local SVG may draw an image beside it, never one outside.
      'articles/local.svg': svg(`<image xlink:href="inside.png" width="40" height="40"/><image xlink:href="../outside/secret.png" width="40" height="40"/><image href="file://${abs}" width="40" height="40"/>`),
      // An entity cannot smuggle a path either.
      'articles/entity.svg': `<!DOCTYPE svg [<!ENTITY p "${abs}">]>${svg('<image href="&p;" width="40" height="40"/>')}`,
      'articles/a.md': `# A\n\n![data](data:image/svg+xml;base64,${dataSvg})\n\n![local](local.svg)\n\n![entity](entity.svg)\n`,
    });
    const r = await runCli(['build', '--no-cache', '--verbose'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      `articles/a.md:3:1: warning: image the data: URL: its reference to \`${short(abs)}\` was not followed: an SVG draws only what it embeds (data: URLs) [image-refused]`,
      'articles/a.md:3:1: warning: image the data: URL: its reference to `outside/secret.png` was not followed: an SVG draws only what it embeds (data: URLs) [image-refused]',
      'articles/a.md:3:1: warning: image the data: URL: its reference to `/dev/zero` was not followed: an SVG draws only what it embeds (data: URLs) [image-refused]',
      'articles/a.md:5:1: warning: image `local.svg`: its reference to `../outside/secret.png` was not followed: refused: it leads out of the articles folder; only files inside the articles folder are embedded [image-refused]',
      `articles/a.md:5:1: warning: image \`local.svg\`: its reference to \`${short(`file://${abs}`)}\` was not followed: an SVG draws only images it embeds or images inside the articles folder [image-refused]`,
      `articles/a.md:7:1: warning: image \`entity.svg\`: its reference to \`${short(abs)}\` was not followed: an SVG draws only images it embeds or images inside the articles folder [image-refused]`,
    ]);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    assert.equal(book.names.filter((n) => n.endsWith('.png')).length, 3, 'three drawings');
    assert.equal(await pixelsOf(book, RED), 0, 'no pixel of the outside image');
    assert.equal(await pixelsOf(book, BLUE), 40 * 40 * SVG_SCALE ** 2, 'the image inside the folder is drawn (at SVG_SCALE pixels for each CSS pixel)');
    assert.equal(await holds(book, secret.subarray(-64)), false);
  });

  it('draws an SVG cover without what it does not embed', async () => {
    const dir = tempDir();
    const abs = path.join(dir, 'secret.png');
    writeTree(dir, {
      'secret.png': await png(40, 40, RED),
      'cover.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="64"><rect width="40" height="64" fill="#00ff00"/><image href="${abs}" width="40" height="40"/></svg>`,
      'articles/a.md': '# A\n\nText.\n',
    });
    const r = await runCli(['build', '--no-cache', '--cover', 'cover.svg'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^cover\.svg: warning: cover SVG: its reference to `[^`]+` was not followed: an SVG draws only what it embeds \(data: URLs\) \[image-refused\]$/m);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    assert.equal(await pixelsOf(book, RED), 0);
    assert.ok((await pixelsOf(book, [0, 255, 0])) > 1000, 'the cover is drawn');
  });

  it('draws an SVG whose filters would take too long without them, saying so', async () => {
    const dir = tempDir();
    // One blur over a region 11 times the drawing each way: 36 s to draw with the filter.
    const heavy = '<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000"><filter id="f" x="-500%" y="-500%" width="1100%" height="1100%"><feGaussianBlur stdDeviation="5"/></filter><rect width="2000" height="2000" fill="#0000ff" filter="url(#f)"/></svg>';
    // A drop shadow is cheap and kept.
    const light = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><filter id="s"><feGaussianBlur stdDeviation="4"/></filter><rect x="50" y="50" width="100" height="100" fill="#ff0000" filter="url(#s)"/></svg>';
    writeTree(dir, { 'articles/heavy.svg': heavy, 'articles/light.svg': light, 'articles/a.md': '# A\n\n![heavy](heavy.svg)\n\n![light](light.svg)\n' });
    const started = Date.now();
    const r = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'articles/a.md:3:1: warning: image `heavy.svg`: its filters would take too long to draw (484 million pixels of filter work, more than 16 million): drawn without them [image-too-complex]\n');
    // Generous: the point is that it does not take the 36 s (or more) the filter would.
    assert.ok(Date.now() - started < 30_000);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    // Without its blur the square is flat blue, edge to edge.
    assert.equal(await pixelsOf(book, BLUE), 2000 * 2000);
  });
});

describe('the output path', () => {
  it('is never a symbolic link, a FIFO or a device, and never one of the inputs', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/ok.md': '# OK\n\n![pic](pic.png)\n', 'articles/book.yaml': 'css: style.css\n', 'articles/style.css': 'p { color: black }\n', 'elsewhere/precious.txt': 'precious' });
    fs.writeFileSync(path.join(dir, 'articles/pic.png'), await png(4, 4, BLUE));
    fs.symlinkSync(path.join(dir, 'elsewhere/precious.txt'), path.join(dir, 'link.epub'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.epub')]);
    const before = new Map(['articles/ok.md', 'articles/book.yaml', 'articles/style.css', 'articles/pic.png', 'elsewhere/precious.txt'].map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    const cases: [string, string][] = [
      ['link.epub', 'the output path is a symbolic link; quire writes only to a regular file or a new path'],
      ['fifo.epub', 'the output path is a FIFO (named pipe); quire writes only to a regular file or a new path'],
      ['/dev/null', 'the output path is a device; quire writes only to a regular file or a new path'],
      ['articles/ok.md', 'the output path is one of its inputs (articles/ok.md)'],
      ['articles/book.yaml', 'the output path is one of its inputs (articles/book.yaml)'],
      ['articles/style.css', 'the output path is one of its inputs (articles/style.css)'],
      ['articles/pic.png', 'the output path is one of its inputs (articles/pic.png)'],
    ];
    for (const [output, why] of cases) {
      const r = await runCli(['build', '--no-cache', '-o', output], { cwd: dir });
      assert.equal(r.code, 1, `${output}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n')[0], `${output.startsWith('/') ? path.relative(dir, output) : output}: error: cannot write the book: ${why} [output-unwritable]`);
    }
    for (const [f, bytes] of before) assert.deepEqual(fs.readFileSync(path.join(dir, f)), bytes, `${f} unchanged`);
    assert.ok(fs.lstatSync(path.join(dir, 'link.epub')).isSymbolicLink());
    assert.ok(fs.lstatSync(path.join(dir, 'fifo.epub')).isFIFO());
    assert.ok(fs.statSync('/dev/null').isCharacterDevice());
    assert.deepEqual(fs.readdirSync(dir).sort(), ['articles', 'elsewhere', 'fifo.epub', 'link.epub']);
  });
});

describe('book.yaml, the style sheet and the cover', () => {
  it('book.yaml may name only files inside the articles folder; the command line may name any', async () => {
    const dir = tempDir();
    const secretCss = '.secret-marker { color: red }\n';
    writeTree(dir, { 'articles/a.md': '# A\n\nText.\n', 'outside/secret.css': secretCss, 'outside/cover.png': await png(16, 16, RED) });
    fs.symlinkSync(path.join(dir, 'outside/secret.css'), path.join(dir, 'articles/linked.css'));
    const cases: [string, string][] = [
      ['css: /etc/passwd\n', 'articles/book.yaml:1:6: error: `css` must name a file inside the articles folder (the path leads out of it); give a file elsewhere with --css on the command line [config-value]'],
      ['css: ../outside/secret.css\n', 'articles/book.yaml:1:6: error: `css` must name a file inside the articles folder (the path leads out of it); give a file elsewhere with --css on the command line [config-value]'],
      ['css: linked.css\n', 'articles/book.yaml:1:6: error: `css` must name a file inside the articles folder (it is a link that leads out of it); give a file elsewhere with --css on the command line [config-value]'],
      [`cover: ${path.join(dir, 'outside/cover.png')}\n`, 'articles/book.yaml:1:8: error: `cover` must name a file inside the articles folder (the path leads out of it); give a file elsewhere with --cover on the command line [config-value]'],
    ];
    for (const [yaml, message] of cases) {
      fs.writeFileSync(path.join(dir, 'articles/book.yaml'), yaml);
      const r = await runCli(['build', '--no-cache'], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, `${message}\nquire: no book written (1 error)\n`);
      assert.equal(fs.existsSync(path.join(dir, 'output')), false);
    }
    // What the user types is trusted.
    fs.rmSync(path.join(dir, 'articles/book.yaml'));
    const r = await runCli(['build', '--no-cache', '--css', 'outside/secret.css', '--cover', 'outside/cover.png'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    assert.ok((await book.text('OEBPS/style.css')).includes('.secret-marker { color: red; }'));
  });

  it('reads only regular files, up to a size, for book.yaml, the style sheet and the cover', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\nText.\n' });
    const a = (f: string) => path.join(dir, 'articles', f);
    const cases: [() => void, string[], string][] = [
      [() => execFileSync('mkfifo', [a('book.yaml')]), [], 'articles/book.yaml: error: cannot read: not a regular file (a FIFO): not read [config-unreadable]'],
      [() => fs.symlinkSync('/dev/zero', a('book.yaml')), [], 'articles/book.yaml: error: cannot read: not a regular file (a device): not read [config-unreadable]'],
      [() => fs.writeFileSync(a('book.yaml'), `title: ${'x'.repeat(1024 * 1024)}\n`), [], 'articles/book.yaml: error: cannot read: larger than 1 MB: not read [config-unreadable]'],
      [() => (execFileSync('mkfifo', [a('pipe.css')]), fs.writeFileSync(a('book.yaml'), 'css: pipe.css\n')), [], 'articles/pipe.css: error: style sheet cannot be read: not a regular file (a FIFO): not read [css-unreadable]'],
      [() => fs.symlinkSync('/dev/zero', a('zero.png')), ['--cover', 'articles/zero.png'], 'articles/zero.png: error: cover image cannot be read: not a regular file (a device): not read [cover-unreadable]'],
      [() => {}, ['--css', '/dev/zero'], '../../dev/zero: error: style sheet cannot be read: not a regular file (a device): not read [css-unreadable]'],
      [() => fs.writeFileSync(a('big.css'), 'p{}'.repeat(1024 * 1024)), ['--css', 'articles/big.css'], 'articles/big.css: error: style sheet cannot be read: larger than 2 MB: not read [css-unreadable]'],
    ];
    for (const [setup, args, message] of cases) {
      for (const f of ['book.yaml', 'pipe.css', 'zero.png', 'big.css']) fs.rmSync(a(f), { force: true });
      setup();
      const r = await runCli(['build', '--no-cache', ...args], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, `${message.replace('../../', path.relative(dir, '/').replace(/\/?$/, '/'))}\nquire: no book written (1 error)\n`);
      assert.equal(fs.existsSync(path.join(dir, 'output')), false);
    }
  });
});

describe('signals', () => {
  it('SIGTERM during downloads ends quire at once, leaving the old book and no temporary file', async () => {
    let asked!: () => void;
    const request = new Promise<void>((r) => (asked = r));
    // A server that takes the request and never answers: quire would wait 10 s, three times.
    const server = await startServer(() => asked());
    try {
      const dir = tempDir();
      writeTree(dir, { 'output/book.epub': 'the old book', 'articles/a.md': `# A\n\n![x](${server.base}/x.png)\n` });
      const child = spawn(process.execPath, [CLI, 'build', '--allow-private-network'], { cwd: dir });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await request;
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.on('close', r));
      assert.equal(code, 143, stderr);
      assert.equal(stderr, 'quire: interrupted (SIGTERM); no book written\n');
      assert.deepEqual(fs.readdirSync(path.join(dir, 'output')), ['book.epub']);
      assert.equal(fs.readFileSync(path.join(dir, 'output/book.epub'), 'utf8'), 'the old book');
      const leftovers = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
      assert.deepEqual(leftovers, []);
    } finally {
      await server.close();
    }
  });
});

describe('the private-network check', () => {
  it('refuses IPv4 addresses hidden in IPv6 (mapped, compatible, NAT64, 6to4...), in build and in add', async () => {
    let requests = 0;
    const image = await png(4, 4, RED);
    const server = await startServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(image);
    });
    try {
      const port = new URL(server.base).port;
      const hosts = ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::ffff:0:127.0.0.1]', '[::127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::1]', '127.1', '2130706433'];
      const urls = hosts.map((h) => `http://${h}:${port}/x.png`);
      const dir = tempDir();
      writeTree(dir, {
        'articles/a.md': `# A\n\n${urls.map((u, i) => `<img src="${u}" alt="i${i}">`).join('\n\n')}\n`,
        'page.html': `<html><body><article><h1>Page</h1>${'<p>Some text of the page that makes it an article. </p>'.repeat(20)}${urls.map((u) => `<p><img src="${u}" alt="x"></p>`).join('')}</article></body></html>`,
      });
      const built = await runCli(['build', '--no-cache', '--verbose'], { cwd: dir });
      assert.equal(built.code, 0, built.stderr);
      const refused = built.stderr.trim().split('\n');
      assert.equal(refused.length, hosts.length);
      for (const line of refused) assert.match(line, /^articles\/a\.md:\d+:\d+: warning: image http:\/\/\S+ could not be downloaded \((::ffff:7f00:1|::ffff:0:7f00:1|::7f00:1|64:ff9b::7f00:1|2002:7f00:1::1|127\.0\.0\.1) is a private or local address, which is refused unless private addresses are allowed\); its alt text is shown instead \[image-download-failed\]$/);
      const added = await runCli(['add', 'page.html'], { cwd: dir });
      assert.equal(added.code, 0, added.stderr);
      // add keeps each image once, by its URL written the standard way (127.1 is 127.0.0.1).
      assert.equal((added.stderr.match(/is a private or local address/g) ?? []).length, new Set(urls.map((u) => new URL(u).href)).size, added.stderr);
      assert.equal(requests, 0, 'no request reached the loopback server');
      const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
      assert.deepEqual(book.names.filter((n) => n.includes('images/')), []);
      // The same addresses do reach it when allowed: the refusal above is the check, not a failed connection.
      const allowed = await runCli(['build', '--no-cache', '--allow-private-network', '-o', 'allowed.epub'], { cwd: dir });
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.ok(requests >= 2, `${requests} requests`);
    } finally {
      await server.close();
    }
  });
});

describe('a damaged cache', () => {
  it('is detected and made again, never used: the book is the same bytes as from a cold build', async () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`articles/a${i}.md`, `# Article ${i}\n\n${'Words that fill a chapter. '.repeat(200)}\n`])));
    const first = await runCli(['build'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const good = fs.readFileSync(path.join(dir, 'output/book.epub'));
    const entries = fs.readdirSync(path.join(dir, '.quire-cache'), { recursive: true }).map((f) => path.join(dir, '.quire-cache', String(f))).filter((f) => fs.statSync(f).isFile()).sort();
    const kinds = new Set(entries.map((f) => path.relative(path.join(dir, '.quire-cache'), f).split(path.sep)[0]));
    assert.deepEqual([...kinds].sort(), ['chapter', 'cover']);
    // Every entry damaged: truncated, a byte flipped in the middle, or (one) replaced by a FIFO.
    entries.forEach((f, i) => {
      const bytes = fs.readFileSync(f);
      if (i === 0) {
        fs.rmSync(f);
        execFileSync('mkfifo', [f]);
      } else if (i % 2) fs.writeFileSync(f, bytes.subarray(0, bytes.length >> 1));
      else {
        bytes[bytes.length >> 1] ^= 0x20;
        fs.writeFileSync(f, bytes);
      }
    });
    const second = await runCli(['build'], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'output/book.epub')), good);
    // The entries were made again, whole: a third build uses them and gives the same book.
    const third = await runCli(['build'], { cwd: dir });
    assert.equal(third.code, 0, third.stderr);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'output/book.epub')), good);
    for (const f of entries) assert.ok(fs.statSync(f).isFile(), `${f} is whole again`);
  });
});

describe('CSS', () => {
  it('keeps no remote resource from style attributes or the style sheet, and says what it removed', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': `# A\n\n<p style="color: red; background-image: image-set('https://tracker.example/p.png' 1x)">One</p>\n\n<p style="background: -webkit-cross-fade(url(https://tracker.example/q.png), red, 50%); margin: 0">Two</p>\n`,
      'articles/book.yaml': 'css: extra.css\n',
      'articles/extra.css': 'p { color: #333; }\nh1 { background-image: image-set("https://tracker.example/h.png" 1x) }\n@font-face { font-family: X; src: local(X) }\n@media screen { em { list-style-image: url(https://tracker.example/l.png) } }\n',
    });
    const r = await runCli(['build', '--no-cache', '--verbose'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, [
      'articles/extra.css:2:6: warning: `background-image: image-set("https://tracker.example/h....` removed: `image-set()` loads a resource [css-resource]',
      "articles/extra.css:3:1: warning: `@font-face` removed: quire's books hold no font files from style sheets [css-resource]",
      'articles/extra.css:4:22: warning: `list-style-image: url(https://tracker.example/l.png)` removed: the property `list-style-image` is not one quire keeps [css-resource]',
      '',
    ].join('\n'));
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    for (const name of book.names) assert.ok(!(await book.bytes(name)).includes('tracker.example'), name);
    const chapter = await book.text('OEBPS/chapter-a.xhtml');
    assert.match(chapter, /<p style="color: red">One<\/p>/);
    assert.match(chapter, /<p style="margin: 0">Two<\/p>/);
    assert.match(await book.text('OEBPS/style.css'), /p \{ color: #333; \}\nh1 \{  \}\n@media screen \{\nem \{  \}\n\}/);
  });
});

describe('names in diagnostics', () => {
  it('print control characters, separators and bidi overrides as escapes: one problem, one line', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/evil\nfake.md:3:1: warning: forged [x]\r\u001b[2K\u202e.md': '# E\n\n![x](<a\u2028injected.md:9:1: error: forged\u202eb.png>)\n',
    });
    const r = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'articles/evil\\nfake.md:3:1: warning: forged [x]\\r\\x1b[2K\\u202e.md:3:1: warning: image `a%E2%80%A8injected.md:9:1:%20error:%20forged%E2%80%AEb.png` not found (looked for a\\u2028injected.md:9:1: error: forged\\u202eb.png in the articles folder) [image-missing]\n');
    assert.equal(r.stderr.split('\n').length, 2);
  });
});

describe('budgets', () => {
  it('a build gives all its downloads a total time: silent servers cannot hold it, and each image left out is named', async () => {
    let requests = 0;
    const server = await startServer(() => requests++); // never answers
    try {
      const dir = tempDir();
      const urls = Array.from({ length: 40 }, (_, i) => `${server.base}/silent-${i}.png`);
      writeTree(dir, { 'articles/a.md': `# A\n\n${urls.map((u, i) => `![i${i}](${u})`).join('\n\n')}\n` });
      // One second a request and 2.5 s in all: without the total, 40 requests 8 at a time take 5 s.
      const result = await makeBook({ cwd: dir, remote: { allowPrivateNetwork: true, timeoutMs: 1000, totalTimeoutMs: 2500 } });
      assert.ok(result.epub, 'the book is made');
      const warnings = result.diagnostics.filter((d) => d.code === 'image-download-failed');
      assert.equal(warnings.length, 40);
      const ranOut = warnings.filter((d) => d.message.includes('the 2.5 s this build gives all its downloads ran out'));
      assert.ok(ranOut.length >= 16, `${ranOut.length} left out when the time ran out`);
      for (const d of ranOut) assert.match(d.message, new RegExp(`^image ${server.base.replace(/[.]/g, '\\.')}/silent-\\d+\\.png could not be downloaded \\(`));
      assert.ok(requests < 40, `${requests} requests: those past the total were never sent`);
    } finally {
      await server.close();
    }
  });

  it('quire add refuses a page nested too deep, with a clear error', async () => {
    const dir = tempDir();
    const body = '<p>Text of the article, long enough to be one. </p>'.repeat(10);
    writeTree(dir, {
      'deep.html': `<html><body><article><h1>Deep</h1>${body}${'<div>'.repeat(2000)}deep text${'</div>'.repeat(2000)}</article></body></html>`,
      'ok.html': `<html><body><article><h1>Fine</h1>${body}${'<div>'.repeat(100)}nested text${'</div>'.repeat(100)}</article></body></html>`,
    });
    const r = await runCli(['add', 'deep.html', 'ok.html'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, 'quire: error: deep.html: the page nests its elements 2001 deep, more than the 256 quire reads (real pages nest a few dozen): not added\n');
    assert.match(r.stdout, /^added articles\/\S+-fine\.md\n$/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'articles')).filter((f) => f.endsWith('.md')).length, 1);
  });

  it('quire add skips a FIFO and a folder named *.md, writes an image repeated under two URLs once, and fetches images together', async () => {
    const image = await png(8, 8, BLUE);
    const waiting: (() => void)[] = [];
    // Answers only once six requests wait at the same time: one image at a time would never get there.
    const server = await startServer((_req, res) => {
      waiting.push(() => res.writeHead(200, { 'content-type': 'image/png' }).end(image));
      if (waiting.length === 6) for (const answer of waiting) answer();
      else if (waiting.length > 6) waiting[waiting.length - 1]!();
    });
    try {
      const dir = tempDir();
      const imgs = Array.from({ length: 6 }, (_, i) => `<p><img src="${server.base}/img-${i}.png" alt="i${i}"></p>`).join('');
      writeTree(dir, { 'page.html': `<html><body><article><h1>Page</h1>${'<p>Text of the article, long enough to be one. </p>'.repeat(10)}${imgs}</article></body></html>` });
      fs.mkdirSync(path.join(dir, 'articles/y.md'), { recursive: true });
      execFileSync('mkfifo', [path.join(dir, 'articles/x.md')]);
      const r = await runCli(['add', '--allow-private-network', 'page.html'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      // Six URLs, one image: written once.
      assert.match(r.stdout, /^added articles\/\S+-page\.md with 1 image\n$/);
      const assets = fs.readdirSync(path.join(dir, 'articles/assets'));
      assert.equal(assets.length, 1);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'articles/assets', assets[0]!)), [`${createHash('sha256').update(image).digest('hex').slice(0, 12)}.png`]);
    } finally {
      await server.close();
    }
  });
});

describe('memory', () => {
  it('refuses an article with more headings or blocks than a book has, before building anything for it', async () => {
    const dir = tempDir();
    // 100,000 headings took 790 MB and 18 s; refused, it takes a few tens of MB.
    writeTree(dir, {
      'articles/headings.md': Array.from({ length: 100_000 }, (_, i) => `## Heading ${i}\n\ntext\n`).join('\n'),
      'articles/blocks.md': Array.from({ length: 60_000 }, (_, i) => `Paragraph ${i}.\n`).join('\n'),
      'articles/fine.md': Array.from({ length: 2_000 }, (_, i) => `## Heading ${i}\n\ntext^[A note.] and $x_${i}$\n`).join('\n'),
      // 1 MB of inline notes took 1.5 GB and 20 s, as did 1 MB of formulas.
      'articles/notes.md': 'Text.^[A note.] '.repeat(30_000),
      'articles/formulas.md': '$x$ '.repeat(60_000),
    });
    const r = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, [
      'articles/blocks.md: error: 60000 paragraphs and other blocks (more than 50000) in one article: split it into several articles [article-too-large]',
      'articles/formulas.md: error: 120000 `$` signs (more than 100000) in one article: split it into several articles [article-too-large]',
      'articles/headings.md: error: 100000 headings (more than 10000) in one article: split it into several articles [article-too-large]',
      "articles/notes.md: error: 30000 notes' marks, `^[` or `[^` (more than 20000) in one article: split it into several articles [article-too-large]",
      'quire: no book written (4 errors)',
      '',
    ].join('\n'));
    assert.equal(fs.existsSync(path.join(dir, 'output')), false);
  });

  it('counts no line of closed fenced code against those limits; a fence left open or in a quote hides nothing', async () => {
    const dir = tempDir();
    writeTree(dir, {
      // A script of 10,001 comment lines and 20,001 `[^a-z]` (and 100,001 `$`): one block of code, not too large.
      'articles/script.md': `# Script\n\n\`\`\`bash\n${'# comment\n'.repeat(10_001)}${'re=[^a-z]; echo $x\n'.repeat(20_001)}${'$\n'.repeat(80_000)}\`\`\`\n\nAfter.\n`,
      'articles/open.md': `# Open\n\n\`\`\`\n${'## h\n'.repeat(10_001)}`,
      'articles/quoted.md': `# Quoted\n\n> \`\`\`\n${'## h\n'.repeat(10_001)}\`\`\`\n`,
      // A fence in an HTML comment is the comment's text: it does not open a block of code.
      'articles/commented.md': `# Commented\n\n<!--\n\`\`\`\n-->\n${'## h\n'.repeat(10_001)}\`\`\`\n`,
      // Indented code is code: its `#` lines are not headings.
      'articles/indented.md': `# Indented\n\nRun:\n\n${'    # step\n    echo\n'.repeat(10_001)}`,
    });
    const r = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stderr.split('\n').filter((l) => l.includes('article-too-large')).map((l) => l.split(':')[0]), ['articles/commented.md', 'articles/open.md', 'articles/quoted.md']);
    assert.doesNotMatch(r.stderr, /indented\.md/);
    assert.doesNotMatch(r.stderr, /script\.md/);
  });

  it('counts the lists and quotes that one line opens at once against the blocks (`- - - x`, `> > > x`)', async () => {
    const dir = tempDir();
    writeTree(dir, {
      // Sixty lists (or quotes) on each of 2,000 lines: 120,000 elements in 1,000 blocks. 40,000 such lines
      // of lists ran past 100 s and 7 GB.
      'articles/lists.md': `# Lists\n\n${Array.from({ length: 2_000 }, (_, i) => `${'- '.repeat(60)}x${i}\n${i % 2 ? '\n' : ''}`).join('')}`,
      'articles/quotes.md': `# Quotes\n\n${Array.from({ length: 2_000 }, (_, i) => `${'> '.repeat(60)}x${i}\n\n`).join('')}`,
      // A line of one `>` alone (or a heading in the quote) closes the deeper quotes: the next line opens them again.
      'articles/reopened.md': `# Reopened\n\n${`${'> '.repeat(60)}x\n>\n`.repeat(2_000)}`,
      // One deep quote of many lines opens its quotes once, lazy lines too; a quote of lists opens one list a
      // line; rules are no lists.
      'articles/deep.md': `# Deep\n\n${`${'> '.repeat(60)}line\n`.repeat(60_000)}`,
      'articles/lazy.md': `# Lazy\n\n${'> > > > x\n> y\n'.repeat(30_000)}`,
      'articles/quoted-list.md': `# Quoted list\n\n${'> - item\n'.repeat(40_000)}`,
      'articles/rules.md': `# Rules\n\n${'- - -\n\n* * *\n\n'.repeat(12_000)}`,
    });
    const r = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stderr.split('\n').filter((l) => l.includes('article-too-large')).map((l) => l.split(' error: ')[0]), ['articles/lists.md:', 'articles/quotes.md:', 'articles/reopened.md:']);
  });

  it('holds many data: images once: peak memory grows by about the book, not by the articles\' base64 copied at every stage', async () => {
    // 160 data: PNGs of noise (256 kB each, a 42 MB book) in 4 articles: every stage used to copy the
    // base64 (the text, Marked's tokens and HTML, the parsed tree, the decoded bytes): 364-408 MB against
    // 145 MB for the same articles with small images, 5 to 6 times the book. The URLs are now lifted out of
    // the bytes as they are read (articles/embedded.ts), and `build` writes the zip to its file as JSZip
    // makes it instead of holding the book's bytes too: the images' bytes are what grows, 197-206 MB
    // against 144-147 MB measured (1.35 times the book; 2.2 times while the book was held whole). The
    // bound is twice the book: garbage the collector frees in its own time varies from run to run.
    const big = dataImageArticles(tempDir(), 4, 40, 256);
    const small = dataImageArticles(tempDir(), 4, 40, 2);
    const peak = async (dir: string) => {
      const r = await runCli(['build', '--no-cache'], { cwd: dir, env: { NODE_OPTIONS: `--import=${REPORT_MAX_RSS}` } });
      assert.equal(r.code, 0, r.stderr);
      return { kb: Number(/^maxrss (\d+)$/m.exec(r.stderr)![1]), book: fs.statSync(path.join(dir, 'output', fs.readdirSync(path.join(dir, 'output'))[0]!)).size };
    };
    const base = await peak(small);
    const built = await peak(big);
    assert.ok(built.book > 40e6, `${built.book} bytes`);
    const grew = (built.kb - base.kb) * 1024;
    assert.ok(grew <= 2 * built.book, `peak memory grew by ${(grew / 1e6).toFixed(0)} MB for a ${(built.book / 1e6).toFixed(0)} MB book (${base.kb >> 10} MB with small images)`);
  });
});

describe('data: images lifted out of the text', () => {
  it('places diagnostics after a data: URL where the file has them, and shows a data: URL written as code as it is written', async () => {
    let state = 7;
    const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 24);
    const image = noisePng(24, rand).toString('base64');
    assert.ok(image.length > 1024);
    const url = `data:image/png;base64,${image}`;
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': `# A\n\nSee ![one](${url}) then [b](missing.md) and <img alt="two" src="${url}"> [c](gone.md).\n`,
      'articles/b.md': `# B\n\n![three](${url})\n\n\`\`\`md\n![shown](${url})\n\`\`\`\n\n[d](lost.md)\n`,
    });
    const result = await makeBook({ cwd: dir });
    assert.ok(result.epub, 'the book is made');
    const line = `See ![one](${url}) then [b](missing.md) and <img alt="two" src="${url}"> [c](gone.md).`;
    const links = result.diagnostics.filter((d) => d.code === 'link-missing-article').map((d) => `${path.basename(d.file!)}:${d.line}:${d.column}`);
    assert.deepEqual(links, [`a.md:3:${line.indexOf('[b]') + 1}`, `a.md:3:${line.indexOf('[c]') + 1}`, 'b.md:9:1']);
    const book = await openEpub(result.epub);
    const images = book.names.filter((n) => n.endsWith('.png') && n.includes('images/'));
    assert.equal(images.length, 1, 'one image, stored once');
    assert.deepEqual(await book.bytes(images[0]!), Buffer.from(image, 'base64'));
    const a = await book.text('OEBPS/chapter-a.xhtml');
    assert.equal(a.split(images[0]!.replace(/^OEBPS\//, '')).length - 1, 2);
    assert.ok(!a.includes('QUIREDATA'), 'no reference is left in the chapter');
    // Written as code, the URL is shown as written: the chapter is rendered from the text as written.
    const b = await book.text('OEBPS/chapter-b.xhtml');
    // (A line this long is not highlighted: see render/highlight.ts.)
    assert.ok(b.includes(`<code class="language-md">![shown](${url})`) || b.includes(`<span class="hljs-link">${url}</span>`), 'the code shows the whole URL');
    assert.ok(!b.includes('QUIREDATA'));
  });

  it('keeps the marker out of reach of an article that writes it itself', async () => {
    let state = 9;
    const rand = () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 24);
    const image = noisePng(24, rand).toString('base64');
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': `# A\n\nQUIREDATA is a word here.\n\n![one](data:image/png;base64,${image})\n` });
    const result = await makeBook({ cwd: dir });
    assert.ok(result.epub);
    const book = await openEpub(result.epub);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    assert.match(a, /<p>QUIREDATA is a word here\.<\/p>/);
    assert.match(a, /<img src="images\/[0-9a-f]{16}\.png" alt="one"\/>/);
  });
});

/** Writes the child's peak memory (kB) to its standard error as it exits. */
const REPORT_MAX_RSS = `data:text/javascript,${encodeURIComponent("process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\\n`));")}`;

/** An articles folder of `articles` articles with `images` distinct data: PNGs of noise each, about `kb` kB an image, made by bench/data-images.mjs. */
function dataImageArticles(dir: string, articles: number, images: number, kb: number): string {
  execFileSync(process.execPath, [path.join(ROOT, 'bench', 'data-images.mjs'), path.join(dir, 'articles'), String(articles), String(images), String(kb)]);
  return dir;
}

/** A PNG of noise (opaque RGBA), which deflate cannot make much smaller than its pixels. */
function noisePng(side: number, rand: () => number): Buffer {
  const rgba = Buffer.alloc(side * side * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = i % 4 === 3 ? 255 : rand();
  return encodePng(rgba, side, side);
}
