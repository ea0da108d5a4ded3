// Late log batches at the size they were reported lost at on PostgreSQL: 32,000 lines, here
// from 8 runners at once (the report had 4), 100 lines a batch, while a reader resumes from its
// cursor every ~2.3 pages and two watchers follow the run. PostgreSQL only: there concurrent
// batches commit in whatever order their transactions end, on top of the runners' late
// timestamps. PGlite runs one transaction at a time, so only the late timestamps apply, and
// those do not change with the size: logs-late-writers.test.ts covers them on PGlite.
import { describeLateWriters } from './support/late-writers.js';

describeLateWriters({ writers: 8, rounds: 40, linesPerBatch: 100, backends: ['PostgreSQL'] });
