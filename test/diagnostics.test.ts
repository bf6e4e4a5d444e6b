// Diagnostics as users read them: where they point in the Markdown, and how repeated ones are summarised.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { tempDir, writeTree } from './helpers.js';

async function warningsOf(body: string): Promise<string[]> {
  const dir = writeTree(tempDir(), { 'articles/a.md': body });
  const result = await makeBook({ cwd: dir, articlesDir: 'articles' });
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${/`([^`]+)`/.exec(d.message)?.[1] ?? d.code}`);
}

describe('diagnostic positions', () => {
  it('point at links whose text spans lines inside list items and quotes', async () => {
    const body = [
      '# T', // 1
      '',
      '- first line', // 3
      '  item with [a link', // 4
      '  that spans](m1.md) lines',
      '',
      '> first line', // 7
      '> quote with [a link', // 8
      '> spanning](m2.md) lines',
      '',
      '1. one', // 11
      '   > nested',
      '   > [quote', // 13
      '   > link](m3.md)',
      '',
    ].join('\n');
    assert.deepEqual(await warningsOf(body), ['4:13 m1.md', '8:14 m2.md', '13:6 m3.md']);
  });

  it('point at the right block after a line holding only a space inside a list item', async () => {
    const body = [
      '- item', // 1
      ' ',
      '  > quoted [link](m1.md)', // 3
      '',
      '- a', // 5
      ' ',
      '  ```',
      '  code',
      '  ```',
      ' ',
      '  after code [x](m2.md)', // 11
      '',
      '- last',
      '',
    ].join('\n');
    assert.deepEqual(await warningsOf(body), ['3:12 m1.md', '11:14 m2.md']);
  });
});
