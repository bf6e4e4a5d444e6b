// Render stage, after sanitising: abbreviations. An `<abbr title>` keeps its expansion in a tooltip, and no
// e-reader shows tooltips: the first time a chapter uses an abbreviation, its expansion is written after it
// in parentheses, "HTML (HyperText Markup Language)", unless the chapter spells it out already. Headings
// (they name the chapter's sections in the table of contents) and code are left as written.
import { replaceEach, textOf, type XElement, type XNode } from './tree.js';

/** Elements whose text is left as written: headings name sections, code is code. */
const AS_WRITTEN = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'code', 'kbd', 'samp']);

const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Abbreviations of a chapter whose expansion is looked for in its text. */
const MAX_SEARCHES = 1000;

export function expandAbbreviations(nodes: XNode[]): void {
  /** The chapter's text, lower-cased, read once when an abbreviation is first found. */
  let text: string | undefined;
  const seen = new Set<string>();
  /** The expansion to write after an abbreviation, if any. */
  const expands = (n: XElement): string | undefined => {
    const title = squeeze(n.attrs.get('title') ?? '');
    const short = squeeze(textOf(n));
    if (!title || !short || title.toLowerCase() === short.toLowerCase()) return undefined;
    const key = `${short}\n${title}`.toLowerCase();
    if (seen.has(key)) return undefined;
    seen.add(key);
    text ??= squeeze(nodes.map(textOf).join(' ')).toLowerCase();
    // Each search reads the chapter's text: past the first thousand abbreviations (a glossary), the
    // expansion is written without looking.
    return seen.size <= MAX_SEARCHES && text.includes(title.toLowerCase()) ? undefined : title;
  };
  const visit = (list: XNode[]): void =>
    replaceEach(list, (n) => {
      if (typeof n === 'string' || n.ns !== 'html' || AS_WRITTEN.has(n.tag)) return undefined;
      if (n.tag !== 'abbr') {
        visit(n.children);
        return undefined;
      }
      const title = expands(n);
      return title === undefined ? undefined : [n, ` (${title})`];
    });
  visit(nodes);
}
