// The generated cover: title and authors set on a plain coloured page, drawn as SVG and rasterised to PNG.
// Deterministic: the colour comes from the title, the fonts ship with quire, no clock or browser is involved.
// Each script of the bundled fonts is drawn in a font that has it (see fonts.ts), shaped into glyph
// outlines (text-shape.ts): lines are measured by their real glyphs and the rasteriser lays out no text.
// The characters no bundled font has are drawn as boxes, and named (drawCover) for the build to warn.
import { createHash } from 'node:crypto';
import { svgToPng } from '../images.js';
import type { FamilyName } from '../fonts.js';
import { lackingGlyphs, lineOutline, paragraphDirection, shapeLine, type Direction, type ShapedLine } from '../text-shape.js';

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

/** How the text of a cover is set: the family of its Latin, Greek and Cyrillic, its weight and its direction. */
export interface TextStyle {
  base: FamilyName;
  bold: boolean;
  direction: Direction;
}

/** The width of `s` in pixels at `size`, as its glyphs are shaped (text-shape.ts). */
function textWidth(s: string, size: number, style: TextStyle): number {
  return shapeLine(s, style.base, style.bold, style.direction).width * size;
}

/** The words of `word` (Thai and CJK words have no spaces between them), as ICU's dictionaries find them. */
function wordPieces(word: string): string[] {
  return [...new Intl.Segmenter('und', { granularity: 'word' }).segment(word)].map((w) => w.segment);
}

/** Letters of scripts that hyphenate: a word of theirs broken over two lines ends the first with a hyphen. */
const HYPHENATING = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}]/u;

/**
 * Break `text` into lines no wider than `max` pixels at `size`, `limit` lines at most. A word too long
 * for a line is cut between graphemes, with a hyphen where its script has them (not in Chinese,
 * Japanese or Thai, which break anywhere without one).
 */
