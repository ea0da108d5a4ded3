/**
 * Colour on or off, and the palette. Prefect's state colours are hex, which picocolors
 * cannot express, so they are rendered as 24-bit ANSI sequences.
 */
import picocolors from 'picocolors';
import type { Io } from '../io.js';

/** The styles the CLI uses; every function returns its input unchanged when colour is off. */
export interface Palette {
  readonly enabled: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  /** Colours `text` with a `#rrggbb` colour (24-bit ANSI). */
  readonly hex: (color: string, text: string) => string;
}

/** `FORCE_COLOR`'s convention: set means on (even empty), except `0` / `false` / `no`. */
function flag(value: string | undefined): boolean | null {
  if (value === undefined) return null;
  const normalised = value.trim().toLowerCase();
  return !(normalised === '0' || normalised === 'false' || normalised === 'no');
}

/**
 * Whether to colour the output: `--no-color` and `NO_COLOR` turn it off, `FORCE_COLOR` on,
 * otherwise only a terminal gets colour.
 */
export function colorEnabled(io: Io, option: boolean): boolean {
  if (!option) return false;
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = flag(io.env['FORCE_COLOR']);
  if (force !== null) return force;
  if (io.env['TERM'] === 'dumb') return false;
  return io.stdout.isTTY === true;
}

const HEX = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

/** `#28a745` → `[40, 167, 69]`, or null when it is not a 6-digit hex colour. */
export function hexToRgb(color: string): readonly [number, number, number] | null {
  const match = HEX.exec(color.trim());
  if (!match) return null;
  return [parseInt(match[1] ?? '0', 16), parseInt(match[2] ?? '0', 16), parseInt(match[3] ?? '0', 16)];
}

/** Builds the palette for a decision made by {@link colorEnabled}. */
export function createPalette(enabled: boolean): Palette {
  const c = picocolors.createColors(enabled);
  return {
    enabled,
    bold: c.bold,
    dim: c.dim,
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    cyan: c.cyan,
    hex(color, text) {
      const rgb = enabled ? hexToRgb(color) : null;
      if (!rgb) return text;
      return `\x1b[38;2;${rgb[0]};${rgb[1]};${rgb[2]}m${text}\x1b[39m`;
    },
  };
}
