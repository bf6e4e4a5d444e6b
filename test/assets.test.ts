// Images and what may be read: only files inside the articles folder are ever embedded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { FIXTURES, openEpub, tempDir, writeTree, zipEntries } from './helpers.js';

const PNG = fs.readFileSync(path.join(FIXTURES, 'images/articles/pics/red.png'));

describe('images', () => {
  it('refuses symbolic links that lead out of the articles folder, and follows those that stay inside', async () => {
    const dir = tempDir();
    writeTree(dir, { 'secret/passwd.png': PNG, 'articles/pics/real.png': PNG, 'articles/a.md': '# A\n\n![out](out.png)\n\n![in](in.png)\n\n![dir](pics)\n' });
    fs.symlinkSync(path.join(dir, 'secret/passwd.png'), path.join(dir, 'articles/out.png'));
    fs.symlinkSync(path.join(dir, 'articles/pics/real.png'), path.join(dir, 'articles/in.png'));
    const result = await makeBook({ cwd: dir });
    const messages = result.diagnostics.map((d) => `${d.line}: ${d.code}: ${d.message}`);
    assert.deepEqual(messages, [
      '3: image-refused: image `out.png` refused: it is a link that leads out of the articles folder; only files inside the articles folder are embedded',
      '7: image-refused: image `pics` refused: not a regular file',
    ]);
    const book = await openEpub(result.epub!);
    assert.equal(book.names.filter((n) => n.startsWith('OEBPS/images/')).length, 1);
  });

  it('refuses an articles folder that is itself reached through a link only when the target leaves it', async () => {
    const dir = tempDir();
    writeTree(dir, { 'real/a.md': '# A\n\n![p](p.png)\n', 'real/p.png': PNG });
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'articles'));
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.images, 1);
  });

  it('never reads an article that links out of the folder', async () => {
    const dir = tempDir();
    writeTree(dir, { 'outside.md': '# Secret\n', 'articles/a.md': '# A\n' });
    fs.symlinkSync(path.join(dir, 'outside.md'), path.join(dir, 'articles/linked.md'));
    const result = await makeBook({ cwd: dir });
    assert.equal(result.chapters, 1);
    assert.deepEqual(result.diagnostics.map((d) => [path.basename(d.file!), d.code]), [['linked.md', 'article-refused']]);
  });

  it('embeds each image once, names it by content and types it by its bytes', async () => {
    const result = await makeBook({ cwd: path.join(FIXTURES, 'images'), remote: { offline: true } });
    const book = await openEpub(result.epub!);
    const images = book.names.filter((n) => n.startsWith('OEBPS/images/')).sort();
    assert.equal(images.length, 5, images.join(', '));
    const opf = await book.text('OEBPS/content.opf');
    for (const img of images) {
      const href = img.slice('OEBPS/'.length);
      const data = await book.bytes(img);
      const type = data.subarray(0, 4).toString('latin1') === 'GIF8' ? 'image/gif' : 'image/png';
      assert.ok(opf.includes(`href="${href}" media-type="${type}"`), `${href} is listed as ${type}`);
    }
    const chapter = await book.text('OEBPS/chapter-photos.xhtml');
    assert.ok(!/src="pics\//.test(chapter), 'no reference to the original paths');
    assert.ok(!chapter.includes('<script'), 'the SVG was drawn to PNG, its script gone');
    // Stored, not deflated again: images are already compressed.
    const methods = new Map(zipEntries(result.epub!).map((e) => [e.name, e.method]));
    for (const img of images) assert.equal(methods.get(img), 0, `${img} is stored`);
    assert.equal(methods.get('OEBPS/chapter-photos.xhtml'), 8, 'text is deflated');
  });

  it('keeps the book valid when an image is missing: alt text instead, one warning with its line', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\nSee ![the chart](chart.png) here.\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => [d.line, d.column, d.code]), [[3, 5, 'image-missing']]);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<p>See <span class="image-missing">the chart<\/span> here\.<\/p>/);
  });

  it("keeps a missing image's title: its text when it has no alt text, the fallback's title when it has", async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\nSee ![the chart](chart.png "Sales, 2024") and ![](map.png "The route we took") and ![same](x.png "same").\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['image-missing', 'image-missing', 'image-missing']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<p>See <span class="image-missing" title="Sales, 2024">the chart<\/span> and <span class="image-missing">The route we took<\/span> and <span class="image-missing">same<\/span>\.<\/p>/);
  });

  it('keeps a space between the alt texts of missing images side by side, and between one and a word, outside their links', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\n[![Build Status](build.svg)](https://ci.example/)[![Coverage](cov.svg)](https://cov.example/)\n\nSee the![chart](chart.png)here, ![](none.png)or (![map](map.png)).\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['image-missing', 'image-missing', 'image-missing', 'image-missing', 'image-missing']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<p><a href="https:\/\/ci\.example\/"><span class="image-missing">Build Status<\/span><\/a> <a href="https:\/\/cov\.example\/"><span class="image-missing">Coverage<\/span><\/a><\/p>/);
    assert.match(xhtml, /<p>See the <span class="image-missing">chart<\/span> here, or \(<span class="image-missing">map<\/span>\)\.<\/p>/);
  });

  it('puts no space between a missing image\'s alt text and a word of a script written without spaces', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\n这是![图标](icon.png)文字。\n\n日本語![アイコン](a.png)テキスト。\n\nภาษาไทย![รูป](b.png)ข้อความ\n\n[![Build](c.svg)](https://ci.example/)[![Coverage](d.svg)](https://cov.example/)\n' });
    const result = await makeBook({ cwd: dir });
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<p>这是<span class="image-missing">图标<\/span>文字。<\/p>/);
    assert.match(xhtml, /<p>日本語<span class="image-missing">アイコン<\/span>テキスト。<\/p>/);
    assert.match(xhtml, /<p>ภาษาไทย<span class="image-missing">รูป<\/span>ข้อความ<\/p>/);
    assert.match(xhtml, /<span class="image-missing">Build<\/span><\/a> <a href="https:\/\/cov\.example\/">/);
  });

  it('keeps a space between the alt texts of missing images side by side in a note at the end of the book', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\nText.[^n]\n\n[^n]: Built by ![Build Status](build.svg)![Coverage](cov.svg) here.\n' });
    const result = await makeBook({ cwd: dir, overrides: { notes: 'book' } });
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['image-missing', 'image-missing']);
    const notes = await (await openEpub(result.epub!)).text('OEBPS/notes.xhtml');
    assert.match(notes, /Built by <span class="image-missing">Build Status<\/span> <span class="image-missing">Coverage<\/span> here\./);
  });

  it('draws an SVG image three times as sharp as its own size (at most 2000 pixels a side) and shows it at its own size', async () => {
    const dir = tempDir();
    const svg = (w: number, h: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="teal"/><text x="4" y="${h / 2}">${w}</text></svg>`;
    writeTree(dir, { 'articles/a.md': '# A\n\n![small](small.svg)\n\n![wide](wide.svg)\n\n<img src="sized.svg" alt="sized" width="50">\n', 'articles/small.svg': svg(120, 40), 'articles/wide.svg': svg(1000, 400), 'articles/sized.svg': svg(100, 100) });
    const book = await openEpub((await makeBook({ cwd: dir })).epub!);
    const chapter = await book.text('OEBPS/chapter-a.xhtml');
    const pixels = async (alt: string) => {
      const src = new RegExp(`<img src="([^"]+)" alt="${alt}"`).exec(chapter)![1]!;
      const png = await book.bytes(`OEBPS/${src}`);
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    assert.deepEqual(await pixels('small'), [360, 120], 'three pixels for each CSS pixel');
    assert.deepEqual(await pixels('wide'), [2000, 800], 'at most 2000 pixels a side');
    assert.match(chapter, /alt="small" width="120" height="40"\/>/);
    assert.match(chapter, /alt="wide" width="1000" height="400"\/>/);
    assert.match(chapter, /alt="sized" width="50"\/>/, "the author's own width is kept");
  });
});
