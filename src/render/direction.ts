// Direction: a paragraph in Arabic or Hebrew inside an article in another language (or the other way
// round) is laid out in its own direction. Each text block whose first strong letter runs against the
// direction it would inherit gets `dir`, as HTML's `dir="auto"` would decide, but written out: e-readers
// that do not implement `auto` still read `rtl` and `ltr`.
import { isElement, type XElement, type XNode } from './tree.js';

export type Direction = 'ltr' | 'rtl';

/** Blocks that get their own direction. */
const TEXT_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'caption', 'figcaption', 'blockquote']);
/** Text that does not tell the direction of the prose around it: code, formulas, drawings. */
const NEUTRAL = new Set(['pre', 'code', 'kbd', 'samp', 'var', 'bdi', 'math', 'svg']);

/** Letters of right-to-left scripts (Unicode bidi classes R and AL). */
const RTL_LETTER = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Old_South_Arabian}\p{Script=Phoenician}\p{Script=Avestan}\p{Script=Imperial_Aramaic}\p{Script=Kharoshthi}\p{Script=Mende_Kikakui}\p{Script=Yezidi}]/u;
const LETTER = /\p{L}/u;

/** The direction of the first strong letter under `nodes`, skipping code and elements with a `dir` of their own. */
export function firstStrong(nodes: readonly XNode[]): Direction | undefined {
  for (const n of nodes) {
    if (typeof n === 'string') {
      const m = LETTER.exec(n);
      if (m) return RTL_LETTER.test(m[0]) ? 'rtl' : 'ltr';
      continue;
    }
    if (n.ns !== 'html' || NEUTRAL.has(n.tag) || n.attrs.has('dir')) continue;
    const d = firstStrong(n.children);
    if (d) return d;
  }
  return undefined;
}

/** Give `dir` to every text block under `nodes` whose text runs against `inherited` (the document's direction). */
export function markDirections(nodes: readonly XNode[], inherited: Direction): void {
  for (const n of nodes) {
    if (!isElement(n) || n.ns !== 'html') continue;
    // Code reads left to right in right-to-left text too: a listing laid out right to left had each line's
    // closing `;` at its start, and `a();` in an Arabic sentence showed as `;()a`. (EPUB's style sheets
    // may not set `direction`: the attribute says it.)
    if ((n.tag === 'pre' || n.tag === 'code') && inherited === 'rtl' && !n.attrs.has('dir')) n.attrs.set('dir', 'ltr');
    if (NEUTRAL.has(n.tag)) continue;
    markDirections(n.children, ownDirection(n, inherited));
  }
}

function ownDirection(e: XElement, inherited: Direction): Direction {
  const given = e.attrs.get('dir');
  if (given === 'ltr' || given === 'rtl') return given;
  if (given !== undefined || !TEXT_BLOCKS.has(e.tag)) return inherited;
  const found = firstStrong(e.children);
  if (!found || found === inherited) return inherited;
  e.attrs.set('dir', found);
  return found;
}
