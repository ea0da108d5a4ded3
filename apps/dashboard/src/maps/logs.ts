// Log levels as Prefect's backend stores them (names) and as FlowRunLog holds them (numbers).

/** The levels a person filters logs by, lowest first. */
export const LOG_LEVELS = [
  { name: 'DEBUG', value: 10, aliases: ['DEBUG'] },
  { name: 'INFO', value: 20, aliases: ['INFO'] },
  { name: 'WARNING', value: 30, aliases: ['WARNING', 'WARN'] },
  { name: 'ERROR', value: 40, aliases: ['ERROR'] },
  { name: 'CRITICAL', value: 50, aliases: ['CRITICAL'] },
] as const;

export type LogLevelName = (typeof LOG_LEVELS)[number]['name'];

/** The numeric level of a stored level name; unknown names sort with INFO. */
export function logLevelValue(name: string | null | undefined): number {
  const upper = name?.toUpperCase();
  return LOG_LEVELS.find((level) => (level.aliases as readonly string[]).includes(upper ?? ''))?.value ?? 20;
}

/** The stored names that a chosen set of levels matches (WARNING also matches WARN). */
export function storedLevelNames(levels: Iterable<LogLevelName>): string[] {
  const wanted = new Set(levels);
  return LOG_LEVELS.filter((level) => wanted.has(level.name)).flatMap((level) => [...level.aliases]);
}
