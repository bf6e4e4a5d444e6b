// Loading, selection stage: a book made of some of the folder's articles (a digest of one day's feed
// items), in an order and with contents groups chosen by the caller. Problems of articles left out are not
// the book's problems; those of the articles chosen are kept.
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { Article } from '../model.js';
import { ARTICLE_FILE } from './title.js';

export interface Selection {
  /** Article names (relative to the articles folder, `/` separators) the book is made of. */
  names: string[];
  /** Order the chosen articles and set their `group`; default: as loaded. */
  arrange?: (articles: Article[]) => Article[];
}

export function selectArticles(articles: Article[], diagnostics: Diagnostic[], articlesDir: string, selection: Selection): { articles: Article[]; diagnostics: Diagnostic[] } {
  const names = new Set(selection.names);
  const chosen = articles.filter((a) => names.has(a.name));
  const nameOf = (file: string) => path.relative(articlesDir, file).split(path.sep).join('/');
  const kept = diagnostics.filter((d) => !d.file || !ARTICLE_FILE.test(d.file) || !d.file.startsWith(articlesDir + path.sep) || names.has(nameOf(d.file)));
  return { articles: selection.arrange ? selection.arrange(chosen) : chosen, diagnostics: kept };
}
