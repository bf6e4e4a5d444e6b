// Diagnostics as users read them: where they point in the Markdown, and how repeated ones are summarised.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnostics, makeBook } from '../src/index.js';
import { openEpub, runCli, tempDir, writeTree } from './helpers.js';

async function warningsOf(body: string): Promise<string[]> {
  const dir = writeTree(tempDir(), { 'articles/a.md': body });
  const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${/`([^`]+)`/.exec(d.message)?.[1] ?? d.code}`);
}

describe('diagnostic positions', () => {
  it('point at links whose text spans lines inside list items and quotes', async () => {
    const body = [
      '# T', // 1
      '',
      '- first line', // 3
      '  item with [a link', // 4
      '  that spans](m1.md) lines',
      '',
      '> first line', // 7
      '> quote with [a link', // 8
      '> spanning](m2.md) lines',
      '',
      '1. one', // 11
      '   > nested',
      '   > [quote', // 13
      '   > link](m3.md)',
      '',
    ].join('\n');
    assert.deepEqual(await warningsOf(body), ['4:13 m1.md', '8:14 m2.md', '13:6 m3.md']);
  });

  it('point at the right block after a line holding only a space inside a list item', async () => {
    const body = [
      '- item', // 1
      ' ',
      '  > quoted [link](m1.md)', // 3
      '',
      '- a', // 5
      ' ',
      '  ```',
      '  code',
      '  ```',
      ' ',
      '  after code [x](m2.md)', // 11
      '',
      '- last',
      '',
    ].join('\n');
    assert.deepEqual(await warningsOf(body), ['3:12 m1.md', '11:14 m2.md']);
  });
});

describe('dropped HTML', () => {
  it('points at each element of a raw HTML line, not all at the first, and at a media element before its closing tag', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\n<p>One <audio src="a.mp3"></audio> two <audio src="b.mp3"></audio> three <title>T1</title> <title>T2</title></p>\n\n<video src="clip.mp4"></video>\n' });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`),
      ['3:8 html-media-dropped', '3:40 html-media-dropped', '3:74 html-text-dropped', '3:92 html-text-dropped', '5:1 html-media-dropped'],
    );
  });

  it('says so of a picture an inline <svg> draws from a file or an address, at its <image>', async () => {
    const svg = '<svg viewBox="0 0 10 10" width="100"><circle cx="5" cy="5" r="4"/>\n  <image href="photo.png" width="10" height="10"/><image xlink:href="https://example.com/p.jpg"/><use href="#c"/></svg>';
    const dir = writeTree(tempDir(), { 'articles/a.md': `# A\n\nText.\n\n${svg}\n` });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`),
      [
        '6:3 warning html-media-dropped <image> of photo.png in an inline <svg> left out: a drawing in an e-book may only refer to its own document; show the picture with ![alt](photo.png) or <img> beside the drawing',
        '6:51 warning html-media-dropped <image> of https://example.com/p.jpg in an inline <svg> left out: a drawing in an e-book may only refer to its own document; show the picture with ![alt](https://example.com/p.jpg) or <img> beside the drawing',
      ],
    );
  });
});

describe('table rows longer than their header', () => {
  it('say which cells are not shown, at their row, in lists too; escaped pipes do not count', async () => {
    const md = '# A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 1 | 2 | three | four |\n| x \\| y | z |\n\n- item\n\n  | h |\n  |---|\n  | 1 | 2 |\n';
    const dir = writeTree(tempDir(), { 'articles/a.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`),
      [
        '6:1 table-cells-dropped this table row has 4 cells and its header 2: the last 2 ("three | four") are not shown, as on GitHub; add a column to the header to keep them',
        '13:1 table-cells-dropped this table row has 2 cells and its header 1: the last one ("2") is not shown, as on GitHub; add a column to the header to keep them',
      ],
    );
  });
});

