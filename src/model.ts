// The data that flows between quire's stages.
import type { ArticleMeta } from './articles/front-matter.js';
import type { Diagnostic } from './diagnostics.js';
import type { Site } from './articles/site.js';
import type { StaticRoot } from './articles/site-roots.js';

/** Where footnotes go: pop-up notes after each chapter, a list of endnotes after each chapter, or a notes chapter at the end of the book. */
export type NotesPlacement = 'footnotes' | 'chapter' | 'book';
export const NOTES_PLACEMENTS: readonly NotesPlacement[] = ['footnotes', 'chapter', 'book'];

/** The reading system a book is made for: any EPUB reader, Kobo (a .kepub.epub), or Send-to-Kindle. */
export type Target = 'epub' | 'kobo' | 'kindle';
export const TARGETS: readonly Target[] = ['epub', 'kobo', 'kindle'];

/** The largest file Send-to-Kindle takes. */
export const KINDLE_MAX_BYTES = 200 * 1024 * 1024;

/** Everything besides the article that changes how a chapter is rendered (part of the cache key). */
export interface RenderSettings {
  lang: string;
  math: boolean;
  highlight: boolean;
  notes: NotesPlacement;
  target: Target;
  /** Ids the reading system's wrapper around a chapter takes (a Kobo book's; see epub/documents.ts). */
  reservedIds?: readonly string[];
}

export function renderSettings(overrides: Partial<RenderSettings> = {}): RenderSettings {
  return { lang: 'en', math: true, highlight: true, notes: 'footnotes', target: 'epub', ...overrides };
}

/** One Markdown file, read and split, ready to render. */
export interface Article {
  /** Absolute path. */
  file: string;
  /** Path relative to the articles folder, with `/` separators. */
  name: string;
  /** Unique in the book: names the chapter file and prefixes its footnote ids. */
  slug: string;
  /** Markdown body; front matter lines are blanked so offsets keep the file's line numbers. */
  body: string;
  meta: ArticleMeta;
  /** A heading the contents list this article under (a digest's feed); consecutive articles share it. */
  group?: string;
  /** The `data:` image URLs lifted out of `body` as it was read (articles/embedded.ts), when there were any. */
  lifted?: Lifted;
  /**
   * Their decoded bytes, by the reference that stands for each in `body`. Held once, on the main thread:
   * they do not go to the rendering threads or into the cache's keys (a reference names its bytes' hash).
   */
  data?: ReadonlyMap<string, Buffer>;
  /** The text each of its mdBook includes (`{{#include file.rs}}`) stands for, by the directive (articles/includes.ts). */
  includes?: Record<string, string>;
  /** In an Obsidian vault: the files its `[[links]]` name, by the name written (articles/vault.ts). */
  vault?: Record<string, string>;
  /** The site generator the articles were written for, when they were (articles/site.ts). */
  site?: Site;
  /**
   * The static site around the articles folder, where its root-relative images (`/assets/a.png`) are read
   * from (articles/site-roots.ts, settle/images.ts). Not read by the renderer.
   */
  staticRoot?: StaticRoot;
}

/** What lifting `data:` URLs out of an article's text changed: enough to put them back and to place diagnostics. */
export interface Lifted {
  /** A word the article's own text does not hold: every reference has it after `;base64,`. */
  marker: string;
  /** The references, in text order: where each stands in the lifted text, its length, and how many characters shorter it is than its URL. */
  spans: { at: number; length: number; shorter: number }[];
}

/** A section heading of a chapter, for the table of contents. */
export interface Heading {
  /** 2..6: the chapter title is level 1. */
  level: number;
  text: string;
  id: string;
}

/** A link or image whose target is settled once the whole book is known. */
export interface Reference {
  /** The element's attributes, its target included. */
  attrs: Map<string, string>;
  /** The href or src as written. */
  target: string;
  /** Offset in the article's body, for diagnostics. */
  pos: number;
  /**
   * A link that shows nothing of its own (link-names.ts, standInOf): at settle it shows the title of the
   * chapter it leads to, or of the heading there; this text when it leads to none.
   */
  standIn?: string;
  /** A link that holds blocks (a card's `<div>`): kept as text, it is a `<div>`, as a `<span>` may hold none. */
  block?: true;
}

// The XHTML tree the render stage makes (render/tree.ts works on it); a chapter's notes leave it as one.
export type Namespace = 'html' | 'svg' | 'math';

export interface XElement {
  tag: string;
  ns: Namespace;
  /** Attribute name -> value, in output order. Names are as written in XHTML (`xlink:href`, `epub:type`). */
  attrs: Map<string, string>;
  children: XNode[];
  /** Offset in the Markdown source where this element came from, when known. */
  pos?: number;
  /** A fenced block's `<code>`: the language the serialiser highlights its text as. */
  highlight?: string;
}

export type XNode = XElement | string;

/**
 * A chapter's notes kept for the notes document at the end of the book: their tree (no Kobo spans yet: the
 * notes document numbers them), and where their links and images start in the chapter's `links` and
 * `images` (they come after the body's).
 */
export interface ChapterNotes {
  tree: XElement;
  firstLink: number;
  firstImage: number;
}

export interface RenderedChapter {
  article: Article;
  title: string;
  /** Id of the chapter's title heading. */
  titleId: string;
  /** The chapter's language when it differs from the book's. */
  lang?: string;
  /** The chapter's direction when its front matter gives one. */
  dir?: 'rtl' | 'ltr';
  sections: Heading[];
  /**
   * The section whose heading follows the title at once, when the title is the article's `#` heading: its
   * id (see settle/titles.ts).
   */
  leadSection?: string;
  ids: Set<string>;
  /**
   * The MyST `(label)=` targets that stand before a heading (render/myst.ts): the label's id, and the
   * heading's text, which names a `{ref}` link to it.
   */
  labels?: Map<string, string>;
  /** `<body>` content with placeholders for links (`\0L<n>\0`) and images (`\0I<n>\0`). */
  body: string;
  /** With notes gathered at the end of the book: this chapter's notes, as a tree (see ChapterNotes). */
  notes?: ChapterNotes;
  links: Reference[];
  images: Reference[];
  svg: boolean;
  mathml: boolean;
  diagnostics: Diagnostic[];
  /**
   * Rendered from the article's text with its `data:` URLs put back, because one of them showed somewhere
   * other than as an image's source (see articles/embedded.ts): its positions are those of that text.
   */
  restored?: true;
}

/**
 * A chapter as the book gets it: its body is taken once, when its document is made (settle/volume.ts), so
 * that a book's rendered text is let go chapter by chapter as it is encoded instead of being held to the
 * end. On 5,000 articles that was 100 MB at the peak.
 */
export type BookChapter = Omit<RenderedChapter, 'body'> & { body: ChapterBody };

/** A rendered body that can be taken once. */
export class ChapterBody {
  constructor(private text: string | undefined) {}

  /** The body if it has not been taken, without taking it. */
  peek(): string | undefined {
    return this.text;
  }

  take(): string {
    const text = this.text;
    if (text === undefined) throw new Error('a chapter body is taken only once');
    this.text = undefined;
    return text;
  }
}
