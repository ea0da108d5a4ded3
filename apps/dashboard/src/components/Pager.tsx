interface PagerProps {
  readonly offset: number;
  readonly limit: number;
  readonly total: number | undefined;
  readonly onChange: (offset: number) => void;
  /** What is being paged, for assistive technology ("flow runs", "task runs"). */
  readonly label: string;
}

/** Previous / next over an offset-paged list, with the position written out. */
export function Pager({ offset, limit, total, onChange, label }: PagerProps) {
  const last = total === undefined ? offset + limit : Math.min(offset + limit, total);
  const first = total === 0 ? 0 : offset + 1;
  return (
    <nav className="pager" aria-label={`Pages of ${label}`}>
      <span className="pager__position" aria-live="polite">
        {first}–{last} of {total ?? '…'}
      </span>
      <button
        type="button"
        className="button"
        onClick={() => {
          onChange(Math.max(0, offset - limit));
        }}
        disabled={offset === 0}
      >
        ‹ Previous
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          onChange(offset + limit);
        }}
        disabled={total === undefined || offset + limit >= total}
      >
        Next ›
      </button>
    </nav>
  );
}
