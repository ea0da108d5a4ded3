// `runview serve` end to end, at its real pace: the binary migrating and seeding an in-memory
// database, and --simulate driving runs one after another at the simulator's own step time.
// Run in the second phase of `npm test` (with the other *.e2e.test.ts files).
import { describe, expect, it } from 'vitest';
import { startMain } from './support/in-process.js';
import { serveDemoUntilSigterm } from './support/serve-binary.js';
import { demoDataCopy } from './support/server.js';

// The in-memory start migrates and seeds in the child: on a busy machine that alone can take minutes.
const SERVER_TEST_TIMEOUT = 360_000;

describe('runview serve, end to end', () => {
  it(
    'starts in memory with the demo data, prints its URL on the first line, and stops on SIGTERM',
    async () => {
      const result = await serveDemoUntilSigterm([], SERVER_TEST_TIMEOUT);
      expect(result.code).toBe(0);
      // It said what it was doing while the database started, then that it was ready.
      expect(result.stderr).toMatch(/^Starting the database \(embedded, in memory\) and loading the demo data: this takes a few seconds\.\.\.\n/);
      expect(result.stderr).toMatch(/listening \(database: embedded, in memory; demo data; open, no API keys\)\. Ready in \d+\.\ds\./);
    },
    SERVER_TEST_TIMEOUT,
  );

  it(
    '--simulate keeps one live run at a time, and --simulate-runs stops after N',
    async () => {
      const data = demoDataCopy();
      try {
        const serving = startMain(['serve', '--port', '0', '--seed', 'demo', '--database', data.directory, '--simulate', '0.1', '--simulate-runs', '2']);
        const stderr = await serving.stderrMatching(/simulation: 2 runs done/);
        serving.stop();
        expect((await serving.result).code).toBe(0);
        const events = stderr
          .split('\n')
          .filter((line) => line.startsWith('simulated flow run'))
          .map((line) => (line.includes(' started: ') ? 'start' : 'end'));
        expect(events).toEqual(['start', 'end', 'start', 'end']);
        expect(stderr).toMatch(/^simulated flow run \S+ ended Success$/m);
      } finally {
        data.remove();
      }
    },
    SERVER_TEST_TIMEOUT,
  );
});
