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

/**
 * A reference, as marked-footnote reads one, with a label of at most 999 characters (the limit of a link's
 * label in CommonMark, which cmark-gfm keeps for notes): unbounded, it was read to the end of the line at
 * each `[^` of a line that never closes one (`[^[^[^…`, 80 KB: 3.6 s).
 */
const REFERENCE = /^\[\^([^\]\n]{1,999})\]/;

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
      for (const m of t.raw.matchAll(/\[\^([^\]\n]{1,999})\]/g)) {
        if (index.byKey.has(labelKey(m[1]!))) continue;
        findings.push({ token: t, text: m[0], code: 'footnote-missing', message: () => `footnote reference \`${m[0]}\` has no definition; it is shown as written (\`\\${m[0]}\` shows it without this warning)` });
      }
    }
    for (const list of children(t)) findMissing(list, index, children, findings);
  }
}

/** How far an inline note's closing bracket is looked for. */
const MAX_INLINE_NOTE = 10_000;

/**
 * Pandoc's inline note, `text.^[The note's text.]`: a note of its own, numbered with the others where it
 * stands (Marked showed it as written). Its text is read as inline Markdown; its brackets nest, and a code
 * span or an escaped bracket inside does not close it; it ends within its paragraph and 10,000 characters.
 */
export function inlineNote(this: TokenizerThis, src: string, budget: { chars: number }, loose = false): FootnoteRef | undefined {
  if (src.charCodeAt(0) !== 94 || src.charCodeAt(1) !== 91 || budget.chars <= 0) return undefined;
  const end = closingBracket(src, 1);
  // What was looked through is charged to the render's bound: a paragraph of `^[` left open would otherwise
  // be looked through again from each one.
  budget.chars -= end === -1 ? Math.min(src.length, MAX_INLINE_NOTE) : end;
  const notes = this.lexer.tokens[0] as Token | Footnotes | undefined;
  const text = end === -1 ? '' : src.slice(2, end).trim();
  if (!text || notes?.type !== 'footnotes' || (loose && looksLikePattern(text, src.charCodeAt(end + 1)))) return undefined;
  const footnotes = notes as Footnotes;
  const raw = src.slice(0, end + 1);
  // A label no reference can write (labels hold no line break); indexOf names it by its place, as the others.
  const note: Footnote = { type: 'footnote', raw, label: `\n${footnotes.rawItems.length}`, refs: [], content: [{ type: 'paragraph', raw: text, text, tokens: this.lexer.inlineTokens(text) } as Tokens.Paragraph] };
  footnotes.rawItems.push(note);
  indexOf(footnotes.rawItems);
  footnotes.items.push(note);
  // The note's text stands inside its reference: its tokens are found there (markdown.ts, childTokens).
  const ref: FootnoteRef & { quireNote: Footnote } = { type: 'footnoteRef', raw, index: 0, id: String(footnotes.items.length), label: note.label, quireNote: note };
  note.refs.push(ref);
  return ref;
}

/**
 * Whether a `^[text]` followed by the character `after`, and not attached to a word (`loose` in inlineNote),
 * is a regular expression's start written as text (`the pattern ^[a-z]+$`, `^[0-9]`, `| ^[\w.]+ |`): no
 * white space in it, and a quantifier or an anchor after it, or a range, a class escape or a negation in it.
 * A note attached to its word (`Smith^[Smith2020])`, `pages^[pp.12-15]`), `^[Ibid.]` and `see ^[pp.12-15]`
 * are notes.
 */
function looksLikePattern(text: string, after: number): boolean {
  if (/\s/.test(text)) return false;
  // + * ? { $ | ) ]
  if (after === 43 || after === 42 || after === 63 || after === 123 || after === 36 || after === 124 || after === 41 || after === 93) return true;
  if (/\\[dDwWsSpP]|^\^/.test(text)) return true;
  // A pattern's ranges go up (`a-z`, `0-9`): text with one that goes down (`2-1` in `pp.12-15`) is a note.
  let ranges = 0;
  for (const m of text.matchAll(/([\w.])-([\w.])/g)) {
    if (m[1]!.charCodeAt(0) > m[2]!.charCodeAt(0)) return false;
    ranges++;
  }
  return ranges > 0;
}

/**
 * The offset of the `]` that closes the `[` at `open` in `src`, or -1 (none within the paragraph, or 10,000
 * characters): brackets nest; escaped brackets and code spans do not count. Inline notes' and pandoc's
 * bracketed spans' (markdown.ts).
 */
export function closingBracket(src: string, open: number): number {
  let depth = 0;
  const limit = Math.min(src.length, open + MAX_INLINE_NOTE);
  for (let i = open; i < limit; i++) {
    const c = src.charCodeAt(i);
    if (c === 92) i++; // a backslash escapes what follows
    else if (c === 91) depth++;
    else if (c === 93 && --depth === 0) return i;
    else if (c === 96) {
      // A code span: its closing run of as many backticks, else the run is text.
      let run = 1;
      while (src.charCodeAt(i + run) === 96) run++;
      const ticks = '`'.repeat(run);
      let close = src.indexOf(ticks, i + run);
      while (close !== -1 && close < limit && src.charCodeAt(close + run) === 96) close = src.indexOf(ticks, close + run + 1);
      i = close !== -1 && close < limit ? close + run - 1 : i + run - 1;
    } else if (c === 10 && /^\n[ \t]*(?:\n|$)/.test(src.slice(i, i + 64))) return -1;
  }
  return -1;
}
