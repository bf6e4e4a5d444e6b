// The generated cover beside a browser: a Devanagari, an Arabic and a Thai title are drawn as Chromium
// (HarfBuzz) draws the same text in the same font: the same extent, 90% of the ink in common. resvg's own
// text layout, which drew the cover before, dropped the space and the vowel sign ा of हिन्दी साहित्य.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { coverLayout, coverSvg, generateCover } from '../src/epub/cover.js';
import { FAMILIES } from '../src/fonts.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(`\n!! SKIPPED the cover's comparison with Chromium: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_CHROMIUM === '1') throw new Error('QUIRE_REQUIRE_CHROMIUM=1 but Chromium is missing');
}

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

/** Titles in one script, with the family that draws them. */
const TITLES: [script: string, title: string, family: keyof typeof FAMILIES][] = [
  ['Devanagari', 'हिन्दी साहित्य', 'devanagari'],
  ['Arabic', 'الأدب العربي', 'arabic'],
  ['Thai', 'วรรณกรรมไทย', 'thai'],
];

describe('the generated cover beside Chromium', { skip: !haveChromium && 'no Chromium' }, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  });
  after(async () => browser?.close());

  for (const [script, title, family] of TITLES) {
    it(`draws a ${script} title as Chromium draws it in the same font`, async () => {
      const layout = coverLayout(title, []);
      assert.equal(layout.title.lines.length, 1);
      const ruleY = Number(/<rect x="\d+" y="(\d+)" width="320"/.exec(coverSvg(title, []))![1]);
      const ours = await inkMask(await generateCover(title, []), luminance(layout.background), luminance(layout.ink), { left: 80, top: 80, width: 1440, height: ruleY - 100 });
      const page = await browser.newPage({ viewport: { width: 1600, height: 600 } });
      let theirs: Awaited<ReturnType<typeof inkMask>>;
      try {
        const font = `data:font/ttf;base64,${fs.readFileSync(FAMILIES[family].files()[1]).toString('base64')}`;
        await page.setContent(`<!DOCTYPE html><style>@font-face{font-family:T;font-weight:700;src:url(${font})}
          body{margin:0;background:#000;color:#fff}p{margin:200px 0 0 100px;font:700 ${layout.title.size}px T;white-space:pre}</style><p>${title}</p>`);
        await page.evaluate(() => document.fonts.ready);
        theirs = await inkMask(await page.screenshot(), 0, 255, { left: 0, top: 0, width: 1600, height: 600 });
      } finally {
        await page.close();
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
  }
});
