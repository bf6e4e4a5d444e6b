// Books made for a reading system: `--target kobo` writes a KEPUB (every sentence in a Kobo span, the file
// named .kepub.epub, volumes too), `--target kindle` turns inline drawings into images; both stay valid
// EPUB and pass quire check. quire check's Kobo rules fire on books that are half a KEPUB.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { checkEpub } from '../src/check/index.js';
import { splitSentences } from '../src/render/kobo.js';
import { epubcheck, FIXTURES, openEpub, problems, runCli, tempDir, writeTree } from './helpers.js';

const XHTML = 'http://www.w3.org/1999/xhtml';

/** Build a fixture's articles for a reading system, in a folder of its own; the book's path. */
async function buildFixture(fixture: string, target: 'kobo' | 'kindle'): Promise<string> {
  const dir = tempDir();
  fs.cpSync(path.join(FIXTURES, fixture, 'articles'), path.join(dir, 'articles'), { recursive: true });
  const r = await runCli(['build', 'articles', '--target', target, '--no-cache'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return path.join(dir, 'output', target === 'kobo' ? 'book.kepub.epub' : 'book.epub');
}

/** Text of a chapter's body outside Kobo spans (and outside code, math and SVG, which keep no spans). */
function textOutsideSpans(xhtml: string): { outside: string[]; spans: string[]; text: string } {
  const parser = new SaxesParser({ xmlns: true });
  const stack: { local: string; kobo: boolean; uri: string }[] = [];
  const outside: string[] = [];
  const spans: string[] = [];
  let text = '';
  let inBody = false;
  parser.on('opentag', (t) => {
    if (t.local === 'body') inBody = true;
    const kobo = t.local === 'span' && String(t.attributes.class?.value ?? '') === 'koboSpan';
    if (kobo) spans.push(String(t.attributes.id?.value));
    stack.push({ local: t.local, kobo, uri: t.uri });
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (s) => {
    if (!inBody) return;
    text += s;
    if (!s.trim()) return;
    if (stack.some((e) => e.kobo || ['pre', 'math'].includes(e.local) || e.uri !== XHTML)) return;
    outside.push(s);
  });
  parser.write(xhtml).close();
  return { outside, spans, text };
}

const visibleText = (xhtml: string) => textOutsideSpans(xhtml).text.replace(/\s+/g, ' ').trim();

describe('targets', () => {
  it('splits text into sentences, keeping every character', () => {
    assert.deepEqual(splitSentences('One. Two! "Three?" Four… five'), ['One. ', 'Two! ', '"Three?" ', 'Four… ', 'five']);
    assert.deepEqual(splitSentences('No end'), ['No end']);
    assert.deepEqual(splitSentences('e.g. 3.14 is pi. '), ['e.g. ', '3.14 is pi. ']);
    assert.deepEqual(splitSentences('これは文です。二番目の文です！「三番目？」はい。'), ['これは文です。', '二番目の文です！', '「三番目？」', 'はい。']);
    assert.deepEqual(splitSentences('مرحبا بالعالم. هذه ثالثة؟ نعم.'), ['مرحبا بالعالم. ', 'هذه ثالثة؟ ', 'نعم.']);
    assert.deepEqual(splitSentences('यह वाक्य है। दूसरा।'), ['यह वाक्य है। ', 'दूसरा।']);
  });

  it('--target kobo writes a valid .kepub.epub with every sentence in a Kobo span and the same text', async () => {
    const dir = tempDir();
    for (const fixture of ['footnotes', 'gfm', 'math']) fs.cpSync(path.join(FIXTURES, fixture, 'articles'), path.join(dir, 'articles'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'articles', 'book.yaml'), { force: true });
    const kobo = await runCli(['build', 'articles', '--target', 'kobo', '--no-cache'], { cwd: dir });
    assert.equal(kobo.code, 0, kobo.stderr);
    assert.match(kobo.stdout, /wrote output\/book\.kepub\.epub/);
    assert.ok(!fs.existsSync(path.join(dir, 'output', 'book.epub')), 'no plain book.epub beside it');
    const plain = await runCli(['build', 'articles', '-o', 'plain/book.epub', '--no-cache'], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);

    const file = path.join(dir, 'output', 'book.kepub.epub');
    assert.equal(problems(await epubcheck(file)), '');
    assert.deepEqual(await checkEpub(file, { epubcheck: false }), [], 'quire check (Kobo rules included) finds nothing');

    const book = await openEpub(fs.readFileSync(file));
    const plainBook = await openEpub(fs.readFileSync(path.join(dir, 'plain', 'book.epub')));
    const chapters = book.names.filter((n) => /^OEBPS\/chapter-.*\.xhtml$/.test(n));
    assert.equal(chapters.length, 3);
    for (const name of chapters) {
      const xhtml = await book.text(name);
      const { outside, spans } = textOutsideSpans(xhtml);
      assert.deepEqual(outside, [], `${name}: all text is in Kobo spans`);
      assert.ok(spans.length > 3, `${name} has spans`);
      assert.equal(new Set(spans).size, spans.length, `${name}: span ids are unique`);
      for (const id of spans) assert.match(id, /^kobo\.\d+\.\d+$/);
      assert.deepEqual(spans.slice(0, 2), ['kobo.1.1', 'kobo.2.1'], `${name}: numbered from the title on`);
      assert.match(xhtml, /<body>\n<div id="book-columns"><div id="book-inner">\n<section class="chapter"/);
      assert.equal(visibleText(xhtml), visibleText(await plainBook.text(name)), `${name}: the words are the plain book's`);
    }
  });

  it('names every volume of a Kobo book .kepub.epub', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\nOne.\n', 'articles/b.md': '# B\n\nTwo.\n' });
    const r = await runCli(['build', 'articles', '--target', 'kobo', '--split', '1', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')).sort(), ['book-1.kepub.epub', 'book-2.kepub.epub']);
  });

  it('keeps Kobo spans in the notes at the end of the book, numbered on from chapter to chapter', async () => {
    const file = await buildFixture('notes-book', 'kobo');
    assert.deepEqual(await checkEpub(file, { epubcheck: false }), []);
    const { outside, spans } = textOutsideSpans(await (await openEpub(fs.readFileSync(file))).text('OEBPS/notes.xhtml'));
    assert.deepEqual(outside, []);
    assert.equal(new Set(spans).size, spans.length, 'span ids are unique across the chapters\' notes');
    assert.equal(problems(await epubcheck(file)), '');
  });

  it('--target kindle turns inline SVG into a PNG image and stays valid', async () => {
    const file = await buildFixture('svg-mathml', 'kindle');
    assert.equal(problems(await epubcheck(file)), '');
    const book = await openEpub(fs.readFileSync(file));
    const chapter = await book.text('OEBPS/chapter-figures.xhtml');
    assert.doesNotMatch(chapter, /<svg/);
    const img = /<img src="(images\/[0-9a-f]+\.png)" alt="A box" class="drawing" width="\d+" height="\d+"\/>/.exec(chapter);
    assert.ok(img, 'the drawing is an image, described by its aria-label, shown at its own size');
    assert.deepEqual([...(await book.bytes(`OEBPS/${img[1]}`)).subarray(1, 4)], [...Buffer.from('PNG')]);
    const opf = await book.text('OEBPS/content.opf');
    assert.match(opf, /<item id="chapter-figures" href="chapter-figures.xhtml" media-type="application\/xhtml\+xml" properties="mathml"\/>/, 'no svg property left, MathML kept');
    assert.deepEqual((await checkEpub(file, { epubcheck: false })).filter((f) => f.source === 'kindle'), []);
  });

  it('quire check flags a book that is half a KEPUB', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\nOne. Two.\n' });
    assert.equal((await runCli(['build', 'articles', '--target', 'kobo', '--no-cache'], { cwd: dir })).code, 0);
    assert.equal((await runCli(['build', 'articles', '--no-cache'], { cwd: dir })).code, 0);
    const kepub = fs.readFileSync(path.join(dir, 'output', 'book.kepub.epub'));
    // Kobo spans under a plain name.
    fs.writeFileSync(path.join(dir, 'renamed.epub'), kepub);
    assert.deepEqual((await checkEpub(path.join(dir, 'renamed.epub'), { epubcheck: false })).map((f) => f.code), ['kobo-kepub-name']);
    // A plain book under a KEPUB name.
    fs.copyFileSync(path.join(dir, 'output', 'book.epub'), path.join(dir, 'plain.kepub.epub'));
    const plain = await checkEpub(path.join(dir, 'plain.kepub.epub'), { epubcheck: false });
    assert.deepEqual(plain.map((f) => [f.code, f.file]), [['kobo-no-spans', path.join(dir, 'plain.kepub.epub', 'OEBPS/chapter-a.xhtml')]]);
    // A span with a made-up id.
    const zip = await JSZip.loadAsync(kepub);
    const name = 'OEBPS/chapter-a.xhtml';
    zip.file(name, (await zip.file(name)!.async('string')).replace('id="kobo.2.1"', 'id="sentence-one"'));
    fs.writeFileSync(path.join(dir, 'bad.kepub.epub'), await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const bad = await checkEpub(path.join(dir, 'bad.kepub.epub'), { epubcheck: false });
    assert.ok(bad.some((f) => f.code === 'kobo-span-id' && f.severity === 'error' && /`sentence-one`/.test(f.message)), JSON.stringify(bad));
  });

  it('reads --notes, --no-math and --no-highlight from the command line over book.yaml', async () => {
    const dir = writeTree(tempDir(), {
      'articles/book.yaml': 'notes: chapter\nmath: true\nhighlight: true\n',
      'articles/a.md': '# A\n\nNote[^1] and $x^2$.\n\n```js\nconst a = 1;\n```\n\n[^1]: The note.\n',
    });
    const r = await runCli(['build', 'articles', '--notes', 'book', '--no-math', '--no-highlight', '--no-cache'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output', 'book.epub')));
    assert.ok(book.names.includes('OEBPS/notes.xhtml'));
    const chapter = await book.text('OEBPS/chapter-a.xhtml');
    assert.match(chapter, /\$x\^2\$/);
    assert.doesNotMatch(chapter, /<math|hljs/);
    const bad = await runCli(['build', 'articles', '--notes', 'margin'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--notes <where>.*margin.*footnotes, chapter, book|Allowed choices are footnotes, chapter, book/s);
  });
});
