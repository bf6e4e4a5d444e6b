// quire add on Mozilla Readability's own test pages (../shared/readability: 44 real pages with the article
// Readability extracts and the metadata it finds; Apache-2.0, kept outside the repository). Each page is
// served on loopback and added through the library; the saved Markdown is compared with Readability's
// expected article as bags of words: recall (expected words that were saved) and precision (saved words
// that were expected). The images the pages name are on their original sites, which cannot be reached.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { parse } from 'yaml';
import { addArticles, type AddResult } from '../src/add/index.js';
import { epubcheck, problems, ROOT, runCli, startServer, tempDir } from './helpers.js';

/** `../shared/readability` from the repository (CI clones beside `shared`); a worktree may sit one level deeper. */
function pagesDir(): string {
  const candidates = [process.env.QUIRE_READABILITY_PAGES, path.join(ROOT, '..', 'shared', 'readability'), path.join(ROOT, '..', '..', 'shared', 'readability')];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, '001', 'source.html'))) return c;
  throw new Error(`Readability's test pages are not in ../shared/readability (nor QUIRE_READABILITY_PAGES): ${candidates.filter(Boolean).join(', ')}`);
}

const PAGES = pagesDir();
const CASES = fs.readdirSync(PAGES).filter((n) => fs.existsSync(path.join(PAGES, n, 'source.html'))).sort();

/**
 * Pages where a figure below the bar is right, each with the reason. Keys: case name; values: the lowest
 * recall and precision accepted there.
 */
const EXCEPTIONS: Record<string, { recall?: number; precision?: number; why: string }> = {};

export function words(text: string): Map<string, number> {
  const bag = new Map<string, number>();
  for (const w of text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []) bag.set(w, (bag.get(w) ?? 0) + 1);
  return bag;
}

/**
 * Formulas compare symbol by symbol: the expected article has MathML (`<mi>a</mi><mi>x</mi>`), the saved
 * one TeX (`ax`), whose command names are syntax, not words.
 */
