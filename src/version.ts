// quire's version, read once from package.json: written into books (generator). The build cache is keyed
// by more than the version (see codeIdentity): a checkout between two releases, or an updated dependency,
// carries the same version number but may render differently.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
}

function readJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

const pkg = readJson(path.join(ROOT, 'package.json'));
export const VERSION = pkg?.version ?? '0.0.0';

let identity: string | undefined;

/**
 * What quire's output depends on besides its input: the version, the compiled code itself, and the
 * installed version of every dependency. A change to any of them makes the cache's entries stale.
 * Reading and hashing it takes a few milliseconds, once a process.
 */
export function codeIdentity(): string {
  identity ??= identityOf(VERSION, path.dirname(fileURLToPath(import.meta.url)), Object.keys(pkg?.dependencies ?? {}).map((d) => `${d}@${installedVersion(d) ?? '?'}`));
  return identity;
}

/** `version` and a hash of the JavaScript files under `codeDir` (their names and bytes) and of `dependencies`. */
export function identityOf(version: string, codeDir: string, dependencies: readonly string[]): string {
  const h = createHash('sha256').update(`${version}\0`);
  const files: string[] = [];
  const list = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) list(full);
      else if (e.name.endsWith('.js')) files.push(full);
    }
  };
  try {
    list(codeDir);
  } catch {
    // Not readable as files (bundled): the version and dependencies alone.
  }
  for (const f of files) h.update(`${path.relative(codeDir, f)}\0`).update(fs.readFileSync(f)).update('\0');
  for (const d of [...dependencies].sort()) h.update(`${d}\0`);
  return `${version}+${h.digest('hex').slice(0, 16)}`;
}

/** The version of the dependency Node would load from quire's folder (looking up the tree as Node does). */
function installedVersion(name: string): string | undefined {
  for (let dir = ROOT; ; dir = path.dirname(dir)) {
    const found = readJson(path.join(dir, 'node_modules', name, 'package.json'));
    if (found) return found.version;
    if (path.dirname(dir) === dir) return undefined;
  }
}
