import { useQuery } from '@apollo/client/react';
import { ApiInfoDocument } from '@runview/documents';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { useDashboardConfig } from './context';
import { FlowRunPage } from './flow-run/FlowRunPage';
import { ByNamePage } from './pages/ByNamePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RunsPage } from './runs/RunsPage';

/** The frame every page shares: where we are, and which API answers. */
export function App() {
  return (
    <>
      <a href="#content" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/runs" className="topbar__brand" end>
          <span className="topbar__logo" aria-hidden="true" />
          runview
        </NavLink>
        <nav aria-label="Main" className="topbar__nav">
          <NavLink to="/runs">Flow runs</NavLink>
        </nav>
        <ApiStatus />
      </header>
      <div id="content">
        <Routes>
          <Route path="/" element={<Navigate to="/runs" replace />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/by-name/:name" element={<ByNamePage />} />
          <Route path="/runs/:id" element={<FlowRunPage />} />
          <Route path="*" element={<NotFoundPage title="Page not found" detail="There is nothing at this address." />} />
        </Routes>
      </div>
    </>
  );
}

/** Which backend the dashboard reads from, and whether it answers. */
function ApiStatus() {
  const { apiUrl } = useDashboardConfig();
  const { data, error } = useQuery(ApiInfoDocument, { pollInterval: 30_000 });
  const host = new URL(apiUrl).host;
  const api = data?.api;
  const backend = api?.version ?? undefined;
  const state = error ? 'down' : data ? 'up' : 'unknown';
  return (
    <p className={`api-status api-status--${state}`} title={[api?.backend, apiUrl].filter(Boolean).join(' · ')}>
      <span className="api-status__dot" aria-hidden="true" />
      {state === 'down' ? `Cannot reach ${host}` : `${backend ?? 'API'} · ${host}`}
    </p>
  );
}
