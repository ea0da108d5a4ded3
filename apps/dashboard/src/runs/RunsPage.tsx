import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { STATE_NAMES } from '../maps/state';
import { FlowSelect } from './FlowSelect';
import { RunsByName } from './RunsByName';
import { RunsTable } from './RunsTable';

/** How often the runs table asks for news while auto refresh is on. */
export const RUNS_REFRESH_MS = 5000;

/** The list of flow runs: newest first, searchable by name, filterable by state and flow. */
export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get('name') ?? undefined;
  const state = params.get('state') ?? undefined;
  const flowGroupId = params.get('flow') ?? undefined;
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const pollInterval = autoRefresh ? RUNS_REFRESH_MS : 0;
  useDocumentTitle(name === undefined ? 'Flow runs' : `Flow runs named ${name}`);
  const searchRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState(name ?? '');
  const ids = { search: useId(), state: useId(), flow: useId(), refresh: useId() };

  useEffect(() => {
    setDraft(name ?? '');
  }, [name]);

  // "/" jumps to the search box, as in most tools a team keeps open.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || (event.target as HTMLElement).matches('input, select, textarea')) return;
      event.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    // A new question starts at its first page.
    if (!('offset' in changes)) next.delete('offset');
    setParams(next);
  };

  const onSearch = (event: SyntheticEvent) => {
    event.preventDefault();
    update({ name: draft.trim() });
  };

  return (
    <main className="page" aria-labelledby="runs-title">
      <header className="page-header">
        <h1 id="runs-title">Flow runs</h1>
        <label className="toggle" htmlFor={ids.refresh}>
          <input
            id={ids.refresh}
            type="checkbox"
            checked={autoRefresh}
            onChange={(event) => {
              setAutoRefresh(event.target.checked);
            }}
          />
          Auto refresh <span className="muted">(every {RUNS_REFRESH_MS / 1000} s)</span>
        </label>
      </header>

      <div className="toolbar">
        <form className="search" role="search" onSubmit={onSearch}>
          <label htmlFor={ids.search} className="visually-hidden">
            Flow run name
          </label>
          <input
            id={ids.search}
            ref={searchRef}
            type="search"
            className="input search__input"
            placeholder="Find runs by name or part of it, e.g. woodoo or woodoo-leopard   ( / )"
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
            }}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className="button button--primary">
            Find
          </button>
          {name !== undefined && (
            <button
              type="button"
              className="button"
              onClick={() => {
                update({ name: undefined });
              }}
            >
              Clear
            </button>
          )}
        </form>
        {name === undefined && (
          <div className="filters">
            <label htmlFor={ids.state}>State</label>
            <select
              id={ids.state}
              className="input"
              value={state ?? ''}
              onChange={(event) => {
                update({ state: event.target.value });
              }}
            >
              <option value="">Any state</option>
              {STATE_NAMES.map((stateName) => (
                <option key={stateName} value={stateName}>
                  {stateName}
                </option>
              ))}
            </select>
            <label htmlFor={ids.flow}>Flow</label>
            <FlowSelect
              id={ids.flow}
              value={flowGroupId}
              onChange={(value) => {
                update({ flow: value });
              }}
            />
            {(state !== undefined || flowGroupId !== undefined) && (
              <button
                type="button"
                className="button button--link"
                onClick={() => {
                  update({ state: undefined, flow: undefined });
                }}
              >
                Clear filters
              </button>
            )}
          </div>
        )}
      </div>

      {name !== undefined ? (
        <RunsByName name={name} pollInterval={pollInterval} />
      ) : (
        <RunsTable
          criteria={{ state, flowGroupId }}
          offset={offset}
          pollInterval={pollInterval}
          onOffset={(value) => {
            update({ offset: value === 0 ? undefined : String(value) });
          }}
          onClearFilters={() => {
            update({ state: undefined, flow: undefined });
          }}
        />
      )}
    </main>
  );
}
