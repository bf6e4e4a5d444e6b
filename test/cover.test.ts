// The generated cover: every script a title can hold is drawn with a font that has its glyphs (checked
// against the fonts' own character maps with fontkit), long words break with a hyphen where the script
// has them, the authors stay readable on a thumbnail and in grey, and the same title gives the same bytes.
// UPDATE_SCREENSHOTS=1 also writes docs/screenshots/covers.png, the covers side by side.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { coverSvg, generateCover, wrap } from '../src/epub/cover.js';
import { FAMILIES } from '../src/fonts.js';
import { ROOT } from './helpers.js';

interface Font {
  hasGlyphForCodePoint(cp: number): boolean;
}
const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(file: string): Font };

const TITLES: Record<string, [title: string, author: string]> = {
  Chinese: ['红楼梦：中国古典小说的阅读笔记', '曹雪芹'],
  Japanese: ['吾輩は猫である　ひらがなとカタカナ', '夏目漱石'],
  Korean: ['한국어로 쓴 긴 책의 제목', '김영하'],
  Arabic: ['مقالات مختارة في الأدب العربي الحديث', 'نجيب محفوظ'],
  Hebrew: ['מאמרים נבחרים על ספרות עברית', 'עמוס עוז'],
  Devanagari: ['हिन्दी साहित्य के चुने हुए लेख', 'प्रेमचंद'],
  Thai: ['บทความคัดสรรเกี่ยวกับวรรณกรรมไทย', 'สุนทรภู่'],
  Cyrillic: ['Избранные статьи о русской литературе', 'Лев Толстой'],
  Greek: ['Επιλεγμένα άρθρα για την ελληνική λογοτεχνία', 'Νίκος Καζαντζάκης'],
  emoji: ['Reading list 📚🚀 with emoji 🇫🇷', 'Ada Lovelace'],
  mixed: ['Notes: 東京, Москва, القاهرة, ירושלים', 'A. Author'],
};

const byFamily = new Map(Object.values(FAMILIES).map((f) => [f.family, f]));
const opened = new Map<string, Font>();
function font(file: string): Font {
  if (!opened.has(file)) opened.set(file, fontkit.openSync(file));
  return opened.get(file)!;
}

/** Every drawn run of a cover: its font family, weight and text. */
function runs(svg: string): { family: string; bold: boolean; text: string }[] {
  const out: { family: string; bold: boolean; text: string }[] = [];
  for (const text of svg.matchAll(/<text [^>]*?font-weight="(\w+)"[^>]*>(.*?)<\/text>/g)) {
    for (const span of text[2]!.matchAll(/<tspan font-family="([^"]+)">([^<]*)<\/tspan>/g)) {
      out.push({ family: span[1]!, bold: text[1] === 'bold', text: span[2]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>') });
    }
  }
  return out;
}

/** Characters drawn without a glyph of their own: joiners and presentation selectors. */
const INVISIBLE = /[\u200d\ufe0e\ufe0f\u20e3 ]/u;

describe('the generated cover', () => {
  for (const [script, [title, author]] of Object.entries(TITLES)) {
    it(`draws a ${script} title and author with fonts that have every character`, () => {
      const svg = coverSvg(title, [author]);
      const drawn = runs(svg);
      const missing: string[] = [];
      for (const run of drawn) {
        const family = byFamily.get(run.family);
        assert.ok(family, `${run.family} is one of quire's fonts`);
        const file = family.files()[run.bold ? 1 : 0];
        for (const ch of run.text) {
          if (INVISIBLE.test(ch)) continue;
          if (!font(file).hasGlyphForCodePoint(ch.codePointAt(0)!)) missing.push(`${ch} U+${ch.codePointAt(0)!.toString(16).toUpperCase()} in ${path.basename(file)}`);
        }
      }
      assert.deepEqual(missing, [], 'characters the chosen font has no glyph for');
      // Nothing of the title or the author is left out (lines break at spaces or inside words).
      const text = drawn.map((r) => r.text).join('').replace(/[\s-]/g, '');
      assert.equal(text, (title + author).replace(/[\s-]/g, ''));
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
      // Devanagari is left out of the picture: resvg-js 2.6's shaper puts some of its vowel signs in the wrong place.
      const shown = ['Chinese', 'Japanese', 'Korean', 'Arabic', 'Hebrew', 'Thai', 'Cyrillic', 'emoji'];
      const tiles = await Promise.all(shown.map((s) => sharp(covers.get(s)!).resize(W, H).png().toBuffer()));
      await sharp({ create: { width: 4 * W, height: 2 * H, channels: 3, background: '#ffffff' } })
        .composite(tiles.map((t, i) => ({ input: t, left: (i % 4) * W, top: Math.floor(i / 4) * H })))
        .png()
        .toFile(path.join(out, 'covers.png'));
    }
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
      const svg = coverSvg(`Title ${i}`, ['Ada Lovelace', 'Grace Hopper', 'Margaret Hamilton', 'Katherine Johnson']);
      const background = /<rect width="100%" height="100%" fill="(#[0-9a-f]{6})"/.exec(svg)![1]!;
      const ink = /<text [^>]*fill="(#[0-9a-f]{6})"/.exec(svg)![1]!;
      // Grey keeps luminance only: ink and ground must differ by it alone.
      assert.ok(contrast(background, ink) >= 7, `ink ${ink} on ${background}: ${contrast(background, ink).toFixed(1)}:1`);
      const sizes = [...svg.matchAll(/<text [^>]*font-size="(\d+)"/g)].map((m) => Number(m[1]));
      const author = Math.min(...sizes);
      assert.ok((author * 200) / 1600 >= 10, `the authors are ${((author * 200) / 1600).toFixed(1)}px tall on a 200px thumbnail`);
    }
  });
});
