// `quire check`: quire's own checks on any EPUB (not only quire's), one file per rule family: container,
// package document, content documents, navigation, accessibility metadata, Kobo and Kindle; and
// EPUBCheck's messages when Java and its jar are there. The EPUB is only read, never extracted. What it
// finds comes back as the same Diagnostic a build gives, with codes from the catalogue (src/codes.ts).
import type { Diagnostic } from '../diagnostics.js';
import { checkAccessibilityMetadata } from './accessibility.js';
import { diagnosticOf, openBook, type Found } from './book.js';
import { checkContainer } from './container.js';
import { checkContent } from './content.js';
import { checkStyleSheets } from './css.js';
import { EPUBCHECK_LIMITS, runEpubcheck, type EpubcheckLimits } from './epubcheck.js';
import { checkNavigation } from './navigation.js';
import { checkPackage } from './package-document.js';
import { checkReadingSystems } from './reading-systems.js';
import { ZipError } from './zip.js';

export interface CheckOptions {
  /** Run EPUBCheck too when it is installed (default true). */
  epubcheck?: boolean;
  epubcheckJar?: string;
  /** EPUBCheck's heap cap (MB) and time limit (ms); defaults in EPUBCHECK_LIMITS. */
  epubcheckLimits?: Partial<EpubcheckLimits>;
}

export const DEFAULT_EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

export async function checkEpub(file: string, options: CheckOptions = {}): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  const add = (f: Found) => found.push(diagnosticOf(file, f));
  const book = openBook(file, add);
  if (!book) {
    if (options.epubcheck !== false) add({ severity: 'warning', code: 'check-epubcheck-not-run', message: 'EPUBCheck was not run: the zip itself is refused (see above)' });
    return found;
  }
  try {
    const pkg = checkContainer(book);
    if (pkg) {
      const facts = checkPackage(book, pkg.opfPath, pkg.opf.root);
      const content = await checkContent(book, pkg.opfPath, facts);
      checkStyleSheets(book, facts);
      checkNavigation(book, pkg.opfPath, facts, content);
      checkAccessibilityMetadata(book, pkg.opfPath, facts);
      checkReadingSystems(book, content);
    }
    book.verifyAll();
  } catch (e) {
    // A rule that throws is a bug in quire, never a reason to crash on a user's file: say so and go on.
    add({ severity: 'error', code: 'check-internal', message: `quire's own checks stopped on this file (a bug in quire, please report it): ${(e as Error).message}` });
  }
  if (options.epubcheck === false) return found;
  // EPUBCheck expands entities and inflates entries without quire's limits: a hostile book never reaches it.
  if (book.entities.size > 0) add({ severity: 'warning', code: 'check-epubcheck-not-run', message: `EPUBCheck was not run: ${[...book.entities].join(', ')} declare${book.entities.size === 1 ? 's' : ''} XML entities, which it would expand` });
  else for (const d of await runEpubcheck(file, options.epubcheckJar ?? DEFAULT_EPUBCHECK_JAR, { ...EPUBCHECK_LIMITS, ...options.epubcheckLimits })) found.push(d);
  return found;
}

export { ZipError };
