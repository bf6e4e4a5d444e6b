// The build cache: a rebuild redoes exactly what changed and gives the same bytes as a cold build.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Cache } from '../src/cache.js';
import { makeBook } from '../src/index.js';
import { codeIdentity, identityOf, VERSION } from '../src/version.js';
import { FIXTURES, openEpub, runCli, tempDir, writeTree, zipEntries } from './helpers.js';

function project(): string {
  const dir = tempDir();
  writeTree(dir, Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`articles/a${i}.md`, `---\ntitle: Article ${i}\n---\n\nText of ${i}, see [next](a${(i + 1) % 5}.md#part).\n\n## Part\n`])));
  return dir;
}

describe('build cache', () => {
  it('rebuilds only the article that changed, and the bytes equal a cold build', async () => {
    const dir = project();
    const cold = await makeBook({ cwd: dir, cacheDir: '.quire-cache' });
    assert.deepEqual(cold.cache!.chapter, { hits: 0, misses: 5 });
    const warm = await makeBook({ cwd: dir, cacheDir: '.quire-cache' });
    assert.deepEqual(warm.cache!.chapter, { hits: 5, misses: 0 });
    assert.deepEqual(warm.cache!.cover, { hits: 1, misses: 0 });
    assert.ok(warm.epub!.equals(cold.epub!));

    fs.appendFileSync(path.join(dir, 'articles/a2.md'), '\nOne more line.\n');
    const changed = await makeBook({ cwd: dir, cacheDir: '.quire-cache' });
    assert.deepEqual(changed.cache!.chapter, { hits: 4, misses: 1 });
    const fresh = await makeBook({ cwd: dir });
    assert.equal(fresh.cache!.chapter.hits, 0, 'no cache folder given: nothing read');
    assert.ok(changed.epub!.equals(fresh.epub!), 'the warm rebuild equals a cold one');
  });

  it('renders a chapter again when a file it includes (mdBook) changed, in a new process and in watch mode', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\n```rust\n{{#include code.rs}}\n```\n', 'articles/code.rs': 'fn one() {}\n', 'articles/b.md': '# B\n' });
    const memoryCache = new Map<string, unknown>();
    const first = await makeBook({ cwd: dir, cacheDir: '.quire-cache', memoryCache });
    assert.deepEqual(first.cache!.chapter, { hits: 0, misses: 2 });
    fs.writeFileSync(path.join(dir, 'articles/code.rs'), 'fn two() {}\n');
    for (const memory of [memoryCache, undefined]) {
      const again = await makeBook({ cwd: dir, cacheDir: '.quire-cache', ...(memory && { memoryCache: memory }) });
      assert.deepEqual(again.cache!.chapter, memory ? { hits: 1, misses: 1 } : { hits: 2, misses: 0 });
      const xhtml = await (await openEpub(again.epub!)).text('OEBPS/chapter-a.xhtml');
      assert.match(xhtml, /two/);
      assert.doesNotMatch(xhtml, /one|\{\{#include/);
    }
  });

  it('keeps entries decoded in memory between the builds of one process (watch mode), with the same bytes', async () => {
    const dir = project();
    const memoryCache = new Map<string, unknown>();
    const first = await makeBook({ cwd: dir, cacheDir: '.quire-cache', memoryCache });
    assert.deepEqual(first.cache!.chapter, { hits: 0, misses: 5 });
    const chapters = () => [...memoryCache.keys()].filter((k) => k.startsWith('chapter/')).length;
    assert.equal(chapters(), 5);
    // Entries on disk are no longer needed by the next build: it takes them from memory.
    fs.rmSync(path.join(dir, '.quire-cache', 'chapter'), { recursive: true });
    fs.appendFileSync(path.join(dir, 'articles', 'a2.md'), '\nA new paragraph.\n');
    const second = await makeBook({ cwd: dir, cacheDir: '.quire-cache', memoryCache });
    assert.deepEqual(second.cache!.chapter, { hits: 4, misses: 1 });
    assert.equal(chapters(), 5, 'the old version of the changed chapter is forgotten');
    const cold = await makeBook({ cwd: dir });
    assert.ok(second.epub!.equals(cold.epub!), 'the same bytes as a cold build');
  });

  it('deflates again in watch mode only the entries that changed, for the bytes of a cold and of a warm build', async () => {
    const dir = tempDir();
    // Images in a folder of their own (stored, not deflated), a title beyond ASCII, links between articles.
    fs.cpSync(path.join(FIXTURES, 'images', 'articles'), path.join(dir, 'articles'), { recursive: true });
    writeTree(dir, { 'articles/b.md': '# B\n\nSee [the photos](photos.md).\n', 'articles/c.md': '---\ntitle: Çà et là\n---\n\nText.\n' });
    const remote = { offline: true };
    const memoryCache = new Map<string, unknown>();
    const watching = { cwd: dir, cacheDir: '.quire-cache', memoryCache, remote };
    const first = await makeBook(watching);
    const deflated = zipEntries(first.epub!).filter((e) => e.method === 8).length;
    assert.ok(zipEntries(first.epub!).some((e) => e.name === 'OEBPS/images/'), 'a folder entry JSZip made');
    assert.deepEqual(first.cache!.deflate, { hits: 0, misses: deflated });

    fs.appendFileSync(path.join(dir, 'articles', 'c.md'), '\nOne more paragraph.\n');
    const rebuilt = await makeBook(watching);
    assert.deepEqual(rebuilt.cache!.deflate, { hits: deflated - 1, misses: 1 }, 'only the changed chapter is deflated again');
    const cold = await makeBook({ cwd: dir, remote });
    const warm = await makeBook({ cwd: dir, cacheDir: '.quire-cache', remote });
    assert.deepEqual(warm.cache!.deflate, { hits: 0, misses: deflated }, 'a new process has no last book');
    assert.ok(rebuilt.epub!.equals(cold.epub!), 'the watch rebuild is the cold build, byte for byte');
    assert.ok(warm.epub!.equals(cold.epub!), 'and so is the warm one');

    // Nothing changed: nothing deflated. An edit of the same length is seen all the same (the bytes are compared).
    assert.deepEqual((await makeBook(watching)).cache!.deflate, { hits: deflated, misses: 0 });
    const c = path.join(dir, 'articles', 'c.md');
    fs.writeFileSync(c, fs.readFileSync(c, 'utf8').replace('Text.', 'Txet.'));
    const same = await makeBook(watching);
    assert.deepEqual(same.cache!.deflate, { hits: deflated - 1, misses: 1 });
    assert.ok(same.epub!.equals((await makeBook({ cwd: dir, remote })).epub!));
    assert.match(await (await openEpub(same.epub!)).text('OEBPS/chapter-c.xhtml'), /Txet\./);
    // The style sheet changed: only it.
    writeTree(dir, { 'articles/book.yaml': 'css: extra.css\n', 'articles/extra.css': 'p { margin: 0; }\n' });
    const styled = await makeBook(watching);
    assert.deepEqual(styled.cache!.deflate, { hits: deflated - 1, misses: 1 }, 'only style.css');
    assert.ok(styled.epub!.equals((await makeBook({ cwd: dir, remote })).epub!));

    // A new first article moves every entry after it: all are deflated again, for the same bytes.
    writeTree(dir, { 'articles/a.md': '# A\n\nFirst.\n' });
    const added = await makeBook(watching);
    assert.equal(added.cache!.deflate.hits, 0);
    assert.ok(added.epub!.equals((await makeBook({ cwd: dir, remote })).epub!));
  });

  it('in watch mode, makes again the document of an unchanged article whose links now settle otherwise', async () => {
    const dir = project();
    const watching = { cwd: dir, cacheDir: '.quire-cache', memoryCache: new Map<string, unknown>() };
    const first = await makeBook(watching);
    const a2 = async (epub: Buffer) => (await openEpub(epub)).text('OEBPS/chapter-a2.xhtml');
    assert.match(await a2(first.epub!), /<a href="chapter-a3\.xhtml#part">next<\/a>/);
    // a3's heading is renamed: the anchor a2 links to is gone, a2's own text is the same.
    const a3 = path.join(dir, 'articles', 'a3.md');
    fs.writeFileSync(a3, fs.readFileSync(a3, 'utf8').replace('## Part', '## Piece'));
    const renamed = await makeBook(watching);
    assert.deepEqual(renamed.cache!.chapter, { hits: 4, misses: 1 });
    assert.doesNotMatch(await a2(renamed.epub!), /#part/);
    assert.ok(renamed.epub!.equals((await makeBook({ cwd: dir })).epub!), 'the cold build, byte for byte');
    // And back: a2's first document again.
    fs.writeFileSync(a3, fs.readFileSync(a3, 'utf8').replace('## Piece', '## Part'));
    const back = await makeBook(watching);
    assert.ok(back.epub!.equals(first.epub!));
    // A title in front matter changes only that chapter's document head; the contents change with it.
    const a4 = path.join(dir, 'articles', 'a4.md');
    fs.writeFileSync(a4, fs.readFileSync(a4, 'utf8').replace('title: Article 4', 'title: Fourth'));
    const retitled = await makeBook(watching);
    assert.match(await (await openEpub(retitled.epub!)).text('OEBPS/chapter-a4.xhtml'), /<title>Fourth<\/title>/);
    assert.ok(retitled.epub!.equals((await makeBook({ cwd: dir })).epub!));
  });

  it("in watch mode, settles every link as a cold build does: the unchanged chapters' problems reported again, new targets found", async () => {
    const dir = tempDir();
    writeTree(dir, {
      'articles/a.md': '# A\n\nSee [b](b.md#part), [c](c.md), [gone](gone.md), [top](#nowhere) and [the site](../site/page.html).\n',
      'articles/b.md': '# B\n\n## Part\n\nBack to [a](a.md).\n',
      'articles/d.md': '# D\n\n[Missing](missing.md) and [b again](b.md#piece).\n',
    });
    const watching = { cwd: dir, cacheDir: '.quire-cache', memoryCache: new Map<string, unknown>() };
    const same = async (label: string) => {
      const rebuilt = await makeBook(watching);
      const cold = await makeBook({ cwd: dir });
      assert.deepEqual(rebuilt.diagnostics, cold.diagnostics, `${label}: the diagnostics of a cold build`);
      assert.ok(rebuilt.epub!.equals(cold.epub!), `${label}: the bytes of a cold build`);
      return rebuilt;
    };
    const first = await same('first build');
    const codes = (r: typeof first) => r.diagnostics.map((d) => `${path.basename(d.file ?? '')}:${d.line}:${d.code}`);
    // The link within a (`#nowhere`) is settled as a is rendered, the others as the book is settled.
    assert.deepEqual(codes(first), ['a.md:3:link-anchor-missing', 'a.md:3:link-missing-article', 'a.md:3:link-missing-article', 'a.md:3:link-not-in-book', 'd.md:3:link-missing-article', 'd.md:3:link-anchor-missing']);
    // b's text changes, not its anchors: a's and d's links are reported again, in reading order.
    fs.appendFileSync(path.join(dir, 'articles/b.md'), '\nOne more paragraph.\n');
    assert.deepEqual(codes(await same('b edited')), codes(first));
    // d moves its link down a line: the same problem, on its new line.
    fs.writeFileSync(path.join(dir, 'articles/d.md'), '# D\n\nFirst.\n\n[Missing](missing.md) and [b again](b.md#piece).\n');
    assert.deepEqual(codes(await same('d moved')).slice(-2), ['d.md:5:link-missing-article', 'd.md:5:link-anchor-missing']);
    // c appears: a's link to it, unchanged, now leads there.
    writeTree(dir, { 'articles/c.md': '# C\n' });
    const added = await same('c added');
    assert.match(await (await openEpub(added.epub!)).text('OEBPS/chapter-a.xhtml'), /<a href="chapter-c\.xhtml">c<\/a>/);
    // b's anchor is renamed to what d links to: d's link is whole, a's loses its anchor.
    fs.writeFileSync(path.join(dir, 'articles/b.md'), '# B\n\n## Piece\n\nBack to [a](a.md).\n');
    const renamed = await same('anchor renamed');
    assert.deepEqual(codes(renamed).filter((c) => c.includes('anchor')), ['a.md:3:link-anchor-missing', 'a.md:3:link-anchor-missing']);
    // A link that shows nothing shows the title of the chapter it leads to: a new title, unchanged links.
    fs.writeFileSync(path.join(dir, 'articles/d.md'), '# D\n\nSee [](c.md).\n');
    assert.match(await (await openEpub((await same('empty link')).epub!)).text('OEBPS/chapter-d.xhtml'), /<a href="chapter-c\.xhtml">C<\/a>/);
    writeTree(dir, { 'articles/c.md': '# Sea\n' });
    assert.match(await (await openEpub((await same('c retitled')).epub!)).text('OEBPS/chapter-d.xhtml'), /<a href="chapter-c\.xhtml">Sea<\/a>/);
    // (Its anchors the same: `#sea` still.)
    writeTree(dir, { 'articles/c.md': '# SEA\n' });
    assert.match(await (await openEpub((await same('c retitled, same id')).epub!)).text('OEBPS/chapter-d.xhtml'), /<a href="chapter-c\.xhtml">SEA<\/a>/);
    // A `{ref}` shows the title of the box it leads to: a new title, the same label and ids.
    fs.writeFileSync(path.join(dir, 'articles/d.md'), '# D\n\nSee {ref}`box-c`.\n');
    writeTree(dir, { 'articles/c.md': '# SEA\n\n```{admonition} Harbour\n:name: box-c\n\nText.\n```\n' });
    assert.match(await (await openEpub((await same('ref to a box')).epub!)).text('OEBPS/chapter-d.xhtml'), /<a href="chapter-c\.xhtml#box-c">Harbour<\/a>/);
    writeTree(dir, { 'articles/c.md': '# SEA\n\n```{admonition} Port\n:name: box-c\n\nText.\n```\n' });
    assert.match(await (await openEpub((await same('box retitled')).epub!)).text('OEBPS/chapter-d.xhtml'), /<a href="chapter-c\.xhtml#box-c">Port<\/a>/);
    fs.writeFileSync(path.join(dir, 'articles/d.md'), '# D\n\nFirst.\n\n[Missing](missing.md) and [b again](b.md#piece).\n');
    // And a volume of its own for d (split by count): its link to b leads to another volume.
    const split = { ...watching, split: { by: 'count' as const, size: 2 } };
    const volumes = await makeBook(split);
    const coldVolumes = await makeBook({ cwd: dir, split: { by: 'count', size: 2 } });
    assert.deepEqual(volumes.diagnostics, coldVolumes.diagnostics);
    assert.ok(volumes.diagnostics.some((d) => d.code === 'link-other-volume'));
  });

  it('drops the entries a build did not use once they outnumber those it used, in a new process or in watch mode', async () => {
    for (const memoryCache of [undefined, new Map<string, unknown>()]) {
      const dir = project();
      const options = { cwd: dir, cacheDir: '.quire-cache', ...(memoryCache && { memoryCache }) };
      const chapterFiles = () => fs.readdirSync(path.join(dir, '.quire-cache', 'chapter'), { recursive: true }).filter((f) => String(f).endsWith('.bin') || !fs.statSync(path.join(dir, '.quire-cache', 'chapter', String(f))).isDirectory()).length;
      await makeBook(options);
      assert.equal(chapterFiles(), 5);
      const editAll = (n: number) => {
        for (let i = 0; i < 5; i++) fs.appendFileSync(path.join(dir, 'articles', `a${i}.md`), `\nEdit ${n}.\n`);
      };
      editAll(1);
      await makeBook(options);
      assert.equal(chapterFiles(), 10, 'five unused entries do not outnumber the six used (five chapters, the cover)');
      editAll(2);
      const second = await makeBook(options);
      assert.equal(chapterFiles(), 5, 'ten unused entries outnumber the six used: dropped');
      assert.ok(second.epub!.equals((await makeBook({ cwd: dir })).epub!));
    }
  });

  it('renders everything again when a setting that shapes chapters changes', async () => {
    const dir = project();
    await makeBook({ cwd: dir, cacheDir: '.quire-cache' });
    const french = await makeBook({ cwd: dir, cacheDir: '.quire-cache', overrides: { lang: 'fr' } });
    assert.deepEqual(french.cache!.chapter, { hits: 0, misses: 5 });
    const retitled = await makeBook({ cwd: dir, cacheDir: '.quire-cache', overrides: { title: 'Another title' } });
    assert.deepEqual(retitled.cache!.chapter, { hits: 5, misses: 0 }, 'the title does not shape chapters; the English ones are still there');
    assert.deepEqual(retitled.cache!.cover, { hits: 0, misses: 1 }, 'a new title is a new cover');
  });

  it("keys entries by quire's version, its code and its dependencies' versions", () => {
    assert.ok(codeIdentity().startsWith(`${VERSION}+`));
    const code = tempDir();
    writeTree(code, { 'index.js': 'export const a = 1;\n', 'render/chapter.js': 'export const b = 2;\n', 'README.md': 'notes' });
    const before = identityOf('1.0.0', code, ['marked@18.0.0']);
    assert.equal(identityOf('1.0.0', code, ['marked@18.0.0']), before);
    writeTree(code, { 'README.md': 'other notes' });
    assert.equal(identityOf('1.0.0', code, ['marked@18.0.0']), before, 'only code counts');
    assert.notEqual(identityOf('1.0.1', code, ['marked@18.0.0']), before);
    assert.notEqual(identityOf('1.0.0', code, ['marked@18.0.1']), before);
    writeTree(code, { 'render/chapter.js': 'export const b = 3;\n' });
    assert.notEqual(identityOf('1.0.0', code, ['marked@18.0.0']), before, 'a changed file of code');
    assert.notEqual(new Cache('/x', '1.0.0').key('chapter', 'same'), new Cache('/x', '1.0.1').key('chapter', 'same'));
    assert.equal(new Cache('/x', '1.0.0').key('chapter', 'same'), new Cache('/y', '1.0.0').key('chapter', 'same'));
  });

  it('takes a damaged entry for a miss', async () => {
    const dir = project();
    const cold = await makeBook({ cwd: dir, cacheDir: '.quire-cache' });
    const chapters = path.join(dir, '.quire-cache', 'chapter');
    for (const shard of fs.readdirSync(chapters)) for (const f of fs.readdirSync(path.join(chapters, shard))) fs.writeFileSync(path.join(chapters, shard, f), 'garbage');
    const again = await makeBook({ cwd: dir, cacheDir: '.quire-cache' });
    assert.ok(again.epub!.equals(cold.epub!));
  });

  it('quire build caches in .quire-cache, and --no-cache neither reads nor writes it', async () => {
    const dir = project();
    const first = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(!fs.existsSync(path.join(dir, '.quire-cache')));
    const second = await runCli(['build'], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.ok(fs.existsSync(path.join(dir, '.quire-cache', 'chapter')));
  });
});
