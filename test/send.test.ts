// `quire send` and `quire build --send` against a real SMTP server on a loopback port (smtp-server): the
// message that arrives is parsed (mailparser) and its attachment compared byte for byte with the book.
// A refused login, a server that refuses the size and a book too big for Send-to-Kindle give clear errors,
// and the password is never printed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { build } from '../src/index.js';
import { runCli, tempDir, writeTree } from './helpers.js';

const PASSWORD = 'p@ss w0rd/ünï';
const URL_PASSWORD = encodeURIComponent(PASSWORD);

interface Smtp {
  port: number;
  messages: { mail: ParsedMail; from: string; to: string[] }[];
  close(): Promise<void>;
}

async function startSmtp(size?: number): Promise<Smtp> {
  const messages: Smtp['messages'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    size,
    onAuth(auth, _session, callback) {
      if (auth.username === 'reader' && auth.password === PASSWORD) return callback(null, { user: 'reader' });
      callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return callback(Object.assign(new Error('Message exceeds fixed maximum message size'), { responseCode: 552 }));
        const mail = await simpleParser(Buffer.concat(chunks));
        messages.push({ mail, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.server.address() as AddressInfo).port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const dir = tempDir('quire-send-');
let smtp: Smtp;
let book: string;

before(async () => {
  smtp = await startSmtp();
  writeTree(dir, { 'articles/book.yaml': 'title: Mail Book\nauthor: Ana\n', 'articles/a.md': '# One\n\nFirst.\n', 'articles/b.md': '# Two\n\nSecond.\n' });
  const result = await build({ articlesDir: 'articles', output: 'output/Livre d’été.epub', cwd: dir });
  assert.ok(result.written);
  book = result.outputs[0]!;
});
after(async () => smtp?.close());

const env = (password = URL_PASSWORD, port = () => smtp.port) => ({ QUIRE_SMTP_URL: `smtp://reader:${password}@127.0.0.1:${port()}` });

describe('quire send', () => {
  it('e-mails the book as an application/epub+zip attachment with the same bytes', async () => {
    const r = await runCli(['send', 'output/Livre d’été.epub', '--to', 'me@example.com', '--from', 'sender@example.com'], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^sent output\/Livre d’été\.epub \(\d+ bytes\) to me@example\.com$/m);
    assert.equal(smtp.messages.length, 1);
    const { mail, from, to } = smtp.messages[0]!;
    assert.equal(from, 'sender@example.com');
    assert.deepEqual(to, ['me@example.com']);
    assert.equal(mail.subject, 'Mail Book');
    assert.equal(mail.attachments.length, 1);
    const attachment = mail.attachments[0]!;
    assert.equal(attachment.contentType, 'application/epub+zip');
    assert.equal(attachment.filename, 'Livre d’été.epub');
    assert.ok(attachment.content.equals(fs.readFileSync(book)), 'the attachment is the book, byte for byte');
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD) && !(r.stdout + r.stderr).includes(URL_PASSWORD));
  });

  it('says so clearly when the server refuses the login, without printing the password', async () => {
    const before = smtp.messages.length;
    const wrong = encodeURIComponent('Wr0ng-secret');
    const r = await runCli(['send', 'output/Livre d’été.epub', '--to', 'me@example.com', '--from', 'sender@example.com'], { cwd: dir, env: env(wrong) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /quire: error: .*Livre d’été\.epub was not sent: the SMTP server 127\.0\.0\.1:\d+ refused the login of reader \(535 Authentication failed\): check the user and password in QUIRE_SMTP_URL/);
    assert.ok(!(r.stdout + r.stderr).includes('Wr0ng-secret'));
    assert.equal(smtp.messages.length, before);
  });

  it('stops before sending a book larger than Send-to-Kindle takes, and suggests --split', async () => {
    const big = path.join(dir, 'output', 'big.epub');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 51 * 1024 * 1024); // a sparse file: its size is all that is looked at
    const before = smtp.messages.length;
    const r = await runCli(['send', 'output/big.epub', '--to', 'someone@kindle.com', '--from', 'sender@example.com'], { cwd: dir, env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /big\.epub is 51\.0 MB, more than the 50 MB Send-to-Kindle takes in one e-mail: build it in volumes \(quire build --split N, or --split-by year\)/);
    assert.equal(smtp.messages.length, before, 'nothing was sent');
  });

  it('reports a message the server refuses for its size', async () => {
    const small = await startSmtp(2000);
    try {
      const r = await runCli(['send', 'output/Livre d’été.epub', '--to', 'me@example.com', '--from', 'sender@example.com'], { cwd: dir, env: env(URL_PASSWORD, () => small.port) });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /was not sent: the SMTP server 127\.0\.0\.1:\d+ refused the message: 552 /);
      assert.equal(small.messages.length, 0);
    } finally {
      await small.close();
    }
  });

  it('asks for QUIRE_SMTP_URL when it is not set', async () => {
    const r = await runCli(['send', 'output/Livre d’été.epub', '--to', 'me@example.com'], { cwd: dir, env: { QUIRE_SMTP_URL: '' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /set QUIRE_SMTP_URL to the SMTP server that sends the mail: smtp:\/\/user:password@host:port/);
  });

  it('quire build --send sends every volume it wrote, each in its own e-mail', async () => {
    const before = smtp.messages.length;
    const r = await runCli(['build', 'articles', '-o', 'vol/book.epub', '--split', '1', '--send', 'me@example.com'], { cwd: dir, env: { ...env(), QUIRE_SMTP_FROM: 'sender@example.com' } });
    assert.equal(r.code, 0, r.stderr);
    const got = smtp.messages.slice(before);
    assert.deepEqual(got.map((m) => m.mail.attachments[0]!.filename), ['book-1.epub', 'book-2.epub']);
    for (const m of got) assert.ok(m.mail.attachments[0]!.content.equals(fs.readFileSync(path.join(dir, 'vol', m.mail.attachments[0]!.filename!))));
  });
});
