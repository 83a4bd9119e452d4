import { describe, expect, it, vi } from 'vitest';
import { createHostAccess, type PagePlatform } from './create-page-services';

type Rules = Awaited<
  ReturnType<NonNullable<PagePlatform['declarativeNetRequest']>['getDynamicRules']>
>;

describe('host access (permissions + Origin rule)', () => {
  it('requests exactly origin/* and adds one Origin-removal rule per origin', async () => {
    let rules: Rules = [{ id: 4, condition: { urlFilter: '|https://other.example/' } }];
    const platform = {
      permissions: { request: vi.fn(() => Promise.resolve(true)) },
      declarativeNetRequest: {
        getDynamicRules: () => Promise.resolve(rules),
        updateDynamicRules: vi.fn(
          (u: { addRules?: { id: number; condition: { urlFilter: string } }[] }) => {
            rules = [...rules, ...(u.addRules ?? [])];
            return Promise.resolve();
          },
        ),
      },
    } satisfies PagePlatform;
    const access = createHostAccess(platform);
    expect(await access.request('http://127.0.0.1:11434')).toBe(true);
    expect(platform.permissions.request).toHaveBeenCalledWith({
      origins: ['http://127.0.0.1:11434/*'],
    });
    await access.allowWithoutOrigin('http://127.0.0.1:11434');
    await access.allowWithoutOrigin('http://127.0.0.1:11434');
    expect(platform.declarativeNetRequest.updateDynamicRules).toHaveBeenCalledTimes(1);
    expect(platform.declarativeNetRequest.updateDynamicRules).toHaveBeenCalledWith({
      addRules: [
        {
          id: 5,
          priority: 1,
          action: {
            type: 'modifyHeaders',
            requestHeaders: [{ header: 'origin', operation: 'remove' }],
          },
          condition: { urlFilter: '|http://127.0.0.1:11434/', resourceTypes: ['xmlhttprequest'] },
        },
      ],
    });
  });

  it('removes exactly the Origin rule of one origin, and nothing when it has none', async () => {
    let rules: Rules = [
      { id: 1, condition: { urlFilter: '|http://127.0.0.1:11434/' } },
      { id: 2, condition: { urlFilter: '|http://127.0.0.1:1234/' } },
    ];
    const updateDynamicRules = vi.fn((u: { removeRuleIds?: number[] }) => {
      rules = rules.filter((r) => !u.removeRuleIds?.includes(r.id));
      return Promise.resolve();
    });
    const access = createHostAccess({
      declarativeNetRequest: { getDynamicRules: () => Promise.resolve(rules), updateDynamicRules },
    });
    await access.removeOriginRule?.('http://127.0.0.1:11434');
    expect(updateDynamicRules).toHaveBeenCalledWith({ removeRuleIds: [1] });
    expect(rules.map((r) => r.condition.urlFilter)).toEqual(['|http://127.0.0.1:1234/']);
    await access.removeOriginRule?.('http://127.0.0.1:11434');
    expect(updateDynamicRules).toHaveBeenCalledTimes(1);
  });

  it('answers "not granted" where the browser has no permissions API', async () => {
    const access = createHostAccess({});
    expect(await access.request('https://llm.example.org')).toBe(false);
    await expect(access.allowWithoutOrigin('https://llm.example.org')).resolves.toBeUndefined();
  });
});
