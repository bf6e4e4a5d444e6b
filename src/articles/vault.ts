// Load stage: Obsidian's vaults. A folder of articles inside a vault (it, or a folder above it, holds
// `.obsidian/`) is read with Obsidian's own syntax: `[[Other note]]` links, `![[diagram.png]]` embeds and
// `==highlighted==` text (render/obsidian.ts). Elsewhere the same brackets mean other things
// (`[[Prototype]]` in JavaScript's documentation, `[[1]]` around a reference link) and stay as written.
// Obsidian finds a note or an attachment by its name anywhere in the vault; so does quire, in the articles
// folder: each article gets the files its links name, by the name written.
import fs from 'node:fs';
import path from 'node:path';
import { anyoneMayWrite } from './site-roots.js';
import { ARTICLE_FILE } from './title.js';

/** How many folders up a vault's `.obsidian/` is looked for. */
const MAX_UP = 8;
/** How many entries of the articles folder are read, and how deep, to find the files links name. */
const MAX_ENTRIES = 20_000;
const MAX_DEPTH = 8;

/** Whether `dir` is in an Obsidian vault. */
export function inVault(dir: string): boolean {
  let at = path.resolve(dir);
  for (let i = 0; i <= MAX_UP; i++) {
    // Not in a folder above that anyone may write in (/tmp): another user's `.obsidian` there would hide `%%` text.
    try {
      if ((i === 0 || !anyoneMayWrite(at)) && fs.statSync(path.join(at, '.obsidian')).isDirectory()) return true;
    } catch {
      // Not here.
    }
    const up = path.dirname(at);
    if (up === at) return false;
    at = up;
  }
  return false;
}

/** The files of a folder by their lower-cased names (the shallowest of each name), relative to it with `/`. */
export function filesByName(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  let entries = 0;
  const walk = (rel: string, depth: number) => {
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    const folders: string[] = [];
    for (const e of list) {
      if (++entries > MAX_ENTRIES) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) folders.push(p);
      else if (e.isFile() && !found.has(e.name.toLowerCase())) found.set(e.name.toLowerCase(), p);
    }
    if (depth < MAX_DEPTH) for (const f of folders.sort()) walk(f, depth + 1);
  };
  walk('', 0);
  return found;
}

/** A link's or an embed's target in double brackets: the name before a `#` or `|`. */
const TARGET = /!?\[\[([^[\]|#\n]{1,500})/g;

/**
 * The files the links and embeds of `body` (an article at `file` in `articlesDir`) name, found by name in
 * the folder: the name as written, to the path from the article's folder. A note is named without `.md`.
 */
export function vaultTargets(body: string, file: string, articlesDir: string, files: () => Map<string, string>): Record<string, string> {
  const targets: Record<string, string> = {};
  if (!body.includes('[[')) return targets;
  const from = path.dirname(file);
  for (const m of body.matchAll(TARGET)) {
    const name = m[1]!.trim();
    if (!name || Object.hasOwn(targets, name)) continue;
    const base = path.posix.basename(name.replace(/\\/g, '/'));
    const wanted = (path.extname(base) && !/^\.\d+$/.test(path.extname(base)) ? base : `${base}.md`).toLowerCase();
    const rel = files().get(wanted) ?? (ARTICLE_FILE.test(wanted) ? undefined : files().get(`${wanted}.md`));
    if (rel) targets[name] = path.relative(from, path.join(articlesDir, rel)).split(path.sep).join('/');
  }
  return targets;
}
