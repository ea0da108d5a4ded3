// happy-dom has no layout: every box is 0 px and scrolling fires nothing. The log panel's
// windowing needs a viewport, so the tests give the log view the box the stylesheet gives it
// (at most `viewHeight` tall, scrolling past that) and each line a fixed height, and make
// scrolling it behave as a browser does: clamped, then a `scroll` event.
import { afterEach } from 'vitest';

const VIEW = 'log-view';
const LINE = 'log-line';

interface Saved {
  readonly target: object;
  readonly key: PropertyKey;
  readonly descriptor: PropertyDescriptor | undefined;
}

let saved: Saved[] = [];

afterEach(() => {
  for (const { target, key, descriptor } of saved.reverse()) {
    if (descriptor === undefined) Reflect.deleteProperty(target, key);
    else Object.defineProperty(target, key, descriptor);
  }
  saved = [];
});

function override(target: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
  saved.push({ target, key, descriptor: Object.getOwnPropertyDescriptor(target, key) });
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
}

/** Looks a property up the prototype chain, for the original behaviour of other elements. */
function inherited(target: object, key: PropertyKey): PropertyDescriptor {
  for (let proto: object | null = target; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if (descriptor !== undefined) return descriptor;
  }
  throw new TypeError(`No ${String(key)} to override`);
}

/**
 * happy-dom's ResizeObserver never reports. This one reports an observed element whose
 * height changed after a style change, as a browser does once it has laid the page out.
 */
class StyleResizeObserver {
  readonly #callback: ResizeObserverCallback;
  readonly #heights = new Map<Element, number>();
  readonly #mutations: MutationObserver;

  constructor(callback: ResizeObserverCallback) {
    this.#callback = callback;
    this.#mutations = new window.MutationObserver(() => {
      this.#check();
    });
    this.#mutations.observe(document.body, { attributes: true, attributeFilter: ['style'], subtree: true });
  }

  #check(): void {
    const entries: ResizeObserverEntry[] = [];
    for (const [target, height] of this.#heights) {
      const now = (target as HTMLElement).offsetHeight;
      if (now === height) continue;
      this.#heights.set(target, now);
      const size = { blockSize: now, inlineSize: 1000 };
      entries.push({
        target,
        contentRect: new window.DOMRect(0, 0, 1000, now),
        borderBoxSize: [size],
        contentBoxSize: [size],
        devicePixelContentBoxSize: [size],
      });
    }
    if (entries.length > 0) this.#callback(entries, this);
  }

  observe(target: Element): void {
    this.#heights.set(target, (target as HTMLElement).offsetHeight);
  }

  unobserve(target: Element): void {
    this.#heights.delete(target);
  }

  disconnect(): void {
    this.#heights.clear();
    this.#mutations.disconnect();
  }
}

/** Lays out the log view for the current test: a `viewHeight` viewport over `lineHeight` lines. */
export function layOutLogView({ viewHeight = 600, lineHeight = 21 }: { viewHeight?: number; lineHeight?: number } = {}): void {
  const proto = window.HTMLElement.prototype;
  const clientHeight = inherited(proto, 'clientHeight');
  const clientWidth = inherited(proto, 'clientWidth');
  const scrollHeight = inherited(proto, 'scrollHeight');
  const scrollTop = inherited(proto, 'scrollTop');
  const rect = inherited(proto, 'getBoundingClientRect');
  const offsetHeight = inherited(proto, 'offsetHeight');
  const contentHeight = (element: HTMLElement) => Number.parseFloat(element.style.height) || 0;
  const isView = (element: HTMLElement) => element.classList.contains(VIEW);

  override(proto, 'clientHeight', {
    get(this: HTMLElement) {
      return isView(this) ? Math.min(viewHeight, contentHeight(this)) : (clientHeight.get?.call(this) as number);
    },
  });
  override(proto, 'clientWidth', {
    get(this: HTMLElement) {
      return isView(this) ? 1000 : (clientWidth.get?.call(this) as number);
    },
  });
  override(proto, 'scrollHeight', {
    get(this: HTMLElement) {
      return isView(this) ? contentHeight(this) : (scrollHeight.get?.call(this) as number);
    },
  });
  // What the virtualizer measures a rendered line by.
  override(proto, 'offsetHeight', {
    get(this: HTMLElement) {
      return this.classList.contains(LINE) ? lineHeight : isView(this) ? this.clientHeight : (offsetHeight.get?.call(this) as number);
    },
  });
  override(proto, 'scrollTop', {
    get(this: HTMLElement) {
      return scrollTop.get?.call(this) as number;
    },
    set(this: HTMLElement, value: number) {
      if (!isView(this)) {
        scrollTop.set?.call(this, value);
        return;
      }
      const top = Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight));
      if (top === this.scrollTop) return;
      scrollTop.set?.call(this, top);
      // A browser fires `scroll` on its next frame, not inside the write.
      window.requestAnimationFrame(() => {
        this.dispatchEvent(new window.Event('scroll'));
      });
    },
  });
  override(proto, 'scrollTo', {
    value(this: HTMLElement, options: ScrollToOptions | number, y?: number) {
      this.scrollTop = typeof options === 'number' ? (y ?? 0) : (options.top ?? this.scrollTop);
    },
  });
  override(window, 'ResizeObserver', { value: StyleResizeObserver, writable: true });
  override(proto, 'getBoundingClientRect', {
    value(this: HTMLElement) {
      if (this.classList.contains(LINE)) return new window.DOMRect(0, 0, 1000, lineHeight);
      if (isView(this)) return new window.DOMRect(0, 0, 1000, this.clientHeight);
      return (rect.value as () => DOMRect).call(this);
    },
  });
}