const GREEK: Record<string, string> = { alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', omega: 'ω', Delta: 'Δ', Sigma: 'Σ', Omega: 'Ω' };
function symbols(math: string): string {
  const plain = math.replace(/\\(begin|end)\{\w+\}/g, ' ').replace(/\\([a-zA-Z]+)/g, (_, name: string) => GREEK[name] ?? ' ');
  return ` ${[...plain.replace(/[^\p{L}\p{N}]/gu, '')].join(' ')} `;
}

/** The words a reader sees in saved Markdown: no front matter, no URLs, no image alt text, no syntax. */
export function markdownText(md: string): string {
  return md
    .replace(/^---\n[^]*?\n---\n/, '')
    // Code blocks are text as they are: no math, no markup in them.
    // A listing with links is kept as an HTML `<pre>`: its tags are markup.
    .replace(/^<pre>[^]*?<\/pre>$/gm, (pre) => pre.replace(/<\/?[a-zA-Z][^>]*>/g, ' '))
    .split(/^(```[^]*?^```)$/m)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/(?<!\\)\$\$([^$]+)\$\$|(?<!\\)\$([^$\n]+)(?<!\\)\$/g, (_, display: string | undefined, inline: string | undefined) => symbols(display ?? inline ?? ''))
            .replace(/!\[[^\]]*\]\((<[^>]*>|[^)\s]*)[^)]*\)/g, ' ')
            .replace(/\]\((<[^>]*>|[^)\s]*)[^)]*\)/g, ']')
            // HTML kept as it is (complex tables) is markup: a line that starts with a tag.
            .replace(/^<.*$/gm, (line) => line.replace(/<\/?[a-zA-Z][^>]*>/g, ' ')),
    )
    .join('\n')
    .replace(/\[\^\d+\]:?/g, ' ')
    .replace(/^```.*$/gm, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot);/g, ' ');
}

/** The words most missed (in expected, not saved) and most added, for the report of a page below the bar. */
function differences(expected: Map<string, number>, saved: Map<string, number>): string {
  const diff = (a: Map<string, number>, b: Map<string, number>) =>
    [...a].map(([w, n]) => [w, n - (b.get(w) ?? 0)] as const).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]).slice(0, 15).map(([w, n]) => `${w}×${n}`).join(' ');
  return `missing: ${diff(expected, saved)}\n    added: ${diff(saved, expected)}`;
}

export function overlap(expected: Map<string, number>, saved: Map<string, number>): { recall: number; precision: number } {
  let common = 0;
  let e = 0;
  let s = 0;
  for (const [w, n] of expected) {
    e += n;
    common += Math.min(n, saved.get(w) ?? 0);
  }
  for (const n of saved.values()) s += n;
  return { recall: e ? common / e : 1, precision: s ? common / s : e ? 0 : 1 };
}

interface Row {
  name: string;
  result: AddResult;
  markdown?: string;
  recall: number;
  precision: number;
  differences: string;
}

let server: Awaited<ReturnType<typeof startServer>>;
const rows: Row[] = [];
const dir = tempDir('quire-readability-');

before(async () => {
  server = await startServer((req, res) => {
    const [, name, file] = /^\/([\w-]+)\/(source\.html)$/.exec(req.url ?? '') ?? [];
    if (name && file && CASES.includes(name)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(fs.readFileSync(path.join(PAGES, name, file)));
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  for (const name of CASES) {
    const [result] = await addArticles([`${server.base}/${name}/source.html`], { articlesDir: path.join(dir, 'articles'), now: new Date('2026-01-01T00:00:00Z') });
    const markdown = result!.ok && result!.file ? fs.readFileSync(result!.file, 'utf8') : undefined;
    const { document } = parseHTML(`<!DOCTYPE html><html><body>${fs.readFileSync(path.join(PAGES, name, 'expected.html'), 'utf8')}</body></html>`);
    for (const math of [...document.querySelectorAll('math')]) math.replaceWith(document.createTextNode(symbols(math.textContent ?? '')));
    const expected = words(document.body.textContent ?? '');
    const saved = words(markdown ? markdownText(markdown) : '');
    rows.push({ name, result: result!, markdown, ...overlap(expected, saved), differences: differences(expected, saved) });
  }
  const recalls = rows.map((r) => r.recall).sort((a, b) => a - b);
  const quantile = (q: number) => recalls[Math.min(recalls.length - 1, Math.floor(q * recalls.length))]!.toFixed(3);
  process.stderr.write(
    `readability pages: saved ${rows.filter((r) => r.result.ok).length}/${rows.length}, median recall ${quantile(0.5)}, 10th percentile ${quantile(0.1)}, under 0.9: ${rows.filter((r) => r.recall < 0.9).length}\n` +
      rows.map((r) => `  ${r.name.padEnd(40)} ${r.result.ok ? 'saved' : 'FAILED'} recall ${r.recall.toFixed(3)} precision ${r.precision.toFixed(3)}${r.result.error ? ` (${r.result.error})` : ''}${r.recall < 0.97 || r.precision < 0.9 ? `\n    ${r.differences}` : ''}`).join('\n') +
      '\n',
  );
});

after(() => server.close());

describe("quire add on Readability's test pages", () => {
  it('saves every page', () => {
    assert.deepEqual(rows.filter((r) => !r.result.ok).map((r) => `${r.name}: ${r.result.error}`), []);
    // The sanity check raises no false alarm on these pages, where Readability finds the whole article.
    assert.deepEqual(rows.flatMap((r) => r.result.warnings.filter((w) => /may be missing/.test(w)).map((w) => `${r.name}: ${w}`)), []);
  });

  it('keeps at least 97% of the words of the article Readability finds, and adds at most 10% of its own', () => {
    const low = rows.filter((r) => {
      const accepted = EXCEPTIONS[r.name];
      return r.recall < (accepted?.recall ?? 0.97) || r.precision < (accepted?.precision ?? 0.9);
    });
    assert.deepEqual(low.map((r) => `${r.name}: recall ${r.recall.toFixed(3)}, precision ${r.precision.toFixed(3)}`), []);
  });

  it('finds the metadata Readability finds: title (without the site name), byline, site name, date, language', () => {
    const wrong: string[] = [];
    for (const r of rows) {
      if (!r.markdown) continue;
      const meta = JSON.parse(fs.readFileSync(path.join(PAGES, r.name, 'expected-metadata.json'), 'utf8')) as Record<string, string | null>;
      const front = frontMatter(r.markdown);
      const title = meta.title?.replace(/\s+/g, ' ').trim();
      if (title && front.title !== title) {
        // Readability keeps the site's name in the title ("Mozilla - Wikipedia"); quire drops it.
        const rest = front.title && title.startsWith(front.title) ? title.slice(front.title.length) : undefined;
        if (rest === undefined || !/^\s*[|·•:_\u2013\u2014-]/.test(rest)) wrong.push(`${r.name}: title ${JSON.stringify(front.title)}, expected ${JSON.stringify(title)}`);
      }
      const byline = meta.byline?.replace(/\s+/g, ' ').replace(/^by\s+/i, '').trim();
      if (byline && !looksLikeDate(byline) && front.author !== byline) wrong.push(`${r.name}: author ${JSON.stringify(front.author)}, expected ${JSON.stringify(byline)}`);
      if (front.author && looksLikeDate(front.author)) wrong.push(`${r.name}: author is a date: ${front.author}`);
      if (meta.siteName && front.source !== meta.siteName) wrong.push(`${r.name}: source ${JSON.stringify(front.source)}, expected ${JSON.stringify(meta.siteName)}`);
      if (meta.publishedTime && front.date !== meta.publishedTime.slice(0, 10)) wrong.push(`${r.name}: date ${front.date}, expected ${meta.publishedTime}`);
      if (meta.lang && front.lang?.toLowerCase() !== meta.lang.toLowerCase()) wrong.push(`${r.name}: lang ${front.lang}, expected ${meta.lang}`);
      if (meta.dir === 'rtl' && front.dir !== 'rtl') wrong.push(`${r.name}: dir ${front.dir}, expected rtl`);
    }
    assert.deepEqual(wrong, []);
  });

  it('makes one valid book of all the saved pages', async () => {
    // Offline: the pages' images are on their original sites; each falls back to its alt text.
    const built = await runCli(['build', '--offline', '--title', 'Readability pages'], { cwd: dir });
    assert.equal(built.code, 0, built.stderr);
    assert.equal(problems(await epubcheck(path.join(dir, 'output/book.epub'))), '');
  });
});

function looksLikeDate(text: string): boolean {
  return /\b(19|20)\d\d\b/.test(text) && /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}:\d\d|updated/i.test(text);
}

function frontMatter(text: string): Record<string, string> {
  const block = /^---\n([^]*?)\n---\n/.exec(text)?.[1] ?? '';
  return Object.fromEntries(Object.entries((parse(block) ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}
