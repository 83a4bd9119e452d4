import { describe, expect, it } from 'vitest';
import { checkUrl, markdownUrlTransform, MAX_DISPLAY_LENGTH, UrlRejection } from './safe-url.ts';

describe('checkUrl', () => {
  it('allows http, https and mailto links with a readable display form', () => {
    expect(checkUrl('https://example.com/a/b?c=1#d', 'link')).toEqual({
      ok: true,
      href: 'https://example.com/a/b?c=1#d',
      display: 'example.com/a/b?c=1#d',
      host: 'example.com',
    });
    expect(checkUrl('http://example.com', 'link')).toMatchObject({
      ok: true,
      display: 'example.com',
    });
    expect(checkUrl('mailto:someone@example.com', 'link')).toMatchObject({
      ok: true,
      display: 'someone@example.com',
      host: '',
    });
  });

  it.each([
    ['javascript:alert(1)', UrlRejection.scheme],
    ['JaVaScRiPt:alert(1)', UrlRejection.scheme],
    ['java\tscript:alert(1)', UrlRejection.scheme],
    ['java\nscript:alert(1)', UrlRejection.scheme],
    ['\u0001\u0002 javascript:alert(1)', UrlRejection.scheme],
    ['vbscript:msgbox(1)', UrlRejection.scheme],
    ['data:text/html,<script>alert(1)</script>', UrlRejection.scheme],
    ['file:///etc/passwd', UrlRejection.scheme],
    ['chrome-extension://abc/options.html', UrlRejection.scheme],
    ['moz-extension://abc/options.html', UrlRejection.scheme],
    ['blob:https://example.com/uuid', UrlRejection.scheme],
    ['ftp://example.com/', UrlRejection.scheme],
    ['/options.html', UrlRejection.notAbsolute],
    ['//evil.example/x', UrlRejection.notAbsolute],
    ['#top', UrlRejection.notAbsolute],
    ['', UrlRejection.notAbsolute],
    ['java%09script:alert(1)', UrlRejection.notAbsolute],
    [`https://example.com/${'a'.repeat(9_000)}`, UrlRejection.tooLong],
  ])('attack: refuses %j', (raw, reason) => {
    expect(checkUrl(raw, 'link')).toEqual({ ok: false, reason });
  });

  it('attack: images only over http(s), never data: or mailto:', () => {
    expect(checkUrl('https://example.com/a.png', 'image')).toMatchObject({ ok: true });
    expect(checkUrl('data:image/png;base64,AAAA', 'image')).toEqual({
      ok: false,
      reason: UrlRejection.scheme,
    });
    expect(checkUrl('mailto:a@example.com', 'image')).toMatchObject({ ok: false });
  });

  it('attack: credentials cannot disguise the host', () => {
    const check = checkUrl('https://bank.example@evil.example/login', 'link');
    expect(check).toMatchObject({ ok: true, host: 'evil.example', display: 'evil.example/login' });
    expect(check.ok && check.href).toBe('https://evil.example/login');
  });

  it('attack: homograph hosts are shown in punycode', () => {
    expect(checkUrl('https://\u0430pple.example/', 'link')).toMatchObject({
      host: 'xn--pple-43d.example',
    });
  });

  it('shortens long display forms but keeps host and end', () => {
    const check = checkUrl(`https://example.com/${'x'.repeat(300)}/file.txt`, 'link');
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.display).toHaveLength(MAX_DISPLAY_LENGTH);
    expect(check.display.startsWith('example.com/')).toBe(true);
    expect(check.display.endsWith('/file.txt')).toBe(true);
    expect(check.href).toContain('x'.repeat(300));
  });
});

describe('markdownUrlTransform', () => {
  it('empties refused URLs and normalises allowed ones', () => {
    expect(markdownUrlTransform('javascript:alert(1)', 'href')).toBe('');
    expect(markdownUrlTransform('HTTPS://Example.COM', 'href')).toBe('https://example.com/');
    expect(markdownUrlTransform('mailto:a@example.com', 'src')).toBe('');
    expect(markdownUrlTransform('https://example.com/i.png', 'src')).toBe(
      'https://example.com/i.png',
    );
  });
});
