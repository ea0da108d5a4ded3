import type { Command } from 'commander';
import type { ActionRunner } from './action.js';
import { registerFollow } from './follow.js';
import { registerInspect } from './inspect.js';
import { registerRuns } from './runs.js';
import { registerSchema } from './schema.js';
import { registerServe } from './serve.js';

/** Adds every subcommand to the program. */
export function registerCommands(program: Command, run: ActionRunner): void {
  registerInspect(program, run);
  registerRuns(program, run);
  registerFollow(program, run);
  registerServe(program, run);
  registerSchema(program, run);
}
