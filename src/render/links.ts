// Links: settles every relative link once all chapters are known.
// `other.md#part` points at the other chapter's file and heading; a link to something that is not in the
// book keeps its text as a <span>, no longer looking like a link (EPUBCheck rejects links to missing
// files), with a warning.
import fs from 'node:fs';
import path from 'node:path';
import type { DiagnosticCode } from '../codes.js';
import type { Diagnostic } from '../diagnostics.js';
import { placeIn } from '../articles/embedded.js';
import { ARTICLE_EXTENSIONS, ARTICLE_FILE } from '../articles/title.js';
import type { Reference, RenderedChapter } from '../model.js';
import { ANY_LINK, ANY_TITLED, REF_LINK, refId } from './myst.js';
import { docHref } from './toctree.js';
import { escapeText, serializeAttrs, stripForbidden, takeClasses } from './tree.js';

/** What link resolution needs to know of a chapter. */
export type LinkedChapter = Pick<RenderedChapter, 'article' | 'ids' | 'titleId'> & Partial<Pick<RenderedChapter, 'title' | 'sections' | 'labels'>> & { links?: Reference[] };

export interface ChapterTarget {
  href: string;
  /** Its title and sections name the links to it that show nothing of their own (Reference.standIn). */
  chapter: Pick<RenderedChapter, 'ids'> & Partial<Pick<RenderedChapter, 'title' | 'sections' | 'labels'>>;
}

/** Chapter files by the absolute path of their article. */
export type ChapterIndex = Map<string, ChapterTarget>;

/**
 * The start tag of each link of `chapter`, in order (see placeholders.ts), followed by its text for a link
 * that shows nothing of its own (Reference.standIn).
 */
export function resolveLinks(
  chapter: LinkedChapter & { links: Reference[] },
  index: ChapterIndex,
  articlesDir: string,
  diagnostics: Diagnostic[],
  /** Articles of the book that are in other volumes, with the volume's label. */
  elsewhere: ReadonlyMap<string, string> = new Map(),
): string[] {
  return chapter.links.map((ref) => settleLink(ref, chapter, diagnostics, index, articlesDir, elsewhere));
}

/**
 * The start tag of one link, its href settled: `<a href="…" …>`, or `<span …>` when it leads nowhere (`<div …>` for one that holds blocks). A link within the chapter (`#part`) needs nothing but
 * the chapter itself, and is settled as the chapter is written. A link that shows nothing of its own is
 * given its text after the tag: the title of the chapter it leads to (the heading's, for a heading there),
 * else its stand-in.
 */
export function settleLink(
  ref: Reference,
  chapter: LinkedChapter,
  diagnostics: Diagnostic[],
  index: ChapterIndex = new Map(),
  articlesDir = '',
  elsewhere: ReadonlyMap<string, string> = new Map(),
): string {
  const { article } = chapter;
  const attrs = new Map(ref.attrs);
  attrs.delete('href');
  // A `{ref}` role's link (myst.ts): its label is looked for in the chapter, then in the book.
  const marks = takeClasses(attrs, [REF_LINK, ANY_LINK, ANY_TITLED]);
  const isRef = marks.has(REF_LINK);
  const isAny = isRef && marks.has(ANY_LINK);
  const titled = isAny && marks.has(ANY_TITLED);
  const rest = serializeAttrs(attrs);
  const warn = (message: string, code: DiagnosticCode) =>
    diagnostics.push({ file: article.file, ...placeIn(article, ref.pos), severity: 'warning', code, message });
  const landed: Landing = {};
  // An `{any}` is a link to the document of that name when the book has it ({doc}: toctree.ts), looked for
  // without a word; else a `{ref}` to its label; else its text, warned of as a `{ref}`.
  const document = isAny ? anyDocument(ref.target, article.file, chapter, index, articlesDir, landed) : undefined;
  const href = document ?? (isRef ? resolveLabel(ref.target, chapter, index, warn, landed, isAny) : resolveHref(ref.target, article.file, chapter, index, articlesDir, elsewhere, warn, landed));
  const start = href === undefined ? `<${ref.block ? 'div' : 'span'}${rest}>` : `<a href="${escapeHref(href)}"${rest}>`;
  if (ref.standIn === undefined) return start;
  const to = landed.target?.chapter;
  const heading = landed.fragment ? (to?.sections?.find((s) => s.id === landed.fragment)?.text ?? to?.labels?.get(landed.fragment)) : undefined;
  // An `{any}` that leads nowhere is the code it was, as Sphinx shows it.
  if (isAny && href === undefined) return `${start}<code>${escapeText(ref.standIn)}</code>`;
  if (titled) return start + escapeText(ref.standIn);
  // A reference to a label that names no heading shows the label as written, not the chapter's title.
  return start + escapeText(heading || (isRef && document === undefined ? '' : to?.title) || ref.standIn);
}

