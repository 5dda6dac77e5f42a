import { Link } from 'react-router';
import { usePageTitle } from './page-title.ts';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Search flights</Link>
      </p>
    </div>
  );
}
