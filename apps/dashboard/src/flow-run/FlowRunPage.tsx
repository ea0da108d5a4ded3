import { useQuery } from '@apollo/client/react';
import { FlowRunByIdDocument, type FlowRunByIdQuery } from '@runview/documents';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { JsonView, Labels } from '../components/JsonView';
import { ErrorNotice, Loading } from '../components/Notices';
import { StateBadge } from '../components/StateBadge';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { useNow } from '../components/useNow';
import { formatRelative, formatTimestamp } from '../format';
import { ALL_SOURCES, type LogSource } from '../maps/logs';
import { LogPanel } from '../logs/LogPanel';
import { formatDuration, isUuid, runDuration, stateFromName } from '@runview/core';
import { NotFoundPage } from '../pages/NotFoundPage';
import { CopyButton } from '../components/CopyButton';
import { FlowDetails } from './FlowDetails';
import { StateHistory } from './StateHistory';
import { TaskRunTable } from './TaskRunTable';
import { useRunWatch, type RunWatchMode } from './useRunWatch';
import { useTaskOptions } from './useTaskOptions';

/** How often a run that is not finished is asked about again, when nothing tells us it changed. */
export const LIVE_POLL_MS = 2000;
/** While a watch reports changes, the tables only re-read this often as a safety net. */
const WATCHED_POLL_MS = 15_000;

type FlowRun = FlowRunByIdQuery['flow_run'][number];

/** `/runs/<id>`: one flow run, followed live until it finishes. */
export function FlowRunPage() {
  const param: string = useParams()['id'] ?? '';
  const id = param;
  if (!isUuid(id)) {
    return <NotFoundPage title="Flow run not found" detail={`“${param}” is not a flow run id: ids look like 4c0101af-c6bb-4b96-8661-63a5bbfb5596.`} />;
  }
  return <FlowRunLoader key={id} id={id} />;
}

function FlowRunLoader({ id }: { readonly id: string }) {
  const [finished, setFinished] = useState(false);
  const [found, setFound] = useState(false);
  const watch = useRunWatch(id, found && !finished);
  const pollInterval = finished ? 0 : watch === 'live' || watch === 'poll' ? WATCHED_POLL_MS : LIVE_POLL_MS;
  const { data, previousData, error, refetch } = useQuery(FlowRunByIdDocument, { variables: { id }, pollInterval });
  const shown = data ?? previousData;
  const run = shown?.flow_run[0];
  const isFinished = run !== undefined && stateFromName(run.state).isFinished();
  if (isFinished !== finished) setFinished(isFinished);
  if ((run !== undefined) !== found) setFound(run !== undefined);

  if (!shown) {
    return (
      <main className="page">{error ? <ErrorNotice error={error} what="the flow run" onRetry={() => void refetch()} /> : <Loading what="the flow run" />}</main>
    );
  }
  if (run === undefined) {
    return <NotFoundPage title="Flow run not found" detail={`No flow run has the id ${id}. It may have been deleted.`} />;
  }
  return <FlowRunView run={run} pollInterval={pollInterval} watch={watch} error={error} onRetry={() => void refetch()} />;
}

interface FlowRunViewProps {
  readonly run: FlowRun;
  readonly pollInterval: number;
  readonly watch: RunWatchMode;
  readonly error: unknown;
  readonly onRetry: () => void;
}

function FlowRunView({ run, pollInterval, watch, error, onRetry }: FlowRunViewProps) {
  const look = stateFromName(run.state);
  const live = !look.isFinished();
  const now = useNow(live);
  const [logSource, setLogSource] = useState<LogSource>(ALL_SOURCES);
  const logsRef = useRef<HTMLDivElement>(null);
  const tasks = useTaskOptions(run.id, pollInterval);
  const duration = runDuration(run.start_time, run.end_time, new Date(now));
  const title = run.name ?? run.id;
  useDocumentTitle(`${title} (${look.type})`);

  const showLogs = (source: LogSource) => {
    setLogSource(source);
    logsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return (
    <main className="page" aria-labelledby="run-title">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/runs">Flow runs</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{title}</span>
      </nav>
      {error !== undefined && <ErrorNotice error={error} what="the latest state of this run" onRetry={onRetry} />}

      <header className="run-header" style={{ borderColor: look.color }}>
        <div className="run-header__title">
          <h1 id="run-title">{title}</h1>
          <StateBadge state={run.state} size="large" />
          {live && (
            <span className="live-pill" title={watch === 'live' ? 'Changes are pushed by the server' : `Refreshing every ${LIVE_POLL_MS / 1000} s`}>
              <span className="live-pill__dot" aria-hidden="true" /> Live
            </span>
          )}
        </div>
        <p className="run-header__message" data-testid="state-message">
          {run.state_message ?? <span className="muted">No state message</span>}
        </p>
        <p className="run-header__id">
          <span className="mono">{run.id}</span> <CopyButton text={run.id} label="Copy run id" />
        </p>
      </header>

      <dl className="facts">
        <div>
          <dt>Scheduled</dt>
          <dd>{formatTimestamp(run.scheduled_start_time)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTimestamp(run.start_time)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{formatTimestamp(run.end_time)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration === null ? '—' : `${formatDuration(duration)}${live && run.start_time ? ' so far' : ''}`}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd title={formatTimestamp(run.updated)}>{formatRelative(run.updated, now)}</dd>
        </div>
        <div>
          <dt>Flow run version</dt>
          <dd>{run.version}</dd>
        </div>
        <div className="facts__wide">
          <dt>Labels</dt>
          <dd>
            <Labels labels={run.labels} />
          </dd>
        </div>
      </dl>

      <div className="grid grid--main-side">
        <TaskRunTable flowRunId={run.id} pollInterval={pollInterval} now={now} onShowLogs={showLogs} />
        <StateHistory flowRunId={run.id} pollInterval={pollInterval} now={now} />
      </div>

      <div ref={logsRef} className="scroll-target">
        <LogPanel flowRunId={run.id} live={live} source={logSource} onSource={setLogSource} tasks={tasks} />
      </div>

      <div className="grid grid--thirds">
        <section className="card" aria-labelledby="parameters-title">
          <header className="card__header">
            <h2 id="parameters-title">Parameters</h2>
          </header>
          <JsonView value={run.parameters} empty="No parameters" />
        </section>
        <FlowDetails flowId={run.flow_id} />
        <section className="card" aria-labelledby="config-title">
          <header className="card__header">
            <h2 id="config-title">Run config and context</h2>
          </header>
          <details>
            <summary>Run config</summary>
            <JsonView value={run.run_config} />
          </details>
          <details>
            <summary>Context</summary>
            <JsonView value={run.context} />
          </details>
        </section>
      </div>
    </main>
  );
}
