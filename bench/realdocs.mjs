// The benchmark's real corpus: the documentation that a fixed list of npm packages ships (READMEs, guides,
// rule pages, changelogs), fetched with `npm pack NAME@VERSION` at benchmark time (the tarballs are kept in
// os.tmpdir()/quire-bench-npm-docs, so a second run needs no network) and cut into articles of about 6 kB
// with front matter.
// Cutting: each Markdown file is split at its headings (never inside a fenced code block) into pieces of
// about 6 kB; a long section without headings is split at a blank line. The files' own front matter is
// dropped for ours. The benchmark runs offline, so images (badges, mostly) become links to them: the same
// text for quire, pandoc and the bare dependencies. The pool of pieces holds about 6 MB; a larger corpus
// repeats it (the 5,000-article row is the pool five times).
// Usage: node bench/realdocs.mjs DIR COUNT
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Pinned, so that every run and every machine cuts the same articles. */
export const PACKAGES = [
  'npm@10.9.2',
  'eslint-plugin-jsdoc@39.9.1',
  'mongoose@5.13.22',
  '@typescript-eslint/eslint-plugin@5.62.0',
  'rxjs@7.8.1',
  'eslint-plugin-import@2.31.0',
  'highlight.js@11.11.1',
  'markdownlint@0.37.4',
  'nan@2.22.0',
  'eslint-plugin-jsx-a11y@6.10.2',
  'standard@17.1.2',
  'date-fns@2.30.0',
  'eslint-plugin-jest@28.9.0',
  'axios@1.7.9',
  'express@4.21.2',
  'eslint-plugin-lodash@7.4.0',
  'ajv@6.12.6',
  'handlebars@4.7.8',
  'eslint-plugin-testing-library@7.1.1',
  'uglify-js@3.19.3',
  'type-fest@4.30.0',
  'moment@2.30.1',
  'eslint-plugin-unicorn@56.0.1',
  'rollup@2.79.2',
  'typeorm@0.3.20',
  'eslint-plugin-react@7.37.2',
  '@xmldom/xmldom@0.8.10',
  'eslint-plugin-ember@12.3.3',
  'eslint-plugin-regexp@2.7.0',
  'eslint-plugin-promise@7.2.1',
  'webpack-dev-server@5.2.0',
  'eslint-plugin-n@17.15.0',
  'eslint-plugin-playwright@2.1.0',
  'request@2.88.2',
  'eslint@7.32.0',
  'stylelint@13.13.1',
  'eslint-plugin-flowtype@8.0.3',
  '@typescript-eslint/eslint-plugin@6.21.0',
];

const TARGET = 6000;
const cacheDir = path.join(os.tmpdir(), 'quire-bench-npm-docs');

function tarball(spec) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = `${spec.replace(/^@/, '').replace('/', '-').replace(/@([^@]+)$/, '-$1')}.tgz`;
  const where = path.join(cacheDir, file);
  if (!fs.existsSync(where)) execFileSync('npm', ['pack', spec, '--silent'], { cwd: cacheDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(where)) throw new Error(`npm pack ${spec} did not write ${file}`);
  return where;
}

