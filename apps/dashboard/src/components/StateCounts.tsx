import type { CSSProperties } from 'react';
import type { StateCount } from '../maps/counts';
import { stateFromName } from '@runview/core';

/** "48 Success · 2 Failed" with a proportional bar; the text carries the meaning. */
export function StateCounts({ counts, total }: { readonly counts: readonly StateCount[]; readonly total: number }) {
  if (total === 0) return <span className="muted">none</span>;
  return (
    <span className="state-counts">
      <span className="state-counts__bar" aria-hidden="true">
        {counts.map((entry) => (
          <span
            key={entry.state}
            className="state-counts__segment"
            style={{ flexGrow: entry.count, '--state-color': stateFromName(entry.state).color } as CSSProperties}
          />
        ))}
      </span>
      <span className="state-counts__text">
        {counts.map((entry, index) => (
          <span key={entry.state}>
            {index > 0 && ' · '}
            <span className="state-counts__dot" aria-hidden="true" style={{ '--state-color': stateFromName(entry.state).color } as CSSProperties} />
            {entry.count} {entry.state}
          </span>
        ))}
      </span>
    </span>
  );
}
