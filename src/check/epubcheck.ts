// quire check: EPUBCheck's messages, when Java and its jar are installed, as diagnostics.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

/** EPUBCheck's messages, when Java and its jar are installed; none otherwise. */
export async function runEpubcheck(file: string, jar: string): Promise<Diagnostic[]> {
  if (!fs.existsSync(jar)) return [];
  const report = path.join(fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'quire-check-')), 'report.json');
  await new Promise((resolve) => execFile('java', ['-jar', jar, file, '--json', report], { timeout: 300_000, maxBuffer: 1 << 26 }, resolve));
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { messages: { ID: string; severity: string; message: string; locations: { path: string; line: number; column: number }[] }[] };
    return json.messages
      .filter((m) => ['FATAL', 'ERROR', 'WARNING'].includes(m.severity))
      .map((m): Diagnostic => ({
        file: m.locations[0]?.path ? `${file}/${m.locations[0].path}` : file,
        severity: m.severity === 'WARNING' ? 'warning' : 'error',
        code: `epubcheck-${m.ID}`,
        message: m.message,
        line: m.locations[0]?.line && m.locations[0].line > 0 ? m.locations[0].line : undefined,
        column: m.locations[0]?.column && m.locations[0].column > 0 ? m.locations[0].column : undefined,
        source: 'epubcheck',
      }));
  } catch {
    return [];
  } finally {
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
  }
}
