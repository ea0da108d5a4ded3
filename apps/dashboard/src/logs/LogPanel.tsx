import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorNotice } from '../components/Notices';
import { formatClock, formatDate, formatTimestamp } from '../format';
import { ALL_SOURCES, LOG_LEVELS, levelTone, type LogLevelName, type LogSource } from '../maps/logs';
import { useLogFollower, type LogFollowStatus, type LogTransport } from './useLogFollower';

/** A task run a person can narrow the logs to. */
export interface TaskOption {
  readonly taskRunId: string;
  readonly label: string;
}

interface LogPanelProps {
  readonly flowRunId: string;
  readonly live: boolean;
  readonly source: LogSource;
  readonly onSource: (source: LogSource) => void;
  /** Task runs to pick from, and the names log lines are labelled with. */
  readonly tasks: readonly TaskOption[];
}

const LOG_VIEW_PADDING = 12;
const ALL_LEVELS: ReadonlySet<LogLevelName> = new Set(LOG_LEVELS);
function statusText(status: LogFollowStatus, transport: LogTransport | null): string {
  if (status !== 'following') return status === 'loading' ? 'loading…' : 'complete';
  return transport === 'live' ? 'following live' : transport === 'poll' ? 'following (polling)' : 'following';
}

/**
 * A flow run's logs, followed live and filtered by level and task. Only the lines in view are
 * in the DOM, so a run with 100,000 lines scrolls as smoothly as one with ten.
 */
export function LogPanel({ flowRunId, live, source, onSource, tasks }: LogPanelProps) {
  const [levels, setLevels] = useState<ReadonlySet<LogLevelName>>(ALL_LEVELS);
  const filter = useMemo(
    // Every level ticked needs no level filter at all.
    () => ({ levels: levels.size === LOG_LEVELS.length ? undefined : [...levels], taskRunId: source.kind === 'task' ? source.taskRunId : undefined }),
    [levels, source],
  );
  const follow = useLogFollower({ flowRunId, filter, live });
  const [following, setFollowing] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);
  const ids = { title: useId(), task: useId(), levels: useId() };
  const taskNames = useMemo(() => new Map(tasks.map((task) => [task.taskRunId, task.label])), [tasks]);

  const virtualizer = useVirtualizer({
    count: follow.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 21,
    overscan: 24,
    getItemKey: (index) => follow.lines[index]?.id ?? index,
  });

  // Keep the newest line in view while following; a person scrolling up stops it.
  useLayoutEffect(() => {
    if (following && follow.count > 0) virtualizer.scrollToIndex(follow.count - 1, { align: 'end' });
  }, [following, follow.count, virtualizer]);

  useEffect(() => {
    setFollowing(true);
  }, [filter]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 32;
    if (element.scrollTop < lastScrollTop.current - 4 && !atBottom) setFollowing(false);
    else if (atBottom) setFollowing(true);
    lastScrollTop.current = element.scrollTop;
  };

  const toggleLevel = (level: LogLevelName) => {
    const next = new Set(levels);
    if (next.has(level)) next.delete(level);
    else next.add(level);
    setLevels(next);
  };

  const sourceValue = source.kind === 'task' ? source.taskRunId : 'all';
  const sourceIsListed = source.kind !== 'task' || tasks.some((task) => task.taskRunId === source.taskRunId);

  return (
    <section className="card log-panel" aria-labelledby={ids.title}>
      <header className="card__header">
        <h2 id={ids.title}>Logs</h2>
        <span className="muted log-panel__status" data-testid="log-status">
          {follow.count.toLocaleString()} {follow.count === 1 ? 'line' : 'lines'} · {statusText(follow.status, follow.transport)}
        </span>
        <div className="log-panel__controls">
          <fieldset className="level-filter">
            <legend className="visually-hidden">Levels</legend>
            {LOG_LEVELS.map((level) => (
              <label key={level} className="chip">
                <input
                  type="checkbox"
                  checked={levels.has(level)}
                  onChange={() => {
                    toggleLevel(level);
                  }}
                />
                {level}
              </label>
            ))}
          </fieldset>
          <label htmlFor={ids.task} className="visually-hidden">
            Task
          </label>
          <select
            id={ids.task}
            className="input"
            value={sourceValue}
            onChange={(event) => {
              const value = event.target.value;
              if (value === 'all') onSource(ALL_SOURCES);
              else onSource({ kind: 'task', taskRunId: value, label: taskNames.get(value) ?? value });
            }}
          >
            <option value="all">All tasks</option>
            {!sourceIsListed && <option value={source.taskRunId}>{source.label}</option>}
            {tasks.map((task) => (
              <option key={task.taskRunId} value={task.taskRunId}>
                {task.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            aria-pressed={following}
            onClick={() => {
              setFollowing(!following);
            }}
          >
            {following ? 'Following' : 'Follow'}
          </button>
        </div>
      </header>
      {follow.error !== undefined && <ErrorNotice error={follow.error} what="new log lines (retrying)" onRetry={follow.reload} />}
      {follow.count === 0 && follow.status !== 'loading' ? (
        <p className="log-panel__empty muted">
          {levels.size === 0 ? 'No levels selected.' : live ? 'No log lines yet; new lines appear here as they are written.' : 'No log lines match.'}
        </p>
      ) : (
        <div
          ref={scrollRef}
          className="log-view"
          role="region"
          aria-label="Log lines"
          tabIndex={0}
          onScroll={onScroll}
          // As tall as its lines, up to the CSS max-height; then it scrolls.
          style={{ height: virtualizer.getTotalSize() + LOG_VIEW_PADDING }}
        >
          <div role="list" aria-label={`${follow.count} log lines`} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const line = follow.lines[item.index];
              if (!line) return null;
              const taskName = line.taskRunId === null ? undefined : taskNames.get(line.taskRunId);
              // The date heads the first line and every line whose date differs from the one before.
              const date = formatDate(line.timestampRaw);
              const previous = follow.lines[item.index - 1];
              const showDate = previous === undefined || formatDate(previous.timestampRaw) !== date;
              return (
                <div
                  key={item.key}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  role="listitem"
                  aria-setsize={follow.count}
                  aria-posinset={item.index + 1}
                  className={`log-line log-line--${levelTone(line.level)}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <time className="log-line__time" dateTime={line.timestampRaw} title={formatTimestamp(line.timestampRaw)}>
                    {showDate && <span className="log-line__date">{date}</span>}
                    {formatClock(line.timestampRaw)}
                  </time>
                  <span className="log-line__level">{line.levelName}</span>
                  <span className="log-line__source" title={line.name ?? undefined}>
                    {taskName ?? line.name ?? ''}
                  </span>
                  <span className="log-line__message">{line.message}</span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
