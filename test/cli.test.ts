// The command as users meet it: exit codes, diagnostics on stderr, and a book that is never half-written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, exec, runCli, tempDir, writeTree } from './helpers.js';

const DIAGNOSTIC = /^[^\s:][^:]*(:\d+:\d+)?: (error|warning): .+ \[[a-z0-9-]+\]$/;

function project(files: Record<string, string | Buffer>): string {
  return writeTree(tempDir(), files);
}

describe('quire build', () => {
  it('writes output/book.epub from articles/ by default and says so', async () => {
    const dir = project({ 'articles/a.md': '# A\n\nText.\n' });
    const r = await runCli(['build'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^wrote output\/book\.epub: 1 chapter, 0 images, \d+ bytes\n$/);
    assert.ok(fs.statSync(path.join(dir, 'output/book.epub')).size > 1000);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')), ['book.epub'], 'no temporary files left');
  });

  it('reports every problem as path:line:col: severity: message, relative to where it ran', async () => {
    const dir = project({
      'articles/a.md': '---\ntitle: A\n---\n\n![gone](missing.png)\n\n[x](nowhere.md)\n',
      'articles/b.md': '---\ntitle: [broken\n---\n\nText.\n',
    });
    const r = await runCli(['build', 'articles'], { cwd: dir });
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(lines, [
      'articles/a.md:5:1: warning: image `missing.png` not found (looked for missing.png in the articles folder) [image-missing]',
      'articles/a.md:7:1: warning: link to missing article `nowhere.md`; the link is kept as text [link-missing-article]',
      lines[2],
      'quire: no book written (1 error)',
    ]);
    assert.match(lines[2]!, /^articles\/b\.md:2:8: error: YAML: .+ \[front-matter-yaml\]$/);
    for (const l of lines.slice(0, 3)) assert.match(l, DIAGNOSTIC);
    assert.ok(!fs.existsSync(path.join(dir, 'output')), 'nothing written');
  });

  it('writes the book with warnings and exits 0; --strict refuses it and exits 1; --quiet hides warnings', async () => {
    const dir = project({ 'articles/a.md': '# A\n\n![gone](missing.png)\n' });
    const loose = await runCli(['build'], { cwd: dir });
    assert.equal(loose.code, 0);
    assert.match(loose.stderr, /warning: image `missing.png` not found/);
    assert.match(loose.stdout, /1 warning\n$/);
    fs.rmSync(path.join(dir, 'output'), { recursive: true });
    const strict = await runCli(['build', '--strict'], { cwd: dir });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^articles\/a\.md:3:1: error: image `missing.png` not found/);
    assert.ok(!fs.existsSync(path.join(dir, 'output/book.epub')));
    const quiet = await runCli(['build', '--quiet'], { cwd: dir });
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stdout + quiet.stderr, '');
  });

  it('never touches an existing book when the build fails', async () => {
    const dir = project({ 'articles/a.md': '# A\n', 'output/book.epub': 'the old book' });
    fs.writeFileSync(path.join(dir, 'articles/book.yaml'), 'titel: typo\n');
    const r = await runCli(['build'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^articles\/book\.yaml:1:1: error: unknown key `titel` in book\.yaml; did you mean `title`\?/);
    assert.equal(fs.readFileSync(path.join(dir, 'output/book.epub'), 'utf8'), 'the old book');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'output')), ['book.epub']);
  });

  it('replaces an existing book when the build succeeds', async () => {
    const dir = project({ 'articles/a.md': '# A\n', 'output/book.epub': 'the old book' });
    const r = await runCli(['build'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'output/book.epub')).subarray(0, 2).toString(), 'PK');
  });

  it('fails with exit 1 when the output cannot be written', async () => {
    const dir = project({ 'articles/a.md': '# A\n', 'a-file': 'x' });
    fs.mkdirSync(path.join(dir, 'is-a-folder.epub'));
    const folder = await runCli(['build', '-o', 'is-a-folder.epub'], { cwd: dir });
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /^is-a-folder\.epub: error: cannot write the book: the output path is a folder \[output-unwritable\]$/m);
    const under = await runCli(['build', '-o', 'a-file/book.epub'], { cwd: dir });
    assert.equal(under.code, 1);
    assert.match(under.stderr, /^a-file\/book\.epub: error: cannot write the book: (ENOTDIR|EEXIST)/m);
  });

  it('fails with exit 1 on a missing folder or a folder without articles', async () => {
    const dir = project({ 'empty/notes.txt': 'not an article' });
    const missing = await runCli(['build', 'nope'], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^nope: error: articles folder not found \[articles-folder\]$/m);
    const empty = await runCli(['build', 'empty'], { cwd: dir });
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /^empty: error: no articles here/m);
  });

  it('skips an empty article with a warning', async () => {
    const dir = project({ 'articles/a.md': '# A\n', 'articles/empty.md': '---\ntitle: Empty\n---\n\n' });
    const r = await runCli(['build'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^articles\/empty\.md:1:1: warning: article has no text and is left out of the book \[article-empty\]$/m);
    assert.match(r.stdout, /1 chapter,/);
  });

  it('reads file names with spaces, capitals and non-ASCII letters', async () => {
    const dir = project({ 'articles/Ünïcode Name.MD': '# Ü\n', 'articles/日本.markdown': '# 日本\n', 'articles/skip.txt': 'no' });
    const r = await runCli(['build'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 chapters/);
  });
});

