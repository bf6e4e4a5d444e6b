// Serve, stage 2 (browser side): the pages a web browser gets. `/` lists the books; `/read?book=KEY` opens
// one in epub.js (which unzips the book with JSZip in the browser), at its first chapter. The reader keeps the chapter it shows
// in the URL's hash and its exact place in sessionStorage, so that a reload (by hand, or when watch mode
// says the book was rebuilt) comes back to the same chapter.
import type { BookRecord } from './books.js';
import { encodePath, type Href } from './opds.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const HEAD = (title: string, extra = '') => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/quire.css">${extra}
</head>`;

export function libraryPage(books: BookRecord[], title: string, href: Href): string {
  const items = books.map((b) => {
    const read = href('/read', { book: b.key });
    const downloads = b.files.map((f) => `<a href="${escapeHtml(href(`/books/${encodePath(f.rel)}`))}" download>${f.kind === 'kepub' ? 'KEPUB' : 'EPUB'}</a>`).join(' ');
    const cover = b.cover ? `<img src="${escapeHtml(href(`/thumbnails/${encodePath(b.key)}`))}" alt="" loading="lazy">` : '<span class="nocover"></span>';
    return `<li data-book="${escapeHtml(b.key)}"><a class="open" href="${escapeHtml(read)}">${cover}<span class="title">${escapeHtml(b.title)}</span></a>` +
      `<span class="authors">${escapeHtml(b.authors.join(', '))}</span><span class="files">${downloads}</span></li>`;
  });
  return `${HEAD(title)}
<body class="library"><header><h1>${escapeHtml(title)}</h1><a href="${escapeHtml(href('/opds'))}">OPDS catalog</a></header>
${books.length ? `<ul class="books">\n${items.join('\n')}\n</ul>` : '<p>No books yet: <code>quire build</code> writes one here.</p>'}
<script src="/assets/live.js"></script>
</body></html>
`;
}

export function readerPage(book: BookRecord, href: Href): string {
  const file = book.files.find((f) => f.kind === 'epub') ?? book.files[0]!;
  return `${HEAD(book.title, '\n<script src="/assets/jszip.min.js"></script>\n<script src="/assets/epub.min.js"></script>')}
<body class="reader"><nav><a href="${escapeHtml(href('/'))}" title="All books">☰</a><select id="toc" aria-label="Contents"></select>
<button id="prev" aria-label="Previous page">‹</button><button id="next" aria-label="Next page">›</button></nav>
<main id="viewer"></main>
<script src="/assets/reader.js" data-book="${escapeHtml(href(`/books/${encodePath(file.rel)}`))}" data-key="${escapeHtml(book.key)}"></script>
<script src="/assets/live.js"></script>
</body></html>
`;
}

export const STYLE = `html,body{margin:0;height:100%;font-family:system-ui,sans-serif;background:#fff;color:#111}
@media (prefers-color-scheme:dark){body.library{background:#111;color:#eee}body.library a{color:#9cf}}
.library header{display:flex;align-items:baseline;justify-content:space-between;padding:0 1rem;flex-wrap:wrap}
.books{list-style:none;margin:0;padding:1rem;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:1.25rem}
.books li{display:flex;flex-direction:column;gap:.25rem}
.books img,.nocover{width:100%;aspect-ratio:2/3;object-fit:cover;background:#ccc;display:block;border-radius:3px}
.books .open{text-decoration:none;color:inherit;display:flex;flex-direction:column;gap:.25rem}
.title{font-weight:600}.authors{font-size:.9em;opacity:.8}.files a{font-size:.85em;margin-right:.5em}
.reader{display:flex;flex-direction:column;height:100vh;height:100dvh}
.reader nav{display:flex;gap:.5rem;align-items:center;padding:.25rem .5rem;border-bottom:1px solid #ccc}
.reader nav a,.reader nav button{font-size:1.5rem;min-width:2.75rem;min-height:2.75rem;text-decoration:none;color:inherit;background:none;border:0}
.reader select{flex:1;min-width:0;font-size:1rem;min-height:2.25rem}
#viewer{flex:1;min-height:0}
`;

/** The reader: epub.js shows the book; the chapter is kept in the hash, the exact place in sessionStorage. */
export const READER_JS = `(() => {
  const script = document.currentScript;
  const key = script.dataset.key;
  const stored = 'quire-place:' + key;
  const book = ePub(script.dataset.book, { openAs: 'epub' });
  const rendition = book.renderTo('viewer', { width: '100%', height: '100%', spread: 'none' });
  const chapter = decodeURIComponent(location.hash.slice(1));
  let place;
  try { place = JSON.parse(sessionStorage.getItem(stored) || 'null'); } catch { place = null; }
  const start = place && place.href === chapter ? place.cfi : chapter || undefined;
  // A book opens at its first chapter (the cover is one page back); a reload at the place it showed.
  const first = () => book.loaded.navigation.then((nav) => rendition.display(nav.toc.length ? nav.toc[0].href : undefined));
  (start ? rendition.display(start).catch(() => rendition.display(chapter)) : first()).catch(() => rendition.display());
  rendition.on('relocated', (loc) => {
    const href = loc.start.href;
    history.replaceState(null, '', '#' + encodeURIComponent(href));
    sessionStorage.setItem(stored, JSON.stringify({ href, cfi: loc.start.cfi }));
    document.documentElement.dataset.chapter = href;
    const toc = document.getElementById('toc');
    for (const o of toc.options) if (o.value.split('#')[0] === href) toc.value = o.value;
  });
  rendition.on('rendered', () => { document.documentElement.dataset.rendered = String(Number(document.documentElement.dataset.rendered || 0) + 1); });
  book.loaded.navigation.then((nav) => {
    const toc = document.getElementById('toc');
    const add = (items, depth) => { for (const i of items) { const o = document.createElement('option'); o.value = i.href; o.textContent = '\\u00a0'.repeat(depth * 2) + i.label.trim(); toc.append(o); add(i.subitems || [], depth + 1); } };
    add(nav.toc, 0);
    toc.addEventListener('change', () => rendition.display(toc.value));
  });
  book.loaded.metadata.then((m) => { if (m.title) document.title = m.title; });
  document.getElementById('prev').addEventListener('click', () => rendition.prev());
  document.getElementById('next').addEventListener('click', () => rendition.next());
  const keys = (e) => { if (e.key === 'ArrowLeft') rendition.prev(); if (e.key === 'ArrowRight') rendition.next(); };
  document.addEventListener('keyup', keys);
  rendition.on('keyup', keys);
  let x0 = null;
  rendition.on('touchstart', (e) => { x0 = e.changedTouches[0].screenX; });
  rendition.on('touchend', (e) => { if (x0 === null) return; const dx = e.changedTouches[0].screenX - x0; x0 = null; if (Math.abs(dx) > 40) (dx < 0 ? rendition.next() : rendition.prev()); });
})();
`;

/** Server-sent events: a rebuilt book reloads the page that shows it (the library page reloads on any). */
export const LIVE_JS = `(() => {
  if (!window.EventSource) return;
  const shown = document.querySelector('script[data-key]');
  const events = new EventSource('/events');
  events.addEventListener('change', (e) => {
    const books = JSON.parse(e.data).books;
    if (!shown || books.includes(shown.dataset.key)) location.reload();
  });
})();
`;