/** A `{ref}`'s target: the label's id in the chapter, else in the first chapter of the book that has it. */
function resolveLabel(href: string, chapter: LinkedChapter, index: ChapterIndex, warn: (message: string, code: DiagnosticCode) => void, landed: Landing, any = false): string | undefined {
  const id = refId(href);
  if (chapter.ids.has(id)) {
    Object.assign(landed, { target: { href: '', chapter }, fragment: id });
    return `#${id}`;
  }
  const target = idsOf(index).get(id);
  if (target) {
    Object.assign(landed, { target, fragment: id });
    return `${target.href}#${id}`;
  }
  const label = safeDecode(href.slice(1));
  warn(`reference to \`${label}\`: no target \`(${label})=\`, directive's \`:name:\`${any ? ', heading or document' : ' or heading'} in the book has that label; the text is kept`, 'link-anchor-missing');
  return undefined;
}

/**
 * The link of an `{any}` to a document, when its label names an article of the book as `{doc}` does (relative
 * to the article, or from the articles folder with a leading `/`). A document first: a heading's id, which is
 * no label on the Sphinx site, would have taken `{any}\`install\`` from the document `install`.
 */
function anyDocument(href: string, from: string, chapter: LinkedChapter, index: ChapterIndex, articlesDir: string, landed: Landing): string | undefined {
  if (!index.size) return undefined;
  const doc = docHref(safeDecode(href.slice(1)));
  const found: Landing = {};
  const settled = resolveHref(doc, from, chapter, index, articlesDir, new Map(), () => undefined, found);
  if (settled === undefined || !found.target) return undefined;
  Object.assign(landed, found);
  return settled;
}

/** Each id of the book's chapters, and the first chapter that has it (made once a book, for `{ref}`s). */
function idsOf(index: ChapterIndex): Map<string, ChapterTarget> {
  let ids = BOOK_IDS.get(index);
  if (!ids) {
    ids = new Map();
    for (const target of index.values()) for (const id of target.chapter.ids) if (!ids.has(id)) ids.set(id, target);
    BOOK_IDS.set(index, ids);
  }
  return ids;
}
const BOOK_IDS = new WeakMap<ChapterIndex, Map<string, ChapterTarget>>();

/** The chapter a link landed on, and the heading or anchor there, when it did. */
interface Landing {
  target?: ChapterTarget;
  fragment?: string;
}

