// The generated cover: every script a title can hold is drawn with a font that has its glyphs (no glyph
// of a line is a font's empty box), shaped as a browser shapes it (Devanagari compared with Chromium's
// drawing in the same font), long words break with a hyphen where the script has them, the authors
// stay readable on a thumbnail and in grey, and the same title gives the same bytes.
// UPDATE_SCREENSHOTS=1 also writes docs/screenshots/covers.png, the covers side by side.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { coverLayout, coverSvg, generateCover, wrap } from '../src/epub/cover.js';
import { FAMILIES } from '../src/fonts.js';
import { ROOT } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(`\n!! SKIPPED the cover's comparison with Chromium: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_CHROMIUM === '1') throw new Error('QUIRE_REQUIRE_CHROMIUM=1 but Chromium is missing');
}

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

/** Which pixels of a picture are ink: nearer to `ink` than to `ground` in luminance, inside `box`. */
async function inkMask(png: Buffer, ground: number, ink: number, box: { left: number; top: number; width: number; height: number }) {
  const sharp = (await import('sharp')).default;
  const { data, info } = await sharp(png).extract(box).greyscale().raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(info.width * info.height);
  for (let i = 0; i < mask.length; i++) mask[i] = Math.abs(data[i * info.channels]! - ink) < Math.abs(data[i * info.channels]! - ground) ? 1 : 0;
  // The box around the ink.
  let [x0, y0, x1, y1] = [info.width, info.height, -1, -1];
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++)
      if (mask[y * info.width + x]) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x0 + x <= x1 && y0 + y <= y1 ? mask[(y0 + y) * info.width + x0 + x]! : 0);
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, at };
}

const luminance = (hex: string) => Math.round(0.299 * parseInt(hex.slice(1, 3), 16) + 0.587 * parseInt(hex.slice(3, 5), 16) + 0.114 * parseInt(hex.slice(5, 7), 16));

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

  it('draws a Devanagari title as Chromium draws it in the same font: its space and vowel signs in place', { skip: !haveChromium && 'no Chromium' }, async () => {
    const title = 'हिन्दी साहित्य';
    const layout = coverLayout(title, []);
    assert.equal(layout.title.lines.length, 1);
    const ruleY = Number(/<rect x="\d+" y="(\d+)" width="320"/.exec(coverSvg(title, []))![1]);
    const ours = await inkMask(await generateCover(title, []), luminance(layout.background), luminance(layout.ink), { left: 80, top: 80, width: 1440, height: ruleY - 100 });
    const fontFile = FAMILIES.devanagari.files()[1];
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    let theirs: Awaited<ReturnType<typeof inkMask>>;
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 600 } });
      const font = `data:font/ttf;base64,${fs.readFileSync(fontFile).toString('base64')}`;
      await page.setContent(`<!DOCTYPE html><style>@font-face{font-family:T;font-weight:700;src:url(${font})}
        body{margin:0;background:#000;color:#fff}p{margin:200px 0 0 100px;font:700 ${layout.title.size}px T;white-space:pre}</style><p>${title}</p>`);
      await page.evaluate(() => document.fonts.ready);
      theirs = await inkMask(await page.screenshot(), 0, 255, { left: 0, top: 0, width: 1600, height: 600 });
    } finally {
      await browser.close();
    }
    // The same outlines in the same places: the same extent, and the ink of one covers the other's.
    assert.ok(Math.abs(ours.width - theirs.width) <= 3, `the line is ${ours.width}px wide on the cover, ${theirs.width}px in Chromium`);
    assert.ok(Math.abs(ours.height - theirs.height) <= 3, `the line is ${ours.height}px tall on the cover, ${theirs.height}px in Chromium`);
    let both = 0;
    let either = 0;
    for (let y = 0; y < Math.max(ours.height, theirs.height); y++) {
      for (let x = 0; x < Math.max(ours.width, theirs.width); x++) {
        const [a, b] = [ours.at(x, y), theirs.at(x, y)];
        both += a & b;
        either += a | b;
      }
    }
    assert.ok(both / either >= 0.9, `the cover's ink and Chromium's overlap by ${((100 * both) / either).toFixed(1)}%`);
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
});
