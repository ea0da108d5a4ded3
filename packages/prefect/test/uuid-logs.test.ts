// Ids and log levels, as every package checks and reads them.
import { describe, expect, it } from 'vitest';
import { isLogLevelName, isUuid, LOG_LEVEL_NAMES, logLevelAliases, logLevelName, logLevelNumber, UUID_PATTERN } from '../src/index.js';

describe('uuids', () => {
  it('accept any version in either case, hyphenated, and nothing else', () => {
    expect(isUuid('4c0101af-c6bb-4b96-8661-63a5bbfb5596')).toBe(true);
    expect(isUuid('4C0101AF-C6BB-4B96-8661-63A5BBFB5596')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    for (const value of [
      '4c0101afc6bb4b96866163a5bbfb5596',
      '4c0101af-c6bb-4b96-8661-63a5bbfb5596x',
      ' 4c0101af-c6bb-4b96-8661-63a5bbfb5596',
      'g0000000-0000-0000-0000-000000000000',
      '',
      42,
      null,
    ]) {
      expect(isUuid(value), String(value)).toBe(false);
    }
    expect(UUID_PATTERN.flags).toBe('i');
  });
});

describe('log levels', () => {
  it("number names as Python's logging does, in any case, aliases included", () => {
    expect(LOG_LEVEL_NAMES.map(logLevelNumber)).toEqual([10, 20, 30, 40, 50]);
    expect(logLevelNumber('warn')).toBe(30);
    expect(logLevelNumber('FATAL')).toBe(50);
    expect(logLevelNumber(null)).toBe(20);
    expect(logLevelNumber('35')).toBe(35);
    expect(logLevelNumber('CHATTY')).toBe(0);
  });

  it('name the standard numbers and list the aliases a filter must match', () => {
    expect(logLevelName(30)).toBe('WARNING');
    expect(logLevelName(35)).toBeUndefined();
    expect(logLevelAliases(30)).toEqual(['WARN', 'WARNING']);
    expect(logLevelAliases(50)).toEqual(['FATAL', 'CRITICAL']);
    expect(logLevelAliases(35)).toEqual([]);
    expect(isLogLevelName('ERROR')).toBe(true);
    expect(isLogLevelName('error')).toBe(false);
    expect(isLogLevelName('WARN')).toBe(false);
  });
});
