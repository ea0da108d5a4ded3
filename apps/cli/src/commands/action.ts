/**
 * How a command hands its work to the program: the commands declare their actions with these
 * types, and the program (which registers the commands) implements the runner.
 */
import type { Context } from '../context.js';

/** What an action returns: the exit code (0 when nothing is returned). */
export type ActionResult = number | undefined;

/**
 * Wraps a command's action: it receives a {@link Context} and commander's arguments (the
 * positional arguments, then the command's options); any error is rendered as one line.
 */
export type ActionRunner = (action: (context: Context, ...args: never[]) => Promise<ActionResult>) => (...args: unknown[]) => Promise<void>;
