// Markdown stage, footnote labels: which definition a reference `[^label]` means. marked-footnote compared
// labels exactly, so that `[^Note]` did not reach `[^note]:` (the reference stayed as text and the note
// was left out); here labels match as GFM matches them.
import type { Token, TokenizerThis } from 'marked';
import type { Footnote, FootnoteRef, Footnotes } from 'marked-footnote';

/**
 * A label as it is matched: without the white space around it, each run of white space inside one space,
 * case-folded (CommonMark's normalisation of link labels, as commonmark.js does it). cmark-gfm matches
 * footnote labels the same way, the first definition of a label winning (github/cmark-gfm#239).
 */
export function labelKey(label: string): string {
  return label.trim().replace(/[ \t\r\n]+/g, ' ').toLowerCase().toUpperCase();
}

/** A reference, as marked-footnote reads one. */
const REFERENCE = /^\[\^([^\]\n]+)\]/;

/**
 * The definitions of one document by key, the first of each label; indexed as references ask, since
 * definitions are all read (blocks) before any reference (inline text). Keyed by the document's list of
 * definitions: the extension makes a new one for every document.
 */
interface NoteIndex {
  byKey: Map<string, Footnote>;
  indexed: number;
}
const indexes = new WeakMap<Footnote[], NoteIndex>();

function indexOf(definitions: Footnote[]): NoteIndex {
  let index = indexes.get(definitions);
  if (!index) indexes.set(definitions, (index = { byKey: new Map(), indexed: 0 }));
  for (; index.indexed < definitions.length; index.indexed++) {
    const note = definitions[index.indexed]!;
    const key = labelKey(note.label);
    if (!index.byKey.has(key)) index.byKey.set(key, note);
    // The extension makes the ids of a note and its references from the label, percent-encoded: the
    // sanitiser turns the `%` of an id into `-` but not of a link, so that the references of `[^café]`,
    // `[^a b]` or `[^R&D]` reached no note (they became plain text, each note kept a stray ↩). Each note
    // is named by its place instead; convertFootnotes gives the chapter's ids.
    note.label = `quire-${index.indexed + 1}`;
  }
  return index;
}

/**
 * marked-footnote's reference tokenizer, with labels matched by key, and a map where it filtered every
 * definition for every reference (20,000 notes in one article: 7.6 s of a 15 s build). It makes the
 * tokens the extension's renderer expects: the first reference to a note numbers it, in order of first
 * reference, the next ones take its number.
 */
export function footnoteReference(this: TokenizerThis, src: string): FootnoteRef | undefined {
  const m = REFERENCE.exec(src);
  if (!m) return undefined;
  const notes = this.lexer.tokens[0] as Token | Footnotes | undefined;
  if (notes?.type !== 'footnotes') return undefined;
  const index = indexOf((notes as Footnotes).rawItems);
  const note = index.byKey.get(labelKey(m[1]!));
  if (!note) return undefined;
  const items = (notes as Footnotes).items;
  if (note.refs.length === 0) items.push(note);
  const ref: FootnoteRef = { type: 'footnoteRef', raw: m[0], index: note.refs.length, id: note.refs[0]?.id ?? String(items.length), label: note.label };
  note.refs.push(ref);
  return ref;
}
