// quire add, against a real HTTP server on loopback serving pages written for the tests: a news article
// with navigation, ads, share bar, related articles and comments; a blog post with lazy-loaded images and
// code; a right-to-left page; a page whose images 404; a slow page; a redirect loop; a non-HTML response.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { countWords, extractArticle } from '../src/add/extract.js';
import { articleToMarkdown, embedLink } from '../src/add/markdown.js';
import { renderSettings } from '../src/model.js';
import { renderChapter } from '../src/render/chapter.js';
import { chooseCandidate, parseSrcset } from '../src/image-candidates.js';
import { epubcheck, FIXTURES, openEpub, problems, ROOT, runCli, startServer, tempDir } from './helpers.js';

const WEB = path.join(ROOT, 'test', 'web');
const PNG = fs.readFileSync(path.join(FIXTURES, 'images/articles/pics/red.png'));
const BLUE = fs.readFileSync(path.join(FIXTURES, 'images/articles/pics/actually-png.jpg'));
let server: Awaited<ReturnType<typeof startServer>>;
let base = '';
/** Pictures of one colour each, so that every saved file can be traced to the address it came from. */
const colour = (r: number, g: number, b: number) => sharp({ create: { width: 4, height: 3, channels: 3, background: { r, g, b } } }).png().toBuffer();
const SKY: Record<string, Buffer> = {};
/** Every path the server was asked for. */
const requested: string[] = [];
/** Whether /later/ images are served yet: they are refused first. */
let serveLater = false;
/** Pages of pictures (served at /pictures/<name>): each an article around the snippet given. */
const PICTURE_PAGES: Record<string, string> = {};
const PICTURE_FILLER = '<p>The harbour master walked the new wall at low tide on the first calm morning after the storm, and wrote down what had held and what had not.</p>';
/** The picture /pics/<name>.png serves: one colour a name, so that a saved file says which it was. */
const pictures = new Map<string, Promise<Buffer>>();
function picture(name: string): Promise<Buffer> {
  let made = pictures.get(name);
  if (!made) {
    let h = 7;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    pictures.set(name, (made = colour(h & 255, (h >> 8) & 255, (h >> 16) & 255)));
  }
  return made;
}

before(async () => {
  let i = 0;
  for (const name of ['dome-320', 'dome-640', 'dome-1920', 'dome-3000', 'mirror', 'team', 'moon-1x', 'moon-2x', 'tick', 'timelapse-poster', 'later-one', 'later-two']) {
    i++;
    SKY[name] = await colour(i * 20, 255 - i * 20, i * 7);
  }
  server = await startServer((req, res) => {
    const url = req.url ?? '';
    requested.push(url);
    const pictures = /^\/pictures\/([\w-]+)$/.exec(url);
    if (pictures && PICTURE_PAGES[pictures[1]!] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<html><head><title>Pictures ${pictures[1]}</title></head><body><article><h1>Pictures ${pictures[1]}</h1>${PICTURE_FILLER}${PICTURE_PAGES[pictures[1]!]}${PICTURE_FILLER}${PICTURE_FILLER}</article></body></html>`);
    }
    const pic = /^\/pics\/([\w-]+)\.(?:png|gif)(?:\?|$)/.exec(url);
    if (pic) {
      void picture(pic[1]!).then((bytes) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(bytes);
      });
      return;
    }
    const page = (name: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(fs.readFileSync(path.join(WEB, name)));
    };
    if (url === '/notes') return page('rich.html');
    if (url === '/partial') return page('partial.html');
    if (url === '/later') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<html><head><title>Pictures that come back</title></head><body><article><h1>Pictures that come back</h1><p>The server that holds this article's pictures is down when the article is added, and back when the book is built. Nothing is lost in between: the article keeps the pictures' addresses.</p><p><img src="/later/one.png" alt="First picture"></p><p>A second paragraph, then the second picture.</p><p><img src="/later/two.png" alt="Second picture"></p></article></body></html>`);
    }
    const sky = /^\/sky\/([\w-]+)\.png/.exec(url) ?? /^\/later\/(one|two)\.png$/.exec(url);
    if (sky) {
      const name = url.startsWith('/later/') ? `later-${sky[1]}` : sky[1]!;
      if (url.startsWith('/later/') && !serveLater) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        return res.end('down for maintenance');
      }
      if (!SKY[name]) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
      }
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(SKY[name]);
    }
    if (url === '/news/harbour') return page('news.html');
    if (url === '/blog/profiling') return page('blog.html');
    if (url === '/ar/library') return page('rtl.html');
    if (url === '/broken') return page('broken-images.html');
    if (url === '/images/pier.png' || url === '/img/flame.png' || url === '/img/chart-large.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(url === '/img/flame.png' ? BLUE : PNG);
    }
    if (url === '/slow') return; // never answers
    if (url === '/loop') {
      res.writeHead(302, { location: '/loop' });
      return res.end();
    }
    if (url === '/data.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"not": "a page"}');
    }
    const legacy = /^\/legacy\/(header|late-meta|undeclared|bom)$/.exec(url);
    if (legacy) {
      // A page in windows-1252: its quotes, dashes, ellipsis, euro and trade mark are bytes 0x80-0x9F.
      const how = legacy[1]!;
      const meta = how === 'late-meta' ? `<!-- ${'padding '.repeat(400)}-->\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">` : '';
      const text = `<html><head><title>Legacy page</title>${meta}</head><body><article><h1>Legacy page</h1><p>Caf\u00e9 r\u00e9sum\u00e9 na\u00efve \u2013 \u201cquoted\u201d words\u2026 and \u20ac5 price and the \u2122 mark, in a page written long ago by someone who never heard of Unicode and kept writing anyway.</p><p>A second paragraph, for the article to be found as one: it says the same in other words, \u2018single quotes\u2019 too.</p></article></body></html>`;
      const bytes = Buffer.from(text.replace(/[\u2013\u2018\u2019\u201c\u201d\u2026\u20ac\u2122]/g, (c) => String.fromCharCode({ '\u2013': 0x96, '\u2018': 0x91, '\u2019': 0x92, '\u201c': 0x93, '\u201d': 0x94, '\u2026': 0x85, '\u20ac': 0x80, '\u2122': 0x99 }[c]!)), 'latin1');
      res.writeHead(200, { 'content-type': how === 'header' ? 'text/html; charset=windows-1252' : 'text/html' });
      return res.end(how === 'bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace('<head>', '<head><meta charset="iso-8859-1">'))]) : bytes);
    }
    if (url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<html><body><article><p>${'word '.repeat(2_300_000)}</p></article></body></html>`);
    }
    const manual = /^\/manual\/([\w-]+)\.html$/.exec(url);
    if (manual) {
      // A page of a texinfo manual: its title names the page, then the manual in brackets, a colon in it.
      const name = manual[1]!.replace(/-/g, ' ');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!DOCTYPE html><html><head><title>${name} (harbour: the portable tide gauge reading library)</title><meta name="description" content="${name} (harbour: the portable tide gauge reading library)"></head><body><div class="section-level-extent" id="${manual[1]}"><div class="nav-panel"><p>Next: <a href="Types.html" accesskey="n" rel="next">Types</a>, Up: <a href="Using-harbour.html" accesskey="u" rel="up">Using harbour</a> &nbsp; [<a href="index.html#SEC_Contents" title="Table of contents" rel="contents">Contents</a>]</p></div><hr><h3 class="section" id="${manual[1]}-1"><span>2.1 ${name}<a class="copiable-link" href="#${manual[1]}-1"> ¶</a></span></h3><p>The gauge library assumes that you have a pointer to the gauge you wish to read and that you know how many readings it keeps, as well as the unit of each.</p><p>The first thing you must do is open the gauge, with the unit its readings are given in, before you read any of them: the library keeps the gauge's state between readings.</p></div></body></html>`);
    }
    if (url === '/empty') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html><body><p>Hi.</p></body></html>');
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  base = server.base;
});

after(() => server.close());

const add = (dir: string, ...args: string[]) => runCli(['add', '--allow-private-network', ...args], { cwd: dir });

/**
 * Adds /pictures/<name> and reads what was saved: the article's text without its front matter and filler,
 * each saved picture written `![alt](=name)` (name: the /pics/ picture its file holds); the pictures in its
 * folder; the addresses the server was asked for besides the page.
 */
async function addPictures(name: string, snippet: string) {
  PICTURE_PAGES[name] = snippet;
  const dir = tempDir();
  requested.length = 0;
  const r = await add(dir, `${base}/pictures/${name}`);
  assert.equal(r.code, 0, r.stderr);
  const articles = path.join(dir, 'articles');
  const file = fs.readdirSync(articles).find((f) => f.endsWith('.md'))!;
  const byBytes = new Map<string, string>();
  for (const [n, made] of pictures) byBytes.set((await made).toString('hex'), n);
  const nameOf = (file: string) => byBytes.get(fs.readFileSync(file).toString('hex')) ?? path.basename(file);
  const text = fs
    .readFileSync(path.join(articles, file), 'utf8')
    .replace(/^---\n[^]*?\n---\n\n/, '')
    .replace(/\]\((assets\/[^)]+)\)/g, (_all, src: string) => `](=${nameOf(path.join(articles, src))})`)
    .replace(/ src="(assets\/[^"]+)"/g, (_all, src: string) => ` src="=${nameOf(path.join(articles, decodeURIComponent(src)))}"`)
    .split(PICTURE_FILLER.replace(/<\/?p>/g, ''))
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const folder = path.join(articles, 'assets', file.replace(/\.md$/, ''));
  const files = fs.existsSync(folder) ? fs.readdirSync(folder).map((f) => nameOf(path.join(folder, f))).sort() : [];
  return { dir, text, files, asked: requested.filter((u) => u !== `/pictures/${name}`).sort(), stdout: r.stdout, stderr: r.stderr };
}

/** `quire build` in a folder `quire add` wrote to, which must succeed: its output, the book's path and its (one) chapter. */
async function builtChapter(dir: string): Promise<{ built: Awaited<ReturnType<typeof runCli>>; file: string; chapter: string }> {
  const built = await runCli(['build'], { cwd: dir });
  assert.equal(built.code, 0, built.stderr);
  const file = path.join(dir, 'output/book.epub');
  const book = await openEpub(fs.readFileSync(file));
  return { built, file, chapter: await book.text(book.names.find((n) => /chapter-.*\.xhtml$/.test(n))!) };
}

function frontMatter(text: string): Record<string, string> {
  const block = /^---\n([^]*?)\n---\n/.exec(text)![1]!;
  return Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim().replace(/^"|"$/g, '')]));
}

