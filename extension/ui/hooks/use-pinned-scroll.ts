import { useRef, useState, type RefObject } from 'react';

/** Within this many pixels of the bottom, new content keeps the list scrolled down. */
export const STICKY_PX = 80;

/** Children marked with this attribute (e.g. a "Show earlier" row) are never the anchor. */
const NO_ANCHOR = 'data-no-anchor';

/** What {@link usePinnedScroll} gives the scroller. All three functions are stable. */
export interface PinnedScroll {
  /** For the scroller's `onScroll`: notes whether the user is at the bottom, and what they read. */
  onScroll: () => void;
  /**
   * Re-applies the position after the content changed (call it from a layout effect or a
   * ResizeObserver, before paint): at the bottom while pinned there; otherwise the item the
   * user was reading stays exactly where it was on screen, whatever grew or was inserted
   * above it (older messages mounted, off-screen items reaching their real height).
   */
  keep: () => void;
  /** Pins the view to the bottom again (another conversation was opened). */
  pin: () => void;
}

interface Anchor {
  el: Element;
  /** Its top, relative to the scroller's top edge, when last noted. */
  top: number;
}

/**
 * Keeps a scrolling list at its bottom while the user is there, and otherwise keeps the
 * item at the top of the view in place. The browser's own scroll anchoring is switched
 * off on the scroller (`overflow-anchor: none`): it would fight the bottom pinning.
 */
export function usePinnedScroll(box: RefObject<HTMLElement | null>): PinnedScroll {
  const stick = useRef(true);
  const anchor = useRef<Anchor | undefined>(undefined);
  // The scroll offset the anchor was last reconciled with: a later scroll by the user
  // moves the anchor by exactly the difference, anything else is a layout shift to undo.
  const seen = useRef(0);
  const [api] = useState<PinnedScroll>(() => {
    /** Scrolls by however far the anchor moved other than by scrolling. */
    const restore = (el: HTMLElement) => {
      const a = anchor.current;
      if (a?.el.isConnected) {
        const delta = a.el.getBoundingClientRect().top - el.getBoundingClientRect().top - a.top;
        if (Math.abs(delta) >= 1) el.scrollTop += delta;
      }
      seen.current = el.scrollTop;
    };
    return {
      onScroll() {
        const el = box.current;
        if (!el) return;
        const moved = el.scrollTop - seen.current;
        if (Math.abs(moved) < 1) {
          // Our own scroll (to the bottom, or to undo a shift): nothing the user chose.
          if (!stick.current) restore(el);
          return;
        }
        if (anchor.current) anchor.current.top -= moved;
        // A size change not yet seen by keep() (its observer runs later in this frame)
        // must not become the new normal: undo it before choosing the next anchor.
        if (!stick.current) restore(el);
        seen.current = el.scrollTop;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
        anchor.current = findAnchor(el);
      },
      keep() {
        const el = box.current;
        if (!el) return;
        if (stick.current) {
          el.scrollTop = el.scrollHeight;
          seen.current = el.scrollTop;
          return;
        }
        restore(el);
      },
      pin() {
        stick.current = true;
        anchor.current = undefined;
      },
    };
  });
  return api;
}

/**
 * The first child (not marked NO_ANCHOR) whose top edge is in view, else the one the view
 * starts inside: items above it may still grow (rendered late, Markdown) without moving it.
 */
function findAnchor(box: HTMLElement): Anchor | undefined {
  const top = box.getBoundingClientRect().top;
  const items = Array.from(box.children).filter((c) => !c.hasAttribute(NO_ANCHOR));
  // Children are stacked in order: binary search, so a long list costs a few reads per scroll.
  let lo = 0;
  let hi = items.length - 1;
  let found = items.length;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid]?.getBoundingClientRect().top ?? 0) >= top - 0.5) {
      found = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  const el = items[found] ?? items[found - 1];
  return el && { el, top: el.getBoundingClientRect().top - top };
}
