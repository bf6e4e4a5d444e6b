// quire check, rule family "package": the package document's languages, its manifest against the zip,
// and the spine.
import path from 'node:path';
import { isLanguageTag } from '../articles/front-matter.js';
import { resolveHref, type Book } from './book.js';
import { all, find, type XmlNode } from './xml.js';

export interface ManifestItem {
  id: string;
  href: string;
  type: string;
  properties: string[];
  node: XmlNode;
  /** The entry it names in the zip; undefined when the href is remote or has a bad percent-escape. */
  path: string | undefined;
}

export interface PackageFacts {
  /** The package's EPUB version (`version="2.0"` or `"3.0"`): EPUB 3 rules are only applied to EPUB 3 books. */
  epub2: boolean;
  /** The folder of the package document, which manifest hrefs are relative to. */
  base: string;
  metadata?: XmlNode;
  items: ManifestItem[];
  /** The spine's documents, as paths in the zip. */
  readingOrder: string[];
}

export function checkPackage(book: Book, opfPath: string, root: XmlNode): PackageFacts {
  const { entries, byName, add } = book;
  const opf = { root };
  const base = path.posix.dirname(opfPath);
  // Package: metadata, manifest against the zip, spine.
  const metadata = find(opf.root, (n) => n.local === 'metadata');
  const languages = metadata ? all(metadata, (n) => n.local === 'language').map((n) => n.text.trim()) : [];
  if (languages.length === 0) add({ severity: 'error', code: 'check-language', message: 'no dc:language in the package', entry: opfPath });
  for (const l of languages) if (!isLanguageTag(l)) add({ severity: 'error', code: 'check-language', message: `dc:language \`${l}\` is not a language tag`, entry: opfPath, by: 'kindle' });
  const items = all(opf.root, (n) => n.local === 'item').map((n): ManifestItem => ({ path: undefined, id: n.attrs.id ?? '', href: n.attrs.href ?? '', type: n.attrs['media-type'] ?? '', properties: (n.attrs.properties ?? '').split(/\s+/), node: n }));
  const manifestPaths = new Set<string>();
  for (const item of items) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(item.href)) {
      add({ severity: 'error', code: 'check-remote', message: `the manifest refers to a remote resource: ${item.href}`, entry: opfPath, line: item.node.line });
      continue;
    }
    const p = (item.path = resolveHref(book, base, item.href, { entry: opfPath, line: item.node.line }));
    if (p === undefined) continue;
    manifestPaths.add(p);
    if (!byName.has(p)) add({ severity: 'error', code: 'check-manifest-missing', message: `manifest item ${item.href} is not in the zip`, entry: opfPath, line: item.node.line });
  }
  for (const e of entries) {
    if (e.name.endsWith('/') || e.name === 'mimetype' || e.name.startsWith('META-INF/') || e.name === opfPath) continue;
    if (!manifestPaths.has(e.name)) add({ severity: 'warning', code: 'check-manifest-extra', message: `${e.name} is in the zip but not in the manifest`, entry: e.name });
  }
  const spine = all(opf.root, (n) => n.local === 'itemref').map((n) => n.attrs.idref ?? '');
  const itemById = new Map(items.map((i) => [i.id, i]));
  for (const idref of spine) if (!itemById.has(idref)) add({ severity: 'error', code: 'check-spine', message: `spine item \`${idref}\` is not in the manifest`, entry: opfPath });
  const readingOrder = spine
    .map((id) => itemById.get(id))
    .filter((i) => i !== undefined)
    .map((i) => i?.path)
    .filter((p) => p !== undefined);
  return { epub2: /^2(\.|$)/.test((root.attrs.version ?? '').trim()), base, metadata, items, readingOrder };
}
