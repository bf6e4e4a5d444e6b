// Runs a tier of the test suite (after tsc). `quick` (npm test, for every edit) runs the units, the golden
// fixtures, the property tests (2,000 generated documents unless QUIRE_FUZZ_RUNS says otherwise), the
// EPUBCheck batch and the fast end-to-end files; `all` (npm run test:all, what .ci/run runs) runs every test
// file: also Chromium (rendering, epub.js, the served reader), DAISY Ace, calibre, the loopback servers of
// quire add, feeds, serve and send, Readability's pages, the targets, volumes, watch mode and the
// 20,000-article book, and 10,000 generated documents.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const tier = process.argv[2] ?? 'quick';
if (!['quick', 'all'].includes(tier)) throw new Error(`unknown tier ${tier}: quick or all`);
/** The quick tier's files; every other test file is in the full tier only. */
const QUICK = new Set(['units', 'golden', 'properties', 'validity', 'catalogue', 'diagnostics', 'imports', 'api', 'cli', 'build', 'cache', 'assets', 'remote', 'cover', 'pool', 'check']);
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'test');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => tier === 'all' || QUICK.has(f.replace(/\.test\.js$/, '')))
  .sort()
  .map((f) => path.join(dir, f));
const left = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js') && !files.includes(path.join(dir, f)));
if (left.length) process.stderr.write(`\n!! the quick tier leaves out ${left.join(', ')}: npm run test:all runs them\n\n`);
const env = tier === 'quick' ? { QUIRE_FUZZ_RUNS: '2000', ...process.env } : process.env;
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
