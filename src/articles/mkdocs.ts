// Stage: load. An MkDocs project around the articles (its `mkdocs.yml` in the articles folder or the one
// above): where its snippets are looked for (articles/includes.ts), and which of pymdownx's inline
// extensions it turns on (render/markdown.ts reads their syntax only then: `~x~` is strikethrough on GitHub
// and a subscript with pymdownx.tilde).
import fs from 'node:fs';
import path from 'node:path';

/** pymdownx's inline extensions a project turns on: `==mark==`; `^^insert^^` and `^sup^`; `~sub~`; `++ctrl+c++`. */
export interface MkDocsSyntax {
  mark?: true;
  caret?: true;
  tilde?: true;
  keys?: true;
}

export interface MkDocsProject {
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
  for (const dir of [resolved, path.dirname(resolved)]) {
    const config = mkdocsConfig(dir);
    if (config === undefined) continue;
    let text = '';
    try {
      text = fs.readFileSync(config, 'utf8').slice(0, 256 * 1024);
    } catch {
      // A configuration that cannot be read sets nothing: the defaults.
    }
    // `base_path: docs`, `base_path: ['.', docs/snippets]` or a list on the lines below it.
    const m = /^([ \t]*)base_path:[ \t]*(.*)$/m.exec(text);
    let given: string[] = [];
    if (m && m[2]!.trim()) given = m[2]!.trim().replace(/^\[|\]$/g, '').split(',');
    else if (m) {
      // The list's items: the lines right after it that start with `- `.
      for (const line of text.slice(m.index + m[0].length + 1).split('\n')) {
        const item = /^[ \t]*-[ \t]+(.+)$/.exec(line);
        if (item) given.push(item[1]!);
        else if (line.trim()) break;
      }
    }
    given = given.map((g) => g.trim().replace(/^(["'])(.*)\1$/, '$2')).filter(Boolean);
    const bases = (given.length ? given : ['.']).map((b) => path.resolve(dir, b));
    // The inline syntax of pymdownx's extensions that the configuration turns on (a line of its own
    // naming one, not commented out).
    const syntax: MkDocsSyntax = {};
    for (const m of text.matchAll(/^[ \t]*(?:-[ \t]+)?(["']?)pymdownx\.(mark|caret|tilde|keys)\1[ \t]*(?::|$)/gm)) syntax[m[2] as keyof MkDocsSyntax] = true;
    return Object.keys(syntax).length ? { bases: [...new Set([...bases, resolved])], syntax } : { bases: [...new Set([...bases, resolved])] };
  }
  return undefined;
}
