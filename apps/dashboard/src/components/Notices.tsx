import type { ReactNode } from 'react';
import { useDashboardConfig } from '../context';
import { explainError } from '../errors';

/** A failed request, what it means and what to do, with a retry. */
export function ErrorNotice({ error, onRetry, what }: { readonly error: unknown; readonly onRetry?: () => void; readonly what: string }) {
  const { apiUrl } = useDashboardConfig();
  const explanation = explainError(error, apiUrl);
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__title">{explanation.title}</p>
      <p className="notice__detail">
        Could not load {what}. {explanation.detail}
      </p>
      <p className="notice__hint">{explanation.hint}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Something is on its way. */
export function Loading({ what }: { readonly what: string }) {
  return (
    <div className="notice notice--loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** Nothing to show, and why, with a way on. */
export function EmptyNotice({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="notice notice--empty">
      <p className="notice__title">{title}</p>
      {children}
    </div>
  );
}
