// Headings: stable ids (GitHub's slugs, so `#installation` links written for GitHub keep working),
// levels shifted under the chapter title, and the list of sections for the table of contents.
import GithubSlugger from 'github-slugger';
import type { Heading } from '../model.js';
import { el, isElement, propTexts, shownAsIs, textOf, unslugged, walk, type XElement, type XNode } from './tree.js';
import { UNSMARTENED } from './typography.js';

export type { Heading };

const HEADING = /^h([1-6])$/;
/** Headings inside these are part of a quotation, a list, a note or a folded block, not sections of the article. */
const NOT_SECTIONS = new Set(['blockquote', 'li', 'table', 'aside', 'details', 'figure', 'dd', 'dt']);

/** A slugger that never gives an id already taken in the chapter. */
export class IdAllocator {
  private readonly slugger = new GithubSlugger();
  /**
   * For an id claimed more than once, the number to try next: ids are only ever taken, so the numbers below
   * the last one given stay taken. Trying them all again for each repeat took 74 s for 40,000 `id="x"`.
   */
  private readonly next = new Map<string, number>();
  constructor(private readonly taken: Set<string>) {}

  /** An id for `text` (GitHub's slug, then -1, -2... on repeats). */
  forText(text: string, fallback = 'section'): string {
    let id = this.slugger.slug(text) || this.slugger.slug(fallback);
    while (this.taken.has(id)) id = this.slugger.slug(text || fallback);
    this.taken.add(id);
    return id;
  }

  /** Keep `id` if it is free, else make it unique. */
  claim(id: string): string {
    if (!this.taken.has(id)) {
      this.taken.add(id);
      return id;
    }
    let n = this.next.get(id) ?? 1;
    while (this.taken.has(`${id}-${n}`)) n++;
    this.next.set(id, n + 1);
    this.taken.add(`${id}-${n}`);
    return `${id}-${n}`;
  }
}

/**
 * Give every heading an id, shift levels so that the article's top sections are h2, and
 * return the sections (headings not inside quotes, lists or notes) in reading order.
 */
export function processHeadings(nodes: XNode[], ids: IdAllocator, smart?: Smarten): Heading[] {
  const found: { e: XElement; section: boolean }[] = [];
  const visit = (list: XNode[], inside: boolean): void => {
    for (const n of list) {
      if (!isElement(n) || n.ns !== 'html') continue;
      if (HEADING.test(n.tag)) found.push({ e: n, section: !inside });
      const unfolded = n.tag === 'div' && (n.attrs.get('class') ?? '').split(' ').includes('details'); // a <details> (sanitize.ts)
      visit(n.children, inside || NOT_SECTIONS.has(n.tag) || unfolded || n.attrs.get('epub:type') === 'footnotes');
    }
  };
  visit(nodes, false);
  const sections: Heading[] = [];
  // Headings go down one level at a time under the chapter's title (screen readers and the contents rely on
  // it): each is one level below the nearest heading before it that was written at a higher level, so a
  // heading that skips levels (an h4 right after an h2) is brought up, and so are the headings written at its
  // level after it. Clamped one at a time, `### Install`, `### Configure`, `### Run` became h2, h3, h3: two
  // sections nested in the first, and out of the book's contents at its default depth.
  const open: { as: number; level: number }[] = [];
  for (const { e, section } of found) {
    const as = Number(e.tag[1]);
    while (open.length && open[open.length - 1]!.as >= as) open.pop();
    const level = Math.min(6, (open.length ? open[open.length - 1]!.level : 1) + 1);
    open.push({ as, level });
    e.tag = `h${level}`;
    // The id from all the heading's text, as GitHub makes it (links written for the page use it); the
    // contents' entry without badges' alt text or notes' numbers.
    // Its spaces as written: GitHub makes each a hyphen (`## Foo  Bar` is `#foo--bar`). A line break, with
    // the spaces around it, is one space (raw HTML's `<h1>` laid out over lines, which GitHub gives no id).
    const stripped = withoutPropTexts(e);
    const written = spacesAsWritten(textOf(stripped));
    const text = written.replace(/\s+/g, ' ');
    const id = e.attrs.get('id') ?? ids.forText(idText(stripped) ?? written);
    e.attrs.set('id', id);
    // Keep the id first: it reads better and keeps output stable.
    e.attrs = new Map([['id', id], ...[...e.attrs].filter(([k]) => k !== 'id')]);
    const shown = headingText(e, smart) || (smart ? smart(text, '') : text);
    // kramdown's `{: .no_toc}` (Just the Docs writes it under each page's "Table of contents" heading) keeps
    // a heading out of the contents: the chapter's own list held its own heading, and so did the book's.
    if (section && shown && !(e.attrs.get('class') ?? '').split(/\s+/).includes('no_toc')) sections.push({ level, text: shown, id });
  }
  return sections;
}

