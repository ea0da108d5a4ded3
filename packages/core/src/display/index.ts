/** What the CLI and the dashboard print for a run: one display layer, so both read the same. */
export { formatDuration, formatRunDuration, instantMs, runDuration, type Instant } from './duration.js';
export { flowRunSummaryOf, type FlowRunSummary, type FlowRunSummaryRow } from './flow-run-summary.js';
export { timeAgo } from './relative.js';
export { stateFromName } from './state.js';
export { formatClock, formatDate, formatDateTime, type TimeOptions } from './time.js';
