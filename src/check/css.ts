// quire check, rule family "css": style sheets, <style> elements and style attributes of any EPUB load no
// remote resource (url(), image-set(), image(), @import, @font-face src, with their CSS escapes decoded).
import type { Book } from './book.js';
import type { PackageFacts } from './package-document.js';

/** A URL that leaves the book: with a scheme and `//` (https://, ftp://...) or scheme-relative (`//host`). */
const REMOTE = /^\s*([a-z][a-z0-9+.-]*:)?\/\//i;

/** The remote URLs a piece of CSS would load, whatever function or at-rule names them. */
export function remoteUrlsInCss(css: string): string[] {
  const text = css
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ')
    // CSS escapes: `\75 rl(` is `url(`, `\68ttp` is `http`.
    .replace(/\\([0-9a-f]{1,6})[ \t\n\r\f]?/gi, (_, h: string) => {
      const n = parseInt(h, 16);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
    })
    .replace(/\\([^\n])/g, '$1')
    // @namespace names a namespace (`http://www.w3.org/1999/xhtml`): nothing is loaded.
    .replace(/@namespace[^;{}]*;?/gi, ' ');
  const found: string[] = [];
  // url(...) unquoted or quoted, in any property or at-rule.
  for (const m of text.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi)) {
    const u = m[1] ?? m[2] ?? m[3] ?? '';
    if (REMOTE.test(u)) found.push(u.trim());
  }
  // Strings: @import "...", image-set("..."), image("..."), src: "..." ; not the text of `content:`.
  const withoutContent = text.replace(/url\([^)]*\)/gi, ' ').replace(/(^|[;{\s])content\s*:[^;}]*/gi, '$1');
  for (const m of withoutContent.matchAll(/"([^"\n]*)"|'([^'\n]*)'/g)) {
    const u = m[1] ?? m[2] ?? '';
    if (REMOTE.test(u)) found.push(u.trim());
  }
  return [...new Set(found)];
}

export function checkStyleSheets(book: Book, { items }: PackageFacts): void {
  const { byName, entries, read, add } = book;
  // Every style sheet the manifest lists, and any .css entry it forgot.
  const sheets = new Set(items.filter((i) => i.type === 'text/css' && i.path !== undefined).map((i) => i.path!));
  for (const e of entries) if (/\.css$/i.test(e.name)) sheets.add(e.name);
  for (const p of sheets) {
    if (!byName.has(p)) continue;
    const css = read(p)?.toString('utf8');
    if (css === undefined) continue;
    for (const u of remoteUrlsInCss(css)) add({ severity: 'error', code: 'check-remote', message: `the style sheet loads a remote resource: ${u}`, entry: p });
  }
}
