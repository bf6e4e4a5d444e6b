// Test helpers: temporary folders, reading EPUBs, running the CLI, and EPUBCheck.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const CLI = path.join(ROOT, 'bin', 'quire.js');

export function tempDir(prefix = 'quire-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * The folders tempDir made, removed when the test file's process ends (each test file runs in its own):
 * a full run made about 250 and left them all. QUIRE_KEEP_TEST_DIRS=1 keeps them, to look into a failure.
 */
const made: string[] = [];
process.on('exit', () => {
  if (process.env.QUIRE_KEEP_TEST_DIRS === '1') return;
  for (const dir of made) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // A folder still in use (a server's, on some systems) is left for the system to clear.
    }
  }
});

/** Write a tree of files: `{ 'articles/a.md': '...' }`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  return root;
}

export interface Epub {
  zip: JSZip;
  names: string[];
  text(name: string): Promise<string>;
  bytes(name: string): Promise<Buffer>;
}

export async function openEpub(data: Buffer): Promise<Epub> {
  const zip = await JSZip.loadAsync(data);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  return {
    zip,
    names,
    text: async (name) => {
      const f = zip.file(name);
      if (!f) throw new Error(`no ${name} in the book; it has ${names.join(', ')}`);
      return f.async('string');
    },
    bytes: async (name) => {
      const f = zip.file(name);
      if (!f) throw new Error(`no ${name} in the book`);
      return f.async('nodebuffer');
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the quire CLI as a user would. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// ---- EPUBCheck ---------------------------------------------------------------------------------

export const EPUBCHECK_JAR = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';

export interface CheckResult {
  tool: 'epubcheck' | 'epubcheck-ts';
  fatals: number;
  errors: number;
  warnings: number;
  output: string;
}

function hasJava(): boolean {
  try {
    return fs.existsSync(EPUBCHECK_JAR) && fs.statSync(EPUBCHECK_JAR).isFile();
  } catch {
    return false;
  }
}

/** Which validator the suite uses: the EPUBCheck jar when it is installed, else the TypeScript port. */
export const VALIDATOR: CheckResult['tool'] = hasJava() ? 'epubcheck' : 'epubcheck-ts';

let warned = false;
function warnOnce(): void {
  if (warned || VALIDATOR === 'epubcheck') return;
  warned = true;
  const line = '!'.repeat(100);
  process.stderr.write(
    `\n${line}\n!! EPUBCheck (the Java jar, ${EPUBCHECK_JAR}) is not installed: validity is checked with @likecoin/epubcheck-ts,\n` +
      `!! a stand-in that agrees with EPUBCheck on about 95% of cases. Install it: apt-get install -y epubcheck (.ci/run does).\n${line}\n\n`,
  );
  if (process.env.QUIRE_REQUIRE_EPUBCHECK === '1') throw new Error('QUIRE_REQUIRE_EPUBCHECK=1 but the EPUBCheck jar is missing');
}

/** The validator's verdict, read from its output. */
function verdict(output: string): CheckResult | undefined {
  // eslint-disable-next-line no-control-regex
  output = output.replace(/\u001b\[[0-9;]*m/g, '');
  const jar = /Messages:\s*(\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?/.exec(output);
  if (jar) return { tool: VALIDATOR, fatals: +jar[1]!, errors: +jar[2]!, warnings: +jar[3]!, output };
  const ts = /"fatals":\s*(\d+),\s*"errors":\s*(\d+),\s*"warnings":\s*(\d+)/.exec(output);
  if (ts) return { tool: VALIDATOR, fatals: +ts[1]!, errors: +ts[2]!, warnings: +ts[3]!, output };
  return undefined;
}

/**
 * Books waiting for the Java EPUBCheck. EPUBCheck's command line takes one book and a JVM costs seconds to
 * start, so the books asked for while one JVM runs (or in the same turn of the event loop) go through the
 * next one together (test/java/EpubcheckBatch.java).
 */
const waiting: { file: string; resolve(r: CheckResult): void; reject(e: Error): void }[] = [];
let running = false;

function runBatch(): void {
  if (running || waiting.length === 0) return;
  running = true;
  const batch = waiting.splice(0);
  const source = path.join(ROOT, 'test', 'java', 'EpubcheckBatch.java');
  execFile('java', ['-Xss8m', '-cp', EPUBCHECK_JAR, source, ...batch.map((b) => b.file)], { maxBuffer: 256 * 1024 * 1024, timeout: 900_000 }, (err, stdout, stderr) => {
    running = false;
    const parts = new Map<string, string>();
    for (const m of stdout.matchAll(/^=== quire-epubcheck-batch begin (.*)\n([\s\S]*?)^=== quire-epubcheck-batch end -?\d+$/gm)) parts.set(m[1]!, m[2]!);
    for (const b of batch) {
      const result = parts.has(b.file) ? verdict(parts.get(b.file)!) : undefined;
      if (result) b.resolve(result);
      else b.reject(new Error(`could not read EPUBCheck's verdict on ${b.file} (${err?.message ?? 'no error'}):\n${parts.get(b.file) ?? `${stdout}\n${stderr}`}`));
    }
    runBatch();
  });
}

export function epubcheck(file: string): Promise<CheckResult> {
  warnOnce();
  if (VALIDATOR === 'epubcheck') {
    return new Promise((resolve, reject) => {
      waiting.push({ file: path.resolve(file), resolve, reject });
      setImmediate(runBatch);
    });
  }
  return new Promise((resolve, reject) => {
    const args = [path.join(ROOT, 'node_modules', '@likecoin', 'epubcheck-ts', 'bin', 'epubcheck.js'), file, '--json', '-'];
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
      const result = verdict(`${stdout}\n${stderr}`);
      if (result) return resolve(result);
      reject(new Error(`could not read the validator's verdict (${err?.message ?? 'no error'}):\n${stdout}\n${stderr}`));
    });
  });
}

/** Assert-friendly summary: empty when the book is clean. */
export function problems(r: CheckResult): string {
  return r.fatals + r.errors + r.warnings === 0 ? '' : `${r.tool}: ${r.fatals} fatals / ${r.errors} errors / ${r.warnings} warnings\n${r.output}`;
}

export function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** The entries of a zip as its central directory lists them: name, method (0 stored, 8 deflated), date. */
export function zipEntries(zip: Buffer): { name: string; method: number; dosTime: number; dosDate: number }[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      method: zip.readUInt16LE(at + 10),
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** An HTTP server on loopback (IPv4, or IPv6's `::1`) for the duration of a test file; close() also ends hanging requests. */
export async function startServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return {
    base: `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
