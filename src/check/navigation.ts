// quire check, rule family "navigation": the navigation document and the NCX point at content that
// exists, at ids it has, in the reading order.
import path from 'node:path';
import { decodeHref, resolveHref, type Book } from './book.js';
import type { ContentFacts } from './content.js';
import type { PackageFacts } from './package-document.js';
import { all, find, parseXml } from './xml.js';

export function checkNavigation(book: Book, opfPath: string, facts: PackageFacts, content: ContentFacts): void {
  const { byName, read, add } = book;
  const { items } = facts;
  const readingOrder = new Set(facts.readingOrder);
  const { ids, bodyIds } = content;
  const navItem = items.find((i) => i.properties.includes('nav'));
  const checkTarget = (from: string, href: string, line: number, what: string) => {
    const target = resolveHref(book, path.posix.dirname(from), href, { entry: from, line });
    const fragment = href.includes('#') ? decodeHref(href.slice(href.indexOf('#') + 1)) : undefined;
    if (target === undefined) return;
    if (!byName.has(target)) return add({ severity: 'error', code: 'check-nav-target', message: `${what} points at ${href}, which is not in the book`, entry: from, line });
    if (!readingOrder.has(target)) add({ severity: 'error', code: 'check-nav-order', message: `${what} points at ${href}, which is not in the reading order`, entry: from, line });
    if (fragment !== undefined && ids.has(target) && !ids.get(target)!.has(fragment)) add({ severity: 'error', code: 'check-nav-target', message: `${what} points at #${fragment}, which ${target} does not have`, entry: from, line });
    if (fragment !== undefined && bodyIds.get(target) === fragment) add({ severity: 'warning', code: 'kindle-body-link', message: `${what} points at the id of <body>: Kindle ignores it`, entry: from, line, by: 'kindle' });
  };
  const ncxItem = items.find((i) => i.type === 'application/x-dtbncx+xml');
  // EPUB 2 has no navigation document: its table of contents is the NCX, which it requires.
  if (facts.epub2) {
    if (!ncxItem) add({ severity: 'error', code: 'check-nav', message: 'no NCX (manifest item of type application/x-dtbncx+xml): an EPUB 2 book needs one', entry: opfPath });
  } else if (!navItem) add({ severity: 'error', code: 'check-nav', message: 'no navigation document (manifest item with properties="nav")', entry: opfPath });
  else {
    const navPath = navItem.path ?? '';
    const nav = parseXml(read(navPath), navPath, () => undefined);
    const toc = nav.root && find(nav.root, (n) => n.local === 'nav' && (n.attrs['epub:type'] ?? '').split(/\s+/).includes('toc'));
    if (!toc) add({ severity: 'error', code: 'check-nav', message: 'the navigation document has no <nav epub:type="toc">', entry: navPath });
    else for (const a of all(toc, (n) => n.local === 'a' && n.attrs.href !== undefined)) checkTarget(navPath, a.attrs.href!, a.line, 'the table of contents');
  }
  if (ncxItem?.path !== undefined) {
    const ncxPath = ncxItem.path;
    const ncx = parseXml(read(ncxPath), ncxPath, add);
    if (ncx.root) for (const c of all(ncx.root, (n) => n.local === 'content' && n.attrs.src !== undefined)) checkTarget(ncxPath, c.attrs.src!, c.line, 'the NCX');
  }
}
