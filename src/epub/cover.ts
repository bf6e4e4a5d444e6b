// The generated cover: title and authors set on a plain coloured page, drawn as SVG and rasterised to PNG.
// Deterministic: the colour comes from the title, the fonts ship with quire, no clock or browser is involved.
import { createHash } from 'node:crypto';
import { svgToPng } from '../images.js';
import { escapeText } from '../render/tree.js';

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2560;

const PALETTE = [
  ['#1f3a5f', '#e8d8b0'],
  ['#3b2f4a', '#f0d9a8'],
  ['#234d3c', '#efe6cf'],
  ['#5a2a27', '#f3e3c3'],
  ['#2e3440', '#e5c07b'],
  ['#40352a', '#f1e4c8'],
] as const;

/** Rough advance width of a character in ems for DejaVu Serif Bold; wide scripts count as one em. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (ch === ' ') return 0.32;
  if (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || cp >= 0x20000)) return 1.0;
  if (/[A-Z0-9MW@%&]/.test(ch)) return 0.76;
  if (/[il.,;:'!|]/.test(ch)) return 0.34;
  return 0.62;
}

function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w * size;
}

/** Break `text` into lines no wider than `max` pixels at `size`; long words break anywhere. */
export function wrap(text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, size) <= max) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (textWidth(rest, size) > max) {
      let cut = '';
      for (const ch of rest) {
        if (textWidth(cut + ch, size) > max) break;
        cut += ch;
      }
      if (!cut) cut = [...rest][0]!;
      lines.push(cut);
      rest = rest.slice(cut.length);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

function fit(text: string, sizes: number[], max: number, maxLines: number): { size: number; lines: string[] } {
  for (const size of sizes) {
    const lines = wrap(text, size, max);
    if (lines.length <= maxLines) return { size, lines };
  }
  const size = sizes[sizes.length - 1]!;
  const lines = wrap(text, size, max).slice(0, maxLines);
  lines[maxLines - 1] = `${lines[maxLines - 1]!.replace(/\s*\S{0,3}$/, '')}\u2026`;
  return { size, lines };
}

export function coverSvg(title: string, authors: string[]): string {
  const hash = createHash('sha256').update(title).digest();
  const [background, ink] = PALETTE[hash[0]! % PALETTE.length]!;
  const margin = 150;
  const width = COVER_WIDTH - 2 * margin;
  const t = fit(title, [150, 130, 112, 96, 84, 72], width, 7);
  const lineHeight = Math.round(t.size * 1.2);
  const byline = authors.join(', ');
  const a = fit(byline, [72, 60, 50], width, 3);
  const authorLineHeight = Math.round(a.size * 1.3);
  // Centre the title, rule and authors as one block a little above the middle of the page.
  const blockHeight = (t.lines.length - 1) * lineHeight + 140 + (byline ? 160 + (a.lines.length - 1) * authorLineHeight : 0);
  const top = Math.max(300, Math.round(COVER_HEIGHT * 0.42 - blockHeight / 2));
  const titleText = t.lines
    .map((l, i) => `<text x="${COVER_WIDTH / 2}" y="${top + i * lineHeight}" text-anchor="middle" font-family="DejaVu Serif" font-weight="bold" font-size="${t.size}" fill="${ink}">${escapeText(l)}</text>`)
    .join('\n');
  const ruleY = top + (t.lines.length - 1) * lineHeight + 140;
  const authorText = a.lines
    .map((l, i) => `<text x="${COVER_WIDTH / 2}" y="${ruleY + 160 + i * authorLineHeight}" text-anchor="middle" font-family="DejaVu Sans" font-size="${a.size}" fill="${ink}">${escapeText(l)}</text>`)
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" viewBox="0 0 ${COVER_WIDTH} ${COVER_HEIGHT}">
<rect width="100%" height="100%" fill="${background}"/>
<rect x="70" y="70" width="${COVER_WIDTH - 140}" height="${COVER_HEIGHT - 140}" fill="none" stroke="${ink}" stroke-width="6" opacity="0.6"/>
${titleText}
<rect x="${COVER_WIDTH / 2 - 160}" y="${ruleY}" width="320" height="8" fill="${ink}"/>
${byline ? authorText : ''}
</svg>`;
}

/** The cover as PNG bytes. */
export function generateCover(title: string, authors: string[]): Promise<Buffer> {
  return svgToPng(coverSvg(title, authors), COVER_WIDTH);
}
