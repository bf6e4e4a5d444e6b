// quire check, rule families "kobo" and "kindle" (book-wide rules; those on single elements are applied
// in content.ts): Kobo's reader takes a book for a KEPUB by its name and its spans; Send-to-Kindle has a
// size limit.
import { KINDLE_MAX_BYTES } from '../model.js';
import type { Book } from './book.js';
import type { ContentFacts } from './content.js';

export function checkReadingSystems(book: Book, { spanned, unspanned }: ContentFacts): void {
  const { file, zip, add } = book;
  const kepubName = /\.kepub\.epub$/i.test(file);
  if (spanned.length > 0 && !kepubName) add({ severity: 'warning', code: 'kobo-kepub-name', message: 'the book has Kobo spans but its name does not end in .kepub.epub: Kobo reads it as a plain EPUB', by: 'kobo' });
  if (kepubName) for (const p of unspanned) add({ severity: 'warning', code: 'kobo-no-spans', message: 'text without Kobo spans in a .kepub.epub: no highlights or reading statistics here', entry: p, by: 'kobo' });
  if (zip.length > KINDLE_MAX_BYTES) add({ severity: 'warning', code: 'kindle-size', message: `the book is ${Math.round(zip.length / 1024 / 1024)} MB; Send-to-Kindle takes ${KINDLE_MAX_BYTES / 1024 / 1024} MB at most`, by: 'kindle' });
}
