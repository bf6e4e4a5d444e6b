// The generated cover: title and authors set on a plain coloured page, drawn as SVG and rasterised to PNG.
// Deterministic: the colour comes from the title, the fonts ship with quire, no clock or browser is involved.
// Every script a title can hold is drawn, each in a font that has it (see fonts.ts).
import { createHash } from 'node:crypto';
import { svgToPng } from '../images.js';
import { FAMILIES, fontFiles, fontRuns, graphemeFamily, type FamilyName } from '../fonts.js';
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

const graphemes = (s: string): string[] => [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

/** Rough advance width of a grapheme in ems for the fonts of fonts.ts; wide scripts count as one em. */
function charWidth(ch: string): number {
  if (ch === ' ') return 0.32;
  switch (graphemeFamily(ch)) {
    case 'han':
    case 'hangul':
      return 1.0;
    case 'emoji':
      return 1.15;
    case 'arabic':
      return 0.5;
    case 'devanagari':
      return 0.7;
    default:
  }
  if (/[A-Z0-9MW@%&]/.test(ch)) return 0.76;
  if (/[il.,;:'!|]/.test(ch)) return 0.34;
  return 0.62;
}

function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of graphemes(s)) w += charWidth(ch);
  return w * size;
}

/** The words of `word` (Thai and CJK words have no spaces between them), as ICU's dictionaries find them. */
function wordPieces(word: string): string[] {
  return [...new Intl.Segmenter('und', { granularity: 'word' }).segment(word)].map((w) => w.segment);
}

/** Letters of scripts that hyphenate: a word of theirs broken over two lines ends the first with a hyphen. */
const HYPHENATING = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}]/u;

/**
 * Break `text` into lines no wider than `max` pixels at `size`. A word too long for a line is cut
 * between graphemes, with a hyphen where its script has them (not in Chinese, Japanese or Thai, which
 * break anywhere without one).
 */
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
    // Too long for a line on its own: cut between words of a script written without spaces (Thai,
    // Chinese, Japanese), else between graphemes.
    for (const piece of wordPieces(word)) {
      if (textWidth(line + piece, size) <= max) {
        line += piece;
        continue;
      }
      if (line) lines.push(line);
      let rest = graphemes(piece);
      while (textWidth(rest.join(''), size) > max) {
        let n = 0;
        while (n < rest.length && textWidth(rest.slice(0, n + 1).join('') + '-', size) <= max) n++;
        n = Math.max(1, n);
        const hyphen = n < rest.length && HYPHENATING.test(rest[n - 1]!) && HYPHENATING.test(rest[n]!) ? '-' : '';
        lines.push(rest.slice(0, n).join('') + hyphen);
        rest = rest.slice(n);
      }
      line = rest.join('');
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** One line of text, each run in the font that has its script (see fonts.ts). */
function textLine(line: string, x: number, y: number, size: number, base: FamilyName, fill: string): string {
  const runs = fontRuns(line, base)
    .map((r) => `<tspan font-family="${FAMILIES[r.family].family}">${escapeText(r.text)}</tspan>`)
    .join('');
  return `<text x="${x}" y="${y}" text-anchor="middle" font-weight="bold" font-size="${size}" fill="${fill}">${runs}</text>`;
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
  // The authors in bold and large enough to read on a 200-pixel thumbnail (84px here is 10.5px there).
  const a = fit(byline, [110, 96, 84], width, 3);
  const authorLineHeight = Math.round(a.size * 1.25);
  // Centre the title, rule and authors as one block a little above the middle of the page.
  const blockHeight = (t.lines.length - 1) * lineHeight + 140 + (byline ? 160 + (a.lines.length - 1) * authorLineHeight : 0);
  const top = Math.max(300, Math.round(COVER_HEIGHT * 0.42 - blockHeight / 2));
  const titleText = t.lines.map((l, i) => textLine(l, COVER_WIDTH / 2, top + i * lineHeight, t.size, 'serif', ink)).join('\n');
  const ruleY = top + (t.lines.length - 1) * lineHeight + 140;
  const authorText = a.lines.map((l, i) => textLine(l, COVER_WIDTH / 2, ruleY + 160 + i * authorLineHeight, a.size, 'sans', ink)).join('\n');
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
  return svgToPng(coverSvg(title, authors), COVER_WIDTH, fontFiles());
}
