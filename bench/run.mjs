// The benchmark. Its corpus is real documentation: Markdown that a fixed list of npm packages ships, cut
// into articles of about 6 kB (realdocs.mjs, fetched with `npm pack` on the first run). For each size it
// builds the articles cold, warm (cache primed, new process), after changing one article, and in watch mode
// after changing one article; at 1,000 articles, in the same run, it also runs the same files through the
// bare dependencies (baseline.mjs: marked alone; marked + epub-gen-memory doing nothing else) and pandoc
// when it is on the PATH, alternating with quire's cold builds so that a busy machine slows all of them
// alike; the generated corpus (corpus.mjs) is a second row, and one more cold build runs under
// `--cpu-prof` to say where the CPU goes (profile.mjs). Reports medians and writes bench/results.md.
// Usage: npm run bench [-- --sizes 1000,5000 --runs 3 --no-pandoc --no-generated --no-profile --all-rows]
// (--all-rows: warm, one-changed and watch rows for every size, not only 1,000)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.mjs';
import { profileTable, summarise } from './profile.mjs';
import { PACKAGES, realCorpus, realPool } from './realdocs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const sizes = option('sizes', '1000,5000').split(',').map(Number);
const runs = Number(option('runs', 3));
const withPandoc = !args.includes('--no-pandoc') && spawnSync('pandoc', ['--version']).status === 0;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-bench-'));

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One run of `quire build` in a fresh process, measured from the inside (see measure.mjs). */
function quire(dir, extra = [], node = [], env = {}) {
  const r = spawnSync(process.execPath, [...node, path.join(here, 'measure.mjs'), 'build', 'articles', '-o', 'book.epub', '-q', ...extra], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
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

function summarise3(list) {
  return { wall: median(list.map((m) => m.wall)), cpu: median(list.map((m) => m.cpu)), rssMB: median(list.map((m) => m.rssMB)) };
}

function corpusStats(dir) {
  const files = fs.readdirSync(path.join(dir, 'articles')).sort().map((f) => path.join('articles', f));
  let bytes = 0;
  let fences = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    bytes += Buffer.byteLength(text);
    fences += text.match(/^ {0,3}(```|~~~)[ \t]*[\w+-]+/gm)?.length ?? 0;
  }
  return { files, bytes, fences };
}

/** Cold builds alternating with the bare dependencies (and pandoc), so that all see the same machine. */
function coldAndBare(dir, files, withBare) {
  const cold = [];
  const single = [];
  const marked = [];
  const epub = [];
  for (let i = 0; i < runs; i++) {
    cold.push(quire(dir, ['--no-cache']));
    if (withBare) {
      epub.push(baseline(dir, 'epub'));
      // The same build on the main thread alone: what the worker threads cost and win on this machine.
      single.push(quire(dir, ['--no-cache'], [], { QUIRE_THREADS: '1' }));
      marked.push(baseline(dir, 'marked'));
    }
  }
  const out = { cold: summarise3(cold) };
  if (withBare) {
    out.single = summarise3(single);
    out.singleRatio = { wall: median(single.map((c, i) => c.wall / epub[i].wall)), cpu: median(single.map((c, i) => c.cpu / epub[i].cpu)) };
    out.bare = { marked: summarise3(marked), epub: summarise3(epub) };
    // The ratio of each pair measured one after the other, then their median: steadier than a ratio of medians.
    out.ratio = { wall: median(cold.map((c, i) => c.wall / epub[i].wall)), cpu: median(cold.map((c, i) => c.cpu / epub[i].cpu)) };
  }
  if (withBare && withPandoc) out.pan = pandoc(dir, files);
  return out;
}

const rows = [];
let profile;
for (const size of sizes) {
  const dir = path.join(work, `real-${size}`);
  realCorpus(path.join(dir, 'articles'), size);
  const { files, bytes, fences } = corpusStats(dir);
  process.stderr.write(`real docs, ${size} articles (${(bytes / 1e6).toFixed(1)} MB, ${fences} fenced blocks with a language): `);
  const { cold, single, singleRatio, bare, ratio, pan } = coldAndBare(dir, files, size === 1000);
  process.stderr.write('cold+baselines ');
  // Other sizes say how the cold build scales; the rebuilds are measured at 1,000 articles.
  if (size !== 1000 && !args.includes('--all-rows')) {
    process.stderr.write('\n');
    rows.push({ corpus: 'real', size, bytes, fences, cold });
    continue;
  }
  fs.rmSync(path.join(dir, '.quire-cache'), { recursive: true, force: true });
  quire(dir); // prime the cache
  const warm = summarise3(Array.from({ length: runs }, () => quire(dir)));
  process.stderr.write('warm ');
  const target = path.join(dir, files[Math.floor(files.length / 2)]);
  const original = fs.readFileSync(target, 'utf8');
  const changed = summarise3(
    Array.from({ length: runs }, (_, i) => {
      fs.writeFileSync(target, `${original}\nEdited ${i}.\n`);
      return quire(dir);
    }),
  );
  fs.writeFileSync(target, original);
  process.stderr.write('one-changed ');
  // Watch mode: the rebuilds of one running process, each after one article changed.
  const w = spawnSync(process.execPath, [path.join(here, 'watch.mjs'), String(Math.max(runs, 3)), path.relative(dir, target)], { cwd: dir, encoding: 'utf8' });
  if (w.status !== 0) throw new Error(`watch mode failed in ${dir}:\n${w.stderr}`);
  const watched = summarise3(JSON.parse(w.stdout.trim().split('\n').pop()));
  process.stderr.write('watch ');
  if (size === 1000 && !args.includes('--no-profile')) {
    const prof = path.join(dir, 'profile');
    quire(dir, ['--no-cache'], ['--cpu-prof', `--cpu-prof-dir=${prof}`]);
    profile = { table: profileTable(prof, 16), totals: summarise(prof) };
    process.stderr.write('profile');
  }
  process.stderr.write('\n');
  rows.push({ corpus: 'real', size, bytes, fences, cold, single, singleRatio, warm, changed, watched, bare, ratio, pan });
}

let generated;
if (!args.includes('--no-generated')) {
  const dir = path.join(work, 'generated-1000');
  generateCorpus(path.join(dir, 'articles'), 1000, 1);
  const { files, bytes, fences } = corpusStats(dir);
  process.stderr.write(`generated, 1000 articles: `);
  generated = { corpus: 'generated', size: 1000, bytes, fences, ...coldAndBare(dir, files, true) };
  delete generated.pan; // pandoc once, on the real corpus, is enough
  process.stderr.write('cold+baselines\n');
}

const fmt = (m) => (m ? `${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s | ${Math.round(m.rssMB)} MB` : '– | – | –');
const x = (a, b) => `${(a / b).toFixed(2)}×`;
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const load = os.loadavg()[0].toFixed(1);
const lines = [
  '# quire benchmark',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}${withPandoc ? `, ${execFileSync('pandoc', ['--version'], { encoding: 'utf8' }).split('\n')[0]}` : ''} (load average ${load} at the end: the machine is shared).`,
  '',
  `Corpus: real documentation, the Markdown of ${PACKAGES.length} npm packages at pinned versions (READMEs, guides, lint rules' pages, changelogs; see bench/realdocs.mjs), cut into ${realPool().length} articles of about 6 kB with front matter; more articles repeat them. Images become links (the benchmark is offline). Everything on: highlighting, math, typography, sanitising. Median of ${runs} run(s); wall time includes Node start-up (but for watch mode's rebuilds, made in the running process); CPU is all threads (quire renders and compresses on worker threads); memory is peak RSS (for watch mode, the process's RSS after the rebuild). The bare dependencies and pandoc run in turn with quire's cold builds.`,
  '',
  '| corpus | articles | Markdown | build | wall | CPU | memory |',
  '| --- | ---: | ---: | --- | ---: | ---: | ---: |',
];
for (const r of [...rows, ...(generated ? [generated] : [])]) {
  const head = `| ${r.corpus === 'real' ? 'real docs' : 'generated'} | ${r.size} | ${(r.bytes / 1e6).toFixed(1)} MB`;
  lines.push(`${head} | quire, cold (\`--no-cache\`) | ${fmt(r.cold)} |`);
  if (r.single) lines.push(`${head} | quire, cold, main thread only (\`QUIRE_THREADS=1\`) | ${fmt(r.single)} |`);
  if (r.warm) lines.push(`${head} | quire, warm (nothing changed, new process) | ${fmt(r.warm)} |`);
  if (r.changed) lines.push(`${head} | quire, one article changed (new process) | ${fmt(r.changed)} |`);
  if (r.watched) lines.push(`${head} | quire --watch, one article changed (the rebuild) | ${fmt(r.watched)} |`);
  if (r.bare) lines.push(`${head} | bare marked + epub-gen-memory, no other work | ${fmt(r.bare.epub)} |`);
  if (r.bare) lines.push(`${head} | bare marked alone, nothing written | ${fmt(r.bare.marked)} |`);
  if (r.pan) lines.push(`${head} | pandoc | ${fmt(r.pan)} |`);
}
lines.push('');
const base = rows.find((r) => r.size === 1000);
const big = rows.find((r) => r.size === 5000);
const verdict = (ok) => (ok ? 'met' : '**not met**');
if (base?.ratio) {
  lines.push('Targets (issue 18), real docs:', '');
  lines.push(`- 1,000 articles cold: ${base.cold.wall.toFixed(2)} s against ${base.bare.epub.wall.toFixed(2)} s, ${base.ratio.wall.toFixed(2)}× the wall time of the bare marked + epub-gen-memory (target ≤ 1.00×, moonshot 0.55×): ${verdict(base.ratio.wall <= 1)}; ${base.ratio.cpu.toFixed(2)}× its CPU time; ${x(base.cold.wall, base.bare.marked.wall)} the wall time of marked alone.`);
  if (base.singleRatio) lines.push(`- The same on the main thread only (\`QUIRE_THREADS=1\`): ${base.singleRatio.wall.toFixed(2)}× the wall time, ${base.singleRatio.cpu.toFixed(2)}× the CPU time of the bare dependencies, ${Math.round(base.single.rssMB)} MB.`);
  lines.push(`- Peak memory, 1,000 articles cold: ${Math.round(base.cold.rssMB)} MB (target ≤ 250 MB): ${verdict(base.cold.rssMB <= 250)}.`);
  if (big) lines.push(`- 5,000 against 1,000 articles, cold: ${x(big.cold.wall, base.cold.wall)} the time (target ≤ 5.5×): ${verdict(big.cold.wall / base.cold.wall <= 5.5)}; ${x(big.cold.rssMB, base.cold.rssMB)} the memory (target ≤ 2×): ${verdict(big.cold.rssMB / base.cold.rssMB <= 2)}.`);
  if (base.watched) lines.push(`- Watch mode, one article changed: the rebuild takes ${base.watched.wall.toFixed(2)} s (target ≤ 0.3 s): ${verdict(base.watched.wall <= 0.3)}.`);
  if (base.warm) lines.push(`- Warm rebuild in a new process: ${x(base.warm.wall, base.cold.wall)} the cold build (target ≤ 0.5×): ${verdict(base.warm.wall / base.cold.wall <= 0.5)}; one article changed: ${x(base.changed.wall, base.cold.wall)}.`);
  if (base.pan) lines.push(`- pandoc takes ${x(base.pan.wall, base.cold.wall)} quire's cold wall time, and ${x(base.pan.rssMB, base.cold.rssMB)} its memory.`);
}
if (generated?.ratio) lines.push(`- Generated corpus, 1,000 articles cold: ${generated.ratio.wall.toFixed(2)}× the wall time of the bare marked + epub-gen-memory, ${generated.ratio.cpu.toFixed(2)}× its CPU time.`);
if (profile) {
  const all = [...profile.totals.values()].reduce((a, b) => a + b, 0);
  const share = (name) => (100 * (profile.totals.get(name) ?? 0)) / all;
  // Highlighting is highlight.js and quire's own scanner (JavaScript, TypeScript, JSON) with the seam around them.
  const highlighting = share('highlight.js') + share('quire render/highlight-scan.ts') + share('quire render/highlight.ts');
  lines.push(`- Highlighting: ${highlighting.toFixed(1)}% of a cold build's CPU (highlight.js ${share('highlight.js').toFixed(1)}%, quire's scanner ${share('quire render/highlight-scan.ts').toFixed(1)}%; target ≤ 10%): ${verdict(highlighting <= 10)}.`);
  lines.push(
    '',
    '## Where the CPU goes',
    '',
    'One more cold build of the 1,000 real-docs articles under `node --cpu-prof` (every thread), self time summed by npm package and by quire source file; native code (regular expressions, builtins) counts for the JavaScript that called it. Profile time is sampled wall time of running threads, so on a busy machine the total exceeds the CPU time above; the shares are what matters.',
    '',
    profile.table,
  );
}
lines.push('');
const report = lines.join('\n');
if (!args.includes('--no-report')) fs.writeFileSync(path.join(here, 'results.md'), report);
process.stdout.write(report);
fs.rmSync(work, { recursive: true, force: true });
