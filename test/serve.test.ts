// `quire serve` as reading apps see it: a real server on a loopback port, its feeds read by Readium's OPDS
// client library (r2-opds-js, the parser of Thorium Reader), books downloaded whole and in ranges, and the
// ways out of the folder (`..`, encoded or not, symbolic links) answered with 404.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build, serve, type Server } from '../src/index.js';
import { contentDisposition } from '../src/serve/server.js';
import { execFile, spawn } from 'node:child_process';
import { CLI, openEpub, ROOT, runCli, tempDir, writeTree } from './helpers.js';

// r2-opds-js is CommonJS; its README documents these modules as the way to parse OPDS 1 and 2.
const require = createRequire(import.meta.url);
const { DOMParser } = require('@xmldom/xmldom') as typeof import('@xmldom/xmldom');
const { XML } = require('r2-utils-js/dist/es8-es2017/src/_utils/xml-js-mapper');
const { initGlobalConverters_OPDS, initGlobalConverters_GENERIC } = require('r2-opds-js/dist/es8-es2017/src/opds/init-globals');
const { OPDS } = require('r2-opds-js/dist/es8-es2017/src/opds/opds1/opds');
const { OPDSFeed } = require('r2-opds-js/dist/es8-es2017/src/opds/opds2/opds2');
const { TaJsonDeserialize } = require('r2-lcp-js/dist/es8-es2017/src/serializable');
initGlobalConverters_GENERIC();
initGlobalConverters_OPDS();

interface Link {
  Rel: string;
  Href: string;
  Type: string;
}
interface Entry {
  Title: string;
  Authors?: { Name: string }[];
  DcLanguage?: string;
  Summary?: string;
  Updated: Date;
  Links: Link[];
}
interface Feed {
  Title: string;
  OpensearchTotalResults?: number;
  OpensearchItemsPerPage?: number;
  Links: Link[];
  Entries?: Entry[];
}