describe('fenced containers left as text', () => {
  it('are warned of at the first fence nested too deep, and at the first not looked at once the budget is spent', async () => {
    const deep = `# A\n\n${Array.from({ length: 34 }, (_, i) => `::: box${i}\n`).join('')}inside\n${':::\n'.repeat(34)}`;
    const open = `# B\n\n${'::: a\n\n'.repeat(2000)}`;
    const fine = `# C\n\n${'::: a\n'.repeat(32)}inside\n${':::\n'.repeat(32)}`;
    // The budget spent by a paragraph looking for a container that starts inside it (each `::::{note}` looked
    // through the rest for its end): its fences, and the note closed at the end, were text with no word.
    const paragraph = `# D\n\n${'::::{note}\n:::\n'.repeat(10_000)}::::\n`;
    const dir = writeTree(tempDir(), { 'articles/a.md': deep, 'articles/b.md': open, 'articles/c.md': fine, 'articles/d.md': paragraph });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(
      result.diagnostics.map((d) => `${path.basename(d.file ?? '')} ${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`),
      [
        'a.md 35:1 warning container-not-read containers are nested more than 32 deep here: those past that are shown as text, their fences and all',
        "b.md 283:1 warning container-not-read this container and those after it are shown as text, their fences and all: the article's fences were looked through for their ends 64 times its length",
        "d.md 145:1 warning container-not-read this container and those after it are shown as text, their fences and all: the article's fences were looked through for their ends 64 times its length",
      ],
    );
    // The boxes around it are kept, the text of those too deep shown as written.
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.equal((xhtml.match(/<div class="box\d+">/g) ?? []).length, 32);
    assert.match(xhtml, /<div class="box31">\s*<p>::: box32\s+::: box33\s+inside\s+:::\s+:::<\/p>/);
  });
});

