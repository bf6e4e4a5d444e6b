// The reader everyone has: calibre reads the book, converts it to Kindle's AZW3 and back, and the text and
// the table of contents survive. Without calibre these tests are skipped, loudly; CI installs it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { exec, openEpub, ROOT, tempDir } from './helpers.js';

let available = true;
try {
  execFileSync('ebook-convert', ['--version'], { stdio: 'pipe' });
} catch {
  available = false;
  process.stderr.write('\n!! SKIPPED the calibre tests: ebook-convert is not installed (apt-get install -y calibre; .ci/run does)\n\n');
  if (process.env.QUIRE_REQUIRE_CALIBRE === '1') throw new Error('QUIRE_REQUIRE_CALIBRE=1 but calibre is missing');
}

describe('calibre', { skip: !available && 'calibre is not installed' }, () => {
  it('reads the metadata, converts the book to AZW3 and back, and text and contents survive', async () => {
    const dir = tempDir('quire-calibre-');
    const epub = path.join(dir, 'book.epub');
    fs.writeFileSync(epub, (await makeBook({ cwd: ROOT, articlesDir: 'articles' })).epub!);
    const env = { ...process.env, QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox', CALIBRE_CONFIG_DIRECTORY: path.join(dir, 'calibre-config') };
    const run = (cmd: string, args: string[]) => exec(cmd, args, dir, env);

    const meta = await run('ebook-meta', [epub]);
    assert.equal(meta.code, 0, meta.stderr);
    assert.match(meta.stdout, /^Title\s*:\s*NATO and North-East Asia$/m);
    assert.match(meta.stdout, /^Languages\s*:\s*eng$/m);

    const toKindle = await run('ebook-convert', [epub, path.join(dir, 'book.azw3')]);
    assert.equal(toKindle.code, 0, toKindle.stdout + toKindle.stderr);
    const back = await run('ebook-convert', [path.join(dir, 'book.azw3'), path.join(dir, 'back.epub')]);
    assert.equal(back.code, 0, back.stdout + back.stderr);

    const book = await openEpub(fs.readFileSync(path.join(dir, 'back.epub')));
    let text = '';
    for (const name of book.names.filter((n) => /\.x?html$/.test(n))) text += await book.text(name);
    for (const sentence of ['joined the NATO Cooperative Cyber Defense Center of Excellence', 'Smoldering conflict over how to deal with Japan', 'Dr. Taehun Lim, worked at the Institute']) {
      assert.ok(text.includes(sentence), `"${sentence}" survives`);
    }
    const ncx = book.names.find((n) => n.endsWith('.ncx'));
    assert.ok(ncx, 'the converted book has a table of contents');
    const toc = await book.text(ncx!);
    for (const title of ['NATO pulling Seoul closer', 'NATO Opportunities in the Indo-Pacific', 'Advantage for Korea and Japan']) {
      assert.ok(toc.includes(title), `"${title}" is in the contents`);
    }
  });
});
