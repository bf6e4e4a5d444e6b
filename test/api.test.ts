// The library: every verb (build, makeBook, check, add, watch) through the package's `exports` map, and
// nothing else of dist/ reachable from outside.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir, writeTree } from './helpers.js';

describe('the library', () => {
  it('exports every verb through the package name, and no private module', async () => {
    // A package may import itself by name: this goes through package.json's `exports` as a user's import would.
    // (By a name in a variable: the compiler would look for dist/ before it is written.)
    const name = 'quire';
    const quire = (await import(name)) as Record<string, unknown>;
    for (const verb of ['build', 'makeBook', 'check', 'add', 'watch', 'formatDiagnostic', 'sortDiagnostics']) assert.equal(typeof quire[verb], 'function', verb);
    await assert.rejects(import(`${name}/dist/src/pipeline/volumes.js`), (e: NodeJS.ErrnoException) => e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> };
    assert.ok(fs.existsSync(path.join(ROOT, pkg.exports['.']!.types)), 'the types are where the exports map says');
  });

  it('checks books with the same Diagnostic and formatter as a build, and a build can check what it wrote', async () => {
    const { build, check, formatDiagnostic } = await import('../src/index.js');
    const dir = writeTree(tempDir(), { 'articles/a.md': '# A\n\nText.\n' });
    const result = await build({ cwd: dir, check: true });
    assert.ok(result.written);
    assert.deepEqual(result.diagnostics.map((d) => formatDiagnostic(d, dir)), [], 'quire check (and EPUBCheck, when installed) find nothing');
    const broken = path.join(dir, 'broken.epub');
    fs.writeFileSync(broken, 'not a zip');
    const found = await check(broken, { epubcheck: false });
    assert.deepEqual(found.map((d) => formatDiagnostic(d, dir)), ['broken.epub: error: not a zip file (an EPUB is a zip archive) [check-zip]']);
  });
});
