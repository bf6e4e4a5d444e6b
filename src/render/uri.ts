// URIs as EPUBCheck accepts them: characters that RFC 3986 does not allow in a component are
// percent-encoded (a second `#`, spaces, `[`, `"`, `<`, stray `%`...). Letters beyond ASCII stay as they are (IRIs),
// but in a host, which is written in its ASCII form (punycode).

const PATH_OK = /[A-Za-z0-9\-._~!$&'()*+,;=:@/\u0080-\uffff]/;
const QUERY_OK = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?\u0080-\uffff]/;
const USERINFO_OK = /[A-Za-z0-9\-._~!$&'()*+,;=:\u0080-\uffff]/;

function encodeComponent(s: string, ok: RegExp): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) out += ch;
    else if (ok.test(ch) && !(ch >= '\ud800' && ch <= '\udfff')) out += ch;
    else if (ch >= '\ud800' && ch <= '\udbff' && i + 1 < s.length) {
      out += s.slice(i, i + 2); // a surrogate pair: an astral letter, kept as it is
      i++;
    } else out += encodeURIComponent(ch.replace(/[\ud800-\udfff]/, '\ufffd'));
  }
  return out;
}

/**
 * `https://matrix.to/#/#room:x` -> `https://matrix.to/#/%23room:x`; already valid URIs are unchanged.
 * A web URL written with one slash or none after its scheme (`https:/github.com/x`, a typo found in a
 * real changelog, which EPUBCheck reports) or with three (`http:///x`) gets the two a browser reads there
 * (`https://github.com/x`).
 */
export function toValidUri(written: string): string {
  // A backslash that ends the host is the `/` a browser reads there (`https://x.com\a`): EPUBCheck reads none.
  const href = written.replace(/^(https?|ftp):(?!\/\/[^/\\])[/\\]*(?=[^/\\])/i, '$1://').replace(/^((?:https?|ftp):\/\/[^/\\?#]*)\\/i, '$1/');
  const hash = href.indexOf('#');
  const beforeHash = hash === -1 ? href : href.slice(0, hash);
  const fragment = hash === -1 ? undefined : href.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  const head = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const query = q === -1 ? undefined : beforeHash.slice(q + 1);
  // The scheme and authority may hold `[` `]` (IPv6 hosts); only the path is encoded.
  const authority = /^[a-z][a-z0-9+.-]*:(\/\/[^/]*)?/i.exec(head)?.[0] ?? '';
  // A user name or password (`https://a:b c@x/`) is encoded as a path is; it ends at the last `@`, as a
  // browser reads it (`https://a:p@ss@x/` is the password `p@ss` at `x`).
  const user = authority.replace(/^([a-z][a-z0-9+.-]*:\/\/)(.*)@/i, (_, start: string, info: string) => `${start}${encodeComponent(info, USERINFO_OK)}@`);
  let out = asciiHost(user) + encodeComponent(head.slice(authority.length), PATH_OK);
  if (query !== undefined) out += `?${encodeComponent(query, QUERY_OK)}`;
  if (fragment !== undefined) out += `#${encodeComponent(fragment, QUERY_OK)}`;
  return out;
}

/**
 * A web URL's scheme and authority with its host in ASCII: an internationalised domain name (`bücher.de`,
 * which Marked writes percent-encoded, `b%C3%BCcher.de`) as a browser sends it, `xn--bcher-kva.de`.
 * EPUBCheck could not parse the host of the other forms (RSC-023), and neither can some readers.
 */
function asciiHost(authority: string): string {
  if (!/^(?:https?|ftp):\/\/[^/]*[%\u0080-\uffff]/i.test(authority)) return authority;
  try {
    const url = new URL(authority);
    const user = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
    return `${url.protocol}//${user}${url.host}`;
  } catch {
    return authority;
  }
}

/** A host name's label: no `-` at either end, which EPUBCheck cannot parse (RSC-023). */
const LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?';
const HOST = new RegExp(`^(${LABEL}\\.)*${LABEL}\\.?(:\\d{1,5})?$`, 'i');

/** Whether a web URL has a host that readers (and EPUBCheck) can parse; other schemes pass. */
export function hasValidHost(url: string): boolean {
  if (!/^(https?|ftp):/i.test(url)) return true;
  try {
    const { host, hostname } = new URL(url);
    // An IPv4 address written short (`1.2.3`, `0x7f.1`, `1.2.3.4.`) is one a browser reads, not one EPUBCheck
    // does; EPUBCheck reads four numbers (`192.168.001.001`) or one (`2130706433`), as written.
    const written = /^[a-z]+:[/\\]*(?:[^@/?#\\]*@)?([^:/?#\\]*)/i.exec(url)?.[1]?.toLowerCase();
    if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname) && written !== hostname && !/^\d+(?:\.\d+){3}$|^\d+$/.test(written ?? '')) return false;
    return HOST.test(host) || /^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host);
  } catch {
    return false;
  }
}
