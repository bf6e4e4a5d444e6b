// Send: books -> e-mail, one message for each book file, through the SMTP server of a URL
// (smtp://user:pass@host:port or smtps://...). The one file that knows nodemailer. Before anything is sent
// the books are held against the limits of the service the address belongs to (Send-to-Kindle...), and the
// password never appears in what this file returns: not in messages, not in errors.
import fs from 'node:fs';
import path from 'node:path';
import { opfFacts } from './serve/books.js';

/** What a reading service takes by e-mail, as its documentation says. */
export interface MailService {
  name: string;
  /** Matches the recipient's domain. */
  domain: RegExp;
  /** Largest total of attachments in one e-mail, in bytes. */
  maxBytes?: number;
  /** Most attachments in one e-mail. */
  maxAttachments?: number;
  /** Whether an EPUB is taken. */
  epub: boolean;
  /** Said before sending, once. */
  note?: string;
}

export const MB = 1024 * 1024;

export const SERVICES: MailService[] = [
  {
    // Amazon's help page "Using Your Send to Kindle Email Address": up to 25 attachments, documents of
    // 50 MB or less in total, from an address on the Approved Personal Document Email List; EPUB is a
    // supported type (MOBI no longer is).
    name: 'Send-to-Kindle',
    domain: /(^|\.)kindle\.com$/i,
    maxBytes: 50 * MB,
    maxAttachments: 25,
    epub: true,
    note: 'Send-to-Kindle delivers only mail from an address on your Approved Personal Document E-mail List (Amazon: Content and Devices > Preferences > Personal Document Settings).',
  },
  {
    name: 'Send-to-PocketBook',
    domain: /(^|\.)pbsync\.com$/i,
    epub: true,
    note: 'Send-to-PocketBook delivers only mail from a sender you confirmed (the first message asks you to).',
  },
];

export function serviceFor(address: string): MailService | undefined {
  const domain = address.slice(address.lastIndexOf('@') + 1).replace(/>$/, '').trim();
  return SERVICES.find((s) => s.domain.test(domain));
}

export interface SmtpSettings {
  secure: boolean;
  host: string;
  port: number;
  user?: string;
  pass?: string;
  /** The URL without its password, for messages. */
  shown: string;
}

export class SendError extends Error {}

/** Read an SMTP URL; throws SendError (whose message never holds the password) when it cannot be used. */
export function parseSmtpUrl(value: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SendError('QUIRE_SMTP_URL is not a URL: expected smtp://user:password@host:port or smtps://user:password@host:port');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new SendError(`QUIRE_SMTP_URL must start with smtp:// or smtps:// (not ${url.protocol}//)`);
  if (!url.hostname) throw new SendError('QUIRE_SMTP_URL names no host');
  const secure = url.protocol === 'smtps:';
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const user = url.username ? decode(url.username) : undefined;
  const pass = url.password ? decode(url.password) : undefined;
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const shown = `${url.protocol}//${url.username ? `${url.username}${url.password ? ':***' : ''}@` : ''}${url.host}`;
  return { secure, host: url.hostname.replace(/^\[|\]$/g, ''), port, user, pass, shown };
}

export interface SendOptions {
  /** The book files (EPUB), each sent in a message of its own. */
  books: string[];
  to: string;
  /** The sender; default the SMTP user when it is an address. */
  from?: string;
  /** smtp://user:pass@host:port or smtps://... */
  smtpUrl: string;
  /** Called before each message goes out and after (for progress lines). */
  onSent?: (book: string, bytes: number) => void;
}

