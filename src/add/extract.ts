// Extraction: a web page -> the article in it, as Markdown with its metadata. Mozilla's Readability finds
// the article (with its defaults: they are what its authors measured on hundreds of pages) on a linkedom
// document that prepare.ts has put in plain form; markdown.ts writes it with turndown. Nothing of the page
// is removed before Readability runs, so nothing that holds the article can be lost on the way; a sanity
// check compares the saved text with the page's main text and says when much of it is missing.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { type ArticleMarkdown, articleToMarkdown, PERMALINK_MARK } from './markdown.js';
import { type Doc, KEPT_EMBED, prepareDocument, revealDisclosed } from './prepare.js';

export interface ExtractedArticle {
  title: string;
  author?: string;
  siteName?: string;
  date?: string;
  lang?: string;
  /** `rtl` for a right-to-left page (`ltr` only where the language would suggest otherwise). */
  dir?: 'rtl' | 'ltr';
  description?: string;
  markdown: string;
  /** Image URLs in the Markdown, absolute, in order of appearance. */
  images: string[];
  /** The Markdown with a mark where each image's address goes (markdown.ts placeImages). */
  placed: ArticleMarkdown['placed'];
  /** The article's images the Markdown does not show, and the element each stands in (a warning each). */
  unshown?: ArticleMarkdown['unshown'];
  /** Words in the saved text, and in the page's main text (the sanity check's figures). */
  words?: { saved: number; page: number };
  /** Set when the saved text is much shorter than the page's main text: the article may be incomplete. */
  shortfall?: string;
}

/** Languages written right to left (primary subtags). */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/**
 * The sanity check: the saved text must hold at least this share of the words of the page's main text
 * (its paragraphs outside navigation, headers, footers, asides and comments), when that text is long.
 */
export const MIN_SAVED_SHARE = 0.5;
const MIN_PAGE_WORDS_CHECKED = 150;
const MIN_ARTICLE_WORDS = 10;
/** A second pass replaces the first when it saves at least this many times its words. */
const SECOND_PASS_GAIN = 1.5;

/** Extract the article of `html`, read from `url`; undefined when the page holds no article. */
export function extractArticle(html: string, url: string): ExtractedArticle | undefined {
  const { document } = parseHTML(html);
  const base = baseUrl(document, url);
  const metadata = pageMetadata(document);
  // What the page shows on a click (a tab's panel, the rest behind "Continue reading") is part of its main
  // text: were it lost, the check would say so.
  revealDisclosed(document);
  const pageWords = mainTextWords(document);
  const h1 = document.querySelector('article h1, main h1, h1');
  const headline = h1 ? headingText(h1 as unknown as Node).replace(/\s+/g, ' ').trim() : undefined;

  let read = readArticle(document, base);
  let shortfall: string | undefined;
  if (pageWords >= MIN_PAGE_WORDS_CHECKED && (read?.saved ?? 0) < MIN_SAVED_SHARE * pageWords) {
    // A second pass, where the blocks that hold the page's main text cannot be taken for page furniture
    // by their class names; it is kept when it finds far more, and the article is flagged either way.
    const page = parseHTML(html).document;
    revealDisclosed(page);
    const second = readArticle(withoutFurnitureNames(page), base);
    const first = read?.saved ?? 0;
    if (second && second.saved >= SECOND_PASS_GAIN * first) {
      read = second;
      shortfall = `the article saved from ${url} was found only by a second pass (${second.saved} words, the first found ${first} of the page's ${pageWords}): check that it is the article`;
    } else {
      shortfall = `the article saved from ${url} has ${first} words, the page's main text about ${pageWords}: part of it may be missing`;
    }
  }
  if (!read) return undefined;
  const { article, markdown, images, placed, unshown, saved } = read;
  const siteName = article.siteName?.trim() || metadata.siteName;
  const lang = article.lang?.trim() || metadata.lang;
  const dir = direction(article.dir ?? metadata.dir, lang);
  return {
    title: cleanTitle(wholeTitle(article.title, metadata.title) ?? '', headline, siteName),
    author: cleanByline(article.byline) ?? metadata.author,
    siteName,
    date: isoDate(article.publishedTime) ?? metadata.date,
    lang,
    dir,
    description: article.excerpt?.replace(/\s+/g, ' ').trim() || undefined,
    markdown,
    images,
    placed,
    unshown,
    words: { saved, page: pageWords },
    shortfall,
  };
}

