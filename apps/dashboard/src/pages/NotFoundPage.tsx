import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { useDashboardConfig } from '../context';

interface NotFoundProps {
  readonly title: string;
  readonly detail: string;
}

/** Nothing here: say what was looked for and where, and offer the ways on. */
export function NotFoundPage({ title, detail }: NotFoundProps) {
  const { apiUrl } = useDashboardConfig();
  useDocumentTitle(title);
  return (
    <main className="page page--narrow" aria-labelledby="not-found-title">
      <div className="not-found">
        <p className="not-found__code" aria-hidden="true">
          404
        </p>
        <h1 id="not-found-title">{title}</h1>
        <p>{detail}</p>
        <p className="muted">
          The dashboard is reading from <span className="mono">{apiUrl}</span>. A run created on another server will not be found here.
        </p>
        <p className="not-found__actions">
          <Link to="/runs" className="button button--primary">
            Browse flow runs
          </Link>
        </p>
      </div>
    </main>
  );
}