describe('quire add', () => {
  it('saves a news article without the site around it, with its metadata and its picture', async () => {
    const dir = tempDir();
    const r = await add(dir, `${base}/news/harbour`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'added articles/2024-03-05-harbour-reopens-after-storm.md with 1 image\n');
    const md = fs.readFileSync(path.join(dir, 'articles/2024-03-05-harbour-reopens-after-storm.md'), 'utf8');
    const fm = frontMatter(md);
    assert.equal(fm.title, 'Harbour reopens after storm');
    assert.equal(fm.author, 'Maria Jensen');
    assert.equal(fm.source, 'The Daily Example');
    assert.equal(fm.url, `${base}/news/harbour`);
    assert.equal(fm.date, '2024-03-05');
    assert.equal(fm.lang, 'en');
    assert.match(fm.archived!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(fm.description!, /old harbour reopened/);
    assert.match(md, /The old harbour reopened on Tuesday/);
    assert.match(md, /^## What changed$/m);
    for (const chrome of ['World', 'Sport', 'cookies', 'premium subscription', 'Share on', 'Related Articles', 'Storm damage', 'Great news', 'All rights reserved', 'Back to top']) {
      assert.ok(!md.includes(chrome), `no "${chrome}" in the article`);
    }
    const image = /!\[The rebuilt eastern pier\]\((assets\/2024-03-05-harbour-reopens-after-storm\/[0-9a-f]{12}\.png)\)/.exec(md);
    assert.ok(image, md);
    assert.ok(fs.readFileSync(path.join(dir, 'articles', image[1]!)).equals(PNG));
  });

  it('takes lazy-loaded images and keeps code blocks fenced with their language', async () => {
    const dir = tempDir();
    const r = await add(dir, `${base}/blog/profiling`);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(dir, 'articles/2023-11-02-profiling-a-slow-build.md');
    const md = fs.readFileSync(file, 'utf8');
    assert.equal(frontMatter(md).source, 'Example Dev Blog');
    assert.match(md, /```js\nconst cache = new Map\(\);\nfunction parse\(file\) \{\n {2}if \(!cache\.has\(file\)\)/);
    assert.match(md, /!\[A flame graph of the build\]\(assets\/[^)]+\.png\)/, 'data-src, not the placeholder');
    assert.match(md, /!\[Build times before and after\]\(assets\/[^)]+\.png\)/, 'the largest srcset candidate');
    assert.match(md, /\| Build \| Time \|/, 'tables stay tables');
    assert.match(md, /measure before you optimise,\[\^1\] and keep/, 'footnote references');
    assert.match(md, /^\[\^1\]: Knuth said much the same in 1974\.$/m, 'footnote definitions');
    assert.match(md, /^\[\^2\]: Ours runs in CI on every change\.$/m);
    assert.equal(fs.readdirSync(path.join(dir, 'articles/assets/2023-11-02-profiling-a-slow-build')).length, 2);
    assert.ok(!md.includes('newsletter'));
  });

  it('reads a page in windows-1252 (declared in the header, in a late <meta>, or not at all) and a byte-order mark over its <meta>', async () => {
    for (const how of ['header', 'late-meta', 'undeclared', 'bom']) {
      const dir = tempDir();
      const r = await add(dir, `${base}/legacy/${how}`);
      assert.equal(r.code, 0, r.stderr);
      const [name] = fs.readdirSync(path.join(dir, 'articles'));
      const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
      assert.match(md, /Café résumé naïve – “quoted” words… and €5 price and the ™ mark/, how);
      assert.match(md, /‘single quotes’/, how);
    }
  });

  it('keeps the language of a right-to-left page', async () => {
    const dir = tempDir();
    const r = await add(dir, `${base}/ar/library`);
    assert.equal(r.code, 0, r.stderr);
    const [name] = fs.readdirSync(path.join(dir, 'articles'));
    const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
    assert.equal(frontMatter(md).lang, 'ar');
    assert.equal(frontMatter(md).dir, 'rtl');
    assert.match(md, /افتتحت المكتبة العامة الجديدة/);
  });

  it('keeps the direction of a right-to-left page that names no language, and the chapter reads right to left', async () => {
    const dir = tempDir();
    const html = fs.readFileSync(path.join(WEB, 'rtl.html'), 'utf8').replace('<html lang="ar" dir="rtl">', '<html dir="rtl">');
    fs.writeFileSync(path.join(dir, 'saved.html'), html);
    const r = await runCli(['add', 'saved.html'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [name] = fs.readdirSync(path.join(dir, 'articles')).filter((n) => n.endsWith('.md'));
    const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
    assert.equal(frontMatter(md).dir, 'rtl');
    assert.equal(frontMatter(md).lang, undefined);
    const built = await runCli(['build'], { cwd: dir });
    assert.equal(built.code, 0, built.stderr);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    const chapter = await book.text(book.names.find((n) => /OEBPS\/chapter-.*\.xhtml$/.test(n))!);
    assert.match(chapter, /<html [^>]*lang="en" dir="rtl">/);
    assert.equal(problems(await epubcheck(path.join(dir, 'output/book.epub'))), '');
  });

  it('saves a page whose images 404 with their addresses, and says so', async () => {
    const dir = tempDir();
    const r = await add(dir, `${base}/broken`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: image http:\/\/127\.0\.0\.1:\d+\/gone\/one\.png not downloaded \(HTTP 404\): its address is kept/);
    const [name] = fs.readdirSync(path.join(dir, 'articles'));
    const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
    // The picture keeps its alt text and its remote address, for `quire build` (or a later refresh) to fetch.
    assert.match(md, new RegExp(`^!\\[The first missing picture\\]\\(<${base}/gone/one\\.png>\\)$`, 'm'));
    assert.match(md, new RegExp(`^!\\[The second missing picture\\]\\(<${base}/gone/two\\.jpg>\\)$`, 'm'));
  });

  it('fails with one clear line and writes nothing for a bad page, and goes on with the others', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'list.txt'), `# pages to keep\n${base}/news/harbour\n${base}/slow\n${base}/loop\n${base}/data.json\n${base}/missing\n${base}/empty\n${base}/huge\nhttp://unreachable.invalid/x\n`);
    const started = Date.now();
    const r = await add(dir, '--from', 'list.txt');
    assert.ok(Date.now() - started < 40_000);
    assert.equal(r.code, 1);
    const errors = r.stderr.trim().split('\n');
    assert.deepEqual(errors.map((l) => l.replace(base, 'BASE')), [
      'quire: error: BASE/slow: no answer within 10 s',
      'quire: error: BASE/loop: more than 5 redirects',
      'quire: error: BASE/data.json: not an HTML page (application/json)',
      'quire: error: BASE/missing: HTTP 404',
      'quire: error: BASE/empty: no article found in the page',
      'quire: error: BASE/huge: the page is larger than 10 MB',
      'quire: error: http://unreachable.invalid/x: cannot reach unreachable.invalid (ENOTFOUND)',
    ]);
    assert.match(r.stdout, /^added articles\/2024-03-05-harbour-reopens-after-storm\.md/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'articles')).sort(), ['2024-03-05-harbour-reopens-after-storm.md', 'assets']);
  });

  it('does not add the same URL twice; --force refreshes it', async () => {
    const dir = tempDir();
    await add(dir, `${base}/news/harbour`);
    const again = await add(dir, `${base}/news/harbour`);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^already added: articles\/2024-03-05-harbour-reopens-after-storm\.md/);
    assert.equal(fs.readdirSync(path.join(dir, 'articles')).filter((n) => n.endsWith('.md')).length, 1);
    const forced = await add(dir, '--force', `${base}/news/harbour`);
    assert.equal(forced.code, 0);
    assert.match(forced.stdout, /^added articles\/2024-03-05-harbour-reopens-after-storm\.md/);
    assert.equal(fs.readdirSync(path.join(dir, 'articles')).filter((n) => n.endsWith('.md')).length, 1);
  });

  it('reads a saved HTML file', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'saved.html'), fs.readFileSync(path.join(WEB, 'rtl.html'), 'utf8').replace('وتضم', '<a href="other-page.html">وتضم</a>'));
    const r = await runCli(['add', 'saved.html'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^added articles\/\d{4}-\d\d-\d\d-article\.md\n$/);
    const [name] = fs.readdirSync(path.join(dir, 'articles'));
    const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
    assert.match(md, /وتضم/);
    assert.ok(!md.includes('file:'), 'a saved page\'s local links keep their text only');
  });

  it('adds two pages, then builds a valid book whose chapters carry byline and source link', async () => {
    const dir = tempDir();
    assert.equal((await add(dir, `${base}/news/harbour`, `${base}/blog/profiling`)).code, 0);
    const built = await runCli(['build'], { cwd: dir });
    assert.equal(built.code, 0, built.stderr);
    const file = path.join(dir, 'output/book.epub');
    const book = await openEpub(fs.readFileSync(file));
    const news = await book.text('OEBPS/chapter-2024-03-05-harbour-reopens-after-storm.xhtml');
    assert.match(news, new RegExp(`<p class="byline"><span class="author">Maria Jensen</span> · <time datetime="2024-03-05">5 March 2024</time> · <a href="${base}/news/harbour" class="source">The Daily Example</a></p>`));
    assert.equal(book.names.filter((n) => n.startsWith('OEBPS/images/')).length, 2, 'three pictures, two of them the same bytes');
    assert.equal(problems(await epubcheck(file)), '');
  });
  it('keeps every kind of content: best image candidates, noscript and data: images, embeds, math, footnotes, code languages, HTML tables', async () => {
    const dir = tempDir();
    requested.length = 0;
    const r = await add(dir, `${base}/notes`);
    assert.equal(r.code, 0, r.stderr);
    const file = path.join(dir, 'articles/2022-08-14-field-notes-from-the-observatory.md');
    const md = fs.readFileSync(file, 'utf8');
    const fm = frontMatter(md);
    assert.deepEqual([fm.title, fm.author, fm.source, fm.date], ['Field notes from the observatory', 'Ines Alvarez', 'Sky Journal', '2022-08-14']);
    const assets = path.join(dir, 'articles');
    const local = (alt: string) => {
      const m = new RegExp(`!\\[${alt}\\]\\((assets/2022-08-14-field-notes-from-the-observatory/[0-9a-f]{12}\\.png)\\)`).exec(md);
      assert.ok(m, `${alt} saved as a file:\n${md}`);
      return fs.readFileSync(path.join(assets, m[1]!));
    };
    // <picture>: the widest candidate up to 2000 px (1920w), not the 3000 px one nor the AVIF.
    assert.ok(local('The dome at dusk').equals(SKY['dome-1920']!));
    for (const other of ['/sky/dome-320.png', '/sky/dome-640.png', '/sky/dome-3000.png', '/sky/dome-2400.avif']) assert.ok(!requested.includes(other), `${other} not fetched`);
    assert.ok(local('The cleaned mirror').equals(SKY.mirror!), 'the <noscript> image replaces the placeholder');
    assert.ok(local('Temperature chart').equals(PNG), 'the data: image is a file');
    assert.ok(local('The Moon').equals(SKY['moon-2x']!), 'the 2x candidate');
    // The same picture under two addresses: one file, both references to it.
    assert.equal(local('The team').toString('hex'), local('The team again').toString('hex'));
    const files = fs.readdirSync(path.join(assets, 'assets/2022-08-14-field-notes-from-the-observatory'));
    assert.equal(files.filter((f) => f.endsWith('.png')).length, 7, files.join(', '));
    assert.ok(files.every((f) => /^[0-9a-f]{12}\.(png|jpg)$/.test(f)), 'no temporary file left');
    // Embeds: a link to their page, with the thumbnail (YouTube's cannot be reached here: its address stays).
    // (Downloaded on a machine with network; its address kept, with a warning, on one without.)
    assert.match(md, /\[!\[Video: The season's plan\]\((<https:\/\/img\.youtube\.com\/vi\/dQw4w9WgXcQ\/hqdefault\.jpg>|assets\/[^)]+\.jpg)\)\]\(<https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ>\)/);
    if (md.includes('<https://img.youtube.com/')) assert.match(r.stderr, /warning: image https:\/\/img\.youtube\.com\/vi\/dQw4w9WgXcQ\/hqdefault\.jpg not downloaded \(.*\): its address is kept/);
    assert.match(md, new RegExp(`\\[!\\[Video \\(127\\.0\\.0\\.1\\)\\]\\(assets/[^)]+\\.png\\)\\]\\(<${base}/media/timelapse\\.mp4>\\)`));
    assert.ok(md.includes(`[Audio (127.0.0.1)](<${base}/media/radio-noise.mp3>)`), 'audio');
    // MathML: the page's TeX (alttext, annotation), else TeX made from the MathML; dollars stay dollars.
    assert.ok(md.includes('when $f = \\frac{D}{2}$ the image'), 'alttext');
    assert.ok(md.includes('is $\\theta = \\frac{d}{f}$ radians'), 'TeX annotation');
    assert.ok(md.includes('exposure ${t}^{2}$ grows'), 'presentation MathML');
    assert.ok(md.includes('cost \\$1,200 and the mount \\$800'), 'escaped dollars');
    // Footnotes: <p data-type="footnote">, <aside epub:type="footnote">, Wikipedia's cite notes.
    assert.ok(md.includes('script is short[^1] and was checked twice.[^2] A third remark sits at the end as well.[^3]'), md);
    assert.match(md, /^\[\^1\]: Forty lines of Python, most of them comments\.$/m);
    assert.match(md, /^\[\^2\]: Once by each of the two observers\.$/m);
    assert.match(md, /^\[\^3\]: The survey's log book, page 12\.$/m);
    assert.match(md, /^```python\ndef reduce\(frames\):$/m, 'the language from div.highlight-python');
    // The table with merged cells stays HTML: its link absolute, its image downloaded.
    assert.match(md, new RegExp(`<td><a href="${base}/nights/14">The 14th</a></td><td>312 <img src="assets/2022-08-14-field-notes-from-the-observatory/[0-9a-f]{12}\\.png" alt="tick"></td>`));
    for (const chrome of ['Great notes', 'Copyright', 'Archive']) assert.ok(!md.includes(chrome), `no "${chrome}"`);

    const built = await runCli(['build', '--allow-private-network'], { cwd: dir });
    assert.equal(built.code, 0, built.stderr);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    const chapter = await book.text('OEBPS/chapter-2022-08-14-field-notes-from-the-observatory.xhtml');
    assert.equal((chapter.match(/<math /g) ?? []).length, 3, 'three formulas');
    assert.match(chapter, /rowspan="2"/);
    assert.equal(problems(await epubcheck(path.join(dir, 'output/book.epub'))), '');
  });

  it('finds an article cut short by a second pass, saves it with a warning naming the page; --strict refuses it', async () => {
    // Readability's first pass sets the report aside for its class name ("extra") and takes the introduction.
    const dir = tempDir();
    const r = await add(dir, `${base}/partial`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^articles/[\\w-]+\\.md: warning: the article saved from ${base}/partial was found only by a second pass \\(\\d+ words, the first found \\d+ of the page's \\d+\\): check that it is the article$`, 'm'));
    const [name] = fs.readdirSync(path.join(dir, 'articles')).filter((n) => n.endsWith('.md'));
    const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
    assert.match(md, /This short introduction/);
    assert.match(md, /Paragraph 12 of the long report/);
    const strict = tempDir();
    const s = await add(strict, '--strict', `${base}/partial`);
    assert.equal(s.code, 1);
    assert.match(s.stderr, new RegExp(`^quire: error: ${base}/partial: the article saved from ${base}/partial was found only by a second pass`, 'm'));
    assert.ok(!fs.existsSync(path.join(strict, 'articles')), 'nothing written');
  });

  it('keeps a different picture in a <noscript> after a paragraph holding an image; a lazy image\'s own copy goes', async () => {
    const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
    const got = await addPictures('noscript', [
      // Another picture after a paragraph with one: it was taken for the paragraph's picture's copy, and lost.
      '<p><img src="/pics/harbour.png" alt="The harbour"></p><noscript><img src="/pics/lighthouse.png" alt="The lighthouse"></noscript>',
      // lazysizes: the copy names the lazy image's data-src.
      `<p><img src="${PIXEL}" data-src="/pics/boat.png" class="lazyload" alt="The boat"></p><noscript><img src="/pics/boat.png" alt="The boat"></noscript>`,
      // Jetpack: the lazy address asks for the same file with another query.
      `<figure><img src="${PIXEL}" data-lazy-src="/pics/quay.png?resize=800&amp;is-pending-load=1" alt="The quay"></figure><noscript><img src="/pics/quay.png?resize=800" alt="The quay"></noscript>`,
      // A slider's own lazy attribute names the picture: the copy is the picture, the small preview goes.
      '<div><img src="/pics/net-small.png" data-flickity-lazyload="/pics/net.png" alt="The nets"></div><noscript><img src="/pics/net.png" alt="The nets"></noscript>',
    ].join(PICTURE_FILLER));
    assert.equal(got.text, '![The harbour](=harbour)\n\n![The lighthouse](=lighthouse)\n\n![The boat](=boat)\n\n![The quay](=quay)\n\n![The nets](=net)');
    assert.deepEqual(got.files, ['boat', 'harbour', 'lighthouse', 'net', 'quay']);
    assert.deepEqual(got.asked, ['/pics/boat.png', '/pics/harbour.png', '/pics/lighthouse.png', '/pics/net.png', '/pics/quay.png?resize=800&is-pending-load=1']);
  });

  it('saves exactly the pictures the Markdown shows: not a player\'s fallback image; a listing\'s after it; a note\'s picture too', async () => {
    const got = await addPictures('shown', [
      '<p>The harbour at dawn.<sup><a href="#fn1">1</a></sup></p><p><img src="/pics/dawn.png" alt="Dawn"></p>',
      '<video src="/media/dawn.mp4" controls><img src="/pics/no-video.png" alt="Your browser cannot play this video"></video>',
      '<pre><code>make <img src="/pics/in-listing.png" alt="icon"> all</code></pre>',
      '<ol class="footnotes"><li id="fn1">Measured at the pier: <img src="/pics/note-chart.png" alt="The tide chart"></li></ol>',
    ].join(PICTURE_FILLER));
    assert.equal(got.text, `The harbour at dawn.[^1]\n\n![Dawn](=dawn)\n\n[Video (127.0.0.1)](<${base}/media/dawn.mp4>)\n\n\`\`\`\nmake  all\n\`\`\`\n\n![icon](=in-listing)\n\n[^1]: Measured at the pier: ![The tide chart](=note-chart)`);
    assert.deepEqual(got.files, ['dawn', 'in-listing', 'note-chart']);
    assert.deepEqual(got.asked, ['/pics/dawn.png', '/pics/in-listing.png', '/pics/note-chart.png']);
    assert.doesNotMatch(got.stderr, /no-video/, 'a player\'s fallback is not a picture the reader sees');
  });

  it('swaps the file in where a picture is shown, never in code that writes its address; and a data: SVG\'s too', async () => {
    const url = `${base}/pics/quoted.png`;
    const got = await addPictures('code-quotes', [
      '<p><img src="/pics/quoted.png" alt="The quay"></p>',
      `<pre><code>&lt;img src="${url}"&gt;\n![The quay](&lt;${url}&gt;)</code></pre>`,
      `<p>Written <code>&lt;img src="${url}"&gt;</code> or <code>![The quay](&lt;${url}&gt;)</code> in the text.</p>`,
      `<table><tr><td rowspan="2"><img src="/pics/quoted.png" alt="In a cell"></td><td>a</td></tr><tr><td><code>src="${url}"</code></td></tr></table>`,
      `<p><img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='40' height='30'><rect width='40' height='30' fill='red'/></svg>" alt="A red box"></p>`,
    ].join(PICTURE_FILLER));
    const svg = /!\[A red box\]\(=([0-9a-f]{12}\.svg)\)/.exec(got.text)?.[1];
    assert.ok(svg, got.text);
    assert.equal(
      got.text,
      `![The quay](=quoted)\n\n\`\`\`\n<img src="${url}">\n![The quay](<${url}>)\n\`\`\`\n\n` +
        `Written \`<img src="${url}">\` or \`![The quay](<${url}>)\` in the text.\n\n` +
        `<table><tbody><tr><td rowspan="2"><img src="=quoted" alt="In a cell"></td><td>a</td></tr><tr><td><code>src="${url}"</code></td></tr></tbody></table>\n\n` +
        `![A red box](=${svg})`,
    );
    assert.deepEqual(got.files, [svg, 'quoted']);
    assert.equal(got.stderr, '');
    const built = await runCli(['build', '--offline'], { cwd: got.dir });
    assert.equal(built.code, 0, built.stderr);
    const book = await openEpub(fs.readFileSync(path.join(got.dir, 'output/book.epub')));
    const chapter = await book.text(book.names.find((n) => n.endsWith('code-quotes.xhtml'))!);
    assert.ok(chapter.includes(`<code>&lt;img src="${url}"&gt;\n![The quay](&lt;${url}&gt;)\n</code>`), chapter);
    assert.equal(problems(await epubcheck(path.join(got.dir, 'output/book.epub'))), '');
  });

  it('shows and saves the pictures an inline SVG draws (`<image href>`, `xlink:href`, a data: URL) after its drawing, or for it when it draws nothing else', async () => {
    const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
    const got = await addPictures('svg-images', [
      '<figure><svg width="300" height="200" viewBox="0 0 300 200"><image href="/pics/svg-photo.png" width="300" height="200"/><text x="10" y="20">Quay</text></svg><figcaption>The quay, labelled</figcaption></figure>',
      '<p><svg xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="200" role="img" aria-label="The breakwater"><defs><clipPath id="c"><circle cx="150" cy="100" r="90"/></clipPath></defs><image xlink:href="/pics/svg-masked.png" clip-path="url(#c)" width="300" height="200"/></svg></p>',
      `<p>A dot: <svg width="100" height="100"><image href="${PIXEL}" width="100" height="100"><title>The dot</title></image></svg></p>`,
    ].join(PICTURE_FILLER));
    const gif = /!\[The dot\]\(=([0-9a-f]{12}\.gif)\)/.exec(got.text)?.[1];
    assert.equal(
      got.text,
      '<figure>\n\n<svg width="300" height="200" viewBox="0 0 300 200"><text x="10" y="20">Quay</text></svg>![](=svg-photo)\n\n<figcaption>\n\nThe quay, labelled\n\n</figcaption>\n\n</figure>\n\n' +
        `![The breakwater](=svg-masked)\n\nA dot: ![The dot](=${gif})`,
    );
    assert.deepEqual(got.files, [gif, 'svg-masked', 'svg-photo']);
    assert.equal(got.stderr, '');
    const built = await runCli(['build', '--offline'], { cwd: got.dir });
    assert.equal(built.code, 0, built.stderr);
    assert.equal(problems(await epubcheck(path.join(got.dir, 'output/book.epub'))), '');
  });

  it('leaves a picture that only fills an inline SVG\'s shapes (a tiled texture, a mask) in the drawing, not shown beside it', async () => {
    const got = await addPictures('svg-fill', '<figure><svg width="300" height="200" viewBox="0 0 300 200"><defs><pattern id="p" width="10" height="10" patternUnits="userSpaceOnUse"><image href="/pics/svg-texture.png" width="10" height="10"/></pattern><mask id="m"><image href="/pics/svg-mask.png" width="300" height="200"/></mask></defs><rect width="300" height="200" fill="url(#p)" mask="url(#m)"/><text x="10" y="20">Field</text></svg><figcaption>The field</figcaption></figure>');
    assert.deepEqual(got.files, []);
    assert.ok(!got.text.includes('![]'), got.text);
  });

  it('shows the pictures of inline code after it, in their order, not as text of the code', async () => {
    const got = await addPictures('code-pictures', '<p>Run <code>make <img src="/pics/code-hammer.png" alt="hammer"> all <b><img src="/pics/code-saw.png" alt="saw"></b></code> now.</p>');
    assert.equal(got.text, 'Run `make all` ![hammer](=code-hammer)![saw](=code-saw) now.');
    assert.deepEqual(got.files, ['code-hammer', 'code-saw']);
  });

  it('shows and saves the pictures of a listing after it: an icon in a line, a diagram in a <pre> with links', async () => {
    const got = await addPictures('listings', [
      '<pre><code>make <img src="/pics/listing-icon.png" alt="hammer"> all &amp;&amp; make <img src="/pics/listing-icon.png" alt="hammer"> install</code></pre>',
      '<pre>See <a href="https://example.org/man/wire">wire(1)</a>:\n<img src="/pics/listing-diagram.png" alt="The wiring of the pump"></pre>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      '```\nmake  all && make  install\n```\n\n![hammer](=listing-icon)\n\n' +
        '<pre>\nSee <a href="https://example.org/man/wire">wire(1)</a>:</pre>\n\n![The wiring of the pump](=listing-diagram)',
    );
    assert.deepEqual(got.files, ['listing-diagram', 'listing-icon']);
    assert.deepEqual(got.asked, ['/pics/listing-diagram.png', '/pics/listing-icon.png']);
  });

  it('writes GitHub\'s highlighted listing (`div.highlight-source-*`) as any other: its lines, its picture after it, what follows it in its <div>', async () => {
    const got = await addPictures('highlighted', '<div class="highlight-source-shell"><pre>ls harbour/<br><img src="/pics/listing-folder.png" alt="folder"> charts</pre><p>What the folder holds.</p></div>');
    assert.equal(got.text, '```shell\nls harbour/\n charts\n```\n\n![folder](=listing-folder)\n\nWhat the folder holds.');
    assert.deepEqual(got.files, ['listing-folder']);
    assert.deepEqual(got.asked, ['/pics/listing-folder.png']);
  });

  it('writes codes of one line and one class side by side in a <pre> as one listing, as the page shows them', () => {
    const { markdown } = articleToMarkdown('<pre><code class="language-sh">make</code><code class="language-sh"> install</code></pre>', 'https://example.com/');
    assert.equal(markdown.trim(), '```sh\nmake install\n```');
  });

  it('writes each program of a <pre> that holds one a language (Node.js\'s ES module and CommonJS examples) as a listing of its own', async () => {
    const esm = '<code class="language-js mjs"><span class="hljs-keyword">import</span> { unlink } from <span class="hljs-string">\'node:fs\'</span>;\n\nunlink(\'/tmp/hello\', (err) =&gt; {\n  if (err) throw err;\n});</code>';
    const cjs = '<code class="language-js cjs"><span class="hljs-keyword">const</span> { unlink } = require(\'node:fs\');\n\nunlink(\'/tmp/hello\', (err) =&gt; {\n  if (err) throw err;\n});</code>';
    const got = await addPictures('flavours', [
      `<pre class="with-40-chars"><input class="js-flavor-toggle" type="checkbox" checked aria-label="Show modern ES modules syntax">${esm}${cjs}<button class="copy-button">copy</button></pre>`,
      // A <code> a line, parted by line breaks, is one listing.
      '<pre><code class="language-sh">ls harbour/</code>\n<code class="language-sh">ls charts/</code></pre>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      "```js\nimport { unlink } from 'node:fs';\n\nunlink('/tmp/hello', (err) => {\n  if (err) throw err;\n});\n```\n\n" +
        "```js\nconst { unlink } = require('node:fs');\n\nunlink('/tmp/hello', (err) => {\n  if (err) throw err;\n});\n```\n\n" +
        '```sh\nls harbour/\nls charts/\n```',
    );
    const { file, chapter } = await builtChapter(got.dir);
    const listings = [...chapter.matchAll(/<pre><code[^>]*>([^]*?)<\/code><\/pre>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&gt;/g, '>').replace(/&#39;|&apos;/g, "'"));
    assert.deepEqual(listings.map((l) => l.split('\n')[0]), ["import { unlink } from 'node:fs';", "const { unlink } = require('node:fs');", 'ls harbour/']);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('leaves out the ¶ of a Sphinx API entry\'s term, its link to itself, as a heading\'s', async () => {
    const got = await addPictures('entry-marks', '<dl class="py class"><dt class="sig sig-object py" id="harbour.Tide"><em class="property"><span class="pre">class</span> </em><span class="sig-prename descclassname"><span class="pre">harbour.</span></span><span class="sig-name descname"><span class="pre">Tide</span></span><a class="headerlink" href="#harbour.Tide" title="Permalink to this definition">¶</a></dt><dd><p>The tide at the harbour mouth, as the gauge reads it every ten minutes.</p></dd></dl>');
    assert.equal(got.text, '<dl>\n<dt><em>class </em>harbour.Tide</dt>\n<dd>\n\nThe tide at the harbour mouth, as the gauge reads it every ten minutes.\n\n</dd>\n</dl>');
    const { chapter } = await builtChapter(got.dir);
    assert.match(chapter, /<dt><em>class <\/em>harbour\.Tide<\/dt>/);
    assert.ok(!chapter.includes('¶'));
  });

  it('keeps the links of a page to its own places: by its address (DocBook), to an anchor named in a heading, a permalink\'s id (Node.js), a Sphinx entry\'s term, without its ¶', async () => {
    const got = await addPictures('own-places', [
      // DocBook links to a section of the page by the page's file name, and names the section by an anchor.
      '<p>How the checks work is told in <a class="xref" href="own-places#mc-manual.machine" title="4.5. Details">Details of the checking machinery</a>, further down.</p>',
      '<div class="sect1"><div class="titlepage"><div><div><h2 class="title" style="clear: both"><a name="mc-manual.machine"></a>4.5. Details of the checking machinery</h2></div></div></div><p>Every byte of memory has eight valid-value bits, which say whether its value is defined.</p></div>',
      // Node.js: the heading's id is on its permalink, a `#`.
      '<section><h3>Promise example<span><a class="mark" href="#promise-example" id="promise-example">#</a></span><a aria-hidden="true" class="legacy" id="fs_promise_example"></a></h3><p>See <a href="#promise-example">the promise example</a> for the promise form, which returns a promise fulfilled when it is done.</p></section>',
      // Sphinx: an API entry is a term with its id and a ¶, which the page links to.
      '<dl class="py class"><dt class="sig sig-object py" id="harbour.Tide"><em class="property"><span class="pre">class</span> </em><span class="sig-prename descclassname"><span class="pre">harbour.</span></span><span class="sig-name descname"><span class="pre">Tide</span></span><a class="headerlink" href="#harbour.Tide" title="Permalink to this definition">¶</a></dt><dd><p>The tide at the harbour mouth, as the gauge reads it every ten minutes.</p></dd>' +
        '<dt class="sig sig-object py" id="harbour.Wall"><span class="sig-name descname"><span class="pre">harbour.Wall</span></span><a class="headerlink" href="#harbour.Wall" title="Permalink to this definition">¶</a></dt><dd><p>The wall, which a <a class="reference internal" href="#harbour.Tide"><code class="xref py py-class docutils literal notranslate"><span class="pre">harbour.Tide</span></code></a> reaches at spring tides.</p></dd></dl>',
    ].join(PICTURE_FILLER));
    assert.ok(!got.text.includes('¶'), got.text);
    assert.ok(!got.text.includes(`${base}/pictures/own-places#`), got.text);
    const { built, file, chapter } = await builtChapter(got.dir);
    assert.doesNotMatch(built.stderr, /link-anchor-missing/);
    assert.match(chapter, /<a href="#mc-manual-machine">Details of the checking machinery<\/a>/);
    assert.match(chapter, /<h2 id="mc-manual-machine">4\.5\. Details of the checking machinery<\/h2>/);
    assert.match(chapter, /<a href="#promise-example">the promise example<\/a>/);
    assert.match(chapter, /<h3 id="promise-example">Promise example<\/h3>/);
    assert.match(chapter, /<dt id="harbour-Tide"><em>class <\/em>harbour\.Tide<\/dt>/);
    assert.match(chapter, /<a href="#harbour-Tide"><code>harbour\.Tide<\/code><\/a>/);
    assert.match(chapter, /<dt>harbour\.Wall<\/dt>/);
    assert.ok(!chapter.includes('¶'));
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('keeps the links of a Sphinx page to its sections, by their ids and their labels\', and to an API entry by its label, from a table too', async () => {
    const got = await addPictures('sphinx-places', [
      // Python's documentation: the id is the section's, a label an empty span before the heading or the entry.
      '<p>The questions: <a class="reference internal" href="#general-questions">General Questions</a>, and see <a class="reference internal" href="#tut-numbers"><span class="std std-ref">Numbers</span></a> before the <a class="reference internal" href="#func-bytearray"><code class="xref py py-func docutils literal notranslate"><span class="pre">bytearray()</span></code></a> entry, which the <a class="reference internal" href="#bytearray" title="bytearray"><code class="xref py py-class docutils literal notranslate"><span class="pre">bytearray</span></code></a> type is.</p>',
      '<table class="docutils align-default"><thead><tr class="row-odd"><th class="head" colspan="2"><p>Built-in Functions</p></th></tr></thead><tbody><tr class="row-even"><td><p><a class="reference internal" href="#func-bytearray"><code class="docutils literal notranslate"><span class="pre">bytearray()</span></code></a></p></td><td><p><a class="reference internal" href="#general-questions">General</a></p></td></tr><tr class="row-odd"><td colspan="2"><p>All of them</p></td></tr></tbody></table>',
      '<section id="general-questions"><h2>General Questions<a class="headerlink" href="#general-questions" title="Permalink to this heading">¶</a></h2><p>Whether the tide tables are kept for the whole year, and who reads them each morning.</p>',
      '<section id="numbers"><span id="tut-numbers"></span><h3>Numbers<a class="headerlink" href="#numbers" title="Permalink to this heading">¶</a></h3><p>The gauge reads the water in centimetres above the datum of the chart.</p></section></section>',
      '<span class="target" id="func-bytearray"><span id="index-10"></span></span><dl class="py class"><dt class="sig sig-object py" id="bytearray"><em class="property"><span class="pre">class</span> </em><span class="sig-name descname"><span class="pre">bytearray</span></span><a class="headerlink" href="#bytearray" title="Permalink to this definition">¶</a></dt><dd><p>Return a new array of bytes, which the harbour log keeps.</p></dd></dl>',
    ].join(PICTURE_FILLER));
    assert.match(got.text, /\[General Questions\]\(#general-questions\)/);
    assert.match(got.text, /\[Numbers\]\(#tut-numbers\)/);
    assert.match(got.text, /\[`bytearray\(\)`\]\(#bytearray\) entry, which the \[`bytearray`\]\(#bytearray\)/);
    assert.match(got.text, /## General Questions \{#general-questions\}/);
    assert.match(got.text, /### Numbers \{#tut-numbers\}/);
    const { built, file, chapter } = await builtChapter(got.dir);
    assert.doesNotMatch(built.stderr, /link-anchor-missing/);
    assert.match(chapter, /<a href="#general-questions">General Questions<\/a>/);
    assert.match(chapter, /<h2 id="general-questions">General Questions<\/h2>/);
    assert.match(chapter, /<a href="#tut-numbers"><span>Numbers<\/span><\/a>|<a href="#tut-numbers">Numbers<\/a>/);
    assert.match(chapter, /<h3 id="tut-numbers">Numbers<\/h3>/);
    assert.match(chapter, /<dt id="bytearray"><em>class <\/em>bytearray<\/dt>/);
    // The table, kept as HTML, leads to the entry and to the section too.
    assert.equal(chapter.match(/<a href="#bytearray"[^>]*>/g)?.length, 3);
    assert.ok(!chapter.includes('func-bytearray'));
    assert.match(chapter, /<a href="#general-questions"[^>]*>General<\/a>/);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('keeps a Sphinx section whose title, and so its id, has a word Readability takes for furniture ("related", "comments"); a related-posts box still goes', async () => {
    const got = await addPictures('sphinx-related', [
      '<p>For the changes to the gauges, see <a class="reference internal" href="#whatsnew-gauges"><span class="std std-ref">New Features Related to Gauges</span></a>.</p>',
      // Python 3.11's What's New: "New Features Related to Type Hints" was lost whole, and nothing said so.
      '<section id="new-features-related-to-gauges"><span id="whatsnew-gauges"></span><h2>New Features Related to Gauges<a class="headerlink" href="#new-features-related-to-gauges" title="Permalink to this heading">¶</a></h2><p>The tide gauge at the harbour mouth now reads the water every minute instead of every ten, and keeps a week of readings.</p>',
      '<section id="comments"><h3>Comments<a class="headerlink" href="#comments" title="Permalink to this heading">¶</a></h3><p>A line of the log that starts with a hash is a comment, which the gauge never reads.</p></section></section>',
      '<section id="related-posts"><h2>Related posts</h2><ul><li><a href="/a">The storm of March</a></li><li><a href="/b">New wall</a></li></ul></section>',
    ].join(PICTURE_FILLER));
    assert.match(got.text, /## New Features Related to Gauges \{#whatsnew-gauges\}\n\nThe tide gauge at the harbour mouth now reads the water every minute/);
    assert.match(got.text, /### Comments\n\nA line of the log that starts with a hash is a comment/);
    assert.match(got.text, /\[New Features Related to Gauges\]\(#whatsnew-gauges\)/);
    assert.ok(!got.text.includes('Related posts') && !got.text.includes('The storm of March'), got.text);
    assert.ok(!got.text.includes('data-quire'), got.text);
    const { file, chapter } = await builtChapter(got.dir);
    assert.match(chapter, /<a href="#whatsnew-gauges">New Features Related to Gauges<\/a>/);
    assert.match(chapter, /<h2 id="whatsnew-gauges">New Features Related to Gauges<\/h2>\s*<p>The tide gauge/);
    assert.match(chapter, /<h3[^>]*>Comments<\/h3>\s*<p>A line of the log/);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('writes a Sphinx footnote without the brackets of its number: its link back in them, or its number beside its links back', async () => {
    const ref = (note: string, id: string, n: number) => `<a class="footnote-reference brackets" href="#${note}" id="${id}" role="doc-noteref"><span class="fn-bracket">[</span>${n}<span class="fn-bracket">]</span></a>`;
    const got = await addPictures('sphinx-notes', [
      `<p>The gauge reads the water to the centimetre ${ref('id3', 'id1', 1)}, and the wall is cased ${ref('id4', 'id2', 2)} in stone, all of it cased ${ref('id4', 'id5', 2)} again.</p>`,
      '<p class="rubric">Footnotes</p><aside class="footnote-list brackets">',
      '<aside class="footnote brackets" id="id3" role="note">\n<span class="label"><span class="fn-bracket">[</span><a role="doc-backlink" href="#id1">1</a><span class="fn-bracket">]</span></span>\n<p>Since the datum of the chart is lower than any tide, a reading is never negative.</p>\n</aside>',
      '<aside class="footnote brackets" id="id4" role="note">\n<span class="label"><span class="fn-bracket">[</span>2<span class="fn-bracket">]</span></span>\n<span class="backrefs">(<a role="doc-backlink" href="#id2">1</a>,<a role="doc-backlink" href="#id5">2</a>)</span>\n<p>Cased stones are those cut square at the quarry.</p>\n</aside></aside>',
    ].join(''));
    assert.match(got.text, /\[\^1\]: Since the datum of the chart is lower than any tide, a reading is never negative\.$/m);
    assert.match(got.text, /\[\^2\]: Cased stones are those cut square at the quarry\.$/m);
    assert.match(got.text, /the centimetre \[\^1\], and the wall is cased \[\^2\] in stone, all of it cased \[\^2\] again/);
    assert.doesNotMatch(got.text, /\\\[|\(,\)/);
    const { file, chapter } = await builtChapter(got.dir);
    assert.match(chapter, /<\/a>\. Since the datum of the chart/);
    assert.match(chapter, /<\/a>\. Cased stones are those cut square/);
    assert.doesNotMatch(chapter, /\[\]|\[2\]|\(,\)/);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('keeps a Sphinx footnote whose list follows a table, among no paragraphs', async () => {
    const got = await addPictures('sphinx-table-note', [
      '<section id="replaced-gauges"><h3>Replaced gauges<a class="headerlink" href="#replaced-gauges" title="Permalink to this heading">¶</a></h3>',
      '<table class="docutils align-default"><thead><tr class="row-odd"><th class="head"><p>Old gauge</p></th><th class="head"><p>New gauge</p></th></tr></thead><tbody><tr class="row-even"><td><p>Float</p></td><td><p>Radar; see <a class="footnote-reference brackets" href="#gauge-jump" id="id6" role="doc-noteref"><span class="fn-bracket">[</span>3<span class="fn-bracket">]</span></a></p></td></tr></tbody></table>',
      '<aside class="footnote-list brackets"><aside class="footnote brackets" id="gauge-jump" role="note">\n<span class="label"><span class="fn-bracket">[</span><a role="doc-backlink" href="#id6">3</a><span class="fn-bracket">]</span></span>\n<p>All readings are now relative to the new datum, including the old float gauge\'s.</p>\n</aside></aside></section>',
    ].join(''));
    assert.match(got.text, /\| Float \| Radar; see \[\^1\] \|/);
    assert.match(got.text, /\[\^1\]: All readings are now relative to the new datum, including the old float gauge's\.$/m);
    const { file, chapter } = await builtChapter(got.dir);
    assert.match(chapter, /<\/a>\. All readings are now relative to the new datum/);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('writes a documentation site\'s admonition (Sphinx, docutils, MkDocs) as the book\'s titled box of its kind, its words and code in it', async () => {
    const got = await addPictures('admonitions', [
      '<div class="admonition tip"><p class="admonition-title">Tip</p><p>You may think you can combine the two with one route:</p><div class="highlight-default notranslate"><div class="highlight"><pre><span></span>map.connect("cards", "/cards{path_info:.*}",\n    controller="main")\n</pre></div></div><p>There are two problems with this.</p></div><p>After the tip, the article goes on about the harbour wall and its stones.</p>',
      '<div class="admonition admonition-harbour-rules"><p class="admonition-title">Harbour *rules*</p><p>No mooring at the north quay.</p></div>',
      '<div class="warning"><p class="first admonition-title">Warning</p><p class="last">The tide tables are <em>local</em> time.</p></div>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      '> [!tip] Tip\n> You may think you can combine the two with one route:\n>\n> ```\n> map.connect("cards", "/cards{path_info:.*}",\n>     controller="main")\n> ```\n>\n> There are two problems with this.\n\n' +
        'After the tip, the article goes on about the harbour wall and its stones.\n\n' +
        '> [!note] Harbour \\*rules\\*\n> No mooring at the north quay.\n\n' +
        '> [!warning] Warning\n> The tide tables are *local* time.',
    );
    const { file, chapter } = await builtChapter(got.dir);
    assert.match(chapter, /<div class="markdown-alert markdown-alert-tip"><p class="markdown-alert-title">Tip<\/p>\n<p>You may think you can combine the two with one route:<\/p>\n<pre><code>map\.connect\("cards", "\/cards\{path_info:\.\*\}",\n {4}controller="main"\)\n<\/code><\/pre>\n<p>There are two problems with this\.<\/p>\n<\/div>\n<p>After the tip/);
    assert.match(chapter, /<div class="markdown-alert markdown-alert-note"><p class="markdown-alert-title">Harbour \*rules\*<\/p>\n<p>No mooring at the north quay\.<\/p>\n<\/div>/);
    assert.match(chapter, /<div class="markdown-alert markdown-alert-warning"><p class="markdown-alert-title">Warning<\/p>\n<p>The tide tables are <em>local<\/em> time\.<\/p>\n<\/div>/);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('titles a texinfo manual\'s page by its page title whole, not by its end after the colon in the manual\'s name', async () => {
    const dir = tempDir();
    const r = await add(dir, `${base}/manual/The-Basics.html`, `${base}/manual/Closure-Example.html`);
    assert.equal(r.code, 0, r.stderr);
    const files = fs.readdirSync(path.join(dir, 'articles')).filter((f) => f.endsWith('.md')).sort();
    assert.deepEqual(files.map((f) => frontMatter(fs.readFileSync(path.join(dir, 'articles', f), 'utf8')).title), [
      'Closure Example (harbour: the portable tide gauge reading library)',
      'The Basics (harbour: the portable tide gauge reading library)',
    ]);
    const built = await runCli(['build'], { cwd: dir });
    assert.equal(built.code, 0, built.stderr);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    const nav = await book.text(book.names.find((n) => /nav\.xhtml$|toc\.xhtml$/.test(n))!);
    assert.match(nav, />The Basics \(harbour: the portable tide gauge reading library\)</);
    assert.match(nav, />Closure Example \(harbour: the portable tide gauge reading library\)</);
  });

  it('keeps the links of a DocBook FAQ to its questions, which it lays out in a table kept as HTML, by their own ids', async () => {
    const got = await addPictures('faq-table', [
      '<p>The questions come in groups: <a href="faq-table#faq.background">Background</a> first, then <a href="faq-table#faq.installing">Compiling, installing and configuring</a>, and the rest after them.</p>',
      '<table summary="Q and A Div" border="0"><colgroup><col align="left" width="1%"><col></colgroup><tbody>' +
        '<tr class="qandadiv"><td align="left" valign="top" colspan="2"><a name="faq.background"></a><h3 class="title"><a name="faq.background"></a>1. Background</h3></td></tr>' +
        '<tr class="question"><td align="left" valign="top"><a name="faq.pronounce"></a><p><b>1.1.</b></p></td><td align="left" valign="top"><p>How do you pronounce the name of the harbour gauge, which sailors call by many names?</p></td></tr>' +
        '<tr class="answer"><td align="left" valign="top"><p><b></b></p></td><td align="left" valign="top"><p>It rhymes with the name of the river, as the old harbour master said it, and as his logbook spells it out.</p></td></tr>' +
        '<tr class="qandadiv"><td align="left" valign="top" colspan="2"><a name="faq.installing"></a><h3 class="title"><a name="faq.installing"></a>2. Compiling, installing and configuring</h3></td></tr>' +
        '</tbody></table>',
    ].join(PICTURE_FILLER));
    const { built, file, chapter } = await builtChapter(got.dir);
    assert.doesNotMatch(built.stderr, /link-anchor-missing/);
    assert.match(chapter, /<a href="#faq\.background">Background<\/a>/);
    assert.match(chapter, /<a href="#faq\.installing">Compiling, installing and configuring<\/a>/);
    assert.match(chapter, /id="faq\.background"/);
    assert.match(chapter, /id="faq\.installing"/);
    assert.equal(problems(await epubcheck(file)), '');
  });

  it("keeps a link by the page's own address to a place the article does not keep as a link to the page, and none of quire's marks in HTML it keeps", () => {
    const html =
      '<h2 id="kept">Kept</h2><p>See <a href="https://example.com/doc/page.html#kept">kept</a> and <a href="https://example.com/doc/page.html#para-3">the third paragraph</a>.</p><p id="para-3">Third.</p>' +
      '<table><tr><td><h3 id="q.one">Q one?</h3><a href="https://example.com/doc/page.html#para-3">in a table</a>, <a href="https://example.com/doc/page.html#q.one">to Q one</a></td><td rowspan="2">x</td></tr><tr><td>y</td></tr></table>';
    const { markdown } = articleToMarkdown(html, 'https://example.com/doc/page.html');
    // The place is not kept: the link went to it in the chapter, where nothing has its id, or was its text only.
    assert.match(markdown, /See \[kept\]\(#kept\) and \[the third paragraph\]\(https:\/\/example\.com\/doc\/page\.html#para-3\)\./);
    assert.match(markdown, /<a href="https:\/\/example\.com\/doc\/page\.html#para-3">in a table<\/a>, <a href="#q\.one">to Q one<\/a>/);
    assert.doesNotMatch(markdown, /data-quire/);
  });

  it('writes an admonition in a table\'s cell as the cell\'s text, not as a box whose `>` a Markdown table shows', async () => {
    const got = await addPictures('admonition-cell', [
      '<table><tr><th>Option</th><th>Meaning</th></tr><tr><td>tide</td><td><div class="admonition note"><p class="admonition-title">Note</p><p>Local time.</p></div></td></tr></table>',
      '<p>After the table, the article goes on about the harbour wall and its stones.</p>',
    ].join(PICTURE_FILLER));
    assert.ok(!got.text.includes('[!note]'), got.text);
    assert.match(got.text, /\| tide \| Note<br><br>Local time\. \|/);
  });

  it("keeps a link by the page's own address in a summary or a definition list's term as a link to the page", () => {
    const html =
      '<h2 id="sec-b">Section b</h2><p>The harbour wall and its stones.</p>' +
      '<details><summary>More <a href="https://example.com/doc/page.html#sec-b">about b</a></summary><p>Hidden text.</p></details>' +
      '<dl><dt>tide <a href="https://example.com/doc/page.html#sec-b">(see b)</a></dt><dd><p>The sea\'s rise.</p></dd></dl>';
    const { markdown } = articleToMarkdown(html, 'https://example.com/doc/page.html');
    // Made `#sec-b`, a link a summary's or a term's HTML does not keep, it was its text only.
    assert.match(markdown, /<summary>More <a href="https:\/\/example\.com\/doc\/page\.html#sec-b">about b<\/a><\/summary>/);
    assert.match(markdown, /<dt>tide <a href="https:\/\/example\.com\/doc\/page\.html#sec-b">\(see b\)<\/a><\/dt>/);
    assert.doesNotMatch(markdown, /data-quire/);
  });

  it('keeps the words of a term or a heading that are all its link to itself (`Go`, `R`, `#`)', () => {
    const html =
      '<p>The terms used in the harbour and on its boats, with what each of them means there.</p><h2 id="c"><a class="anchor-link" href="#c">C</a></h2>' +
      '<dl><dt id="go"><a class="anchor" href="#go">Go</a></dt><dd>A language.</dd><dt><a href="#hash" id="h">#</a></dt><dd>The hash.</dd><dt id="x">sig()<a class="headerlink" href="#x">¶</a></dt><dd>Sig.</dd></dl>' +
      '<p>See <a href="#go">Go</a> and <a href="#h">the hash</a>.</p>';
    const { markdown } = articleToMarkdown(html, 'https://example.com/doc/glossary.html');
    // Taken for a permalink, each went with its words: the terms were empty, and the links to them led nowhere.
    assert.match(markdown, /^## C$/m);
    assert.match(markdown, /<dt id="go">Go<\/dt>\n<dd>\n\nA language\.\n\n<\/dd>\n<dt id="h">#<\/dt>/);
    assert.match(markdown, /<dt>sig\(\)<\/dt>/);
    assert.match(markdown, /See \[Go\]\(#go\) and \[the hash\]\(#h\)\./);
  });

  it('shows and saves the picture in a summary and in a term of a definition list, in its place', async () => {
    const got = await addPictures('summary-term', [
      '<details><summary><img src="/pics/summary-icon.png" alt="Tide icon"> The tide table</summary><p>Low water at six, high water at noon.</p></details>',
      '<dl><dt><img src="/pics/term-buoy.png" alt="Red buoy"> Port mark</dt><dd>Keep it on the left coming in.</dd><dt><a href="/marks/green"><img src="/pics/term-green.png" alt="Green buoy"></a></dt><dd>Keep it on the right.</dd></dl>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      '<details>\n<summary><img src="=summary-icon" alt="Tide icon"/> The tide table</summary>\n\nLow water at six, high water at noon.\n\n</details>\n\n' +
        `<dl>\n<dt><img src="=term-buoy" alt="Red buoy"/> Port mark</dt>\n<dd>\n\nKeep it on the left coming in.\n\n</dd>\n<dt><a href="${base}/marks/green"><img src="=term-green" alt="Green buoy"/></a></dt>\n<dd>\n\nKeep it on the right.\n\n</dd>\n</dl>`,
    );
    assert.deepEqual(got.files, ['summary-icon', 'term-buoy', 'term-green']);
    assert.deepEqual(got.asked, ['/pics/summary-icon.png', '/pics/term-buoy.png', '/pics/term-green.png']);
  });

  it('shows and saves the pictures of a table\'s caption before the table; a table kept as HTML keeps them in its caption', async () => {
    const got = await addPictures('captions', [
      '<table><caption><img src="/pics/caption-logo.png" alt="Harbour board"> Tides this week</caption><thead><tr><th>Day</th><th>Low water</th></tr></thead><tbody><tr><td>Monday</td><td>6:10</td></tr></tbody></table>',
      '<table><caption><img src="/pics/caption-merged.png" alt="Pilots"> Pilots on duty</caption><tr><td colspan="2">Weekdays</td></tr><tr><td>Ana</td><td>Ben</td></tr></table>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      '![Harbour board](=caption-logo) Tides this week\n\n| Day | Low water |\n| --- | --- |\n| Monday | 6:10 |\n\n' +
        '<table><caption><img src="=caption-merged" alt="Pilots"> Pilots on duty</caption><tbody><tr><td colspan="2">Weekdays</td></tr><tr><td>Ana</td><td>Ben</td></tr></tbody></table>',
    );
    assert.deepEqual(got.files, ['caption-logo', 'caption-merged']);
    assert.deepEqual(got.asked, ['/pics/caption-logo.png', '/pics/caption-merged.png']);
  });

  it('writes every table\'s caption before it with its links and emphasis: one of a table of one cell, one above a first row of headings', async () => {
    const got = await addPictures('table-captions', [
      // One cell: gfm writes it cell by cell, and its caption was dropped.
      '<table><caption>High water at noon <img src="/pics/caption-wave.png" alt="wave"></caption><tr><td>4.2 m</td></tr></table>',
      // No <thead>: with the caption first, the row of headings was written under an empty heading row.
      '<table><caption>Pilots</caption><tr><th>Name</th><th>Boat</th></tr><tr><td>Ana</td><td>Gull</td></tr></table>',
      // Its text only: the link and the emphasis were lost, and `*` read as emphasis.
      '<table><caption>From <a href="/board">the <em>board</em></a>, *provisional*</caption><thead><tr><th>Day</th><th>Low</th></tr></thead><tbody><tr><td>Monday</td><td>6:10</td></tr></tbody></table>',
      // A figure's caption stays its caption; a table in a table kept as HTML keeps its caption.
      '<figure><table><tr><th>Berth</th><th>Depth</th></tr><tr><td>A</td><td>5 m</td></tr></table><figcaption>Table 2: <em>berths</em></figcaption></figure>',
      '<table><caption>Outer</caption><tr><td><table><caption>Inner</caption><tr><td>x</td></tr></table></td><td>y</td></tr></table>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      'High water at noon ![wave](=caption-wave)\n\n4.2 m\n\n' +
        'Pilots\n\n| Name | Boat |\n| --- | --- |\n| Ana | Gull |\n\n' +
        `From [the *board*](<${base}/board>), \\*provisional\\*\n\n| Day | Low |\n| --- | --- |\n| Monday | 6:10 |\n\n` +
        '<figure>\n\n| Berth | Depth |\n| --- | --- |\n| A   | 5 m |\n\n<figcaption>\n\nTable 2: *berths*\n\n</figcaption>\n\n</figure>\n\n' +
        '<table><caption>Outer</caption><tbody><tr><td><table><caption>Inner</caption><tbody><tr><td>x</td></tr></tbody></table></td><td>y</td></tr></tbody></table>',
    );
    assert.deepEqual(got.files, ['caption-wave']);
    assert.equal(got.stderr, '');
  });

  it('keeps as HTML a table whose row of headings is shorter than a row under it, which Markdown cannot make a table of', async () => {
    const got = await addPictures('ragged-table', '<table><tr><th>Quay</th><th>Depth</th></tr><tr><td>North</td><td>5 m</td><td>dredged 2024</td></tr></table>');
    assert.equal(got.text, '<table><tbody><tr><th>Quay</th><th>Depth</th></tr><tr><td>North</td><td>5 m</td><td>dredged 2024</td></tr></tbody></table>');
  });

  it('shows an <object> whose data is a picture as that picture, and links another with its fallback picture; Readability dropped both', async () => {
    const got = await addPictures('objects', [
      '<object data="/pics/object-chart.png" type="image/png" width="600"><img src="/pics/object-chart-fallback.png" alt="Tide chart"></object>',
      '<object data="/pics/object-wave.gif"><img src="/pics/object-wave-still.png" alt="Wave"></object>',
      '<object data="/reports/tide.pdf" type="application/pdf" width="600" height="800"><img src="/pics/object-cover.png" alt="Report cover"></object>',
    ].join(PICTURE_FILLER));
    assert.equal(got.text, `![Tide chart](=object-chart)\n\n![Wave](=object-wave)\n\n[![Report cover](=object-cover)](<${base}/reports/tide.pdf>)`);
    assert.deepEqual(got.files, ['object-chart', 'object-cover', 'object-wave']);
    assert.deepEqual(got.asked, ['/pics/object-chart.png', '/pics/object-cover.png', '/pics/object-wave.gif'], 'a picture\'s fallback is not asked for');
    assert.equal(got.stderr, '');
  });

  it('keeps the pictures of a disclosure button that say something, in their place among its words; a chevron or an "Expand" icon goes', async () => {
    const got = await addPictures('disclosure', [
      '<div><button aria-expanded="false" aria-controls="a1"><img src="/pics/button-flag.png" alt="Flag of Norway"> Norway <img src="/pics/button-chevron.png" alt=""></button></div><div id="a1" hidden><p>Ferries run hourly from the north quay in summer.</p></div>',
      '<h3><button aria-expanded="false" aria-controls="a2"><img src="/pics/button-lock.png" alt="Map of the lock"> The lock</button></h3><div id="a2" hidden><p>The lock opens two hours either side of high water.</p></div>',
      '<button aria-expanded="false" aria-controls="a3"><img src="/pics/button-expand.png" alt="Expand"></button><div id="a3" hidden><p>The wall was built of granite from the quarry up the valley.</p></div>',
    ].join(PICTURE_FILLER));
    assert.equal(
      got.text,
      '![Flag of Norway](=button-flag) **Norway**\n\nFerries run hourly from the north quay in summer.\n\n' +
        '### ![Map of the lock](=button-lock) The lock\n\nThe lock opens two hours either side of high water.\n\n' +
        'The wall was built of granite from the quarry up the valley.',
    );
    assert.deepEqual(got.files, ['button-flag', 'button-lock']);
    assert.deepEqual(got.asked, ['/pics/button-flag.png', '/pics/button-lock.png']);
    assert.equal(got.stderr, '');
  });

  it('names a picture the Markdown cannot show (one in a ruby annotation) in a warning; not a player\'s fallback', async () => {
    const got = await addPictures('unshown', [
      '<p>The tide, <ruby>潮<img src="/pics/ruby-mark.png" alt="mark"><rt>shio</rt></ruby>, turns twice a day.</p>',
      '<p><img src="/pics/shown.png" alt="The quay"></p><video src="/media/tide.mp4" controls><img src="/pics/fallback.png" alt="No video"></video>',
    ].join(PICTURE_FILLER));
    assert.match(got.stderr, new RegExp(`warning: image ${base}/pics/ruby-mark\\.png left out: it stands in a <ruby>, which the article's Markdown cannot show`));
    assert.doesNotMatch(got.stderr, /fallback|shown\.png/);
    assert.deepEqual(got.files, ['shown']);
  });

  it('takes a lazy image\'s real picture whatever its file is named (lazy-river.png, placeholder-map.png), not the spacer in its src', async () => {
    const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
    const got = await addPictures('names', [
      '<p><img src="/pics/spacer.gif" data-lazy-src="/pics/lazy-river.png" alt="The lazy river"></p>',
      `<p><img src="${PIXEL}" data-src="/pics/placeholder-map.png" class="lazyload" alt="The map"></p>`,
      `<p><img src="${PIXEL}" data-srcset="/pics/blank-verse-300.png 300w, /pics/blank-verse.png 900w" class="lazyload" alt="The poem"></p>`,
    ].join(PICTURE_FILLER));
    assert.equal(got.text, '![The lazy river](=lazy-river)\n\n![The map](=placeholder-map)\n\n![The poem](=blank-verse)');
    assert.deepEqual(got.files, ['blank-verse', 'lazy-river', 'placeholder-map']);
    assert.deepEqual(got.asked, ['/pics/blank-verse.png', '/pics/lazy-river.png', '/pics/placeholder-map.png'], 'the spacer is not asked for');
  });

  it("leaves out a page's counters (images declared 1×1 or 0×0, a counter's address) without asking for them; keeps an icon of no stated size", async () => {
    const got = await addPictures('counters', [
      '<p><img src="/pics/pier.png" alt="The pier"></p>',
      '<p>Open on weekdays <img src="/pics/clock-icon.png" alt="clock"> from nine.</p>',
      '<p>Read on.<img src="/pics/count-attributes.png?page=7" width="1" height="1" alt=""><img src="/pics/count-style.png?page=7" style="width:1px; height:1px" alt="counter"><img src="/pics/count-zero.png" width="0" height="0"></p>',
      '<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=123&amp;ev=PageView&amp;noscript=1"></noscript>',
    ].join(PICTURE_FILLER));
    assert.equal(got.text, '![The pier](=pier)\n\nOpen on weekdays ![clock](=clock-icon) from nine.\n\nRead on.');
    assert.deepEqual(got.files, ['clock-icon', 'pier']);
    assert.deepEqual(got.asked, ['/pics/clock-icon.png', '/pics/pier.png']);
    assert.equal(got.stderr, '');
  });

  it('keeps the addresses of pictures it cannot fetch, and the build fetches them once they are back', async () => {
    const dir = tempDir();
    serveLater = false;
    const r = await add(dir, `${base}/later`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /image http:\/\/127\.0\.0\.1:\d+\/later\/one\.png not downloaded \(HTTP 503\)/);
    const [name] = fs.readdirSync(path.join(dir, 'articles')).filter((n) => n.endsWith('.md'));
    const md = fs.readFileSync(path.join(dir, 'articles', name!), 'utf8');
    assert.ok(md.includes(`![First picture](<${base}/later/one.png>)`) && md.includes(`![Second picture](<${base}/later/two.png>)`), md);
    serveLater = true;
    const built = await runCli(['build', '--allow-private-network'], { cwd: dir });
    assert.equal(built.code, 0, built.stderr);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    const images = book.names.filter((n) => n.startsWith('OEBPS/images/'));
    assert.equal(images.length, 2, book.names.join(', '));
    const bytes = await Promise.all(images.map((n) => book.bytes(n)));
    assert.ok(bytes.some((b) => b.equals(SKY['later-one']!)) && bytes.some((b) => b.equals(SKY['later-two']!)));
    assert.equal(problems(await epubcheck(path.join(dir, 'output/book.epub'))), '');
  });
});

describe('quire add, the article to Markdown', () => {
  it('removes page furniture precisely: share bars and newsletter boxes go; a section named "comments" and inline popups stay', () => {
    const { markdown } = articleToMarkdown(
      '<p>Text with an <a class="popup" href="/note">inline annotation</a> in it.</p><div class="share-bar"><a href="/share">Share this</a></div><div class="newsletter">Sign up for our letter</div><section id="comments"><h2>Comments</h2><p>How the parser keeps comments in the source.</p></section>',
      'https://example.com/post',
    );
    assert.match(markdown, /Text with an \[inline annotation\]\(<https:\/\/example\.com\/note>\) in it\./);
    assert.match(markdown, /## Comments\n\nHow the parser keeps comments in the source\./);
    assert.ok(!markdown.includes('Share this') && !markdown.includes('Sign up'), markdown);
  });

  it('keeps a page\'s text that reads like the mark a footnote stands in by while turndown runs', () => {
    const { markdown } = articleToMarkdown(
      '<p>The word QUIREFOOTNOTE1X and <em>F1</em> stay, <sup>QUIREFOOTNOTE2X</sup> too.<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1">The note.</li></ol>',
      'https://example.com/post',
    );
    assert.equal(markdown, 'The word QUIREFOOTNOTE1X and *F1* stay, <sup>QUIREFOOTNOTE2X</sup> too.[^1]\n\n[^1]: The note.\n');
  });

  it('writes a long table, and tables side by side or inside one another, as before its rows were read once', () => {
    // 3,000 rows: gfm's rules walked the whole table for each row (a table of 4,000 rows took 36 s).
    const rows = Array.from({ length: 3000 }, (_, i) => `<tr><td>${i}</td><td>x|y</td></tr>`).join('');
    const { markdown } = articleToMarkdown(`<table><thead><tr><th>N</th><th>Pipe</th></tr></thead><tbody>${rows}</tbody></table><table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>d</td></tr></table><table><tr><td><table><tr><td>inner</td><td>i2</td></tr></table></td><td>outer</td></tr></table>`, 'https://example.com/');
    const lines = markdown.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['| N   | Pipe |', '| --- | --- |', '| 0   | x\\|y |', '| 1   | x\\|y |']);
    assert.equal(lines.filter((l) => /^\| \d+ +\| x\\\|y \|$/.test(l)).length, 3000);
    // A table with no heading row gets an empty one, as wide as its widest row; one holding a table stays HTML.
    assert.match(markdown, /\|     \|     \|     \|\n\| --- \| --- \| --- \|\n\| a   \| b   \| c   \|\n\| d   \|/);
    assert.match(markdown, /^<table><tbody><tr><td><table><tbody><tr><td>inner<\/td><td>i2<\/td><\/tr><\/tbody><\/table><\/td><td>outer<\/td><\/tr><\/tbody><\/table>$/m);
  });

  it('fences a listing of 100,000 lines with more backticks than any run in it', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => (i === 50_000 ? 'a ```` b' : `\`t${i}\` \`\`u\`\``));
    const { markdown } = articleToMarkdown(`<pre><code>${lines.join('\n')}</code></pre>`, 'https://example.com/');
    assert.ok(markdown.startsWith('`````\n`t0` ``u``\n'), markdown.slice(0, 40));
    assert.ok(markdown.trimEnd().endsWith('`t99999` ``u``\n`````'), markdown.slice(-40));
  });

  it('reads code languages from the code, the pre or a wrapper', () => {
    const cases: [string, string][] = [
      ['<div class="highlight-python notranslate"><div class="highlight"><pre>x = 1</pre></div></div>', 'python'],
      ['<div class="highlight highlight-source-js"><pre>let x</pre></div>', 'js'],
      ['<pre data-lang="rust"><code>fn main() {}</code></pre>', 'rust'],
      ['<pre><code class="lang-go">package main</code></pre>', 'go'],
      ['<pre class="language-text">plain</pre>', ''],
    ];
    for (const [html, lang] of cases) assert.match(articleToMarkdown(html, 'https://example.com/').markdown, new RegExp(`^\`\`\`${lang}\\n`), html);
  });

  it('writes displayed MathML as a $$ block and keeps the TeX of alttext', () => {
    const { markdown } = articleToMarkdown('<p>So:</p><math display="block"><mfrac><mn>1</mn><mi>n</mi></mfrac></math><p>and <math alttext="\\(x^2\\)"><msup><mi>x</mi><mn>2</mn></msup></math>.</p>', 'https://example.com/');
    assert.match(markdown, /^\$\$\\frac\{1\}\{n\}\$\$$/m);
    assert.match(markdown, /and \$x\^2\$\./);
  });

  it('keeps a MathJax 2 formula, given only as TeX in a script, inline and displayed', () => {
    const filler = '<p>The council met on Tuesday to discuss the parking rules that local shops have argued over for months.</p>';
    const page = `<html><head><title>Energy</title></head><body><article><h1>Energy</h1><div class="entry-content">${filler}<p>Energy is <span class="MathJax_Preview">E=mc2</span><script type="math/tex">E=mc^2</script> where c is light speed.</p><script type="math/tex; mode=display">\\int_0^1 x\\,dx = \\frac{1}{2}</script>${filler}</div></article></body></html>`;
    const { markdown } = extractArticle(page, 'https://example.com/energy')!;
    assert.match(markdown, /^Energy is \$E=mc\^2\$ where c is light speed\.$/m);
    assert.match(markdown, /^\$\$\\int_0\^1 x\\,dx = \\frac\{1\}\{2\}\$\$$/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /Energy is <math[^>]*>.*<mi>E<\/mi>.*<\/math> where/);
    assert.match(body, /<math[^>]*display="block"[^>]*>.*∫/);
  });

  it('keeps what the page shows: tags and entities written as text, line breaks and blank lines of listings, superscripts', () => {
    const html = [
      '<h2>Single &lt;img&gt; and &lt;b&gt; tags</h2>',
      '<p>Write &lt;script&gt;alert(1)&lt;/script&gt;, 400&amp;percnt;, a &lt; b and AT&amp;T.</p>',
      '<pre><code><span>// add.c</span><br/><span>#include</span> &lt;emscripten.h&gt;<br/>int add();</code></pre>',
      '<pre><code>def a():\n    pass\n\n\n\ndef b():\n    pass</code></pre>',
      '<p>H<sub>2</sub>O, mc<sup>2</sup>, 10<sup>-6</sup>.</p>',
      '<p>After.</p>',
      '<figure><img src="p.jpg" alt="A *star*"><figcaption><p>The caption.</p><span>Photo by J.</span></figcaption></figure>',
      '<p>He said <q>hello</q>.</p>',
      // A caption with a credit after it, a figure in a table's cell: not figures (HTML allows neither).
      '<figure><img src="c.jpg" alt="C"><figcaption>Cap C</figcaption><div>Photo: J.</div></figure>',
      '<table><tr><th>H</th></tr><tr><td><figure><p>Q</p><figcaption>Cap D</figcaption></figure></td></tr></table>',
      '<p>The call <code>O(n<sup>2</sup>)</code>.</p>',
    ].join('');
    const { markdown } = articleToMarkdown(html, 'https://example.com/');
    assert.match(markdown, /```\n\/\/ add\.c\n#include <emscripten\.h>\nint add\(\);\n```/);
    assert.match(markdown, /def a\(\):\n    pass\n\n\n\ndef b\(\):/);
    // The chapter quire builds from it shows what the page showed.
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<h2 [^>]*>Single &lt;img&gt; and &lt;b&gt; tags<\/h2>/);
    assert.match(body, /<p>Write &lt;script&gt;alert\(1\)&lt;\/script&gt;, 400&amp;percnt;, a &lt; b and AT&amp;T\.<\/p>/);
    assert.match(body, /<p>H<sub>2<\/sub>O, mc<sup>2<\/sup>, 10<sup>-6<\/sup>\.<\/p>\n<p>After\.<\/p>/);
    // A figure's caption is its caption; an image's alt text keeps its marks; a quotation its quotes.
    assert.match(markdown, /!\[A \\\*star\\\*\]\(/);
    assert.match(body, /<figure><p>[^<]*<\/p>\n<figcaption><p>The caption\.<\/p>\n<p>Photo by J\.<\/p>\n<\/figcaption><\/figure>/);
    assert.match(body, /<p>He said “hello”\.<\/p>/);
    assert.equal(body.split('<figure>').length - 1, 1);
    assert.match(body, /<p>Cap C<\/p>\n<p>Photo: J\.<\/p>/);
    assert.match(body, /<td>Q<br\/><br\/>Cap D<\/td>/);
    assert.match(body, /<code>O\(n2\)<\/code>/);
  });

  it('keeps the links of a contents list to the article\'s headings, and those headings\' ids', () => {
    const { markdown } = articleToMarkdown('<ul><li><a href="#detecting-anomalies">Detecting</a></li><li><a href="#History">History</a></li><li><a href="#gone">Gone</a></li></ul><h2 id="detecting-anomalies">Detecting Anomalies</h2><p>Text.</p><h2><span class="mw-headline" id="History">History</span></h2><h3 id="x">Not linked</h3>', 'https://example.com/');
    assert.match(markdown, /^- {3}\[Detecting\]\(#detecting-anomalies\)\n- {3}\[History\]\(#History\)\n- {3}Gone$/m);
    assert.match(markdown, /^## Detecting Anomalies \{#detecting-anomalies\}$/m);
    assert.match(markdown, /^### Not linked$/m);
    // An id quire's `{#id}` would read otherwise (a dot: `{#v1.0}` is the id `v1` and the class `0`) is
    // written with a `-`, and so are its links; one `{#id}` cannot write at all is not kept, nor its links.
    assert.match(articleToMarkdown('<p><a href="#v1.0">v1</a></p><h2 id="v1.0">Version 1.0</h2>', 'https://example.com/').markdown, /^\[v1\]\(#v1-0\)\n\n## Version 1\.0 \{#v1-0\}$/m);
    assert.match(articleToMarkdown('<p><a href="#v1%7D">v1</a></p><h2 id="v1}">Version 1</h2>', 'https://example.com/').markdown, /^v1\n\n## Version 1$/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<h2 id="History">History<\/h2>/);
    assert.match(body, /<h2 id="detecting-anomalies">Detecting Anomalies<\/h2>/);
  });

  it('keeps a link around blocks on their text: an image in a <div> is a linked image, a card its heading linked, never a bracket alone', () => {
    const html = [
      '<p>Before.</p><a href="https://example.org/full.png"><div><img src="/a.png" alt="photo"></div></a>',
      // Substack: every image is a link around a <div> around a <picture>, with an icon to enlarge it.
      '<figure><a class="image-link" href="https://example.org/big.png"><div class="image2-inset"><picture><img src="/s.png" alt="Substack image"></picture><div class="image-link-expand"><svg width="20" height="20" viewBox="0 0 24 24"><path d="M1"></path></svg></div></div></a><figcaption>Its caption</figcaption></figure>',
      '<a class="card" href="https://example.org/story"><h3>Related: the 2023 vote</h3><p>What happened last year.</p></a>',
      // A Ghost bookmark card: no heading, so each of its paragraphs and pictures is linked.
      '<a class="kg-bookmark-container" href="https://example.org/report"><div>The Parking Report</div><div>A long report.</div><div><img src="/t.png" alt=""></div></a>',
      '<a href="https://example.org/code"><p>See the code.</p><pre><code>x = 1\n\ny = 2</code></pre><ul><li>one</li></ul></a><p>After.</p>',
    ].join('');
    const { markdown } = articleToMarkdown(html, 'https://example.com/');
    assert.match(markdown, /^\[!\[photo\]\(<https:\/\/example\.com\/a\.png>\)\]\(<https:\/\/example\.org\/full\.png>\)$/m);
    assert.match(markdown, /^\[!\[Substack image\]\(<https:\/\/example\.com\/s\.png>\)\]\(<https:\/\/example\.org\/big\.png>\)$/m);
    assert.match(markdown, /^### \[Related: the 2023 vote\]\(<https:\/\/example\.org\/story>\)\n\nWhat happened last year\.$/m);
    assert.match(markdown, /^\[The Parking Report\]\(<https:\/\/example\.org\/report>\)\n\n\[A long report\.\]\(<https:\/\/example\.org\/report>\)\n\n\[!\[\]\(<https:\/\/example\.com\/t\.png>\)\]\(<https:\/\/example\.org\/report>\)$/m);
    // A listing (its blank line too) and a list stay as they are.
    assert.match(markdown, /^\[See the code\.\]\(<https:\/\/example\.org\/code>\)\n\n```\nx = 1\n\ny = 2\n```\n\n- {3}one\n\nAfter\.$/m);
    assert.doesNotMatch(markdown, /^\[$|^\]\(/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    // The image (a placeholder until the book settles its pictures) is in the link.
    assert.match(body, /<p><a href="https:\/\/example\.org\/full\.png">\0I\d+\0<\/a><\/p>/);
    assert.match(body, /<h\d[^>]*><a href="https:\/\/example\.org\/story">Related: the 2023 vote<\/a><\/h\d>/);
    assert.ok(!/<p>\[<\/p>|\]\(/.test(body), body);
  });

  it('keeps every line of a listing: several <code> in a <pre>, a prompt, line-numbered tables, a listing in a cell', () => {
    const html = [
      '<pre><code>first zl1</code>\n<code>second zl2</code></pre>',
      '<pre><span class="prompt">$ </span><code>npm install zl3</code>\nadded zl4</pre>',
      '<div class="highlight"><table class="highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre>1\n2</pre></div></td><td class="code"><div class="highlight"><pre><span class="k">import</span> zl5\n<span class="c1">    # zl6</span>\n</pre></div></td></tr></table></div>',
      '<div class="highlight highlight-source-js"><table><tr><td class="blob-num" data-line-number="1"></td><td class="blob-code">if (zl7) {</td></tr><tr><td class="blob-num" data-line-number="2"></td><td class="blob-code">  return zl8 &lt; 2;</td></tr><tr><td class="blob-num" data-line-number="3"></td><td class="blob-code">}</td></tr></table></div>',
      '<table><tr><td>a</td><td><pre>zl9\n  zl10\n\n  return List&lt;Item&gt;\n\n- zl11</pre></td></tr></table>',
    ].join('');
    const { markdown } = articleToMarkdown(html, 'https://example.com/');
    assert.match(markdown, /^```\nfirst zl1\nsecond zl2\n```$/m);
    assert.match(markdown, /^```\n\$ npm install zl3\nadded zl4\n```$/m);
    assert.match(markdown, /^```\nimport zl5\n {4}# zl6\n```$/m);
    assert.match(markdown, /^```js\nif \(zl7\) \{\n {2}return zl8 < 2;\n\}\n```$/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<td><pre>zl9\n {2}zl10\n\n {2}return List&lt;Item&gt;\n\n- zl11<\/pre><\/td>/);
    assert.ok(!body.includes('&lt;br'));
  });

  it('keeps a listing whose lines are block elements (Expressive Code) one line for each, as a browser shows it', () => {
    const line = (code: string) => `<div class="ec-line"><div class="code">${code}</div></div>`;
    const html = `<div class="expressive-code"><figure class="frame"><pre data-language="js"><code>${line('const x = 1;')}${line('<span style="--0:#C792EA">if</span> (x) {')}${line('<span class="indent">  </span>console.log(x);')}${line('}')}</code></pre></figure></div><pre><code><span>a</span><p>b</p>c<br><div>d</div></code></pre>`;
    const { markdown } = articleToMarkdown(html, 'https://example.com/');
    assert.match(markdown, /^```js\nconst x = 1;\nif \(x\) \{\n {2}console\.log\(x\);\n\}\n```$/m);
    assert.match(markdown, /^```\na\nb\nc\nd\n```$/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    // The book highlights it: its text, without the highlighter's tags, is the four lines.
    assert.equal(/<pre><code class="[^"]*language-js">([^]*?)<\/code><\/pre>/.exec(body)![1]!.replace(/<[^>]+>/g, ''), 'const x = 1;\nif (x) {\n  console.log(x);\n}\n');
    // 20,000 lines are read in one pass.
    const started = Date.now();
    const long = articleToMarkdown(`<pre><code>${line('x++;').repeat(20_000)}</code></pre>`, 'https://example.com/').markdown;
    assert.equal(long.split('\n').filter((l) => l === 'x++;').length, 20_000);
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });

  it('leaves web and e-mail addresses in the text as they are, and escapes what would strike through, list, define or open a container', () => {
    const { markdown } = articleToMarkdown(
      '<p>See https://example.com/some_path/file_v2.html and www.example.com/a*b*c, mail foo_bar_baz@example.com about snake_case.</p><p>Ages 10~20 and 30~40.</p><p>~~~ not a fence, \\~/x</p><p>2) the second point</p><p>: not a definition</p><p>::: not a container</p>',
      'https://example.com/',
    );
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<p>See <a href="https:\/\/example\.com\/some_path\/file_v2\.html">https:\/\/example\.com\/some_path\/file_v2\.html<\/a> and <a href="http:\/\/www\.example\.com\/a\*b\*c">www\.example\.com\/a\*b\*c<\/a>, mail <a href="mailto:foo_bar_baz@example\.com">foo_bar_baz@example\.com<\/a> about snake_case\.<\/p>/);
    assert.match(body, /<p>Ages 10~20 and 30~40\.<\/p>\n<p>~~~ not a fence, \\~\/x<\/p>\n<p>2\) the second point<\/p>\n<p>: not a definition<\/p>\n<p>::: not a container<\/p>/);
  });

  it('leaves the line numbers in a listing\'s lines (Hugo\'s Chroma, Pygments inline) out of its code', () => {
    const chroma = (n: number, code: string) => `<span class="line"><span class="ln">${n}</span><span class="cl">${code}\n</span></span>`;
    const html = [
      `<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-go" data-lang="go">${chroma(1, 'package main')}${chroma(2, '<span class="kd">var</span> x = 2')}</code></pre></div>`,
      '<pre><code><span class="linenos"> 9</span>foo()\n<span class="linenos">10</span>bar()</code></pre>',
      '<pre><code><span data-line-number="7">a = 7</span>\n</code></pre>',
    ].join('');
    const { markdown } = articleToMarkdown(html, 'https://example.com/');
    assert.match(markdown, /^```go\npackage main\nvar x = 2\n```$/m);
    assert.match(markdown, /^```\nfoo\(\)\nbar\(\)\n```$/m);
    // A line that carries its number as an attribute keeps its code.
    assert.match(markdown, /^```\na = 7\n```$/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.equal(/<pre><code class="[^"]*language-go">([^]*?)<\/code><\/pre>/.exec(body)![1]!.replace(/<[^>]+>/g, ''), 'package main\nvar x = 2\n');
  });

  it('writes bold and italic next to punctuation without spaces (Chinese, Japanese) as HTML, elsewhere as Markdown', () => {
    const { markdown } = articleToMarkdown('<p><strong>注意：</strong>这是提示。这是<strong>“重点”</strong>内容。</p><p><b>Note:</b>No space, <em>(sic)</em>now. <b>Plain</b> bold, <i>it</i>, and (<em>in parens</em>).</p>', 'https://example.com/');
    assert.match(markdown, /\*\*Plain\*\* bold, \*it\*, and \(\*in parens\*\)\./);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<p><strong>注意：<\/strong>这是提示。这是<strong>“重点”<\/strong>内容。<\/p>/);
    assert.match(body, /<p><strong>Note:<\/strong>No space, <em>\(sic\)<\/em>now\. <strong>Plain<\/strong> bold, <em>it<\/em>, and \(<em>in parens<\/em>\)\.<\/p>/);
  });

  it('keeps an inline SVG drawing as a drawing, its labels in place, and an icon as its name', () => {
    const { markdown } = articleToMarkdown('<p>The diagram.</p><figure><svg viewBox="0 0 200 80" role="img" aria-label="Client talks to server"><rect x="5" y="20" width="60" height="40"/><text x="10" y="45">Client *zv1*</text>\n\n<text x="140" y="45">Server</text></svg><figcaption>Figure 1.</figcaption></figure><p>Follow <a href="https://github.com/x"><svg role="img" viewBox="0 0 24 24"><style>.a{fill:red}</style><title>GitHub</title><path d="M12 .3"/></svg></a> there.</p>', 'https://example.com/');
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<figure><p><svg [^>]*viewBox="0 0 200 80" role="img" aria-label="Client talks to server"><rect [^>]*><\/rect><text x="10" y="45">Client \*zv1\*<\/text> <text x="140" y="45">Server<\/text><\/svg><\/p>\n<figcaption><p>Figure 1\.<\/p>/);
    // An icon is its name, as the link's text.
    assert.match(body, /<p>Follow <a href="https:\/\/github\.com\/x">GitHub<\/a> there\.<\/p>/);
  });

  it('keeps a heading broken over lines one heading, lists side by side two lists, a folded box and its summary, a table in a table', () => {
    const { markdown } = articleToMarkdown('<h2>Title<br>zh1</h2><ol><li>a</li><li>b</li></ol><ol><li>zh2</li></ol><details><summary>Click &amp; zh3 <a href="https://x.org/doc">the <code>docs</code></a></summary>Body <b>zh4</b>.<p>Para.</p></details><table><tr><th>H1</th><th>H2</th></tr><tr><td>outer</td><td><table><tr><td>zh5</td></tr></table></td></tr></table>', 'https://example.com/');
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<h2 id="title-zh1">Title zh1<\/h2>/);
    assert.match(body, /<ol>\n<li>a<\/li>\n<li>b<\/li>\n<\/ol>\n<ol>\n<li>zh2<\/li>\n<\/ol>/);
    assert.match(body, /<div class="details"><p class="details-summary">Click &amp; zh3 <a href="https:\/\/x\.org\/doc">the <code>docs<\/code><\/a><\/p>\n<p>Body <strong>zh4<\/strong>\.<\/p>\n<p>Para\.<\/p>\n<\/div>/);
    assert.match(body, /<td>outer<\/td><td><table><tbody><tr><td>zh5<\/td><\/tr><\/tbody><\/table><\/td>/);
  });

  it('leaves out a heading\'s link to itself (Sphinx\'s ¶, a #, Docusaurus\'s hash-link, an icon), and keeps a heading that is a link', () => {
    const html = [
      '<ul><li><a href="#the-vote">The vote</a></li></ul>',
      '<h2 id="the-vote">The vote <a class="headerlink" href="#the-vote" title="Permalink to this heading">¶</a></h2><p>Vote text.</p>',
      '<section id="install"><h2>Install<a class="headerlink" href="#install">#</a></h2><p>Text.</p></section>',
      '<h2 id="why">Why it matters<a href="#why" class="hash-link" aria-label="Direct link to Why it matters">\u200b</a></h2><p>Text.</p>',
      '<h3 id="details"><a href="#details" class="heading-link"><i class="icon-link"></i></a>Details</h3><p>Text.</p>',
      '<h3 id="z">Zola <a class="zola-anchor" href="#z">🔗</a></h3><h3 id="s">Section <a href="#s">§</a></h3>',
      '<h2 id="whole"><a class="anchor" href="#whole">The whole heading</a></h2><p>Text.</p>',
    ].join('');
    const { markdown } = articleToMarkdown(html, 'https://example.com/');
    assert.match(markdown, /^## The vote \{#the-vote\}$/m);
    for (const h of ['## Install', '## Why it matters', '### Details', '### Zola', '### Section', '## [The whole heading](#whole) {#whole}']) assert.ok(markdown.split('\n').includes(h), `${h} in\n${markdown}`);
    assert.ok(!/[¶§🔗\u200b]|\[#\]/u.test(markdown), markdown);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<h2 id="the-vote">The vote<\/h2>/);
    assert.match(body, /<h2 [^>]*>Install<\/h2>/);
  });

  it('keeps the links of a listing, and its blank lines', () => {
    const { markdown } = articleToMarkdown('<pre><code>fn parse(s: &amp;str) -&gt; <a href="https://doc.rust-lang.org/std/result/enum.Result.html"><span>Result</span></a>&lt;T&gt;\n\nsee <a href="javascript:x">zp1</a></code></pre>', 'https://example.com/');
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<pre>fn parse\(s: &amp;str\) -&gt; <a href="https:\/\/doc\.rust-lang\.org\/std\/result\/enum\.Result\.html">Result<\/a>&lt;T&gt;\n\nsee zp1<\/pre>/);
  });

  it('keeps keys, highlights, abbreviations and ruby, a count-down list\'s numbers and a table\'s two heading rows', () => {
    const { markdown } = articleToMarkdown('<p>Press <kbd>Ctrl</kbd>, <mark>zk1</mark>, <abbr title="Hyper &amp; Text">HT</abbr>, <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>.</p><p><ruby>*a* [t](https://evil/)<rt>b</rt></ruby></p><ol reversed><li>zk3</li><li>zk2</li></ol><ol><li value="10">zk10</li><li>zk11</li></ol><table><thead><tr><th>A</th></tr><tr><th>a2</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>', 'https://example.com/');
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<p>Press <kbd>Ctrl<\/kbd>, <mark>zk1<\/mark>, <abbr title="Hyper &amp; Text">HT<\/abbr> \(Hyper &amp; Text\), <ruby>漢<rp>\(<\/rp><rt>kan<\/rt><rp>\)<\/rp><\/ruby>\.<\/p>/);
    // Its text is text: no emphasis, no link of other words than the address's own.
    assert.match(body, /<p><ruby>\*a\* \[t\]\(<a href="https:\/\/evil\/">https:\/\/evil\/<\/a>\)<rt>b<\/rt><\/ruby><\/p>/);
    // A long list of the usual kind is read in linear time (each item asked whether its list was numbered so).
    const started = performance.now();
    articleToMarkdown(`<ol>${'<li>item</li>'.repeat(20_000)}</ol>`, 'https://example.com/');
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes a minute here');
    assert.match(body, /<ol reversed="reversed">\n<li><p>zk3<\/p>\n<\/li>\n<li><p>zk2<\/p>\n<\/li>\n<\/ol>/);
    assert.match(body, /<ol>\n<li value="10"><p>zk10<\/p>\n<\/li>\n<li><p>zk11<\/p>\n<\/li>\n<\/ol>/);
    assert.match(body, /<thead><tr><th>A<\/th><\/tr><tr><th>a2<\/th><\/tr><\/thead>/);
  });

  it('takes as notes what references them, not a list item or a section a sentence links to', () => {
    const { markdown } = articleToMarkdown(
      '<ol><li id="step-1">Download zs1.</li><li id="step-2">Run zs2.</li></ol><p>Go back to <a href="#step-1">step 1</a>, see the <a href="#footnotes">notes at the end</a>.</p>' +
        '<p>A note<sup id="fnref:1"><a href="#fn:1" class="footnote">1</a></sup>, a wiki one<sup class="reference"><a href="#cite_note-2">[2]</a></sup>.</p>' +
        '<div id="footnotes"><h3>Notes</h3><ol><li id="fn:1"><p>The zn1. <a href="#fnref:1">↩</a></p></li><li id="cite_note-2">Wiki zn2.</li></ol><p>Compiled zs3.</p></div>',
      'https://example.com/',
    );
    assert.match(markdown, /^1\. +Download zs1\.\n2\. +Run zs2\.$/m);
    // The section the sentence links to, opened by its heading, is the heading's place: the link leads there.
    assert.match(markdown, /^Go back to step 1, see the \[notes at the end\]\(#footnotes\)\.$/m);
    assert.match(markdown, /^A note\[\^1\], a wiki one\[\^2\]\.$/m);
    assert.match(markdown, /^### Notes \{#footnotes\}\n\nCompiled zs3\.$/m);
    assert.match(markdown, /^\[\^1\]: The zn1\.\n\n\[\^2\]: Wiki zn2\.$/m);
  });

  it('takes a Substack note, marked by its number\'s link, for the note, and its link back for no reference', () => {
    const filler = '<p>The council met on Tuesday to discuss the parking rules that local shops have argued over for months.</p>';
    const note = (n: number, text: string) => `<div class="footnote"><a id="footnote-${n}" href="#footnote-anchor-${n}" class="footnote-number" contenteditable="false" target="_self">${n}</a><div class="footnote-content"><p>${text}</p></div></div>`;
    const page = `<html><head><title>Claims</title></head><body><article><h1>Claims</h1><div class="available-content">${filler}<p>A claim<a class="footnote-anchor" id="footnote-anchor-1" href="#footnote-1" target="_self">1</a> here, another<a class="footnote-anchor" id="footnote-anchor-2" href="#footnote-2" target="_self">2</a>.</p>${filler}<div class="footnotes">${note(1, 'The source of the claim.')}${note(2, 'A <em>second</em> source.')}</div></div></article></body></html>`;
    const { markdown } = extractArticle(page, 'https://example.substack.com/p/claims')!;
    assert.match(markdown, /^A claim\[\^1\] here, another\[\^2\]\.$/m);
    assert.match(markdown, /\n\[\^1\]: The source of the claim\.\n\n\[\^2\]: A \*second\* source\.\n$/);
    assert.equal(markdown.match(/\[\^\d\]/g)!.length, 4);
    assert.ok(!/source/.test(markdown.slice(0, markdown.indexOf('[^1]:'))), markdown);
  });

  it('writes a definition list as terms and definitions, and a quotation inside another with single marks', () => {
    const { markdown } = articleToMarkdown('<p>He said <q>she said <q>no</q> twice</q>.</p><dl><dt>Term <em>one</em></dt><dd>A <a href="https://x.org/">link</a>.</dd><dd>Again.</dd><dt>Two</dt><dd>Def two.</dd></dl><dl><dt>T</dt><dd><p>Para</p><ul><li>item</li></ul></dd></dl>', 'https://example.com/');
    assert.match(markdown, /He said “she said ‘no’ twice”\./);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    assert.match(body, /<dl>\n<dt>Term <em>one<\/em><\/dt>\n<dd>A <a [^>]*>link<\/a>\.<\/dd>\n<dd>Again\.<\/dd>\n<dt>Two<\/dt>\n<dd>Def two\.<\/dd>\n<\/dl>/);
    // One whose definitions hold blocks stays a definition list, its blocks in its definitions.
    assert.match(body, /<dl>\n<dt>T<\/dt>\n<dd><p>Para<\/p>\n<ul>\n<li>item<\/li>\n<\/ul>\n<\/dd>\n<\/dl>/);
    // Each list's kind is found once: 20,000 terms and definitions in linear time.
    const started = performance.now();
    articleToMarkdown(`<dl>${'<dt>t</dt><dd><p>p</p></dd>'.repeat(20_000)}</dl>`, 'https://example.com/');
    assert.ok(performance.now() - started < 20_000, 'a quadratic reading takes minutes here');
  });

  it('counts each Chinese or Japanese character a word: a short Chinese article is one, not "no article"', () => {
    const page = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>中文文章</title></head><body><article><h1>中文文章</h1><p>市议会星期二开会讨论了市中心停车规则的拟议修改，许多居民和商户参加了会议并发表了意见。</p><p>市长表示，将在下周做出决定，在此之前还会听取更多居民的意见和建议。</p></article></body></html>';
    const article = extractArticle(page, 'https://example.cn/a');
    assert.ok(article, 'the article is found');
    assert.match(article.markdown, /^市议会星期二开会讨论了市中心停车规则的拟议修改，许多居民和商户参加了会议并发表了意见。$/m);
    assert.match(article.markdown, /^市长表示，将在下周做出决定，在此之前还会听取更多居民的意见和建议。$/m);
    assert.equal(article.lang, 'zh-CN');
    // Japanese too; Korean, written with spaces, counts its words.
    assert.equal(countWords('日本語のテキストです'), 10);
    assert.equal(countWords('한국어 문장 입니다, and English 2024'), 6);
  });

  it("titles a documentation page by its heading when the page's title is that heading and the site's name, its link to itself left out", () => {
    const filler = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} of the guide, long enough for an article to be found in it, with commas, and more words.</p>`).join('');
    const page = (h1: string) => `<html><head><title>Setting up routes &#8212; Routes 2.5.0 documentation</title></head><body><div class="body" role="main"><section id="setting-up-routes"><h1>${h1}</h1>${filler}</section></div></body></html>`;
    // Sphinx's heading ends with its `¶`: "Setting up routes¶" is not the title's start, and the title was kept whole.
    assert.equal(extractArticle(page('Setting up routes<a class="headerlink" href="#setting-up-routes" title="Permalink to this headline">¶</a>'), 'https://example.com/setting_up.html')!.title, 'Setting up routes');
    assert.equal(extractArticle(page('<a class="hash-link" href="#setting-up-routes">#</a> Setting up routes'), 'https://example.com/setting_up.html')!.title, 'Setting up routes');
    // A heading that is a link to itself with its words is its words.
    assert.equal(extractArticle(page('<a href="#setting-up-routes">Setting up routes</a>'), 'https://example.com/setting_up.html')!.title, 'Setting up routes');
  });

  it('reads a page of 5,000 nested containers, its text kept (Readability took minutes on it)', { timeout: 60_000 }, () => {
    const filler = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} of the story, long enough for an article to be found in it, with commas, and more words.</p>`).join('');
    const page = `<html><head><title>Deep</title></head><body><article>${filler}${'<div>'.repeat(5000)}<p>The deepest words.</p>${'</div>'.repeat(5000)}</article></body></html>`;
    const article = extractArticle(page, 'https://example.com/deep')!;
    assert.match(article.markdown, /Paragraph 7 of the story[^]*The deepest words\./);
  });

  it('reads a sentence a page splits with empty comments as one paragraph', () => {
    const filler = Array.from({ length: 8 }, (_, i) => `<p>Paragraph ${i} of the story, long enough for an article to be found in it, with commas, and more words.</p>`).join('');
    const page = `<html><head><title>Story</title></head><body><article>${filler}<div class="css-vdv0al">A version of this article appears in print on <!-- -->, on Page <!-- -->A<!-- -->1<!-- --> of the New York edition.</div></article></body></html>`;
    const article = extractArticle(page, 'https://example.com/story')!;
    assert.match(article.markdown, /appears in print on , on Page A1 of the New York edition\./);
  });

  it('writes accents, binomials and limits as TeX has them, and the book draws them so', () => {
    const { markdown } = articleToMarkdown('<p>A <math><mover><mi>x</mi><mo>˙</mo></mover></math>, <math><mover><mi>B</mi><mo>→</mo></mover></math>, <math><mrow><mo>(</mo><mfrac linethickness="0"><mi>n</mi><mi>k</mi></mfrac><mo>)</mo></mrow></math>, <math><munder><mi>lim</mi><mi>x</mi></munder></math>, <math><munder><mo>lim</mo><mi>y</mi></munder></math>, <math><mo>max</mo><mi>f</mi></math>.</p><math display="block"><munderover><mo>∑</mo><mi>k</mi><mi>n</mi></munderover><mi>k</mi></math>', 'https://example.com/');
    assert.match(markdown, /A \$\\dot\{x\}\$, \$\\vec\{B\}\$, \$\(\\genfrac\{\}\{\}\{0pt\}\{\}\{n\}\{k\}\)\$, \$\\lim_\{x\}\$, \$\\lim_\{y\}\$, \$\\mathrm\{max\}f\$\./);
    assert.match(markdown, /^\$\$\\sum_\{k\}\^\{n\}k\$\$$/m);
    const body = renderChapter({ file: '/a/x.md', name: 'x.md', slug: 'x', body: `# Page\n\n${markdown}`, meta: { authors: [] } }, renderSettings()).body;
    // The dot and the arrow are accents over their letter, the coefficient has no bar, the sum its limits under and over.
    assert.match(body, /<mover accent="true"><mi>x<\/mi><mo[^>]*>˙<\/mo><\/mover>|<mover><mi>x<\/mi><mo[^>]*>˙<\/mo><\/mover>/);
    assert.match(body, /<mfrac linethickness="0px"><mi>n<\/mi><mi>k<\/mi><\/mfrac>/);
    assert.match(body, /<munderover><mo[^>]*>∑<\/mo><mi>k<\/mi><mi>n<\/mi><\/munderover>/);
  });

  it('links embeds to the page they come from', () => {
    assert.deepEqual(embedLink('https://www.youtube.com/embed/LtOGa5M8AuU?rel=0'), { url: 'https://www.youtube.com/watch?v=LtOGa5M8AuU', thumbnail: 'https://img.youtube.com/vi/LtOGa5M8AuU/hqdefault.jpg', label: 'Video on YouTube' });
    assert.deepEqual(embedLink('https://player.vimeo.com/video/32246206?color=ffffff'), { url: 'https://vimeo.com/32246206', thumbnail: undefined, label: 'Video on Vimeo' });
    assert.equal(embedLink('https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1234567890').url, 'https://twitter.com/i/status/1234567890');
    const { markdown } = articleToMarkdown('<p>Before.</p><iframe src="https://w.soundcloud.com/player/?url=x" title="The recording"></iframe>', 'https://example.com/');
    assert.match(markdown, /^\[Embedded: The recording\]\(<https:\/\/w\.soundcloud\.com\/player\/\?url=x>\)$/m);
  });

  it("takes the author named in a quoted card for the card's, not the article's", () => {
    const filler = '<p>The council met on Tuesday to discuss the parking rules that local shops have argued over for months.</p>';
    const card = '<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://example.org/report"><div class="kg-bookmark-content"><div class="kg-bookmark-title">The Parking Report</div><div class="kg-bookmark-metadata"><span class="kg-bookmark-author">Example Org</span></div></div></a></figure>';
    const page = (byline: string) => `<html><head><title>Parking</title></head><body><article><h1>Parking</h1>${byline}${filler}${card}${filler}${filler}</article></body></html>`;
    const quoted = extractArticle(page(''), 'https://example.com/p')!;
    assert.equal(quoted.author, undefined);
    assert.match(quoted.markdown, /Example Org/);
    assert.equal(extractArticle(page('<p class="byline">By Jane Doe</p>'), 'https://example.com/p')!.author, 'Jane Doe');
  });

  it('saves a Medium picture once: the picture in its <noscript>, not the blurred preview before it', () => {
    const filler = '<p>The council met on Tuesday to discuss the parking rules that local shops have argued over for months.</p>';
    const figure = (name: string) => `<figure class="paragraph-image"><div class="hs"><div class="ib"><div class="hw"><img class="ie" src="https://miro.medium.com/max/60/${name}.png?q=20" width="1894" height="970" role="presentation"></div><img class="ih" width="1894" height="970" role="presentation"><noscript><img class="s" src="https://miro.medium.com/max/3788/${name}.png" width="1894" height="970" role="presentation"></noscript></div></div></div><figcaption>Caption of ${name}</figcaption></figure>`;
    // A picture beside one of another size is not its preview.
    const pair = '<div><div><img src="/thumb.png" width="100" height="100" alt="Thumb"></div><img width="800" height="600"><noscript><img src="/big.png" width="800" height="600" alt="Big"></noscript></div>';
    // Nor is the picture before a lazy gallery's next one, of the same size (WordPress's lazy loading).
    const lazy = (name: string) => `<img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="800" height="600" alt="${name}"><noscript><img src="/${name}.jpg" width="800" height="600" alt="${name}"></noscript>`;
    const gallery = `<div class="gallery">${lazy('g1')}${lazy('g2')}${lazy('g3')}</div>`;
    const page = `<html><head><title>Leaks</title></head><body><article><h1>Leaks</h1><section>${filler}${figure('one')}${filler}${figure('two')}${pair}${filler}${gallery}${filler}</section></article></body></html>`;
    const { markdown, images } = extractArticle(page, 'https://medium.com/p/leaks')!;
    assert.deepEqual(images, ['https://miro.medium.com/max/3788/one.png', 'https://miro.medium.com/max/3788/two.png', 'https://medium.com/thumb.png', 'https://medium.com/big.png', 'https://medium.com/g1.jpg', 'https://medium.com/g2.jpg', 'https://medium.com/g3.jpg']);
    assert.match(markdown, /^<figure>\n\n!\[\]\(<https:\/\/miro\.medium\.com\/max\/3788\/one\.png>\)\n\n<figcaption>\n\nCaption of one\n\n<\/figcaption>\n\n<\/figure>$/m);
    assert.ok(!markdown.includes('q=20'), markdown);
  });

  it('keeps what the page shows on a click: tab panels under their tabs, an accordion\'s question and answer, the rest of the article; not a dialog or a screen-reader copy', () => {
    const filler = '<p>The city council met on Tuesday evening to discuss the proposed changes to the downtown parking rules, which shop owners have argued over for months.</p>';
    const rest = Array.from({ length: 10 }, (_, i) => `<p>Paragraph ${i + 2} of the story goes on with the fees, the hours, the fines and what residents and shop owners said of them.</p>`).join('');
    const snippets = [
      // Buttons as tabs, the panels in order (Docusaurus names neither); links as tabs, naming their panels.
      '<div class="tabs-container"><div role="tablist"><button role="tab">macOS</button><button role="tab">Windows</button></div><div><div role="tabpanel"><pre><code>brew install quire</code></pre></div><div role="tabpanel" hidden><pre><code>winget install quire</code></pre></div></div></div>',
      '<ul role="tablist"><li><a href="#t-yarn" role="tab">yarn</a></li><li><a href="#t-npm" role="tab">npm</a></li></ul><div id="t-npm" role="tabpanel"><pre><code>npm install quire</code></pre></div><div id="t-yarn" role="tabpanel" hidden><pre><code>yarn add quire</code></pre></div>',
      '<div class="accordion"><button aria-expanded="false">FAQ: When do the rules start?</button><div class="accordion-panel" style="display: none"><p>The rules start in May, according to the ordinance text published today.</p></div></div>',
      '<h3><button aria-expanded="false" aria-controls="faq2">FAQ: Who pays?</button></h3><div id="faq2" role="region" hidden><p>Drivers pay, by the hour, at the machines or with the app.</p></div>',
      '<button class="subscribe" aria-haspopup="dialog" aria-controls="modal">Subscribe</button><div id="modal" role="dialog" hidden><p>Subscribe to our newsletter for the latest news from the council.</p></div>',
      '<span class="sr-only" hidden>Screen reader copy of the headline.</span><template><p>Template text never shown.</p></template><div class="cookie-banner" style="display:none"><button>Accept cookies</button><p>We use cookies to improve the site.</p></div>',
      `<button>Continue reading</button><div hidden>${rest}</div>`,
    ];
    const page = `<html><head><title>T</title></head><body><article><h1>T</h1><div class="entry-content">${filler}${snippets.join(filler)}${filler}</div></article></body></html>`;
    const article = extractArticle(page, 'https://example.com/story')!;
    const md = article.markdown;
    assert.match(md, /^\*\*macOS\*\*\n\n```\nbrew install quire\n```\n\n\*\*Windows\*\*\n\n```\nwinget install quire\n```$/m);
    assert.match(md, /^\*\*npm\*\*\n\n```\nnpm install quire\n```\n\n\*\*yarn\*\*\n\n```\nyarn add quire\n```$/m);
    assert.match(md, /^\*\*FAQ: When do the rules start\?\*\*\n\nThe rules start in May, according to the ordinance text published today\.$/m);
    assert.match(md, /^### FAQ: Who pays\?\n\nDrivers pay, by the hour/m);
    for (let i = 2; i <= 11; i++) assert.match(md, new RegExp(`^Paragraph ${i} of the story`, 'm'));
    for (const hidden of ['Subscribe', 'Screen reader copy', 'Template text', 'cookies', 'Continue reading', '- macOS', '- yarn']) assert.ok(!md.includes(hidden), `${hidden} in\n${md}`);
    // The sanity check counts the rest of the article: were it lost, it would say so.
    assert.ok(article.words!.page > 200, JSON.stringify(article.words));
  });

  it('reveals 20,000 tab panels and accordions in one pass', () => {
    const tabs = '<div role="tablist"><button role="tab">A</button><button role="tab">B</button></div><div role="tabpanel"><p>First panel text.</p></div><div role="tabpanel" hidden><p>Second panel text.</p></div>';
    const faq = '<div><button aria-expanded="false" aria-controls="x">Q?</button></div><div id="x" hidden><p>Answer text here.</p></div>';
    const page = `<html><head><title>T</title></head><body><article><h1>T</h1>${`${tabs}${faq}`.repeat(10_000)}</article></body></html>`;
    const start = Date.now();
    const article = extractArticle(page, 'https://example.com/many')!;
    assert.ok(Date.now() - start < 20_000, `${Date.now() - start} ms`);
    assert.equal(article.markdown.match(/^Second panel text\.$/gm)?.length, 10_000);
  });

  it('keeps a trace of every embed: lazy frames, lite-youtube, charts and maps, Medium\'s frames, gists, Instagram posts, a player alone; not an advertisement', () => {
    const filler = '<p>The city council met on Tuesday evening to discuss the proposed changes to the downtown parking rules, which shop owners have argued over for months.</p>';
    const snippets = [
      '<iframe data-src="https://www.youtube.com/embed/abcdefghijk" src="about:blank" class="lazyload" width="560" height="315"></iframe>',
      '<lite-youtube videoid="zyxwvutsrqp" playlabel="Play: Keynote"></lite-youtube>',
      '<iframe title="Parking spaces by district" src="https://datawrapper.dwcdn.net/AbCdE/1/" height="400"></iframe>',
      '<iframe src="https://www.google.com/maps/embed?pb=!1m18" width="600" height="450"></iframe>',
      '<iframe src="/media/abcdef0123456789" height="300" width="680" title="parking.py"></iframe>',
      '<script src="https://gist.github.com/jane/0123abcd.js"></script><noscript><pre>def parking(x):\n    return x * 2</pre></noscript>',
      '<script src="https://gist.github.com/jane/fedcba.js"></script>',
      '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/C4abcdEFGH/?utm_source=ig_embed"><div><a href="https://www.instagram.com/p/C4abcdEFGH/"><div>View this post on Instagram</div></a><p><a href="https://www.instagram.com/p/C4abcdEFGH/">A post shared by Downtown Shops (@downtownshops)</a></p></div></blockquote>',
      '<audio controls src="/ep.mp3"></audio>',
      '<iframe src="https://googleads.g.doubleclick.net/pagead/ads?x=1" width="300" height="250"></iframe>',
    ];
    const page = `<html><head><title>T</title></head><body><article><h1>T</h1><div class="entry-content">${filler}${snippets.join(filler)}${filler}</div></article></body></html>`;
    const { markdown: md, images } = extractArticle(page, 'https://medium.example/p/story')!;
    assert.match(md, /^\[!\[Video on YouTube\]\(<https:\/\/img\.youtube\.com\/vi\/abcdefghijk\/hqdefault\.jpg>\)\]\(<https:\/\/www\.youtube\.com\/watch\?v=abcdefghijk>\)$/m);
    assert.match(md, /^\[!\[Video: Keynote\]\(<https:\/\/img\.youtube\.com\/vi\/zyxwvutsrqp\/hqdefault\.jpg>\)\]\(<https:\/\/www\.youtube\.com\/watch\?v=zyxwvutsrqp>\)$/m);
    assert.ok(images.includes('https://img.youtube.com/vi/zyxwvutsrqp/hqdefault.jpg'), images.join(' '));
    assert.match(md, /^\[Embedded: Parking spaces by district\]\(<https:\/\/datawrapper\.dwcdn\.net\/AbCdE\/1\/>\)$/m);
    assert.match(md, /^\[Embedded content from google\.com\]\(<https:\/\/www\.google\.com\/maps\/embed\?pb=!1m18>\)$/m);
    assert.match(md, /^\[Embedded: parking\.py\]\(<https:\/\/medium\.example\/media\/abcdef0123456789>\)$/m);
    assert.match(md, /^```\ndef parking\(x\):\n    return x \* 2\n```$/m);
    assert.match(md, /^\[Gist jane\/fedcba on GitHub\]\(<https:\/\/gist\.github\.com\/jane\/fedcba>\)$/m);
    assert.match(md, /^> \[Instagram: A post shared by Downtown Shops \(@downtownshops\)\]\(<https:\/\/www\.instagram\.com\/p\/C4abcdEFGH\/>\)$/m);
    assert.match(md, /^\[Audio \(medium\.example\)\]\(<https:\/\/medium\.example\/ep\.mp3>\)$/m);
    assert.ok(!md.includes('doubleclick'), md);
  });

  it('keeps an aside among the article\'s paragraphs (a callout, a pull quote, a sidebar box) as a quote; not related links, a share box or the page\'s sidebar', () => {
    const filler = '<p>The city council met on Tuesday evening to discuss the proposed changes to the downtown parking rules, which shop owners have argued over for months.</p>';
    const asides = [
      '<aside class="callout callout-warning"><strong>Warning:</strong> The new rules take effect on May 1, and fines double after June.</aside>',
      '<aside class="pullquote">“We cannot keep doing this,” said one owner.</aside>',
      '<aside class="sidebar"><h3>By the numbers</h3><ul><li>1,200 parking spaces</li><li>Two hours at most</li></ul></aside>',
      '<aside aria-label="Tip" class="starlight-aside starlight-aside--tip"><p class="starlight-aside__title">Tip</p><div class="starlight-aside__content"><p>Park outside the centre on weekdays.</p></div></aside>',
      '<aside class="related-posts"><h3>Related</h3><p>Budget talks stall again, see the other story.</p></aside>',
      '<aside><a href="/a">Council budget</a> <a href="/b">School board vote</a> <a href="/c">Transit plan</a></aside>',
    ];
    const page = `<html><head><title>T</title></head><body><main><article><h1>T</h1><div class="entry-content">${filler}${asides.join(filler)}${filler}</div></article></main><aside class="widget-area"><p>Popular this week on the site: the school board, the transit plan and more stories.</p></aside></body></html>`;
    const md = extractArticle(page, 'https://example.com/story')!.markdown;
    assert.match(md, /^> \*\*Warning:\*\* The new rules take effect on May 1, and fines double after June\.$/m);
    assert.match(md, /^> “We cannot keep doing this,” said one owner\.$/m);
    assert.match(md, /^> ### By the numbers\n> \n> -   1,200 parking spaces\n> -   Two hours at most$/m);
    assert.match(md, /^> Tip\n> \n> Park outside the centre on weekdays\.$/m);
    for (const furniture of ['Related', 'School board vote', 'Popular this week']) assert.ok(!md.includes(furniture), `${furniture} in\n${md}`);
  });

  it('chooses the widest image up to 2000 px, the narrowest when all are wider', () => {
    assert.equal(chooseCandidate(parseSrcset('a.jpg 640w, b.jpg 1920w, c.jpg 3840w', 0)), 'b.jpg');
    assert.equal(chooseCandidate(parseSrcset('c.jpg 3840w, d.jpg 2400w', 0)), 'd.jpg');
    assert.equal(chooseCandidate(parseSrcset('a.jpg, b.jpg 2x, c.jpg 3x', 0)), 'b.jpg');
    assert.equal(chooseCandidate(parseSrcset('https://cdn.example/i/w_640,h_480/a.jpg 640w, https://cdn.example/i/w_1280,h_960/a.jpg 1280w', 0)), 'https://cdn.example/i/w_1280,h_960/a.jpg');
  });
});