describe('HTML left open', () => {
  it('is ended where the text after it starts, with a warning at its line; the text after it is shown', async () => {
    const md = [
      '# A', '', 'Intro.', '',
      '<!-- a note to self', 'still the note', '', 'After the comment.', '',
      '- item', '', '  <script>', '  let a;', '', '  In the item.', '',
      '<div title="x>', 'In the div.', '</div>', '',
      'After the div.', '',
      '> <?php echo 1;', '>', '> In the quote.', '',
      '<!-- a last comment, left open', '',
    ].join('\n');
    // A comment whose `-->` was forgotten before another comment's; a declaration whose `>` is missing.
    const reopened = '# C\n\n<!-- TODO: fix this\n\nPara A\n\n<!-- another comment -->\n\nPara B\n\n<!DOCTYPE html\n\nPara C\n\n<p title="a">x</p>\n';
    // Not left open: a script's text (`a <b`, a quote in it), a `<pre>` with a blank line inside.
    const fine = '# B\n\n<div>\n<script>if (a <b) x = "y;</script>\n</div>\n\n<pre>\none\n\ntwo\n</pre>\n\nEnd.\n';
    const dir = writeTree(tempDir(), { 'articles/a.md': md, 'articles/b.md': fine, 'articles/c.md': reopened });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.file!.endsWith('a.md') ? '' : `${path.basename(d.file!)} `}${d.line}:${d.column} ${d.code} ${d.message.split(':')[0]}`),
      ['5:1 html-unclosed `<!--` is not closed', '12:3 html-unclosed `<script>` is not closed', '17:1 html-unclosed this HTML tag\'s attribute value is not closed (`"`)', '23:3 html-unclosed `<?` is not closed', 'c.md 3:1 html-unclosed `<!--` is not closed', 'c.md 11:1 html-unclosed `<!DOCTYPE…` is not closed'],
    );
    const book = await openEpub(result.epub!);
    const c = await book.text('OEBPS/chapter-c.xhtml');
    for (const text of ['<p>Para A</p>', '<p>Para B</p>', '<p>Para C</p>', '<p title="a">x</p>']) assert.ok(c.includes(text), text);
    const xhtml = await book.text('OEBPS/chapter-a.xhtml');
    for (const text of ['<p>After the comment.</p>', '<p>In the item.</p>', 'In the div.', '<p>After the div.</p>', '<p>In the quote.</p>']) assert.ok(xhtml.includes(text), text);
    for (const hidden of ['note to self', 'let a', 'echo', 'a last comment']) assert.ok(!xhtml.includes(hidden), hidden);
    assert.match(xhtml, /<div title="x&gt;">\s*In the div\.\s*<\/div>/);
  });
  it('is ended at the end of its quote, list item, container or definition when no blank line is in it', async () => {
    const md = '# T\n\n> <!--\n> zq1\n\nzq2\n\n- <!--\n  x\n\nzq3\n\n1. <pre>\n   code\n\nzq4\n\n::: tip\n<!--\nx\n:::\n\nzq5\n\nTerm\n: <!-- x\n\nzq6\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(':')[0]}`), ['3:3 html-unclosed `<!--` is not closed', '8:3 html-unclosed `<!--` is not closed', '13:4 html-unclosed `<pre>` is not closed', '19:1 html-unclosed `<!--` is not closed', '26:3 html-unclosed `<!--` is not closed']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    for (const text of ['zq2', 'zq3', '<pre>code</pre>', 'zq4', 'zq5', 'zq6']) assert.ok(xhtml.includes(text), text);
  });
  it('is ended at the end of its block when a comment opens after an end (`<!-- a --> <!-- b`) or inside a tag block', async () => {
    const md = '# T\n\n<!-- a --> <!-- hb1\n\nzc1\n\n<div>\n<!-- hn2\n</div>\n\nzc2\n\n> <div>\n> x <!-- hy3\n\nzc3\n\n<div title="<!--">zc4</div>\n\n<div><script>var s = "<!--"</script></div>\n\nzc5\n\n<!-- c --> <!-- hd4\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    // The last block has nothing after it to hide; the attribute's and the script's `<!--` open no comment.
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(':')[0]}`), ['3:12 html-unclosed `<!--` is not closed', '8:1 html-unclosed `<!--` is not closed', '14:5 html-unclosed `<!--` is not closed']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    for (const text of ['<p>zc1</p>', '<p>zc2</p>', '<p>zc3</p>', 'zc4', '<p>zc5</p>']) assert.ok(xhtml.includes(text), text);
    // What the comments hold stays hidden, as its author meant.
    for (const hidden of ['hb1', 'hn2', 'hy3', 'hd4']) assert.ok(!xhtml.replace(/<!--[^]*?-->/g, '').includes(hidden), hidden);
  });
  it('is not ended where the author ends it later, nor where no comment opens; notes after a last open comment are kept', async () => {
    const md = [
      '# T',
      // A comment written across paragraphs in a div, closed further on: what it hides stays hidden.
      '<div>\n<!--\n\nhp1\n\n-->\n</div>',
      'zk1',
      // `<!--` in attribute values (spaces around `=`, an end tag's), a bogus comment, a declaration: no comment.
      '<div title = "a>b <!-- c">zk2</div>',
      '<div>\n</div title="<!--">',
      'zk3',
      '<div>\n<![CDATA[ x <!-- y ]]>\n<? <!-- ?>\n</div>',
      'zk4',
      '> <!-- a --> <!-- hq2\n> zk5',
      'zk6',
      'Noted[^1].',
      '[^1]: zk7',
      '<div>\n<!-- TODO: hp3\n',
    ].join('\n\n');
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    // The quote's warning is at the comment left open, not at the closed one before it.
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), ['27:14 html-unclosed']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    for (const text of ['<p>zk1</p>', 'zk2', '<p>zk3</p>', '<p>zk4</p>', 'zk5', '<p>zk6</p>', 'zk7']) assert.ok(xhtml.includes(text), text);
    for (const hidden of ['hp1', 'hq2', 'hp3', '–&gt;', '--&gt;']) assert.ok(!xhtml.replace(/<!--[^]*?-->/g, '').includes(hidden), hidden);
  });
  it('ends a `<table>` before Markdown it holds outside its cells, which a browser moves above the table', async () => {
    const md = [
      '# T',
      'zt1',
      // A forgotten `</table>`; and one a comment left open hides.
      '<table>\n<tr><td>zt2</td></tr>',
      'zt3 **zt4**',
      '## zt5',
      '<table class="b">\n<tr><td>zt6</td></tr>\n<!-- hidden\n</table>',
      '- zt7',
      // Markdown in a cell, across blocks, is where its author put it; so is a table closed in order.
      '<table>\n<tr>\n<td>',
      '*zt8*',
      '</td>\n</tr>\n</table>',
      'zt9',
      // Text between rows written in the raw HTML itself is left as a browser shows it, without a warning.
      '<table><tr><td>zt11</td></tr>zt10<tr><td>zt12</td></tr></table>',
      'zt13',
    ].join('\n\n');
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(':')[0]}`), [
      '14:1 html-unclosed `<!--` is not closed',
      '5:1 html-unclosed `<table>` holds Markdown outside its cells, which a browser would move above the table',
      '12:1 html-unclosed `<table>` holds Markdown outside its cells, which a browser would move above the table',
    ]);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    const text = xhtml.replace(/<!--[^]*?-->/g, '').replace(/<[^>]*>/g, ' ');
    const order = ['zt1', 'zt2', 'zt3', 'zt4', 'zt5', 'zt6', 'zt7', 'zt8', 'zt9', 'zt10', 'zt11', 'zt12', 'zt13'].map((w) => text.search(new RegExp(`\\b${w}\\b`)));
    assert.ok(order.every((at) => at >= 0), String(order));
    assert.deepEqual(order.slice(0, 9), [...order.slice(0, 9)].sort((a, b) => a - b));
    assert.match(xhtml, /<td>\s*<p><em>zt8<\/em><\/p>\s*<\/td>/);
    assert.ok(!text.includes('hidden'));
  });
  it('warns at an inline formatting element left open that a browser carries into the blocks after its own', async () => {
    const md = [
      '# T',
      // Closed in its paragraph, closed by Markdown's own emphasis, an anchor, a line break, a table cell: no spill.
      'Closed <b>zf1</b> here, <i>and *zf2* too</i>; <a name="x"></a>anchor, <a name="y"> open anchor, a <br> break.',
      '| a | b |\n| - | - |\n| <code>zf3 | x |',
      // iso-codes' changelog: `<code>` written in a sentence and never closed.
      'Codes to <country_code>-<code> instead of zf4',
      '- zf5\n- zf6',
      '## zf7',
      'An <em>emphasis zf8',
      'closed two paragraphs on zf9 </em> zf10',
    ].join('\n\n') + '\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`), [
      '9:25 warning html-unclosed: `<code>` is not closed in its block: the 5 blocks after it are shown in code font too, to the end of the chapter, as a browser shows them; close it (`</code>`) where it should end',
      '16:4 warning html-unclosed: `<em>` is not closed in its block: the block after it is shown in italics too, to its end tag on line 18, as a browser shows them; close it (`</em>`) where it should end',
    ]);
    // The book shows what a browser shows: the paragraphs after it in code font, nothing left out (the
    // anchor left open is carried on too, as spans, which change nothing that is seen).
    const xhtml = (await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml')).replace(/<\/?span[^>]*>/g, '');
    for (const text of ['<b>zf1</b>', '<td><code>zf3</code></td>', '&lt;country_code&gt;-<code> instead of zf4</code></p>', '<li><code>zf5</code></li>', '<code>zf7</code></h2>', '<code><em>closed two paragraphs on zf9 </em> zf10</code>']) assert.ok(xhtml.includes(text), text);
  });
  it('does not warn at a formatting element closed on its own line around the blocks it holds', async () => {
    // A card made a link on purpose, in a paragraph: the parser ends the paragraph at the `<p>` and makes the
    // link again in each block, to its end tag on the same line (it warned "not closed", "close it").
    // Nor is Markdown's own link or emphasis around raw HTML's block, which Marked closes (it was warned of
    // at the raw HTML before it, "close it (`</a>`)").
    const md = '# T\n\n<a href="https://example.com/"><p>Card title</p><p>Card body</p></a>\n\nText <a href="https://example.com/"><div>Card</div></a> more.\n\nNext para.\n\nAn <em>emphasis\n\nclosed a paragraph on </em> here.\n\nText [<div>zc1</div>](https://example.com/) more, *em <div>zc2</div> end*.\n\nLast.\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), ['9:4 html-unclosed']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    for (const text of ['<a href="https://example.com/">Card title</a>', '<a href="https://example.com/">Card body</a>', '<div><a href="https://example.com/">Card</a></div>']) assert.ok(xhtml.includes(text), text);
    // The card as the chapter's last block was reported, "to the end of the chapter".
    const last = writeTree(tempDir(), { 'articles/t.md': '# T\n\nText.\n\n<a href="https://example.com/"><div>Card</div></a>\n' });
    assert.deepEqual((await makeBook({ cwd: last, articlesDir: 'articles' })).diagnostics, []);
  });
  it('warns at a formatting element alone on its line and never closed, which holds the rest of the chapter', async () => {
    // No copy is made of it: the blocks after it are its own children, all bold, without a word.
    const md = '# T\n\nBefore.\n\n<b>\n\nFirst zb1.\n\nSecond zb2.\n\n## Later\n\n<a href="https://example.com/">\n\nCard zb3.\n\n</a>\n\n<a name="here">\n\nzb4\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    // The link around blocks closed on a line of its own, and the anchor, are not warned of.
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`), [
      '5:1 warning html-unclosed: `<b>` is not closed in its block: the 5 blocks after it are shown in bold too, to the end of the chapter, as a browser shows them; close it (`</b>`) where it should end',
    ]);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    assert.match(xhtml, /<p><b>First zb1\.<\/b><\/p>\n<p><b>Second zb2\.<\/b><\/p>\n<h2 id="later"><b>Later<\/b><\/h2>/);
  });
  it('finds the end tag of a link around blocks after a footnote written before it, whose text goes to the end of the chapter', async () => {
    // The footnote's raw HTML is written after the figure's: its end tags were out of the source's order.
    const md = '# T\n\nText[^1]\n\n[^1]: <a href="https://o.example/"><div>In note</div></a>\n\n<figure><a href="https://q.example/"><figcaption>Caption</figcaption></a></figure>\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), []);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    assert.match(xhtml, /<figure><a href="https:\/\/q\.example\/"><div>Caption<\/div><\/a><\/figure>/);
  });
  it("gives a formatting element's copies in the blocks after it none of its id: only the one written is an anchor", async () => {
    const md = '# T\n\nIntro <a name="x">anchor text\n\nNext para.\n\n- item\n\n## Head\n\nMore <b id="bb">bold\n\nAfter.\n\nLink to [x](#x) and [bb](#bb).\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), ['11:6 html-unclosed']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    // Each copy was an anchor of its own, `<span id="x-1">Next para.</span>`, `x-2`… and `bb-1`, `bb-2`.
    assert.deepEqual([...xhtml.matchAll(/ id="(x|bb)[^"]*"/g)].map((m) => m[0]), [' id="x"', ' id="bb"']);
    assert.match(xhtml, /<p>Intro <span id="x">anchor text<\/span><\/p>\n<p><span>Next para\.<\/span><\/p>/);
    assert.match(xhtml, /<p><span>More <b id="bb">bold<\/b><\/span><\/p>\n<p><span><b>After\.<\/b><\/span><\/p>\n<p><b><span>Link to <\/span><a href="#x">x<\/a> and <a href="#bb">bb<\/a>\.<\/b><\/p>/);
  });
  it('finds formatting elements left open in linear time (20,000 paragraphs each opening a `<b>`)', async () => {
    const dir = writeTree(tempDir(), { 'articles/t.md': `# T\n\n${'x <b>y\n\n'.repeat(20_000)}` });
    const started = performance.now();
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    // Each copy's subtree walked (the copies nest, one inside the next), this took over a minute; a linear
    // walk takes two seconds, and the bound is far above it, for a busy machine.
    assert.ok(performance.now() - started < 20_000);
    assert.equal(result.diagnostics.filter((d) => d.code === 'html-unclosed').length, 19_999);
  });
  it('shows a `<` in an HTML block that starts no tag a writer meant (`if a<b then`, `I </3 it`)', async () => {
    const md = '# T\n\n<table><tr><td>if x<y then zr1</td></tr></table>\n\n<div>I </3 Mondays, zr2.</div>\n\n<p>when n<m holds zr3</p>\n\n<div><a href="https://x.org" title="a<b">zr4</a> <b>zr5</b></div>\n\nzr6\n';
    const dir = writeTree(tempDir(), { 'articles/t.md': md });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    for (const text of ['<td>if x&lt;y then zr1</td>', '<div>I &lt;/3 Mondays, zr2.</div>', '<p>when n&lt;m holds zr3</p>', 'title="a&lt;b">zr4</a> <b>zr5</b></div>', '<p>zr6</p>']) assert.ok(xhtml.includes(text), text);
  });
  it('are looked for in linear time (50,000 comments ended by `--!>` in one block)', async () => {
    const dir = writeTree(tempDir(), { 'articles/t.md': `# T\n\n<div>\n${'<!-- x --!>\n'.repeat(50_000)}\n\nzl1\n` });
    const started = performance.now();
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    // Quadratic, this took 50 s; the bound is far above a linear read's second, for a busy machine.
    assert.ok(performance.now() - started < 20_000);
    assert.deepEqual(result.diagnostics, []);
  });
});

