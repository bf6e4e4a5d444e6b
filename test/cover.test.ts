// The generated cover: every script a title can hold is drawn with a font that has its glyphs (no glyph
// of a line is a font's empty box), Arabic joined and ordered right to left around Latin words, long
// words break with a hyphen where the script has them, the authors stay readable on a thumbnail and in
// grey, and the same title gives the same bytes. cover-browser.test.ts compares a cover with Chromium.
// UPDATE_SCREENSHOTS=1 also writes docs/screenshots/covers.png, the covers side by side.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { coverLayout, coverSvg, generateCover, missingCharacters, wrap } from '../src/epub/cover.js';
import { FAMILIES } from '../src/fonts.js';
import { makeBook, type BookResult } from '../src/index.js';
import { FIXTURES, ROOT, tempDir, writeTree } from './helpers.js';

const TITLES: Record<string, [title: string, author: string]> = {
  Chinese: ['红楼梦：中国古典小说的阅读笔记', '曹雪芹'],
  Japanese: ['吾輩は猫である　ひらがなとカタカナ', '夏目漱石'],
  Korean: ['한국어로 쓴 긴 책의 제목', '김영하'],
  Arabic: ['مقالات مختارة في الأدب العربي الحديث', 'نجيب محفوظ'],
  'Arabic with Latin': ['مقالات عن Python 3 و JavaScript (٢٠٢٤)', 'Ada Lovelace'],
  Hebrew: ['מאמרים נבחרים על ספרות עברית', 'עמוס עוז'],
  Devanagari: ['हिन्दी साहित्य के चुने हुए लेख', 'प्रेमचंद'],
  Thai: ['บทความคัดสรรเกี่ยวกับวรรณกรรมไทย', 'สุนทรภู่'],
  Cyrillic: ['Избранные статьи о русской литературе', 'Лев Толстой'],
  Greek: ['Επιλεγμένα άρθρα για την ελληνική λογοτεχνία', 'Νίκος Καζαντζάκης'],
  emoji: ['Reading list 📚🚀 with emoji 🇫🇷', 'Ada Lovelace'],
  mixed: ['Notes: 東京, Москва, القاهرة, ירושלים', 'A. Author'],
};

/** Characters drawn without a glyph of their own: joiners and presentation selectors. */
const INVISIBLE = /[\u200d\ufe0e\ufe0f\u20e3]/u;

