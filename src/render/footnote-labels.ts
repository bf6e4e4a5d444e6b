// Markdown stage, footnote labels: which definition a reference `[^label]` means, and the definitions that
// no reference reaches. marked-footnote compared labels exactly and left out, without a word, every
// definition that no reference named: `[^Note]` did not reach `[^note]:`, a typo lost its note, a second
// `[^d]:` was never shown. Here labels match as GFM matches them, and every definition is kept.
import type { Token, TokenizerThis, Tokens } from 'marked';
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
  /** The labels as written, by definition. */
  written: string[];
  /** A reference named no definition: its text is looked for after lexing. */
  unresolved: boolean;
}
const indexes = new WeakMap<Footnote[], NoteIndex>();

function indexOf(definitions: Footnote[]): NoteIndex {
  let index = indexes.get(definitions);
  if (!index) indexes.set(definitions, (index = { byKey: new Map(), indexed: 0, written: [], unresolved: false }));
  for (; index.indexed < definitions.length; index.indexed++) {
    const note = definitions[index.indexed]!;
    const key = labelKey(note.label);
    if (!index.byKey.has(key)) index.byKey.set(key, note);
    index.written.push(note.label);
    // The extension makes the ids of a note and its references from the label, percent-encoded: the
    // sanitiser turns the `%` of an id into `-` but not of a link, so that the references of `[^café]`,
    // `[^a b]` or `[^R&D]` reached no note (they became plain text, each note kept a stray ↩), and two
    // definitions of a label had one id. Each note is named by its place instead; convertFootnotes gives
    // the chapter's ids.
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
  if (!note) {
    index.unresolved = true;
    return undefined;
  }
  const items = (notes as Footnotes).items;
  if (note.refs.length === 0) items.push(note);
  const ref: FootnoteRef = { type: 'footnoteRef', raw: m[0], index: note.refs.length, id: note.refs[0]?.id ?? String(items.length), label: note.label };
  note.refs.push(ref);
  return ref;
}

/** Something the notes of a document lost before: where to point (a token) and what to say. */
export interface NoteFinding {
  token: Token;
  /** For a reference: its text, found in the token's text (the token is the text around it). */
  text?: string;
  code: 'footnote-missing' | 'footnote-unused' | 'footnote-duplicate';
  /** For a second definition: the first one's token, whose line the message gives. */
  first?: Token;
  message(firstLine?: number): string;
}

/**
 * After lexing: the definitions no reference reaches are added to the notes, after those referred to (in
 * the order they are written), so that their text is in the book; each is reported, and so is each
 * reference that named no definition (it stays as written, as on GitHub).
 */
export function settleNotes(tokens: Token[], children: (t: Token) => Token[][]): NoteFinding[] {
  const notes = tokens[0]?.type === 'footnotes' ? (tokens[0] as unknown as Footnotes) : undefined;
  if (!notes) return [];
  const index = indexOf(notes.rawItems);
  const findings: NoteFinding[] = [];
  notes.rawItems.forEach((note, i) => {
    if (note.refs.length > 0) return;
    const shown = `[^${index.written[i]}]`;
    const first = index.byKey.get(labelKey(index.written[i]!))!;
    if (first !== note) {
      const heard = first.refs.length > 0 ? 'references go to the first' : 'neither is referenced';
      findings.push({
        token: note as unknown as Token,
        code: 'footnote-duplicate',
        first: first as unknown as Token,
        message: (line) => `footnote \`${shown}\` is defined again (first at line ${line}); ${heard}, and this one is listed after the notes referred to`,
      });
    } else {
      findings.push({ token: note as unknown as Token, code: 'footnote-unused', message: () => `footnote \`${shown}\` is never referred to; it is listed after the notes referred to` });
    }
    notes.items.push(note);
  });
  if (index.unresolved) findMissing(tokens, index, children, findings);
  return findings;
}

/** The references that named no definition, in the text Marked made of them. */
function findMissing(tokens: readonly Token[], index: NoteIndex, children: (t: Token) => Token[][], findings: NoteFinding[]): void {
  for (const t of tokens) {
    // The notes' list holds the definitions again: they are read where they stand.
    if (t.type === 'footnotes') continue;
    if (t.type === 'text' && !(t as Tokens.Text).tokens && t.raw.includes('[^')) {
      for (const m of t.raw.matchAll(/\[\^([^\]\n]+)\]/g)) {
        if (index.byKey.has(labelKey(m[1]!))) continue;
        findings.push({ token: t, text: m[0], code: 'footnote-missing', message: () => `footnote reference \`${m[0]}\` has no definition; it is shown as written (\`\\${m[0]}\` shows it without this warning)` });
      }
    }
    for (const list of children(t)) findMissing(list, index, children, findings);
  }
}
