/**
 * A one-line spinner for a terminal: it redraws itself in place and clears before any other
 * line is written. On a pipe it does nothing, so logs stay clean.
 */
import type { OutputStream } from '../io.js';
import { truncate } from './table.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR = '\r\x1b[2K';

/** A spinner whose text is recomputed on every frame (the elapsed time moves). */
export class Spinner {
  readonly #stream: OutputStream;
  readonly #text: () => string;
  readonly #enabled: boolean;
  #timer: ReturnType<typeof setInterval> | null = null;
  #frame = 0;
  #shown = false;

  constructor(stream: OutputStream, text: () => string, enabled: boolean) {
    this.#stream = stream;
    this.#text = text;
    this.#enabled = enabled && stream.isTTY === true;
  }

  /** Starts redrawing (80 ms a frame). */
  start(): void {
    if (!this.#enabled || this.#timer) return;
    this.#timer = setInterval(() => {
      this.#draw();
    }, 80);
    this.#timer.unref();
    this.#draw();
  }

  #draw(): void {
    const frame = FRAMES[this.#frame++ % FRAMES.length] ?? '';
    // A pseudo-terminal may report 0 columns.
    const width = this.#stream.columns !== undefined && this.#stream.columns > 0 ? this.#stream.columns : 80;
    this.#stream.write(`${CLEAR}${truncate(`${frame} ${this.#text()}`, width - 1)}`);
    this.#shown = true;
  }

  /** Erases the spinner line so a regular line can be written; the next frame redraws it. */
  clear(): void {
    if (this.#shown) {
      this.#stream.write(CLEAR);
      this.#shown = false;
    }
  }

  /** Stops and erases it. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.clear();
  }
}
