// Is a link one Meta (or a customer's phone) could open: https, no credentials, and a public host?
// Greenlight itself never fetches a user's link (media links and template header media are fetched by
// Meta, tracked links are opened by the recipient's browser through a 302), so there is no server-side
// request to forge. A link to a loopback, private, link-local or cloud-metadata address, or to an
// internal-only name, is still never valid there, so it is refused at the boundary. Pure: the host is
// judged as written (after WHATWG URL normalisation, which turns 0x7f.1 or 2130706433 into 127.0.0.1);
// names are not resolved, since the server never connects to them.

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

// Names that only resolve inside a network (RFC 6761, RFC 8375, common cloud and corporate suffixes).
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home.arpa', 'corp', 'localdomain', 'test', 'invalid'];

export function checkPublicUrl(text: string, options: { protocols: readonly string[] } = { protocols: ['https:'] }): UrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not a web address' };
  }
  if (!options.protocols.includes(url.protocol)) return { ok: false, reason: `the address must start with ${options.protocols.map((protocol) => `${protocol}//`).join(' or ')}` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'the address must not carry a user name or password' };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const refusal = host.startsWith('[') ? ipv6Refusal(host.slice(1, -1)) : /^\d+\.\d+\.\d+\.\d+$/.test(host) ? ipv4Refusal(host) : nameRefusal(host);
  return refusal === null ? { ok: true, url } : { ok: false, reason: `${refusal}: Meta and your customers cannot reach it` };
}

function nameRefusal(host: string): string | null {
  if (!host.includes('.')) return `"${host}" is not a public host name`;
  const internal = INTERNAL_SUFFIXES.find((suffix) => host === suffix || host.endsWith(`.${suffix}`));
  return internal ? `"${host}" is an internal name (.${internal})` : null;
}

// [first address, prefix length, what it is] (RFC 6890 special-purpose registry, plus multicast and reserved).
const IPV4_BLOCKS: ReadonlyArray<[string, number, string]> = [
  ['0.0.0.0', 8, 'a "this network" address'], ['10.0.0.0', 8, 'a private address'], ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'], ['169.254.0.0', 16, 'a link-local address (cloud metadata lives at 169.254.169.254)'],
  ['172.16.0.0', 12, 'a private address'], ['192.0.0.0', 24, 'a special-purpose address'], ['192.0.2.0', 24, 'a documentation address'],
  ['192.168.0.0', 16, 'a private address'], ['198.18.0.0', 15, 'a benchmarking address'], ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'], ['224.0.0.0', 4, 'a multicast address'], ['240.0.0.0', 4, 'a reserved address'],
];

const ipv4Number = (host: string): number => host.split('.').reduce((value, part) => value * 256 + Number(part), 0);

function ipv4Refusal(host: string): string | null {
  const address = ipv4Number(host);
  for (const [first, bits, what] of IPV4_BLOCKS) {
    const size = 2 ** (32 - bits);
    if (Math.floor(address / size) === Math.floor(ipv4Number(first) / size)) return `${host} is ${what}`;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, maybe with a dotted tail). */
function ipv6Groups(host: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  let text = host;
  if (dotted) {
    const value = ipv4Number(dotted[1]!);
    text = `${host.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function ipv6Refusal(host: string): string | null {
  const groups = ipv6Groups(host);
  const [a = 0] = groups;
  if (groups.slice(0, 7).every((group) => group === 0) && (groups[7] === 0 || groups[7] === 1)) return `[${host}] is ${groups[7] === 1 ? 'the loopback address' : 'the unspecified address'}`;
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the IPv4 address inside.
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const nat64 = a === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (mapped || nat64) return ipv4Refusal(`${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`);
  if ((a & 0xfe00) === 0xfc00) return `[${host}] is a unique local (private) address`;
  if ((a & 0xffc0) === 0xfe80) return `[${host}] is a link-local address`;
  if ((a & 0xff00) === 0xff00) return `[${host}] is a multicast address`;
  if (a === 0x2001 && groups[1] === 0x0db8) return `[${host}] is a documentation address`;
  return null;
}

/** For a zod `.superRefine` on a link field: the refusal's reason becomes the field's message. */
export const refuseNonPublicUrl = (protocols: readonly string[] = ['https:']) => (link: string, context: { addIssue(issue: { code: 'custom'; message: string }): void }): void => {
  const check = checkPublicUrl(link, { protocols });
  if (!check.ok) context.addIssue({ code: 'custom', message: check.reason });
};