describe('repeated warnings', () => {
  // Six links to the site's own pages, two missing images, one missing article: the links are one line.
  const article = [
    '# Readme',
    '',
    ...['/docs/', '/api/', '/blog/', '/about/', '/faq/', '/team/'].map((p) => `[page](${p})`),
    '',
    '![one](a.png) ![two](b.png)',
    '',
    '[gone](gone.md)',
    '',
  ].join('\n');

  it('are one line per kind and file, with their count and first position; verbose lists them all', async () => {
    const dir = writeTree(tempDir(), { 'articles/readme.md': article, 'articles/other.md': '# Other\n\n[x](/x/) [y](/y/) [z](/z/)\n' });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.equal(result.diagnostics.length, 12, 'the result holds every diagnostic');
    const { lines, folded } = formatDiagnostics(result.diagnostics, dir);
    assert.deepEqual(lines, [
      'articles/other.md:3:1: warning: link to `/x/`, which is not in the book; the link is kept as text (and 2 more like it in this file) [link-not-in-book]',
      'articles/readme.md:3:1: warning: link to `/docs/`, which is not in the book; the link is kept as text (and 5 more like it in this file) [link-not-in-book]',
      'articles/readme.md:10:1: warning: image `a.png` not found (looked for a.png in the articles folder) [image-missing]',
      'articles/readme.md:10:15: warning: image `b.png` not found (looked for b.png in the articles folder) [image-missing]',
      'articles/readme.md:12:1: warning: link to missing article `gone.md`; the link is kept as text [link-missing-article]',
    ]);
    assert.equal(folded, 7);
    const verbose = formatDiagnostics(result.diagnostics, dir, { verbose: true });
    assert.equal(verbose.lines.length, 12);
    assert.equal(verbose.folded, 0);
    assert.match(verbose.lines[4]!, /^articles\/readme\.md:4:1: warning: link to `\/api\/`/);
  });

  it('tell an article in a subfolder, which is not in the book, from a missing one', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\n[deep](sub/deep.md) [gone](sub/gone.md)\n', 'articles/sub/deep.md': '# Deep\n' });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
    assert.deepEqual(formatDiagnostics(result.diagnostics, dir, { verbose: true }).lines, [
      "articles/a.md:3:1: warning: link to `sub/deep.md`, an article in a subfolder, which is not in the book (its chapters are the articles folder's own files; `--recursive` takes in its subfolders'); the link is kept as text [link-not-in-book]",
      'articles/a.md:3:21: warning: link to missing article `sub/gone.md`; the link is kept as text [link-missing-article]',
      "articles/sub: warning: 1 Markdown file is in this subfolder, and not in the book: its chapters are the articles folder's own files; `--recursive` (or `recursive: true` in book.yaml) takes in the subfolders' articles, `recursive: false` leaves them out without this warning [articles-in-subfolders]",
    ]);
    // Read with its subfolders, the book has the article, and the link leads to it.
    const recursive = await makeBook({ cwd: dir, articlesDir: 'articles', overrides: { recursive: true } });
    assert.deepEqual(formatDiagnostics(recursive.diagnostics, dir, { verbose: true }).lines, ['articles/a.md:3:21: warning: link to missing article `sub/gone.md`; the link is kept as text [link-missing-article]']);
    assert.match(await (await openEpub(recursive.epub!)).text('OEBPS/chapter-a.xhtml'), /<a href="chapter-sub-deep\.xhtml">deep<\/a>/);
  });

  it('are summarised by quire build, and listed by quire build --verbose', async () => {
    const dir = writeTree(tempDir(), { 'articles/readme.md': article });
    const short = await runCli(['build'], { cwd: dir });
    assert.equal(short.code, 0, short.stderr);
    assert.deepEqual(short.stderr.trimEnd().split('\n').slice(-2), [
      'articles/readme.md:12:1: warning: link to missing article `gone.md`; the link is kept as text [link-missing-article]',
      'quire: 5 more like those above are not listed; --verbose lists them',
    ]);
    assert.equal(short.stderr.split('\n').filter((l) => l.includes('[link-not-in-book]')).length, 1);
    assert.match(short.stdout, /9 warnings/);
    const long = await runCli(['build', '--verbose'], { cwd: dir });
    assert.equal(long.code, 0, long.stderr);
    assert.equal(long.stderr.split('\n').filter((l) => l.includes('[link-not-in-book]')).length, 6);
    assert.ok(!long.stderr.includes('--verbose'));
  });
});

