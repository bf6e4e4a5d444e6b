// Stage: load. The static site the articles folder belongs to, looked for from the folder up (it and three
// folders above; never the home folder or above it, never above a folder holding `.git`, the first
// configuration found wins): a Jekyll site (`_config.yml`), a Hugo site (`hugo.toml`, `config.toml`... beside
// `content/`), a VitePress site (`.vitepress/`), a Docusaurus site (`docusaurus.config.*`), an Astro site
// (`astro.config.*`). Its static folder is where the site serves a root-relative path from (`/assets/a.png`),
// which settle/images.ts reads images in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Generator = 'Jekyll' | 'Hugo' | 'VitePress' | 'Docusaurus' | 'Astro';

/** Where a site serves `/…` from. */
export interface StaticRoot {
  generator: Generator;
  /** The folder the site serves `/` from (absolute; it may not exist). */
  dir: string;
  /** The site's folder, which holds its configuration (and `dir`, which must not be a link out of it). */
  site: string;
  /** The site's configuration file (or `.vitepress` folder). */
  config: string;
}

/** How many folders above the articles folder are looked in. */
const LEVELS_ABOVE = 3;

const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json'];
const CONFIG_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'];

/** The site around `articlesDir`, from the folder up (see above); undefined when none is found. */
export function findStaticRoot(articlesDir: string): StaticRoot | undefined {
  const home = path.resolve(os.homedir());
  let dir = path.resolve(articlesDir);
  for (let level = 0; level <= LEVELS_ABOVE; level++) {
    // The home folder is nobody's site: a `_config.yml` there would let any folder under it show its pictures.
    if (dir === home || isInsideDir(dir, home)) return undefined;
    const found = siteIn(dir);
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir || exists(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
  return undefined;
}

function siteIn(dir: string): StaticRoot | undefined {
  const file = (name: string) => (isFile(path.join(dir, name)) ? path.join(dir, name) : undefined);
  const jekyll = file('_config.yml') ?? file('_config.yaml');
  if (jekyll) return { generator: 'Jekyll', dir, site: dir, config: jekyll };
  const hugo = isDir(path.join(dir, 'content')) ? HUGO_CONFIGS.map(file).find(Boolean) : undefined;
  if (hugo) return { generator: 'Hugo', dir: path.join(dir, 'static'), site: dir, config: hugo };
  const docusaurus = CONFIG_EXTENSIONS.map((e) => file(`docusaurus.config.${e}`)).find(Boolean);
  if (docusaurus) return { generator: 'Docusaurus', dir: path.join(dir, 'static'), site: dir, config: docusaurus };
  const astro = CONFIG_EXTENSIONS.map((e) => file(`astro.config.${e}`)).find(Boolean);
  if (astro) return { generator: 'Astro', dir: path.join(dir, 'public'), site: dir, config: astro };
  if (isDir(path.join(dir, '.vitepress'))) return { generator: 'VitePress', dir: path.join(dir, 'public'), site: dir, config: path.join(dir, '.vitepress') };
  return undefined;
}

function isInsideDir(dir: string, root: string): boolean {
  const rel = path.relative(dir, root);
  // `dir` is above `root` (the home folder lies inside it).
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function exists(p: string): boolean {
  return fs.existsSync(p);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
