// Package documents: the OPF, the EPUB 3 navigation document (also the book's visible contents page),
// the EPUB 2 NCX, the cover page and each chapter's XHTML document. Pure functions of the book's data.
import { isRightToLeft } from '../config.js';
import { joinNames, labelsFor } from '../labels.js';
import { escapeAttr, escapeText } from '../render/tree.js';

export interface TocEntry {
  text: string;
  /** Undefined for a group heading (a digest's feed): a label over its children, linking nowhere. */
  href?: string;
  children: TocEntry[];
}

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties?: string;
}

export interface BookMetadata {
  identifier: string;
  title: string;
  authors: string[];
  lang: string;
  publisher?: string;
  description?: string;
  date?: string;
  /** `YYYY-MM-DDThh:mm:ssZ` */
  modified: string;
  generator: string;
  accessibility: { visual: boolean; allImagesHaveAlt: boolean; mathml: boolean };
}

export const NAV_HREF = 'toc.xhtml';
export const NCX_HREF = 'toc.ncx';
export const CSS_HREF = 'style.css';
export const COVER_PAGE_HREF = 'cover.xhtml';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function htmlOpen(lang: string, dir?: 'rtl' | 'ltr'): string {
  const d = dir ? ` dir="${dir}"` : '';
  return `${XML_DECLARATION}<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${escapeAttr(lang)}" lang="${escapeAttr(lang)}"${d}>\n`;
}

function head(title: string): string {
  return `<head>\n<meta charset="UTF-8"/>\n<title>${escapeText(title)}</title>\n<link rel="stylesheet" type="text/css" href="${CSS_HREF}"/>\n</head>\n`;
}

/** The ids of the two divs that Kobo's reader lays its columns out with, around a KEPUB chapter's content. */
export const KOBO_WRAPPER_IDS = ['book-columns', 'book-inner'];

export function chapterDocument(opts: { title: string; titleId: string; lang: string; dir?: 'rtl' | 'ltr'; body: string; type?: 'chapter' | 'endnotes'; kobo?: boolean }): string {
  // The article's own direction (its front matter's `dir`), else its language's.
  const dir = opts.dir === 'rtl' || (opts.dir !== 'ltr' && isRightToLeft(opts.lang)) ? 'rtl' : opts.dir === 'ltr' && isRightToLeft(opts.lang) ? 'ltr' : undefined;
  const type = opts.type === 'endnotes' ? 'epub:type="endnotes" role="doc-endnotes"' : 'epub:type="chapter" role="doc-chapter"';
  const section = `<section class="chapter" ${type} aria-labelledby="${escapeAttr(opts.titleId)}">\n${opts.body}\n</section>`;
  const content = opts.kobo ? `<div id="${KOBO_WRAPPER_IDS[0]}"><div id="${KOBO_WRAPPER_IDS[1]}">\n${section}\n</div></div>` : section;
  return htmlOpen(opts.lang, dir) + head(opts.title) + `<body>\n${content}\n</body>\n</html>\n`;
}

export function coverDocument(meta: BookMetadata, imageHref: string): string {
  return (
    htmlOpen(meta.lang, isRightToLeft(meta.lang) ? 'rtl' : undefined) +
    head(labelsFor(meta.lang).cover) +
    `<body class="cover-page" epub:type="cover">\n<div class="cover"><img src="${escapeAttr(imageHref)}" alt="${escapeAttr(coverAlt(meta))}"/></div>\n</body>\n</html>\n`
  );
}

function coverAlt(meta: BookMetadata): string {
  const cover = labelsFor(meta.lang).cover;
  return meta.authors.length ? `${cover}: ${meta.title} (${joinNames(meta.authors, meta.lang)})` : `${cover}: ${meta.title}`;
}

function tocList(entries: readonly TocEntry[], indent: string): string {
  if (entries.length === 0) return '';
  let s = `${indent}<ol>\n`;
  for (const e of entries) {
    s += e.href === undefined ? `${indent}  <li><span>${escapeText(e.text)}</span>` : `${indent}  <li><a href="${escapeAttr(e.href)}">${escapeText(e.text)}</a>`;
    if (e.children.length) s += `\n${tocList(e.children, `${indent}    `)}${indent}  `;
    s += '</li>\n';
  }
  return `${s}${indent}</ol>\n`;
}

export function navDocument(meta: BookMetadata, toc: readonly TocEntry[], firstChapterHref: string, hasCover: boolean): string {
  const label = labelsFor(meta.lang);
  const landmarks = [
    hasCover ? `    <li><a epub:type="cover" href="${COVER_PAGE_HREF}">${escapeText(label.cover)}</a></li>\n` : '',
    `    <li><a epub:type="toc" href="${NAV_HREF}#toc">${escapeText(label.contents)}</a></li>\n`,
    `    <li><a epub:type="bodymatter" href="${escapeAttr(firstChapterHref)}">${escapeText(label.start)}</a></li>\n`,
  ].join('');
  return (
    htmlOpen(meta.lang, isRightToLeft(meta.lang) ? 'rtl' : undefined) +
    head(label.contents) +
    '<body class="contents-page">\n' +
    `<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n<h1 id="toc-title">${escapeText(label.contents)}</h1>\n${tocList(toc, '')}</nav>\n` +
    `<nav epub:type="landmarks" id="landmarks" hidden="hidden" aria-label="${escapeAttr(label.landmarks)}">\n  <ol>\n${landmarks}  </ol>\n</nav>\n` +
    '</body>\n</html>\n'
  );
}

