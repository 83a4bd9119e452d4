import { describe, expect, it } from 'vitest';
import { builtinMenu, type MenuItem } from '../../core/background/context-menu';
import { createMemoryKvArea } from '../vault/kv-area';
import { createSessionKeyStore } from '../vault/session-key-store';
import {
  hideUserPromptsWhileLocked,
  syncUserPromptMenu,
  USER_PROMPTS_PARENT,
  type ContextMenusApi,
} from './context-menu-adapter';

/** A fake `contextMenus` that behaves like the browser: ids are unique, a parent takes its children along. */
function fakeMenus() {
  const items = new Map<string, MenuItem>();
  const api: ContextMenusApi = {
    create(item) {
      if (items.has(item.id)) throw new Error('duplicate id');
      if (item.parentId && !items.has(item.parentId)) throw new Error('no parent');
      items.set(item.id, { ...item });
    },
    async update(id, props) {
      const old = items.get(id);
      if (!old) throw new Error(`Cannot find menu item with id ${id}`);
      items.set(id, { ...old, ...props });
    },
    async remove(id) {
      if (!items.has(id)) throw new Error(`Cannot find menu item with id ${id}`);
      const drop = (target: string) => {
        items.delete(target);
        for (const child of [...items.values()]) if (child.parentId === target) drop(child.id);
      };
      drop(id);
    },
  };
  const titles = () => [...items.values()].map((i) => i.title);
  return { api, items, titles };
}

const KEYS = { vaultId: 'v1', ak: 'AAAA', autoLockMinutes: 15 };
const PROMPTS = [
  { id: 'p1', name: 'Rewrite as my lawyer would' },
  { id: 'p2', name: 'Reply to my landlord' },
];
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('"My prompts" while locked', () => {
  it('removes the user-written titles on lock and puts them back after unlock', async () => {
    const menus = fakeMenus();
    for (const item of builtinMenu()) menus.api.create(item);
    const area = createMemoryKvArea();
    const session = createSessionKeyStore(area);
    await session.write(KEYS);
    hideUserPromptsWhileLocked(menus.api, session);
    let ids = await syncUserPromptMenu(menus.api, PROMPTS, []);
    await settle();
    expect(menus.titles()).toContain('Reply to my landlord');

    await session.clear(); // lock (a page's button or the background's auto-lock)
    await settle();
    for (const p of PROMPTS) expect(menus.titles()).not.toContain(p.name);
    expect(menus.items.has(USER_PROMPTS_PARENT)).toBe(false);
    // The built-in items stay.
    expect(menus.items.size).toBe(builtinMenu().length);

    await session.write(KEYS); // unlock: the page's prompt store re-syncs with its old ids
    ids = await syncUserPromptMenu(menus.api, PROMPTS, ids);
    await settle();
    expect(menus.titles()).toEqual(
      expect.arrayContaining(['My prompts', ...PROMPTS.map((p) => p.name)]),
    );
    expect(ids).toHaveLength(3);
  });

  it('removes them when the browser starts locked (menus persist, the session does not)', async () => {
    const menus = fakeMenus();
    await syncUserPromptMenu(menus.api, PROMPTS, []);
    const session = createSessionKeyStore(createMemoryKvArea()); // fresh session: locked
    hideUserPromptsWhileLocked(menus.api, session);
    await settle();
    expect(menus.items.size).toBe(0);
  });

  it('leaves them alone when the service worker wakes up unlocked, and tolerates an empty menu', async () => {
    const menus = fakeMenus();
    await syncUserPromptMenu(menus.api, PROMPTS, []);
    const area = createMemoryKvArea();
    const session = createSessionKeyStore(area);
    await session.write(KEYS);
    const off = hideUserPromptsWhileLocked(menus.api, session);
    await settle();
    expect(menus.items.size).toBe(3);
    off();
    await session.clear();
    await settle();
    expect(menus.items.size).toBe(3); // unsubscribed

    const empty = fakeMenus();
    hideUserPromptsWhileLocked(empty.api, createSessionKeyStore(createMemoryKvArea()));
    await settle();
    expect(empty.items.size).toBe(0);
  });
});
