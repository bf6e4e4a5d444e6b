// Sanitising: HTML from Marked (including raw HTML written in the Markdown) -> a safe, valid XHTML tree.
// parse5 repairs the markup as a browser would; this stage then keeps what is safe and valid in EPUB 3:
// no scripts, frames, forms, event handlers or javascript: URLs; presentational attributes become CSS;
// inline SVG and MathML keep their namespaces; content models that EPUBCheck enforces are respected.
// The entry point: it parses, runs the cleaning walk (sanitize-walk.ts) and hands back the tree with what
// was found; the policy, attribute, CSS, content-model and SVG/MathML rules live in the sanitize-*.ts files.
import { placeOf } from '../diagnostics.js';
import { parseHtml, parseWithParse5, type LeftOpen } from './html-parse.js';
import type { XNode } from './tree.js';
import { cleanChildren } from './sanitize-walk.js';
import type { SanitizeProblem, State } from './sanitize-state.js';

export type { SanitizeProblem } from './sanitize-state.js';
export { MAX_DEPTH } from './sanitize-state.js';
export { sanitizeStyle, sanitizeUrl } from './sanitize-attributes.js';
export { dropDanglingSvgReferences } from './sanitize-foreign.js';

export interface SanitizeResult {
  nodes: XNode[];
  svg: boolean;
  mathml: boolean;
  problems: SanitizeProblem[];
}

export function sanitizeHtml(html: string, source: string, options: { alwaysParse5?: boolean } = {}): SanitizeResult {
  const parsed = options.alwaysParse5 ? parseWithParse5(html) : parseHtml(html);
  const state: State = { source, depth: 0, rawPos: 0, rawEnd: 0, rawCursor: 0, svg: false, mathml: false, links: 0, problems: [] };
  for (const pos of parsed.tablesEnded) {
    state.problems.push({ pos, code: 'html-unclosed', message: '`<table>` holds Markdown outside its cells, which a browser would move above the table: the table is ended before that Markdown, which is shown after it; close the table before it (`</table>`), or put the Markdown in a cell (a paragraph, a heading, a list, or a line of the table indented four spaces after a blank line, which Markdown reads as code)' });
  }
  for (const open of parsed.leftOpen) {
    // One closed on its own line (`<a href="x"><p>Card</p></a>` in a paragraph) is closed where it is meant
    // to end: the blocks it holds are the author's, which the parser repairs, as in an HTML block of its own.
    // (Also when the card is the chapter's last block: it was reported, "to the end of the chapter".)
    if (open.closing !== undefined && !source.slice(open.pos, open.closing).includes('\n')) continue;
    state.problems.push({ pos: open.pos, code: 'html-unclosed', message: leftOpenMessage(open, source) });
  }
  const nodes = cleanChildren(parsed.nodes, state, false, '');
  return { nodes, svg: state.svg, mathml: state.mathml, problems: state.problems };
}

/** How a browser shows the text inside each element the parser carries on. */
const SHOWN: Record<string, string> = {
  a: 'as part of its link', b: 'in bold', big: 'larger', code: 'in code font', em: 'in italics', font: 'in its font', i: 'in italics',
  nobr: 'without line breaks', s: 'struck through', small: 'smaller', strike: 'struck through', strong: 'in bold', tt: 'in code font', u: 'underlined',
};

function leftOpenMessage(open: LeftOpen, source: string): string {
  const blocks = open.blocks === 1 ? 'the block after it is' : `the ${open.blocks.toLocaleString('en-US')} blocks after it are`;
  const to = open.toEnd ? ', to the end of the chapter' : open.closing === undefined ? '' : `, to its end tag on line ${placeOf(source, open.closing).line}`;
  return `\`<${open.tag}>\` is not closed in its block: ${blocks} shown ${SHOWN[open.tag] ?? 'in it'} too${to}, as a browser shows them; close it (\`</${open.tag}>\`) where it should end`;
}