/** The Markdown files of one package, sorted by path: [{ file, text }]. */
function markdownOf(spec) {
  const tgz = tarball(spec);
  const dir = `${tgz}.d`;
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(`${dir}.tmp`, { recursive: true });
    execFileSync('tar', ['xzf', tgz, '-C', `${dir}.tmp`], { stdio: 'ignore' });
    fs.renameSync(`${dir}.tmp`, dir);
  }
  const names = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => /\.(md|markdown)$/i.test(n) && !/(^|\/)(LICEN[CS]E|node_modules)/i.test(n))
    .sort();
  return names.map((n) => ({ file: n.replace(/^package\//, ''), text: fs.readFileSync(path.join(dir, n), 'utf8') }));
}

/** The opening fence of a line, or null. */
const fenceOf = (line) => /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
const closes = (line, fence) => line.trim().startsWith(fence) && /^[`~]+$/.test(line.trim()) && line.trim()[0] === fence[0];

/** Outside fenced code, an image (inline or by reference, Markdown or HTML) becomes a link to it: the benchmark runs offline. */
function offline(text) {
  const out = [];
  let run = [];
  let fence = null;
  for (const line of text.split('\n')) {
    if (fence) {
      out.push(line);
      if (closes(line, fence)) fence = null;
    } else if ((fence = fenceOf(line))) {
      out.push(unimage(run.join('\n')), line);
      run = [];
    } else run.push(line);
  }
  out.push(unimage(run.join('\n')));
  return out.join('\n');
}

function unimage(text) {
  return text.replace(/!\[/g, '[').replace(/<img\b[^>]*>/gi, (tag) => {
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    const alt = /\balt\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    return src ? `<a href="${src}">${alt || 'image'}</a>` : '';
  });
}

/** Splits one file into pieces of about TARGET bytes, at headings or blank lines outside fences. */
function cut(text) {
  text = offline(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/^---\n[^]*?\n---\n/, ''));
  const lines = text.split('\n');
  const pieces = [];
  let current = [];
  let size = 0;
  let fence = null;
  const flush = () => {
    const body = current.join('\n').trim();
    if (body) pieces.push(body);
    current = [];
    size = 0;
  };
  for (const line of lines) {
    if (fence) {
      if (closes(line, fence)) fence = null;
    } else if (fenceOf(line)) fence = fenceOf(line);
    else if (size >= TARGET && (/^#{1,6}\s/.test(line) || (size >= TARGET * 1.5 && line.trim() === ''))) flush();
    current.push(line);
    size += line.length + 1;
  }
  flush();
  // A short tail joins the piece before it.
  if (pieces.length > 1 && pieces.at(-1).length < TARGET / 3) {
    const tail = pieces.pop();
    pieces.push(`${pieces.pop()}\n\n${tail}`);
  }
  return pieces;
}

let pool;
/** The pieces of every package, in the list's order: [{ spec, file, part, body }]. */
export function realPool() {
  if (pool) return pool;
  pool = [];
  for (const spec of PACKAGES)
    for (const { file, text } of markdownOf(spec)) {
      const pieces = cut(text);
      pieces.forEach((body, i) => {
        // Short pages (a lint rule's, say) join the one before them, from the same package.
        const last = pool.at(-1);
        if (last?.spec === spec && last.body.length < TARGET / 3 && last.body.length + body.length < TARGET * 1.5) last.body += `\n\n${body}`;
        else pool.push({ spec, file, part: pieces.length > 1 ? i + 1 : 0, body });
      });
    }
  return pool;
}

/** Writes COUNT articles cut from the real documentation into DIR. */
export function realCorpus(dir, count) {
  const all = realPool();
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const { spec, file, part, body } = all[i % all.length];
    const round = Math.floor(i / all.length);
    const heading = /^#{1,6}\s+(.+)$/m.exec(body)?.[1].replace(/[`*_<>[\]"\\]/g, '').trim();
    const name = spec.replace(/@[^@]+$/, '');
    const title = `${name}: ${heading || file}${part ? ` (${part})` : ''}${round ? ` [${round + 1}]` : ''}`;
    const front = ['---', `title: ${JSON.stringify(title.slice(0, 120))}`, `author: ${JSON.stringify(`${name} authors`)}`, `source: ${JSON.stringify(`npm:${spec}/${file}`)}`, '---', ''];
    fs.writeFileSync(path.join(dir, `article-${String(i + 1).padStart(5, '0')}.md`), `${front.join('\n')}\n${body}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count] = process.argv.slice(2);
  realCorpus(dir, Number(count ?? 1000));
  const p = realPool();
  const bytes = p.reduce((n, x) => n + Buffer.byteLength(x.body), 0);
  const fences = p.reduce((n, x) => n + (x.body.match(/^ {0,3}(```|~~~)[ \t]*[\w+-]+/gm)?.length ?? 0), 0);
  process.stderr.write(`pool: ${p.length} pieces, ${(bytes / 1e6).toFixed(2)} MB, ${fences} fenced blocks with a language\n`);
}
