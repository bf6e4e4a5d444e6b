// Where a build's CPU goes: reads the V8 CPU profiles that `node --cpu-prof` wrote (one per thread) and sums
// their self time by stage: each npm package, each quire source file, Node's own code, garbage collection.
//   node bench/profile.mjs DIR [TOP]    prints a Markdown table of the TOP largest shares (default 20)
import fs from 'node:fs';
import path from 'node:path';

/** The stage a profile node's code belongs to. */
export function stageOf(node) {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return 'V8 and native code (program)';
    return `native: ${(functionName || '(anonymous)').slice(0, 40)}`;
  }
  if (url.startsWith('node:')) return 'Node.js (module loading, fs, streams, workers)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 14).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/src/');
  if (dist !== -1) return `quire ${url.slice(dist + 10).replace(/\.js$/, '.ts')}`;
  return path.basename(url);
}

/** Self time in ms by stage, over every profile in dir (idle time left out). */
export function summarise(dir) {
  const totals = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
    const self = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i];
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    for (const [id, us] of self) {
      // Native code (a regular expression, a builtin) counts for the JavaScript that called it.
      let node = byId.get(id);
      while (node && !node.callFrame.url && stageOf(node).startsWith('native') && parent.get(node.id)) node = parent.get(node.id);
      const stage = stageOf(node);
      if (stage === '(idle)') continue;
      totals.set(stage, (totals.get(stage) ?? 0) + us / 1000);
    }
  }
  return totals;
}

/** A Markdown table of the largest shares. */
export function profileTable(dir, top = 20) {
  const totals = summarise(dir);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const rows = [...totals].sort((a, b) => b[1] - a[1]);
  const lines = ['| stage (self time) | CPU | share |', '| --- | ---: | ---: |'];
  for (const [stage, ms] of rows.slice(0, top)) lines.push(`| ${stage} | ${(ms / 1000).toFixed(2)} s | ${((100 * ms) / all).toFixed(1)}% |`);
  const rest = rows.slice(top).reduce((n, [, ms]) => n + ms, 0);
  if (rest) lines.push(`| everything else | ${(rest / 1000).toFixed(2)} s | ${((100 * rest) / all).toFixed(1)}% |`);
  lines.push(`| **all threads** | **${(all / 1000).toFixed(2)} s** | 100% |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${profileTable(process.argv[2], Number(process.argv[3] ?? 20))}\n`);
}
