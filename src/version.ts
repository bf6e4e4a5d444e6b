// quire's version, read once from package.json: written into books (generator) and into cache keys.
import fs from 'node:fs';

export const VERSION = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}