/**
 * The text GitHub makes a heading's id of, when it holds images beside its words: without the images' alt
 * text (a page's text has none of it), the spaces around them as written. `## Contributors [![a](…)](…)
 * [![b](…)](…)` is `#contributors--` on GitHub, and READMEs link to it so; quire's id had the badges' alt
 * text, and the link was lost with a warning. Undefined for any other heading.
 */
function idText(h: XElement): string | undefined {
  let images = false;
  const text = (n: XNode): string => {
    if (typeof n === 'string') return n;
    if (n.tag === 'img') {
      images = true;
      return '';
    }
    return n.tag === 'math' ? textOf(n) : n.children.map(text).join('');
  };
  const words = text(h);
  if (!images || !words.trim()) return undefined;
  // GitHub's slug drops line breaks and tabs, and makes each space a hyphen.
  return words.replace(/[^\S ]+/g, '');
}

/**
 * A heading's text as a title or an entry of the contents: its images' alt text only when it has no other text (`# ![Logo](logo.png)
 * Project` is "Project", not "Logo Project"), without its notes' references, white space collapsed.
 */
export function headingText(h: XElement, smart?: Smarten): string {
  return writtenText(h, smart).replace(/\s+/g, ' ');
}

/**
 * Typography for a heading's text (`smarten` with the chapter's quotes): given `before`, the character
 * before the text in the heading. Code in the heading is left as written, as the chapter shows it: the
 * contents had `{ … }` for `# \`String.random(options = { ... })\`` (ext's docs).
 */
export type Smarten = (text: string, before: string) => string;

/** headingText with its white space as written, but at its ends. */
function writtenText(h: XElement, smart?: Smarten): string {
  const noteRef = (e: XElement) => e.tag === 'sup' && e.children.some((c) => isElement(c) && c.tag === 'a' && (c.attrs.get('href') ?? '').startsWith('#'));
  const text = (alts: boolean): string => {
    let out = '';
    const add = (n: XNode, literal: boolean): void => {
      if (typeof n === 'string') out += smart && !literal ? smart(n, out.slice(-1)) : n;
      else if (n.tag === 'img') out += alts ? textOf(n) : '';
      else if (n.tag === 'math') out += textOf(n);
      else if (!noteRef(n) && !propTexts.has(n)) for (const c of n.children) add(c, literal || n.ns !== 'html' || UNSMARTENED.has(n.tag));
    };
    add(h, false);
    return out;
  };
  const words = spacesAsWritten(text(false));
  return words || spacesAsWritten(text(true));
}

/** A heading's text for its id: line breaks and tabs, with the spaces around them, made one space; trimmed. */
function spacesAsWritten(text: string): string {
  return text.replace(/[ \t\n\r\f]*[\t\n\r\f][ \t\n\r\f]*/g, ' ').trim();
}

/**
 * A title's text for its id: without the placeholders GitHub drops (`# Promise<void>` is `#promise`), its
 * spaces as written, as a section's (`# Foo  Bar` is `#foo--bar`).
 */
