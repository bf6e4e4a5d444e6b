// Stage: render (Markdown). Obsidian's links between notes, `[[Other note]]`, `[[Other note|the text]]`,
// `[[Other note#A heading]]`, `[[#A heading]]`, and its embeds, `![[diagram.png]]`: links and images, as the
// vault shows them. They showed as written, brackets and all, and an embedded image was never looked for.
// A link leads to the note's file in the articles folder (`Other note.md`), which the links stage settles as
// any link between articles (one to a note that is not in the book is text, with a warning); a heading is
// named by its text, made the id quire gives it. A note embedded (`![[Other note]]`) is a link to it.
import type { TokenizerExtension, Tokens } from 'marked';
import { slug } from 'github-slugger';

/** The longest target read. */
const MAX_LINK = 500;
/** `[[target]]` or `[[target|text]]` at the start of a text, an embed with a `!` before; not `[[x]](url)`. */
const WIKILINK = /^(!?)\[\[([^[\]|\n]{1,500}?)(?:\|([^[\]\n]{0,500}))?\]\](?![([])/;
/** Names that other tools put in double brackets for a table of contents (markdown-it, GitLab). */
const NOT_NOTES = new Set(['toc', '_toc_']);
const IMAGE = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp)$/i;

/** The extension, active where `enabled()` (the document has a `[[`). */
export function wikilinkExtension(enabled: () => boolean): TokenizerExtension {
  return {
    name: 'wikilink',
    level: 'inline',
    tokenizer(src) {
      const c = src.charCodeAt(0);
      if ((c !== 91 && c !== 33) || !enabled()) return undefined;
      const m = WIKILINK.exec(src.length > 2 * MAX_LINK + 8 ? src.slice(0, 2 * MAX_LINK + 8) : src);
      if (!m) return undefined;
      const target = m[2]!.trim();
      if (!target || NOT_NOTES.has(target.toLowerCase())) return undefined;
      const hash = target.indexOf('#');
      const note = (hash === -1 ? target : target.slice(0, hash)).trim();
      const heading = hash === -1 ? '' : target.slice(hash + 1).replace(/^#+/, '').trim();
      // An image's size (`![[a.png|300]]`, `|300x200`) is not its text.
      const written = m[3]?.trim();
      if (m[1] && IMAGE.test(note)) {
        const alt = written && !/^\d+(?:x\d+)?$/.test(written) ? written : '';
        return { type: 'image', raw: m[0], href: encodePath(note), title: null, text: alt, tokens: alt ? this.lexer.inlineTokens(alt) : [] } as Tokens.Image;
      }
      // A note's file: its name as written, `.md` added unless it has an extension of an article.
      const file = note === '' ? '' : /\.(?:md|markdown|mdx)$/i.test(note) ? note : `${note}.md`;
      const href = `${encodePath(file)}${heading ? `#${slug(heading.split('#').pop()!.trim())}` : ''}`;
      const text = written || (note === '' ? heading : heading ? `${note} › ${heading}` : note);
      return { type: 'link', raw: m[0], href, title: null, text, tokens: this.lexer.inlineTokens(text) } as Tokens.Link;
    },
  };
}

/** A path as a link's destination: its spaces and other characters a URL may not hold raw, encoded. */
function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}