export interface SendResult {
  /** Books sent, in order. */
  sent: string[];
  /** What the service asks of the sender (approved address...): to tell the user. */
  notes: string[];
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The problems that stop a send before any mail goes out: unreadable files, a service's limits, a bad address. */
export function preflight(books: string[], to: string): string[] {
  const problems: string[] = [];
  if (!ADDRESS.test(to)) problems.push(`${to} is not an e-mail address`);
  const service = serviceFor(to);
  for (const book of books) {
    let size: number;
    try {
      const stat = fs.statSync(book);
      if (!stat.isFile()) {
        problems.push(`${book}: not a file`);
        continue;
      }
      size = stat.size;
    } catch (e) {
      problems.push(`${book}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    if (!/\.epub$/i.test(book)) problems.push(`${book}: only EPUB books are sent (the name must end in .epub)`);
    else if (/\.kepub\.epub$/i.test(book) && service?.name === 'Send-to-Kindle') problems.push(`${book}: a KEPUB is made for Kobo readers; build with --target kindle for Send-to-Kindle`);
    if (service?.maxBytes !== undefined && size > service.maxBytes) {
      problems.push(
        `${book} is ${(size / MB).toFixed(1)} MB, more than the ${service.maxBytes / MB} MB ${service.name} takes in one e-mail: ` +
          'build it in volumes (quire build --split N, or --split-by year) and send each volume',
      );
    }
  }
  return problems;
}

/** Send each book in a message of its own. Throws SendError with a message fit for the user. */
export async function sendBooks(options: SendOptions): Promise<SendResult> {
  const smtp = parseSmtpUrl(options.smtpUrl);
  const scrub = (message: string) => {
    let m = message;
    if (smtp.pass) for (const secret of new Set([smtp.pass, encodeURIComponent(smtp.pass), Buffer.from(smtp.pass).toString('base64')])) m = m.split(secret).join('***');
    return m;
  };
  const from = options.from ?? (smtp.user && ADDRESS.test(smtp.user) ? smtp.user : undefined);
  if (!from) throw new SendError('give the sender with --from ADDRESS (the SMTP user name is not an e-mail address)');
  if (!ADDRESS.test(from)) throw new SendError(`${from} is not an e-mail address`);
  const problems = preflight(options.books, options.to);
  if (problems.length) throw new SendError(problems.join('\n'));
  const service = serviceFor(options.to);
  // Loaded on use: nodemailer's 39 modules would slow every build down.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
  });
  const sent: string[] = [];
  try {
    for (const book of options.books) {
      const data = fs.readFileSync(book);
      let title: string | undefined;
      try {
        title = opfFacts(data)?.title;
      } catch {
        title = undefined;
      }
      try {
        await transport.sendMail({
          from,
          to: options.to,
          subject: title ?? path.basename(book),
          text: `${title ?? path.basename(book)}\n\nSent by quire.\n`,
          attachments: [{ filename: path.basename(book), content: data, contentType: 'application/epub+zip' }],
        });
      } catch (e) {
        throw new SendError(`${book} was not sent: ${describe(e as Error & { code?: string; responseCode?: number; response?: string }, smtp)}`);
      }
      sent.push(book);
      options.onSent?.(book, data.length);
    }
  } catch (e) {
    if (e instanceof SendError) throw new SendError(scrub(e.message));
    throw new SendError(scrub((e as Error).message));
  } finally {
    transport.close();
  }
  return { sent, notes: service?.note ? [service.note] : [] };
}

function describe(e: Error & { code?: string; responseCode?: number; response?: string }, smtp: SmtpSettings): string {
  const server = `${smtp.host}:${smtp.port}`;
  switch (e.code) {
    case 'EAUTH':
      return `the SMTP server ${server} refused the login of ${smtp.user ?? '(no user)'}${e.response ? ` (${e.response.trim()})` : ''}: check the user and password in QUIRE_SMTP_URL`;
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
      return `cannot reach the SMTP server ${server} (${e.message})`;
    case 'ENOAUTH':
      return `the SMTP server ${server} needs a login: put the user and password in QUIRE_SMTP_URL (smtp://user:password@host:port)`;
    case 'EENVELOPE':
    case 'EMESSAGE':
      return `the SMTP server ${server} refused the message${e.response ? `: ${e.response.trim()}` : `: ${e.message}`}`;
    default:
      return e.message;
  }
}
