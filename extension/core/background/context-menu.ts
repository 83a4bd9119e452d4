/**
 * The right-click menu: what it offers, and what a click hands to the panel. A click opens
 * the panel at once (inside the user gesture), reads the selection or page in the page
 * (visible text only), and leaves a {@link PendingContext} in storage.session for the panel.
 * Bad pages become a plain message, never a hang. Platform-free: the browser is behind ports.
 */
import { explainTab } from '../page/classify-tab';
import type { ExtractOptions, PageExtract } from '../page/types';
import { BUILTIN_PROMPTS, PAGE_PROMPTS, type BuiltinPromptId, type PagePromptId } from './prompts';

/** Menu item ids. User prompts are `nook-prompt:<id>` under {@link USER_PROMPTS_PARENT}. */
export const MENU_PREFIX = 'nook-';
export const USER_PROMPT_PREFIX = 'nook-prompt:';
export const USER_PROMPTS_PARENT = 'nook-my-prompts';

/** One context-menu item as the browser API takes it. */
export interface MenuItem {
  id: string;
  title: string;
  contexts: ('selection' | 'page')[];
  parentId?: string;
}

/** The fixed items (created on install/startup). */
export function builtinMenu(): MenuItem[] {
  return [
    ...Object.entries(BUILTIN_PROMPTS).map(([id, p]) => ({
      id: `${MENU_PREFIX}${id}`,
      title: p.title,
      contexts: ['selection' as const],
    })),
    ...Object.entries(PAGE_PROMPTS).map(([id, p]) => ({
      id: `${MENU_PREFIX}${id}`,
      title: p.title,
      contexts: ['page' as const],
    })),
  ];
}

/** The user's prompts as a "My prompts" submenu (names only; the text stays encrypted). */
export function userPromptMenu(prompts: readonly { id: string; name: string }[]): MenuItem[] {
  if (prompts.length === 0) return [];
  return [
    { id: USER_PROMPTS_PARENT, title: 'My prompts', contexts: ['selection'] },
    ...prompts.map((p) => ({
      id: `${USER_PROMPT_PREFIX}${p.id}`,
      title: p.name,
      contexts: ['selection' as const],
      parentId: USER_PROMPTS_PARENT,
    })),
  ];
}

/** What the panel picks up from storage.session (key {@link PENDING_KEY}). */
export interface PendingContext {
  id: string;
  createdAt: number;
  /** The composer's starting text (editable before sending). */
  prompt: string;
  /** A user prompt to fill in after unlock (its text is encrypted). */
  userPromptId?: string;
  attachment?: {
    source: 'selection' | 'page';
    title: string;
    url: string;
    text: string;
    truncated: boolean;
  };
  /** Shown instead of (or beside) the attachment: why the page could not be read fully. */
  notice?: string;
}

/** storage.session key of the pending context (memory only, trusted contexts only). */
export const PENDING_KEY = 'nook.pending';

/** Most characters of page text or selection sent (a 5 MB selection is cut here). */
export const PAGE_TEXT_MAX = 60_000;
/** How long a page may take to answer before Nook gives up on it. */
export const EXTRACT_TIMEOUT_MS = 10_000;

/** What a click needs from the browser. */
export interface ContextMenuPorts {
  /** Opens the panel; called synchronously first, inside the click's gesture. */
  openPanel(windowId: number | undefined): Promise<void>;
  /** Runs the extractor in one frame of the tab. */
  extract(tabId: number, frameId: number, options: ExtractOptions): Promise<PageExtract>;
  fileAccess(): Promise<boolean>;
  putPending(p: PendingContext): Promise<void>;
  now?: () => number;
  newId?: () => string;
}

/** The click, as `contextMenus.onClicked` reports it. */
export interface MenuClick {
  menuItemId: string | number;
  selectionText?: string;
  frameId?: number;
  pageUrl?: string;
  frameUrl?: string;
}
export interface MenuTab {
  id?: number;
  windowId?: number;
  url?: string;
  title?: string;
}

export const MENU_NOTICES = {
  noTab: 'Nook could not tell which tab this was. Try again from the page.',
  timeout: 'The page did not answer in time, so Nook could not read it.',
  blocked: 'This page does not let extensions read it (or it is inside a frame Nook cannot reach).',
  selectionFallback:
    'Nook could not read this page, so it used the selected text as the browser reported it; hidden text could not be filtered out.',
  emptySelection: 'Nook found no visible text in the selection.',
  pdf: "This tab shows a PDF in the browser's viewer, which extensions can't read. Select the text, copy it and paste it into the chat instead.",
  unsupported: 'This tab shows something other than a web page, so there is no text to read.',
  truncated: (n: number) => `The text was long, so only the first ${n} characters are attached.`,
} as const;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error('failed'));
      },
    );
  });
}

