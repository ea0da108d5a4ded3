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

/** Lays out the log view for the current test: a `viewHeight` viewport over `lineHeight` lines. */
export function layOutLogView({ viewHeight = 600, lineHeight = 21 }: { viewHeight?: number; lineHeight?: number } = {}): void {
  const proto = window.HTMLElement.prototype;
  const clientHeight = inherited(proto, 'clientHeight');
  const clientWidth = inherited(proto, 'clientWidth');
  const scrollHeight = inherited(proto, 'scrollHeight');
  const scrollTop = inherited(proto, 'scrollTop');
  const rect = inherited(proto, 'getBoundingClientRect');
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
      this.dispatchEvent(new window.Event('scroll'));
    },
  });
  override(proto, 'scrollTo', {
    value(this: HTMLElement, options: ScrollToOptions | number, y?: number) {
      this.scrollTop = typeof options === 'number' ? (y ?? 0) : (options.top ?? this.scrollTop);
    },
  });
  override(proto, 'getBoundingClientRect', {
    value(this: HTMLElement) {
      if (this.classList.contains(LINE)) return new window.DOMRect(0, 0, 1000, lineHeight);
      if (isView(this)) return new window.DOMRect(0, 0, 1000, this.clientHeight);
      return (rect.value as () => DOMRect).call(this);
    },
  });
}