/**
 * An article's HTML held by a feed item (its full text) or an export file -> Markdown with absolute links
 * and image URLs, by the page's rules (prepare.ts: lazy images' real sources, `<noscript>` images, embeds
 * kept as links, what a click shows) but without Readability: the text is the article already. Turndown
 * alone saved a lazy image's placeholder pixel, lost a lazy frame's video and a tab's label.
 */
export function toMarkdown(source: string, base: string): ArticleMarkdown {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${source}</body></html>`);
  revealDisclosed(document);
  prepareDocument(document, base);
  dropUnkeptEmbeds(document);
  return articleToMarkdown(document.body.innerHTML, base);
}

/** Readability on a page, then turndown; undefined when it finds no article. */
function readArticle(document: Doc, base: string) {
  prepareDocument(document, base);
  const article = new Readability(document as unknown as Document, { keepClasses: true, allowedVideoRegex: EMBEDS }).parse();
  if (!article || !article.content || !(article.textContent ?? '').trim()) return undefined;
  const { markdown, images, placed, unshown } = articleToMarkdown(article.content, base);
  const saved = countWords(markdown.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1'));
  // A few words and no picture is an error page or an empty shell, not an article.
  if (saved < MIN_ARTICLE_WORDS && !images.length) return undefined;
  return { article, markdown, images, placed, unshown, saved };
}

/** The page with the class and id names taken off the elements that hold its main text (second pass). */
function withoutFurnitureNames(document: Doc): Doc {
  for (const p of mainTextBlocks(document)) {
    for (let el = p.parentElement; el && el.tagName !== 'BODY' && el.tagName !== 'HTML'; el = el.parentElement) {
      el.removeAttribute('class');
      el.removeAttribute('id');
    }
  }
  return document;
}

/**
 * Hosts whose embeds are media (kept by Readability, written as links to their page), and the embeds
 * prepare.ts marks to keep (a chart, a map, a lazy frame).
 */
const MEDIA_HOSTS = /\/\/([\w-]+\.)*((dailymotion|youtube|youtube-nocookie|vimeo|v\.qq|twitter|x|soundcloud|spotify|bandcamp|ted|facebook|instagram|tiktok|podcasts\.apple|anchor|twitch|streamable|wistia|jwplayer|codepen|gfycat|giphy|loom|mixcloud|archive|wikimedia)\.(com|net|tv|fm|org)|youtu\.be)\//i;
const EMBEDS = new RegExp(`^${KEPT_EMBED}$|${MEDIA_HOSTS.source}`, 'i');

/**
 * The frames and plugins a page's article loses to Readability, which keeps those with an attribute that
 * `EMBEDS` matches: prepare.ts marks every frame worth keeping, so these are advertising, a tracking pixel,
 * a hidden frame. Held text (toMarkdown) meets no Readability: they were written as links ("Embedded content
 * from googleads.g.doubleclick.net").
 */
function dropUnkeptEmbeds(document: Doc): void {
  for (const el of [...document.querySelectorAll('iframe, embed, object')]) {
    if (![...el.attributes].some((a) => EMBEDS.test(a.value))) el.remove();
  }
}

function baseUrl(document: Doc, url: string): string {
  const href = document.querySelector('base[href]')?.getAttribute('href');
  if (href) {
    try {
      return new URL(href, url).href;
    } catch {
      // A broken <base> is ignored, as browsers do.
    }
  }
  return url;
}

function direction(dir: string | null | undefined, lang: string | undefined): 'rtl' | 'ltr' | undefined {
  const d = dir?.trim().toLowerCase();
  const rtlLanguage = !!lang && RTL_LANGUAGES.has(lang.split(/[-_]/)[0]!.toLowerCase());
  if (d === 'rtl') return 'rtl';
  if (d === 'ltr' && rtlLanguage) return 'ltr';
  return undefined;
}

/**
 * Words: runs of letters and digits, and each Chinese or Japanese character, as those languages put no
 * space between words (a run of Han characters was one word: a Chinese article of two paragraphs, 70
 * characters, counted four and was refused as "no article found"). Korean puts spaces between its words.
 */
export function countWords(text: string): number {
  return (text.match(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}])+/gu) ?? []).length;
}

/**
 * The words of the page's main text: its paragraphs, list items, quotes and preformatted blocks outside
 * navigation, headers, footers, asides, forms, comments and hidden parts. What any good extraction keeps.
 */
function mainTextWords(document: Doc): number {
  return mainTextBlocks(document).reduce((n, el) => n + countWords(el.textContent ?? ''), 0);
}

function mainTextBlocks(document: Doc) {
  const outside = 'nav, header, footer, aside, form, template, noscript, [hidden], [aria-hidden="true"], [role="navigation"], [role="complementary"], [role="contentinfo"], [role="banner"], [id*="comment" i], [class*="comment" i]';
  return [...document.querySelectorAll('p, pre, blockquote, dd')].filter((el) => {
    if (el.parentElement?.closest('p, pre, blockquote, dd')) return false;
    if (el.closest(outside)) return false;
    if (/display:\s*none|visibility:\s*hidden/i.test(el.getAttribute('style') ?? '')) return false;
    // Short paragraphs are as often captions, teasers and buttons as text.
    return countWords(el.textContent ?? '') >= 12;
  });
}

interface PageMetadata {
  title?: string;
  author?: string;
  siteName?: string;
  date?: string;
  lang?: string;
  dir?: string;
}

function pageMetadata(document: Doc): PageMetadata {
  const meta = (...selectors: string[]) => {
    for (const s of selectors) {
      const v = document.querySelector(s)?.getAttribute('content')?.trim();
      if (v) return v;
    }
    return undefined;
  };
  const ld = jsonLd(document);
  const html = document.documentElement;
  const authorMeta = meta('meta[name="author"]', 'meta[name="parsely-author"]', 'meta[name="dc.creator" i]', 'meta[itemprop="author"]', 'meta[property="article:author"]', 'meta[name="sailthru.author"]') ?? document.querySelector('[itemprop="author"] [itemprop="name"]')?.textContent?.trim();
  const dateCandidates = [
    ld.date,
    meta('meta[property="article:published_time"]', 'meta[name="parsely-pub-date"]', 'meta[name="article:published_time"]', 'meta[itemprop="datePublished"]', 'meta[name="dc.date" i]', 'meta[name="dcterms.date" i]', 'meta[name="date"]', 'meta[name="pubdate"]', 'meta[name="sailthru.date"]'),
    parselyDate(document),
    document.querySelector('article time[datetime], time[itemprop="datePublished"], time[datetime]')?.getAttribute('datetime') ?? undefined,
  ];
  return {
    title: meta('meta[name="parsely-title"]', 'meta[property="og:title"]') ?? document.querySelector('title')?.textContent?.trim(),
    author: cleanByline(ld.author) ?? (authorMeta && !/^https?:/i.test(authorMeta) ? cleanByline(authorMeta) : undefined),
    siteName: meta('meta[property="og:site_name"]', 'meta[name="application-name"]') ?? ld.publisher,
    date: dateCandidates.map(isoDate).find(Boolean),
    lang: html?.getAttribute('lang')?.trim() || html?.getAttribute('xml:lang')?.trim() || meta('meta[http-equiv="content-language" i]', 'meta[property="og:locale"]')?.replace(/_/g, '-'),
    dir: html?.getAttribute('dir') ?? document.body?.getAttribute('dir') ?? undefined,
  };
}

function parselyDate(document: Doc): string | undefined {
  const text = document.querySelector('meta[name="parsely-page"]')?.getAttribute('content');
  if (!text) return undefined;
  try {
    return (JSON.parse(text) as { pub_date?: string }).pub_date;
  } catch {
    return undefined;
  }
}

/** Author, publisher and date from the page's schema.org JSON-LD (an Article or one in its @graph). */
function jsonLd(document: Doc): { author?: string; publisher?: string; date?: string } {
  const out: { author?: string; publisher?: string; date?: string } = {};
  const nameOf = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) {
      const names = v.map(nameOf).filter(Boolean);
      return names.length ? names.join(', ') : undefined;
    }
    if (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') return (v as { name: string }).name;
    return undefined;
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const o = node as Record<string, unknown>;
    const type = String(o['@type'] ?? '');
    if (/Article|BlogPosting|Report|NewsArticle|WebPage/.test(type)) {
      out.date ??= typeof o.datePublished === 'string' ? o.datePublished : undefined;
      const author = nameOf(o.author);
      if (author && !/^https?:/i.test(author)) out.author ??= author;
      out.publisher ??= nameOf(o.publisher);
    }
    if (o['@graph']) visit(o['@graph']);
  };
  for (const script of [...document.querySelectorAll('script[type="application/ld+json"]')]) {
    try {
      visit(JSON.parse((script.textContent ?? '').replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '')));
    } catch {
      // A broken JSON-LD block says nothing.
    }
  }
  return out;
}

/** A date as YYYY-MM-DD when the text starts with one. */
function isoDate(text: string | null | undefined): string | undefined {
  const m = text && /^\s*(\d{4}-\d\d-\d\d)/.exec(text);
  return m ? m[1] : undefined;
}

/**
 * Readability's title, unless it is the end of the page's title cut at a colon inside brackets: a texinfo
 * manual's pages are titled `The Basics (libffi: the portable foreign function interface library)`, and
 * every page of it was "the portable foreign function interface library)". Then the page's title, whole.
 */
function wholeTitle(title: string | null | undefined, pageTitle: string | undefined): string | undefined {
  if (!title || !pageTitle) return title ?? pageTitle;
  const open = (t: string) => (t.match(/[([]/g) ?? []).length - (t.match(/[)\]]/g) ?? []).length;
  const cut = title.replace(/\s+/g, ' ').trim();
  const page = pageTitle.replace(/\s+/g, ' ').trim();
  return open(cut) < 0 && open(page) === 0 && page.endsWith(cut) ? page : title;
}

/**
 * A heading's text without its link to itself (Sphinx's `¶`, a `#`): "Setting up routes¶" was not the start
 * of the page's title, "Setting up routes — Routes 2.5.0 documentation", and the article kept that whole.
 */
function headingText(node: Node): string {
  let text = '';
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeType === 3) text += n.nodeValue ?? '';
    else if (n.nodeName === 'A' && ((n as Element).getAttribute('href') ?? '').startsWith('#') && PERMALINK_MARK.test(n.textContent ?? '')) continue;
    else for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i]!);
  }
  return text;
}

