import { useCallback, type KeyboardEvent } from 'react';

const ROW_LINK = '[data-row-link]';

/**
 * Arrow keys (and j / k) move between the rows of a table body by focusing each row's main
 * link, so a keyboard user can walk a long table without tabbing through every cell.
 */
export function useRowKeys(): (event: KeyboardEvent<HTMLTableSectionElement>) => void {
  return useCallback((event: KeyboardEvent<HTMLTableSectionElement>) => {
    const step = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0;
    if (step === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    if (target.matches('input, select, textarea')) return;
    const links = Array.from(event.currentTarget.querySelectorAll<HTMLElement>(ROW_LINK));
    const current = links.findIndex((link) => link === target || link.closest('tr') === target.closest('tr'));
    const next = links[current === -1 ? 0 : Math.min(links.length - 1, Math.max(0, current + step))];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }, []);
}
