// Feeds, imports and digests, against a real HTTP server on loopback: every feed format, malformed feeds
// (bad XML, entities in titles, relative links, missing dates, duplicate guids, 20 MB, a redirect, gzip),
// runs repeated (nothing added twice), export files written from the formats' public descriptions, an
// import of 2,000 links killed half way and restarted, and a digest book checked by EPUBCheck.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CLI, epubcheck, openEpub, problems, runCli, startServer, tempDir } from './helpers.js';

let server: Awaited<ReturnType<typeof startServer>>;
let base = '';
const hits = new Map<string, number>();
const notModified = new Map<string, number>();
let active = 0;
let maxActive = 0;
/** Extra items the "growing" feed has (a test adds one). */
let growing = 2;

const LONG = '<p>' + 'The harbour wall was rebuilt in stone after the storm of that winter, and the town paid for it. '.repeat(6) + '</p>';
const page = (title: string) => `<!DOCTYPE html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>${LONG}${LONG}</article></body></html>`;

function rss(items: string, title = 'Harbour News'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${title}</title><link>${base}/</link>${items}</channel></rss>`;
}

function rssItem(n: number, opts: { date?: string; content?: boolean; guid?: string } = {}): string {
  return `<item><title>Item ${n}</title><link>${base}/page/${n}</link><guid>${opts.guid ?? `rss-${n}`}</guid>${opts.date === undefined ? `<pubDate>Tue, ${String(n).padStart(2, '0')} Dec 2026 10:00:00 GMT</pubDate>` : opts.date}<dc:creator>Ann Author</dc:creator><category>boats</category><category>town</category><description>Short summary ${n}</description>${opts.content === false ? '' : `<content:encoded><![CDATA[<p>Full text of item ${n} with <img src="/img/red.png" alt="red"> a picture.</p>]]></content:encoded>`}</item>`;
}

/** A lazy-load plugin's placeholder: a transparent pixel, the real image in `data-lazy-src` or `data-src`. */
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
/** A WordPress post as its feed gives it: lazy images with their `<noscript>` copies, a lazy YouTube frame. */
const LAZY_POST = `<p>The new harbour wall, photographed from the pier at low tide on the first calm morning.</p><figure class="wp-block-image"><img src="${PIXEL}" data-lazy-src="uploads/wall.png" data-lazy-srcset="uploads/wall.png 1024w, uploads/wall-300.png 300w" alt="The wall at low tide" width="1024" height="683"><noscript><img src="uploads/wall.png" alt="The wall at low tide" width="1024" height="683"></noscript></figure><p>The pier from the water:</p><noscript><img src="uploads/pier.png" alt="The pier"></noscript><p><img src="uploads/gull.png" alt="A gull on the wall"></p><noscript><img src="uploads/tern.png" alt="A tern on the pier"></noscript><p>The storm that broke the old wall:</p><iframe title="Storm footage" width="560" height="315" src="about:blank" data-lazy-src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" allowfullscreen></iframe>`;
/** A post with a lazy image (`data-src`, the `lazysizes` way), one in a folded block, and tabs. */
const TIDES_POST = `<p>The tide tables for the season, as the harbour master posts them.</p><p><img src="${PIXEL}" data-src="uploads/chart.png" class="lazyload" alt="Tide chart"></p><details><summary>Spring tides</summary><p>High water at six.</p><img src="${PIXEL}" data-src="uploads/spring.png" class="lazyload" alt="Spring tide chart"></details><div role="tablist"><button role="tab">Neaps</button><button role="tab">Springs</button></div><div role="tabpanel"><p>Low range.</p></div><div role="tabpanel" hidden><p>High range.</p></div>`;

/**
 * A FeedBurner item of a WordPress.com blog: its pictures, a small icon of no stated size, a lazy image
 * whose stand-in is declared 1×1, then the counters (FeedBurner's pixel and flare, WordPress.com's stats,
 * the blog's own pixels declared 1×1 by attributes, by style, or 0×0).
 */
const COUNTED_POST = `<p>The buoy was moved to the mouth of the harbour, where the channel is deepest at low water.</p><p><img src="uploads/buoy.png" alt="The new buoy"></p><p><img src="uploads/lead.png" width="570" height="0" alt="The channel"></p><p>Crossing times <img src="uploads/wave-icon.png" alt="wave"> are in the tide table.</p><p><img src="${PIXEL}" data-src="uploads/mouth.png" width="1" height="1" class="lazyload" alt="The harbour mouth"></p><div class="feedflare"><a href="http://feeds.feedburner.com/~ff/HarbourNews?a=abc:def"><img src="http://feeds.feedburner.com/~ff/HarbourNews?d=yIl2AUoC8zA" border="0"></a></div><img src="http://feeds.feedburner.com/~r/HarbourNews/~4/abcdef" height="1" width="1" alt=""/><img alt="" border="0" src="https://pixel.wp.com/b.gif?host=harbour.example&amp;blog=1&amp;post=7&amp;feed=1" width="1" height="1" /><img src="/count/hit.png?post=7" width="1" height="1" alt=""><img src="/count/styled.png?post=7" style="width: 1px; height: 1px; border: 0" alt=""><img src="/count/zero.png?post=7" width="0" height="0" alt=""><img src="/count/hidden.png?post=7" style="display:none"><img src="/count/invisible.png?post=7" style="border: 0; visibility: hidden !important" alt=""><img src="/count/narrow.png?post=7" width="0"><img src="/count/attribute.png?post=7" hidden><p>The end.<img src="/count/spacer.gif"></p>`;

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2e4f0a60000000049454e44ae426082', 'hex');

function feeds(url: string): { type: string; body: string | Buffer; headers?: Record<string, string> } | undefined {
  if (url === '/rss') return { type: 'application/rss+xml', body: rss(rssItem(1) + rssItem(2)) };
  if (url === '/growing') return { type: 'application/rss+xml', body: rss(Array.from({ length: growing }, (_, i) => rssItem(i + 1, { guid: `grow-${i + 1}` })).join(''), 'Growing') };
  if (url === '/summary')
    return { type: 'application/rss+xml', body: rss(`<item><title>Summary only</title><link>${base}/page/s1</link><guid>s1</guid><description>just a teaser</description></item>`, 'Teasers') };
  if (url === '/flaky')
    return { type: 'application/rss+xml', body: rss(`<item><title>Comes back</title><link>${base}/gone-once</link><guid>flaky-1</guid><description>teaser</description></item>`, 'Flaky') };
  if (url === '/rdf')
    return {
      type: 'application/rdf+xml',
      body: `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel rdf:about="${base}/rdf"><title>RDF Weekly</title><link>${base}/</link></channel><item rdf:about="${base}/rdf/1"><title>RDF one</title><link>${base}/rdf/1</link><dc:date>2026-11-30T08:00:00Z</dc:date><dc:subject>science</dc:subject><content:encoded><![CDATA[<p>The RDF item's text.</p>]]></content:encoded></item></rdf:RDF>`,
    };
  if (url === '/atom')
    return {
      type: 'application/atom+xml',
      body: `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="${base}/blog/"><title type="html">Tom &amp;amp; Jerry's Blog</title><id>urn:atom</id><updated>2026-11-29T00:00:00Z</updated><entry><title type="html">Caf&amp;eacute; &amp;mdash; opening</title><link rel="alternate" href="cafe"/><id>urn:atom:1</id><updated>2026-11-29T00:00:00Z</updated><author><name>Bea</name></author><category term="food"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The café opens <a href="menu">with a menu</a>.</p></div></content></entry></feed>`,
    };
  if (url === '/json')
    return {
      type: 'application/feed+json',
      body: JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON Notes', home_page_url: `${base}/`, items: [{ id: 'j1', url: `${base}/j/1`, title: 'Json one', content_html: '<p>JSON item text.</p>', date_published: '2026-11-28T12:00:00Z', tags: ['notes'], authors: [{ name: 'Jo' }] }, { id: 'j2', url: `${base}/j/2`, title: 'Json two', content_text: 'Plain text item.\n\nSecond paragraph.' }] }),
    };
  if (url === '/bad-xml') return { type: 'application/rss+xml', body: '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>cut' };
  if (url === '/html-page') return { type: 'text/html', body: page('Not a feed') };
  if (url === '/odd')
    return {
      type: 'application/rss+xml',
      body: rss(`<item><title>Fish &amp;amp; chips &amp;#8211; a &lt;em&gt;history&lt;/em&gt;</title><link>/page/odd</link><guid>odd-1</guid><content:encoded><![CDATA[<p>Odd item.</p>]]></content:encoded></item><item><title>Twin A</title><link>${base}/page/twin-a</link><guid>twin</guid><content:encoded><![CDATA[<p>A.</p>]]></content:encoded></item><item><title>Twin B</title><link>${base}/page/twin-b</link><guid>twin</guid><content:encoded><![CDATA[<p>B.</p>]]></content:encoded></item>`, 'Odd &amp; Ends'),
    };
  if (url === '/lazy') return { type: 'application/rss+xml', body: rss(`<item><title>Harbour photos</title><link>${base}/blog/harbour-photos/</link><guid>lazy-1</guid><content:encoded><![CDATA[${LAZY_POST}]]></content:encoded></item>`, 'Lazy Press') };
  if (url === '/lazy-json')
    return { type: 'application/feed+json', body: JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Tide Notes', items: [{ id: 'tides', url: `${base}/blog/tides/`, title: 'Tides', content_html: TIDES_POST }] }) };
  if (url === '/framed')
    return { type: 'application/rss+xml', body: rss(`<item><title>Framed</title><link>${base}/blog/framed/</link><guid>framed-1</guid><content:encoded><![CDATA[<p>The regatta results, as the club posted them after the last race of the summer.</p><iframe src="https://googleads.g.doubleclick.net/pagead/ads?client=ca-pub-1" width="300" height="250"></iframe><iframe src="https://stats.example.net/count.html" width="1" height="1"></iframe><iframe src="https://datawrapper.dwcdn.net/AbCdE/1/" title="Results by boat" width="600" height="400"></iframe><embed src="https://ads.example.net/banner.swf"><p>The next race is in May.</p>]]></content:encoded></item>`, 'Regatta') };
  if (url === '/counted') return { type: 'application/rss+xml', body: rss(`<item><title>The buoy</title><link>${base}/blog/counted/</link><guid>counted-1</guid><content:encoded><![CDATA[${COUNTED_POST}]]></content:encoded></item>`, 'Harbour News') };
  if (url === '/unshown')
    return { type: 'application/rss+xml', body: rss(`<item><title>The slipway</title><link>${base}/blog/slipway/</link><guid>unshown-1</guid><content:encoded><![CDATA[<p>The slipway was resurfaced in the spring, and the club's boats went back in the water in May.</p><p><img src="uploads/slipway.png" alt="The slipway"></p><template><img src="unshown/template.png" alt="A template's picture"></template><p>Tell a friend: <button><img src="unshown/share.png" alt="Share"></button></p>]]></content:encoded></item>`, 'Harbour News') };
  if (url === '/moved') return { type: 'redirect', body: '/rss' };
  if (url === '/gzip') return { type: 'application/rss+xml', body: zlib.gzipSync(rss(rssItem(7), 'Zipped')), headers: { 'content-encoding': 'gzip' } };
  if (url === '/big') {
    const filler = `<p>${'x'.repeat(4900)}</p>`;
    const items = Array.from({ length: 4200 }, (_, i) => `<item><title>Big ${i}</title><link>${base}/big/${i}</link><guid>big-${i}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toUTCString()}</pubDate><content:encoded><![CDATA[${filler}]]></content:encoded></item>`).join('');
    return { type: 'application/rss+xml', body: rss(items, 'Big Feed') };
  }
  return undefined;
}

before(async () => {
  server = await startServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    active++;
    maxActive = Math.max(maxActive, active);
    res.on('close', () => active--);
    const f = feeds(url);
    if (f?.type === 'redirect') {
      res.writeHead(301, { location: String(f.body) });
      return res.end();
    }
    if (f) {
      const body = typeof f.body === 'string' ? Buffer.from(f.body) : f.body;
      const etag = `"${body.length}"`;
      if (req.headers['if-none-match'] === etag) {
        notModified.set(url, (notModified.get(url) ?? 0) + 1);
        res.writeHead(304);
        return res.end();
      }
      res.writeHead(200, { 'content-type': f.type, etag, ...f.headers });
      return res.end(body);
    }
    if (url === '/img/red.png' || /^\/blog\/[\w/-]+\.png$/.test(url) || url.startsWith('/count/')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(PNG);
    }
    if (url === '/gone-once') {
      res.writeHead(hits.get(url) === 1 ? 404 : 200, { 'content-type': 'text/html' });
      return res.end(hits.get(url) === 1 ? '' : page('Comes back'));
    }
    if (url === '/limited' && (hits.get(url) ?? 0) === 1) {
      res.writeHead(429, { 'retry-after': '1' });
      return res.end();
    }
    const m = /^\/(page|list|limited)\/?(.*)$/.exec(url) ?? (url === '/limited' ? ['', 'limited', ''] : null);
    if (m) {
      // A little slowness so requests overlap when they can.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(`Page ${m[2] || m[1]}`));
      }, 5);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  base = server.base;
});

after(() => server.close());

const add = (args: string[], cwd: string, env?: NodeJS.ProcessEnv) => runCli(['add', '--allow-private-network', '--delay', '0', ...args], { cwd, env });

function articles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of fs.readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) out.set(n, fs.readFileSync(path.join(dir, n), 'utf8'));
  return out;
}

