// The project's own book and the package around it: metadata, contents, cover, reproducibility.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { openEpub, ROOT, runCli, tempDir, writeTree } from './helpers.js';

describe("the project's own book", async () => {
  const result = await makeBook({ cwd: ROOT, articlesDir: 'articles' });
  const book = await openEpub(result.epub!);

  it('builds without diagnostics', () => {
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.chapters, 2);
  });

  it('starts with an uncompressed mimetype, as the OCF container requires', () => {
    const first = result.epub!.subarray(0, 58).toString('latin1');
    assert.match(first, /^PK\u0003\u0004/);
    assert.equal(result.epub!.readUInt16LE(8), 0, 'stored, not deflated');
    assert.equal(first.slice(30, 38), 'mimetype');
    assert.equal(first.slice(38, 58), 'application/epub+zip');
  });

  it('carries the metadata of book.yaml', async () => {
    const opf = await book.text('OEBPS/content.opf');
    assert.match(opf, /<dc:title id="title">NATO and North-East Asia<\/dc:title>/);
    assert.match(opf, /<dc:language>en<\/dc:language>/);
    assert.match(opf, /<dc:publisher>quire<\/dc:publisher>/);
    assert.match(opf, /<dc:description>Two articles on NATO/);
    assert.match(opf, /<dc:identifier id="book-id">urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/dc:identifier>/);
    assert.match(opf, /<meta property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/meta>/);
    assert.match(opf, /<item id="cover-image" href="cover.png" media-type="image\/png" properties="cover-image"\/>/);
    assert.match(opf, /<meta name="cover" content="cover-image"\/>/);
    const ncx = await book.text('OEBPS/toc.ncx');
    const id = /<dc:identifier id="book-id">([^<]+)</.exec(opf)![1];
    assert.ok(ncx.includes(`<meta name="dtb:uid" content="${id}"/>`), 'the NCX names the same identifier');
  });

  it('has a nested table of contents: articles and their sections', async () => {
    const nav = await book.text('OEBPS/toc.xhtml');
    const toc = /<nav epub:type="toc"[^]*?<\/nav>/.exec(nav)![0];
    const titles = [...toc.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(titles, [
      ['chapter-001-nato-pulling-seoul-closer.xhtml', 'NATO pulling Seoul closer shadows stability in NE Asia, even Indo- Pacific'],
      ['chapter-002-nato-opportunities-in-the-indo-pacific.xhtml', 'NATO Opportunities in the Indo-Pacific'],
      ['chapter-002-nato-opportunities-in-the-indo-pacific.xhtml#the-advantage-of-closer-cooperation-for-nato', 'The advantage of closer cooperation for NATO'],
      ['chapter-002-nato-opportunities-in-the-indo-pacific.xhtml#advantage-for-korea-and-japan', 'Advantage for Korea and Japan'],
    ]);
    assert.match(toc, /Indo-Pacific<\/a>\n\s*<ol>\n\s*<li><a href="[^"]+#the-advantage/, 'sections are nested under their article');
    const ncx = await book.text('OEBPS/toc.ncx');
    assert.match(ncx, /<meta name="dtb:depth" content="2"\/>/);
  });

  it('opens each chapter with its title and byline, without the web page chrome', async () => {
    const second = await book.text('OEBPS/chapter-002-nato-opportunities-in-the-indo-pacific.xhtml');
    assert.match(second, /<h1 id="nato-opportunities-in-the-indo-pacific" class="chapter-title">NATO Opportunities in the Indo-Pacific<\/h1><p class="byline"><span class="author">Taehun Lim<\/span> · <time datetime="2023">2023<\/time> · <span class="source">Inter Press Service<\/span><\/p>/);
    assert.match(second, /<h2 id="advantage-for-korea-and-japan">Advantage for Korea and Japan<\/h2>/);
    assert.match(second, /Dr\. Taehun Lim, worked at the Institute/, 'the author bio is part of the article');
    assert.match(second, /The source: International politics and society/, 'the source credit is part of the article');
    const first = await book.text('OEBPS/chapter-001-nato-pulling-seoul-closer.xhtml');
    assert.match(first, /<span class="source">Global Times<\/span>/);
    for (const chrome of ['Newspapers in English', 'Newspapers from China', 'IPS UN Office', 'Follow IPS News', 'News 7D', 'Related Articles', 'Back to top button', 'All rights reserved']) {
      assert.ok(!first.includes(chrome) && !second.includes(chrome), `no "${chrome}"`);
    }
    assert.ok(!/<p>-<\/p>/.test(first), 'no lone "-" line');
    assert.match(first, /even the IndoPacific region/, 'text kept as published, typos included');
  });

  it("shows an article's description under its byline, unless the article opens with it", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': '---\ntitle: A\nauthor: Jane Doe\ndescription: "What the harbour\'s storm left behind."\n---\nThe body.\n',
      'articles/b.md': '---\ntitle: B\ndescription: The summary, as the page gave it.\n---\nThe summary -- as the page gave it! And more.\n',
    });
    const built = await openEpub((await makeBook({ cwd: dir })).epub!);
    assert.match(await built.text('OEBPS/chapter-a.xhtml'), /<p class="byline"><span class="author">Jane Doe<\/span><\/p><p class="description">What the harbour’s storm left behind\.<\/p><\/header>/);
    assert.match(await built.text('OEBPS/chapter-b.xhtml'), /class="chapter-title">B<\/h1><\/header>/);
  });

  it("keeps the markup of the heading that becomes the title; the contents get headings' text, without a logo's alt text or a note's number", async () => {
    const dir = tempDir();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    writeTree(dir, {
      'articles/1.md': '# E = mc<sup>2</sup> and H<sub>2</sub>O `code`\n\nText.\n',
      'articles/2.md': '# ![Project logo](logo.png) Project\n\nText.\n',
      'articles/3.md': '# Title with [a link](https://example.org)[^n]\n\nText.\n\n## Install ![npm](logo.png)\n\n## Notes[^m]\n\n[^n]: The note.\n\n[^m]: Another.\n',
    });
    fs.writeFileSync(path.join(dir, 'articles/logo.png'), png);
    const built = await openEpub((await makeBook({ cwd: dir })).epub!);
    assert.match(await built.text('OEBPS/chapter-1.xhtml'), /class="chapter-title">E = mc<sup>2<\/sup> and H<sub>2<\/sub>O <code>code<\/code><\/h1>/);
    assert.match(await built.text('OEBPS/chapter-2.xhtml'), /<h1 id="project" class="chapter-title"><img src="images\/[0-9a-f]+\.png" alt="Project logo"\/> Project<\/h1>/);
    const third = await built.text('OEBPS/chapter-3.xhtml');
    assert.match(third, /<h1 id="title-with-a-link" class="chapter-title">Title with <a href="https:\/\/example\.org">a link<\/a><sup><a href="#3-fn1" id="3-fnref1" [^>]*>1<\/a><\/sup><\/h1>/);
    assert.match(third, /<a href="#3-fnref1" class="footnote-back"/, 'the note leads back to its reference in the title');
    const toc = await built.text('OEBPS/toc.xhtml');
    for (const title of ['E = mc2 and H2O code', 'Project', 'Title with a link']) assert.ok(toc.includes(`>${title}</a>`), title);
    // Sections too; their ids are made from all their text, as GitHub makes them: without an image's alt
    // text (a README links to `#install-`).
    assert.match(toc, /<a href="chapter-3\.xhtml#install-">Install<\/a>/);
    assert.match(toc, /<a href="chapter-3\.xhtml#notes2">Notes<\/a>/);
  });

  it('has a cover page and a generated PNG cover', async () => {
    const cover = await book.bytes('OEBPS/cover.png');
    assert.equal(cover.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(cover.readUInt32BE(16), 1600);
    assert.equal(cover.readUInt32BE(20), 2560);
    const page = await book.text('OEBPS/cover.xhtml');
    assert.match(page, /<img src="cover.png" alt="Cover: NATO and North-East Asia"\/>/);
  });
});

