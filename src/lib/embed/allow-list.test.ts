import { describe, expect, it } from 'vitest';
import { isEmbedMode, isOriginAllowed, parseAllowList, readAllowList } from './allow-list';

const SELF = 'https://shopsight.example';

describe('isEmbedMode', () => {
  it.each([
    ['?embed=1', true],
    ['?embed=true', true],
    ['?embed', true],
    ['?lang=en&embed=1&allow=x', true],
    ['', false],
    ['?embed=0', false],
    ['?embed=no', false],
    ['?embedded=1', false],
  ])('%s → %s', (search, expected) => {
    expect(isEmbedMode(search)).toBe(expected);
  });
});

describe('parseAllowList', () => {
  it('defaults to the app’s own origin', () => {
    expect(parseAllowList('?embed=1', SELF)).toEqual([SELF]);
    expect(parseAllowList('', SELF)).toEqual([SELF]);
    expect(parseAllowList('?embed=1&allow=', SELF)).toEqual([SELF]);
  });

  it('normalises case, default ports and trailing slashes', () => {
    expect(parseAllowList('?allow=https://Admin.Example.com:443/', SELF)).toEqual([SELF, 'https://admin.example.com']);
    expect(parseAllowList('?allow=HTTP://LOCALHOST:80', SELF)).toEqual([SELF, 'http://localhost']);
    expect(parseAllowList('?allow=http://127.0.0.1:8080', SELF)).toEqual([SELF, 'http://127.0.0.1:8080']);
  });

  it('reads comma-separated, percent-encoded and repeated parameters, dropping duplicates', () => {
    const search =
      '?embed=1&allow=' +
      encodeURIComponent('https://a.example, https://b.example:8443') +
      '&allow=https://A.example/&allow=https://c.example,,';
    expect(parseAllowList(search, SELF)).toEqual([
      SELF,
      'https://a.example',
      'https://b.example:8443',
      'https://c.example',
    ]);
  });

  it('turns international domain names into the punycode browsers report', () => {
    expect(parseAllowList('?allow=https://bücher.example', SELF)).toEqual([SELF, 'https://xn--bcher-kva.example']);
  });

  it('keeps IPv6 hosts', () => {
    expect(parseAllowList('?allow=http://[::1]:5173', SELF)).toEqual([SELF, 'http://[::1]:5173']);
  });
});

describe('readAllowList warnings', () => {
  it.each([
    ['*', /wildcards/],
    ['https://*.example.com', /wildcards/],
    ['null', /opaque origin/],
    ['ftp://files.example.com', /only http: and https:/],
    ['javascript:alert(1)', /only http: and https:/],
    ['file:///etc/passwd', /only http: and https:/],
    ['data:text/html;base64', /only http: and https:/],
    ['admin.example.com', /not an origin/],
    ['https://', /not an origin/],
    ['https://user:pw@admin.example.com', /user name or password/],
  ])('ignores %s', (entry, warning) => {
    const { origins, warnings } = readAllowList(`?allow=${encodeURIComponent(entry)}`, SELF);
    expect(origins).toEqual([SELF]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(warning);
  });

  it('keeps the origin of a URL with a path, and says so', () => {
    const { origins, warnings } = readAllowList('?allow=https://admin.example.com/panel?x=1#top', SELF);
    expect(origins).toEqual([SELF, 'https://admin.example.com']);
    expect(warnings[0]).toMatch(/only the origin/);
  });

  it('keeps good entries beside junk', () => {
    const { origins, warnings } = readAllowList('?allow=*,https://ok.example,nonsense', SELF);
    expect(origins).toEqual([SELF, 'https://ok.example']);
    expect(warnings).toHaveLength(2);
  });

  it('accepts a non-http self origin (packaged builds) but no other', () => {
    const self = 'app://shopsight';
    expect(readAllowList(`?allow=${self},app://other`, self).origins).toEqual([self]);
  });

  it('never allows the opaque self origin of a sandboxed or file: page', () => {
    const { origins, warnings } = readAllowList('', 'null');
    expect(origins).toEqual([]);
    expect(warnings[0]).toMatch(/opaque/);
  });
});

describe('isOriginAllowed', () => {
  const list = parseAllowList('?allow=https://admin.example.com', SELF);
  it('matches exactly', () => {
    expect(isOriginAllowed('https://admin.example.com', list)).toBe(true);
    expect(isOriginAllowed(SELF, list)).toBe(true);
  });
  it.each([
    'https://admin.example.com.evil.net',
    'https://evil-admin.example.com',
    'http://admin.example.com',
    'https://admin.example.com:8443',
    'https://sub.admin.example.com',
    'null',
    '',
  ])('rejects %s', (origin) => {
    expect(isOriginAllowed(origin, list)).toBe(false);
  });
});
