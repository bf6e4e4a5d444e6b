// Render stage, after sanitising: abbreviations. An `<abbr title>` keeps its expansion in a tooltip, and no
// e-reader shows tooltips: the first time a chapter uses an abbreviation, its expansion is written after it
// in parentheses, "HTML (HyperText Markup Language)", unless the chapter spells it out already. Headings
// (they name the chapter's sections in the table of contents) and code are left as written.
import { textOf, type XNode } from './tree.js';

/** Elements whose text is left as written: headings name sections, code is code. */
const AS_WRITTEN = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'code', 'kbd', 'samp']);

const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();

export function expandAbbreviations(nodes: XNode[]): void {
  /** The chapter's text, lower-cased, read once when an abbreviation is first found. */
  let text: string | undefined;
  const seen = new Set<string>();
  const visit = (list: XNode[]) => {
    for (let i = 0; i < list.length; i++) {
      const n = list[i]!;
      if (typeof n === 'string' || n.ns !== 'html' || AS_WRITTEN.has(n.tag)) continue;
      if (n.tag !== 'abbr') {
        visit(n.children);
        continue;
      }
      const title = squeeze(n.attrs.get('title') ?? '');
      const short = squeeze(textOf(n));
      if (!title || !short || title.toLowerCase() === short.toLowerCase()) continue;
      const key = `${short}\n${title}`.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      text ??= squeeze(nodes.map(textOf).join(' ')).toLowerCase();
      if (text.includes(title.toLowerCase())) continue;
      list.splice(++i, 0, ` (${title})`);
    }
  };
  visit(nodes);
}