/** The page title without the site's name around it (`Headline | The Daily Example`). */
function cleanTitle(title: string, headline: string | undefined, siteName: string | undefined): string {
  let t = title.replace(/\s+/g, ' ').trim();
  if (headline && headline.length > 3 && t.startsWith(headline) && /^\s*[|·•:_\u2013\u2014-]/.test(t.slice(headline.length) || ' |')) return headline;
  if (siteName) {
    const escaped = siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t = t.replace(new RegExp(`\\s*[|\u2013\u2014:·•_-]\\s*${escaped}$`, 'i'), '').replace(new RegExp(`^${escaped}\\s*[|\u2013\u2014:·•_-]\\s*`, 'i'), '');
  }
  return t || headline || 'Untitled';
}

/** A byline without its "By", and not a date or a time (some pages put those where the author goes). */
function cleanByline(byline: string | null | undefined): string | undefined {
  const b = byline?.replace(/\s+/g, ' ').replace(/^(by|par|von|por|di|door)\s+/i, '').trim();
  if (!b || b.length >= 120 || looksLikeDate(b)) return undefined;
  return b;
}

function looksLikeDate(text: string): boolean {
  if (/^(last\s+)?(updated|published|posted)\b/i.test(text)) return true;
  const withoutDates = text
    .replace(/\b\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-][\d:]+)?)?\b/g, '')
    .replace(/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}\b/gi, '')
    .replace(/\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b/gi, '')
    .replace(/\b\d{1,2}[:.]\d\d\s*([ap]\.?m\.?)?/gi, '')
    .replace(/\b(at|updated|on|published|posted)\b/gi, '');
  return withoutDates.length < text.length && !/\p{L}{2,}/u.test(withoutDates);
}
