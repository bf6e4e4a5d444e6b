// Extraction, Markdown side: the article Readability found (HTML) -> Markdown, with turndown (GFM tables,
// fenced code with its language). Everything the article holds leaves a trace: images keep their absolute
// URL, at a mark that index.ts fills with the downloaded file (placeImages), video, audio and other embeds
// become a link to their page (with the thumbnail the page gives), MathML becomes `$…$` TeX, footnotes become `[^n]` notes, and the
// links and images of HTML kept as it is (complex tables) are made absolute.
import { gfm } from '@joplin/turndown-plugin-gfm';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { embedLink } from '../embeds.js';
import { escapeAttr, escapeText as escapeXmlText } from '../xml.js';
import { mathToTex } from './mathml.js';
import { SECTION_ID_ATTR } from './prepare.js';
// (The embeds' pages are the base's, shared with the build: embeds.ts.)
export { embedLink } from '../embeds.js';

type El = Element;

export interface ArticleMarkdown {
  markdown: string;
  /** Image URLs in the Markdown (and in HTML kept in it), absolute, in order of appearance. */
  images: string[];
  /** The same Markdown with a mark where each image's address goes: what index.ts fills with the files. */
  placed: PlacedImages;
  /**
   * The images a reader of the article sees that the Markdown does not show (no rule of turndown's or
   * quire's writes them), each with the element it stands in: for a warning, so that none is lost unsaid.
   */
  unshown: { url: string; where: string }[];
}

/**
 * Page furniture Readability may keep inside an article, matched precisely (whole class or id names, or
 * well-known widgets): comment threads, newsletter sign-ups, author boxes, share bars.
 */
const CHROME_SELECTORS = [
  '#comments', '.comments', '#disqus_thread', '[id^="disqus"]', '.comment-list', '.commentlist', '#respond', '.comment-respond', '.comments-area', '.comments-section',
  '.newsletter', '.newsletter-signup', '.newsletter-form', '.subscribe-form', '.mc4wp-form', '.signup-form',
  '.author-box', '.author-bio', '.about-author', '.author-info', '.author-card',
  '.share-bar', '.share-buttons', '.social-share', '.sharedaddy', '.sharing-buttons', '.share-links', '.social-buttons', '.addtoany_share_save_container', '.a2a_kit',
];

/**
 * An article's Markdown with a mark (`\0n\0`) where each image's address is written, and what stands
 * there: the address, and the image as Markdown writes it (`![alt](mark)`, whose alt text stays when the
 * picture is left out) or in HTML kept as it is (the `src` attribute's value). The marks are the only
 * places filled, so the text of the article (code that quotes an image's address) is never touched.
 */
export interface PlacedImages {
  text: string;
  places: ImagePlace[];
}
export interface ImagePlace {
  url: string;
  /** An `<img>`'s `src`: the address as the HTML writes it (escaped). */
  written?: string;
}

/** A mark of placeImages: no page text holds one (articleToMarkdown leaves out the NULs of the page). */
const PLACE = /!\[((?:\\.|[^[\]\\])*)\]\(\0(\d+)\0\)|\0(\d+)\0/g;

/**
 * The Markdown of `placed` with each image's address: its file from `local` (`''`: the image is left out,
 * and a Markdown image becomes its alt text), else its address as it was.
 */
export function placeImages(placed: PlacedImages, local: ReadonlyMap<string, string> = new Map()): string {
  return placed.text.replace(PLACE, (_all, alt: string | undefined, markdownMark: string | undefined, htmlMark: string | undefined) => {
    const place = placed.places[Number(markdownMark ?? htmlMark)]!;
    const file = local.get(place.url);
    if (markdownMark === undefined) return file ? escapeAttr(file) : place.written!;
    if (file === '') return alt!;
    return `![${alt}](${file ?? markdownUrl(place.url)})`;
  });
}

/** The places of an article's images, as turndown's rules write them (see PlacedImages). */
class ImagePlaces {
  readonly places: ImagePlace[] = [];
  /** A Markdown image: `![alt](mark)`. */
  markdown(url: string, alt: string): string {
    this.places.push({ url });
    return `![${alt}](\0${this.places.length - 1}\0)`;
  }
  /** The `src` of an `<img>` in HTML, whose address is written `written`: the mark. */
  attribute(url: string, written = escapeAttr(url)): string {
    this.places.push({ url, written });
    return `\0${this.places.length - 1}\0`;
  }
}

/** Convert `html` (an article's content) to Markdown; `base` resolves relative links and images. */
export function articleToMarkdown(html: string, base: string): ArticleMarkdown {
  // A NUL is no character of a page (a browser's parser leaves it out of the text): the images' marks are
  // made of them; U+FDD0, a noncharacter, none either: the footnotes' marks are made of it.
  html = html.replace(/[\0\uFDD0]/g, '');
  const document = parseHTML(`<!DOCTYPE html><html><body><div id="quire-article">${html}</div></body></html>`).document as unknown as Document;
  const root = document.getElementById('quire-article')!;
  // The ids set aside while Readability ran (prepare.ts), which the article's links lead to.
  for (const section of [...root.querySelectorAll(`[${SECTION_ID_ATTR}]`)]) {
    section.setAttribute('id', section.getAttribute(SECTION_ID_ATTR)!);
    section.removeAttribute(SECTION_ID_ATTR);
  }
  removeChrome(root);
  absoluteUrls(root, base);
  alternativeListings(document, root);
  codeTablesAsListings(document, root);
  captionsBeforeTables(document, root);
  imagesAfterInlineCode(root);
  const notes = extractFootnotes(document, root);
  removePermalinks(root);
  const anchors = anchoredHeadings(root);
  const seen = [...seenImages(root), ...notes.flatMap((note) => seenImages(note.el))];
  // The images turndown writes, as it writes them (a note's too); those whose text a rule then leaves out
  // (in a <noscript>, a <template>, a button, a summary, a listing, a player's fallback) are not in the
  // Markdown, and go below.
  const images = new ImagePlaces();
  const service = turndownService(images, anchors);
  let markdown = service.turndown(root.innerHTML);
  for (const note of notes) {
    markdown = markdown.replaceAll(note.token, `[^${note.n}]`);
    const text = service.turndown(note.html).replace(/\n+/g, ' ').trim();
    markdown += `\n\n[^${note.n}]: ${text}`;
  }
  markdown = withoutExtraBlankLines(markdown).trim();
  // Exactly the images the Markdown shows: the places whose mark is in it (every <img> was given one, and
  // those in what turndown leaves out were downloaded, saved beside the article and never shown).
  const marks = new Set<number>();
  for (const m of markdown.matchAll(PLACE)) marks.add(Number(m[2] ?? m[3]));
  const shown = new Set(images.places.filter((_place, n) => marks.has(n)).map((place) => place.url));
  const named = new Set<string>();
  const unshown = seen.filter((image) => !shown.has(image.url) && !named.has(image.url) && named.add(image.url));
  const placed = { text: `${markdown}\n`, places: images.places };
  return { markdown: placeImages(placed), images: [...shown], placed, unshown };
}

/**
 * Where a page shows no picture to a reader, or shows a control's: a script's or a template's (a
 * `<noscript>` copy is a lazy image's, taken by prepare.ts when it is the only one), a player's fallback
 * (shown only by a browser that cannot play), a button's or a form's icon (Readability removes every
 * button and form before quire sees the article). An `<object>`'s fallback picture is seen: the embeds
 * rule shows it, and a second one is named in a warning.
 */
const NOT_SEEN = /^(?:NOSCRIPT|TEMPLATE|SCRIPT|VIDEO|AUDIO|IFRAME|BUTTON|FORM|SELECT|TEXTAREA)$/;

/** The images of `root` a reader sees, each with the element it stands in. */
function seenImages(root: El): { url: string; where: string }[] {
  const out: { url: string; where: string }[] = [];
  images: for (const img of Array.from(root.getElementsByTagName('img'))) {
    const url = img.getAttribute('src');
    if (!url) continue;
    for (let p = img.parentElement; p && p !== root; p = p.parentElement) if (NOT_SEEN.test(p.tagName)) continue images;
    out.push({ url, where: img.parentElement && img.parentElement !== root ? img.parentElement.tagName.toLowerCase() : 'article' });
  }
  return out;
}

/** Where a heading (or a definition list's term) keeps the page's id: `{#id}`, which quire's Markdown gives the heading. */
const ANCHOR_ATTR = 'data-quire-anchor';
const ANCHOR_ID = /^[A-Za-z][\w:-]{0,200}$/;
/** An id a page gives that `{#id}` cannot write (`{#a.b}` is the id `a` and the class `b`), written with `-` for the rest. */
const ANCHOR_ID_WRITTEN = /^[A-Za-z][\w:.-]{0,200}$/;

