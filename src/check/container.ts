// quire check, rule family "container": entry names that stay inside the book, the mimetype entry, and
// META-INF/container.xml naming a package document that is there.
import type { Book } from './book.js';
import { find, parseXml, type Parsed } from './xml.js';

/** The package document's path and parsed tree; undefined when the container does not lead to one. */
export function checkContainer(book: Book): { opfPath: string; opf: Required<Parsed> } | undefined {
  const { entries, byName, read, add } = book;
  for (const e of entries) {
    if (e.name.startsWith('/') || e.name.split('/').includes('..') || /^[a-z]:/i.test(e.name) || e.name.includes('\\')) {
      add({ severity: 'error', code: 'check-zip-path', message: `entry name ${JSON.stringify(e.name)} leads out of the book (an absolute path or ..)` });
    }
  }
  // Container.
  const first = entries[0];
  if (!first || first.name !== 'mimetype' || first.method !== 0 || read('mimetype')?.toString('latin1') !== 'application/epub+zip') {
    add({ severity: 'error', code: 'check-mimetype', message: 'the first entry must be an uncompressed `mimetype` holding `application/epub+zip`' });
  }
  const container = parseXml(read('META-INF/container.xml'), 'META-INF/container.xml', add);
  const opfPath = container.root && find(container.root, (n) => n.local === 'rootfile')?.attrs['full-path'];
  if (!opfPath) {
    add({ severity: 'error', code: 'check-container', message: 'META-INF/container.xml names no package document', entry: 'META-INF/container.xml' });
    return undefined;
  }
  const opf = parseXml(read(opfPath), opfPath, add);
  if (!opf.root) {
    if (!byName.has(opfPath)) add({ severity: 'error', code: 'check-container', message: `the package document ${opfPath} is missing`, entry: opfPath });
    return undefined;
  }
  return { opfPath, opf: opf as Required<Parsed> };
}