describe('footnotes', () => {
  async function build(body: string, options: { notes?: 'footnotes' | 'chapter' | 'book' } = {}) {
    const dir = writeTree(tempDir(), { 'articles/a.md': body });
    const result = await makeBook({ cwd: dir, articlesDir: 'articles', overrides: options.notes ? { notes: options.notes } : {} });
    const book = await openEpub(result.epub!);
    const chapter = await book.text('OEBPS/chapter-a.xhtml');
    const main = chapter.slice(chapter.indexOf('</header>'), chapter.indexOf('<section class="footnotes'));
    const notes = options.notes === 'book' ? await book.text('OEBPS/notes.xhtml') : chapter.slice(chapter.indexOf('<section class="footnotes'));
    return { main, notes, diagnostics: result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`), messages: result.diagnostics.map((d) => d.message) };
  }
  const ref = (n: number, again = '') => `<sup><a href="#a-fn${n}" id="a-fnref${n}${again}" class="noteref" epub:type="noteref" role="doc-noteref">${n}</a></sup>`;

  it('match labels as GitHub does: whatever their case, and the white space around and inside them', async () => {
    const r = await build('# T\n\nA ref[^Note], [^ÉTÉ], [^a  b] and [^2].\n\n[^note]: Lower def.\n[^été]: Summer.\n[^A B]: Spaced.\n[^2 ]: Space label.\n');
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.main, new RegExp(`<p>A ref${ref(1)}, ${ref(2)}, ${ref(3)} and ${ref(4)}.</p>`));
    for (const [n, text] of [[1, 'Lower def.'], [2, 'Summer.'], [3, 'Spaced.'], [4, 'Space label.']] as const) {
      assert.ok(r.notes.includes(`<p><a href="#a-fnref${n}" class="footnote-back" role="doc-backlink">${n}</a>. ${text}</p></aside>`), r.notes);
    }
  });

  it('reach their notes whatever characters the label holds', async () => {
    // The ids were made from the percent-encoded label, which the sanitiser changed in ids but not in links.
    const r = await build('# T\n\nOne[^café], two[^R&D], three[^50%].\n\n[^café]: Accent.\n[^R&D]: Ampersand.\n[^50%]: Percent.\n');
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.main, new RegExp(`<p>One${ref(1)}, two${ref(2)}, three${ref(3)}.</p>`));
    assert.doesNotMatch(r.notes, /↩|Back to reference/);
  });

  it('keep a definition that no reference reaches, after the notes referred to, and say where it is', async () => {
    const body = [
      '# T', // 1
      '',
      'A typo[^note1], a ref[^used], a [^x](https://example.com) link, \\[^y] and `[^z]`.', // 3
      '',
      '> [^quoted]: In a quote.', // 5
      '',
      '[^used]: Used note.', // 7
      '[^note-1]: The definition with a hyphen.', // 8
      '[^unused]: Never referenced.', // 9
      '[^USED]: Second definition.', // 10
    ].join('\n');
    for (const notes of ['footnotes', 'chapter', 'book'] as const) {
      const r = await build(body, { notes });
      assert.deepEqual(r.diagnostics, ['3:7 footnote-missing', '5:3 footnote-unused', '8:1 footnote-unused', '9:1 footnote-unused', '10:1 footnote-duplicate'], notes);
      assert.match(r.messages[0]!, /^footnote reference `\[\^note1\]` has no definition; it is shown as written/);
      assert.equal(r.messages[4], 'footnote `[^USED]` is defined again (first at line 7); references go to the first, and this one is listed after the notes referred to');
      assert.match(r.main, /<p>A typo\[\^note1\], a ref<sup>.*<\/sup>, a <a href="https:\/\/example.com">\^x<\/a> link, \[\^y\] and <code>\[\^z\]<\/code>.<\/p>/);
      const texts = [...r.notes.matchAll(/<p>(?:<a [^>]*>(\d+)<\/a>|(\d+))\. ([^<]*)<\/p>/g)].map((m) => `${m[1] ?? `${m[2]} (no back-link)`} ${m[3]}`);
      assert.deepEqual(texts, ['1 Used note.', '2 (no back-link) In a quote.', '3 (no back-link) The definition with a hyphen.', '4 (no back-link) Never referenced.', '5 (no back-link) Second definition.'], notes);
      // As pop-ups, the notes nothing refers to would never be seen: they are plain blocks.
      if (notes === 'footnotes') assert.deepEqual([...r.notes.matchAll(/<(aside|div) id="[^"]*" class="footnote"( epub:type="footnote")?/g)].map((m) => `${m[1]}${m[2] ?? ''}`), ['aside epub:type="footnote"', 'div', 'div', 'div', 'div']);
    }
  });
});