type Action =
  | { kind: 'selection'; id: BuiltinPromptId }
  | { kind: 'page'; id: PagePromptId }
  | { kind: 'user'; promptId: string };

function actionOf(menuItemId: string | number): Action | undefined {
  const id = String(menuItemId);
  if (id.startsWith(USER_PROMPT_PREFIX))
    return { kind: 'user', promptId: id.slice(USER_PROMPT_PREFIX.length) };
  if (!id.startsWith(MENU_PREFIX)) return undefined;
  const rest = id.slice(MENU_PREFIX.length);
  if (rest in BUILTIN_PROMPTS) return { kind: 'selection', id: rest as BuiltinPromptId };
  if (rest in PAGE_PROMPTS) return { kind: 'page', id: rest as PagePromptId };
  return undefined;
}

/**
 * Handles one click. Returns the pending context it stored (or undefined for a click on
 * an item that is not Nook's). Never throws and never waits longer than the timeout.
 */
export async function handleMenuClick(
  ports: ContextMenuPorts,
  click: MenuClick,
  tab: MenuTab | undefined,
): Promise<PendingContext | undefined> {
  const action = actionOf(click.menuItemId);
  if (!action) return undefined;
  // No await before this: the panel may only open inside the click's user gesture.
  const opening = ports.openPanel(tab?.windowId).catch(() => undefined);
  const base: PendingContext = {
    id: ports.newId?.() ?? globalThis.crypto.randomUUID(),
    createdAt: ports.now?.() ?? Date.now(),
    prompt:
      action.kind === 'selection'
        ? BUILTIN_PROMPTS[action.id].text
        : action.kind === 'page'
          ? PAGE_PROMPTS[action.id].text
          : '',
    ...(action.kind === 'user' ? { userPromptId: action.promptId } : {}),
  };
  const pending = await readContext(
    ports,
    click,
    tab,
    action.kind === 'page' ? 'page' : 'selection',
  );
  const result = { ...base, ...pending };
  await ports.putPending(result).catch(() => undefined);
  await opening;
  return result;
}

async function readContext(
  ports: ContextMenuPorts,
  click: MenuClick,
  tab: MenuTab | undefined,
  source: 'selection' | 'page',
): Promise<Pick<PendingContext, 'attachment' | 'notice'>> {
  const url = click.frameUrl ?? tab?.url ?? click.pageUrl ?? '';
  const reported = (click.selectionText ?? '').trim();
  const fallback = (notice: string) => {
    if (source === 'page' || !reported) return { notice };
    const truncated = reported.length > PAGE_TEXT_MAX;
    return {
      attachment: {
        source,
        title: tab?.title ?? '',
        url: tab?.url ?? url,
        text: reported.slice(0, PAGE_TEXT_MAX),
        truncated,
      },
      notice: MENU_NOTICES.selectionFallback,
    };
  };
  if (tab?.id === undefined) return fallback(MENU_NOTICES.noTab);
  const verdict = explainTab(tab.url ?? url, {
    fileAccess: await ports.fileAccess().catch(() => false),
  });
  if (verdict.status !== 'ok') return { notice: verdict.message };
  let extract: PageExtract;
  try {
    extract = await withTimeout(
      ports.extract(tab.id, source === 'selection' ? (click.frameId ?? 0) : 0, {
        maxChars: PAGE_TEXT_MAX,
        selectionOnly: source === 'selection',
      }),
      EXTRACT_TIMEOUT_MS,
    );
  } catch (e) {
    const timedOut = e instanceof Error && e.message === 'timeout';
    return fallback(timedOut ? MENU_NOTICES.timeout : MENU_NOTICES.blocked);
  }
  if (extract.kind === 'pdf-viewer') return { notice: MENU_NOTICES.pdf };
  if (extract.kind !== 'html') return { notice: MENU_NOTICES.unsupported };
  const text = source === 'selection' ? (extract.selection ?? extract.text) : extract.text;
  if (!text.trim())
    return {
      notice: source === 'selection' ? MENU_NOTICES.emptySelection : MENU_NOTICES.unsupported,
    };
  return {
    attachment: {
      source,
      title: extract.title,
      url: extract.url,
      text,
      truncated: extract.truncated,
    },
    ...(extract.truncated ? { notice: MENU_NOTICES.truncated(text.length) } : {}),
  };
}
