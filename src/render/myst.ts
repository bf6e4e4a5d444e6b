// Stage: render (Markdown). What MyST (Sphinx) directives and roles share: a directive's options, read
// the same way for every directive in either fence (```{name} and :::{name}), and the id a label (a
// `(label)=` target, a directive's `:name:`) is given, by which `{ref}` finds it in the book.
import { EMOJI } from './emoji.js';
import { isElement, takeClasses, type XElement, type XNode } from './tree.js';

/** A directive's options, by name in lower case, and its text after them. */
export interface DirectiveOptions {
  options: Map<string, string>;
  body: string;
}

/**
 * A directive's options and its text after them: `:key: value` lines, or a block of `key: value` lines
 * between `---` lines (then `:key: value` lines after it, as MyST reads them too). A flag has an empty value.
 */
export function readDirectiveOptions(text: string): DirectiveOptions {
  const options = new Map<string, string>();
  let at = 0;
  if (/^[ \t]*---[ \t]*(?:\n|$)/.test(text)) {
    const close = /\n[ \t]*---[ \t]*(?:\n|$)/g.exec(text);
    // A block of other lines than options (`key: value`, a value going on indented, a YAML comment) is the
    // directive's text, rules and all: a note that opens with a paragraph between two rules lost it, unsaid.
    const lines = close ? text.slice(text.indexOf('\n') + 1, close.index).split('\n') : [];
    if (close && lines.every((line) => !line.trim() || /^[ \t]|^#/.test(line) || OPTION_LINE.test(line))) {
      for (const line of lines) {
        const m = OPTION_LINE.exec(line);
        if (m) options.set(m[1]!.toLowerCase(), m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
      }
      at = close.index + close[0].length;
    }
  }
  for (const option = /[ \t]*:([\w-]+):(.*)(?:\n|$)/y; at < text.length; at = option.lastIndex) {
    option.lastIndex = at;
    const m = option.exec(text);
    // A line that opens with an emoji's shortcode, `:warning: Do not delete it.`, is the text's first: read as
    // an option, it went unsaid (the names of options that are emoji's too, `:label:`, stay options).
    if (!m || (EMOJI.has(m[1]!) && !EMOJI_OPTIONS.has(m[1]!))) break;
    options.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return { options, body: text.slice(at) };
}

/** Directives' options whose names are emoji's shortcodes too (`:label:` is 🏷️). */
const EMOJI_OPTIONS = new Set(['label', 'link', 'key']);

/** A `key: value` line of a directive's `---` block of options. */
const OPTION_LINE = /^\s*([\w-]+)\s*:\s*(.*?)\s*$/;

/** Whether a flag option is set: given (`:hidden:`, `hidden:`), and not `false`. */
export function flag(value: string | undefined): boolean {
  return value !== undefined && !/^(?:false|no|0)$/i.test(value.trim());
}

/**
 * The id of a label, as Sphinx makes it: lower case, each run of other characters than letters, digits and
 * `_` a hyphen (`(Hash-checking mode)=` is `#hash-checking-mode`). Empty for a label of none of them.
 */
export function labelId(label: string): string {
  return label.trim().toLowerCase().replace(/[^\p{L}\p{N}_]+/gu, '-').replace(/^-+|-+$/g, '');
}

/**
 * The class of the empty element the Markdown stage writes for a `(label)=` target, its id the label's:
 * the chapter (chapter.ts, with takeLabels and placeLabels) names it by the heading after it, or leaves it out for that heading
 * when the heading has its id already.
 */
export const LABEL_PLACE = 'quire-label';

/**
 * The class of a `{ref}` role's link, `#` and its label as written (refId): the label is looked for in the chapter, then
 * in the whole book (links.ts). With DOC_LINK (link-names.ts) when it shows the target's title.
 */
export const REF_LINK = 'quire-ref';

/**
 * The class of an `{any}` role's link, with REF_LINK: a `{ref}` when the label is in the book, else a `{doc}`
 * when a document of that name is (links.ts), else its text, as code when it gave no other.
 */
export const ANY_LINK = 'quire-any';
/** With ANY_LINK, an `{any}` that gives its text (`{any}\`Text <label>\``), which it shows wherever it leads. */
export const ANY_TITLED = 'quire-any-titled';

/** The id a `{ref}` link's href (`#` and its label as written, encoded) leads to. */
export function refId(href: string): string {
  let label = href.slice(1);
  try {
    label = decodeURIComponent(label);
  } catch {
    // (Written by the Markdown stage, it is always encoded; a raw link given the class is read as it is.)
  }
  return labelId(label);
}

/**
 * A `(label)=` target: the line that is only it, and its label. A label is words (letters, digits, `_`),
 * with spaces, `-`, `.`, `:` or `/` between them, as Sphinx's are written: a line of another text,
 * `(x + y)=` on a line of its own in an article's algebra, is that text (it vanished into an anchor). After
 * a space a word starts again (`(Hash mode)=`): a sign standing alone there is algebra's, `(a - b)=`, `(n / 2)=`.
 */
export const TARGET_LINE = /^ {0,3}\(([\p{L}\p{N}_][\p{L}\p{M}\p{N}_.:\/-]*(?: +[\p{L}\p{N}_][\p{L}\p{M}\p{N}_.:\/-]*)*)\)=[ \t]*(?:\n|$)/u;

/** A `(label)=` target's element, its label, and the element after it, once its id is taken off. */
export interface LabelPlace {
  place: XElement;
  /** The list that holds it. */
  list: XNode[];
  label: string;
  next: XElement | undefined;
}

/**
 * The chapter's `(label)=` targets, before its ids are claimed: each target's element, its id taken off
 * (claimed first, the label took the id of the heading after it when the two were the same, and the heading's
 * changed), and the element that follows it.
 */
export function takeLabels(nodes: XNode[]): LabelPlace[] {
  const places: LabelPlace[] = [];
  const visit = (list: XNode[]): void => {
    // The targets since the last element or text, which the next element follows (`(a)=` then `(b)=`
    // over a heading: both name it).
    let waiting: LabelPlace[] = [];
    for (const n of list) {
      if (!isElement(n)) {
        if (n.trim()) waiting = [];
        continue;
      }
      if (n.tag === 'span' && n.attrs.get('class') === LABEL_PLACE && n.attrs.has('id')) {
        const place: LabelPlace = { place: n, list, label: n.attrs.get('id')!, next: undefined };
        places.push(place);
        waiting.push(place);
        n.attrs.delete('id');
        n.attrs.delete('class');
        continue;
      }
      for (const place of waiting) place.next = n;
      waiting = [];
      visit(n.children);
    }
  };
  visit(nodes);
  return places;
}

/**
 * The targets' ids, once the headings have theirs: a target before a heading names it (`headingText`
 * gives the text of the heading with that id); its element is left out when the heading's id is the label's,
 * and is otherwise an anchor with the label's id, if no other element has it. What `{ref}` links to the
 * targets that stand before headings are named by.
 */
export function placeLabels(places: readonly LabelPlace[], claim: (id: string) => string, headingText: (heading: XElement) => string | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  const dropped = new Map<XNode[], Set<XNode>>();
  const drop = (place: XElement, list: XNode[]) => (dropped.get(list) ?? dropped.set(list, new Set()).get(list)!).add(place);
  for (const { place, list, label, next } of places) {
    const heading = next && /^h[1-6]$/.test(next.tag) ? next : undefined;
    const text = heading && headingText(heading);
    if (heading && heading.attrs.get('id') === label) drop(place, list);
    else if (claim(label) === label) place.attrs.set('id', label);
    else {
      drop(place, list);
      continue;
    }
    if (text) labels.set(label, text);
  }
  // (Taken out of each list at once: one at a time, 20,000 targets were 20,000 searches of the list.)
  for (const [list, gone] of dropped) list.splice(0, list.length, ...list.filter((n) => !gone.has(n)));
  return labels;
}

/**
 * The class the Markdown stage gives a MyST directive that has a `:name:` and a caption or title to be named by
 * (a figure, a box titled by its argument: `{admonition} Title`): the chapter takes it off (namedLabels).
 */
export const NAMED_PLACE = 'quire-named';
/** The classes of a box's title: an admonition's, a dropdown's summary. */
const TITLES = new Set(['markdown-alert-title', 'details-summary']);

/**
 * The text a `{ref}` to each named directive shows, by its element's id (the ids claimed), as Sphinx names
 * it: a figure's caption (the paragraph after its picture), a box's title; the marking class taken off. A
 * directive with neither (an empty caption) is left out: its `{ref}` shows the label.
 */
export function namedLabels(nodes: XNode[], text: (e: XElement) => string): Map<string, string> {
  const labels = new Map<string, string>();
  const visit = (list: XNode[]): void => {
    for (const n of list) {
      if (!isElement(n)) continue;
      if (takeClasses(n.attrs, [NAMED_PLACE]).size) {
        const id = n.attrs.get('id');
        const children = n.children.filter(isElement);
        // (A dropdown's `<details>` is a block by now, its summary a paragraph: sanitize-content-model.ts.)
        const title = children.find((c) => c.tag === 'summary' || (c.tag === 'p' && TITLES.has(c.attrs.get('class') ?? ''))) ?? ((n.attrs.get('class') ?? '').split(' ').includes('figure') && children[1]?.tag === 'p' ? children[1] : undefined);
        const shown = title && text(title).trim();
        if (id && shown && !labels.has(id)) labels.set(id, shown);
      }
      visit(n.children);
    }
  };
  visit(nodes);
  return labels;
}