/**
 * The ids of the headings that the article's own links lead to (a contents list, "see below"): each such
 * heading is marked to keep its id, and those links are kept (toc-missing's 36 contents entries were text).
 * The id may be the heading's or that of an element inside it (Wikipedia's `mw-headline` spans), or the
 * name of an anchor in it (DocBook's and AsciiDoc's `<a name>`); a term of a definition list keeps its id
 * too (Sphinx's API entries, `<dt id="routes.Mapper">`). Each id is mapped to the id written: a dot, which
 * DocBook and Sphinx put in theirs (`mc-manual.machine`), is written `-`.
 */
function anchoredHeadings(root: El): Map<string, string> {
  const targets = new Set<string>();
  for (const a of [...root.querySelectorAll('a[href^="#"]')]) targets.add(safeDecode(a.getAttribute('href')!.slice(1)));
  const anchored = new Map<string, string>();
  if (!targets.size) return anchored;
  const written = new Set<string>();
  const lists = new Map<El | null, boolean>();
  const termList = (dl: El | null) => {
    let only = lists.get(dl);
    if (only === undefined) lists.set(dl, (only = !!dl && Array.from(dl.children).every((k) => k.tagName === 'DT' || k.tagName === 'DD')));
    return only;
  };
  const idOf = (e: El) => e.getAttribute('id') ?? (e.tagName === 'A' ? e.getAttribute('name') : null);
  for (const h of [...root.querySelectorAll('h1, h2, h3, h4, h5, h6, dt')]) {
    // A term only in a list of terms and definitions, which is written as HTML (see kindOf); each list
    // looked at once, not once for each of its terms.
    if (h.tagName === 'DT' && !termList(h.parentElement)) continue;
    const ids = [h, ...h.querySelectorAll('[id], a[name]')].map(idOf);
    if (h.tagName !== 'DT' || !h.previousElementSibling) ids.push(...placesOpenedBy(h.tagName === 'DT' ? h.parentElement! : h, root));
    const found = ids.filter((v): v is string => !!v && targets.has(v) && ANCHOR_ID_WRITTEN.test(v) && !anchored.has(v));
    const id = found[0];
    if (!id) continue;
    // In a table, which is kept as HTML (DocBook's FAQ lays out its questions so), the page's own ids stay
    // as they are, and so do the links to them.
    const as = ANCHOR_ID.test(id) || h.closest('table') ? id : id.replace(/\./g, '-');
    if (written.has(as)) continue;
    h.setAttribute(ANCHOR_ATTR, as);
    // The other names of the same place lead to it too (a section's id and its labels').
    for (const other of found) anchored.set(other, as);
    written.add(as);
  }
  return anchored;
}

/** An empty element that names a place, as Sphinx writes a label: `<span id="func-str"><span id="index-10"></span></span>`. */
function isTarget(el: El): boolean {
  return el.hasAttribute('id') && /^(?:SPAN|A)$/.test(el.tagName) && !el.textContent && !el.querySelector(':not(span, a)');
}

/**
 * The ids of the places an element opens, which links lead to as to it: the section's (or div's) it comes
 * first in, as Sphinx writes a page (`<section id="general-questions"><h2>`, the heading without an id of
 * its own), and those of the empty targets just before it, Sphinx's labels (`<span id="tut-numbers"></span><h3>`,
 * `<span class="target" id="func-bytearray"></span><dl class="py class">`; isTarget). Each looked-at element is a
 * sibling before `el` or an ancestor it opens, so a heading costs only the targets before it.
 */
function placesOpenedBy(el: El, root: El): string[] {
  const ids: string[] = [];
  for (let e: El | null = el; e && e !== root; e = e.parentElement) {
    let before = e.previousElementSibling;
    for (; before && isTarget(before); before = before.previousElementSibling) ids.push(before.getAttribute('id')!);
    if (e !== el) {
      const own = e.getAttribute('id');
      if (own) ids.push(own);
    }
    if (before || !e.parentElement || e.parentElement === root || !/^(?:SECTION|DIV|ARTICLE)$/.test(e.parentElement.tagName)) break;
  }
  return ids;
}

/** The classes sites give a heading's link to itself (Sphinx, MkDocs, Docusaurus, Zola, GitHub, VuePress...). */
const PERMALINK_CLASS = /(?:^|\s)(?:headerlink|anchor|anchor-link|heading-link|hash-link|header-anchor|zola-anchor|permalink)(?:\s|$)/;
/** What such a link shows: a mark, an icon (no text), a zero-width space. */
export const PERMALINK_MARK = /^[\s\u200b\ufe0f¶#§🔗]*$/u;

/**
 * A heading's link to itself (its "permalink", shown on hover) goes: `<a class="headerlink" href="#x">¶</a>`
 * stayed in the heading, as `## The vote [¶](#the-vote)`, and the book's contents read "The vote ¶". It is a
 * link within the page that shows a mark, an icon or nothing, or one of the classes sites give it with a
 * character or two; a link holding the heading's words stays. So does a term's in a definition list (Sphinx
 * gives each API entry's `<dt>` its `¶`, which stayed in the text after the signature).
 */
function removePermalinks(root: El): void {
  for (const h of [...root.querySelectorAll('h1, h2, h3, h4, h5, h6, dt')]) {
    for (const a of [...h.getElementsByTagName('a')]) {
      if (!(a.getAttribute('href') ?? '').startsWith('#')) continue;
      const text = a.textContent ?? '';
      if (!PERMALINK_MARK.test(text) && !(PERMALINK_CLASS.test(a.getAttribute('class') ?? '') && [...text.trim()].length <= 2)) continue;
      // One that holds all the words (a term `Go` or `#`, a heading `R`, each a link to itself) leaves them.
      const words = text.trim() && text.trim() === (h.textContent ?? '').trim() ? Array.from(a.childNodes) : [];
      // Its id stays, as the place the page's links lead to (Node.js's `<a class="mark" id="x">#</a>`).
      const id = a.getAttribute('id');
      if (id) {
        const place = a.ownerDocument.createElement('span');
        place.setAttribute('id', id);
        a.replaceWith(place, ...words);
      } else if (words.length) a.replaceWith(...words);
      else a.remove();
    }
  }
}

/**
 * Runs of blank lines made one, but inside fenced code, whose blank lines are the code's (an RFC's page
 * breaks, a listing's two lines between functions).
 */
function withoutExtraBlankLines(markdown: string): string {
  const out: string[] = [];
  let fence: RegExp | undefined;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (fence.test(line)) fence = undefined;
      out.push(line);
      continue;
    }
    const open = /^([ \t]*)(`{3,}|~{3,})/.exec(line);
    if (open) fence = new RegExp(`^${open[1]}${open[2]![0] === '`' ? '`' : '~'}{${open[2]!.length},}[ \\t]*$`);
    if (line === '' && out.length && out[out.length - 1] === '') continue;
    out.push(line);
  }
  return out.join('\n');
}

function removeChrome(root: El): void {
  for (const el of [...root.querySelectorAll(CHROME_SELECTORS.join(', '))]) {
    // Never what holds the article: an element with most of its text is not furniture, nor is a section
    // (documentation names its sections after their titles: a section "Comments" is text).
    if (el.contains(root) || /^(SECTION|ARTICLE|MAIN)$/.test(el.tagName) || (el.textContent ?? '').length > 0.5 * (root.textContent ?? '').length) continue;
    el.remove();
  }
}

/** The web address of a link to a place in the page written with the page's own address (absoluteUrls). */
const PAGE_PLACE_ATTR = 'data-quire-page-place';

/** Links, images and media sources absolute, so that HTML kept as it is works from the book too. */
function absoluteUrls(root: El, base: string): void {
  const page = base.replace(/#.*$/s, '');
  for (const [selector, attr] of [['[href]', 'href'], ['[src]', 'src'], ['[poster]', 'poster'], ['[data]', 'data']] as const) {
    for (const el of [...root.querySelectorAll(selector)]) {
      const value = el.getAttribute(attr)!.trim();
      if (attr === 'href' && value.startsWith('#')) continue;
      try {
        const url = new URL(value, base);
        // A link to a place in this page by the page's own address (DocBook's `mc-manual.html#mc-manual.machine`,
        // Node.js's `fs.html#filehandleclose`) leads there in the article, as `#x` does: it led to the web.
        // (Its address is kept beside it: when that place is not kept, the link still leads to the page's.)
        if (attr === 'href' && url.hash.length > 1 && url.href.slice(0, -url.hash.length) === page) {
          el.setAttribute(attr, url.hash);
          el.setAttribute(PAGE_PLACE_ATTR, url.href);
        } else el.setAttribute(attr, url.href);
      } catch {
        el.removeAttribute(attr);
      }
    }
  }
}

interface Note {
  token: string;
  n: number;
  html: string;
  /** The note's element, taken out of the article: where its pictures are looked for (seenImages). */
  el: El;
}

/** Marks a note found by its number's link (see extractFootnotes): the links in it are not references. */
const NOTE_ATTR = 'data-quire-note';
const NOTE_CONTAINERS = 'ol li[id], div[id^="fn"], p[id^="fn"], [data-type="footnote"][id], [epub\\:type~="footnote"][id], [epub\\:type~="endnote"][id], [role="doc-footnote"][id], [role="doc-endnote"][id], li[id^="cite_note"], [id^="footnote"], [id^="ftn"]';