describe('quire add --feed', () => {
  it('reads RSS 2.0 with full content: front matter per item, images kept; a second run adds nothing', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/rss`], cwd);
    assert.equal(r.code, 0, r.stderr);
    const got = articles(path.join(cwd, 'articles'));
    assert.equal(got.size, 2);
    const one = [...got.values()].find((t) => t.includes('title: Item 1'))!;
    assert.match(one, /^author: Ann Author$/m);
    assert.match(one, /^source: Harbour News$/m);
    assert.match(one, new RegExp(`^url: ${base}/page/1$`, 'm'));
    assert.match(one, /^date: 2026-12-01T10:00:00Z$/m);
    assert.match(one, /^tags:\n {2}- boats\n {2}- town$/m);
    assert.match(one, /Full text of item 1/);
    assert.match(one, /!\[red\]\(assets\/[^)]+\.png\)/);
    assert.equal(hits.get('/page/1'), undefined, 'an item with its full text is not fetched');
    const again = await add(['--feed', `${base}/rss`], cwd);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(articles(path.join(cwd, 'articles')).size, 2);
    // The feed's ETag was remembered: the server answered 304 and no page was asked for.
    assert.match(again.stdout, /^Harbour News: not changed since the last run$/m);
    assert.match(again.stdout, /^0 added, 0 saved before, 0 failed$/m);
    assert.equal(notModified.get('/rss'), 1);
    const forced = await add(['--feed', `${base}/rss`, '--force'], cwd);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^Harbour News: 2 new of 2$/m, '--force fetches the feed whole and saves its items again');
    assert.equal(articles(path.join(cwd, 'articles')).size, 2, 'in place');
  });

  it('a feed with one new item adds exactly that one', async () => {
    const cwd = tempDir();
    growing = 2;
    assert.equal((await add(['--feed', `${base}/growing`], cwd)).code, 0);
    growing = 3;
    const r = await add(['--feed', `${base}/growing`], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Growing: 1 new of 3/);
    assert.match(r.stdout, /^1 added, 2 saved before, 0 failed$/m);
    assert.equal(articles(path.join(cwd, 'articles')).size, 3);
  });

  it('reads RSS 1.0 (RDF), Atom and JSON Feed', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/rdf`, '--feed', `${base}/atom`, '--feed', `${base}/json`], cwd);
    assert.equal(r.code, 0, r.stderr);
    const all = [...articles(path.join(cwd, 'articles')).values()].join('\n=====\n');
    assert.match(all, /title: RDF one[^]*source: RDF Weekly[^]*tags:\n {2}- science/);
    assert.match(all, /The RDF item's text\./);
    // Atom: a double-escaped HTML title, xml:base-relative links.
    assert.match(all, /title: Café — opening/);
    assert.match(all, /source: Tom & Jerry's Blog/);
    assert.match(all, new RegExp(`url: ${base}/blog/cafe`));
    assert.match(all, new RegExp(`\\[with a menu\\]\\(<${base}/blog/menu>\\)`));
    assert.match(all, /title: Json one[^]*author: Jo[^]*source: JSON Notes[^]*tags:\n {2}- notes/);
    assert.match(all, /Plain text item\.\n\nSecond paragraph\./);
  });

  it('fetches and extracts the page of a summary-only item', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/summary`], cwd);
    assert.equal(r.code, 0, r.stderr);
    const [text] = [...articles(path.join(cwd, 'articles')).values()];
    assert.match(text!, /title: Summary only/);
    assert.match(text!, /The harbour wall was rebuilt/);
  });

  it('an item that failed is listed in the table and tried again next run (the feed is not taken as unchanged)', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/flaky`], cwd);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^quire: 1 not added:\nfrom +url +problem\nFlaky +http:\/\/127\.0\.0\.1:\d+\/gone-once +HTTP 404$/m);
    const again = await add(['--feed', `${base}/flaky`], cwd);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Flaky: 1 new of 1$/m);
    assert.equal(articles(path.join(cwd, 'articles')).size, 1);
  });

  it('malformed feeds give a clear error naming the feed, never a crash; the good feed is still added', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/bad-xml`, '--feed', `${base}/html-page`, '--feed', `${base}/nowhere`, '--feed', `${base}/rss`], cwd);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${base}/bad-xml +${base}/bad-xml +the feed is not well-formed XML or JSON`));
    assert.match(r.stderr, new RegExp(`${base}/html-page .*this is an HTML page, not a feed`));
    assert.match(r.stderr, new RegExp(`${base}/nowhere .*cannot fetch the feed: HTTP 404`));
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
    assert.equal(articles(path.join(cwd, 'articles')).size, 2);
  });

  it('entities in titles, relative links, missing dates and duplicate guids', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/odd`], cwd);
    assert.equal(r.code, 0, r.stderr);
    // Two different items with one guid are both saved (the second told apart by its link), every run the same.
    const got = [...articles(path.join(cwd, 'articles')).values()];
    assert.equal(got.length, 3);
    assert.ok(got.some((t) => t.includes('title: Twin A')) && got.some((t) => t.includes('title: Twin B')));
    const again = await add(['--feed', `${base}/odd`, '--force'], cwd);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(articles(path.join(cwd, 'articles')).size, 3);
    const odd = got.find((t) => t.includes('Odd item'))!;
    assert.match(odd, /title: Fish & chips – a history/);
    assert.match(odd, new RegExp(`url: ${base}/page/odd`));
    assert.doesNotMatch(odd, /^date:/m);
    assert.match(odd, /^archived: /m);
  });

  it("an item's full text goes through the page's rules: lazy images' real sources, noscript images once, a lazy frame's video, a folded block, tabs", async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/lazy`, '--feed', `${base}/lazy-json`], cwd);
    assert.equal(r.code, 0, r.stderr);
    const got = [...articles(path.join(cwd, 'articles')).values()];
    const post = got.find((t) => t.includes('title: Harbour photos'))!;
    const tides = got.find((t) => t.includes('title: Tides'))!;
    // The real pictures, resolved against the item's link, were fetched; the placeholder pixel was not saved.
    for (const image of ['/blog/harbour-photos/uploads/wall.png', '/blog/harbour-photos/uploads/pier.png', '/blog/harbour-photos/uploads/gull.png', '/blog/harbour-photos/uploads/tern.png', '/blog/tides/uploads/chart.png', '/blog/tides/uploads/spring.png']) assert.equal(hits.get(image), 1, image);
    assert.equal(hits.get('/blog/harbour-photos/uploads/wall-300.png'), undefined, 'the widest of the srcset');
    assert.deepEqual(fs.readdirSync(path.join(cwd, 'articles', 'assets'), { recursive: true }).filter((f) => /\.gif$/.test(String(f))), []);
    assert.doesNotMatch(got.join('\n'), /data:image|\.gif\)/);
    // The lazy image and its <noscript> copy are one picture; an image only in a <noscript> is kept.
    assert.equal(post.match(/!\[The wall at low tide\]\(assets\/[^)]+\.png\)/g)?.length, 1, post);
    assert.match(post, /^The pier from the water:\n\n!\[The pier\]\(assets\/[^)]+\.png\)\n\n!\[A gull on the wall\]\(assets\/[^)]+\.png\)\n\n!\[A tern on the pier\]\(assets\/[^)]+\.png\)$/m, 'a <noscript> picture after a paragraph holding another is kept');
    // The lazy frame is a link to the video, with its title.
    assert.match(post, /^\[!\[Video: Storm footage\]\((<https:\/\/img\.youtube\.com\/vi\/dQw4w9WgXcQ\/hqdefault\.jpg>|assets\/[^)]+\.jpg)\)\]\(<https:\/\/www\.youtube\.com\/watch\?v=dQw4w9WgXcQ>\)$/m);
    assert.match(tides, /^!\[Tide chart\]\(assets\/[^)]+\.png\)$/m);
    assert.match(tides, /^<details>\n<summary>Spring tides<\/summary>\n\nHigh water at six\.\n\n!\[Spring tide chart\]\(assets\/[^)]+\.png\)\n\n<\/details>$/m);
    // Each tab's panel under its tab's label, as on a page.
    assert.match(tides, /^\*\*Neaps\*\*\n\nLow range\.\n\n\*\*Springs\*\*\n\nHigh range\.$/m);
  });

  it("an item's advertising and tracking frames go, as a page's article loses them; a chart's frame is a link", async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/framed`], cwd);
    assert.equal(r.code, 0, r.stderr);
    const [text] = [...articles(path.join(cwd, 'articles')).values()];
    assert.match(text!, /^The regatta results, as the club posted them after the last race of the summer\.\n\n\[Embedded: Results by boat\]\(<https:\/\/datawrapper\.dwcdn\.net\/AbCdE\/1\/>\)\n\nThe next race is in May\.$/m);
    assert.doesNotMatch(text!, /doubleclick|stats\.example|ads\.example/);
  });

  it("leaves out an item's counters (FeedBurner's, WordPress.com's, images declared 1×1 or 0 wide, hidden ones) and a spacer, without fetching them; keeps a small icon, a lazy image and one 0 high (its page's automatic height)", async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/counted`], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'a counter is not content: nothing is said of it');
    assert.match(r.stdout, /with 1 image/, 'three pictures of the same bytes: one file');
    const [text] = [...articles(path.join(cwd, 'articles')).values()];
    const body = text!.slice(text!.indexOf('\n---\n') + 5).replace(/\(assets\/[^)]+\.png\)/g, '(file)').trim();
    assert.equal(body, 'The buoy was moved to the mouth of the harbour, where the channel is deepest at low water.\n\n![The new buoy](file)\n\n![The channel](file)\n\nCrossing times ![wave](file) are in the tide table.\n\n![The harbour mouth](file)\n\nThe end.');
    for (const image of ['/blog/counted/uploads/buoy.png', '/blog/counted/uploads/lead.png', '/blog/counted/uploads/wave-icon.png', '/blog/counted/uploads/mouth.png']) assert.equal(hits.get(image), 1, image);
    assert.deepEqual([...hits.keys()].filter((u) => u.startsWith('/count/')), [], 'no counter asked');
    assert.equal(fs.readdirSync(path.join(cwd, 'articles', 'assets'), { recursive: true }).filter((f) => /\./.test(String(f))).length, 1);
  });

  it("saves exactly the pictures an item's Markdown shows: not one in a <template> or a button", async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/unshown`], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /with 1 image/);
    const [text] = [...articles(path.join(cwd, 'articles')).values()];
    assert.match(text!, /\n\nThe slipway was resurfaced in the spring, and the club's boats went back in the water in May\.\n\n!\[The slipway\]\(assets\/[^)]+\.png\)\n\nTell a friend:\n$/);
    assert.equal(hits.get('/blog/slipway/uploads/slipway.png'), 1);
    assert.deepEqual([...hits.keys()].filter((u) => u.startsWith('/blog/slipway/unshown/')), [], 'no image the Markdown does not show is asked for');
    assert.equal(fs.readdirSync(path.join(cwd, 'articles', 'assets'), { recursive: true }).filter((f) => /\./.test(String(f))).length, 1);
  });

  it('follows a redirecting feed, reads a gzip one, and bounds a 20 MB one with --max', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/moved`, '--feed', `${base}/gzip`, '--feed', `${base}/big`, '--max', '2'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Harbour News: 2 new of 2/);
    assert.match(r.stdout, /Zipped: 1 new of 1/);
    assert.match(r.stdout, /Big Feed: 2 new of 4200/);
    const titles = [...articles(path.join(cwd, 'articles')).values()].map((t) => /^title: (.*)$/m.exec(t)![1]).sort();
    assert.deepEqual(titles, ['Big 4198', 'Big 4199', 'Item 1', 'Item 2', 'Item 7']);
    assert.ok(Buffer.byteLength(feeds('/big')!.body as string) > 20 * 1024 * 1024);
  });

  it('--since leaves older items alone; undated ones are taken', async () => {
    const cwd = tempDir();
    const r = await add(['--feed', `${base}/rss`, '--since', '2026-12-02'], cwd);
    assert.equal(r.code, 0, r.stderr);
    const titles = [...articles(path.join(cwd, 'articles')).values()].map((t) => /^title: (.*)$/m.exec(t)![1]);
    assert.deepEqual(titles, ['Item 2']);
    const bad = await add(['--feed', `${base}/rss`, '--since', 'yesterday'], cwd);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since yesterday: write a date/);
  });

  it('feeds: in book.yaml is read by --feeds; an unknown key stays an error', async () => {
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'articles'));
    fs.writeFileSync(path.join(cwd, 'articles', 'book.yaml'), `title: Mine\nfeeds:\n  - ${base}/json\n`);
    const r = await add(['--feeds'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(articles(path.join(cwd, 'articles')).size, 2);
    fs.writeFileSync(path.join(cwd, 'articles', 'book.yaml'), `feeds:\n  - not a url\n`);
    const bad = await add(['--feeds'], cwd);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /book\.yaml:2:5: error: `feeds` entries must be http:\/\/ or https:\/\/ URLs \[config-value\]/);
  });
});

