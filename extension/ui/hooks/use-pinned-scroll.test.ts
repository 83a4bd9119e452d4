// @vitest-environment happy-dom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { usePinnedScroll } from './use-pinned-scroll';

/**
 * A scroller without a layout engine: stacked items of given heights in a 300px view,
 * with the geometry calls the hook uses. The browser clamps scrollTop; so does this.
 */
function fakeList(heights: number[]) {
  const view = 300;
  const items: { h: number; el: Element }[] = [];
  let scrollTop = 0;
  const total = () => items.reduce((sum, i) => sum + i.h, 0);
  const make = (h: number) => {
    const entry = { h, el: undefined as unknown as Element };
    entry.el = {
      isConnected: true,
      hasAttribute: () => false,
      getBoundingClientRect: () => {
        let top = -scrollTop;
        for (const i of items) {
          if (i === entry) break;
          top += i.h;
        }
        return { top, bottom: top + entry.h } as DOMRect;
      },
    } as unknown as Element;
    return entry;
  };
  items.push(...heights.map(make));
  const box = {
    get scrollTop() {
      return scrollTop;
    },
    set scrollTop(v: number) {
      scrollTop = Math.max(0, Math.min(v, total() - view));
    },
    get scrollHeight() {
      return total();
    },
    clientHeight: view,
    get children() {
      return items.map((i) => i.el);
    },
    getBoundingClientRect: () => ({ top: 0, bottom: view }) as DOMRect,
  } as unknown as HTMLElement;
  return {
    box,
    items,
    /** Where item `i` is in the view. */
    top: (i: number) => items[i]!.el.getBoundingClientRect().top,
    prepend: (hs: number[]) => items.unshift(...hs.map(make)),
    append: (h: number) => items.push(make(h)),
  };
}

function setup(heights: number[]) {
  const list = fakeList(heights);
  const { result } = renderHook(() => usePinnedScroll({ current: list.box }));
  return { list, scroll: result.current };
}

describe('usePinnedScroll', () => {
  it('stays at the bottom while pinned, whatever grows', () => {
    const { list, scroll } = setup(Array<number>(20).fill(100));
    scroll.keep();
    expect(list.box.scrollTop).toBe(1700);
    list.append(250);
    list.items[3]!.h = 400;
    scroll.keep();
    expect(list.box.scrollTop).toBe(2000 - 300 + 250 + 300);
    // Our own scroll to the bottom is not the user leaving it.
    scroll.onScroll();
    list.append(100);
    scroll.keep();
    expect(list.box.scrollHeight - list.box.scrollTop).toBe(300);
  });

  it('keeps the message being read in place when older ones are inserted or grow above it', () => {
    const { list, scroll } = setup(Array<number>(20).fill(100));
    scroll.keep();
    // The user scrolls up: item 5 is 30px below the top of the view.
    list.box.scrollTop = 470;
    scroll.onScroll();
    expect(list.top(5)).toBe(30);
    list.prepend(Array<number>(40).fill(64));
    scroll.keep();
    expect(list.top(45)).toBe(30);
    // Items above render at their real height later.
    list.items[44]!.h = 300;
    list.items[10]!.h = 20;
    scroll.keep();
    expect(list.top(45)).toBe(30);
    // New text below (a streaming answer) does not move the view either.
    list.append(500);
    scroll.keep();
    expect(list.top(45)).toBe(30);
  });

  it('follows the user scrolling and undoes a shift its scroll event saw first', () => {
    const { list, scroll } = setup(Array<number>(20).fill(100));
    scroll.keep();
    list.box.scrollTop = 1000;
    scroll.onScroll();
    list.box.scrollTop = 900;
    scroll.onScroll();
    expect(list.top(9)).toBe(0);
    // Something above grows; the scroll event of an unrelated scroll reports it before keep().
    list.items[2]!.h = 180;
    scroll.onScroll();
    expect(list.top(9)).toBe(0);
  });

  it('pins to the bottom again for another conversation', () => {
    const { list, scroll } = setup(Array<number>(20).fill(100));
    list.box.scrollTop = 200;
    scroll.onScroll();
    scroll.keep();
    expect(list.box.scrollTop).toBe(200);
    scroll.pin();
    scroll.keep();
    expect(list.box.scrollTop).toBe(1700);
  });
});