describe('reproducible output', () => {
  it('gives the same bytes twice: from another folder, in another time zone and locale', async () => {
    const first = await makeBook({ cwd: ROOT, articlesDir: 'articles' });
    const copy = tempDir('quire-repro-');
    fs.cpSync(path.join(ROOT, 'articles'), path.join(copy, 'elsewhere'), { recursive: true });
    const run = await runCli(['build', 'elsewhere', '-o', 'out/book.epub', '-q'], {
      cwd: copy,
      env: { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8' },
    });
    assert.equal(run.code, 0, run.stderr);
    const second = fs.readFileSync(path.join(copy, 'out', 'book.epub'));
    assert.ok(first.epub!.equals(second), 'byte-identical books');
  });

  it('gives the same bytes whatever the number of threads, and from the cache', async () => {
    // Enough articles that the workers start early and draw the cover, and enough text that the chapters
    // are spread over them (or their Markdown read ahead on another thread).
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`articles/a${String(i).padStart(2, '0')}.md`, `# Article ${i}\n\n${'Some *text*, a [link](a00.md) and a note.[^1]\n\n\`\`\`js\nconst x = 1; // code\n\`\`\`\n\n'.repeat(150)}[^1]: The note.\n`])));
    const books: Buffer[] = [];
    const alone = { QUIRE_THREADS: '1', QUIRE_READ_AHEAD: '0' };
    const runs: [Record<string, string>, string[]][] = [
      [alone, ['--no-cache']],
      [{ QUIRE_THREADS: '1', QUIRE_READ_AHEAD: '1' }, ['--no-cache']],
      [{ QUIRE_THREADS: '2' }, ['--no-cache']],
      [{ QUIRE_THREADS: '3' }, ['--no-cache']],
      [{ QUIRE_THREADS: '2' }, []],
      [{ QUIRE_THREADS: '2' }, []],
    ];
    for (const [env, cache] of runs) {
      const run = await runCli(['build', '-q', ...cache, '-o', `book-${books.length}.epub`], { cwd: dir, env });
      assert.equal(run.code, 0, run.stderr);
      books.push(fs.readFileSync(path.join(dir, `book-${books.length}.epub`)));
    }
    assert.ok(fs.existsSync(path.join(dir, '.quire-cache', 'chapter')), 'the last two builds wrote and read the cache');
    for (const [i, book] of books.entries()) assert.ok(book.equals(books[0]!), `book ${i} is byte-identical to the first`);
  });

  it('takes dcterms:modified from SOURCE_DATE_EPOCH, and only that changes', async () => {
    const plain = await openEpub((await makeBook({ cwd: ROOT, articlesDir: 'articles' })).epub!);
    const dated = await openEpub((await makeBook({ cwd: ROOT, articlesDir: 'articles', sourceDateEpoch: '1700000000' })).epub!);
    const opf = await dated.text('OEBPS/content.opf');
    assert.match(opf, /<meta property="dcterms:modified">2023-11-14T22:13:20Z<\/meta>/);
    assert.equal(opf.replace(/<meta property="dcterms:modified">[^<]*/, ''), (await plain.text('OEBPS/content.opf')).replace(/<meta property="dcterms:modified">[^<]*/, ''));
    assert.equal(dated.zip.file('OEBPS/content.opf')!.date.toISOString(), '2023-11-14T22:13:20.000Z', 'zip entries carry the same date');
  });

  it('derives the identifier from the book (title, authors, articles), not from the text, or uses the one given', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\nText.\n', 'articles/b.md': '# B\n' });
    const id = async () => /<dc:identifier id="book-id">([^<]+)</.exec(await (await openEpub((await makeBook({ cwd: dir })).epub!)).text('OEBPS/content.opf'))![1];
    const before = await id();
    assert.equal(await id(), before);
    fs.writeFileSync(path.join(dir, 'articles/a.md'), '# A\n\nOther text.\n');
    assert.equal(await id(), before, 'an edited article is a revision of the same book');
    fs.writeFileSync(path.join(dir, 'articles/c.md'), '# C\n');
    const more = await id();
    assert.notEqual(more, before, 'another article makes another book');
    fs.writeFileSync(path.join(dir, 'articles/book.yaml'), 'title: Another title\n');
    assert.notEqual(await id(), more, 'so does another title');
    fs.writeFileSync(path.join(dir, 'articles/book.yaml'), 'identifier: "isbn:9780000000000"\n');
    assert.equal(await id(), 'isbn:9780000000000');
  });
});