describe('politeness', () => {
  it('at most 2 requests at a time to one host; Retry-After is honoured', async () => {
    const cwd = tempDir();
    const list = Array.from({ length: 12 }, (_, i) => `${base}/list/${i}`).join('\n') + `\n${base}/limited\n`;
    fs.writeFileSync(path.join(cwd, 'links.txt'), list);
    maxActive = 0;
    active = 0;
    hits.delete('/limited');
    const r = await add(['--import', 'links.txt'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(articles(path.join(cwd, 'articles')).size, 13);
    assert.ok(maxActive <= 2, `at most 2 at a time (saw ${maxActive})`);
    assert.equal(hits.get('/limited'), 2, 'asked again after the 429');
  });
});

describe('quire add --import', () => {
  const t1 = 1700000000; // 2023-11-14T22:13:20Z
  const iso = '2023-11-14T22:13:20Z';
  const formats: [string, string, (b: string) => string][] = [
    ['pocket.csv', 'pocket-csv', (b) => `title,url,time_added,tags,status\n"Page, one",${b}/page/p1,${t1},news|long read,unread\n`],
    ['ril_export.html', 'pocket-html', (b) => `<!DOCTYPE html>\n<html><head><title>Pocket Export</title></head><body>\n<h1>Unread</h1>\n<ul>\n<li><a href="${b}/page/p1" time_added="${t1}" tags="news,long read">Page one</a></li>\n</ul>\n</body></html>\n`],
    ['instapaper.csv', 'instapaper-csv', (b) => `URL,Title,Selection,Folder,Timestamp,Tags\n${b}/page/p1,Page one,,long read,${t1},"[""news""]"\n`],
    ['bookmarks.html', 'bookmarks-html', (b) => `<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n<DT><A HREF="${b}/page/p1" ADD_DATE="${t1}" TAGS="news,long read">Page one</A>\n<DT><A HREF="javascript:void(0)">bookmarklet</A>\n<DT><A HREF="ftp://example.org/file">old file</A>\n</DL><p>\n`],
    ['wallabag.json', 'json', (b) => JSON.stringify([{ id: 1, title: 'Page one', url: `${b}/page/p1`, tags: ['news', 'long read'], created_at: '2023-11-14T23:13:20+01:00', content: '<p>Saved text from Wallabag.</p>' }])],
    ['pinboard.json', 'json', (b) => JSON.stringify([{ href: `${b}/page/p1`, description: 'Page one', extended: '', meta: 'm', hash: 'h', time: '2023-11-14T22:13:20Z', shared: 'no', toread: 'yes', tags: 'news long_read' }])],
    ['omnivore.json', 'json', (b) => JSON.stringify([{ id: 'x', slug: 'page-one', title: 'Page one', url: `${b}/page/p1`, state: 'Active', labels: ['news', 'long read'], savedAt: '2023-11-14T22:13:20.000Z' }])],
  ];
  for (const [name, format, write] of formats) {
    it(`imports ${format} (${name}) with its tags and saved time`, async () => {
      const cwd = tempDir();
      fs.writeFileSync(path.join(cwd, name), write(base));
      const r = await add(['--import', name], cwd);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${name.replace('.', '\\.')}: 1 link \\(${format}\\)`));
      const [text] = [...articles(path.join(cwd, 'articles')).values()];
      assert.match(text!, name === 'pinboard.json' ? /^tags:\n {2}- news\n {2}- long_read$/m : /^tags:\n {2}- news\n {2}- long read$/m);
      assert.match(text!, new RegExp(`^saved: ${iso}$`, 'm'));
      assert.match(text!, new RegExp(`^url: ${base}/page/p1$`, 'm'));
      if (name === 'bookmarks.html') assert.match(r.stderr, /^bookmarks\.html:8:1: warning: not a web address: ftp:\/\/example\.org\/file; left out \[import-entry\]$/m);
      if (name === 'wallabag.json') assert.match(text!, /Saved text from Wallabag\./);
      else assert.match(text!, /The harbour wall was rebuilt/);
    });
  }

  it('a file of no known format is an error naming it', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'notes.txt'), 'just some words\nand more\n');
    const r = await add(['--import', 'notes.txt'], cwd);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /notes\.txt: error: not an export quire knows .* \[import-unreadable\]/);
  });

  it('an import of 2,000 links killed half way and restarted ends with every article exactly once', async () => {
    const cwd = tempDir();
    const N = 2000;
    fs.writeFileSync(path.join(cwd, 'links.txt'), Array.from({ length: N }, (_, i) => `${base}/page/k${i}`).join('\n') + '\n');
    const child = spawn(process.execPath, [CLI, 'add', '--allow-private-network', '--delay', '0', '--import', 'links.txt', '-q'], { cwd, stdio: 'ignore' });
    const dir = path.join(cwd, 'articles');
    // Killed once some hundreds are saved: the log is appended as each article is written.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        let n = 0;
        try {
          n = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).length;
        } catch {
          // not yet
        }
        if (n >= 400) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.on('exit', r) : r(null)));
    const partial = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).length;
    assert.ok(partial < N, `killed before the end (${partial} saved)`);
    const r = await add(['--import', 'links.txt', '-q'], cwd);
    assert.equal(r.code, 0, r.stderr);
    const urls = [...articles(dir).values()].map((t) => /^url: (.*)$/m.exec(t)![1]!);
    assert.equal(urls.length, N);
    assert.equal(new Set(urls).size, N);
  });
});

describe('quire digest', () => {
  it('builds output/digest-DATE.epub grouped by feed, newest first; EPUBCheck 0/0; same inputs, same bytes', async () => {
    const make = async () => {
      const cwd = tempDir();
      fs.mkdirSync(path.join(cwd, 'articles'));
      fs.writeFileSync(path.join(cwd, 'articles', 'book.yaml'), `title: Morning Paper\nfeeds:\n  - ${base}/rss\n  - ${base}/json\n`);
      fs.writeFileSync(path.join(cwd, 'articles', 'old.md'), '# An older article\n\nNot from a feed.\n');
      // A broken article that is not the day's is not the digest's problem.
      fs.writeFileSync(path.join(cwd, 'articles', 'broken.md'), '---\ntitle: [unclosed\n---\n\nText.\n');
      const env = { ...process.env, SOURCE_DATE_EPOCH: String(Date.UTC(2026, 11, 2, 6) / 1000) };
      const r = await runCli(['digest', '--allow-private-network', '--delay', '0', '--no-cache'], { cwd, env });
      return { cwd, r };
    };
    const a = await make();
    assert.equal(a.r.code, 0, a.r.stderr);
    const file = path.join(a.cwd, 'output', 'digest-2026-12-02.epub');
    assert.ok(fs.existsSync(file), a.r.stdout);
    const check = await epubcheck(file);
    assert.equal(check.errors + check.warnings, 0, problems(check));
    const epub = await openEpub(fs.readFileSync(file));
    const nav = await epub.text(epub.names.find((f) => f.endsWith('toc.xhtml'))!);
    assert.match(nav!, /<li><span>Harbour News<\/span>\n\s*<ol>\n\s*<li><a href="[^"]+">Item 2<\/a><\/li>\n\s*<li><a href="[^"]+">Item 1<\/a><\/li>\n\s*<\/ol>/);
    // Json two is undated: it counts as of the time it was saved, later than Json one's date.
    assert.match(nav!, /<li><span>JSON Notes<\/span>\n\s*<ol>\n\s*<li><a href="[^"]+">Json two<\/a><\/li>\n\s*<li><a href="[^"]+">Json one<\/a><\/li>/);
    assert.ok(nav!.indexOf('Harbour News') < nav!.indexOf('JSON Notes'), 'feeds in book.yaml order');
    assert.doesNotMatch(nav!, /An older article/);
    const opf = await epub.text(epub.names.find((f) => f.endsWith('.opf'))!);
    assert.match(opf, /<dc:title id="title">Morning Paper 2026-12-02<\/dc:title>/);
    const b = await make();
    assert.equal(b.r.code, 0, b.r.stderr);
    assert.ok(fs.readFileSync(path.join(b.cwd, 'output', 'digest-2026-12-02.epub')).equals(fs.readFileSync(file)), 'same bytes');
    assert.doesNotMatch(a.r.stderr, /broken\.md/);
    // Rebuilt later from what was saved, without the network: the same book.
    fs.rmSync(file);
    const again = await runCli(['digest', '--no-fetch', '--date', '2026-12-02', '--no-cache'], { cwd: a.cwd, env: { ...process.env, SOURCE_DATE_EPOCH: String(Date.UTC(2026, 11, 2, 6) / 1000) } });
    assert.equal(again.code, 0, again.stderr);
    assert.ok(fs.readFileSync(file).equals(fs.readFileSync(path.join(b.cwd, 'output', 'digest-2026-12-02.epub'))), 'same bytes without fetching');
    // The next day, nothing new: no book, no error.
    const next = await runCli(['digest', '--allow-private-network', '--delay', '0', '--date', '2026-12-03'], { cwd: a.cwd });
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /nothing saved from the feeds on 2026-12-03/);
  });
});
