// Stage: load. The static site the articles folder belongs to, looked for from the folder up (it and three
// folders above; never the home folder or above it, nor a folder anyone may write in (/tmp), never above a
// folder holding `.git`; the first configuration found wins): a Jekyll site (`_config.yml`), a Hugo site (`hugo.toml`, `config.toml`... beside
// `content/`), a VitePress site (`.vitepress/`), a Docusaurus site (`docusaurus.config.*`), an Astro site
// (`astro.config.*`). Its static folder is where the site serves a root-relative path from (`/assets/a.png`),
// which settle/images.ts reads images in; a Jekyll site's `_config.yml` values are what `{{ site.title }}`
// shows (render/liquid.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRegularFile } from '../read.js';
import { parseYamlMapping } from '../yaml.js';

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
const MAX_CONFIG_BYTES = 1024 * 1024;
/** The `site.` values kept of a Jekyll configuration: enough for any real one, a bound for a hostile one. */
const MAX_SITE_VALUES = 1000;
const MAX_SITE_VALUE_CHARS = 2000;

const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json'];
const CONFIG_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'];

/** The site around `articlesDir`, from the folder up (see above); undefined when none is found. */
export function findStaticRoot(articlesDir: string): StaticRoot | undefined {
  const home = path.resolve(os.homedir());
  let dir = path.resolve(articlesDir);
  for (let level = 0; level <= LEVELS_ABOVE; level++) {
    // The home folder is nobody's site: a `_config.yml` there would let any folder under it show its pictures.
    if (dir === home || isInsideDir(dir, home)) return undefined;
    // Nor is a folder anyone may write in (/tmp): another user's `_config.yml` there would give the book its
    // values and its folder's pictures.
    if (anyoneMayWrite(dir)) return undefined;
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

/**
 * A Jekyll configuration's values, as `{{ site.… }}` names them (`title`, `author.name`): strings and numbers
 * only, each on its dotted path. Undefined when the file cannot be read as YAML.
 */
export function jekyllSiteValues(config: string): Record<string, string> | undefined {
  const read = readRegularFile(config, MAX_CONFIG_BYTES);
  if (!read.ok) return undefined;
  const parsed = parseYamlMapping(read.bytes.toString('utf8').replace(/^\ufeff/, ''), config, 1, 'config-unreadable');
  if (!parsed.ok) return undefined;
  const values: Record<string, string> = {};
  let count = 0;
  const add = (key: string, value: unknown, depth: number): void => {
    if (count >= MAX_SITE_VALUES) return;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      const text = String(value);
      if (text.length <= MAX_SITE_VALUE_CHARS) {
        values[key] = text;
        count++;
      }
    } else if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && depth < 4) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}.${k}`, v, depth + 1);
    }
  };
  for (const [key, entry] of parsed.entries) add(key, entry.value, 0);
  return values;
}

function isInsideDir(dir: string, root: string): boolean {
  const rel = path.relative(dir, root);
  // `dir` is above `root` (the home folder lies inside it).
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The folders a site's configuration (`book.toml`, `mkdocs.yml`, `.vitepress`) is looked for in: the articles
 * folder and the one above, unless anyone may write in that one (/tmp), where another user's `book.toml` or
 * `mkdocs.yml` would turn syntax on, name the snippets' folders and give includes a folder to read from.
 */
export function configFolders(articlesDir: string): string[] {
  const resolved = path.resolve(articlesDir);
  const above = path.dirname(resolved);
  return above === resolved || anyoneMayWrite(above) ? [resolved] : [resolved, above];
}

/**
 * Whether anyone may write in the folder: its mode gives others write, and it is a shared one (the sticky
 * bit: /tmp) or not the folder of whoever runs quire. A folder of one's own that the file system shows
 * writable by all (a FAT or exFAT drive, WSL's /mnt/c) is one's own project; on Windows the mode says
 * nothing of who may write (every folder's lets all write).
 */
export function anyoneMayWrite(dir: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    const { mode, uid } = fs.statSync(dir);
    return (mode & 0o002) !== 0 && ((mode & 0o1000) !== 0 || uid !== process.getuid?.());
  } catch {
    return false;
  }
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
