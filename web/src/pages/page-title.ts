// Each page names itself in the document title (what screen readers announce on navigation).
import { useEffect } from 'react';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Airline`;
  }, [title]);
}
