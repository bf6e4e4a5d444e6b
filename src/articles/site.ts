// Stage: load. The site generator a folder of articles was written for, known by its configuration in the
// articles folder or the one above: an mdBook book (`book.toml`), an MkDocs project (`mkdocs.yml`), a
// VitePress site (`.vitepress`). Its syntax is read only in its articles (render/markdown.ts: Rust's hidden
// lines, pymdownx's inline syntax and snippets, Shiki's notations), and its folder is one includes may read
// from (articles/includes.ts). A static site around the folder (articles/site-roots.ts): where its
// root-relative images are, and a Jekyll site's `{{ site.… }}` values. Looked for once a build.
import fs from 'node:fs';
import path from 'node:path';
import { mkdocsConfig, mkdocsProject, type MkDocsProject, type MkDocsSyntax } from './mkdocs.js';
import { configFolders, findStaticRoot, jekyllSiteValues, type StaticRoot } from './site-roots.js';

/** What an article's site is, as the renderer reads it (MarkdownOptions has the same fields). */
export interface Site {
  /** An MkDocs project: the pymdownx inline syntax its configuration turns on, maybe none. */
  mkdocs?: MkDocsSyntax;
  /** An mdBook book. */
  mdbook?: true;
  /** A VitePress site. */
  vitepress?: true;
  /** A Jekyll site: its `_config.yml` values by the name `{{ site.… }}` gives them (render/liquid.ts). */
  jekyll?: Record<string, string>;
}

/**
 * The site around `articlesDir` (undefined when none), its MkDocs project's snippet folders, the folders
 * includes may read from, and the configuration files that told (`files`: watch mode rebuilds when one
 * changes, since they turn syntax on and say where snippets are).
 */
export function findSite(articlesDir: string): { site?: Site; mkdocs?: MkDocsProject; roots: string[]; files: string[]; staticRoot?: StaticRoot } {
  const staticRoot = findStaticRoot(articlesDir);
  const jekyll = staticRoot?.generator === 'Jekyll' ? jekyllSiteValues(staticRoot.config) : undefined;
  const dirs = configFolders(articlesDir);
  const found = (name: string) => dirs.map((d) => path.join(d, name)).filter((f) => fs.existsSync(f));
  const books = found('book.toml');
  const mkdocs = mkdocsProject(articlesDir);
  const site: Site = { ...(mkdocs && { mkdocs: mkdocs.syntax ?? {} }), ...(books.length && { mdbook: true as const }), ...(found('.vitepress').length && { vitepress: true as const }), ...(jekyll && { jekyll }) };
  const files = [...books, ...(mkdocs ? [mkdocs.file] : []), ...(jekyll ? [staticRoot!.config] : [])];
  return { ...(Object.keys(site).length && { site }), ...(mkdocs && { mkdocs }), roots: includeRoots(articlesDir), files, ...(staticRoot && { staticRoot }) };
}

/**
 * The folders an article's includes may read from: the articles folder, and the mdBook book's or the MkDocs
 * project's around it (the folder above, holding `book.toml` or `mkdocs.yml`).
 */
export function includeRoots(articlesDir: string): string[] {
  const roots: string[] = [];
  for (const dir of [articlesDir, ...configFolders(articlesDir).slice(1)]) {
    if (dir !== articlesDir && !fs.existsSync(path.join(dir, 'book.toml')) && mkdocsConfig(dir) === undefined) continue;
    try {
      roots.push(fs.realpathSync(dir));
    } catch {
      // A folder that cannot be resolved gives nothing to read.
    }
  }
  return roots;
}
