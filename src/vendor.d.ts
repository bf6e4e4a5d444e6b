// Types for the libraries quire uses that ship none of their own, only the parts it uses.

// pako 1: zlib-wrapped DEFLATE, in pure JavaScript, so that the same bytes come out on every machine.
declare module 'pako' {
  /** Streaming deflate, as JSZip drives it: `push(data, false)` for the data, `push(empty, true)` to finish. */
  class Deflate {
    constructor(options?: { raw?: boolean; level?: number });
    push(data: Uint8Array, finish: boolean): boolean;
    err: number;
    msg: string;
    result: Uint8Array;
  }
  const pako: { deflate(data: Uint8Array, options?: { level?: number }): Uint8Array; Deflate: typeof Deflate };
  export default pako;
}

// Types for the part of fontkit quire uses (fontkit 2 ships none): opening a font, shaping a run of text
// with its OpenType tables, and the outlines of its glyphs.
declare module 'fontkit' {
  export interface Path {
    scale(x: number, y: number): Path;
    translate(x: number, y: number): Path;
    toSVG(): string;
  }
  export interface Glyph {
    id: number;
    codePoints: number[];
    path: Path;
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    positions: GlyphPosition[];
  }
  export interface Font {
    unitsPerEm: number;
    layout(text: string, features?: string[], script?: string, language?: string, direction?: 'ltr' | 'rtl'): GlyphRun;
    getGlyph(id: number): Glyph;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export interface FontCollection {
    fonts: Font[];
  }
  export function openSync(file: string): Font | FontCollection;
}