describe('the generated cover', () => {
  for (const [script, [title, author]] of Object.entries(TITLES)) {
    it(`draws a ${script} title and author with fonts that have every character`, () => {
      const layout = coverLayout(title, [author]);
      const missing: string[] = [];
      const set: string[] = [];
      for (const block of [layout.title, layout.authors!]) {
        for (const line of block.lines) {
          set.push(line.text);
          for (const run of line.shaped.runs) {
            assert.equal(run.bold, true);
            for (const g of run.glyphs) {
              // Glyph 0 is the font's empty box: a character it has no glyph for.
              const cps = g.codePoints.filter((cp) => !INVISIBLE.test(String.fromCodePoint(cp)));
              if (g.id === 0 && cps.length) missing.push(`${String.fromCodePoint(...cps)} in ${FAMILIES[run.family].family}`);
            }
          }
        }
      }
      assert.deepEqual(missing, [], 'characters the chosen font has no glyph for');
      assert.deepEqual(missingCharacters(layout), [], 'what the build would warn about');
      // Nothing of the title or the author is left out (lines break at spaces or inside words).
      assert.equal(set.join('').replace(/[\s-]/g, ''), (title + author).replace(/[\s-]/g, ''));
    });
  }

  it('rasterises every script, and the same title twice gives the same bytes', async () => {
    const out = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : undefined;
    const covers = new Map<string, Buffer>();
    for (const [script, [title, author]] of Object.entries(TITLES)) covers.set(script, await generateCover(title, [author]));
    for (const png of covers.values()) assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(covers.get('Chinese')!.equals(await generateCover(TITLES.Chinese![0], [TITLES.Chinese![1]])), 'reproducible');
    if (out) {
      const sharp = (await import('sharp')).default;
      const W = 300;
      const H = 480;
      const shown = ['Chinese', 'Japanese', 'Korean', 'Arabic', 'Hebrew', 'Devanagari', 'Thai', 'emoji'];
      const tiles = await Promise.all(shown.map((s) => sharp(covers.get(s)!).resize(W, H).png().toBuffer()));
      await sharp({ create: { width: 4 * W, height: 2 * H, channels: 3, background: '#ffffff' } })
        .composite(tiles.map((t, i) => ({ input: t, left: (i % 4) * W, top: Math.floor(i / 4) * H })))
        .png()
        .toFile(path.join(out, 'covers.png'));
    }
  });

  it('warns when it draws characters of the title as boxes, from the cache as when drawn, and not with a cover given', async () => {
    // No font quire ships has Ethiopic or Javanese; the emoji are drawn.
    const title = 'ሰላም: Javanese ꦗꦮ and 📚';
    assert.deepEqual(missingCharacters(coverLayout(title, ['Ada Lovelace'])), ['ሰ', 'ላ', 'ም', 'ꦗ', 'ꦮ']);
    const dir = tempDir();
    writeTree(dir, { 'articles/a.md': '# A\n\nText.\n', 'articles/b.md': '# B\n\nText.\n', 'cover.png': fs.readFileSync(path.join(FIXTURES, 'images/articles/pics/red.png')) });
    const warnings = (r: BookResult) => r.diagnostics.filter((d) => d.code === 'cover-glyphs-missing').map((d) => `${d.severity}: ${d.message}`);
    const cold = await makeBook({ cwd: dir, cacheDir: '.quire-cache', overrides: { title } });
    assert.deepEqual(warnings(cold), ['warning: the generated cover shows 5 characters of the title or authors as a box: ሰ (U+1230), ላ (U+120B), ም (U+121D), ꦗ (U+A997), ꦮ (U+A9AE), which no font quire ships has; give the book a cover image (`cover` in book.yaml, or --cover)']);
    assert.ok(cold.epub, 'the book is written all the same');
    const warm = await makeBook({ cwd: dir, cacheDir: '.quire-cache', overrides: { title } });
    assert.equal(warm.cache!.cover.hits, 1, 'the cover came from the cache');
    assert.deepEqual(warnings(warm), warnings(cold));
    assert.ok(warm.epub!.equals(cold.epub!));
    assert.deepEqual(warnings(await makeBook({ cwd: dir, overrides: { title: 'Reading list 📚 with emoji' } })), []);
    assert.deepEqual(warnings(await makeBook({ cwd: dir, overrides: { title, cover: 'cover.png' } })), []);
  });

  it('breaks a long word with a hyphen, and Thai and Chinese between words without one', () => {
    const word = 'Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft';
    const lines = wrap(word, 150, 1300);
    assert.ok(lines.length > 2);
    for (const l of lines.slice(0, -1)) assert.match(l, /\p{L}-$/u, `"${l}" ends with a hyphen`);
    assert.equal(lines.join('').replace(/-/g, ''), word);
    const thai = 'บทความคัดสรรเกี่ยวกับวรรณกรรมไทย';
    const thaiLines = wrap(thai, 150, 1300);
    assert.ok(thaiLines.length > 1);
    assert.equal(thaiLines.join(''), thai, 'no hyphen in Thai');
    const words = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(thai)].map((w) => w.index));
    let at = 0;
    for (const l of thaiLines.slice(0, -1)) {
      at += l.length;
      assert.ok(words.has(at), `a Thai line ends between two words (at ${at})`);
    }
    assert.ok(!wrap('红楼梦中国古典小说的阅读笔记红楼梦中国古典小说的阅读笔记', 150, 1300).some((l) => l.endsWith('-')), 'no hyphen in Chinese');
  });

  it('keeps the authors readable on a 200-pixel thumbnail and in grey', () => {
    const contrast = (a: string, b: string) => {
      const lum = (hex: string) => {
        const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
        return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
      };
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    // Many titles, so that every colour of the palette is met.
    for (let i = 0; i < 60; i++) {
      const { background, ink, title, authors } = coverLayout(`Title ${i}`, ['Ada Lovelace', 'Grace Hopper', 'Margaret Hamilton', 'Katherine Johnson']);
      const svg = coverSvg(`Title ${i}`, ['Ada Lovelace', 'Grace Hopper', 'Margaret Hamilton', 'Katherine Johnson']);
      assert.ok(svg.includes(`<rect width="100%" height="100%" fill="${background}"/>`) && svg.includes(`<path fill="${ink}"`), 'the cover is drawn in these colours');
      // Grey keeps luminance only: ink and ground must differ by it alone.
      assert.ok(contrast(background, ink) >= 7, `ink ${ink} on ${background}: ${contrast(background, ink).toFixed(1)}:1`);
      const author = Math.min(title.size, authors!.size);
      assert.ok((author * 200) / 1600 >= 10, `the authors are ${((author * 200) / 1600).toFixed(1)}px tall on a 200px thumbnail`);
    }
  });

  it('joins Arabic letters and orders a line of Arabic and Latin by the bidirectional algorithm', () => {
    /** Each line from left to right: the characters its glyphs draw, in stretches of one direction. */
    const visual = (title: string) =>
      coverLayout(title, []).title.lines.map((l) => {
        const stretches: [string, string][] = [];
        for (const r of l.shaped.runs) {
          const text = r.glyphs.flatMap((g) => g.codePoints).map((c) => String.fromCodePoint(c)).join('');
          const last = stretches[stretches.length - 1];
          if (last && last[1] === r.direction) last[0] += text;
          else stretches.push([text, r.direction]);
        }
        return stretches;
      });
    const reversed = (s: string) => [...s].reverse().join('');
    // A Latin title with an Arabic word: the word reads right to left inside the line.
    assert.deepEqual(visual('A القاهرة B'), [[['A ', 'ltr'], [reversed('القاهرة'), 'rtl'], [' B', 'ltr']]]);
    // An Arabic title with English words: the line reads right to left, the English words left to right,
    // and the brackets face what they hold (drawn mirrored: the logical "(" is the right one).
    assert.deepEqual(visual('كتاب عن Python 3 (مقدمة)'), [
      [
        ['Python 3', 'ltr'],
        [reversed('كتاب عن '), 'rtl'],
      ],
      [[`(${reversed('مقدمة')})`, 'rtl']],
    ]);
    // Letters inside an Arabic word take their joining forms, not the forms they have alone.
    const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(file: string): { glyphForCodePoint(cp: number): { id: number } } };
    const naskh = fontkit.openSync(FAMILIES.arabic.files()[1]);
    // محمد: initial, medial, medial and final forms.
    const word = coverLayout('محمد', []).title.lines[0]!.shaped.runs[0]!;
    assert.equal(word.glyphs.length, 4);
    const alone = word.glyphs.filter((g) => g.id === naskh.glyphForCodePoint(g.codePoints[0]!).id);
    assert.deepEqual(alone, [], 'letters of محمد drawn in the form they have alone');
  });

  it('sets a title of 100,000 letters in seven lines, the last ending with an ellipsis', () => {
    // Every line tried is shaped: the title is cut before it is set (this one ran out of memory).
    for (const title of ['a'.repeat(100_000), 'word '.repeat(20_000)]) {
      const { title: set } = coverLayout(title, ['x'.repeat(100_000)]);
      assert.equal(set.lines.length, 7);
      assert.match(set.lines[6]!.text, /\u2026$/);
      for (const line of set.lines) assert.ok(line.shaped.width * set.size <= 1300, `a line of ${Math.round(line.shaped.width * set.size)} px fits in 1300`);
    }
  });
});
