// Stage: render (Markdown). Obsidian's links between notes, `[[Other note]]`, `[[Other note|the text]]`,
// `[[Other note#A heading]]`, `[[#A heading]]`, and its embeds, `![[diagram.png]]`: links and images, as the
// vault shows them, in an article of a vault (articles/vault.ts); elsewhere double brackets mean other
// things and stay as written. They showed as written, brackets and all, and an embedded image was never
// looked for. A link leads to the file the vault has by that name (found at load), else to `Other note.md`
// next to the article; the links stage settles it as any link between articles (one to a note that is not
// in the book is text, with a warning). A heading is named by its text, made the id quire gives it. A note
// embedded (`![[Other note]]`) is a link to it.
import type { TokenizerExtension, Tokens } from 'marked';
import { slug } from 'github-slugger';
import { codeSpans, fencedLines } from '../articles/markdown-code.js';
import { ARTICLE_FILE } from '../articles/title.js';

/** The longest target read. */
const MAX_LINK = 500;
/** `[[target]]` or `[[target|text]]` at the start of a text, an embed with a `!` before; not `[[x]](url)`. */
const WIKILINK = /^(!?)\[\[([^[\]|\n]{1,500}?)(?:\|([^[\]\n]{0,500}))?\]\](?![([])/;
/** Names that other tools put in double brackets for a table of contents (markdown-it, GitLab). */
const NOT_NOTES = new Set(['toc', '_toc_']);
const IMAGE = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp)$/i;

/**
 * The extension, active where `targets()` gives the files the article's links name (an article of a vault
 * that has a `[[`), by the name written.
 */
export function wikilinkExtension(targets: () => Record<string, string> | undefined): TokenizerExtension {
  return {
    name: 'wikilink',
    level: 'inline',
    tokenizer(src) {
      const c = src.charCodeAt(0);
      const files = c === 91 || c === 33 ? targets() : undefined;
      if (!files) return undefined;
      const m = WIKILINK.exec(src.length > 2 * MAX_LINK + 8 ? src.slice(0, 2 * MAX_LINK + 8) : src);
      if (!m) return undefined;
      const target = m[2]!.trim();
      if (!target || NOT_NOTES.has(target.toLowerCase())) return undefined;
      const hash = target.indexOf('#');
      const note = (hash === -1 ? target : target.slice(0, hash)).trim();
      const heading = hash === -1 ? '' : target.slice(hash + 1).replace(/^#+/, '').trim();
      // An image's size (`![[a.png|300]]`, `|300x200`) is not its text.
      const written = m[3]?.trim();
      const found = Object.hasOwn(files, note) ? files[note] : undefined;
      if (m[1] && IMAGE.test(note)) {
        // Its text: the one written, else its file's name (what shows when the image cannot be found).
        const alt = written && !/^\d+(?:x\d+)?$/.test(written) ? written : note.replace(/^.*\//, '').replace(/\.[^.]+$/, '');
        return { type: 'image', raw: m[0], href: encodePath(found ?? note), title: null, text: alt, tokens: this.lexer.inlineTokens(alt) } as Tokens.Image;
      }
      // A note's file: the one the vault has by that name, else its name as written, `.md` added unless it
      // has an article's extension. A block's id (`#^a1b2`) names no heading: the link is to the note.
      const file = note === '' ? '' : found !== undefined ? found : ARTICLE_FILE.test(note) ? note : `${note}.md`;
      const part = heading.startsWith('^') ? '' : heading;
      if (!file && !part) return undefined;
      const href = `${encodePath(file)}${part ? `#${slug(part.split('#').pop()!.trim())}` : ''}`;
      const text = written || (note === '' ? part : part ? `${note} › ${part}` : note);
      return { type: 'link', raw: m[0], href, title: null, text, tokens: this.lexer.inlineTokens(text) } as Tokens.Link;
    },
  };
}

/** A path as a link's destination: its spaces and other characters a URL may not hold raw, encoded. */
function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * A vault note's text without what Obsidian's reading view hides: its comments, `%%private%%` in a line or
 * `%%` lines around a block (the notes an author kept for themself were printed in the book), and the ids of
 * its blocks, ` ^para1` at a line's end (links to them lead to the note). Outside code; each character is
 * made a space (line breaks kept), so that offsets and lines stay the text's. A `%%` that nothing closes
 * stays as written.
 */
export function withoutVaultMarks(body: string): string {
  const lines = body.split('\n');
  const fenced = fencedLines();
  // Code: fenced lines, and indented ones after a blank line or another such line (`printf("%%d")`).
  let indented = false;
  const inCode = lines.map((l, i) => {
    if (fenced(l)) return (indented = false), true;
    indented = /^(?: {4}|\t)/.test(l) && (indented || i === 0 || !lines[i - 1]!.trim());
    return indented;
  });
  // Comments, across lines too: from a `%%` outside code to the next one. Each line's ranges are collected,
  // then blanked once (blanking at each comment went through the line again: quadratic in a line of them).
  const ranges: [number, number][][] = lines.map(() => []);
  let open: { line: number; col: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (inCode[i]) continue;
    const line = lines[i]!;
    const inCodeSpan = codeSpans(line);
    let from = 0;
    for (let at = line.indexOf('%%'); at !== -1; at = line.indexOf('%%', from)) {
      from = at + 2;
      if (inCodeSpan(at)) continue;
      if (!open) {
        open = { line: i, col: at };
        continue;
      }
      // A comment opened in a block quote goes on in it: its other lines keep their quote's `>`, which would
      // end the quote as blank lines.
      const quoted = open.line < i && QUOTE.test(lines[open.line]!);
      for (let k = open.line; k <= i; k++) {
        const start = k === open.line ? open.col : quoted ? (QUOTE.exec(lines[k]!)?.[0].length ?? 0) : 0;
        ranges[k]!.push([start, Math.max(start, k === i ? at + 2 : lines[k]!.length)]);
      }
      open = undefined;
    }
  }
  const out = lines.map((line, i) => {
    let text = line;
    if (ranges[i]!.length) {
      let blanked = '';
      let last = 0;
      for (const [a, b] of ranges[i]!) {
        blanked += text.slice(last, a) + ' '.repeat(b - a);
        last = b;
      }
      text = blanked + text.slice(last);
      // A comment at the line's start would leave it indented as code: the rest moves to where the comment
      // began, the spaces to the line's end.
      // (In a block quote, after its `>`: `> %%c%% more`.)
      const q = QUOTE.exec(text)?.[0].length ?? 0;
      const indent = q + /^[ \t]*/.exec(line.slice(q))![0].length;
      const lead = q + /^[ \t]*/.exec(text.slice(q))![0].length;
      if (lead - q >= 4 && indent - q < 4 && lead < text.length) text = text.slice(0, indent) + text.slice(lead) + ' '.repeat(lead - indent);
      // In a heading, the comment's spaces would be its id's hyphens (`## Setup %%todo%% steps` is
      // `#setup-steps`): the words close up, the spaces go to the line's end, which a heading leaves out.
      if (/^ {0,3}#{1,6}[ \t]/.test(line)) {
        const closed = text.replace(/(\S)[ \t]{2,}(?=\S)/g, '$1 ').replace(/[ \t]+$/, '');
        text = closed + ' '.repeat(text.length - closed.length);
      } else if (i + 1 < lines.length && lines[i + 1]!.trim() && / {2}$/.test(text) && !/ {2}$/.test(line)) {
        // A comment at the end of a paragraph's line: its spaces would break the line there, the paragraph
        // going on under it. The last is made a tab, which breaks none (Obsidian shows the line flowing on).
        text = `${text.slice(0, -1)}\t`;
      }
    }
    // A block's id at the end of a block: its last line, before a blank line, a list's next item or the end
    // (in the middle of a paragraph, the spaces left would break its line).
    if (!inCode[i] && (i + 1 === lines.length || /^[ \t]*(?:$|[-*+][ \t]|\d{1,9}[.)][ \t]|>)/.test(lines[i + 1]!))) text = text.replace(BLOCK_ID, (m) => ' '.repeat(m.length));
    return text;
  });
  // Lines that only a comment fills, between two lines of text: blank, they split the paragraph in two
  // (`one` / `%%a note%%` / `two` read as two paragraphs, where Obsidian shows one). They are joined to the
  // line before, a space for each line break, and the last space made a tab, which breaks no line. In a block
  // quote, such a line keeps its `>` (`> one` / `> %%a note%%` / `> two`) and would be the quote's blank
  // line: it is joined the same where the lines around it are in the same quote, its `>` made spaces too.
  const joined = new Set<number>();
  for (let i = 1; i < lines.length; i++) {
    if (!commentOnly(i) || commentOnly(i - 1) || !hasText(lines[i - 1]!) || inCode[i - 1]) continue;
    let j = i;
    while (j + 1 < lines.length && commentOnly(j + 1)) j++;
    if (j + 1 < lines.length && hasText(lines[j + 1]!) && !inCode[j + 1] && sameQuote(i, j)) {
      for (let k = i; k <= j; k++) joined.add(k), (out[k] = ' '.repeat(out[k]!.length));
      // (A line that ends in a hard break as written, two spaces, keeps it: the spaces after it go on.)
      out[j] = `${out[j]!.slice(0, -1)}${/ {2}$/.test(lines[i - 1]!) ? ' ' : '\t'}`;
    }
    i = j;
  }
  if (!joined.size) return out.join('\n');
  return out.map((line, i) => (i === 0 ? line : `${joined.has(i) ? ' ' : '\n'}${line}`)).join('');

  function commentOnly(i: number): boolean {
    return !inCode[i] && ranges[i]!.length > 0 && lines[i]!.trim() !== '' && !out[i]!.replace(QUOTE, '').trim();
  }
  // Whether lines i to j, which only comments fill, are in the quote that the lines around them are in (lines
  // with no `>` are joined wherever they stand).
  function sameQuote(i: number, j: number): boolean {
    let quoted = false;
    for (let k = i; k <= j; k++) quoted ||= QUOTE.test(out[k]!);
    if (!quoted) return true;
    const depth = quoteDepth(out[j + 1]!);
    for (let k = i - 1; k <= j; k++) if (quoteDepth(out[k]!) !== depth) return false;
    return true;
  }
}
/** The `>` that open a line of a block quote, nested ones too. */
const QUOTE = /^(?: {0,3}>)+/;
function quoteDepth(line: string): number {
  const m = QUOTE.exec(line);
  return m ? m[0].split('>').length - 1 : 0;
}
/** Whether a line holds more than a quote's `>`. */
function hasText(line: string): boolean {
  return line.replace(QUOTE, '').trim() !== '';
}
/** A block's id at the end of its line, after a space: ` ^para1`, ` ^2b3c4d`. */
const BLOCK_ID = /(?<=\S)[ \t]+\^[A-Za-z0-9-]+[ \t]*$/;
