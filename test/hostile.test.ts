// Hostile and pathological articles: quire finishes, says what it did, and the book stays valid.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { CLI, epubcheck, openEpub, problems, runCli, tempDir, writeTree } from './helpers.js';

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
    // Tables, ruby, formulas and drawings cut by the depth limit at each of their levels: flattened whole.
    'articles/deep-structures.md': [96, 97, 98, 99, 100]
      .flatMap((k) => ['<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tr><td>cell</td></tr></table>', '<ruby>漢<rt>kan</rt></ruby>', '<math><mfrac><mi>a</mi><mtable><mtr><mtd><mi>b</mi></mtd></mtr></mtable></mfrac></math>', '<svg width="9" height="9"><g><text x="1" y="5">drawn</text></g></svg>'].map((html) => `${'<div>'.repeat(k)}${html}${'</div>'.repeat(k)}`))
      .join('\n\n'),
    'articles/controls.md': `# Controls\n\nNUL [\u0000] escape [\u001b] DEL [\u007f] C1 [\u0085] BOM [\ufeff] noncharacter [\uffff] lone surrogate [\ud800]\n`,
  });
  const started = Date.now();
  const result = await makeBook({ cwd: dir });
  const elapsed = Date.now() - started;
  const book = await openEpub(result.epub!);

  it('finishes, with every article in the book', () => {
    assert.equal(result.chapters, 10);
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

  it('flattens a table, ruby, a formula or a drawing cut by the depth limit whole, keeping its text', async () => {
    const xhtml = await book.text('OEBPS/chapter-deep-structures.xhtml');
    for (const text of ['cell', 'kan', 'drawn']) assert.equal(xhtml.split(text).length - 1, 5, text);
  });

  it('expands no entities declared in the markup', async () => {
    const xhtml = await book.text('OEBPS/chapter-laughs.xhtml');
    assert.ok(!xhtml.includes('aaaaaaaaaa'));
    assert.ok(!/<!DOCTYPE x|<!ENTITY/.test(xhtml));
  });

  it('removes characters XML forbids, and says so at the first', async () => {
    const said = result.diagnostics.filter((d) => d.code === 'text-control-removed');
    assert.deepEqual(said.map((d) => [path.basename(d.file!), d.line, d.column, d.severity]), [['controls.md', 3, 6, 'warning']]);
    assert.match(said[0]!.message, /^U\+0000 and 4 more like it removed/);
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

describe('lines a pattern once read again at each character', async () => {
  // Each of these took 4 s to minutes at 80-300 KB (the time grew with the square of the line): a pattern
  // looked through the rest of the line, or a run of spaces, again from each character. Each is now one pass.
  const dir = tempDir();
  const n = 100_000;
  const spaces = ' '.repeat(n);
  const articles: Record<string, string> = {
    // Notes' marks, under the 20,000 an article may hold (80 KB of them took 3.6 s).
    'refs-open': '^['.repeat(n / 10),
    'labels-open': '[^'.repeat(n / 10),
    snippet: `<<< a${spaces}x`,
    'includes-open': '{{#include '.repeat(n / 5),
    'include-spaces': `{{#include a${spaces}x`,
    container: `::: tip${spaces}x`,
    strong: `${'**a '.repeat(n / 4)}${' a**'.repeat(n / 4)}`,
    strike: `${'~~a '.repeat(n / 4)}${' a~~'.repeat(n / 4)}`,
    // A component's name split every way (8.5 s), open comments each read to the end (72 s for 30,000).
    'component-name': `<A${'a'.repeat(n)}!`,
    'open-comments': '<!--\n\nx\n'.repeat(n / 10),
  };
  writeTree(dir, Object.fromEntries(Object.entries(articles).map(([name, text]) => [`articles/${name}.md`, `# ${name}\n\nbefore\n\n${text}\n\nafter\n`])));
  // Text and a component's line, one after the other, in MDX: each paragraph was read to the end (30 s).
  writeTree(dir, { 'articles/tag-lines.mdx': `# tag-lines\n\nbefore\n\n${'text\n<Ab>\n'.repeat(n / 10)}\nafter\n` });
  const result = await makeBook({ cwd: dir });
  const book = await openEpub(result.epub!);
  const text = async (name: string) => (await book.text(`OEBPS/chapter-${name}.xhtml`)).replace(/<[^>]*>/g, '');

  it('shows each line as written, with the text around it', async () => {
    assert.equal(result.chapters, Object.keys(articles).length + 1);
    assert.equal((await text('open-comments')).split('\nx\n').length - 1, n / 10);
    assert.equal((await text('tag-lines')).split('text').length - 1, n / 10);
    for (const name of Object.keys(articles)) {
      const shown = await text(name);
      assert.match(shown, /before[^]*after/, name);
    }
    assert.equal((await text('refs-open')).split('^[').length - 1, n / 10);
    assert.equal((await text('labels-open')).split('[^').length - 1, n / 10);
    assert.equal((await text('includes-open')).split('{{#include').length - 1, n / 5);
    for (const name of ['snippet', 'include-spaces', 'container']) assert.match(await text(name), / {8}x/, name);
  });

  it('reads emphasis and strikethrough 32 texts deep, and shows the marks deeper than that as written', async () => {
    for (const [name, tag, mark] of [['strong', 'strong', '**'], ['strike', 'del', '~~']] as const) {
      const xhtml = await book.text(`OEBPS/chapter-${name}.xhtml`);
      const elements = xhtml.split(`<${tag}>`).length - 1;
      assert.ok(elements >= 30 && elements <= 33, `${name}: ${elements}`);
      assert.equal(xhtml.replace(/<[^>]*>/g, '').split(mark).length - 1, 2 * (n / 4 - elements), name);
    }
  });

  it('is a valid book', async () => {
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });
});

describe('a template inside a drawing or formula', () => {
  it('is built, its text kept: an SVG or MathML template has no content fragment (exit 70 before)', async () => {
    const dir = writeTree(tempDir(), { 'articles/t.md': '# T\n\n<div><svg><template>x</template></svg></div>\n\n<math><template>zt1</template></math> after\n' });
    const result = await makeBook({ cwd: dir });
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-t.xhtml');
    assert.match(xhtml, /zt1/);
    assert.match(xhtml, /after/);
  });
});

describe('front matter nested hundreds deep', () => {
  it("is an error that says so, at its line, not the engine's stack overflow", async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': `---\ntitle: x\ntags: ${'['.repeat(800)}${']'.repeat(800)}\n---\n\nBody.\n` });
    const result = await makeBook({ cwd: dir });
    assert.equal(result.epub, undefined);
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`),
      ['3 front-matter-yaml YAML: it nests too deeply to be read (brackets or blocks hundreds of levels deep)'],
    );
  });
});

describe('an include written many times', async () => {
  // Each file is read once and bounded; each use is a copy of its text.
  const dir = tempDir();
  const part = 'word '.repeat(19) + '\n\n';
  writeTree(dir, {
    'articles/parts/big.md': part.repeat(10_000),
    'articles/vitepress.md': `# VitePress\n\n${'<!--@include: ./parts/big.md-->\n\n'.repeat(300)}`,
    'articles/mdbook.md': `# mdBook\n\n${'{{#include parts/big.md}}\n\n'.repeat(300)}`,
  });
  const result = await makeBook({ cwd: dir });
  const book = await openEpub(result.epub!);

  it('puts in copies up to a bound, then shows the directives as written with one warning per article', async () => {
    const warnings = result.diagnostics.filter((d) => d.code === 'include-unreadable');
    assert.deepEqual(warnings.map((d) => `${path.basename(d.file!)}:${d.line}`).sort(), ['mdbook.md:13', 'vitepress.md:13']);
    assert.match(warnings[0]!.message, /more than 50000 paragraphs and other blocks/);
    for (const [name, directive] of [['vitepress', '<code>&lt;!--@include: ./parts/big.md--&gt;</code>'], ['mdbook', '{{#include parts/big.md}}']] as const) {
      const xhtml = await book.text(`OEBPS/chapter-${name}.xhtml`);
      // 10,000 paragraphs each: 5 copies make the 50,000 an article may hold (the 8 MB of text would be 8).
      const copies = 5;
      assert.equal(xhtml.split(`<p>${directive}</p>`).length - 1, 300 - copies, name);
      assert.equal(xhtml.split('<p>word word').length - 1, copies * 10_000, name);
    }
  });
});

describe('an include that includes itself', () => {
  it('is put in once where it is written; inside, the same include is shown as written, with a warning', async () => {
    // Twice in the part it includes: its text doubled at each level (exit 70 after 10 s and 930 MB).
    const dir = writeTree(tempDir(), { 'book.toml': '[book]\ntitle = "x"\n', 'src/a.md': '# A\n\nText one.\n\n{{#include a.md}}\n\n{{#include a.md}}\n', 'src/b.md': '# B\n\n{{#include c.md}}\n', 'src/c.md': 'In c.\n\n{{#include b.md}}\n' });
    const result = await makeBook({ cwd: dir, articlesDir: 'src' });
    assert.deepEqual(result.diagnostics.map((d) => `${path.basename(d.file!)}:${d.line} ${d.code} ${d.message}`), [
      'a.md:5 include-unreadable `{{#include a.md}}` is shown as written where the text it puts in includes it again',
    ]);
    const book = await openEpub(result.epub!);
    const a = await book.text('OEBPS/chapter-a.xhtml');
    assert.equal(a.split('Text one.').length - 1, 3);
    assert.equal(a.split('<p>{{#include a.md}}</p>').length - 1, 4);
    // A part that includes the article: the article's text is not put in it again.
    assert.match(await book.text('OEBPS/chapter-b.xhtml'), /<div>\n<p>In c\.<\/p>\n<p>\{\{#include b\.md\}\}<\/p>\n<\/div>/);
  });
});

describe('hostile file system', () => {
  it('refuses link loops, pipes, links out, and oversized files without reading them', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/ok.md': '# OK\n\n![pipe](pipe.png) ![huge](huge.png) ![dev](zero.png)\n', 'outside/secret.md': '# Secret\n' });
    const a = (name: string) => path.join(dir, 'articles', name);
    fs.symlinkSync(a('loop-b.md'), a('loop-a.md'));
    fs.symlinkSync(a('loop-a.md'), a('loop-b.md'));
    fs.symlinkSync(path.join(dir, 'outside/secret.md'), a('secret.md'));
    fs.symlinkSync('/dev/zero', a('zero.png'));
    execFileSync('mkfifo', [a('pipe.md')]);
    execFileSync('mkfifo', [a('pipe.png')]);
    fs.writeFileSync(a('big.md'), '');
    fs.truncateSync(a('big.md'), 20 * 1024 * 1024);
    fs.writeFileSync(a('huge.png'), '');
    fs.truncateSync(a('huge.png'), 60 * 1024 * 1024);
    const result = await makeBook({ cwd: dir });
    const got = result.diagnostics.map((d) => `${path.basename(d.file!)} ${d.code}`).sort();
    assert.deepEqual(got, [
      'big.md article-too-large',
      'loop-a.md article-refused',
      'loop-b.md article-refused',
      'ok.md image-refused',
      'ok.md image-refused',
      'ok.md image-too-large',
      'pipe.md article-refused',
      'secret.md article-refused',
    ]);
    assert.equal(result.epub, undefined, 'the oversized article is an error: no book');
  });

  it('names a file with a newline in its name on one line', async () => {
    const dir = tempDir();
    writeTree(dir, { 'articles/two\nlines.md': '# T\n\n![x](missing.png)\n' });
    const r = await runCli(['build'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'articles/two\\nlines.md:3:1: warning: image `missing.png` not found (looked for missing.png in the articles folder) [image-missing]\n');
  });
});

describe('a full disk', () => {
  it('gives a clear error, keeps the old book and leaves no temporary file', async (t) => {
    const dir = tempDir();
    // Text that does not compress away: the book must not fit in 64 kB.
    writeTree(dir, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`articles/a${i}.md`, `# A${i}\n\n${randomBytes(6000).toString('base64')}\n`])));
    const disk = path.join(dir, 'small-disk');
    fs.mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'pipe' });
    } catch (e) {
      process.stderr.write(`\n!! SKIPPED the full-disk test: cannot mount a small tmpfs here (needs root): ${(e as Error).message.split('\n')[0]}\n\n`);
      t.skip('cannot mount a small tmpfs (needs root)');
      return;
    }
    try {
      fs.writeFileSync(path.join(disk, 'book.epub'), 'the old book');
      const r = await runCli(['build', '-o', 'small-disk/book.epub'], { cwd: dir });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^small-disk\/book\.epub: error: cannot write the book: ENOSPC \[output-unwritable\]$/m);
      assert.deepEqual(fs.readdirSync(disk), ['book.epub']);
      assert.equal(fs.readFileSync(path.join(disk, 'book.epub'), 'utf8'), 'the old book');
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

describe('interrupted and concurrent builds', () => {
  it('two builds to the same output end with one complete book, and no temporary files', async () => {
    const dir = tempDir();
    writeTree(dir, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`articles/a${i}.md`, `# A${i}\n\n${'Text. '.repeat(500)}\n`])));
    const [one, two] = await Promise.all([
      runCli(['build', '--title', 'One'], { cwd: dir }),
      runCli(['build', '--title', 'Two'], { cwd: dir }),
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')), ['book.epub']);
    const book = await openEpub(fs.readFileSync(path.join(dir, 'output/book.epub')));
    const title = /<dc:title id="title">(One|Two)<\/dc:title>/.exec(await book.text('OEBPS/content.opf'));
    assert.ok(title, 'the book is one of the two, whole');
    assert.equal(book.names.filter((n) => n.endsWith('.xhtml') && n.includes('chapter-')).length, 40);
  });

  it('Ctrl-C leaves the old book as it was and no temporary file', async () => {
    const dir = tempDir();
    writeTree(dir, { 'output/book.epub': 'the old book' });
    // Enough articles that the build is still running when the signal comes.
    writeTree(dir, Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`articles/a${i}.md`, `# A${i}\n\n${'Some *text* here. '.repeat(400)}\n`])));
    const child = spawn(process.execPath, [CLI, 'build'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Interrupt once the build has begun: it has started filling its cache.
    for (let waited = 0; !fs.existsSync(path.join(dir, '.quire-cache')) && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted \(SIGINT\); no book written/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')), ['book.epub']);
    assert.equal(fs.readFileSync(path.join(dir, 'output/book.epub'), 'utf8'), 'the old book');
  });
});

describe('a link around blocks that leads nowhere', () => {
  it('keeps its text as a div, not a span (a span may hold no div: EPUBCheck refused the book)', async () => {
    // A card of raw HTML (`<a>` on a line of its own, its `<div>` inside) linking to a heading or an article
    // the book does not have: its text was kept in a <span> around the <div> (RSC-005).
    const dir = writeTree(tempDir(), {
      'articles/a.md': '# A\n\n<a href="#nowhere">\n<div>card one</div>\n</a>\n\n<a href="gone.md" class="card">\n<div>card two</div>\n</a>\n\nSee [three](#nowhere) and a note.[^1]\n\n[^1]: <a href="gone.md">\n    <div>card four</div>\n    </a>\n',
    });
    const files: string[] = [];
    for (const notes of ['footnotes', 'book'] as const) {
      const result = await makeBook({ cwd: dir, overrides: { notes } });
      assert.deepEqual(result.diagnostics.map((d) => `${d.line} ${d.code}`), ['3 link-anchor-missing', '11 link-anchor-missing', '7 link-missing-article', '13 link-missing-article']);
      const book = await openEpub(result.epub!);
      const xhtml = await book.text('OEBPS/chapter-a.xhtml');
      assert.match(xhtml, /<div>\n<div>card one<\/div>\n<\/div><div class="card">\n<div>card two<\/div>\n<\/div>/);
      assert.match(xhtml, /See <span>three<\/span> and/);
      assert.match(await book.text(notes === 'book' ? 'OEBPS/notes.xhtml' : 'OEBPS/chapter-a.xhtml'), /<div>\n<div>card four<\/div>\n<\/div>/);
      files.push(path.join(dir, `book-${notes}.epub`));
      fs.writeFileSync(files.at(-1)!, result.epub!);
    }
    for (const checked of await Promise.all(files.map(epubcheck))) assert.equal(problems(checked), '');
  });
});

describe('formatting left open again and again in one paragraph', () => {
  it('is read in one pass: each text looked up through all the formatting around it (20,000 deep took 9 s)', { timeout: 10_000 }, async () => {
    // Each `<b>` closed by the `</span>` around it is opened again after it, one level deeper each time.
    const n = 30_000;
    const dir = writeTree(tempDir(), { 'articles/a.md': `# A\n\n${Array.from({ length: n }, (_, i) => `<span>a${i} <b>b${i}</span> c${i} `).join('')}\n\nAfter.\n` });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line} ${d.code}`), ['3 html-unclosed', '3 html-unclosed', '3 html-unclosed']);
    const text = (await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml')).replace(/<[^>]*>/g, '');
    assert.ok(text.includes(Array.from({ length: n }, (_, i) => `a${i} b${i} c${i}`).join(' ')));
    assert.match(text, /c29999 \s*After\./);
  });
});

describe('addresses EPUBCheck cannot read', () => {
  it('are kept as text after the link\'s, with a warning, or written as EPUBCheck reads them (the book failed EPUBCheck)', async () => {
    const dir = writeTree(tempDir(), {
      'articles/a.md': [
        '# A',
        '[mail](mailto:) <a href="tel:#">call</a> [news](news:)',
        '[dash](http://-x-.example/) <a href="http://1.2.3/">short</a>',
        '[slashes](http:///example.org/x) <a href="https://us er:pa ss@example.org/">user</a> [fine](mailto:?subject=Hi)',
      ].join('\n\n') + '\n',
    });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(';')[0]}`), [
      '3:1 link-refused link to mailto: is not kept as a link: EPUBCheck cannot read the address',
      '3:26 link-refused link to tel:# is not kept as a link: EPUBCheck cannot read the address',
      '3:42 link-refused link to news: is not kept as a link: EPUBCheck cannot read the address',
      '5:1 link-refused link to http://-x-.example/ is not kept as a link: EPUBCheck cannot read the address',
      '5:38 link-refused link to http://1.2.3/ is not kept as a link: EPUBCheck cannot read the address',
    ]);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<p><span>mail \(mailto:\)<\/span> <span>call \(tel:#\)<\/span> <span>news \(news:\)<\/span><\/p>/);
    assert.match(xhtml, /<p><span>dash \(http:\/\/-x-\.example\/\)<\/span> <span>short \(http:\/\/1\.2\.3\/\)<\/span><\/p>/);
    assert.match(xhtml, /<a href="http:\/\/example\.org\/x">slashes<\/a> <a href="https:\/\/us%20er:pa%20ss@example\.org\/">user<\/a> <a href="mailto:\?subject=Hi">fine<\/a>/);
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });
  it('encode a user name or password with an `@` in it up to the last `@`, where the host starts', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\n<a href="https://a@b@example.org/">one</a> <a href="https://user:p@ss@example.org/x">two</a>\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics, []);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<a href="https:\/\/a%40b@example\.org\/">one<\/a> <a href="https:\/\/user:p%40ss@example\.org\/x">two<\/a>/);
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });
  it('read a backslash that ends a web address\'s host as the `/` a browser reads there', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\n<a href="https://example.org\\docs/x">one</a> <a href="http://1.2.3.4\\x">two</a>\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics, []);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<a href="https:\/\/example\.org\/docs\/x">one<\/a> <a href="http:\/\/1\.2\.3\.4\/x">two<\/a>/);
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });
  it('keep a link to an IPv4 address written as EPUBCheck reads it, four numbers or one', async () => {
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\n<a href="http://192.168.001.001/">router</a> <a href="http://2130706433/">one number</a> <a href="http://127.1/">short</a>\n' });
    const result = await makeBook({ cwd: dir });
    assert.deepEqual(result.diagnostics.map((d) => `${d.code} ${d.message.split(';')[0]}`), ['link-refused link to http://127.1/ is not kept as a link: EPUBCheck cannot read the address']);
    const xhtml = await (await openEpub(result.epub!)).text('OEBPS/chapter-a.xhtml');
    assert.match(xhtml, /<a href="http:\/\/192\.168\.001\.001\/">router<\/a> <a href="http:\/\/2130706433\/">one number<\/a> <span>short \(http:\/\/127\.1\/\)<\/span>/);
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, result.epub!);
    assert.equal(problems(await epubcheck(file)), '');
  });
});
