// The text-shaping seam (base, for the generated cover): a line of text shaped into glyph outlines, so
// that the rasteriser draws shapes and lays out no text of its own (resvg 2.6 dropped spaces and vowel
// signs of Devanagari). fontkit shapes each run with its font's OpenType tables (Indic, Arabic, Hebrew,
// Thai and the Universal Shaping Engine's rules) and bidi-js orders the runs of a line by the Unicode
// Bidirectional Algorithm. Nothing else in quire knows these libraries. Fonts are opened on first use:
// a Latin title never opens the Chinese font.
import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import type * as fontkit from 'fontkit';
import { FAMILIES, fontRuns, type FamilyName } from './fonts.js';

// Loaded on first use (fontkit takes 70 ms to load): a build whose cover is cached, or not generated,
// never loads them. Both are CommonJS packages with a synchronous require entry.
const require = createRequire(import.meta.url);
let fontkitModule: typeof fontkit | undefined;

export type Direction = 'ltr' | 'rtl';

/** A glyph set on a line: its id in the font (0 is the font's "missing" glyph) and the characters it draws. */
export interface PlacedGlyph {
  id: number;
  codePoints: number[];
  /** Where its origin is, in ems from the line's left edge, and how far it moves the pen. */
  x: number;
  y: number;
  advance: number;
}

/** A run of a line in one font and one direction, its glyphs in the order they are drawn (left to right). */
export interface ShapedRun {
  text: string;
  family: FamilyName;
  bold: boolean;
  direction: Direction;
  glyphs: PlacedGlyph[];
}

/** A line of text shaped: its runs in visual order (left to right) and its width in ems. */
export interface ShapedLine {
  runs: ShapedRun[];
  width: number;
}

const opened = new Map<string, fontkit.Font>();
function font(family: FamilyName, bold: boolean): fontkit.Font {
  const file = FAMILIES[family].files()[bold ? 1 : 0];
  let f = opened.get(file);
  if (!f) {
    const got = (fontkitModule ??= require('fontkit') as typeof fontkit).openSync(file);
    if (!('layout' in got)) throw new Error(`${file} is a font collection, not a font`);
    opened.set(file, (f = got));
  }
  return f;
}

// bidi-js's exports are the factory itself (its types describe it as an ES default export).
let bidiInstance: Bidi | undefined;
const bidi = () => (bidiInstance ??= (require('bidi-js') as () => Bidi)());

/** The direction of a paragraph: that of its first strong letter (rule P2 of the bidirectional algorithm). */
export function paragraphDirection(text: string): Direction {
  return bidi().getEmbeddingLevels(text).paragraphs[0]?.level === 1 ? 'rtl' : 'ltr';
}

const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

const shapedLines = new Map<string, ShapedLine>();
/** Lines shaped so far are kept for measuring and drawing again; past this many the memo starts over. */
const MEMO = 5000;

/**
 * Shape one line of text: cut where its font or its bidirectional level changes, each piece shaped in
 * its own font and direction (mirrored brackets in right-to-left text), the pieces ordered left to right
 * (rule L2). `base` draws the scripts DejaVu has; the others get their Noto font (fonts.ts).
 */
export function shapeLine(text: string, base: FamilyName, bold: boolean, direction: Direction): ShapedLine {
  const key = `${base}\u0000${bold}\u0000${direction}\u0000${text}`;
  const memo = shapedLines.get(key);
  if (memo) return memo;
  const { levels } = bidi().getEmbeddingLevels(text, direction);
  const mirrored = bidi().getMirroredCharactersMap(text, levels);
  const pieces: { text: string; family: FamilyName; level: number }[] = [];
  let at = 0;
  for (const run of fontRuns(text, base)) {
    for (const { segment } of graphemeSegmenter.segment(run.text)) {
      let drawn = '';
      for (let j = at; j < at + segment.length; j++) drawn += mirrored.get(j) ?? text[j];
      // Punctuation goes with the run it stands in, but not every font has it (Noto Naskh Arabic has no
      // brackets): a lone character the run's font lacks is drawn by the base font when that has it.
      let family = run.family;
      const cp = drawn.codePointAt(0)!;
      if (family !== base && drawn.length === String.fromCodePoint(cp).length && !font(family, bold).hasGlyphForCodePoint(cp) && font(base, bold).hasGlyphForCodePoint(cp)) family = base;
      const last = pieces[pieces.length - 1];
      if (last && last.family === family && last.level === levels[at]) last.text += drawn;
      else pieces.push({ text: drawn, family, level: levels[at]! });
      at += segment.length;
    }
  }
  // Rule L2: from the highest level down to the lowest odd one, reverse every sequence of pieces at that level or above.
  const order = pieces.map((_, i) => i);
  const max = Math.max(0, ...pieces.map((p) => p.level));
  const lowestOdd = Math.min(...pieces.map((p) => p.level | 1));
  for (let level = max; level >= lowestOdd; level--) {
    for (let i = 0; i < order.length; ) {
      if (pieces[order[i]!]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && pieces[order[j]!]!.level >= level) j++;
      order.splice(i, j - i, ...order.slice(i, j).reverse());
      i = j;
    }
  }
  let pen = 0;
  const runs: ShapedRun[] = [];
  for (const i of order) {
    const piece = pieces[i]!;
    const dir: Direction = piece.level % 2 ? 'rtl' : 'ltr';
    const f = font(piece.family, bold);
    // fontkit gives the glyphs of a right-to-left run already in visual order.
    const laid = f.layout(piece.text, undefined, undefined, undefined, dir);
    const em = f.unitsPerEm;
    const glyphs: PlacedGlyph[] = laid.glyphs.map((g, k) => {
      const p = laid.positions[k]!;
      const placed = { id: g.id, codePoints: [...g.codePoints], x: pen + p.xOffset / em, y: p.yOffset / em, advance: p.xAdvance / em };
      pen += p.xAdvance / em;
      return placed;
    });
    runs.push({ text: piece.text, family: piece.family, bold, direction: dir, glyphs });
  }
  const line = { runs, width: pen };
  if (shapedLines.size >= MEMO) shapedLines.clear();
  shapedLines.set(key, line);
  return line;
}

/**
 * The characters of a shaped line that the font of their run lacks: each is drawn as that font's "missing"
 * glyph, a box. (A glyph's own code points cannot tell: fontkit keeps one glyph object for id 0, with the
 * code points of the first character it was asked for.)
 */
export function lackingGlyphs(line: ShapedLine): string[] {
  const out: string[] = [];
  for (const run of line.runs) {
    const f = font(run.family, run.bold);
    for (const ch of run.text) if (!f.hasGlyphForCodePoint(ch.codePointAt(0)!)) out.push(ch);
  }
  return out;
}

/**
 * The outline of a shaped line as SVG path data, `size` pixels to the em, its left end at `x` and its
 * baseline at `y` (SVG's y axis points down, the fonts' up).
 */
export function lineOutline(line: ShapedLine, x: number, y: number, size: number): string {
  const parts: string[] = [];
  for (const run of line.runs) {
    const f = font(run.family, run.bold);
    for (const g of run.glyphs) {
      const scale = size / f.unitsPerEm;
      const d = f
        .getGlyph(g.id)
        .path.scale(scale, -scale)
        .translate(x + g.x * size, y - g.y * size)
        .toSVG();
      if (d) parts.push(d);
    }
  }
  return parts.join('');
}
