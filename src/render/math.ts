// The math seam: TeX between dollar signs -> MathML, by Temml (loaded on first use).
// Each formula keeps its TeX as `alttext` and as an annotation, the fallback for readers without MathML.
import { createRequire } from 'node:module';
import { escapeAttr } from './tree.js';

type Temml = { renderToString(tex: string, options: Record<string, unknown>): string };
let temml: Temml | undefined;

/** Longest formula quire renders; longer ones stay as written. */
export const MAX_TEX = 20_000;

/** Longest inline formula looked for: the search for a closing `$` stops there. */
const MAX_INLINE_TEX = 2_000;

export type MathResult = { ok: true; mathml: string } | { ok: false; message: string };

export function texToMathml(tex: string, display: boolean): MathResult {
  if (tex.length > MAX_TEX) return { ok: false, message: `formula longer than ${MAX_TEX} characters` };
  temml ??= createRequire(import.meta.url)('temml') as Temml;
  let out: string;
  try {
    out = temml.renderToString(tex, { displayMode: display, annotate: true, xml: true, throwOnError: true, trust: false, maxExpand: 500, maxSize: [-100, 100] });
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    // Temml ends some messages with the formula, its faulty part underlined by combining characters.
    return { ok: false, message: message.replace(/^ParseError: /, '').replace(/ at position \d+: .*$/, '').replace(/\u0332/g, '') };
  }
  // Temml's `display: block math` style is for browsers that know MathML Core; the book's CSS centres instead.
  const alt = escapeAttr(tex.replace(/\s+/g, ' ').trim());
  out = out.replace(/^<math([^>]*)>/, (_, attrs: string) => `<math${attrs.replace(/ style="display:block math;"/, '')} alttext="${alt}">`);
  return { ok: true, mathml: out };
}

/**
 * Text between two dollar signs that is not TeX but code or quoted strings (`['.jpg$', '.gif$']`, shell's
 * `"$HOME" and "$PATH"`): it holds a double quote, or a single quote that is not a prime (a prime follows
 * a letter, digit, brace, bracket, parenthesis or another prime: `f'(x)`, `a''`).
 */
function looksLikeCode(tex: string): boolean {
  return /["\u201c\u201d]/.test(tex) || /(^|[^\w})\]'])'/.test(tex);
}

/**
 * Text between two dollar signs that reads as words around a variable's or an operator's `$`, not TeX: it
 * starts with punctuation that ends a phrase (`array.$, array.$.$`; not `]`, which opens an interval in
 * French, `$]0,1[$`), or it ends with an operator and a word
 * follows the closing `$` at once (MongoDB's `$elemMatch+$in`, `$regex/$glob` in a changelog: the dollar signs
 * went, and the words between them were set as a formula). `the $n$th term` is still one.
 */
function notTex(tex: string, after: string | undefined): boolean {
  return /^(?:[,;:)}]|\.(?!\d))/.test(tex) || (/[-+*/=.,(]$/.test(tex) && after !== undefined && /[\p{L}_]/u.test(after));
}

/**
 * Where inline math `$…$` ends in `src` (which starts with `$`), or -1. As in pandoc: the opening `$` has a
 * non-space character right after it, the closing `$` a non-space character right before it and no digit
 * right after it, so prices such as `$5 and $10` stay text; it holds no backtick, so that a code span
 * such as `` `$HOME` `` is never taken into a formula; and it holds no quoted strings (see looksLikeCode).
 */
export function inlineMathEnd(src: string): number {
  if (src[1] === undefined || /[\s$]/.test(src[1])) return -1;
  const end = Math.min(src.length, MAX_INLINE_TEX + 2);
  for (let i = 1; i < end; i++) {
    const ch = src[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '\n' && /^\n[ \t]*(\n|$)/.test(src.slice(i, i + 80))) return -1; // a blank line ends the paragraph
    if (ch === '`') return -1; // code spans bind tighter than math
    if (ch === '$') {
      if (/\s/.test(src[i - 1]!) || /\d/.test(src[i + 1] ?? '')) return -1;
      return looksLikeCode(src.slice(1, i)) || notTex(src.slice(1, i), src[i + 1]) ? -1 : i + 1;
    }
  }
  return -1;
}
