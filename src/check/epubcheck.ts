// quire check: EPUBCheck's messages, when Java and its jar are installed, as diagnostics. EPUBCheck runs
// bounded (a heap cap and a time limit); when it cannot run, runs out of memory or is stopped, the result
// says so and why instead of being silently empty.
import { execFile, type ExecFileException } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { escapeControls } from '../diagnostics.js';

export interface EpubcheckLimits {
  /** Java's heap cap, in MB (-Xmx). */
  memoryMb: number;
  /** Wall-clock limit, in milliseconds; EPUBCheck is killed when it is spent. */
  timeoutMs: number;
}

/** Enough for a 20,000-article book; a billion-laughs DOCTYPE took 3.9 GB and a hostile book 301 s without them. */
export const EPUBCHECK_LIMITS: EpubcheckLimits = { memoryMb: 1024, timeoutMs: 300_000 };

/** EPUBCheck's messages, or a finding saying why there are none. */
export async function runEpubcheck(file: string, jar: string, limits: EpubcheckLimits = EPUBCHECK_LIMITS): Promise<Diagnostic[]> {
  const notRun = (why: string): Diagnostic[] => [{ file, severity: 'warning', code: 'check-epubcheck-not-run', message: `EPUBCheck was not run: ${why}`, source: 'quire' }];
  const failed = (why: string): Diagnostic[] => [{ file, severity: 'error', code: 'check-epubcheck-failed', message: `EPUBCheck did not finish, so its findings are missing: ${why}`, source: 'quire' }];
  if (!fs.existsSync(jar)) return notRun(`its jar is not at ${jar} (install EPUBCheck, or pass --no-epubcheck)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-check-'));
  const report = path.join(dir, 'report.json');
  try {
    const args = [`-Xmx${limits.memoryMb}m`, '-XX:+ExitOnOutOfMemoryError', '-jar', jar, file, '--json', report];
    // Java writes its OutOfMemoryError to standard output, EPUBCheck its complaints to standard error: both are read.
    const outcome = await new Promise<{ error: ExecFileException | null; stderr: string }>((resolve) =>
      execFile('java', args, { timeout: limits.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 24 }, (error, stdout, stderr) => resolve({ error, stderr: `${String(stdout)}\n${String(stderr)}` })),
    );
    const { error, stderr } = outcome;
    if (error?.code === 'ENOENT') return notRun('java is not installed (install a Java runtime, or pass --no-epubcheck)');
    if (error?.killed || error?.signal === 'SIGKILL') return failed(`it was stopped after ${limits.timeoutMs / 1000} s, its time limit`);
    if (/OutOfMemoryError/.test(stderr)) return failed(`it ran out of its ${limits.memoryMb} MB of memory`);
    let json: { messages: { ID: string; severity: string; message: string; locations: { path: string; line: number; column: number }[] }[] };
    try {
      json = JSON.parse(fs.readFileSync(report, 'utf8'));
    } catch {
      const last = stderr.trim().split('\n').pop()?.slice(0, 300);
      return failed(`it exited with ${error?.code ?? 0} and wrote no report${last ? ` (${last})` : ''}`);
    }
    return json.messages
      .filter((m) => ['FATAL', 'ERROR', 'WARNING'].includes(m.severity))
      .map((m): Diagnostic => ({
        file: m.locations[0]?.path ? `${file}/${escapeControls(m.locations[0].path)}` : file,
        severity: m.severity === 'WARNING' ? 'warning' : 'error',
        code: `epubcheck-${m.ID}`,
        message: escapeControls(m.message),
        line: m.locations[0]?.line && m.locations[0].line > 0 ? m.locations[0].line : undefined,
        column: m.locations[0]?.column && m.locations[0].column > 0 ? m.locations[0].column : undefined,
        source: 'epubcheck',
      }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
