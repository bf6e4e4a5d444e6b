// Runs a tier of the test suite (after tsc): `quick` (npm test) leaves out the tests that drive Chromium
// (rendering, epub.js, the served reader), DAISY Ace and calibre; `all` (npm run test:all, what .ci/run runs) runs every test file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const tier = process.argv[2] ?? 'quick';
if (!['quick', 'all'].includes(tier)) throw new Error(`unknown tier ${tier}: quick or all`);
/** The slow tier: a browser, an accessibility checker or an e-book converter per book; a 20,000-article book. */
const SLOW = new Set(['render', 'reading-system', 'ace', 'calibre', 'serve-browser', 'large']);
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'test');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => tier === 'all' || !SLOW.has(f.replace(/\.test\.js$/, '')))
  .sort()
  .map((f) => path.join(dir, f));
if (tier === 'quick') process.stderr.write(`\n!! the quick tier leaves out ${[...SLOW].map((s) => `${s}.test.js`).join(', ')}: npm run test:all runs them\n\n`);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
