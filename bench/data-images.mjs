// Generates a folder of articles whose images are all `data:` URLs (base64 PNGs of noise, which do not
// compress), with a fixed seed: the input of the memory measurement for many embedded images.
// Usage (after `npm run build`, which compiles the PNG encoder it uses): node bench/data-images.mjs DIR [ARTICLES=8] [IMAGES_PER_ARTICLE=25] [KB_PER_IMAGE=256]
import fs from 'node:fs';
import path from 'node:path';
import { encodePng } from '../dist/src/images.js';
import { seededRandom } from './corpus.mjs';

/** A PNG of `side` x `side` noise (opaque RGBA), which deflate cannot make much smaller than its pixels. */
export function noisePng(side, rand) {
  const rgba = Buffer.alloc(side * side * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = i % 4 === 3 ? 255 : Math.floor(rand() * 256);
  return encodePng(rgba, side, side);
}

/** Writes `articles` articles of `images` distinct data: PNGs each, about `kb` kB an image. Returns the images' total bytes. */
export function generateDataImages(dir, articles = 8, images = 25, kb = 256, seed = 1) {
  const rand = seededRandom(seed);
  const side = Math.max(1, Math.round(Math.sqrt((kb * 1024) / 3)));
  fs.mkdirSync(dir, { recursive: true });
  let total = 0;
  for (let a = 1; a <= articles; a++) {
    const parts = [`# Article ${a}`];
    for (let i = 1; i <= images; i++) {
      const png = noisePng(side, rand);
      total += png.length;
      parts.push(`Figure ${i} of article ${a}: ![figure ${i}](data:image/png;base64,${png.toString('base64')}) and text after it.`);
    }
    fs.writeFileSync(path.join(dir, `article-${String(a).padStart(3, '0')}.md`), parts.join('\n\n') + '\n');
  }
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, articles, images, kb] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node bench/data-images.mjs DIR [ARTICLES] [IMAGES_PER_ARTICLE] [KB_PER_IMAGE]');
    process.exit(2);
  }
  const total = generateDataImages(dir, Number(articles ?? 8), Number(images ?? 25), Number(kb ?? 256));
  console.log(`${(total / 1024 / 1024).toFixed(1)} MB of images`);
}
