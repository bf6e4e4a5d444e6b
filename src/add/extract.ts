// Extraction: a web page -> the article in it, as Markdown with its metadata. Mozilla's Readability finds
// the article (leaving navigation, share bars, related links, cookie banners and comments behind) on a
// linkedom document; turndown writes the Markdown (GFM tables, fenced code with its language).
import { Readability } from '@mozilla/readability';
import { gfm } from '@joplin/turndown-plugin-gfm';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';

export interface ExtractedArticle {
  title: string;
  author?: string;
  siteName?: string;
  date?: string;
  lang?: string;
  description?: string;
  markdown: string;
  /** Image URLs in the Markdown, absolute, in order of appearance. */
  images: string[];
}

/** Page furniture that Readability sometimes keeps: share bars, related links, banners. */
const CHROME = /(^|[\s_-])(share|sharing|social|related|recommended|read-?more|more-stories|newsletter|subscribe|cookie|consent|banner|promo|advert|ads?|sponsor|comments?|popup|modal|breadcrumbs?)($|[\s_-])/i;

/** Extract the article of `html`, read from `url`; undefined when the page holds no article. */
export function extractArticle(html: string, url: string): ExtractedArticle | undefined {
  const { document } = parseHTML(html);
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content')?.trim() || undefined;
  const lang = document.documentElement?.getAttribute('lang')?.trim() || meta('meta[http-equiv="content-language"]');
  const date = publishedDate(document, meta);
  const siteName = meta('meta[property="og:site_name"]') ?? meta('meta[name="application-name"]');

  resolveLazyImages(document, url);
  for (const el of [...document.querySelectorAll('nav, aside, form, button, [role="navigation"], [role="complementary"], [aria-hidden="true"]')]) el.remove();
  for (const el of [...document.querySelectorAll('[class], [id]')]) {
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (CHROME.test(names) && !['HTML', 'BODY', 'ARTICLE', 'MAIN'].includes(el.tagName)) el.remove();
  }

  const headline = document.querySelector('article h1, main h1, h1')?.textContent?.replace(/\s+/g, ' ').trim();
  const article = new Readability(document as unknown as Document, { charThreshold: 200, keepClasses: true }).parse();
  if (!article || !article.content || (article.textContent ?? '').trim().length < 200) return undefined;
  const { markdown, images } = toMarkdown(article.content, url);
  return {
    title: cleanTitle(article.title ?? '', headline, article.siteName?.trim() || siteName),
    author: cleanByline(article.byline),
    siteName: article.siteName?.trim() || siteName,
    date,
    lang: article.lang?.trim() || lang,
    description: article.excerpt?.replace(/\s+/g, ' ').trim() || undefined,
    markdown,
    images,
  };
}

/** The page title without the site's name around it (`Headline | The Daily Example`). */
function cleanTitle(title: string, headline: string | undefined, siteName: string | undefined): string {
  let t = title.replace(/\s+/g, ' ').trim();
  if (headline && headline.length > 3 && t.startsWith(headline)) return headline;
  if (siteName) {
    const escaped = siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t = t.replace(new RegExp(`\\s*[|\u2013\u2014:·-]\\s*${escaped}$`), '').replace(new RegExp(`^${escaped}\\s*[|\u2013\u2014:·-]\\s*`), '');
  }
  return t || headline || 'Untitled';
}

function cleanByline(byline: string | null | undefined): string | undefined {
  const b = byline?.replace(/\s+/g, ' ').replace(/^(by|par|von|por)\s+/i, '').trim();
  return b && b.length < 120 ? b : undefined;
}