// Debian's jing validates the feeds against the OPDS 1.2 schema (test/opds/README.md says which).
const JING = process.env.JING_PATH ?? '/usr/bin/jing';
const hasJing = fs.existsSync(JING);
if (!hasJing) {
  process.stderr.write(`\n!! SKIPPED the OPDS schema test: no jing at ${JING} (apt-get install -y jing; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_JING === '1') throw new Error('QUIRE_REQUIRE_JING=1 but jing is missing');
}

const NAV = 'application/atom+xml;profile=opds-catalog;kind=navigation';
const ACQ = 'application/atom+xml;profile=opds-catalog;kind=acquisition';
const ACQUISITION = 'http://opds-spec.org/acquisition';

const dir = tempDir('quire-serve-');
const folder = path.join(dir, 'books');
let server: Server;

/** An article folder -> a book at `output`, with the given modification time. */
async function makeBook(name: string, yaml: string, article: string, output: string, mtime: Date, target?: 'kobo') {
  const articles = path.join(dir, 'src', name);
  writeTree(articles, { 'book.yaml': yaml, 'a.md': article, 'b.md': '# Second\n\nMore text.\n' });
  const result = await build({ articlesDir: articles, output, cwd: dir, target });
  assert.ok(result.written, JSON.stringify(result.diagnostics));
  for (const f of result.outputs) fs.utimesSync(f, mtime, mtime);
  return result.outputs;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function feed(url: string): Promise<Feed> {
  const res = await get(url);
  assert.equal(res.status, 200, url);
  const doc = new DOMParser().parseFromString(res.body.toString('utf8'), 'application/xml');
  assert.equal(doc.documentElement?.namespaceURI, 'http://www.w3.org/2005/Atom');
  return XML.deserialize(doc, OPDS) as Feed;
}

/** A request whose path is sent exactly as written (fetch would normalise `..` away). */
function rawGet(base: string, rawPath: string, host?: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ host: url.hostname, port: url.port, path: rawPath, headers: host ? { host } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const link = (links: Link[], rel: string) => links.filter((l) => l.Rel === rel);

before(async () => {
  await makeBook('z', 'title: Zèbre et lune\nauthor: Ana Lima\nlang: fr\ndescription: Une histoire de zèbres.\n', '# Premier\n\nLe zèbre court.\n', path.join(folder, 'zebra.epub'), new Date('2024-03-03T00:00:00Z'));
  await makeBook('a', 'title: Alpha\nauthors: [Bruno Díaz, Eve Ng]\nlang: es\n', '# Uno\n\nTexto.\n', path.join(folder, 'Cœur d’été.epub'), new Date('2024-01-01T00:00:00Z'));
  await makeBook('a', 'title: Alpha\nauthors: [Bruno Díaz, Eve Ng]\nlang: es\n', '# Uno\n\nTexto.\n', path.join(folder, 'Cœur d’été.epub'), new Date('2024-01-01T00:00:00Z'), 'kobo');
  await makeBook('m', 'title: Middle\nauthor: Carla\n', '# One\n\nText.\n', path.join(folder, 'sub', 'middle.epub'), new Date('2024-02-02T00:00:00Z'));
  // Outside the folder, and the ways a request could reach it.
  fs.copyFileSync(path.join(folder, 'zebra.epub'), path.join(dir, 'secret.epub'));
  fs.symlinkSync(path.join(dir, 'secret.epub'), path.join(folder, 'link.epub'));
  fs.symlinkSync(dir, path.join(folder, 'up'));
  fs.copyFileSync(path.join(folder, 'zebra.epub'), path.join(folder, '.hidden.epub'));
  // Not a zip at all: still in the catalog, under its file name.
  fs.writeFileSync(path.join(folder, 'broken.epub'), 'not a zip');
  fs.utimesSync(path.join(folder, 'broken.epub'), new Date('2023-01-01T00:00:00Z'), new Date('2023-01-01T00:00:00Z'));
  server = await serve({ folder, port: 0, pageSize: 2 });
});
after(async () => server?.close());

describe('quire serve: the OPDS 1.2 catalog', () => {
  it('starts at /opds with a navigation feed to the acquisition feeds, and search', async () => {
    const res = await get(`${server.url}/opds`);
    assert.equal(res.headers.get('content-type'), NAV);
    const root = await feed(`${server.url}/opds`);
    assert.deepEqual(link(root.Links, 'start').map((l) => [l.Href, l.Type]), [['/opds', NAV]]);
    assert.deepEqual(link(root.Links, 'self').map((l) => l.Type), [NAV]);
    assert.deepEqual(link(root.Links, 'search').map((l) => [l.Href, l.Type]), [['/opds/opensearch.xml', 'application/opensearchdescription+xml']]);
    assert.deepEqual(link(root.Links, 'alternate').map((l) => [l.Href, l.Type]), [['/opds/v2', 'application/opds+json']]);
    assert.deepEqual(root.Entries!.map((e) => [e.Title, e.Links[0]!.Rel, e.Links[0]!.Href, e.Links[0]!.Type]), [
      ['Newest first', 'http://opds-spec.org/sort/new', '/opds/new', ACQ],
      ['By title', 'subsection', '/opds/title', ACQ],
    ]);
  });

  it('lists the newest first, in pages that link to each other; only the books inside the folder', async () => {
    const first = await feed(`${server.url}/opds/new`);
    assert.equal(first.OpensearchTotalResults, 4, 'the symbolic link out and the dot file are not books of the folder');
    assert.equal(first.OpensearchItemsPerPage, 2);
    assert.deepEqual(first.Entries!.map((e) => e.Title), ['Zèbre et lune', 'Middle']);
    const next = link(first.Links, 'next')[0]!;
    assert.equal(next.Type, ACQ);
    assert.equal(link(first.Links, 'previous').length, 0);
    const second = await feed(new URL(next.Href, `${server.url}/opds/new`).href);
    assert.deepEqual(second.Entries!.map((e) => e.Title), ['Alpha', 'broken']);
    assert.deepEqual(second.Entries![1]!.Links.map((l) => [l.Rel, l.Href, l.Type]), [[ACQUISITION, '/books/broken.epub', 'application/epub+zip']], 'a file that is no readable EPUB is still offered');
    assert.equal(link(second.Links, 'next').length, 0);
    assert.equal(new URL(link(second.Links, 'previous')[0]!.Href, server.url).pathname, '/opds/new');
    assert.equal(link(second.Links, 'first')[0]!.Href, '/opds/new');
    assert.equal(link(second.Links, 'last')[0]!.Href, '/opds/new?page=2');
  });

  it('describes each book: title, authors, language, summary, date, cover, thumbnail and its files', async () => {
    const res = await get(`${server.url}/opds/title`);
    assert.equal(res.headers.get('content-type'), ACQ);
    const byTitle = await feed(`${server.url}/opds/title`);
    assert.deepEqual(byTitle.Entries!.map((e) => e.Title), ['Alpha', 'broken']);
    const alpha = byTitle.Entries![0]!;
    assert.deepEqual(alpha.Authors!.map((a) => a.Name), ['Bruno Díaz', 'Eve Ng']);
    assert.equal(alpha.DcLanguage, 'es');
    assert.equal(alpha.Updated.toISOString(), '2024-01-01T00:00:00.000Z');
    assert.deepEqual(link(alpha.Links, ACQUISITION).map((l) => [l.Href, l.Type]), [
      ['/books/C%C5%93ur%20d%E2%80%99%C3%A9t%C3%A9.epub', 'application/epub+zip'],
      ['/books/C%C5%93ur%20d%E2%80%99%C3%A9t%C3%A9.kepub.epub', 'application/kepub+zip'],
    ]);
    assert.deepEqual(link(alpha.Links, 'http://opds-spec.org/image').map((l) => l.Type), ['image/png']);
    assert.deepEqual(link(alpha.Links, 'http://opds-spec.org/image/thumbnail').map((l) => l.Type), ['image/jpeg']);
    const zebra = (await feed(`${server.url}/opds/new`)).Entries![0]!;
    assert.equal(zebra.Summary, 'Une histoire de zèbres.');
    assert.equal(zebra.DcLanguage, 'fr');
    assert.deepEqual(zebra.Authors!.map((a) => a.Name), ['Ana Lima']);
  });

  it('searches by title or author through its OpenSearch description, case and accents aside', async () => {
    const description = await get(`${server.url}/opds/opensearch.xml`);
    assert.equal(description.headers.get('content-type'), 'application/opensearchdescription+xml');
    const doc = new DOMParser().parseFromString(description.body.toString('utf8'), 'application/xml');
    const url = doc.getElementsByTagNameNS('http://a9.com/-/spec/opensearch/1.1/', 'Url')[0]!;
    assert.equal(url.getAttribute('type'), ACQ);
    const template = url.getAttribute('template')!;
    assert.match(template, /\{searchTerms\}/);
    const find = async (terms: string) => (await feed(template.replace('{searchTerms}', encodeURIComponent(terms)))).Entries?.map((e) => e.Title) ?? [];
    assert.deepEqual(await find('LIMA'), ['Zèbre et lune']);
    assert.deepEqual(await find('diaz'), ['Alpha']);
    assert.deepEqual(await find('zebre'), ['Zèbre et lune']);
    assert.deepEqual(await find('nobody'), []);
  });

  it('writes feeds that are valid against the OPDS 1.2 schema (jing), with and without a token in the links', { skip: !hasJing && 'no jing' }, async () => {
    const guarded = await serve({ folder, port: 0, pageSize: 2, token: 'a b&c' });
    const out = tempDir('quire-opds-');
    const files: string[] = [];
    try {
      const urls = ['/opds', '/opds/new', '/opds/new?page=2', '/opds/title', '/opds/title?page=2', '/opds/search?q=lima', '/opds/search?q=nothing'];
      for (const [i, u] of urls.entries()) {
        for (const [j, base] of [`${server.url}${u}`, `${guarded.url}${u}${u.includes('?') ? '&' : '?'}token=a%20b%26c`].entries()) {
          const res = await get(base);
          assert.equal(res.status, 200, base);
          const file = path.join(out, `feed-${i}-${j}.xml`);
          fs.writeFileSync(file, res.body);
          files.push(file);
        }
      }
    } finally {
      await guarded.close();
    }
    const schema = path.join(ROOT, 'test', 'opds', 'opds-1.2.rnc');
    const result = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(JING, ['-c', schema, ...files], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, output: `${stdout}${stderr}`.split('\n').filter((l) => l && !l.startsWith('[warning]')).join('\n') })),
    );
    assert.equal(result.output, '', 'jing reports nothing');
    assert.equal(result.code, 0);
    // The schema does refuse what the spec forbids: an entry without an id, HTML in a summary.
    const bad = path.join(out, 'bad.xml');
    fs.writeFileSync(bad, fs.readFileSync(files[2]!, 'utf8').replace(/<summary type="text">/, '<summary type="html">').replace(/\n    <id>[^<]*<\/id>/, ''));
    const refused = await new Promise<string>((resolve) => execFile(JING, ['-c', schema, bad], (_err, stdout, stderr) => resolve(`${stdout}${stderr}`)));
    assert.match(refused, /must be equal to "text"/);
    assert.match(refused, /missing required element "id"/);
  });

  it('serves the same books as OPDS 2.0', async () => {
    const res = await get(`${server.url}/opds/v2`);
    assert.equal(res.headers.get('content-type'), 'application/opds+json');
    const parsed = TaJsonDeserialize(JSON.parse(res.body.toString('utf8')), OPDSFeed);
    assert.equal(parsed.Metadata.NumberOfItems, 4);
    assert.deepEqual(parsed.Publications.map((p: { Metadata: { Title: string } }) => p.Metadata.Title), ['Zèbre et lune', 'Middle']);
    const links = parsed.Publications[0].Links.map((l: { Rel: string[]; TypeLink: string }) => [l.Rel, l.TypeLink]);
    assert.deepEqual(links, [[[ACQUISITION], 'application/epub+zip']]);
  });
});

describe('quire serve: files', () => {
  it('downloads every acquisition link byte for byte, with its type and a Unicode file name', async () => {
    let count = 0;
    for (let page = 1; page <= 2; page++) {
      for (const entry of (await feed(`${server.url}/opds/title?page=${page}`)).Entries!) {
        for (const l of link(entry.Links, ACQUISITION)) {
          const res = await get(new URL(l.Href, server.url).href);
          const rel = decodeURIComponent(l.Href.slice('/books/'.length));
          assert.ok(res.body.equals(fs.readFileSync(path.join(folder, rel))), `${rel} is the file`);
          assert.equal(res.headers.get('content-type'), l.Type);
          assert.equal(res.headers.get('content-disposition'), contentDisposition(path.basename(rel)));
          count++;
        }
      }
    }
    assert.equal(count, 5);
    assert.equal(contentDisposition('Cœur d’été.epub'), `attachment; filename="C_ur d_ete.epub"; filename*=UTF-8''C%C5%93ur%20d%E2%80%99%C3%A9t%C3%A9.epub`);
    assert.equal(contentDisposition('book.epub'), 'attachment; filename="book.epub"');
  });

  it('answers ranges, and validators with 304', async () => {
    const file = fs.readFileSync(path.join(folder, 'zebra.epub'));
    const url = `${server.url}/books/zebra.epub`;
    const part = await get(url, { range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${file.length}`);
    assert.ok(part.body.equals(file.subarray(100, 200)));
    const tail = await get(url, { range: 'bytes=-50' });
    assert.ok(tail.body.equals(file.subarray(file.length - 50)));
    const open = await get(url, { range: `bytes=${file.length - 10}-` });
    assert.ok(open.body.equals(file.subarray(file.length - 10)));
    assert.equal((await get(url, { range: `bytes=${file.length}-` })).status, 416);
    const whole = await get(url);
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    const etag = whole.headers.get('etag')!;
    assert.equal((await get(url, { 'if-none-match': etag })).status, 304);
    assert.equal((await get(url, { 'if-modified-since': whole.headers.get('last-modified')! })).status, 304);
    const stale = await get(url, { range: 'bytes=0-9', 'if-range': '"other"' });
    assert.equal(stale.status, 200, 'a range of an older version is answered with the whole file');
    assert.ok(stale.body.equals(file));
  });

  it('serves the cover as it is in the book, and a JPEG thumbnail', async () => {
    const entry = (await feed(`${server.url}/opds/new`)).Entries![0]!;
    const cover = await get(new URL(link(entry.Links, 'http://opds-spec.org/image')[0]!.Href, server.url).href);
    const book = await openEpub(fs.readFileSync(path.join(folder, 'zebra.epub')));
    assert.ok(cover.body.equals(await book.bytes('OEBPS/cover.png')));
    assert.equal(cover.headers.get('content-type'), 'image/png');
    const thumb = await get(new URL(link(entry.Links, 'http://opds-spec.org/image/thumbnail')[0]!.Href, server.url).href);
    assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual([...thumb.body.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  });

  it('never leaves the folder: `..`, encoded or not, symbolic links and dot files are 404', async () => {
    const attempts = [
      '/books/../secret.epub',
      '/books/%2e%2e/secret.epub',
      '/books/..%2fsecret.epub',
      '/books/%2E%2E%2Fsecret.epub',
      '/books/sub/..%2f..%2fsecret.epub',
      '/books/%252e%252e%252fsecret.epub',
      '/books/..%5csecret.epub',
      '/books/link.epub',
      '/books/up/secret.epub',
      '/books/.hidden.epub',
      '/books/%00zebra.epub',
      '/books/%E0%A4%A.epub',
      '/books//etc/passwd',
      '/covers/..%2fsecret',
      '/read?book=../secret',
    ];
    for (const attempt of attempts) assert.equal(await rawGet(server.url, attempt), 404, attempt);
    assert.equal(await rawGet(server.url, '/opds', 'books.attacker.example'), 403, 'a loopback server answers only requests for localhost (DNS rebinding)');
    assert.equal(await rawGet(server.url, '/opds', `localhost:${server.port}`), 200);
    assert.equal(await rawGet(server.url, '/opds', `[::1]:${server.port}`), 200);
    assert.equal(await rawGet(server.url, '/books/sub/middle.epub'), 200, 'a book in a subfolder is served');
  });
});

