// quire check, rule family "accessibility" (book-wide rules; those on single elements are applied in
// content.ts): the schema.org accessibility metadata DAISY Ace asks for.
import type { Book } from './book.js';
import type { PackageFacts } from './package-document.js';
import { all } from './xml.js';

export function checkAccessibilityMetadata(book: Book, opfPath: string, { metadata, epub2 }: PackageFacts): void {
  const { add } = book;
  // EPUB Accessibility's metadata is written with EPUB 3's <meta property>, which EPUB 2 does not have.
  if (epub2) return;
  const properties = metadata ? all(metadata, (n) => n.local === 'meta' && !!n.attrs.property).map((n) => n.attrs.property!) : [];
  for (const p of ['schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature', 'schema:accessibilityHazard', 'schema:accessibilitySummary']) {
    if (!properties.includes(p)) add({ severity: 'warning', code: 'a11y-metadata', message: `no ${p} in the package metadata`, entry: opfPath, by: 'accessibility' });
  }
}
