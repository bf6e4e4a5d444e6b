// Hostile and pathological articles: quire finishes, says what it did, and the book stays valid.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { epubcheck, openEpub, problems, tempDir, writeTree } from './helpers.js';

describe('pathological input', async () => {
  const dir = tempDir();
  writeTree(dir, {
    'articles/deep-quote.md': `${'> '.repeat(3000)}deep\n`,
    'articles/deep-list.md': Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n'),
    'articles/deep-html.md': `${'<div>'.repeat(20000)}deep text${'</div>'.repeat(20000)}\n`,
    'articles/deep-svg.md': `<svg>${'<g>'.repeat(5000)}<text>t</text>${'</g>'.repeat(5000)}</svg>\n`,
    'articles/long-line.md': `${'word '.repeat(1_500_000)}\n`,
    'articles/brackets.md': `${'['.repeat(50000)}\n\n${'*a **b '.repeat(5000)}\n`,
    'articles/svg-text.md': '<svg>loose text<g>more</g><text>kept</text></svg> <math>stray<mi>x</mi></math>\n',
    'articles/laughs.md': '<svg><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><text>&b;</text></svg>\n\nAfter.\n',
    'articles/controls.md': `# Controls\n\nNUL [\u0000] escape [\u001b] DEL [\u007f] C1 [\u0085] BOM [\ufeff] noncharacter [\uffff] lone surrogate [\ud800]\n`,
  });
  const started = Date.now();
  const result = await makeBook({ cwd: dir });
  const elapsed = Date.now() - started;
  const book = await openEpub(result.epub!);

  it('finishes, with every article in the book', () => {
    assert.equal(result.chapters, 9);
    assert.ok(elapsed < 60_000, `took ${elapsed} ms`);
  });

  it('includes over-deep and over-long Markdown as plain text, with a warning naming the file', () => {
    const plain = result.diagnostics.filter((d) => d.code === 'article-plain-text').map((d) => path.basename(d.file!)).sort();
    assert.deepEqual(plain.filter((f) => f !== 'long-line.md'), ['deep-list.md', 'deep-quote.md']);
  });

  it('keeps a very long line', async () => {
    const xhtml = await book.text('OEBPS/chapter-long-line.xhtml');
    assert.ok(xhtml.length > 7_000_000);
  });

  it('flattens HTML nested too deep for a reader, keeping its text', async () => {
    const xhtml = await book.text('OEBPS/chapter-deep-html.xhtml');
    assert.match(xhtml, /deep text/);
    assert.ok((xhtml.match(/<div>/g) ?? []).length <= 100);
  });

  it('expands no entities declared in the markup', async () => {
    const xhtml = await book.text('OEBPS/chapter-laughs.xhtml');
    assert.ok(!xhtml.includes('aaaaaaaaaa'));
    assert.ok(!/<!DOCTYPE x|<!ENTITY/.test(xhtml));
  });

  it('removes characters XML forbids', async () => {
    const xhtml = await book.text('OEBPS/chapter-controls.xhtml');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\uffff]|[\ud800-\udfff]/.test(xhtml));
    assert.match(xhtml, /NUL \[[^\]]*\] escape \[\]/);
  });

  it('is a valid book', async () => {
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });
});
