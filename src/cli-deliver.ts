// The command line of delivery: `quire serve` and `quire send` (flags -> library call -> terminal), and the
// send step of `quire build --send`. No logic of its own beyond wording and exit codes.
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { BuildOptions } from './index.js';

type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream; cwd: string; env: NodeJS.ProcessEnv };

const EXIT_OK = 0;
const EXIT_INPUT = 1;
const EXIT_USAGE = 2;

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('expected a port number, 0-65535 (0: any free port)');
  return n;
}

/** The address a phone on the same network reaches this machine by, for a server bound to all addresses. */
function lanAddress(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function addServeCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('serve the books of a folder: an OPDS catalog for reading apps at /opds and a reader for browsers at /')
    .argument('[folder]', 'folder of books', 'output')
    .addOption(new Option('-p, --port <n>', 'port to listen on (0: any free port)').argParser(port).default(8080))
    .option('--host <address>', 'address to listen on; 0.0.0.0 lets phones and e-readers on the network in, and prints a QR code of the catalog (default: 127.0.0.1, this machine only)')
    .option('--token <secret>', 'ask every client for this secret (as the password of basic auth, or ?token=); also QUIRE_SERVE_TOKEN')
    .option('--title <title>', 'the catalog\'s title')
    .option('-w, --watch [articles]', 'build the book from the articles into the folder, and rebuild and reload open pages on every change')
    .exitOverride()
    .action(async (folder: string, opts: { port: number; host?: string; token?: string; title?: string; watch?: string | boolean }) => {
      const { serve } = await import('./index.js');
      const token = opts.token ?? (io.env.QUIRE_SERVE_TOKEN || undefined);
      const root = path.resolve(io.cwd, folder);
      const host = opts.host ?? '127.0.0.1';
      let server: Awaited<ReturnType<typeof serve>>;
      try {
        server = await serve({ folder: root, host, port: opts.port, token, title: opts.title });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        io.err.write(`quire: error: cannot listen on ${host}:${opts.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (try --port 0 or another port)' : err.code ?? err.message}\n`);
        setExit(EXIT_USAGE);
        return;
      }
      const base = `http://${lanAddress(host)}:${server.port}`;
      io.out.write(`serving ${folder}\n  reader:  ${base}/\n  catalog: ${base}/opds${token ? '  (user: any, password: the token)' : ''}\n`);
      if (opts.host !== undefined) {
        const { qrLines } = await import('./serve/qr.js');
        const shown = `${base}/opds${token ? `?token=${encodeURIComponent(token)}` : ''}`;
        io.out.write(`\n${qrLines(shown)}\n${shown}\n`);
        const local = host === '127.0.0.1' || host === 'localhost' || host === '::1';
        if (!token && !local) io.out.write('anyone on this network can read these books; --token SECRET asks for a password\n');
      }
      if (opts.watch !== undefined && opts.watch !== false) {
        const articles = typeof opts.watch === 'string' ? opts.watch : 'articles';
        const { formatDiagnostic, sortDiagnostics, watch } = await import('./index.js');
        const options: BuildOptions = { articlesDir: articles, output: path.join(root, 'book.epub'), cwd: io.cwd, cacheDir: '.quire-cache', sourceDateEpoch: io.env.SOURCE_DATE_EPOCH };
        await watch(options, ({ result, seconds, changed }) => {
          for (const d of sortDiagnostics(result.diagnostics)) io.err.write(`${formatDiagnostic(d, io.cwd)}\n`);
          if (changed.length) io.out.write(`${changed.map((f) => path.relative(io.cwd, f)).join(', ')} changed\n`);
          if (!result.written) {
            io.err.write('quire: no book written; the last good book is kept; waiting for changes\n');
            return;
          }
          io.out.write(`wrote ${result.outputs.map((f) => path.relative(io.cwd, f)).join(', ')} in ${seconds.toFixed(2)} s\n`);
          server.notify(result.outputs.map((f) => path.relative(root, f).split(path.sep).join('/').replace(/(\.kepub)?\.epub$/i, '')));
        });
        io.out.write('watching for changes (Ctrl-C to stop)\n');
      } else {
        // Serving only: no build can be cut short, so Ctrl-C just stops (quietly, unlike an interrupted build).
        for (const signal of ['SIGINT', 'SIGTERM'] as const) {
          process.removeAllListeners(signal);
          process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
        }
        io.out.write('Ctrl-C stops the server\n');
      }
      await new Promise(() => {}); // until interrupted
    });
}

/** Send built books; returns the exit code. Used by `quire send` and `quire build --send`. */
export async function sendFiles(books: string[], to: string, from: string | undefined, io: Io): Promise<number> {
  const smtpUrl = io.env.QUIRE_SMTP_URL;
  if (!smtpUrl) {
    io.err.write('quire: error: set QUIRE_SMTP_URL to the SMTP server that sends the mail: smtp://user:password@host:port (or smtps://...)\n');
    return EXIT_USAGE;
  }
  const { sendBooks, SendError } = await import('./send.js');
  try {
    const result = await sendBooks({
      books,
      to,
      from: from ?? (io.env.QUIRE_SMTP_FROM || undefined),
      smtpUrl,
      onSent: (book, bytes) => io.out.write(`sent ${path.relative(io.cwd, book) || book} (${bytes} bytes) to ${to}\n`),
    });
    for (const note of result.notes) io.out.write(`note: ${note}\n`);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof SendError)) throw e;
    for (const line of e.message.split('\n')) io.err.write(`quire: error: ${line}\n`);
    return EXIT_INPUT;
  }
}

export function addSendCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('send')
    .description('e-mail books (Send-to-Kindle, Send-to-PocketBook...) through the SMTP server of QUIRE_SMTP_URL')
    .argument('<books...>', 'EPUB files; each goes in an e-mail of its own')
    .requiredOption('--to <address>', 'the recipient, e.g. your Send-to-Kindle address')
    .option('--from <address>', 'the sender (default QUIRE_SMTP_FROM, or the SMTP user name)')
    .exitOverride()
    .action(async (books: string[], opts: { to: string; from?: string }) => {
      setExit(await sendFiles(books.map((b) => path.resolve(io.cwd, b)), opts.to, opts.from, io));
    });
}
