// Stage: load. An MkDocs project around the articles (its `mkdocs.yml` in the articles folder or the one
// above): where its snippets are looked for (articles/includes.ts), and which of pymdownx's inline
// extensions it turns on (render/markdown.ts reads their syntax only then: `~x~` is strikethrough on GitHub
// and a subscript with pymdownx.tilde).
import fs from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../read.js';
import { configFolders } from './site-roots.js';

/** The largest mkdocs.yml read. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** The most snippet folders looked in: each snippet's file is looked for in each in turn. */
const MAX_BASES = 16;

/** pymdownx's inline extensions a project turns on: `==mark==`; `^^insert^^` and `^sup^`; `~sub~`; `++ctrl+c++`. */
export interface MkDocsSyntax {
  mark?: true;
  caret?: true;
  tilde?: true;
  keys?: true;
}

export interface MkDocsProject {
  /** Its configuration file. */
  file: string;
  /** The folders snippets are looked for in, in order. */
  bases: string[];
  /** Set when the project turns on at least one of them. */
  syntax?: MkDocsSyntax;
}

/** The MkDocs configuration file in `dir` (`mkdocs.yml`, `mkdocs.yaml`), or undefined. */
export function mkdocsConfig(dir: string): string | undefined {
  for (const name of ['mkdocs.yml', 'mkdocs.yaml']) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

/**
 * The MkDocs project the articles are the documents of (its `mkdocs.yml` in the articles folder or the one
 * above), with the folders its snippets are looked for in: pymdownx.snippets's `base_path` (a path or a
 * list of them, relative to the project; `.` when not set), then the articles folder; and the inline syntax
 * it turns on. Undefined when the articles are not an MkDocs project's: snippets are read only there.
 */
export function mkdocsProject(articlesDir: string): MkDocsProject | undefined {
  const resolved = path.resolve(articlesDir);
  for (const dir of configFolders(articlesDir)) {
    const config = mkdocsConfig(dir);
    if (config === undefined) continue;
    // Read as articles are: a FIFO or a device named mkdocs.yml hung the build, or ran it out of memory.
    const read = readRegularFile(config, MAX_CONFIG_BYTES);
    const text = read.ok ? read.bytes.toString('utf8') : '';
    const bases = [...new Set([...snippetBases(text, dir, resolved), dir, resolved])].slice(0, MAX_BASES);
    // The inline syntax of pymdownx's extensions that the configuration turns on (a line of its own
    // naming one, not commented out).
    const syntax: MkDocsSyntax = {};
    for (const m of text.matchAll(/^[ \t]*(?:-[ \t]+)?(["']?)pymdownx\.(mark|caret|tilde|keys)\1[ \t]*(?::|#|$)/gm)) syntax[m[2] as keyof MkDocsSyntax] = true;
    return Object.keys(syntax).length ? { file: config, bases, syntax } : { file: config, bases };
  }
  return undefined;
}

/**
 * pymdownx.snippets's `base_path` in mkdocs.yml: a path or a list of them (inline, `[a, "b"]`, or as `- a`
 * lines under the key), each relative to the project (`dir`); MkDocs's `!relative $config_dir` is the
 * project, `!relative $docs_dir` the articles folder (`docs`). Comments and other tags are left out. The
 * project's folder when it sets none (pymdownx's default, `.`). The project's and the articles' folders are
 * looked in after these, as a last resort.
 */
function snippetBases(text: string, dir: string, docs: string): string[] {
  const m = /^[ \t]*base_path:[ \t]*(.*)$/m.exec(text);
  if (!m) return [dir];
  const value = (v: string) => v.replace(/[ \t]+#.*$/, '').trim();
  let given: string[] = [];
  const inline = value(m[1]!);
  if (inline) given = inline.replace(/^\[|\]$/g, '').split(',');
  else {
    // The list's items: the lines right after the key that start with `- `.
    for (const line of text.slice(m.index + m[0].length + 1).split('\n')) {
      const item = /^[ \t]*-[ \t]+(.+)$/.exec(line);
      if (item) given.push(value(item[1]!));
      else if (line.trim() && !line.trim().startsWith('#')) break;
    }
  }
  const bases: string[] = [];
  for (const g of given.slice(0, MAX_BASES)) {
    const item = g.trim().replace(/^(["'])(.*)\1$/, '$2');
    const relative = /^!relative(?:[ \t]+(\S+))?$/.exec(item);
    if (relative) {
      if (relative[1] === '$docs_dir') bases.push(docs);
      else bases.push(dir);
      continue;
    }
    const plain = item.replace(/^!\S+[ \t]*/, '');
    if (plain) bases.push(path.resolve(dir, plain));
  }
  return bases.length ? bases : [dir];
}