function resolveHref(
  target: string,
  from: string,
  chapter: LinkedChapter,
  index: ChapterIndex,
  articlesDir: string,
  elsewhere: ReadonlyMap<string, string>,
  warn: (message: string, code: DiagnosticCode) => void,
  landed: Landing = {},
): string | undefined {
  const hashAt = target.indexOf('#');
  const rawPath = hashAt === -1 ? target : target.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : safeDecode(target.slice(hashAt + 1));
  const pathPart = safeDecode(rawPath.replace(/\?.*$/, ''));
  if (/^file:/i.test(target)) {
    warn(`link to \`${target}\` removed: file: URLs are not followed`, 'link-refused');
    return undefined;
  }
  if (pathPart === '') {
    const id = fragment === '' ? '' : idFor(fragment, chapter.ids);
    if (id !== undefined) {
      Object.assign(landed, { target: { href: '', chapter }, fragment: id });
      return id === '' ? `#${chapter.titleId}` : `#${id}`;
    }
    warn(`link to \`#${fragment}\`: there is no such heading or anchor in this article; the link is kept as text`, 'link-anchor-missing');
    return undefined;
  }
  let resolved = path.resolve(path.dirname(from), pathPart);
  // A site's name for the chapter (`ch04.html`, `ch04/`, `ch04/index.html`), as mdBook, Jekyll and Hugo
  // sources link, stands for the article it is made from when that article is in the folder.
  // A site-absolute path (`/ch04.html`) is read from the articles folder, the site's root, when that finds
  // an article.
  const known = (c: string) => index.has(c) || elsewhere.has(c);
  if (!known(resolved)) {
    const roots = [resolved, ...(pathPart.startsWith('/') && articlesDir ? [path.join(articlesDir, pathPart), ...jekyllPost(articlesDir, pathPart)] : [])];
    // Not found, it is still read from the articles folder (and reported so): it was reported as a file at
    // the root of the disk, "outside the articles folder", even for an article in one of its subfolders.
    resolved = roots.flatMap((r) => [r, ...pageCandidates(r, pathPart)]).find(known) ?? (roots[1] ?? resolved);
  }
  const targetChapter = index.get(resolved);
  if (targetChapter) {
    landed.target = targetChapter;
    if (fragment === '') return targetChapter.href;
    const id = idFor(fragment, targetChapter.chapter.ids);
    if (id !== undefined) {
      landed.fragment = id;
      return `${targetChapter.href}#${id}`;
    }
    warn(`link to \`${target}\`: there is no heading \`#${fragment}\` in ${path.basename(resolved)}; it now points at the start of that article`, 'link-anchor-missing');
    return targetChapter.href;
  }
  const volume = elsewhere.get(resolved);
  if (volume !== undefined) {
    warn(`link to \`${rawPath}\`, which is in volume ${volume}; the link is kept as text`, 'link-other-volume');
    return undefined;
  }
  const rel = path.relative(articlesDir, resolved);
  // An article in a subfolder is there, but not in the book: only the folder's own files are chapters.
  const inSubfolder = !rel.startsWith('..') && rel.includes(path.sep) && ARTICLE_FILE.test(pathPart) && fs.existsSync(resolved);
  if (inSubfolder) {
    warn(`link to \`${safeDecode(rawPath)}\`, an article in a subfolder, which is not in the book (its chapters are the articles folder's own files; \`--recursive\` takes in its subfolders'); the link is kept as text`, 'link-not-in-book');
  } else if (ARTICLE_FILE.test(pathPart)) {
    warn(`link to missing article \`${safeDecode(rawPath)}\`${rel.startsWith('..') ? ' (outside the articles folder)' : ''}; the link is kept as text`, 'link-missing-article');
  } else {
    warn(`link to \`${rawPath}\`, which is not in the book; the link is kept as text`, 'link-not-in-book');
  }
  return undefined;
}

/**
 * The id a fragment names: itself, or else its lower-case form, as on GitHub, where `#Options` and
 * `#projectVersion` lead to the headings `## Options` and `#### projectVersion` (whose ids are lower-case).
 */
function idFor(fragment: string, ids: ReadonlySet<string>): string | undefined {
  if (ids.has(fragment)) return fragment;
  const lower = fragment.toLowerCase();
  return ids.has(lower) ? lower : undefined;
}

/**
 * A Jekyll post's page by its date permalink (`/2019/01/02/title.html`, `/blog/2019/01/02/title/`, categories
 * first): the post's file in the articles folder, `2019-01-02-title.md` (or `.markdown`, `.mdx`).
 */
function jekyllPost(articlesDir: string, pathPart: string): string[] {
  const m = /\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+?)(?:\.html?)?\/?$/.exec(pathPart);
  return m ? ARTICLE_EXTENSIONS.map((e) => path.join(articlesDir, `${m[1]}-${m[2]}-${m[3]}-${m[4]}${e}`)) : [];
}


/** The article files a web page's path may have been made from, most likely first. */
function pageCandidates(resolved: string, pathPart: string): string[] {
  const withExtensions = (base: string) => ARTICLE_EXTENSIONS.map((e) => base + e);
  const folder = (dir: string) => [...withExtensions(dir), ...['index', 'README', '_index'].flatMap((n) => withExtensions(path.join(dir, n)))];
  if (/[\\/]$/.test(pathPart)) return folder(resolved);
  const page = /^(.*)\.(html?|xhtml)$/i.exec(resolved);
  if (!page) return [];
  if (path.basename(page[1]!) === 'index') return [...withExtensions(page[1]!), ...folder(path.dirname(page[1]!))];
  return withExtensions(page[1]!);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Percent-encode what an href may not hold raw (spaces, non-ASCII stays), keeping `#`. */
function escapeHref(href: string): string {
  return stripForbidden(href).replace(/&/g, '&amp;').replace(/"/g, '%22').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/ /g, '%20');
}