describe('book options', () => {
  it('takes title, authors, language, cover and style sheet from flags over book.yaml', async () => {
    const dir = tempDir();
    const png = fs.readFileSync(path.join(ROOT, 'test/fixtures/images/articles/pics/red.png'));
    writeTree(dir, {
      'articles/book.yaml': 'title: From YAML\nauthor: YAML Author\nlang: de\n',
      'articles/a.md': '# A\n\nText.\n',
      'cover.jpeg': png,
      'extra.css': 'p { color: #333; }\n@import "other.css";\nh1 { background: url(bg.png) }\n',
    });
    const result = await makeBook({
      cwd: dir,
      overrides: { title: 'From flags', authors: ['One', 'Two'], lang: 'fr', publisher: 'Flag Press', description: 'From a flag.', date: '2020-02', identifier: 'urn:x:1', cover: 'cover.jpeg', css: 'extra.css' },
    });
    const book = await openEpub(result.epub!);
    const opf = await book.text('OEBPS/content.opf');
    assert.match(opf, /<dc:title id="title">From flags<\/dc:title>/);
    assert.match(opf, /<dc:creator id="creator-1">One<\/dc:creator>[^]*<dc:creator id="creator-2">Two<\/dc:creator>/);
    assert.match(opf, /<dc:language>fr<\/dc:language>/);
    assert.match(opf, /<dc:publisher>Flag Press<\/dc:publisher>/);
    assert.match(opf, /<dc:description>From a flag\.<\/dc:description>/);
    assert.match(opf, /<dc:date>2020-02<\/dc:date>/);
    assert.match(opf, /<dc:identifier id="book-id">urn:x:1<\/dc:identifier>/);
    assert.match(opf, /<item id="cover-image" href="cover.png" media-type="image\/png"/, 'the cover type comes from its bytes, not its name');
    assert.ok((await book.bytes('OEBPS/cover.png')).equals(png));
    const css = await book.text('OEBPS/style.css');
    assert.match(css, /p \{ color: #333; \}/);
    assert.ok(!/@import|url\(/.test(css.split('/* extra.css */')[1]!), 'no @import or url() from the user style sheet');
    const warnings = result.diagnostics.filter((d) => d.code === 'css-resource').map((d) => d.line);
    assert.deepEqual(warnings, [2, 3]);
  });

  it("writes quire's own words in the book's language: contents, notes, cover, landmarks, author lists", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/book.yaml': 'title: Livre\nlang: fr-CA\nnotes: book\n',
      'articles/a.md': '---\ntitle: Un\nauthors: [Marie, Jean, Luc]\n---\n\nTexte[^1].\n\n[^1]: Une note.\n',
      'articles/b.md': '---\ntitle: Zwei\nlang: de\nauthors: [Anna, Ben]\n---\n\nText[^1].\n\n[^1]: Eine Anmerkung.\n',
    });
    const result = await makeBook({ cwd: dir });
    const book = await openEpub(result.epub!);
    const nav = await book.text('OEBPS/toc.xhtml');
    assert.match(nav, /<title>Table des matières<\/title>/);
    assert.match(nav, /<h1 id="toc-title">Table des matières<\/h1>/);
    assert.match(nav, /<a href="notes.xhtml">Notes<\/a>/);
    assert.match(nav, /aria-label="Repères"[^]*>Couverture<\/a>[^]*>Début du contenu<\/a>/);
    assert.match(await book.text('OEBPS/content.opf'), /<reference type="toc" title="Table des matières"/);
    assert.match(await book.text('OEBPS/cover.xhtml'), /<title>Couverture<\/title>/);
    assert.match(await book.text('OEBPS/chapter-a.xhtml'), /<span class="author">Marie, Jean et Luc<\/span>/);
    assert.match(await book.text('OEBPS/chapter-b.xhtml'), /<span class="author">Anna und Ben<\/span>/, "a chapter's own language names its authors");
    const english = await openEpub((await makeBook({ cwd: dir, overrides: { lang: 'en' } })).epub!);
    assert.match(await english.text('OEBPS/toc.xhtml'), /<h1 id="toc-title">Contents<\/h1>/);
    assert.match(await english.text('OEBPS/chapter-a.xhtml'), /<span class="author">Marie, Jean and Luc<\/span>/);
    assert.match(await (await openEpub((await makeBook({ cwd: dir, overrides: { lang: 'de' } })).epub!)).text('OEBPS/notes.xhtml'), /<h1 id="notes-title" class="chapter-title">Anmerkungen<\/h1>/);
    const notes = await book.text('OEBPS/notes.xhtml');
    assert.match(notes, /<section class="chapter-notes">\n<h2><a href="chapter-a.xhtml">Un<\/a><\/h2>/, "a chapter in the book's language adds none");
    assert.match(notes, /<section class="chapter-notes" xml:lang="de" lang="de">\n<h2><a href="chapter-b.xhtml">Zwei<\/a><\/h2>[^]*Eine Anmerkung/, "another language's notes are marked as such");
  });

  it("takes Quarto's and R Markdown's files as articles, and links to them", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/index.md': '# Index\n\nSee [one](chapter1.qmd).\n',
      'articles/chapter1.qmd': '---\ntitle: Chapter one\n---\n\nImportant content.\n\n```{r}\n#| echo: false\n1 + 1\n```\n',
      'articles/notes.Rmd': '# Notes\n\nR notes.\n',
      // An R package's README.Rmd and the README.md knitted from it: the .md.
      'articles/README.Rmd': '```{r setup}\nlibrary(x)\n```\n\n# mypkg\n',
      'articles/README.md': '# mypkg\n\nKnitted.\n',
    });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics, []);
    const book = await openEpub(result.epub!);
    assert.deepEqual(book.names.filter((n) => n.startsWith('OEBPS/chapter-')).sort(), ['OEBPS/chapter-chapter1.xhtml', 'OEBPS/chapter-index.xhtml', 'OEBPS/chapter-notes.xhtml', 'OEBPS/chapter-readme.xhtml']);
    assert.match(await book.text('OEBPS/chapter-readme.xhtml'), /Knitted\./);
    assert.match(await book.text('OEBPS/chapter-index.xhtml'), /<a href="chapter-chapter1\.xhtml">one<\/a>/);
    assert.match(await book.text('OEBPS/chapter-chapter1.xhtml'), /<code class="hljs language-r"><span class="hljs-number">1<\/span> <span class="hljs-operator">\+<\/span> <span class="hljs-number">1<\/span>\n<\/code>/);
  });

  it("orders an mdBook book by its SUMMARY.md, the chapters it lists in subfolders included, and leaves the summary out", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'book/book.toml': '[book]\ntitle = "B"\n',
      'book/src/SUMMARY.md': '# Summary\n\n[Introduction](README.md)\n\n# Part I\n\n- [Getting started](chapter_1/start.md)\n    - [Nested](./chapter_1/nested.md)\n- [Zebra first](zebra.md)\n- [Draft]()\n- [Gone](gone.md)\n\n[Appendix](appendix.md)\n',
      'book/src/README.md': '# Intro\n\nSee [start](chapter_1/start.md).\n',
      'book/src/chapter_1/start.md': '# Start\n',
      'book/src/chapter_1/nested.md': '# Nested\n',
      'book/src/zebra.md': '# Zebra\n',
      'book/src/appendix.md': '# Appendix\n',
      'book/src/extra.md': '# Extra\n',
    });
    const result = await makeBook({ cwd: dir, articlesDir: 'book/src' });
    assert.deepEqual(result.diagnostics.map((d) => `${path.basename(d.file!)}:${d.line}:${d.column} ${d.code}`), ['SUMMARY.md:11:3 config-order']);
    const book = await openEpub(result.epub!);
    const nav = await book.text('OEBPS/toc.xhtml');
    assert.deepEqual([...nav.matchAll(/<a href="(chapter-[^"#]*)">([^<]*)<\/a>/g)].map((m) => m[2]), ['Intro', 'Start', 'Nested', 'Zebra', 'Appendix', 'Extra']);
    // Its part's title heads the part's chapters in the contents; the prefix and suffix chapters are in none.
    assert.match(nav, /<li><a href="chapter-readme\.xhtml">Intro<\/a><\/li>\s*<li><span>Part I<\/span>\s*<ol>\s*<li><a href="chapter-chapter-1-start\.xhtml">Start<\/a><\/li>[^]*?<li><a href="chapter-zebra\.xhtml">Zebra<\/a><\/li>\s*<\/ol>\s*<\/li>\s*<li><a href="chapter-appendix\.xhtml">Appendix<\/a>/);
    assert.match(await book.text('OEBPS/chapter-readme.xhtml'), /<a href="chapter-chapter-1-start\.xhtml">start<\/a>/);
    // Not an mdBook book (no book.toml): the summary is a chapter, in the order of the names.
    fs.rmSync(path.join(dir, 'book/book.toml'));
    const plain = await makeBook({ cwd: dir, articlesDir: 'book/src' });
    assert.equal(plain.chapters, 5);
    assert.ok(plain.diagnostics.some((d) => d.code === 'articles-in-subfolders'));
  });

  it('takes in the articles of subfolders when asked, in the order of their paths, each folder its own page first', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'docs/README.md': '# Home\n\nSee [setup](guide/setup.md).\n',
      'docs/zeta.md': '# Zeta\n',
      'docs/10-api/index.md': '# API\n',
      'docs/2-guide/setup.md': '# Setup\n\nBack [home](../README.md).\n',
      'docs/2-guide/index.md': '---\ntitle: Guide\n---\n\nThe guide.\n',
      'docs/2-guide/adv/more.md': '# More\n',
      'docs/2-guide/img/readme.txt': 'not an article',
      // Hidden folders and installed packages are not the book's.
      'docs/.vitepress/theme.md': '# Theme\n',
      'docs/node_modules/pkg/README.md': '# Package\n',
    });
    // The same paths as before, renamed to what the guide's link names.
    fs.renameSync(path.join(dir, 'docs/2-guide'), path.join(dir, 'docs/guide'));
    const run = await runCli(['build', 'docs', '-r', '-o', 'book.epub'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const book = await openEpub(fs.readFileSync(path.join(dir, 'book.epub')));
    const nav = await book.text('OEBPS/toc.xhtml');
    assert.deepEqual([...nav.matchAll(/<a href="(chapter-[^"#]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`), [
      'chapter-readme.xhtml Home',
      'chapter-10-api-index.xhtml API',
      'chapter-guide-index.xhtml Guide',
      'chapter-guide-adv-more.xhtml More',
      'chapter-guide-setup.xhtml Setup',
      'chapter-zeta.xhtml Zeta',
    ]);
    assert.match(await book.text('OEBPS/chapter-readme.xhtml'), /<a href="chapter-guide-setup\.xhtml">setup<\/a>/);
    assert.match(await book.text('OEBPS/chapter-guide-setup.xhtml'), /<a href="chapter-readme\.xhtml">home<\/a>/);
    // Without the flag: the folder's own files, and a warning for each subfolder that holds articles.
    const flat = await makeBook({ cwd: dir, articlesDir: 'docs' });
    assert.equal(flat.chapters, 2);
    assert.deepEqual(flat.diagnostics.filter((d) => d.code === 'articles-in-subfolders').map((d) => [path.basename(d.file!), d.message.slice(0, 50)]), [
      ['10-api', '1 Markdown file is in this subfolder, and not in t'],
      ['guide', '3 Markdown files are in this subfolder, and not in'],
    ]);
    // book.yaml says either, and the command line wins.
    fs.writeFileSync(path.join(dir, 'docs/book.yaml'), 'recursive: false\n');
    const quiet = await makeBook({ cwd: dir, articlesDir: 'docs' });
    assert.equal(quiet.chapters, 2);
    assert.ok(!quiet.diagnostics.some((d) => d.code === 'articles-in-subfolders'));
    assert.equal((await makeBook({ cwd: dir, articlesDir: 'docs', overrides: { recursive: true } })).chapters, 6);
    fs.writeFileSync(path.join(dir, 'docs/book.yaml'), 'recursive: true\n');
    assert.equal((await makeBook({ cwd: dir, articlesDir: 'docs' })).chapters, 6);
  });

  it("names chapters that share their heading's title by the section that opens them, in the contents and their documents", async () => {
    const dir = tempDir();
    writeTree(dir, {
      // fastify's guides: the project's name, then the guide's own heading.
      'articles/a.md': '<h1 align="center">Fastify</h1>\n\n## Benchmarking\n\nText.\n\n## Simple\n\nMore.\n',
      'articles/b.md': '<h1 align="center">Fastify</h1>\n\n# Database\n\nText.\n',
      // Text before the next heading: nothing names it better.
      'articles/c.md': '<h1 align="center">Fastify</h1>\n\nWarnings.\n\n## Codes\n',
      // A title of its own, and a title given in the front matter, stay.
      'articles/d.md': '# Testing\n\n## Setup\n',
      'articles/e.md': '---\ntitle: Fastify\n---\n\n## Routes\n',
    });
    const book = await openEpub((await makeBook({ cwd: dir })).epub!);
    const nav = await book.text('OEBPS/toc.xhtml');
    const entries = [...nav.matchAll(/<a href="(chapter-[^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(entries, [
      'chapter-a.xhtml Fastify: Benchmarking',
      'chapter-a.xhtml#simple Simple',
      'chapter-b.xhtml Fastify: Database',
      'chapter-c.xhtml Fastify',
      'chapter-c.xhtml#codes Codes',
      'chapter-d.xhtml Testing',
      'chapter-d.xhtml#setup Setup',
      'chapter-e.xhtml Fastify',
      'chapter-e.xhtml#routes Routes',
    ]);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    assert.match(a, /<title>Fastify: Benchmarking<\/title>/);
    assert.match(a, /<h1 id="fastify" class="chapter-title">Fastify<\/h1>[^]*<h2 id="benchmarking">Benchmarking<\/h2>/, 'the text is as written');
    assert.match(await book.text('OEBPS/toc.ncx'), /<text>Fastify: Database<\/text>/);
  });

  it('gives a chapter in another language its own lang, and right-to-left text its dir', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '---\ntitle: Shalom\nlang: he\n---\n\nשלום\n', 'articles/b.md': '# B\n\nText.\n' });
    const book = await openEpub((await makeBook({ cwd: dir })).epub!);
    assert.match(await book.text('OEBPS/chapter-a.xhtml'), /<html [^>]*xml:lang="he" lang="he" dir="rtl">/);
    assert.match(await book.text('OEBPS/chapter-b.xhtml'), /<html [^>]*xml:lang="en" lang="en">/);
  });

  it('names a link that shows nothing by the title of the chapter it leads to, or of the heading there', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': '# Start\n\n## Here\n\nSee [](b.md), [](b.md#part), [ ](c.md), [](gone.md) and [](#here).[^n]\n\n[^n]: And [](c.md).\n',
      'articles/b.md': '# Bee\n\n## The part {#part}\n',
      'articles/c.md': '---\ntitle: Sea & sky\n---\n\nText.\n',
    });
    const result = await makeBook({ cwd: dir, overrides: { notes: 'book' } });
    assert.deepEqual(result.diagnostics.map((d) => `${d.code} ${d.line}`), ['link-missing-article 5']);
    const book = await openEpub(result.epub!);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    assert.match(a, /See <a href="chapter-b\.xhtml">Bee<\/a>, <a href="chapter-b\.xhtml#part">The part<\/a>, <a href="chapter-c\.xhtml">Sea &amp; sky <\/a>, <span><\/span> and <a href="#here"><\/a>\./);
    assert.match(await book.text('OEBPS/notes.xhtml'), /And <a href="chapter-c\.xhtml">Sea &amp; sky<\/a>\./, 'in a note at the end of the book too');
  });

  it("quotes the notes at the end of the book in their chapter's language, as its body", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': 'Er sagte "Hallo".[^n]\n\n[^n]: Sie sagte "Tschüss".\n',
      'articles/b.md': '---\nlang: fr\n---\n\nIl dit "Salut".[^m]\n\n[^m]: Elle dit "Bonjour".\n',
    });
    const result = await makeBook({ cwd: dir, overrides: { notes: 'book', lang: 'de' } });
    const book = await openEpub(result.epub!);
    assert.match(await book.text('OEBPS/chapter-a.xhtml'), /Er sagte \u201eHallo\u201c\./);
    const notes = await book.text('OEBPS/notes.xhtml');
    assert.match(notes, /Sie sagte \u201eTschüss\u201c\./);
    assert.match(notes, /Elle dit \u00ab\u202fBonjour\u202f\u00bb\./);
  });

  it('keeps the written name of a {doc} link in a heading, whose id and contents entry are made before the book is known', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# Guide\n\n## About {doc}`other`\n\nSee [there](#about-other).\n', 'articles/other.md': '# The Other\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => d.code), []);
    const book = await openEpub(result.epub!);
    // The id was `about` (the link emptied before the ids were made) and the entry "About", the chapter "About The Other".
    assert.match(await book.text('OEBPS/chapter-a.xhtml'), /<h2 id="about-other">About <a href="chapter-other\.xhtml">other<\/a><\/h2>/);
    assert.match(await book.text('OEBPS/toc.xhtml'), /<a href="chapter-a\.xhtml#about-other">About other<\/a>/);
  });

  it("makes MyST's toctree a list of links to its documents, named by their titles, and the {doc} role a link", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/index.md': [
        '# Topics', '',
        '```{toctree}', ':maxdepth: 1', ':caption: Topic guides', '',
        'authentication', 'Caching guide <caching>', '/guides/config', 'missing', 'self', 'Elsewhere <https://example.com/x>', '```', '',
        ':::{toctree}', ':hidden:', '', 'authentication', ':::', '',
        '::::{note}', ':::{toctree}', '---', 'numbered: true', 'glob:', '---', 'guides/*', 'caching', ':::', '::::', '',
        'See {doc}`authentication`, {doc}`the cache <caching>`, {doc}`nowhere` and {ref}`a label <label>`.', '',
      ].join('\n'),
      'articles/authentication.md': '# Authentication\n\nKeys.\n',
      'articles/caching.md': '---\ntitle: Caching & you\n---\n\nSee {doc}`index`.\n',
      'articles/guides/config.md': '# Configuration\n',
    });
    const result = await makeBook({ cwd: dir, overrides: { recursive: true } });
    assert.deepEqual(result.diagnostics.map((d) => `${d.file?.split(/[\\/]/).pop()} ${d.line}:${d.column} ${d.code}`), ['index.md 10:1 link-missing-article', 'index.md 32:61 link-missing-article', 'index.md 32:80 link-anchor-missing']);
    assert.match(result.diagnostics[0]!.message, /`missing\.md`/);
    const book = await openEpub(result.epub!);
    const index = await book.text('OEBPS/chapter-index.xhtml');
    const lists = [...index.matchAll(/<div class="toctree-wrapper">[^]*?<\/div>/g)].map((m) => m[0]);
    assert.deepEqual(lists, [
      [
        '<div class="toctree-wrapper">', '<p class="caption"><strong>Topic guides</strong></p>', '<ul>',
        '<li><a href="chapter-authentication.xhtml">Authentication</a></li>',
        '<li><a href="chapter-caching.xhtml">Caching guide</a></li>',
        '<li><a href="chapter-guides-config.xhtml">Configuration</a></li>',
        '<li><span>missing</span></li>',
        '<li><a href="#topics">Topics</a></li>',
        '<li><a href="https://example.com/x">Elsewhere</a></li>',
        '</ul>', '</div>',
      ].join('\n'),
      ['<div class="toctree-wrapper">', '<ol>', '<li>guides/*</li>', '<li><a href="chapter-caching.xhtml">Caching &amp; you</a></li>', '</ol>', '</div>'].join('\n'),
    ], 'the hidden toctree leaves nothing, the glob pattern is shown as written');
    assert.ok(!/maxdepth|:hidden:|\{toctree\}/.test(index), 'no option or fence is left');
    assert.match(index, /See <a href="chapter-authentication\.xhtml">Authentication<\/a>, <a href="chapter-caching\.xhtml">the cache<\/a>, <span>nowhere<\/span> and <span>a label<\/span>\./);
    assert.match(await book.text('OEBPS/chapter-caching.xhtml'), /See <a href="chapter-index\.xhtml">Topics<\/a>\./);
  });

  it("makes MyST's `(label)=` targets anchors and its {ref} roles links to them, in the chapter or the book, named by the heading", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': [
        '(intro-label)=', '# Alpha', '', '(setup)=', '## Setting up', '', 'Text.', '', '(fig-x)=', '', 'A paragraph.', '',
        'See {ref}`setup`, {ref}`the setup <setup>`, {ref}`other-part`, {ref}`fig-x`,', '{ref}`missing <no such>` and {term}`wheel <Wheel>`.', '',
      ].join('\n'),
      'articles/b.md': '# Beta\n\n(other-part)=\n## Other part\n\nBack to {ref}`intro-label`.\n\n> (quoted)=\n> ## In a "quote"\n\nSee {ref}`quoted`.\n\n(one)=\n(two)=\n## Twice\n\n{ref}`one`, {ref}`two`.\n',
    });
    const result = await makeBook({ cwd: dir });
    // The targets showed as paragraphs, `(setup)=`, and the roles as code: `<code>setup</code>`.
    assert.deepEqual(result.diagnostics.map((d) => `${d.file?.split(/[\\/]/).pop()}:${d.line}:${d.column} ${d.code} ${d.message}`), [
      'a.md:14:6 link-anchor-missing reference to `no such`: no target `(no such)=`, directive\'s `:name:` or heading in the book has that label; the text is kept',
    ]);
    const book = await openEpub(result.epub!);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    const b = await book.text('OEBPS/chapter-b.xhtml');
    assert.match(a, /<span id="setup"><\/span>\n<h2 id="setting-up">Setting up<\/h2>/);
    assert.match(a, /<span id="fig-x"><\/span>\n<p>A paragraph\.<\/p>/);
    assert.match(a, /See <a href="#setup">Setting up<\/a>, <a href="#setup">the setup<\/a>, <a href="chapter-b\.xhtml#other-part">Other part<\/a>, <a href="#fig-x">fig-x<\/a>,\n<span>missing<\/span> and wheel\./);
    // The label that is the heading's id already adds nothing; the one before the title is the chapter's.
    assert.match(b, /<h2 id="other-part">Other part<\/h2>\n<p>Back to <a href="chapter-a\.xhtml#intro-label">Alpha<\/a>\.<\/p>/);
    // A heading that is no section of the chapter (in a quote) names the reference too, as the chapter shows it.
    assert.match(b, /<span id="quoted"><\/span>\n<h2 id="in-a-quote">In a “quote”<\/h2>\n<\/blockquote>\n<p>See <a href="#quoted">In a “quote”<\/a>\.<\/p>/);
    // Two targets over one heading: both are named by it.
    assert.match(b, /<span id="one"><\/span>\n<span id="two"><\/span>\n<h2 id="twice">Twice<\/h2>\n<p><a href="#one">Twice<\/a>, <a href="#two">Twice<\/a>\.<\/p>/);
    assert.doesNotMatch(a + b, /\)=|quire-|<code>/);
  });

  it("names a {ref} to a figure's or a titled box's `:name:` by its caption or title, as Sphinx does", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
      'articles/a.md': [
        '# Alpha', '', 'See {ref}`fig-a`, {ref}`adm-t`, {ref}`note-x`, {ref}`Given <fig-a>`, {ref}`fig-c`, {ref}`dd`.', '',
        '```{figure} a.png', ':name: fig-a', '', 'The *caption* text.', '', 'A legend.', '```', '',
        '```{admonition} Custom *title*', ':name: adm-t', '', 'Body.', '```', '',
        '```{note}', ':name: note-x', '', 'A note.', '```', '',
        ':::{figure} a.png', ':name: fig-c', 'Colon caption.', ':::', '',
        '```{dropdown} Open *me*', ':name: dd', '', 'Hidden.', '```', '',
      ].join('\n'),
      'articles/b.md': '# Beta\n\nBack to {ref}`fig-a` and {ref}`adm-t`.\n',
    });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => d.code), []);
    const book = await openEpub(result.epub!);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    // They showed the label as written: `<a href="#fig-a">fig-a</a>`. A note with no title of its own keeps it.
    assert.match(a, /See <a href="#fig-a">The caption text\.<\/a>, <a href="#adm-t">Custom title<\/a>, <a href="#note-x">note-x<\/a>, <a href="#fig-a">Given<\/a>, <a href="#fig-c">Colon caption\.<\/a>, <a href="#dd">Open me<\/a>\./);
    assert.match(a, /<div id="fig-a" class="figure">/);
    assert.match(a, /<div id="adm-t" class="markdown-alert markdown-alert-note admonition">/);
    assert.doesNotMatch(a, /quire-/);
    assert.match(await book.text('OEBPS/chapter-b.xhtml'), /Back to <a href="chapter-a\.xhtml#fig-a">The caption text\.<\/a> and <a href="chapter-a\.xhtml#adm-t">Custom title<\/a>\./);
  });

  it("makes a MyST target an anchor in a list item, on the item's first line or opening a paragraph of it", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': ['# Alpha', '', '- (in-list)=', '  text of the item', '- two', '', '1. first', '', '   (loose)=', '   para', '', '- b', '  (mid)=', '', 'See {ref}`in-list`, {ref}`loose`.', ''].join('\n'),
    });
    const result = await makeBook({ cwd: dir });
    // Both were text, `(in-list)=`, and their references warned of as leading nowhere.
    assert.deepEqual(result.diagnostics.map((d) => d.code), []);
    const a = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(a, /<li><span id="in-list"><\/span>\ntext of the item<\/li>/);
    assert.match(a, /<li><p>first<\/p>\n<span id="loose"><\/span>\n<p>para<\/p>\n<\/li>/);
    // A target line that goes on the text of the line before is that text, as at the top.
    assert.match(a, /<li>b\n\(mid\)=<\/li>/);
    assert.match(a, /See <a href="#in-list">in-list<\/a>, <a href="#loose">loose<\/a>\./);
  });

  it("reads Sphinx's {any} role as a link to the document of that name, else to the label, else as the code it was", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': [
        '# Alpha', '', '(setup)=', '## Setting up', '', 'Text.', '',
        'By {any}`setup`, {any}`the setup <setup>`, {any}`b`, {any}`The other <b>`, {any}`install`,',
        '{any}`os.devnull` and {any}`--only-binary :all: <--only-binary>`.', '',
      ].join('\n'),
      'articles/b.md': '# Beta\n\n## Install\n\nBack to {any}`a`.\n',
    });
    const result = await makeBook({ cwd: dir });
    // They showed as code, without a word; one that leads nowhere is reported as a {ref} is, where it is.
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(':')[0]}`), [
      '9:6 link-anchor-missing reference to `os.devnull`',
      '9:28 link-anchor-missing reference to `--only-binary`',
    ]);
    const book = await openEpub(result.epub!);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    assert.match(a, /By <a href="#setup">Setting up<\/a>, <a href="#setup">the setup<\/a>, <a href="chapter-b\.xhtml">Beta<\/a>, <a href="chapter-b\.xhtml">The other<\/a>, <a href="chapter-b\.xhtml#install">Install<\/a>,\n<span><code>os\.devnull<\/code><\/span> and <span><code>--only-binary :all:<\/code><\/span>\./);
    assert.match(await book.text('OEBPS/chapter-b.xhtml'), /Back to <a href="chapter-a\.xhtml">Alpha<\/a>\./);
    assert.doesNotMatch(a, /quire-|\{any\}/);
  });

  it("reports a toctree's entry that leads to no chapter at the entry's own line, in either fence", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/index.md': ['# Home', '', '```{toctree}', ':caption: One', '', 'other', '   gone', '```', '', '::::{note}', ':::{toctree}', '---', 'reversed:', '---', 'lost', '', 'other', ':::', '::::', ''].join('\n'),
      'articles/other.md': '# Other\n',
    });
    const result = await makeBook({ cwd: dir });
    // Both were reported at the toctree's fence line (3:1 and 11:1).
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(';')[0]}`), [
      '7:4 link-missing-article link to missing article `gone.md`',
      '15:1 link-missing-article link to missing article `lost.md`',
    ]);
    const index = await (await openEpub(result.epub!)).text('OEBPS/chapter-index.xhtml');
    assert.match(index, /<ul>\n<li><a href="chapter-other\.xhtml">Other<\/a><\/li>\n<li><span>lost<\/span><\/li>\n<\/ul>/);
    assert.doesNotMatch(index, /quire-offset/);
  });

  it('reads a site-absolute link from the articles folder, and says so when it leads to no chapter', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/index.md': '# Home\n\n```{toctree}\n/guides/config\n```\n\nSee [the rules](/rules.md).\n',
      'articles/guides/config.md': '# Configuration\n',
    });
    const result = await makeBook({ cwd: dir, overrides: { recursive: false } });
    // They were "missing" articles "outside the articles folder", read from the root of the disk.
    assert.deepEqual(result.diagnostics.map((d) => `${d.code} ${d.message.split(/[,;]/)[0]}`), [
      'link-not-in-book link to `/guides/config.md`',
      'link-missing-article link to missing article `/rules.md`',
    ]);
    assert.match(result.diagnostics[0]!.message, /an article in a subfolder, which is not in the book/);
  });
});

