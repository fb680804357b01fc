// checkPublicUrl: the links Greenlight hands to Meta or to customers are https and public; loopback,
// private, link-local, metadata and internal-only hosts are refused however they are spelled.

import { describe, expect, it } from 'vitest';
import { checkPublicUrl } from './public-url.ts';

describe('checkPublicUrl', () => {
  it.each([
    'https://shop.example.com/gloves.jpg',
    'https://cdn.shop.example.com:8443/a.pdf?x=1',
    'https://93.184.216.34/a.jpg',
    'https://[2606:2800:220:1:248:1893:25c8:1946]/a.jpg',
    'https://172.32.0.1/a.jpg',
  ])('accepts the public https link %s', (link) => {
    expect(checkPublicUrl(link).ok).toBe(true);
  });

  it.each([
    ['http://shop.example.com/a.jpg', /https:\/\//],
    ['ftp://shop.example.com/a.jpg', /https:\/\//],
    ['not a link', /not a web address/],
    ['https://user:secret@shop.example.com/a.jpg', /user name or password/],
    ['https://localhost/a.jpg', /not a public host name/],
    ['https://intranet/a.jpg', /not a public host name/],
    ['https://app.localhost/a.jpg', /internal name/],
    ['https://metadata.google.internal/computeMetadata/v1/', /internal name/],
    ['https://printer.local/a.jpg', /internal name/],
    ['https://router.home.arpa/', /internal name/],
    ['https://127.0.0.1/a.jpg', /loopback/],
    ['https://127.1/a.jpg', /loopback/],
    ['https://2130706433/a.jpg', /loopback/],
    ['https://0x7f.0.0.1/a.jpg', /loopback/],
    ['https://0.0.0.0/', /this network/],
    ['https://10.1.2.3/a.jpg', /private/],
    ['https://172.16.5.4/a.jpg', /private/],
    ['https://172.31.255.255/a.jpg', /private/],
    ['https://192.168.1.10/a.jpg', /private/],
    ['https://100.64.0.1/a.jpg', /carrier-grade NAT/],
    ['https://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://224.0.0.1/', /multicast/],
    ['https://[::1]/a.jpg', /loopback/],
    ['https://[::]/a.jpg', /unspecified/],
    ['https://[::ffff:127.0.0.1]/a.jpg', /loopback/],
    ['https://[::ffff:a9fe:a9fe]/a.jpg', /metadata/],
    ['https://[64:ff9b::10.0.0.1]/a.jpg', /private/],
    ['https://[fd00::1]/a.jpg', /unique local/],
    ['https://[fe80::1]/a.jpg', /link-local/],
  ])('refuses %s with a reason', (link, reason) => {
    const check = checkPublicUrl(link);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('allows http where the caller allows it (a tracked link opened by a browser), still refusing internal hosts', () => {
    expect(checkPublicUrl('http://shop.example.com/', { protocols: ['http:', 'https:'] }).ok).toBe(true);
    expect(checkPublicUrl('http://192.168.0.1/', { protocols: ['http:', 'https:'] }).ok).toBe(false);
  });
});
