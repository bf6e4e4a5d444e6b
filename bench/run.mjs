// The benchmark: builds generated corpora of 100, 1,000 and 5,000 articles cold, warm (cache primed),
// after changing one article, and in watch mode after changing one article, and, when pandoc is on the
// PATH, converts the same files with pandoc; for scale, the same files also go through the bare
// dependencies (baseline.mjs).
// Reports the median of several runs and writes bench/results.md.
// Usage: npm run bench [-- --sizes 100,1000 --runs 5 --no-pandoc]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const sizes = option('sizes', '100,1000,5000').split(',').map(Number);
const runs = Number(option('runs', 5));
const withPandoc = !args.includes('--no-pandoc') && spawnSync('pandoc', ['--version']).status === 0;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-bench-'));

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One run of `quire build` in a fresh process, measured from the inside (see measure.mjs). */
function quire(dir, extra = []) {
  const r = spawnSync(process.execPath, [path.join(here, 'measure.mjs'), 'build', 'articles', '-o', 'book.epub', '-q', ...extra], { cwd: dir, encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop();
  const m = JSON.parse(last);
  if (m.code !== 0) throw new Error(`quire failed in ${dir}:\n${r.stderr}`);
  return m;
}

/** The same articles through the bare dependencies (see baseline.mjs). */
function baseline(dir, what) {
  const r = spawnSync(process.execPath, [path.join(here, 'baseline.mjs'), what], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`baseline ${what} failed in ${dir}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function pandoc(dir, files) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'pandoc', '-f', 'gfm+yaml_metadata_block', '-t', 'epub3', '--toc', '--metadata', 'title=Bench', '-o', 'pandoc.epub', ...files], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, rssMB: rss / 1024 };
}

function summarise(list) {
  return { wall: median(list.map((m) => m.wall)), cpu: median(list.map((m) => m.cpu)), rssMB: median(list.map((m) => m.rssMB)) };
}

const rows = [];
for (const size of sizes) {
  const dir = path.join(work, String(size));
  generateCorpus(path.join(dir, 'articles'), size, 1);
  const files = fs.readdirSync(path.join(dir, 'articles')).sort().map((f) => path.join('articles', f));
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  process.stderr.write(`${size} articles (${(bytes / 1e6).toFixed(1)} MB): `);
  const cold = summarise(Array.from({ length: runs }, () => quire(dir, ['--no-cache'])));
  process.stderr.write('cold ');
  fs.rmSync(path.join(dir, '.quire-cache'), { recursive: true, force: true });
  quire(dir); // prime the cache
  const warm = summarise(Array.from({ length: runs }, () => quire(dir)));
  process.stderr.write('warm ');
  const target = path.join(dir, files[Math.floor(files.length / 2)]);
  const original = fs.readFileSync(target, 'utf8');
  const changed = summarise(
    Array.from({ length: runs }, (_, i) => {
      fs.writeFileSync(target, `${original}\nEdited ${i}.\n`);
      return quire(dir);
    }),
  );
  fs.writeFileSync(target, original);
  process.stderr.write('one-changed ');
  // Watch mode: the rebuilds of one running process, each after one article changed.
  const w = spawnSync(process.execPath, [path.join(here, 'watch.mjs'), String(runs), path.relative(dir, target)], { cwd: dir, encoding: 'utf8' });
  if (w.status !== 0) throw new Error(`watch mode failed in ${dir}:\n${w.stderr}`);
  const watched = summarise(JSON.parse(w.stdout.trim().split('\n').pop()));
  process.stderr.write('watch ');
  let bare;
  if (size <= 1000) {
    bare = {
      marked: summarise(Array.from({ length: runs }, () => baseline(dir, 'marked'))),
      epub: summarise(Array.from({ length: runs }, () => baseline(dir, 'epub'))),
    };
    process.stderr.write('baseline ');
  }
  let pan;
  if (withPandoc && size <= 1000) {
    pan = summarise(Array.from({ length: size <= 100 ? 3 : 1 }, () => pandoc(dir, files)));
    process.stderr.write('pandoc');
  }
  process.stderr.write('\n');
  rows.push({ size, bytes, cold, warm, changed, watched, bare, pan });
}

const fmt = (m) => (m ? `${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s | ${Math.round(m.rssMB)} MB` : '– | – | –');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# quire benchmark',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}${withPandoc ? `, ${execFileSync('pandoc', ['--version'], { encoding: 'utf8' }).split('\n')[0]}` : ''}.`,
  `Corpus: generated articles of about 6 kB (front matter, headings, lists, code, tables, quotes, footnotes, links), fixed seed. Median of ${runs} runs; wall time includes Node start-up (but for watch mode's rebuilds, made in the running process); CPU is all threads; memory is peak RSS (for watch mode, the process's RSS after the rebuild).`,
  '',
  '| articles | Markdown | build | wall | CPU | memory |',
  '| ---: | ---: | --- | ---: | ---: | ---: |',
];
for (const r of rows) {
  const mb = `${(r.bytes / 1e6).toFixed(1)} MB`;
  lines.push(`| ${r.size} | ${mb} | quire, cold (\`--no-cache\`) | ${fmt(r.cold)} |`);
  lines.push(`| ${r.size} | ${mb} | quire, warm (nothing changed) | ${fmt(r.warm)} |`);
  lines.push(`| ${r.size} | ${mb} | quire, one article changed | ${fmt(r.changed)} |`);
  lines.push(`| ${r.size} | ${mb} | quire --watch, one article changed (rebuild) | ${fmt(r.watched)} |`);
  if (r.bare) lines.push(`| ${r.size} | ${mb} | baseline: marked alone, nothing written | ${fmt(r.bare.marked)} |`);
  if (r.bare) lines.push(`| ${r.size} | ${mb} | baseline: marked + epub-gen-memory, no other work | ${fmt(r.bare.epub)} |`);
  if (r.pan) lines.push(`| ${r.size} | ${mb} | pandoc | ${fmt(r.pan)} |`);
}
lines.push('');
for (const r of rows) if (r.pan) lines.push(`- ${r.size} articles: quire cold is ${(r.pan.wall / r.cold.wall).toFixed(1)}× faster than pandoc, and uses ${(r.pan.rssMB / r.cold.rssMB).toFixed(1)}× less memory.`);
for (const r of rows) if (r.bare) lines.push(`- ${r.size} articles: quire cold takes ${(r.cold.wall / r.bare.epub.wall).toFixed(2)}× the time of the bare marked + epub-gen-memory, and ${(r.cold.wall / r.bare.marked.wall).toFixed(2)}× that of marked alone.`);
const base = rows.find((r) => r.size === 1000);
const big = rows.find((r) => r.size === 5000);
if (base && big) lines.push(`- 5,000 against 1,000 articles: ${(big.cold.wall / base.cold.wall).toFixed(1)}× the time, ${(big.cold.rssMB / base.cold.rssMB).toFixed(1)}× the memory (cold).`);
lines.push('');
const report = lines.join('\n');
if (!args.includes('--no-report')) fs.writeFileSync(path.join(here, 'results.md'), report);
process.stdout.write(report);
fs.rmSync(work, { recursive: true, force: true });
