// Stage: render. MyST's (Sphinx's) links to other documents: the `{toctree}` directive, a list of links to
// the documents it names, and the `{doc}` role, a link to one. A document is named by its path without its
// suffix, relative to the page or, with a leading `/`, to the source root (read as the articles folder, as
// links.ts reads a site-absolute path); its link is written to `doc.md`, and settled with the book's other
// links. Sphinx names each by the document's title, which only the whole book knows: the link is a document
// link (link-names.ts), given that title at settle, its written name kept for a document not in the book.
import { ARTICLE_FILE } from '../articles/title.js';
import { OFFSET_ATTR } from './html-parse.js';
import { DOC_LINK } from './link-names.js';
import { flag, readDirectiveOptions } from './myst.js';
import { escapeAttr, escapeText } from './tree.js';

/**
 * A `{toctree}`'s HTML, from the directive's text and its block as written, `raw` (its options first, as `:key: value` lines or a `---`
 * block of `key: value` lines, then an entry on each line): its `:caption:` a paragraph over the list of its
 * entries, numbered when `:numbered:`. `:hidden:` leaves nothing: the toctree only feeds the site's navigation,
 * which the book's contents are, and it is not content that was lost. The other options (`:maxdepth:`,
 * `:titlesonly:`, `:includehidden:`, `:name:`) are the site's navigation's; `:reversed:` reverses the entries.
 * (`:maxdepth:` 2 or more lists each document's sections under it on the site: the book's contents list
 * them already, to the depth the book is given, and the chapter's list names the chapters only.)
 */
export function toctreeHtml(text: string, raw: string): string {
  const { options, body } = readDirectiveOptions(text);
  if (flag(options.get('hidden'))) return '';
  // Each entry's line in the block as written (its fence line first, the text's lines after it), for a
  // warning about the entry to point at it.
  const rawLines = raw.split('\n');
  const rawStarts: number[] = [];
  for (let i = 0, at = 0; i < rawLines.length; at += rawLines[i]!.length + 1, i++) rawStarts.push(at);
  const bodyLine = text.slice(0, text.length - body.length).split('\n').length;
  const entries = body.split('\n').flatMap((line, i) => {
    const entry = line.trim();
    const rawLine = rawLines[bodyLine + i];
    return entry ? [{ entry, at: rawLine === undefined ? undefined : rawStarts[bodyLine + i]! + rawLine.length - rawLine.trimStart().length }] : [];
  });
  if (flag(options.get('reversed'))) entries.reverse();
  const glob = flag(options.get('glob'));
  const items = entries.map(({ entry, at }) => `<li>${glob && /[*?[]/.test(entry) ? escapeText(entry) : entryLink(entry, true, at)}</li>\n`);
  const caption = options.get('caption')?.trim();
  const list = items.length ? (flag(options.get('numbered')) ? `<ol>\n${items.join('')}</ol>\n` : `<ul>\n${items.join('')}</ul>\n`) : '';
  if (!list && !caption) return '';
  return `<div class="toctree-wrapper">\n${caption ? `<p class="caption"><strong>${escapeText(caption)}</strong></p>\n` : ''}${list}</div>\n`;
}

/**
 * A `{doc}` role's link, from its code's text: `path` (named by the document's title) or `Title <path>`.
 * Its text is plain, as Sphinx shows it.
 */
export function docRoleHtml(code: string): string {
  return entryLink(code.trim(), false);
}

/** An entry's link: `doc`, `Title <doc>`, `self` (the page itself), a web address, or `Title <address>`. */
function entryLink(entry: string, toctree = true, at?: number): string {
  const titled = /^(.*?)\s*<([^<>]+)>$/.exec(entry);
  const title = titled?.[1]?.trim() || undefined;
  const target = (titled && title ? titled[2]! : entry).trim();
  const offset = at === undefined ? '' : ` ${OFFSET_ATTR}="${at}"`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return `<a${offset} href="${escapeAttr(target)}">${escapeText(title ?? target)}</a>`;
  // The page itself, named by its title (links.ts names a link within the chapter too when it is a document link).
  const href = toctree && target === 'self' ? '#' : docHref(target);
  return title ? `<a${offset} href="${escapeAttr(href)}">${escapeText(title)}</a>` : `<a${offset} class="${DOC_LINK}" href="${escapeAttr(href)}">${escapeText(target)}</a>`;
}

/** A document's file: its name, with `.md` unless it has an article's suffix already (`intro.md`). */
export function docHref(doc: string): string {
  const hashAt = doc.indexOf('#');
  const file = hashAt === -1 ? doc : doc.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : doc.slice(hashAt);
  return encodeURI(ARTICLE_FILE.test(file) || file.endsWith('/') ? file : `${file}.md`) + fragment;
}
