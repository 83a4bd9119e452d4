import { describe, expect, it, vi } from 'vitest';
import { createHostAccess } from '../create-page-services';
import { hostPermissionPattern, patternsSupportPorts } from './host-pattern';

describe('host permission patterns', () => {
  it('keeps the port where match patterns support it (Chrome)', () => {
    expect(hostPermissionPattern('http://127.0.0.1:11434', true)).toBe('http://127.0.0.1:11434/*');
    expect(hostPermissionPattern('https://llm.example.org', true)).toBe(
      'https://llm.example.org/*',
    );
  });

  it('drops the port in Firefox, whose match patterns cannot carry one', () => {
    expect(hostPermissionPattern('http://127.0.0.1:11434', false)).toBe('http://127.0.0.1/*');
    expect(hostPermissionPattern('http://[::1]:8080', false)).toBe('http://[::1]/*');
    expect(hostPermissionPattern('https://llm.example.org:8443', false)).toBe(
      'https://llm.example.org/*',
    );
  });

  it('refuses anything but an http(s) origin', () => {
    expect(() => hostPermissionPattern('ftp://files.example.org', false)).toThrow(/http or https/);
    expect(() => hostPermissionPattern('not a url', true)).toThrow(TypeError);
  });

  it('tells Firefox (runtime.getBrowserInfo) from Chrome', () => {
    expect(patternsSupportPorts({ runtime: { getBrowserInfo: () => undefined } })).toBe(false);
    expect(patternsSupportPorts({ runtime: {} })).toBe(true);
    expect(patternsSupportPorts({})).toBe(true);
  });
});

describe('createHostAccess in each browser', () => {
  it('asks Firefox for the host on every port and Chrome for the exact origin', async () => {
    const firefox = {
      runtime: { getBrowserInfo: () => undefined },
      permissions: { request: vi.fn(() => Promise.resolve(true)) },
    };
    await createHostAccess(firefox).request('http://127.0.0.1:11434');
    expect(firefox.permissions.request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    const chrome = { runtime: {}, permissions: { request: vi.fn(() => Promise.resolve(true)) } };
    await createHostAccess(chrome).request('http://127.0.0.1:11434');
    expect(chrome.permissions.request).toHaveBeenCalledWith({
      origins: ['http://127.0.0.1:11434/*'],
    });
  });
});
