// The rebuild of watch mode, measured: one process builds the book, then builds it again after each
// change of one article, as `quire build --watch` does (same library call, same in-memory cache, same V8
// settings).
// Prints the rebuilds' wall and CPU times as JSON on stdout's last line.
// Usage (in a folder with articles/): node bench/watch.mjs <runs> <article to change>
import fs from 'node:fs';
import { applyEngineFlags } from '../dist/src/engine.js';

// The V8 settings the `quire` command sets (bin/quire.js), before quire's code is loaded.
applyEngineFlags(['build', '--watch']);
const { build } = await import('../dist/src/index.js');

const runs = Number(process.argv[2] ?? 5);
const target = process.argv[3];
const options = { articlesDir: 'articles', output: 'book.epub', cacheDir: '.quire-cache', memoryCache: new Map() };
const original = fs.readFileSync(target, 'utf8');
const first = await build(options);
if (!first.written) throw new Error('the first build failed');
const rebuilds = [];
for (let i = 0; i < runs; i++) {
  fs.writeFileSync(target, `${original}\nEdited in watch mode ${i}.\n`);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await build(options);
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  if (!result.written) throw new Error('a rebuild failed');
  rebuilds.push({ wall, cpu: (used.user + used.system) / 1e6, rssMB: process.memoryUsage().rss / 2 ** 20 });
}
fs.writeFileSync(target, original);
process.stdout.write(`${JSON.stringify(rebuilds)}\n`);
