// The error catalogue: docs/diagnostics.md documents exactly the codes of src/codes.ts, and every
// diagnostic any fixture produces carries a catalogued code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHECK_CODES, DIAGNOSTIC_CODES } from '../src/codes.js';
import { makeBook } from '../src/index.js';
import { FIXTURES, ROOT } from './helpers.js';

const doc = fs.readFileSync(path.join(ROOT, 'docs', 'diagnostics.md'), 'utf8');

describe('quire check catalogue', () => {
  it('documents every rule quire check has, and only those', () => {
    const dir = path.join(ROOT, 'src', 'check');
    const source = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const used = [...new Set([...source.matchAll(/code: '([a-z0-9-]+)'/g)].map((m) => m[1]))].sort();
    const checkDoc = fs.readFileSync(path.join(ROOT, 'docs', 'check.md'), 'utf8');
    const documented = [...checkDoc.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, used);
    // The catalogue has the same codes, with the severity the documentation gives.
    assert.deepEqual(Object.keys(CHECK_CODES).sort(), used);
    for (const [code, severity] of Object.entries(CHECK_CODES)) {
      assert.match(checkDoc.split(`### \`${code}\``)[1]!, new RegExp(`^\\s*${severity}\\b`), `${code} is documented as ${severity}`);
    }
  });
});

describe('diagnostics catalogue', () => {
  it('documents every code, and only those', () => {
    const documented = [...doc.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, Object.keys(DIAGNOSTIC_CODES).sort());
  });

  it('gives each code the severity it is emitted with', () => {
    for (const [code, severity] of Object.entries(DIAGNOSTIC_CODES)) {
      const section = doc.split(`### \`${code}\``)[1]!.split('###')[0]!;
      assert.match(section, new RegExp(`^\\s*${severity}\\b`), `${code} is documented as ${severity}`);
    }
  });

  it('is used for every diagnostic of the fixtures, with the catalogued severity', async () => {
    for (const name of fs.readdirSync(FIXTURES)) {
      if (!fs.existsSync(path.join(FIXTURES, name, 'articles'))) continue;
      const result = await makeBook({ cwd: path.join(FIXTURES, name), remote: { offline: true } });
      for (const d of result.diagnostics) {
        assert.ok(d.code in DIAGNOSTIC_CODES, `${name}: ${d.code} is not in the catalogue`);
        assert.equal(d.severity, DIAGNOSTIC_CODES[d.code as keyof typeof DIAGNOSTIC_CODES], `${name}: ${d.code} emitted as ${d.severity}`);
      }
    }
  });
});