describe('progress', () => {
  it('is drawn on a terminal for a long build, and never when output goes to a file or pipe', async () => {
    const dir = project(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`articles/a${i}.md`, `# A${i}\n\n${'Some *text*. '.repeat(300)}\n`])));
    const piped = await runCli(['build', '--no-cache'], { cwd: dir });
    assert.equal(piped.code, 0);
    assert.equal(piped.stderr, '', 'nothing but diagnostics on a pipe');
    // `script` gives the command a terminal.
    const tty = await exec('script', ['-qec', `${process.execPath} ${CLI} build --no-cache -o tty.epub`, '/dev/null'], dir);
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stdout, /\r\x1b\[K(rendering|compressing) \[[#.]+\] \d+\/\d+/);
    assert.match(tty.stdout, /wrote tty\.epub/);
  });
});

describe('usage errors', () => {
  it('exit 2 with a hint for an unknown flag', async () => {
    const r = await runCli(['build', '--no-such-flag'], { cwd: tempDir() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--no-such-flag'/);
    assert.match(r.stderr, /quire --help/);
  });
  it('exit 2 for a bad value', async () => {
    const dir = project({ 'articles/a.md': '# A\n' });
    const depth = await runCli(['build', '--toc-depth', 'seven'], { cwd: dir });
    assert.equal(depth.code, 2);
    assert.match(depth.stderr, /--toc-depth/);
    const lang = await runCli(['build', '--lang', 'not a tag'], { cwd: dir });
    assert.equal(lang.code, 2);
    assert.match(lang.stderr, /the language `not a tag` is not a language tag/);
    const date = await runCli(['build', '--date', 'yesterday'], { cwd: dir });
    assert.equal(date.code, 2);
    assert.match(date.stderr, /the date `yesterday` is not a date/);
    assert.ok(!fs.existsSync(path.join(dir, 'output')));
  });
  it('exit 2 for an unknown command; --help and --version exit 0', async () => {
    const dir = tempDir();
    assert.equal((await runCli(['frobnicate'], { cwd: dir })).code, 2);
    const help = await runCli(['build', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    for (const flag of ['--output', '--title', '--author', '--lang', '--publisher', '--description', '--date', '--identifier', '--cover', '--css', '--toc-depth', '--strict', '--quiet']) assert.ok(help.stdout.includes(flag), flag);
    const version = await runCli(['--version'], { cwd: dir });
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
