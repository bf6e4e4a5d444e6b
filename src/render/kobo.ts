// Kobo spans: what makes an EPUB a KEPUB. Kobo's reader keeps highlights, bookmarks and reading
// statistics by sentence, and finds sentences by `<span class="koboSpan" id="kobo.P.S">` around the text
// (P counts the blocks of text, S the sentences in each), as Kobo's own conversion and kepubify write them.
import { el, replaceEach, type XElement, type XNode } from './tree.js';

/** Elements whose text is left as it is: preformatted code, formulas, drawings. */
const SKIP = new Set(['pre', 'math', 'svg', 'script', 'style']);
/** Elements that start a new block of text (a new P). */
const BLOCK = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th', 'dt', 'dd', 'blockquote', 'figcaption', 'caption', 'div', 'section', 'aside', 'header', 'footer', 'summary', 'details', 'figure', 'nav', 'article', 'address']);

/**
 * Ends of sentences: the punctuation (Latin, Arabic `؟` and `۔`, Devanagari `।`), closing quotes or
 * brackets, then white space; or Chinese and Japanese full stops, which need no space after them.
 */
const SENTENCE_END = /[.!?…؟۔।‼⁇]+["'”’»)\]]*\s+|[。！？]+[」』”’）)]*\s*/g;

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index! + m[0].length;
    if (end < text.length) {
      out.push(text.slice(start, end));
      start = end;
    }
  }
  out.push(text.slice(start));
  return out.filter((s) => s !== '');
}

/**
 * Wrap every sentence of the text in `nodes` in a Kobo span, numbering blocks in document order from
 * `after + 1` (from 1 in a chapter). Returns the last block's number.
 */
export function addKoboSpans(nodes: XNode[], after = 0): number {
  const state = { block: after, sentence: 0, current: undefined as XElement | undefined };
  wrapChildren(nodes, state, undefined);
  return state.block;
}

interface State {
  block: number;
  sentence: number;
  /** The block element the last span was in. */
  current: XElement | undefined;
}

function wrapChildren(children: XNode[], state: State, block: XElement | undefined): void {
  replaceEach(children, (child) => {
    if (typeof child !== 'string') {
      if (child.ns === 'html' && !SKIP.has(child.tag)) wrapChildren(child.children, state, BLOCK.has(child.tag) ? child : block);
      return undefined;
    }
    // White space between blocks stays bare; text directly in the body counts as a block of its own.
    if (!child.trim() || !block) return undefined;
    if (state.current !== block) {
      state.current = block;
      state.block++;
      state.sentence = 0;
    }
    return splitSentences(child).map((s) => el('span', { class: 'koboSpan', id: `kobo.${state.block}.${++state.sentence}` }, [s]));
  });
}