export function titleIdText(h: XElement): string {
  return writtenText(withoutPropTexts(h));
}

/**
 * A heading without the text its components' props show (see propTexts) and the placeholders GitHub drops
 * (unslugged), for its id: a copy, when it has some.
 */
function withoutPropTexts(e: XElement): XElement {
  const left = (n: XElement) => propTexts.has(n) || unslugged.has(n);
  const holds = (n: XNode): boolean => typeof n !== 'string' && (left(n) || n.children.some(holds));
  if (!e.children.some(holds)) return e;
  const strip = (n: XNode): XNode[] => (typeof n === 'string' ? [n] : left(n) ? [] : [{ ...n, children: n.children.flatMap(strip) }]);
  return { ...e, children: e.children.flatMap(strip) };
}

/** Collect the ids already present (raw HTML), making duplicates unique; those of `claimed` are claimed already. */
export function claimIds(nodes: XNode[], ids: IdAllocator, claimed?: ReadonlySet<XElement>): void {
  walk(nodes, (e) => {
    const id = e.attrs.get('id');
    if (id !== undefined && !claimed?.has(e)) e.attrs.set('id', ids.claim(id));
  });
}

/** The class of the element the Markdown stage writes where the text asks for a table of contents (render/markdown.ts). */
export const CONTENTS_PLACE = 'quire-toc';

/**
 * The chapter's own table of contents where its text asks for one (`[TOC]`, `[[toc]]`, `[[_TOC_]]`,
 * `${toc}`, Hugo's `{{< toc >}}`: the Markdown stage left an empty `div.quire-toc` there): a list of links to
 * its sections, nested by level, as the site shows it, at the first place asked for. The marker showed as
 * text.
 */
export function fillContents(nodes: XNode[], sections: readonly Heading[]): void {
  const empty: { e: XElement; parent: XElement | undefined }[] = [];
  let filled = false;
  walk(nodes, (e, parent) => {
    if (e.tag !== 'div' || e.attrs.get('class') !== CONTENTS_PLACE || e.children.length) return;
    // The first place asked for holds the contents; the others are left out (a list at each of 3,000
    // markers ran the build out of memory).
    if (!sections.length || filled) empty.push({ e, parent });
    e.attrs = new Map([['class', 'contents']]);
    if (sections.length && !filled) e.children = [contentsList(sections)];
    filled = true;
    return false;
  });
  // A chapter without sections has no contents: the place is left out. Each list is filtered once (a
  // splice for each of 100,000 markers in one quote took 12 s).
  const dropped = new Set(empty.map(({ e }) => e));
  const lists = new Set(empty.map(({ parent }) => (parent ? parent.children : nodes)));
  for (const list of lists) {
    const kept = list.filter((n) => typeof n === 'string' || !dropped.has(n));
    list.length = 0;
    for (const n of kept) list.push(n);
  }
}

function contentsList(sections: readonly Heading[]): XElement {
  const root = el('ul', {}, []);
  const open: { level: number; list: XElement }[] = [{ level: sections.reduce((a, s) => Math.min(a, s.level), 6), list: root }];
  for (const s of sections) {
    while (open.length > 1 && s.level < open[open.length - 1]!.level) open.pop();
    const top = open[open.length - 1]!;
    if (s.level > top.level) {
      // One level deeper (headings go down one at a time, processHeadings), under the last entry.
      let last = top.list.children[top.list.children.length - 1] as XElement | undefined;
      if (!last) top.list.children.push((last = el('li', {}, [])));
      const list = el('ul', {}, []);
      last.children.push(list);
      open.push({ level: s.level, list });
    }
    // The section's text is as the chapter shows it already (smartened, its code as written): not again.
    const entry = el('a', { href: `#${s.id}` }, [s.text]);
    shownAsIs.add(entry);
    open[open.length - 1]!.list.children.push(el('li', {}, [entry]));
  }
  return root;
}