/**
 * Footnotes as the page marks them: a link `#x` to a note `id="x"` (a list item, a `data-type="footnote"`
 * or `epub:type="footnote"` block, a Wikipedia cite note) becomes `[^n]`, and the note a `[^n]: ...`
 * definition at the end; an inline `<span data-type="footnote">` (HTMLBook) becomes a note where it
 * stands. Tokens stand in for the references while turndown runs (it would escape the brackets).
 */
function extractFootnotes(document: Document, root: El): Note[] {
  const items = new Map<string, El>();
  for (const el of [...root.querySelectorAll(NOTE_CONTAINERS)]) items.set(el.getAttribute('id')!, el);
  const notes: Note[] = [];
  const numbers = new Map<string, number>();
  // Made of U+FDD0, a noncharacter, which no page's text holds (articleToMarkdown takes it out), and
  // which the HTML parser keeps, unlike a NUL: a page that writes a word like the token is its text.
  const token = (n: number) => `\uFDD0${n}\uFDD0`;
  for (const a of [...root.querySelectorAll('a[href^="#"]')]) {
    const id = safeDecode(a.getAttribute('href')!.slice(1));
    let note = items.get(id);
    // A link with the id is the note's number, which marks where the note is: the note is what holds it
    // (Substack's `<div class="footnote"><a id="footnote-1" class="footnote-number">1</a><div>text`).
    // Taken for the note, the number made an empty note, and its link back to the reference a second one.
    // Readability puts the number in a paragraph of its own: the note holds more than the number.
    if (note?.tagName === 'A') {
      const number = (note.textContent ?? '').trim();
      while (note.parentElement && note.parentElement !== root && (note.textContent ?? '').trim() === number) note = note.parentElement;
    }
    // The `<sup>` the link is the whole of: the reference is raised, and goes with it.
    const parent = a.parentElement;
    const raised = parent?.tagName === 'SUP' && (parent.textContent ?? '').trim() === (a.textContent ?? '').trim() ? parent : undefined;
    if (!note || note.contains(a) || a.closest(`ol li[id], [data-type="footnote"], [${NOTE_ATTR}]`) || !isNoteReference(a, raised !== undefined)) continue;
    if (note !== items.get(id)) {
      note.setAttribute(NOTE_ATTR, '');
      items.set(id, note);
    }
    let n = numbers.get(id);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(id, n);
    }
    (raised ?? a).replaceWith(document.createTextNode(token(n)));
  }
  // Inline notes (HTMLBook): the note's text is where the reference goes.
  const inline: { n: number; el: El }[] = [];
  for (const span of [...root.querySelectorAll('span[data-type="footnote"]')]) {
    const n = numbers.size + inline.length + 1;
    inline.push({ n, el: span });
    span.replaceWith(document.createTextNode(token(n)));
  }
  for (const [id, n] of numbers) {
    const note = items.get(id)!;
    // Back-links inside the note go, and the number some notes start with.
    const holders = new Set<El>();
    for (const back of [...note.querySelectorAll('a[href^="#"]')]) {
      if (!((back.textContent ?? '').trim().length <= 3 || /^(↑|\^|back)/i.test((back.textContent ?? '').trim()))) continue;
      if (back.parentElement && back.parentElement !== note) holders.add(back.parentElement);
      back.remove();
    }
    // And the brackets they stood in, when nothing else is left there: docutils writes a note's number
    // `<span class="label"><span class="fn-bracket">[</span><a href="#id1">1</a><span class="fn-bracket">]</span></span>`
    // (its references `(<a>1</a>,<a>2</a>)`), and every note of a Sphinx page started with "\[\]".
    // Each element looked at once (a note referred to 10,000 times has as many links back in one paragraph).
    const bare = new Map<El, boolean>();
    const isBare = (e: El) => {
      let is = bare.get(e);
      if (is === undefined) bare.set(e, (is = /^[\s[\](),]*$/.test(e.textContent ?? '') && !e.querySelector('img, svg, math')));
      return is;
    };
    const climbed = new Set<El>();
    const emptied: El[] = [];
    for (const holder of holders) {
      let empty: El | undefined;
      for (let e: El | null = holder; e && e !== note && isBare(e); e = e.parentElement) {
        if (climbed.has(e)) {
          empty = undefined;
          break;
        }
        climbed.add(e);
        empty = e;
      }
      if (empty) emptied.push(empty);
    }
    for (const e of emptied) e.remove();
    // A note referred to more than once has its number as a label, its links back beside it: `[4] (1,2)`
    // (Readability puts the two in a paragraph).
    const first = note.firstElementChild;
    const label = first?.tagName === 'P' ? first.firstElementChild : first;
    const numbered = label?.tagName === 'SPAN' && label.classList.contains('label') && /^\s*\[?\s*[\w*†‡§]{1,6}\s*\]?\s*$/.test(label.textContent ?? '');
    if (numbered && (note.textContent ?? '').trimStart().startsWith((label.textContent ?? '').trim())) label.remove();
    notes.push({ token: token(n), n, html: note.innerHTML.replace(/^\s*(<sup>\s*)?\[?\d+\]?(\s*<\/sup>)?[.)]?\s*/, ''), el: note });
    const list = note.parentElement;
    note.remove();
    if (list && list.tagName === 'OL' && list.children.length === 0) {
      const wrapper = list.parentElement;
      list.remove();
      if (wrapper && wrapper !== root && /footnote|references|notes/i.test(`${wrapper.getAttribute('class') ?? ''} ${wrapper.getAttribute('id') ?? ''}`) && !(wrapper.textContent ?? '').trim()) wrapper.remove();
    }
  }
  for (const { n, el } of inline) notes.push({ token: token(n), n, html: el.innerHTML, el });
  return notes.sort((a, b) => a.n - b.n);
}

/**
 * Whether a link to a note is its reference: marked as one (`role="doc-noteref"`, a `footnote` or `fnref`
 * class, EPUB's `noteref`), raised (`<sup>`, its whole text: `raised`), or a mark as references are written (`1`, `[2]`, `iv`, `*`,
 * `†`). Not a link in the text to a step of a list or to a notes section ("go back to step 1"): its words
 * stay, and so does what it leads to.
 */