export function ncxDocument(meta: BookMetadata, toc: readonly TocEntry[]): string {
  let playOrder = 0;
  let navId = 0;
  const orderOf = new Map<string, number>();
  let maxDepth = 1;
  const points = (entries: readonly TocEntry[], depth: number, indent: string): string => {
    if (entries.length) maxDepth = Math.max(maxDepth, depth);
    return entries
      .map((e) => {
        // A group heading leads where its first article does: one target, one playOrder.
        const src = firstHref(e);
        let order = orderOf.get(src);
        if (order === undefined) orderOf.set(src, (order = ++playOrder));
        const id = `nav-${++navId}`;
        return (
          `${indent}<navPoint id="${id}" playOrder="${order}">\n` +
          `${indent}  <navLabel><text>${escapeText(e.text)}</text></navLabel>\n` +
          `${indent}  <content src="${escapeAttr(src)}"/>\n` +
          points(e.children, depth + 1, `${indent}  `) +
          `${indent}</navPoint>\n`
        );
      })
      .join('');
  };
  const map = points(toc, 1, '    ');
  const authors = meta.authors.map((a) => `  <docAuthor><text>${escapeText(a)}</text></docAuthor>\n`).join('');
  return (
    XML_DECLARATION +
    `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${escapeAttr(meta.lang)}">\n` +
    '  <head>\n' +
    `    <meta name="dtb:uid" content="${escapeAttr(meta.identifier)}"/>\n` +
    `    <meta name="dtb:depth" content="${maxDepth}"/>\n` +
    '    <meta name="dtb:totalPageCount" content="0"/>\n' +
    '    <meta name="dtb:maxPageNumber" content="0"/>\n' +
    '  </head>\n' +
    `  <docTitle><text>${escapeText(meta.title)}</text></docTitle>\n` +
    authors +
    `  <navMap>\n${map}  </navMap>\n</ncx>\n`
  );
}

/** Where an entry leads; a group heading leads to its first article (an NCX navPoint must lead somewhere). */
function firstHref(e: TocEntry): string {
  return e.href ?? (e.children[0] ? firstHref(e.children[0]) : '');
}

export function opfDocument(meta: BookMetadata, manifest: readonly ManifestItem[], spine: readonly string[], guide: { cover?: string; start: string }, coverImageId?: string): string {
  const m: string[] = [];
  m.push(`    <dc:identifier id="book-id">${escapeText(meta.identifier)}</dc:identifier>`);
  m.push(`    <dc:title id="title">${escapeText(meta.title)}</dc:title>`);
  meta.authors.forEach((a, i) => {
    m.push(`    <dc:creator id="creator-${i + 1}">${escapeText(a)}</dc:creator>`);
    m.push(`    <meta refines="#creator-${i + 1}" property="role" scheme="marc:relators">aut</meta>`);
  });
  m.push(`    <dc:language>${escapeText(meta.lang)}</dc:language>`);
  if (meta.publisher) m.push(`    <dc:publisher>${escapeText(meta.publisher)}</dc:publisher>`);
  if (meta.description) m.push(`    <dc:description>${escapeText(meta.description)}</dc:description>`);
  if (meta.date) m.push(`    <dc:date>${escapeText(meta.date)}</dc:date>`);
  m.push(`    <meta property="dcterms:modified">${meta.modified}</meta>`);
  if (coverImageId) m.push(`    <meta name="cover" content="${coverImageId}"/>`);
  m.push(`    <meta name="generator" content="${escapeAttr(meta.generator)}"/>`);
  const a = meta.accessibility;
  const modes = ['textual', ...(a.visual ? ['visual'] : [])];
  for (const mode of modes) m.push(`    <meta property="schema:accessMode">${mode}</meta>`);
  m.push(`    <meta property="schema:accessModeSufficient">${a.visual && !a.allImagesHaveAlt ? 'textual,visual' : 'textual'}</meta>`);
  const features = ['structuralNavigation', 'tableOfContents', 'readingOrder', ...(a.visual && a.allImagesHaveAlt ? ['alternativeText'] : []), ...(a.mathml ? ['MathML'] : [])];
  for (const f of features) m.push(`    <meta property="schema:accessibilityFeature">${f}</meta>`);
  m.push('    <meta property="schema:accessibilityHazard">none</meta>');
  const summary = `Articles with a navigable table of contents and headings in reading order${a.visual ? (a.allImagesHaveAlt ? '; every image has a text alternative' : '; some images have no text alternative') : ''}.`;
  m.push(`    <meta property="schema:accessibilitySummary">${escapeText(summary)}</meta>`);

  const items = manifest
    .map((i) => `    <item id="${escapeAttr(i.id)}" href="${escapeAttr(i.href)}" media-type="${i.mediaType}"${i.properties ? ` properties="${i.properties}"` : ''}/>`)
    .join('\n');
  const refs = spine.map((id) => `    <itemref idref="${escapeAttr(id)}"/>`).join('\n');
  const ppd = isRightToLeft(meta.lang) ? ' page-progression-direction="rtl"' : '';
  const label = labelsFor(meta.lang);
  const guideRefs = [
    guide.cover ? `    <reference type="cover" title="${escapeAttr(label.cover)}" href="${escapeAttr(guide.cover)}"/>` : '',
    `    <reference type="toc" title="${escapeAttr(label.contents)}" href="${NAV_HREF}"/>`,
    `    <reference type="text" title="${escapeAttr(label.start)}" href="${escapeAttr(guide.start)}"/>`,
  ].filter(Boolean);
  return (
    XML_DECLARATION +
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${escapeAttr(meta.lang)}">\n` +
    `  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n${m.join('\n')}\n  </metadata>\n` +
    `  <manifest>\n${items}\n  </manifest>\n` +
    `  <spine toc="ncx"${ppd}>\n${refs}\n  </spine>\n` +
    `  <guide>\n${guideRefs.join('\n')}\n  </guide>\n` +
    '</package>\n'
  );
}
