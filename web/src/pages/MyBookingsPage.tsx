// `/bookings`: the signed-in customer's bookings, newest first.
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { useSessionContext } from '../auth/session-context.tsx';
import { ErrorNotice, Loading } from '../components/Notices.tsx';
import { money } from '../format/money.ts';
import { localDate, localTime } from '../format/time.ts';
import { MyBookingsQuery } from '../graphql/bookings.ts';
import { usePageTitle } from './page-title.ts';

export function MyBookingsPage() {
  usePageTitle('My bookings');
  const { session } = useSessionContext();
  const { data, loading, error } = useQuery(MyBookingsQuery, {
    skip: !session,
    fetchPolicy: 'cache-and-network',
  });
  if (!session)
    return (
      <div className="page">
        <h1>My bookings</h1>
        <p>
          <Link to="/login?next=%2Fbookings">Log in</Link> to see your bookings.
        </p>
      </div>
    );
  const bookings = data?.me?.bookings ?? [];
  return (
    <div className="page page-bookings">
      <h1>My bookings</h1>
      {loading && !data && <Loading label="Loading your bookings…" />}
      <ErrorNotice error={error} />
      {data && bookings.length === 0 && (
        <p>
          No bookings yet. <Link to="/">Search flights</Link>
        </p>
      )}
      <ul className="booking-list">
        {bookings.map((b) => (
          <li key={b.id} className="card booking-card">
            <Link to={`/bookings/${b.id}`} className="booking-link">
              <span className="reference">{b.reference}</span>{' '}
              {b.flight
                ? `${b.flight.number} ${b.flight.origin.code} → ${b.flight.destination.code}, ${localDate(b.flight.departureTime, b.flight.origin.timeZone)} ${localTime(b.flight.departureTime, b.flight.origin.timeZone)}`
                : 'flight details unavailable'}
            </Link>
            <span className="booking-meta">
              <span className={`badge badge-${b.status.toLowerCase()}`}>
                {b.status.replace('_', ' ').toLowerCase()}
              </span>
              <span>
                {b.passengers.length} seat{b.passengers.length === 1 ? '' : 's'} ·{' '}
                {money(b.totalPrice)}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