describe('the static site around the articles folder', () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const warnings = (diagnostics: { code: string; message: string; severity: string }[]) => diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code}: ${d.message}`);

  it('takes no folder anyone may write in for the site (a `_config.yml` in /tmp is not the articles\' site)', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'shared/_config.yml': 'title: Not Mine\n',
      'shared/assets/a.png': png,
      'shared/notes/articles/a.md': '# A\n\nOn {{ site.title }}.\n\n![root](/assets/a.png)\n',
    });
    const build = () => makeBook({ cwd: dir, articlesDir: 'shared/notes/articles' });
    // Written by its owner only, the folder is the site.
    let chapter = await (await openEpub((await build()).epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(chapter, /On Not Mine\./);
    fs.chmodSync(path.join(dir, 'shared'), 0o1777);
    const result = await build();
    chapter = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(chapter, /On \{\{ site\.title \}\}\./);
    assert.ok(!chapter.includes('<img'));
    assert.deepEqual(warnings(result.diagnostics).map((w) => w.split(':')[0]), ['image-refused']);
  });

  it('reads no configuration in a folder above that anyone may write in (mkdocs.yml, book.toml, .obsidian/ in /tmp)', async () => {
    const dir = tempDir();
    writeTree(dir, {
      'shared/mkdocs.yml': 'markdown_extensions:\n  - pymdownx.mark\n',
      'shared/book.toml': '[book]\ntitle = "Not Mine"\n',
      'shared/.obsidian/app.json': '{}',
      'shared/notes/SUMMARY.md': '# Summary\n\n- [B](b.md)\n- [A](a.md)\n',
      'shared/notes/a.md': '# A\n\n==marked== and %%hidden%% text.\n',
      'shared/notes/b.md': '# B\n\nSecond by name.\n',
    });
    const build = async () => {
      const book = await openEpub((await makeBook({ cwd: dir, articlesDir: 'shared/notes' })).epub!);
      const opf = await book.text('OEBPS/content.opf');
      return { a: await book.text('OEBPS/chapter-a.xhtml'), order: [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]).filter((id) => /^chapter/.test(id!)) };
    };
    // Written by its owner only, the folder above is the project: its syntax, its summary's order, its vault.
    let { a, order } = await build();
    assert.match(a, /<mark>marked<\/mark> and\s+text\./);
    assert.deepEqual(order, ['chapter-b', 'chapter-a']);
    fs.chmodSync(path.join(dir, 'shared'), 0o1777);
    ({ a, order } = await build());
    assert.match(a, /==marked== and %%hidden%% text\./);
    assert.deepEqual(order.slice(0, 2), ['chapter-a', 'chapter-b']);
    // Writable by all but one's own and not shared (a FAT drive, WSL's /mnt/c show every folder so), it is the project.
    fs.chmodSync(path.join(dir, 'shared'), 0o777);
    ({ a, order } = await build());
    assert.match(a, /<mark>marked<\/mark> and\s+text\./);
    assert.deepEqual(order, ['chapter-b', 'chapter-a']);
  });

  it("reads a Jekyll post's images from the site's root, and its page's and site's variables", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'blog/_config.yml': 'title: Field Notes\nbaseurl: /blog\nauthor:\n  name: Ann Lee\nlist: [a, b]\n',
      'blog/assets/a.png': png,
      'blog/_posts/2020-01-01-first.md':
        '---\ntitle: First light\nlayout: post\n---\n\nIntro.\n\n## About {{ page.title }}\n\n' +
        'On {{ site.title }} by {{ site.author.name }}: {{site.title | upcase}}, {{ site.list }}, {{ site.nope }}, {{ page.tags }}, {{ site.title | date: "%Y" }}.\n\n' +
        '![liquid]({{ site.baseurl }}/assets/a.png) ![root](/assets/a.png) ![gone](/assets/b.png)\n\n' +
        '`{{ site.title }}`\n\n```\n{{ page.title }}\n```\n',
      // A post that shows how to write them: what stands between raw tags is not read, in code as in text.
      'blog/_posts/2020-01-02-raw.md': '# Raw\n\n```liquid\n{% raw %}{{ site.title }}{% endraw %} {{ site.author.name }}\n```\n\n{% raw %}{{ page.title }}{% endraw %}\n',
    });
    const result = await makeBook({ cwd: dir, articlesDir: 'blog/_posts' });
    const chapter = await (await openEpub(result.epub!)).text('OEBPS/chapter-2020-01-01-first.xhtml');
    assert.match(chapter, /<h2 id="[^"]*">About First light<\/h2>/);
    // An unknown variable, a list, a filter that is not read: as written.
    assert.match(chapter, /On Field Notes by Ann Lee: FIELD NOTES, \{\{ site\.list \}\}, \{\{ site\.nope \}\}, \{\{ page\.tags \}\}, \{\{ site\.title \| date: "%Y" \}\}\./);
    assert.equal([...chapter.matchAll(/<img src="images\/[0-9a-f]{16}\.png" alt="(liquid|root)"\/>/g)].length, 2);
    // Jekyll reads Liquid in code too.
    assert.match(chapter, /<code>Field Notes<\/code>/);
    assert.match(chapter, /<pre><code>First light\n<\/code><\/pre>/);
    const raw = await (await openEpub(result.epub!)).text('OEBPS/chapter-2020-01-02-raw.xhtml');
    assert.match(raw, /<code class="language-liquid">\{\{ site\.title \}\} Ann Lee\n/);
    assert.match(raw, /<p>\{\{ page\.title \}\}<\/p>/);
    assert.deepEqual(warnings(result.diagnostics), ['image-missing: image `/assets/b.png` not found (looked for ../assets/b.png, in the Jekyll site\'s folder)']);
  });

  it("reads a Hugo article's root-relative images from static/, and a VitePress page's from public/", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'hugo/hugo.toml': 'title = "Site"\n',
      'hugo/static/images/x.png': png,
      // Hugo serves assets/ only through its pipes, not at /assets/.
      'hugo/assets/y.png': png,
      'hugo/content/posts/x.md': '# X\n\n![x](/images/x.png)\n\n![y](/y.png)\n\nThe site is {{ site.title }}.\n',
      'vp/docs/.vitepress/config.mts': 'export default {}\n',
      'vp/docs/public/logo.png': png,
      'vp/docs/guide/start.md': '# Start\n\n![logo](/logo.png)\n',
    });
    const hugo = await makeBook({ cwd: dir, articlesDir: 'hugo/content/posts' });
    const x = await (await openEpub(hugo.epub!)).text('OEBPS/chapter-x.xhtml');
    assert.match(x, /<img src="images\/[0-9a-f]{16}\.png" alt="x"\/>/);
    assert.match(x, /<span class="image-missing">y<\/span>/);
    // Only a Jekyll site's variables are read.
    assert.match(x, /The site is \{\{ site\.title \}\}\./);
    assert.deepEqual(warnings(hugo.diagnostics), ["image-missing: image `/y.png` not found (looked for ../../static/y.png, in the Hugo site's static folder)"]);
    const vp = await makeBook({ cwd: dir, articlesDir: 'vp/docs/guide' });
    assert.match(await (await openEpub(vp.epub!)).text('OEBPS/chapter-start.xhtml'), /<img src="images\/[0-9a-f]{16}\.png" alt="logo"\/>/);
    assert.deepEqual(warnings(vp.diagnostics), []);
    // No site around the articles: a path from the root is refused, as it was.
    writeTree(dir, { 'plain/a.md': '# A\n\n![logo](/logo.png)\n' });
    assert.deepEqual(warnings((await makeBook({ cwd: dir, articlesDir: 'plain' })).diagnostics), ['image-refused: image `/logo.png` refused: it is an absolute path; only files inside the articles folder are embedded']);
  });

  it("lists the images read from the site's static folder among the inputs watch mode watches", async () => {
    const dir = tempDir();
    writeTree(dir, { 'site/hugo.toml': 'title = "Site"\n', 'site/static/x.png': png, 'site/content/posts/img/y.png': png, 'site/content/posts/x.md': '# X\n\n![x](/x.png) ![y](img/y.png)\n' });
    const result = await makeBook({ cwd: dir, articlesDir: 'site/content/posts' });
    assert.deepEqual(warnings(result.diagnostics), []);
    // (The articles folder is watched whole: its images are not listed.)
    assert.deepEqual(result.inputs.map((f) => path.relative(fs.realpathSync(dir), f)), [path.join('site', 'static', 'x.png')]);
  });

  it("refuses a root-relative path that leads out of the site's static folder, by `..` or by a link", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'outside/secret.png': png,
      'site/hugo.toml': '',
      'site/content/a.md': '# A\n\n![up](/../../outside/secret.png) ![etc](/../../etc/passwd) ![link](/link.png) ![in](/in.png)\n',
      'site/static/in.png': png,
      'jekyll/_config.yml': 'title: J\n',
      'jekyll/_drafts/d.png': png,
      'jekyll/_posts/p.md': '# P\n\n![draft](/_drafts/d.png) ![git](/.git/x.png)\n',
      // A static folder that is itself a link out of the site serves nothing.
      'linked/hugo.toml': '',
      'linked/content/b.md': '# B\n\n![s](/secret.png)\n',
    });
    fs.symlinkSync(path.join(dir, 'outside/secret.png'), path.join(dir, 'site/static/link.png'));
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'linked/static'));
    const result = await makeBook({ cwd: dir, articlesDir: 'site/content' });
    const a = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.deepEqual([...a.matchAll(/<img [^>]*alt="(\w+)"/g)].map((m) => m[1]), ['in']);
    const only = "; only files inside the articles folder or the Hugo site's static folder are embedded";
    assert.deepEqual(warnings(result.diagnostics), [
      `image-refused: image \`/../../outside/secret.png\` refused: it leads out of the Hugo site's static folder${only}`,
      `image-refused: image \`/../../etc/passwd\` refused: it leads out of the Hugo site's static folder${only}`,
      `image-refused: image \`/link.png\` refused: it is a link that leads out of the Hugo site's static folder${only}`,
    ]);
    const jekyll = await makeBook({ cwd: dir, articlesDir: 'jekyll/_posts' });
    const why = "refused: Jekyll does not publish files whose names start with `_` or `.`; only files inside the articles folder or the Jekyll site's folder are embedded";
    assert.deepEqual(warnings(jekyll.diagnostics), [`image-refused: image \`/_drafts/d.png\` ${why}`, `image-refused: image \`/.git/x.png\` ${why}`]);
    const linked = await makeBook({ cwd: dir, articlesDir: 'linked/content' });
    assert.deepEqual(warnings(linked.diagnostics), ["image-refused: image `/secret.png` refused: the Hugo site's static folder is a link that leads out of the site's folder; only files inside the articles folder or the Hugo site's static folder are embedded"]);
  });
});
