// Late log batches from 8 runners at a size that keeps the unit phase quick (7,200 lines); the
// finding's size (32,000 lines) runs at the end, in logs-late-writers.e2e.test.ts.
import { describeLateWriters } from './support/late-writers.js';

describeLateWriters({ writers: 8, rounds: 30, linesPerBatch: 30 });