describe('quire serve --token', () => {
  let guarded: Server;
  before(async () => {
    guarded = await serve({ folder, port: 0, token: 's3cret' });
  });
  after(async () => guarded?.close());

  it('asks for the token by basic auth, and takes it as the password or in the URL', async () => {
    const none = await get(`${guarded.url}/opds`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate')!, /^Basic realm="quire"/);
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
    assert.equal((await get(`${guarded.url}/opds`, basic('koreader', 'wrong'))).status, 401);
    assert.equal((await get(`${guarded.url}/books/zebra.epub`)).status, 401);
    assert.equal((await get(`${guarded.url}/opds`, basic('koreader', 's3cret'))).status, 200);
    // An app that only keeps the URL: every link of the feed carries the token on.
    const viaUrl = await feed(`${guarded.url}/opds/new?token=s3cret`);
    const acquisition = link(viaUrl.Entries![0]!.Links, ACQUISITION)[0]!;
    assert.match(acquisition.Href, /\?token=s3cret$/);
    const download = await get(new URL(acquisition.Href, guarded.url).href);
    assert.equal(download.status, 200);
    assert.ok(download.body.equals(fs.readFileSync(path.join(folder, 'zebra.epub'))));
  });
});

describe('quire serve on the command line', () => {
  it('with --host, prints the catalog URL (with the token) and a QR code of it; the URL works', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', folder, '--host', '127.0.0.1', '--port', '0', '--token', 'tok en'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    try {
      for (let i = 0; i < 400 && !/Ctrl-C/.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/opds\?token=tok%20en)$/m.exec(stdout)?.[1];
      assert.ok(url, stdout);
      assert.match(stdout, /catalog: http:\/\/127\.0\.0\.1:\d+\/opds  \(user: any, password: the token\)/);
      const qr = stdout.split('\n').filter((l) => /^[ █▀▄]+$/.test(l) && l.length > 20);
      assert.ok(qr.length >= 10, `a QR code is printed:\n${stdout}`);
      assert.equal(new Set(qr.map((l) => [...l].length)).size, 1, 'every line of the QR code is as wide');
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), NAV);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('says so when the port is taken', async () => {
    const r = await runCli(['serve', folder, '--port', String(server.port)], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /quire: error: cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
  });
});
