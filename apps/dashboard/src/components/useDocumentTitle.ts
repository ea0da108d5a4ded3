import { useEffect } from 'react';

/** Names the browser tab after the page, so a tab kept open says what it shows. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · runview`;
  }, [title]);
}
