import { useQuery } from '@apollo/client/react';
import { FlowRunStatesDocument } from '@runview/documents';
import type { CSSProperties } from 'react';
import { ErrorNotice, Loading } from '../components/Notices';
import { StateBadge } from '../components/StateBadge';
import { formatTimestamp } from '../format';
import { formatDuration, runDuration, stateFromName } from '@runview/core';

/** Every state the run went through, oldest first, with how long it stayed in each. */
export function StateHistory({ flowRunId, pollInterval, now }: { readonly flowRunId: string; readonly pollInterval: number; readonly now: number }) {
  const { data, previousData, error, refetch } = useQuery(FlowRunStatesDocument, { variables: { flowRunId }, pollInterval });
  const shown = data ?? previousData;
  let body;
  if (!shown) {
    body = error ? <ErrorNotice error={error} what="the state history" onRetry={() => void refetch()} /> : <Loading what="states" />;
  } else if (shown.flow_run_state.length === 0) {
    body = <p className="muted">No states recorded yet.</p>;
  } else {
    const states = shown.flow_run_state;
    const spans = states.map((state, index) => {
      const next = states[index + 1];
      // A finished run's last state has no length; a live one's lasts until now.
      const to = next ? next.timestamp : stateFromName(state.state).isFinished() ? state.timestamp : new Date(now);
      return Math.max(0, runDuration(state.timestamp, to) ?? 0);
    });
    const total = spans.reduce((sum, span) => sum + span, 0);
    body = (
      <>
        {total > 0 && (
          <div className="timeline-bar" aria-hidden="true">
            {states.map((state, index) => (
              <span
                key={state.id}
                className="timeline-bar__segment"
                style={{ flexGrow: spans[index] ?? 0, '--state-color': stateFromName(state.state).color } as CSSProperties}
                title={state.state}
              />
            ))}
          </div>
        )}
        <ol className="timeline">
          {states.map((state, index) => {
            const isLast = index === states.length - 1;
            const finishedLast = isLast && stateFromName(state.state).isFinished();
            return (
              <li key={state.id} className="timeline__item" style={{ '--state-color': stateFromName(state.state).color } as CSSProperties}>
                <div className="timeline__head">
                  <StateBadge state={state.state} />
                  <time dateTime={state.timestamp} className="muted">
                    {formatTimestamp(state.timestamp)}
                  </time>
                  {!finishedLast && (
                    <span className="muted timeline__span">
                      {isLast ? 'for ' : ''}
                      {formatDuration(spans[index] ?? 0)}
                    </span>
                  )}
                </div>
                {state.message && <p className="timeline__message">{state.message}</p>}
              </li>
            );
          })}
        </ol>
      </>
    );
  }
  return (
    <section className="card" aria-labelledby="state-history-title">
      <header className="card__header">
        <h2 id="state-history-title">State history</h2>
        {shown && <span className="muted">{shown.flow_run_state.length} states</span>}
      </header>
      {error && shown && <ErrorNotice error={error} what="the latest states" onRetry={() => void refetch()} />}
      {body}
    </section>
  );
}
