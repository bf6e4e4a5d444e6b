// Titles made from file names, for articles that have neither a `title` nor a `#` heading; which file names
// are articles.

/**
 * An article's file name: Markdown by any of the extensions editors and sites give it (GitHub's list:
 * `.md`, `.markdown`, `.mdown`, `.mdwn`, `.mkd`, `.mkdn`, `.mkdown`), MDX, and Quarto's and R Markdown's
 * (`.qmd`, `.Rmd`). A `.mkd` file, or a `.qmd` beside `.md` files, was left out of the book without a word.
 */
export const ARTICLE_FILE = /\.(?:md|markdown|mdown|mdwn|mkd|mkdn|mkdown|mdx|qmd|rmd)$/i;
/** The same extensions, as a link to an article's file or page may leave them out. */
export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.mdx', '.MD', '.Markdown', '.MDX', '.mdown', '.mdwn', '.mkd', '.mkdn', '.mkdown', '.qmd', '.Rmd', '.rmd'];

/**
 * `2023-05-01-my_first-post.md` -> `My first post`, `07-untitled-article.md` -> `Untitled article`,
 * `02-guide/index.md` -> `Guide`: a leading
 * date or ordering number (up to three digits: `2001-a-space-odyssey.md` keeps its year) is not part of the title.
 */
export function titleFromFileName(name: string): string {
  const parts = name.split('/');
  // A folder's own page in a subfolder (`guide/index.md`, `api/README.md`) is named after its folder.
  if (parts.length > 1 && isFolderPage(parts[parts.length - 1]!)) parts.pop();
  const base = parts.pop()!.replace(ARTICLE_FILE, '');
  const words = base.replace(/^\d{4}-\d\d-\d\d[-_ ]/, '').replace(/^(?:\d{1,3}[-_. ]+)+(?=\D)/, '').replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!words) return base || 'Untitled';
  return words[0]!.toUpperCase() + words.slice(1);
}

/** Whether a file is its folder's own page: `index.md`, `README.md`, `_index.md` (Hugo's), any extension or none. */
export function isFolderPage(fileName: string): boolean {
  return /^(?:index|readme|_index)(?:\.[^.]+)?$/i.test(fileName);
}

/** An ASCII slug for file names and ids: `Ünïcode naïve` -> `unicode-naive`; empty when nothing is left. */
export function asciiSlug(text: string, maxLength: number): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}
