/**
 * Where a webhook may point, and the one HTTP request a delivery makes.
 *
 * HTTPS only, to public addresses only. A hostname is resolved at registration (early feedback)
 * and again at every delivery, and the request connects to the very address that was checked
 * (the check runs inside the socket's DNS lookup), so DNS rebinding cannot turn a public name
 * into an internal target between check and connect. No redirects are followed.
 *
 * WEBHOOK_ALLOW_INSECURE_LOOPBACK=true (tests, local development) additionally allows loopback
 * targets (127.0.0.0/8, ::1), over http:// or https://. Private, link-local and other special
 * ranges stay refused either way.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** Special-purpose and non-public ranges (IANA registries, RFC 6890 and successors). */
const NOT_PUBLIC = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.31.196.0', 24],
  ['192.52.193.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['192.175.48.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [
  // ::ffff:0:0/96 (IPv4-mapped) is not listed: BlockList would match every IPv4 address against it;
  // mapped addresses are judged by the IPv4 address they carry, and ::/96 is refused (normalise).
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(addr, prefix, 'ipv6');

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address, in any of its spellings (zone dropped). */
function ipv6Groups(address: string): number[] {
  let s = address.toLowerCase().replace(/%.*$/, '');
  const tail: number[] = [];
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    s = s.slice(0, dotted.index);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const hex = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const [head, rest] = s.split('::');
  const before = hex(head);
  const after = rest === undefined ? [] : hex(rest);
  const zeros = rest === undefined ? [] : new Array<number>(8 - tail.length - before.length - after.length).fill(0);
  return [...before, ...zeros, ...after, ...tail];
}

/**
 * How an address is judged. IPv6 forms that carry an IPv4 address are judged by it, whatever
 * their spelling (::ffff:127.0.0.1, ::ffff:7f00:1): the IPv4-mapped ::ffff:0:0/96, which a socket
 * reaches over IPv4. The other forms that embed one are never public: IPv4-compatible ::/96
 * (deprecated by RFC 4291, and [::127.0.0.1] reaches loopback on some stacks) and IPv4-translated
 * ::ffff:0:0:0/96 (RFC 2765); NAT64 64:ff9b::/96 and 64:ff9b:1::/48 are refused in NOT_PUBLIC.
 */
function normalise(address: string): { ip: string; family: 'ipv4' | 'ipv6' } | 'not-public' {
  if (!net.isIPv6(address)) return { ip: address, family: 'ipv4' };
  const g = ipv6Groups(address);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const ipv4 = `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  if (zeroUpTo(5) && g[5] === 0xffff) return { ip: ipv4, family: 'ipv4' };
  // :: and ::1 are in ::/96 too; the lists below name them (unspecified, loopback).
  if (zeroUpTo(6) && !(g[6] === 0 && g[7] <= 1)) return 'not-public';
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return 'not-public';
  return { ip: address, family: 'ipv6' };
}

export type AddressClass = 'public' | 'loopback' | 'not-public';

export function classifyAddress(address: string): AddressClass {
  const n = normalise(address);
  if (n === 'not-public') return n;
  if (LOOPBACK.check(n.ip, n.family)) return 'loopback';
  return NOT_PUBLIC.check(n.ip, n.family) ? 'not-public' : 'public';
}

export interface TargetPolicy {
  allowInsecureLoopback: boolean;
}

const addressAllowed = (address: string, p: TargetPolicy) => {
  const c = classifyAddress(address);
  return c === 'public' || (c === 'loopback' && p.allowInsecureLoopback);
};

/** Thrown for a URL or address the hub will not send to; the message is safe to show. */
export class TargetRefused extends Error {}

const bareHost = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

/** The URL's shape: scheme, credentials, host. Throws TargetRefused with a message for the registrant. */
function checkUrlShape(raw: string, p: TargetPolicy): URL {
  if (raw.length > 2048) throw new TargetRefused('url must be at most 2048 characters');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TargetRefused('url must be an absolute URL such as https://receiver.example.org/portcullis');
  }
  if (u.username || u.password) throw new TargetRefused('url must not carry credentials; authenticate deliveries by their signature');
  if (u.hash) throw new TargetRefused('url must not have a #fragment');
  const host = bareHost(u);
  if (u.protocol === 'http:') {
    const loopbackIp = net.isIP(host) !== 0 && classifyAddress(host) === 'loopback';
    if (!p.allowInsecureLoopback || !(loopbackIp || host === 'localhost')) {
      throw new TargetRefused('url must use https:// (http:// only to loopback when WEBHOOK_ALLOW_INSECURE_LOOPBACK=true)');
    }
  } else if (u.protocol !== 'https:') {
    throw new TargetRefused('url must use https://');
  }
  if (net.isIP(host) !== 0 && !addressAllowed(host, p)) {
    throw new TargetRefused('url must point to a public address (private, loopback, link-local and reserved ranges are refused)');
  }
  return u;
}

/** The addresses `host` resolves to, every one of which must be allowed. */
async function resolveAllowed(host: string, p: TargetPolicy): Promise<dns.LookupAddress[]> {
  if (net.isIP(host) !== 0) {
    if (!addressAllowed(host, p)) throw new TargetRefused('target address is not public');
    return [{ address: host, family: net.isIPv6(host) ? 6 : 4 }];
  }
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefused(`host ${host.slice(0, 100)} does not resolve`);
  }
  if (addresses.length === 0) throw new TargetRefused(`host ${host.slice(0, 100)} does not resolve`);
  // Every address, not just the first: a name with one public and one internal address is refused.
  if (addresses.some((a) => !addressAllowed(a.address, p))) {
    throw new TargetRefused(`host ${host.slice(0, 100)} resolves to an address that is not public`);
  }
  return addresses;
}

/** Registration: shape and current resolution. Returns the normalised URL. */
export async function checkTarget(raw: string, p: TargetPolicy): Promise<string> {
  const u = checkUrlShape(raw.trim(), p);
  await resolveAllowed(bareHost(u), p);
  return u.toString();
}

export interface PostResult {
  /** HTTP status when a response arrived. */
  status?: number;
  /** Safe, short text for the delivery's lastError; undefined on a 2xx. */
  error?: string;
}

/**
 * POST `body` to `url`. 2xx is success; anything else, a redirect, a timeout or a refused target
 * is a failure described in safe text (no response body is kept).
 */
export function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: TargetPolicy & { timeoutMs: number },
): Promise<PostResult> {
  let u: URL;
  try {
    u = checkUrlShape(rawUrl, opts);
  } catch (err) {
    return Promise.resolve({ error: err instanceof TargetRefused ? err.message : 'url refused' });
  }
  const host = bareHost(u);
  if (net.isIP(host) !== 0 && !addressAllowed(host, opts)) return Promise.resolve({ error: 'target address is not public' });
  // The check runs in the socket's own lookup, so the connection goes to the address checked.
  const lookup: net.LookupFunction = (hostname, options, callback) => {
    resolveAllowed(hostname, opts).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: Error) => callback(Object.assign(err, { code: 'EREFUSEDTARGET' }) as NodeJS.ErrnoException, '', 0),
    );
  };
  const transport = u.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = transport.request(u, {
      method: 'POST',
      agent: false,
      lookup,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      done({ error: `no response within ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // Read and drop at most 64 KiB of the answer; nothing of it is kept.
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > 65_536) res.destroy();
      });
      res.on('error', () => undefined);
      res.on('close', () => undefined);
      if (status >= 200 && status < 300) done({ status });
      else if (status >= 300 && status < 400) done({ status, error: `HTTP ${status}: redirects are not followed` });
      else done({ status, error: `HTTP ${status}` });
      res.resume();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EREFUSEDTARGET') done({ error: err.message });
      else done({ error: describeNetworkError(err) });
    });
    req.end(body);
  });
}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EPIPE: 'connection closed while sending',
  };
  if (err.code && known[err.code]) return known[err.code];
  if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT') || err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return `TLS error (${err.code})`;
  }
  return err.code ? `network error (${err.code.slice(0, 40)})` : 'network error';
}