export function wrap(text: string, size: number, max: number, style: TextStyle = titleStyle(text), limit = Infinity): string[] {
  const width = (s: string) => textWidth(s, size, style);
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (const word of words) {
    if (lines.length >= limit) break;
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= max) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    // Too long for a line on its own: cut between words of a script written without spaces (Thai,
    // Chinese, Japanese), else between graphemes.
    for (const piece of wordPieces(word)) {
      if (width(line + piece) <= max) {
        line += piece;
        continue;
      }
      if (line) lines.push(line);
      let rest = graphemes(piece);
      while (lines.length < limit) {
        // The most graphemes that fit with a hyphen after them. Each try is shaped, and the rest may be
        // long: try 1, 2, 4... graphemes until they do not fit, then halve the last step.
        const fits = (k: number) => width(rest.slice(0, k).join('') + '-') <= max;
        let hi = 1;
        while (hi < rest.length && fits(hi)) hi *= 2;
        if (hi >= rest.length && width(rest.join('')) <= max) break;
        let lo = Math.max(1, hi / 2);
        hi = Math.min(hi, rest.length);
        while (lo < hi) {
          const mid = Math.ceil((lo + hi) / 2);
          if (fits(mid)) lo = mid;
          else hi = mid - 1;
        }
        const n = lo;
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

/**
 * The largest of `sizes` at which `text` takes `maxLines` lines or fewer; at the smallest, a text still
 * too long ends its last line with an ellipsis.
 */
function fit(text: string, sizes: number[], max: number, maxLines: number, style: TextStyle): { size: number; lines: string[] } {
  for (const size of sizes) {
    const lines = wrap(text, size, max, style, maxLines + 1);
    if (lines.length <= maxLines) return { size, lines };
  }
  const size = sizes[sizes.length - 1]!;
  const lines = wrap(text, size, max, style, maxLines).slice(0, maxLines);
  // The last line cut to the most graphemes that fit with the ellipsis (found by halving: each try is shaped).
  const last = graphemes(lines[maxLines - 1]!.replace(/\s*\S{0,3}$/, ''));
  const ending = (n: number) => `${last.slice(0, n).join('').trimEnd()}\u2026`;
  let [lo, hi] = [0, last.length];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(ending(mid), size, style) <= max) lo = mid;
    else hi = mid - 1;
  }
  lines[maxLines - 1] = ending(lo);
  return { size, lines };
}

/** The title set in bold serif, in the direction of its first strong letter. */
function titleStyle(title: string): TextStyle {
  return { base: 'serif', bold: true, direction: paragraphDirection(title) };
}

/**
 * Text of a title or byline beyond this many UTF-16 units is not set: seven lines at the smallest size
 * hold fewer (about 70 narrow letters a line), each line is shaped as it is tried, and ICU's segmenter
 * copies the whole text for each grapheme it finds (a 100,000-letter title ran out of memory).
 */
const MAX_UNITS = 2000;

/** The text cut to at most MAX_UNITS, between two code points. */
function bounded(text: string): string {
  if (text.length <= MAX_UNITS) return text;
  const code = text.charCodeAt(MAX_UNITS - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_UNITS - 1 : MAX_UNITS);
}

/** A block of text on the cover: its size in pixels, its style and its lines, each as shaped. */
export interface CoverText {
  size: number;
  style: TextStyle;
  lines: { text: string; shaped: ShapedLine }[];
}

/** What the cover shows: its colours, the title and the authors as they are set. */
export interface CoverLayout {
  background: string;
  ink: string;
  title: CoverText;
  authors: CoverText | undefined;
}

function setText(text: string, sizes: number[], max: number, maxLines: number, style: TextStyle): CoverText {
  const { size, lines } = fit(bounded(text), sizes, max, maxLines, style);
  return { size, style, lines: lines.map((l) => ({ text: l, shaped: shapeLine(l, style.base, style.bold, style.direction) })) };
}

const MARGIN = 150;

export function coverLayout(title: string, authors: string[]): CoverLayout {
  const hash = createHash('sha256').update(title).digest();
  const [background, ink] = PALETTE[hash[0]! % PALETTE.length]!;
  const width = COVER_WIDTH - 2 * MARGIN;
  const byline = authors.join(', ');
  return {
    background,
    ink,
    title: setText(title, [150, 130, 112, 96, 84, 72], width, 7, titleStyle(title)),
    // The authors in bold and large enough to read on a 200-pixel thumbnail (84px here is 10.5px there).
    authors: byline ? setText(byline, [110, 96, 84], width, 3, { base: 'sans', bold: true, direction: paragraphDirection(byline) }) : undefined,
  };
}

/** One line of text as glyph outlines, centred on the page with its baseline at `y`. */
function drawLine(line: ShapedLine, y: number, size: number, fill: string): string {
  const left = Math.round((COVER_WIDTH / 2 - (line.width * size) / 2) * 100) / 100;
  return `<path fill="${fill}" d="${lineOutline(line, left, y, size)}"/>`;
}

export function coverSvg(title: string, authors: string[]): string {
  return layoutSvg(coverLayout(title, authors));
}

function layoutSvg(layout: CoverLayout): string {
  const { background, ink, title: t, authors: a } = layout;
  const lineHeight = Math.round(t.size * 1.2);
  const authorLineHeight = a ? Math.round(a.size * 1.25) : 0;
  // Centre the title, rule and authors as one block a little above the middle of the page.
  const blockHeight = (t.lines.length - 1) * lineHeight + 140 + (a ? 160 + (a.lines.length - 1) * authorLineHeight : 0);
  const top = Math.max(300, Math.round(COVER_HEIGHT * 0.42 - blockHeight / 2));
  const titleText = t.lines.map((l, i) => drawLine(l.shaped, top + i * lineHeight, t.size, ink)).join('\n');
  const ruleY = top + (t.lines.length - 1) * lineHeight + 140;
  const authorText = a ? a.lines.map((l, i) => drawLine(l.shaped, ruleY + 160 + i * authorLineHeight, a.size, ink)).join('\n') : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" viewBox="0 0 ${COVER_WIDTH} ${COVER_HEIGHT}">
<rect width="100%" height="100%" fill="${background}"/>
<rect x="70" y="70" width="${COVER_WIDTH - 140}" height="${COVER_HEIGHT - 140}" fill="none" stroke="${ink}" stroke-width="6" opacity="0.6"/>
${titleText}
<rect x="${COVER_WIDTH / 2 - 160}" y="${ruleY}" width="320" height="8" fill="${ink}"/>
${authorText}
</svg>`;
}

/** The cover as PNG bytes: the text is outlines already, so the rasteriser needs no font. */
export function generateCover(title: string, authors: string[]): Promise<Buffer> {
  return svgToPng(coverSvg(title, authors), COVER_WIDTH, []);
}

/** A generated cover, and the characters of its text that no font quire ships has (drawn as boxes). */
export interface DrawnCover {
  png: Uint8Array;
  missing: string[];
}

export async function drawCover(title: string, authors: string[]): Promise<DrawnCover> {
  const layout = coverLayout(title, authors);
  return { png: await svgToPng(layoutSvg(layout), COVER_WIDTH, []), missing: missingCharacters(layout) };
}

/**
 * The characters the cover draws as boxes, each once, in the order they come: those of a script none of
 * the bundled fonts has (Ethiopic, Javanese...). Characters that are not drawn anyway (joiners, variation
 * selectors, controls) do not count.
 */
export function missingCharacters(layout: CoverLayout): string[] {
  const missing = new Set<string>();
  for (const text of [layout.title, layout.authors]) {
    for (const line of text?.lines ?? []) {
      for (const ch of lackingGlyphs(line.shaped)) if (!/^[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Cc}]$/u.test(ch)) missing.add(ch);
    }
  }
  return [...missing];
}