function isNoteReference(a: El, raised: boolean): boolean {
  if (raised || /^[[(]?(\d{1,4}|[a-z]|[ivxlc]{1,6}|[*†‡§¶]{1,3})[\])]?$/i.test((a.textContent ?? '').trim())) return true;
  const marks = `${a.getAttribute('role') ?? ''} ${a.getAttribute('class') ?? ''} ${a.getAttribute('epub:type') ?? ''} ${a.getAttribute('rel') ?? ''}`;
  return /doc-noteref|noteref|footnote|fnref/i.test(marks);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The language of a code block: on <code>, <pre>, or a wrapper (`div.highlight-python`, `data-lang`). */
export function codeLanguage(pre: El): string {
  const code = pre.querySelector('code');
  let el: El | null = code ?? pre;
  for (let depth = 0; el && depth < 5; depth++, el = el === code ? pre : el.parentElement) {
    const data = el.getAttribute('data-lang') ?? el.getAttribute('data-language');
    if (data && /^[\w+#.-]+$/.test(data)) return data.toLowerCase();
    const cls = el.getAttribute('class') ?? '';
    const m = /(?:^|\s)(?:language|lang|highlight|sourceCode|brush:?)-(?:source-)?([\w+#.-]+)/.exec(cls) ?? /(?:^|\s)brush:\s*([\w+#.-]+)/.exec(cls);
    if (m && !/^(none|plain|plaintext|text|default|notranslate)$/i.test(m[1]!)) return m[1]!.toLowerCase();
    if (el.tagName === 'ARTICLE' || el.id === 'quire-article') break;
  }
  return '';
}

function markdownUrl(url: string): string {
  return `<${url.replace(/[<>\n]/g, encodeURIComponent)}>`;
}

function altText(text: string | null | undefined): string {
  // Emphasis marks, code marks and tags in an alt text are its characters (`and *stars*` lost its stars).
  return (text ?? '').replace(/\s+/g, ' ').replace(/[[\]\\*_`<]/g, '\\$&').trim();
}

/**
 * A figure written as one, with its caption: one `<figcaption>`, first or last (HTML allows no other place),
 * and not in a table's cell (a Markdown table's cell holds no blocks).
 */
function captioned(figure: El): boolean {
  const kids = Array.from(figure.children);
  const captions = kids.filter((k) => k.tagName === 'FIGCAPTION');
  if (captions.length !== 1 || (kids[0] !== captions[0] && kids[kids.length - 1] !== captions[0])) return false;
  for (let p = figure.parentNode as El | null; p; p = p.parentNode as El | null) if (p.nodeName === 'TD' || p.nodeName === 'TH') return false;
  return true;
}

/** A `<dl>` of terms and definitions only, each a line of text (no block inside), starting with a term. */
function simpleDefinitions(dl: El): boolean {
  const kids = Array.from(dl.children);
  if (!kids.length || kids[0]!.tagName !== 'DT') return false;
  return kids.every((k) => (k.tagName === 'DT' || k.tagName === 'DD') && !k.querySelector('p, div, ul, ol, dl, pre, table, blockquote, figure, h1, h2, h3, h4, h5, h6, hr, br, img'));
}

/**
 * HTML kept as it is, as one HTML block of Markdown, which ends at a blank line: the line breaks of a
 * listing in it are written as `&#10;`, and blank lines elsewhere (only layout) are left out. A listing's
 * blank line ended the block, and the rest of the listing was read as Markdown.
 */
function htmlBlock(html: string): string {
  return html
    .replace(/(<(pre|textarea|listing)\b[^>]*>)([^]*?)(<\/\2>)/gi, (_all, open: string, _name: string, text: string, close: string) => open + text.replace(/\r?\n/g, '&#10;') + close)
    .replace(/\n[ \t]*(?:\n[ \t]*)+/g, '\n');
}

/** An element's HTML as it is, each `<img>`'s `src` a mark of `images` (see PlacedImages). */
function withPlacedImages(el: El, images: ImagePlaces, anchors: ReadonlyMap<string, string> = new Map()): string {
  // A link written with the page's own address (absoluteUrls) leads to its place in this HTML when it is
  // here (a DocBook FAQ's questions, laid out in a table), else to the page's on the web.
  let ids: Set<string> | undefined;
  for (const a of Array.from(el.querySelectorAll(`a[${PAGE_PLACE_ATTR}]`))) {
    ids ??= new Set(Array.from(el.querySelectorAll('[id], a[name]')).map((t) => t.getAttribute('id') ?? t.getAttribute('name')!));
    if (!ids.has(safeDecode((a.getAttribute('href') ?? '').slice(1)))) a.setAttribute('href', a.getAttribute(PAGE_PLACE_ATTR)!);
    a.removeAttribute(PAGE_PLACE_ATTR);
  }
  // A link to a place of the article outside this HTML that keeps another id (a Sphinx label's place, a
  // dotted id written with `-`) leads to the id written (Python's table of built-in functions, `#func-bytearray`).
  for (const a of Array.from(el.querySelectorAll('a[href^="#"]'))) {
    const id = safeDecode(a.getAttribute('href')!.slice(1));
    const as = anchors.get(id);
    if (as === undefined || as === id) continue;
    ids ??= new Set(Array.from(el.querySelectorAll('[id], a[name]')).map((t) => t.getAttribute('id') ?? t.getAttribute('name')!));
    if (!ids.has(id)) a.setAttribute('href', `#${as}`);
  }
  const imgs = Array.from(el.getElementsByTagName('img')).filter((img) => img.getAttribute('src'));
  const srcs = imgs.map((img) => img.getAttribute('src')!);
  // The address as the HTML writes it, which a picture not downloaded keeps.
  imgs.forEach((img, i) => img.setAttribute('src', images.attribute(srcs[i]!, /\ssrc="([^"]*)"/.exec(img.outerHTML)![1])));
  // (The mark of a heading that keeps its id is quire's own, not the page's: the id is written already.)
  const html = el.outerHTML.replace(/ data-quire-anchor="[^"]*"/g, '');
  imgs.forEach((img, i) => img.setAttribute('src', srcs[i]!));
  return html;
}

/** Whether an inline SVG is an icon: in a link or a button, or drawn 48 pixels or less (its size, or its view box). */
function isIcon(svg: El): boolean {
  for (let p = svg.parentElement; p; p = p.parentElement) if (p.tagName === 'A' || p.tagName === 'BUTTON') return true;
  const size = (name: string) => Number.parseFloat(svg.getAttribute(name) ?? '');
  let [width, height] = [size('width'), size('height')];
  if (!(width > 0 && height > 0)) {
    const box = (svg.getAttribute('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
    [width, height] = [box[2] ?? NaN, box[3] ?? NaN];
  }
  return width > 0 && height > 0 && width <= 48 && height <= 48;
}

/**
 * An element's content as HTML of its text, its links to the addresses `hrefs` matches and the elements
 * `tags` names (with the tag written for each), other markup left out; in a listing (`listing`), its line
 * breaks and its anchors' ids too. Given `images`, its images are kept, each `<img>` with its address
 * and alt text, their addresses added to `images`.
 */
function keptHtml(e: El, tags: Readonly<Record<string, string>>, hrefs: RegExp, listing = false, images?: ImagePlaces): string {
  const write = (n: Node): string => {
    if (n.nodeType === 3) return escapeXmlText(n.nodeValue ?? '');
    if (n.nodeType !== 1) return '';
    const el = n as unknown as El;
    if (listing && el.tagName === 'BR') return '\n';
    const src = images && el.tagName === 'IMG' ? el.getAttribute('src') : null;
    if (src) {
      return `<img src="${images!.attribute(src)}" alt="${escapeAttr((el.getAttribute('alt') ?? '').replace(/\s+/g, ' ').trim())}"/>`;
    }
    const inner = Array.from(el.childNodes, write).join('');
    // A listing's anchors (an RFC's `<a name="section-4">`), which its own links lead to.
    const named = listing ? (el.getAttribute('id') ?? (el.tagName === 'A' ? el.getAttribute('name') : null)) : null;
    const id = named && /^[A-Za-z][\w:.-]{0,200}$/.test(named) ? ` id="${escapeAttr(named)}"` : '';
    // A link to a place in the page written with the page's own address (absoluteUrls) that is not kept as
    // `#place` leads to it on the web, as it did before it was made one within the chapter.
    const written = el.tagName === 'A' ? el.getAttribute('href') : null;
    const href = written && !hrefs.test(written) ? (el.getAttribute(PAGE_PLACE_ATTR) ?? written) : written;
    if (href && hrefs.test(href)) return `<a href="${escapeAttr(href)}"${id}>${inner}</a>`;
    const tag = tags[el.tagName] ?? (id ? (el.tagName === 'A' ? 'a' : 'span') : undefined);
    return tag ? `<${tag}${id}>${inner}</${tag}>` : inner;
  };
  return Array.from(e.childNodes, write).join('');
}

/**
 * A line's inline HTML (a summary's, a term's): text, links, code, emphasis and strong emphasis, and its
 * images (an icon before a summary's words, a logo in a term), their addresses added to `images`. Its
 * images were left out, neither shown nor downloaded.
 */
function inlineHtml(e: El, images: ImagePlaces): string {
  return keptHtml(e, { CODE: 'code', EM: 'em', I: 'em', STRONG: 'strong', B: 'strong' }, /^(?:https?:|mailto:)/i, false, images).replace(/\s+/g, ' ').trim();
}

/** The links a listing keeps (see linkedListing): to pages, to addresses, to anchors of the page. */
const LISTING_HREF = /^(?:https?:|mailto:|#)/i;

/** Inline elements kept as HTML (see the inlineElements rule). */
const INLINE_KEPT = /^(?:KBD|MARK|INS|ABBR|SAMP|VAR|DFN|SMALL|U|SUP|SUB)$/;

/**
 * Whether an ordered list is numbered otherwise than from its start up: reversed, or an item's own value.
 * Found once for each list (each of its items asks: a list of 20,000 items took 34 s).
 */
function numberedAsHtml(ol: El): boolean {
  let numbered = numberedLists.get(ol);
  if (numbered === undefined) numberedLists.set(ol, (numbered = ol.hasAttribute('reversed') || Array.from(ol.children).some((li) => li.tagName === 'LI' && li.hasAttribute('value'))));
  return numbered;
}
const numberedLists = new WeakMap<El, boolean>();

/**
 * Whether a table has no Markdown form: merged cells; a listing in a cell (a Markdown table's row cannot
 * hold its lines: they became `<br>` shown as text in the code); a table in a cell (the whole ran into one
 * line); two rows of headings (the second became a row of the body, under a row of dashes); a row of
 * headings shorter than a row under it (gfm wrote a row of dashes as long as the longest row under it,
 * which is no table in Markdown: the book showed the whole as a paragraph of pipes and dashes).
 */
function tableAsHtml(table: El): boolean {
  if (table.getElementsByTagName('pre').length > 0 || table.getElementsByTagName('table').length > 0) return true;
  let headingRows = 0;
  for (const head of Array.from(table.getElementsByTagName('thead'))) headingRows += Array.from(head.getElementsByTagName('tr')).filter((tr) => tr.getElementsByTagName('th').length > 0).length;
  if (headingRows > 1 || Array.from(table.querySelectorAll('td, th')).some((c) => Number(c.getAttribute('rowspan') ?? 1) > 1 || Number(c.getAttribute('colspan') ?? 1) > 1)) return true;
  const rows = Array.from(table.getElementsByTagName('tr'));
  const cells = (tr: El) => Array.from(tr.children).filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
  const first = rows[0] && cells(rows[0]);
  const heading = !!first?.length && (rows[0]!.parentElement?.tagName === 'THEAD' || first.every((c) => c.tagName === 'TH'));
  return heading && rows.some((tr) => cells(tr).length > first.length);
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const INLINE = /^(?:A|ABBR|B|BDI|BDO|CITE|DEL|DFN|EM|I|INS|KBD|MARK|Q|S|SMALL|SPAN|STRONG|SUB|SUP|TIME|U|VAR)$/;

/** The character of the text next to `node` (before or after it) inside its block; '' at the block's edge. */
function adjacentChar(node: TurndownService.Node, before: boolean): string {
  for (let n: Node | null = node; n; n = n.parentNode) {
    const sibling = before ? n.previousSibling : n.nextSibling;
    if (sibling) {
      const text = sibling.textContent ?? '';
      if (text) return before ? text[text.length - 1]! : text[0]!;
      return adjacentChar(sibling as TurndownService.Node, before);
    }
    if (!n.parentNode || !INLINE.test(n.parentNode.nodeName)) return '';
  }
  return '';
}

/**
 * Whether `**content**` (or `*content*`) next to the text around `node` is read as emphasis (CommonMark's
 * flanking rules): a content that starts with punctuation needs a space or punctuation before it, one that
 * ends with punctuation a space or punctuation after it.
 */
function markdownEmphasisHolds(content: string, node: TurndownService.Node): boolean {
  const open = (c: string) => c === '' || /\s/.test(c) || PUNCTUATION.test(c);
  if (PUNCTUATION.test(content[0]!) && !open(adjacentChar(node, true))) return false;
  if (PUNCTUATION.test(content[content.length - 1]!) && !open(adjacentChar(node, false))) return false;
  return true;
}

/** Whether `node` is inside code, whose text Markdown shows as it is (tags and all). */
function inCode(node: TurndownService.Node): boolean {
  for (let p = node.parentNode; p; p = p.parentNode) if (/^(?:CODE|PRE|KBD|SAMP)$/.test(p.nodeName)) return true;
  return false;
}

/**
 * A listing's text: its `<code>`'s when that holds all of it, else the whole `<pre>`'s (several `<code>`
 * lines, a prompt before one: the first `<code>` alone lost the rest).
 */
function listingText(pre: El): string {
  const code = pre.querySelector('code');
  const source = code && (code.textContent ?? '').trim() === (pre.textContent ?? '').trim() ? code : pre;
  return codeText(source).replace(/\n$/, '');
}

/** Elements a browser starts on a line of their own, in a listing as anywhere. */
const BLOCK_IN_CODE = /^(?:ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|DD|DIV|DL|DT|FIGCAPTION|FIGURE|FOOTER|H[1-6]|HEADER|HR|LI|MAIN|OL|P|PRE|SECTION|TABLE|TR|UL)$/;

/** A line's number in a listing (Hugo's Chroma `.ln`, Pygments' inline `.linenos`), which is not its code. */
const LINE_NUMBER_CLASS = /(?:^|\s)(?:ln|lnt|linenos|line-number|line-numbers)(?:\s|$)/;
function isLineNumber(el: El): boolean {
  return (LINE_NUMBER_CLASS.test(el.getAttribute('class') ?? '') || el.hasAttribute('data-line-number')) && /^\s*\d*\s*$/.test(el.textContent ?? '');
}

/**
 * A listing's text as a browser shows it: its text, a line break for each `<br>` (a blog's highlighter
 * breaks its lines so: v8.dev's listings ran into one line) and around each block element (Expressive
 * Code, Astro Starlight's highlighter, makes each line a `<div>`: they ran into one line, as textContent
 * has them). Line numbers in the lines are left out: Chroma's `1package main` could not be run. Read in
 * one pass, without recursion, so that no listing is too deep or too long.
 */
function codeText(source: El): string {
  let out = '';
  // A line break is owed where a block starts or ends, written before the next text when the line has some.
  let owed = false;
  const stack: (Node | undefined)[] = [...Array.from(source.childNodes).reverse()];
  while (stack.length) {
    const n = stack.pop();
    if (n === undefined) {
      owed = true; // the end of a block
      continue;
    }
    if (n.nodeType === 3) {
      const text = n.nodeValue ?? '';
      if (!text) continue;
      if (owed && out && !out.endsWith('\n')) out += '\n';
      owed = false;
      out += text;
    } else if (n.nodeType === 1) {
      if (n.nodeName === 'BR') {
        out += '\n';
        owed = false;
        continue;
      }
      if (isLineNumber(n as unknown as El)) continue;
      const block = BLOCK_IN_CODE.test(n.nodeName);
      if (block) {
        owed = true;
        stack.push(undefined);
      }
      for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i]!);
    }
  }
  return out;
}

/**
 * A listing with links in it (a signature whose types lead to their pages, a man page's references): an
 * HTML `<pre>` with its links, anchors and text, other markup left out. As a fenced block its links were lost.
 */
function linkedListing(pre: El): string {
  // The parser drops a line break right after `<pre>`: one is written, so that the listing's own stays.
  return `\n\n<pre>\n${keptHtml(pre, {}, LISTING_HREF, true).replace(/\n$/, '')}</pre>\n\n`;
}

/** `content` linked to `target` (written as Markdown has it): inline, or around blocks (see linkedBlocks). */
function linked(content: string, target: string): string {
  return /\n[ \t]*\n/.test(content) ? linkedBlocks(content, target) : `[${content}](${target})`;
}

const HEADING_LINE = /^(#{1,6} )(.*?)( \{#[^}\n]*\})?$/;
/** The start of a block that is not a paragraph of text: a list, a quote, a table, code, HTML, a formula, a note. */
const NOT_PARAGRAPH = /^(?:[ \t]*(?:[-*+>|:]|\d+[.)])(?:\s|$)| {4}|\t|#|`{3,}|~{3,}|<|\$\$|\[\^)/;
const IMAGE = /!\[(?:\\.|[^\]\\])*\]\((?:<[^>\n]*>|[^)\s]*)\)/g;

/**
 * A link around blocks (an image in a `<div>`, as Substack gives every image; a card of a heading and a
 * paragraph, a bookmark): a Markdown link holds only a line of text, and the book showed `[` and `](url)`
 * around the blocks as they were. The blocks stay, the link on their text: the first heading's when there
 * is one, else each paragraph's (an image alone is a linked image). Lists, code, HTML and a paragraph
 * that holds a link of its own (links do not nest) are left as they are.
 */
function linkedBlocks(content: string, target: string): string {
  const blocks = markdownBlocks(content.trim());
  const heading = blocks.findIndex((b) => HEADING_LINE.test(b));
  const out = blocks.map((block, i) => {
    if (heading >= 0) {
      const m = i === heading ? HEADING_LINE.exec(block) : null;
      return m && !hasLink(m[2]!) ? `${m[1]}[${m[2]}](${target})${m[3] ?? ''}` : block;
    }
    return NOT_PARAGRAPH.test(block) || hasLink(block) ? block : `[${block}](${target})`;
  });
  return `\n\n${out.join('\n\n')}\n\n`;
}

/** Whether Markdown text holds a link (an image is not one; an image in a link is). */
function hasLink(text: string): boolean {
  return /\]\(/.test(text.replace(IMAGE, ''));
}

/** Markdown's blocks: what blank lines part, outside fenced code (a listing's blank lines are its own). */
function markdownBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let lines: string[] = [];
  let fence: RegExp | undefined;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (fence.test(line)) fence = undefined;
    } else if (!line.trim()) {
      if (lines.length) blocks.push(lines.join('\n'));
      lines = [];
      continue;
    } else {
      const open = /^([ \t]*)(`{3,}|~{3,})/.exec(line);
      if (open) fence = new RegExp(`^${open[1]}${open[2]![0] === '`' ? '`' : '~'}{${open[2]!.length},}[ \\t]*$`);
    }
    lines.push(line);
  }
  if (lines.length) blocks.push(lines.join('\n'));
  return blocks;
}

/** A fenced block of `text`, its fence longer than any run of backticks in it. */
function fenced(text: string, language: string): string {
  // The longest run of backticks in the code, counted one by one: spread into Math.max, the runs of a
  // long listing (100,000 lines) overflowed the stack and the page was not added.
  let longest = 2;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return `\n\n${fence}${language}\n${text}\n${fence}\n\n`;
}

/** The kinds of admonition the book has a box for; another (Sphinx's `.. admonition:: Title`) is a note. */
const ADMONITION_KINDS = new Set(['note', 'info', 'abstract', 'summary', 'example', 'quote', 'seealso', 'tip', 'hint', 'success', 'question', 'important', 'warning', 'attention', 'caution', 'danger', 'error', 'failure', 'bug']);
const ADMONITION_TITLE = /(?:^|\s)admonition-title(?:\s|$)/;

/**
 * An admonition's kind and its title's element: a `<div>` or `<aside>` whose first element is an
 * `admonition-title`, not in a table's cell (a Markdown table's cell holds no quote: its `>` were text).
 */
function admonitionOf(el: El | null): { kind: string; title: El } | undefined {
  if (!el || (el.nodeName !== 'DIV' && el.nodeName !== 'ASIDE')) return undefined;
  const title = el.firstElementChild;
  if (!title || !ADMONITION_TITLE.test(title.getAttribute('class') ?? '')) return undefined;
  for (let p = el.parentNode as El | null; p; p = p.parentNode as El | null) if (p.nodeName === 'TD' || p.nodeName === 'TH') return undefined;
  const kind = (el.getAttribute('class') ?? '').toLowerCase().split(/\s+/).find((c) => ADMONITION_KINDS.has(c)) ?? 'note';
  return { kind, title };
}

/**
 * A `<pre>` that holds several highlighted programs side by side, each a `<code>` of its own language, of
 * which the page shows one (Node.js's documentation gives each example as ES module and as CommonJS, and a
 * switch shows one of them): a listing each. Read as one listing, the last line of the first and the first
 * line of the next ran into one line of code, `}const { unlink } = require('node:fs');`. Codes a line
 * break parts stay one listing (a `<code>` a line).
 */
function alternativeListings(document: Document, root: El): void {
  for (const pre of Array.from(root.getElementsByTagName('pre'))) {
    const codes: El[] = [];
    let alone = true;
    for (const n of Array.from(pre.childNodes)) {
      if (n.nodeType === 3) alone &&= !/\S|\n/.test(n.nodeValue ?? '');
      else if (n.nodeName === 'CODE') codes.push(n as unknown as El);
      else if (n.nodeType === 1 && n.nodeName !== 'INPUT' && n.nodeName !== 'BUTTON') alone = false;
    }
    if (!alone || codes.length < 2 || !codes.every((c) => /(?:^|\s)(?:language|lang)-[\w+#.-]/.test(c.getAttribute('class') ?? ''))) continue;
    // Programs: each with a class of its own (`language-js mjs`, `language-js cjs`) or of several lines.
    // Codes of one line and one class side by side are the pieces of one listing (`make`, ` install`).
    const distinct = new Set(codes.map((c) => c.getAttribute('class'))).size === codes.length;
    if (!distinct && !codes.every((c) => (c.textContent ?? '').trimEnd().includes('\n'))) continue;
    for (const code of codes.slice(1).reverse()) {
      const listing = document.createElement('pre');
      listing.appendChild(code);
      pre.after(listing);
    }
  }
}

/**
 * A listing laid out as a table, its line numbers in a column (Pygments' `highlighttable`, a gist's
 * `blob-num` and `blob-code` cells), becomes the listing alone, a `<pre>` of its code. As a Markdown table
 * each line became a `<br>` shown as text in the code, or a cell without its indentation. Done before
 * turndown, which collapses the spaces of text outside a `<pre>`.
 */
function codeTablesAsListings(document: Document, root: El): void {
  for (const table of Array.from(root.getElementsByTagName('table'))) {
    const text = codeTableText(table);
    if (text === undefined) continue;
    const language = codeLanguage(table.querySelector('td.code pre, td:last-child pre') ?? table.querySelector('.blob-code') ?? table);
    const pre = document.createElement('pre');
    const code = document.createElement('code');
    if (language) code.setAttribute('class', `language-${language}`);
    code.textContent = text;
    pre.appendChild(code);
    table.replaceWith(pre);
  }
}

/**
 * A table's caption goes before the table, a block of its own with its links, emphasis and images: gfm
 * wrote a Markdown table's caption as its bare text (links and images lost, a `*` in it read as emphasis),
 * dropped it from a table it writes cell by cell (one cell, no rows), and a caption before a first row of
 * headings made gfm take that row for the body (an empty heading row above it). A table kept as HTML (see
 * tableAsHtml), and one in such a table, keeps its caption whole.
 */
function captionsBeforeTables(document: Document, root: El): void {
  for (const caption of Array.from(root.getElementsByTagName('caption'))) {
    const table = caption.parentElement;
    if (table?.tagName !== 'TABLE' || tableAsHtml(table) || table.parentElement?.closest('table')) continue;
    const block = document.createElement('div');
    block.append(...Array.from(caption.childNodes));
    caption.remove();
    table.before(block);
  }
}

/**
 * An image in inline code goes right after the code, in its order: a code span shows its text as it is,
 * and `make ![icon](<url>) all` showed the image's Markdown (the file's path, once downloaded) as code.
 * A listing's images are written after it by the listings' rule.
 */
function imagesAfterInlineCode(root: El): void {
  const last = new Map<El, El>();
  for (const img of Array.from(root.getElementsByTagName('img'))) {
    let code: El | undefined;
    for (let p = img.parentElement; p && p !== root; p = p.parentElement) {
      if (p.tagName === 'PRE') {
        code = undefined;
        break;
      }
      if (p.tagName === 'CODE') code = p;
    }
    if (!code) continue;
    (last.get(code) ?? code).after(img);
    last.set(code, img);
  }
}

/**
 * The code of a table that lays out a listing with its line numbers, or undefined for any other table:
 * one row of a numbers cell (`linenos`, `gutter`) and a cell with the listing's `<pre>`, or rows each of a
 * line number and a line of code (`blob-num`, `blob-code`, as gists have them).
 */
function codeTableText(table: El): string | undefined {
  const rows = Array.from(table.getElementsByTagName('tr'));
  if (rows.length === 1) {
    const cells = Array.from(rows[0]!.children);
    const numbers = cells.find((c) => /(?:^|\s)(?:linenos|gutter|line-numbers|gl)(?:\s|$)/.test(c.getAttribute('class') ?? ''));
    const code = cells[cells.length - 1];
    const pre = code?.querySelector('pre');
    if (cells.length !== 2 || !numbers || code === numbers || !pre || !/^[\s\d]*$/.test(numbers.textContent ?? '')) return undefined;
    return listingText(pre);
  }
  if (!rows.length || !rows.every((r) => r.querySelector('.blob-code') && /^\s*\d*\s*$/.test(r.querySelector('.blob-num')?.textContent ?? ''))) return undefined;
  return rows
    .map((r) => {
      const line = r.querySelector('.blob-code')!;
      for (const br of Array.from(line.getElementsByTagName('br'))) br.remove();
      return (line.textContent ?? '').replace(/\n$/, '');
    })
    .join('\n');
}

/**
 * Web and e-mail addresses as GFM finds them in text (its "extended autolinks"), which it makes links of
 * their text as written: `http(s)://` or `www.` up to a space or `<`, less the punctuation that ends a
 * sentence; an address of letters, digits and `.+-_` before `@` and a domain. Only whole words.
 */
const AUTOLINKED = /(?<![\w@.+-])(?:(?:https?:\/\/|www\.)[^\s<]*[^\s<?!.,:*_~'")\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w@-]))/g;

function turndownService(images: ImagePlaces, anchors: ReadonlyMap<string, string> = new Map()): TurndownService {
  const service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*', strongDelimiter: '**', hr: '***' });
  service.use(gfm);
  // `$` starts a formula in quire's Markdown: a dollar in the text is escaped so that it stays a dollar.
  // A `<` that would start a tag (`&lt;img&gt;` in a heading, `&lt;script&gt;` in a sentence) and a `&`
  // that would start an entity (`&amp;percnt;`) are text on the page: escaped, the book shows them as the
  // page did, where they became a tag that hid the words and made the rest of the chapter bold.
  // A `~` is escaped too (GFM reads `10~20 and 30~40` as struck through), and what would start a list
  // (`2) `), a definition or a container (`: `, `:::`) at the start of a paragraph. A web address or an
  // e-mail address in the text is left as it is: GFM makes it a link from its text, backslashes and all
  // (`some\_path` led nowhere, `foo\_bar@x.org` mailed `bar@x.org`).
  const escape = service.escape.bind(service);
  const escapeText = (text: string) =>
    escape(text)
      .replace(/\$/g, '\\$')
      .replace(/<(?=[A-Za-z/!?])/g, '\\<')
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
      .replace(/(?<=(?:^|[^\\])(?:\\\\)*)~/g, '\\~')
      .replace(/^(\d+)\) /, '$1\\) ')
      .replace(/^:/, '\\:');
  service.escape = (text: string) => {
    let out = '';
    let last = 0;
    for (const m of text.matchAll(AUTOLINKED)) {
      out += escapeText(text.slice(last, m.index)) + m[0];
      last = m.index! + m[0].length;
    }
    return last === 0 ? escapeText(text) : out + escapeText(text.slice(last));
  };
  service.remove(['script', 'style', 'noscript', 'template', 'form', 'button', 'input', 'select', 'textarea']);
  // An inline SVG drawing (a diagram, a chart) is kept as SVG, which the book shows: only its labels' text
  // was kept, run together ("ClientServer"). On one line, its text escaped, so that Markdown reads it as
  // inline HTML and no blank line in it ends it.
  service.addRule('svg', {
    filter: (node) => node.nodeName.toLowerCase() === 'svg' && !inCode(node),
    replacement: (_content, node) => {
      // An icon (in a link or a button, or 48 pixels or less) is its name, as before: as a drawing it took
      // the link's place, at the page's width (the page sized it by its style sheet).
      const svg = node as unknown as El;
      if (isIcon(svg)) {
        const named = svg.getAttribute('aria-label') ?? svg.querySelector('title')?.textContent ?? Array.from(svg.querySelectorAll('text'), (t) => t.textContent ?? '').join(' ');
        return escapeText(named.replace(/\s+/g, ' ').trim());
      }
      const write = (n: Node): string => {
        if (n.nodeType === 3) return escapeText((n.nodeValue ?? '').replace(/\s+/g, ' '));
        if (n.nodeType !== 1) return '';
        const e = n as unknown as El;
        const name = e.localName;
        const attrs = Array.from(e.attributes, (a) => ` ${a.name}="${escapeAttr(a.value.replace(/\s+/g, ' '))}"`).join('');
        const children = Array.from(e.childNodes, write).join('');
        return children ? `<${name}${attrs}>${children}</${name}>` : `<${name}${attrs}/>`;
      };
      return write(node as unknown as Node);
    },
  });
  service.addRule('fencedCodeWithLanguage', {
    filter: (node) => node.nodeName === 'PRE',
    replacement: (_content, node) => {
      const el = node as unknown as El;
      const linked = Array.from(el.getElementsByTagName('a')).some((a) => LISTING_HREF.test(a.getAttribute('href') ?? ''));
      return (linked ? linkedListing(el) : fenced(listingText(el), codeLanguage(el))) + listingImages(el);
    },
  });
  // GitHub's highlighted listing, `<div class="highlight-source-js"><pre>`, is a listing like any other:
  // gfm's rule wrote the <pre>'s textContent and nothing else of the <div> (an image in the listing, a
  // caption after it, were lost).
  service.addRule('highlightedListing', {
    filter: (node) => node.nodeName === 'DIV' && /highlight-(?:text|source)-[a-z0-9]+/.test((node as unknown as El).getAttribute('class') ?? '') && node.firstChild?.nodeName === 'PRE',
    replacement: (content) => `\n\n${content}\n\n`,
  });
  // A listing's images (an icon in a line of code, a diagram drawn in a <pre>) on a line after it: code
  // shows no image, and they were neither shown nor downloaded. The same image twice is shown once.
  const listingImages = (pre: El): string => {
    const seen = new Set<string>();
    const shown: string[] = [];
    for (const img of Array.from(pre.getElementsByTagName('img'))) {
      const src = img.getAttribute('src');
      const alt = altText(img.getAttribute('alt'));
      const key = `${alt}\0${src}`;
      if (!src || seen.has(key)) continue;
      seen.add(key);
      shown.push(images.markdown(src, alt));
    }
    return shown.length ? `${shown.join(' ')}\n\n` : '';
  };

  // A table with no Markdown form is kept as HTML (its URLs are absolute already): see tableAsHtml.
  service.addRule('mergedCellTable', {
    filter: (node) => node.nodeName === 'TABLE' && tableAsHtml(node as unknown as El),
    replacement: (_content, node) => `\n\n${htmlBlock(withPlacedImages(node as unknown as El, images, anchors))}\n\n`,
  });
  // gfm's table rules ask a table for its rows for every row and column, and domino, turndown's DOM, finds
  // them by walking the whole table each time: a page's table of 4,000 rows took 36 s, one of 20,000 more
  // than ten minutes. A table's rows are read once, here, into its own `rows`, before those rules see it
  // (turndown asks the rules added last first, and a node's rule before its children's); converting does
  // not change the document, so they stay its rows.
  service.addRule('tableRowsOnce', {
    filter: (node) => {
      if (node.nodeName === 'TABLE' && !Object.hasOwn(node, 'rows')) Object.defineProperty(node, 'rows', { value: Array.from((node as unknown as El).getElementsByTagName('tr')) });
      return false;
    },
    replacement: () => '',
  });
  // Bold and italic as `**` and `*` where Markdown reads them so, else as HTML: a run of `**` next to
  // punctuation opens or closes emphasis only with a space or punctuation on its other side, which Chinese
  // and Japanese text never has (`**注意：**这是` showed its stars and made the wrong words bold).
  service.addRule('emphasis', {
    filter: ['strong', 'b', 'em', 'i'],
    replacement: (content, node) => {
      if (!content.trim()) return '';
      const strong = node.nodeName === 'STRONG' || node.nodeName === 'B';
      if (inCode(node) || markdownEmphasisHolds(content, node)) return strong ? `**${content}**` : `*${content}*`;
      return strong ? `<strong>${content}</strong>` : `<em>${content}</em>`;
    },
  });
  // A line break in a heading is a space: an ATX heading is one line, and the rest of it became a paragraph.
  service.addRule('breakInHeading', {
    filter: (node) => node.nodeName === 'BR' && /^H[1-6]$/.test(node.parentNode?.nodeName ?? '') && !inCode(node),
    replacement: () => ' ',
  });
  // A list numbered otherwise than from its start up (`<ol reversed>`, a count down; `<li value="10">`):
  // HTML, which keeps the numbers; as Markdown they were 1, 2, 3. Each item's content is Markdown.
  service.addRule('numberedItem', {
    filter: (node) => node.nodeName === 'LI' && node.parentNode?.nodeName === 'OL' && numberedAsHtml(node.parentNode as unknown as El),
    replacement: (content, node) => {
      const value = (node as unknown as El).getAttribute('value');
      return `<li${value && /^-?\d{1,9}$/.test(value.trim()) ? ` value="${value.trim()}"` : ''}>\n\n${content.trim()}\n\n</li>\n`;
    },
  });
  // Inline elements that say something of their text a reader sees (keys to press, a highlight, an
  // insertion, an abbreviation and what it stands for, a variable, a program's output) stay HTML around
  // their Markdown; as plain text that was lost. So do superscripts and subscripts, which quire's Markdown
  // takes: flattened, H₂O read H2O and `10<sup>-6</sup>` read 10-6. One holding a block, or nothing, or a
  // note's reference, is its content. Ruby's readings (furigana) stay ruby: they ran into the text they
  // annotate (漢kan).
  service.addRule('inlineElements', {
    filter: (node) => INLINE_KEPT.test(node.nodeName) && !inCode(node),
    replacement: (content, node) => {
      if (!content.trim() || content.includes('\n') || /\uFDD0\d+\uFDD0/.test(content)) return content;
      const tag = node.nodeName.toLowerCase();
      const title = tag === 'abbr' ? (node as unknown as El).getAttribute('title') : null;
      return `<${tag}${title ? ` title="${escapeAttr(title)}"` : ''}>${content}</${tag}>`;
    },
  });
  service.addRule('ruby', {
    filter: (node) => node.nodeName === 'RUBY' && !inCode(node),
    replacement: (_content, node) => {
      const parts = Array.from(node.childNodes, (c) => {
        // Between inline tags, Markdown: escaped as text is.
        const text = escapeText((c.textContent ?? '').replace(/\s+/g, ' '));
        return c.nodeType === 1 && /^(?:RT|RP|RB)$/.test(c.nodeName) ? `<${c.nodeName.toLowerCase()}>${text}</${c.nodeName.toLowerCase()}>` : text;
      });
      return `<ruby>${parts.join('')}</ruby>`;
    },
  });
  // Lists side by side stay two lists: Markdown makes one of two lists of the same kind that only a blank
  // line parts (the second's numbers went on from the first's). An empty comment parts them.
  service.addRule('list', {
    filter: ['ul', 'ol'],
    replacement: (content, node) => {
      const parent = node.parentNode;
      const list = node as unknown as El;
      if (list.nodeName === 'OL' && numberedAsHtml(list)) {
        const start = list.getAttribute('start')?.trim();
        content = `<ol${list.hasAttribute('reversed') ? ' reversed' : ''}${start && /^-?\d{1,9}$/.test(start) ? ` start="${start}"` : ''}>\n${content}</ol>`;
      }
      if (parent?.nodeName === 'LI' && (parent as unknown as El).lastElementChild === list) return `\n${content}`;
      let next = node.nextSibling;
      while (next && next.nodeType === 3 && !(next.nodeValue ?? '').trim()) next = next.nextSibling;
      return `\n\n${content}\n\n${next?.nodeName === node.nodeName ? '<!-- -->\n\n' : ''}`;
    },
  });
  // A folded box stays one, which the book unfolds under its summary: the summary ran into its text.
  service.addRule('details', {
    filter: 'details',
    replacement: (content, node) => {
      const summary = Array.from((node as unknown as El).children).find((c) => c.tagName === 'SUMMARY');
      const title = summary ? inlineHtml(summary, images) : '';
      return `\n\n<details>\n${title ? `<summary>${title}</summary>\n` : ''}\n${content.trim()}\n\n</details>\n\n`;
    },
  });
  service.addRule('summary', {
    filter: (node) => node.nodeName === 'SUMMARY' && node.parentNode?.nodeName === 'DETAILS',
    replacement: () => '',
  });
  // A figure keeps its caption as a caption, not as a paragraph of the text around it; `<q>` its quotes.
  service.addRule('figures', {
    filter: (node) => node.nodeName === 'FIGURE' && captioned(node as unknown as El),
    replacement: (content) => (content.trim() ? `\n\n<figure>\n\n${content.trim()}\n\n</figure>\n\n` : ''),
  });
  service.addRule('captions', {
    filter: (node) => node.nodeName === 'FIGCAPTION' && node.parentNode?.nodeName === 'FIGURE' && captioned(node.parentNode as unknown as El),
    replacement: (content) => (content.trim() ? `\n\n<figcaption>\n\n${content.trim()}\n\n</figcaption>\n\n` : ''),
  });
  // A documentation site's admonition (Sphinx's, docutils', MkDocs's: a box whose first line is its
  // `admonition-title`) is the book's titled box of its kind, `> [!tip] Tip`: its title read as a paragraph
  // of the text and the box's own paragraphs ran on as the article's, with nothing to say where it ended.
  service.addRule('admonitionTitles', {
    filter: (node) => admonitionOf(node.parentNode as unknown as El | null)?.title === node,
    replacement: () => '',
  });
  service.addRule('admonitions', {
    filter: (node) => !!admonitionOf(node as unknown as El),
    replacement: (content, node) => {
      const { kind, title } = admonitionOf(node as unknown as El)!;
      const heading = escapeText((title.textContent ?? '').replace(/\s+/g, ' ').trim());
      const body = content.replace(/^\n+|\n+$/g, '').replace(/^/gm, '> ').replace(/^> $/gm, '>');
      return `\n\n> [!${kind}]${heading ? ` ${heading}` : ''}${body ? `\n${body}` : ''}\n\n`;
    },
  });
  service.addRule('quotations', {
    filter: 'q',
    // A quotation inside another takes the single marks.
    replacement: (content, node) => {
      for (let p = node.parentNode; p; p = p.parentNode) if (p.nodeName === 'Q') return `‘${content}’`;
      return `“${content}”`;
    },
  });
  // A definition list whose terms and definitions are lines of text: quire's `Term` / `: definition`
  // (it read as paragraphs, terms and definitions alike).
  // One whose definitions hold blocks (paragraphs, lists, code) stays a definition list, as HTML around
  // their Markdown: its terms read as paragraphs of the text. Each list's kind is found once, not once for
  // each of its terms and definitions.
  const kinds = new WeakMap<object, 'lines' | 'blocks' | 'other'>();
  const kindOf = (dl: El): 'lines' | 'blocks' | 'other' => {
    let kind = kinds.get(dl);
    if (kind === undefined) {
      const termsAndDefinitions = Array.from(dl.children).every((k) => k.tagName === 'DT' || k.tagName === 'DD') && dl.getElementsByTagName('dt').length > 0;
      // A term that keeps its id (a link of the page leads to it) is written as HTML, which can hold it.
      const anchored = Array.from(dl.children).some((k) => k.tagName === 'DT' && k.hasAttribute(ANCHOR_ATTR));
      kind = simpleDefinitions(dl) && !anchored ? 'lines' : termsAndDefinitions ? 'blocks' : 'other';
      kinds.set(dl, kind);
    }
    return kind;
  };
  const listKind = (node: TurndownService.Node | null) => (node?.nodeName === 'DL' ? kindOf(node as unknown as El) : 'other');
  const inSimpleList = (node: TurndownService.Node): boolean => listKind(node.parentNode as TurndownService.Node | null) === 'lines';
  service.addRule('definitionTerms', {
    filter: (node) => node.nodeName === 'DT' && inSimpleList(node),
    replacement: (content) => (content.trim() ? `\n\n${content.replace(/\s*\n\s*/g, ' ').trim()}\n` : ''),
  });
  service.addRule('definitions', {
    filter: (node) => node.nodeName === 'DD' && inSimpleList(node),
    replacement: (content) => (content.trim() ? `\n: ${content.replace(/\s*\n\s*/g, ' ').trim()}\n` : ''),
  });
  const blockList = (node: unknown): boolean => listKind(node as TurndownService.Node | null) === 'blocks';
  service.addRule('blockDefinitionList', {
    filter: (node) => blockList(node),
    replacement: (content) => `\n\n<dl>\n${content}</dl>\n\n`,
  });
  service.addRule('blockDefinitionTerms', {
    filter: (node) => node.nodeName === 'DT' && blockList(node.parentNode),
    replacement: (_content, node) => {
      const id = (node as unknown as El).getAttribute(ANCHOR_ATTR);
      return `<dt${id ? ` id="${escapeAttr(id)}"` : ''}>${inlineHtml(node as unknown as El, images)}</dt>\n`;
    },
  });
  service.addRule('blockDefinitions', {
    filter: (node) => node.nodeName === 'DD' && blockList(node.parentNode),
    replacement: (content) => `<dd>\n\n${content.trim()}\n\n</dd>\n`,
  });
  service.addRule('anchoredHeadings', {
    filter: (node) => /^H[1-6]$/.test(node.nodeName) && (node as unknown as El).hasAttribute(ANCHOR_ATTR),
    replacement: (content, node) => {
      const text = content.replace(/\s*\n\s*/g, ' ').trim();
      return text ? `\n\n${'#'.repeat(Number(node.nodeName[1]))} ${text} {#${(node as unknown as El).getAttribute(ANCHOR_ATTR)}}\n\n` : '';
    },
  });
  service.addRule('images', {
    filter: 'img',
    replacement: (_content, node) => {
      const src = (node as unknown as El).getAttribute('src');
      if (!src) return '';
      return images.markdown(src, altText((node as unknown as El).getAttribute('alt')));
    },
  });
  service.addRule('math', {
    filter: (node) => node.nodeName.toLowerCase() === 'math',
    replacement: (_content, node) => {
      const { tex, display } = mathToTex(node as unknown as Parameters<typeof mathToTex>[0]);
      if (!tex) return '';
      return display ? `\n\n$$${tex}$$\n\n` : `$${tex}$`;
    },
  });
  service.addRule('embeds', {
    filter: ['iframe', 'video', 'audio', 'embed', 'object'],
    replacement: (_content, node) => {
      const el = node as unknown as El;
      const source = el.querySelector('source[src]')?.getAttribute('src');
      const src = el.getAttribute('src') ?? el.getAttribute('data') ?? source;
      if (!src || !/^https?:/i.test(src)) return '';
      const poster = el.getAttribute('poster') ?? undefined;
      const link = embedLink(src, poster);
      const kind = el.tagName === 'AUDIO' ? 'Audio' : el.tagName === 'VIDEO' ? 'Video' : undefined;
      const title = el.getAttribute('title')?.trim() || el.getAttribute('aria-label')?.trim();
      const label = altText(title ? `${kind ?? link.label.split(' ')[0]}: ${title}` : kind && !link.label.startsWith('Video') ? `${kind} (${link.label.replace(/^Embedded content from /, '')})` : link.label);
      // An <object>'s fallback picture (a PDF's cover, a still of the movie) is the picture its link shows:
      // it is what a browser shows when the object does not load, and it was lost.
      const fallback = el.tagName === 'OBJECT' ? Array.from(el.getElementsByTagName('img')).find((img) => img.getAttribute('src')) : undefined;
      const thumbnail = link.thumbnail ?? fallback?.getAttribute('src') ?? undefined;
      if (thumbnail) {
        const alt = !link.thumbnail && fallback?.getAttribute('alt')?.trim() ? altText(fallback.getAttribute('alt')) : label;
        return `\n\n[${images.markdown(thumbnail, alt)}](${markdownUrl(link.url)})\n\n`;
      }
      return `\n\n[${label}](${markdownUrl(link.url)})\n\n`;
    },
  });
  service.addRule('links', {
    filter: (node) => node.nodeName === 'A' && !!(node as unknown as El).getAttribute('href'),
    replacement: (content, node) => {
      const href = (node as unknown as El).getAttribute('href')!;
      // A link to a heading of the article that keeps its id is kept; to anything else on the page, its text.
      if (href.startsWith('#')) {
        const id = anchors.get(safeDecode(href.slice(1)));
        if (id !== undefined && content.trim()) return linked(content, id === safeDecode(href.slice(1)) ? href : `#${id}`);
        // One written with the page's address, to a place that is not kept, still leads to it on the web.
        const web = (node as unknown as El).getAttribute(PAGE_PLACE_ATTR);
        return web && content.trim() ? linked(content, web) : content;
      }
      if (/^javascript:/i.test(href)) return content;
      // A saved page's relative links lead to files on this disk, not in the archive: keep the text.
      if (href.startsWith('file:')) return content;
      return content.trim() ? linked(content, markdownUrl(href)) : '';
    },
  });
  return service;
}