function publishedDate(document: ReturnType<typeof parseHTML>['document'], meta: (s: string) => string | undefined): string | undefined {
  const candidates = [
    meta('meta[property="article:published_time"]'),
    meta('meta[name="date"]'),
    meta('meta[name="dc.date"]'),
    meta('meta[itemprop="datePublished"]'),
    ...[...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => /"datePublished"\s*:\s*"([^"]+)"/.exec(s.textContent ?? '')?.[1]),
    document.querySelector('article time[datetime], time[datetime]')?.getAttribute('datetime') ?? undefined,
  ];
  for (const c of candidates) {
    const m = c && /^(\d{4}-\d\d-\d\d)/.exec(c.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** Lazy-loaded images keep their real address in data-src or srcset; make it the src, absolute. */
function resolveLazyImages(document: ReturnType<typeof parseHTML>['document'], base: string): void {
  for (const img of [...document.querySelectorAll('img')]) {
    const lazy = img.getAttribute('data-src') ?? img.getAttribute('data-lazy-src') ?? img.getAttribute('data-original');
    const srcset = img.getAttribute('srcset') ?? img.getAttribute('data-srcset');
    const src = img.getAttribute('src');
    const best = lazy ?? (srcset ? largestCandidate(srcset) : undefined) ?? src;
    if (!best || (best.startsWith('data:') && best.length < 200)) {
      img.remove();
      continue;
    }
    try {
      img.setAttribute('src', new URL(best, base).href);
    } catch {
      img.remove();
      continue;
    }
    for (const a of ['srcset', 'data-src', 'data-srcset', 'data-lazy-src', 'data-original', 'loading', 'sizes']) img.removeAttribute(a);
  }
  // <picture> sources are alternatives of the <img> inside.
  for (const source of [...document.querySelectorAll('picture source')]) source.remove();
}

function largestCandidate(srcset: string): string | undefined {
  let best: { url: string; size: number } | undefined;
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = descriptor ? parseFloat(descriptor) : 1;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url;
}

/**
 * Footnotes as the page marks them: a link `#x` to a list item `id="x"` in a list of notes becomes
 * `[^n]`, and the list becomes `[^n]: ...` definitions at the end. Tokens stand in for the references
 * while turndown runs (it would escape the brackets).
 */
function extractFootnotes(html: string): { html: string; notes: { token: string; n: number; html: string }[] } {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`);
  const items = new Map<string, Element>();
  for (const li of [...document.querySelectorAll('ol li[id], aside[id], div[id^="fn"]')]) items.set(li.getAttribute('id')!, li as unknown as Element);
  const notes: { token: string; n: number; html: string }[] = [];
  const numbers = new Map<string, number>();
  for (const a of [...document.querySelectorAll('a[href^="#"]')]) {
    const id = decodeURIComponent(a.getAttribute('href')!.slice(1));
    const note = items.get(id);
    if (!note || note.contains(a as unknown as Node)) continue;
    let n = numbers.get(id);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(id, n);
    }
    const token = `QUIREFOOTNOTE${n}X`;
    const sup = a.parentElement?.tagName === 'SUP' && a.parentElement.textContent?.trim() === a.textContent?.trim() ? a.parentElement : a;
    sup.replaceWith(document.createTextNode(token));
  }
  for (const [id, n] of numbers) {
    const note = items.get(id)!;
    // Back-links inside the note go.
    for (const back of [...note.querySelectorAll('a[href^="#"]')]) back.remove();
    notes.push({ token: `QUIREFOOTNOTE${n}X`, n, html: note.innerHTML });
    const list = note.parentElement;
    note.remove();
    if (list && list.tagName === 'OL' && list.children.length === 0) {
      const wrapper = list.parentElement;
      list.remove();
      if (wrapper && /footnote/i.test(`${wrapper.getAttribute('class') ?? ''} ${wrapper.getAttribute('id') ?? ''}`)) wrapper.remove();
    }
  }
  return { html: document.body.innerHTML, notes };
}

/** HTML -> Markdown with absolute links and image URLs (also used for feed items that carry their full text). */
export function toMarkdown(source: string, base: string): { markdown: string; images: string[] } {
  const { html, notes } = extractFootnotes(source);
  const service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*', strongDelimiter: '**', hr: '***' });
  service.use(gfm);
  service.remove(['script', 'style', 'noscript', 'iframe', 'form', 'button']);
  const images: string[] = [];
  service.addRule('fencedCodeWithLanguage', {
    filter: (node) => node.nodeName === 'PRE',
    replacement: (_content, node) => {
      const el = node as HTMLElement;
      const code = el.querySelector('code') ?? el;
      const cls = `${code.getAttribute('class') ?? ''} ${el.getAttribute('class') ?? ''}`;
      const lang = /(?:^|\s)(?:language|lang|highlight)-([\w+#-]+)/.exec(cls)?.[1] ?? '';
      const text = (code.textContent ?? '').replace(/\n$/, '');
      const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      return `\n\n${fence}${lang}\n${text}\n${fence}\n\n`;
    },
  });
  service.addRule('images', {
    filter: 'img',
    replacement: (_content, node) => {
      const el = node as HTMLElement;
      const src = el.getAttribute('src');
      if (!src) return '';
      let url: string;
      try {
        url = new URL(src, base).href;
      } catch {
        return '';
      }
      images.push(url);
      const alt = (el.getAttribute('alt') ?? '').replace(/[[\]\n]/g, ' ').trim();
      return `![${alt}](<${url}>)`;
    },
  });
  service.addRule('links', {
    filter: (node) => node.nodeName === 'A' && !!(node as HTMLElement).getAttribute('href'),
    replacement: (content, node) => {
      const href = (node as HTMLElement).getAttribute('href')!;
      if (href.startsWith('#') || /^javascript:/i.test(href)) return content;
      let url: string;
      try {
        url = new URL(href, base).href;
      } catch {
        return content;
      }
      // A saved page's relative links lead to files on this disk, not in the archive: keep the text.
      if (url.startsWith('file:')) return content;
      return content.trim() ? `[${content}](<${url}>)` : '';
    },
  });
  let markdown = service.turndown(html);
  for (const note of notes) {
    markdown = markdown.replaceAll(note.token, `[^${note.n}]`);
    const text = service.turndown(note.html).replace(/\n+/g, ' ').trim();
    markdown += `\n\n[^${note.n}]: ${text}`;
  }
  markdown = markdown.replace(/\n{3,}/g, '\n\n').trim();
  return { markdown: `${markdown}\n`, images };
}
