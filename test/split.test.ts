// Volumes: --split N and --split-by year write several books, each valid with its own contents page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { epubcheck, openEpub, problems, runCli, tempDir, writeTree } from './helpers.js';

function archive(): string {
  const dir = tempDir();
  const dates = ['2021-03-01', '2021-11-20', '2022-01-05', undefined, '2022-07-07'];
  writeTree(
    dir,
    Object.fromEntries(
      dates.map((date, i) => [
        `articles/a${i + 1}.md`,
        `---\ntitle: Article ${i + 1}\n${date ? `date: ${date}\n` : ''}---\n\nText ${i + 1}. See [the first](a1.md).\n\n## Section ${i + 1}\n`,
      ]),
    ),
  );
  writeTree(dir, { 'articles/book.yaml': 'title: Archive\n' });
  return dir;
}

async function contents(file: string): Promise<{ title: string; toc: string[]; id: string }> {
  const book = await openEpub(fs.readFileSync(file));
  const opf = await book.text('OEBPS/content.opf');
  const nav = await book.text('OEBPS/toc.xhtml');
  return {
    title: /<dc:title id="title">([^<]+)</.exec(opf)![1]!,
    id: /<dc:identifier id="book-id">([^<]+)</.exec(opf)![1]!,
    toc: [...nav.matchAll(/<a href="chapter-[^"#]+\.xhtml">([^<]+)<\/a>/g)].map((m) => m[1]!),
  };
}

describe('volumes', () => {
  it('--split 2 writes volumes of two articles, each a valid book with its own contents', async () => {
    const dir = archive();
    const r = await runCli(['build', '--split', '2'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote output\/book-1\.epub, output\/book-2\.epub, output\/book-3\.epub \(3 volumes\): 5 chapters/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')).sort(), ['book-1.epub', 'book-2.epub', 'book-3.epub']);
    const volumes = await Promise.all([1, 2, 3].map((n) => contents(path.join(dir, `output/book-${n}.epub`))));
    assert.deepEqual(volumes.map((v) => v.title), ['Archive (1 of 3)', 'Archive (2 of 3)', 'Archive (3 of 3)']);
    assert.deepEqual(volumes.map((v) => v.toc), [['Article 1', 'Article 2'], ['Article 3', 'Article 4'], ['Article 5']]);
    assert.equal(new Set(volumes.map((v) => v.id)).size, 3, 'each volume has its own identifier');
    // Links into another volume keep their text, with a warning naming the volume.
    const warnings = r.stderr.trim().split('\n');
    assert.deepEqual(warnings, [
      'articles/a3.md:6:13: warning: link to `a1.md`, which is in volume 1; the link is kept as text [link-other-volume]',
      'articles/a4.md:5:13: warning: link to `a1.md`, which is in volume 1; the link is kept as text [link-other-volume]',
      'articles/a5.md:6:13: warning: link to `a1.md`, which is in volume 1; the link is kept as text [link-other-volume]',
    ]);
    const checked = await Promise.all([1, 3].map((n) => epubcheck(path.join(dir, `output/book-${n}.epub`))));
    checked.forEach((r, i) => assert.equal(problems(r), '', `volume ${[1, 3][i]}`));
  });

  it('--split-by year writes one volume per year, undated articles last', async () => {
    const dir = archive();
    const r = await runCli(['build', '--split-by', 'year', '-q'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')).sort(), ['book-2021.epub', 'book-2022.epub', 'book-undated.epub']);
    const y2022 = await contents(path.join(dir, 'output/book-2022.epub'));
    assert.equal(y2022.title, 'Archive, 2022');
    assert.deepEqual(y2022.toc, ['Article 3', 'Article 5']);
    assert.deepEqual((await contents(path.join(dir, 'output/book-undated.epub'))).toc, ['Article 4']);
    assert.equal(problems(await epubcheck(path.join(dir, 'output/book-2022.epub'))), '');
  });

  it('refuses --split with --split-by, and a split size that is not a number', async () => {
    const dir = archive();
    assert.equal((await runCli(['build', '--split', '2', '--split-by', 'year'], { cwd: dir })).code, 2);
    assert.equal((await runCli(['build', '--split', '0'], { cwd: dir })).code, 2);
    assert.equal((await runCli(['build', '--split-by', 'month'], { cwd: dir })).code, 2);
  });
});
