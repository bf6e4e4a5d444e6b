// quire check, rule family "content": every content document well-formed, with unique ids, a language,
// no scripts, no remote resources, its images there. The same walk applies the Kindle, Kobo and
// accessibility rules that look at single elements (their codes say their family).
import path from 'node:path';
import { isLanguageTag } from '../articles/front-matter.js';
import { sniffImage } from '../images.js';
import { decodeHref, resolveHref, type Book } from './book.js';
import { remoteUrlsInCss } from './css.js';
import type { PackageFacts } from './package-document.js';
import { find, parseXml, textOfNode, walk } from './xml.js';

export interface ContentFacts {
  /** The ids of each content document, by path. */
  ids: Map<string, Set<string>>;
  /** The id of each document's <body>, by path. */
  bodyIds: Map<string, string | undefined>;
  /** Documents with Kobo spans, and documents in the reading order with text but no Kobo spans. */
  spanned: string[];
  unspanned: string[];
}

export async function checkContent(book: Book, opfPath: string, facts: PackageFacts): Promise<ContentFacts> {
  const { byName, read, add } = book;
  const { items } = facts;
  const readingOrder = new Set(facts.readingOrder);
  const ids = new Map<string, Set<string>>();
  const bodyIds = new Map<string, string | undefined>();
  // Kobo: which content documents have Kobo spans, and which have text without them.
  const spanned: string[] = [];
  const unspanned: string[] = [];
  // Links to other documents, checked once every document's ids are known.
  const links: { from: string; href: string; target: string; fragment?: string; line: number; column: number }[] = [];
  for (const item of items) {
    const p = item.path;
    if (p === undefined) continue;
    const bytes = byName.has(p) ? read(p) : undefined;
    if (!bytes) continue;
    if (item.type.startsWith('image/')) {
      const type = await sniffImage(bytes);
      if (type && type.mediaType !== item.type) add({ severity: 'error', code: 'check-media-type', message: `${item.href} is listed as ${item.type} but its bytes are ${type.mediaType}`, entry: opfPath, line: item.node.line });
      if (!['image/jpeg', 'image/png', 'image/gif', 'image/svg+xml'].includes(item.type)) add({ severity: 'error', code: 'kindle-image-type', message: `${item.href}: ${item.type} is not shown by Kindle`, entry: p, by: 'kindle' });
    }
    if (item.type !== 'application/xhtml+xml') continue;
    if (!/^\s*<\?xml[^>]+encoding=["']utf-8["']/i.test(bytes.subarray(0, 200).toString('utf8').replace(/^\ufeff/, ''))) {
      add({ severity: 'warning', code: 'kindle-xml-declaration', message: 'no XML declaration with encoding="UTF-8": Send-to-Kindle may misread the text', entry: p, by: 'kindle' });
    }
    const doc = parseXml(bytes, p, add);
    if (!doc.root) continue;
    const seen = new Set<string>();
    let koboSpans = 0;
    walk(doc.root, (n) => {
      if (n.local === 'span' && (n.attrs.class ?? '').split(/\s+/).includes('koboSpan')) {
        koboSpans++;
        if (!/^kobo\.\d+\.\d+$/.test(n.attrs.id ?? '')) add({ severity: 'error', code: 'kobo-span-id', message: `a Kobo span whose id ${n.attrs.id === undefined ? 'is missing' : `\`${n.attrs.id}\``} is not kobo.<block>.<sentence>`, entry: p, line: n.line, column: n.column, by: 'kobo' });
      }
      const id = n.attrs.id;
      if (id !== undefined) {
        if (seen.has(id)) add({ severity: 'error', code: 'check-duplicate-id', message: `id \`${id}\` is used twice`, entry: p, line: n.line, column: n.column });
        seen.add(id);
      }
      if (n.local === 'script' || Object.keys(n.attrs).some((a) => /^on/i.test(a))) add({ severity: 'error', code: 'check-script', message: `scripting (${n.local === 'script' ? '<script>' : 'an event handler'}) in the book`, entry: p, line: n.line, column: n.column });
      for (const a of ['src', 'href', 'xlink:href', 'poster', 'data']) {
        const v = n.attrs[a];
        if (v === undefined) continue;
        if (/^\s*javascript:/i.test(v)) add({ severity: 'error', code: 'check-script', message: `a javascript: URL`, entry: p, line: n.line, column: n.column });
        const isResource = n.local !== 'a' || a !== 'href';
        if (isResource && /^(https?:)?\/\//i.test(v)) add({ severity: 'error', code: 'check-remote', message: `<${n.local}> loads a remote resource: ${v}`, entry: p, line: n.line, column: n.column });
      }
      if (n.local === 'a' && n.attrs.href !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(n.attrs.href.trim()) && !n.attrs.href.startsWith('//')) {
        const href = n.attrs.href.trim();
        const target = href.startsWith('#') ? p : resolveHref(book, path.posix.dirname(p), href, { entry: p, line: n.line, column: n.column });
        const hash = href.indexOf('#');
        if (target !== undefined && href !== '') links.push({ from: p, href, target, fragment: hash >= 0 && hash < href.length - 1 ? decodeHref(href.slice(hash + 1)) : undefined, line: n.line, column: n.column });
      }
      if (n.attrs.style !== undefined) for (const u of remoteUrlsInCss(n.attrs.style)) add({ severity: 'error', code: 'check-remote', message: `a style attribute loads a remote resource: ${u}`, entry: p, line: n.line, column: n.column });
      if (n.local === 'style') for (const u of remoteUrlsInCss(textOfNode(n))) add({ severity: 'error', code: 'check-remote', message: `<style> loads a remote resource: ${u}`, entry: p, line: n.line, column: n.column });
      if (n.local === 'img') {
        if (!n.attrs.src) add({ severity: 'error', code: 'kindle-img-src', message: '<img> without src', entry: p, line: n.line, column: n.column, by: 'kindle' });
        else if (!/^(https?:)?\/\//i.test(n.attrs.src) && !byName.has(resolveHref(book, path.posix.dirname(p), n.attrs.src, { entry: p, line: n.line, column: n.column }) ?? n.attrs.src)) add({ severity: 'error', code: 'check-missing-resource', message: `image ${n.attrs.src} is not in the book`, entry: p, line: n.line, column: n.column });
        if (n.attrs.alt === undefined) {
          add({ severity: 'error', code: 'a11y-alt', message: '<img> without alt text', entry: p, line: n.line, column: n.column, by: 'accessibility' });
        }
      }
      if (n.local === 'table' && !find(n, (c) => c.local === 'th')) add({ severity: 'warning', code: 'a11y-table-headers', message: 'a table without header cells', entry: p, line: n.line, column: n.column, by: 'accessibility' });
    });
    ids.set(p, seen);
    const html = doc.root;
    if (koboSpans > 0) spanned.push(p);
    else if (!item.properties.includes('nav') && readingOrder.has(p) && textOfNode(find(html, (n) => n.local === 'body')).trim()) unspanned.push(p);
    const lang = html.attrs['xml:lang'] ?? html.attrs.lang;
    // EPUB 3 asks each document for its language; an EPUB 2 document may take it from the package.
    if (!lang && !facts.epub2) add({ severity: 'error', code: 'check-language', message: 'the document has no lang / xml:lang', entry: p, line: html.line, by: 'accessibility' });
    else if (lang && !isLanguageTag(lang)) add({ severity: 'error', code: 'check-language', message: `lang \`${lang}\` is not a language tag`, entry: p, line: html.line });
    bodyIds.set(p, find(html, (n) => n.local === 'body')?.attrs.id);
    // Headings go down one level at a time (h1 then h2, not h1 then h4).
    let level = 0;
    walk(html, (n) => {
      const m = /^h([1-6])$/.exec(n.local);
      if (!m) return;
      const l = Number(m[1]);
      if (level && l > level + 1) add({ severity: 'warning', code: 'a11y-heading-order', message: `<h${l}> follows <h${level}>: a heading level is skipped`, entry: p, line: n.line, column: n.column, by: 'accessibility' });
      level = l;
    });
  }
  for (const l of links) {
    if (!byName.has(l.target)) add({ severity: 'error', code: 'check-broken-link', message: `the link ${l.href} leads to a file that is not in the book`, entry: l.from, line: l.line, column: l.column });
    else if (l.fragment !== undefined && ids.has(l.target) && !ids.get(l.target)!.has(l.fragment)) add({ severity: 'error', code: 'check-broken-link', message: `the link ${l.href} leads to #${l.fragment}, which ${l.target === l.from ? 'this document' : l.target} does not have`, entry: l.from, line: l.line, column: l.column });
  }
  return { ids, bodyIds, spanned, unspanned };
}
