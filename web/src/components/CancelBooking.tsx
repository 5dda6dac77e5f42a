// Cancelling a booking, asked twice: seats are released and what was charged is refunded.
import type { BookingStatus } from '../__generated__/graphql.ts';
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { CancelBookingMutation } from '../graphql/bookings.ts';
import { ErrorNotice } from './Notices.tsx';

const CONSEQUENCES: Partial<Record<BookingStatus, string>> = {
  HELD: 'Your seats are released. Nothing has been charged.',
  PAYMENT_PENDING: 'Your seats are released and anything charged is refunded to your card.',
  CONFIRMED: 'Your seats are released and the amount you paid is refunded to your card.',
};

export function CancelBooking({ bookingId, status }: { bookingId: string; status: BookingStatus }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [cancel, cancelling] = useMutation(CancelBookingMutation);
  if (!asking)
    return (
      <button type="button" className="secondary danger" onClick={() => setAsking(true)}>
        Cancel booking
      </button>
    );
  return (
    <div className="confirm-cancel card" role="group" aria-labelledby="cancel-title">
      <h2 id="cancel-title">Cancel this booking?</h2>
      <p>{CONSEQUENCES[status] ?? 'Your seats are released.'}</p>
      <div className="field">
        <label htmlFor="cancel-reason">Reason (optional)</label>
        <input id="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="button-row">
        <button
          type="button"
          className="primary danger"
          disabled={cancelling.loading}
          onClick={() =>
            void cancel({ variables: { id: bookingId, reason: reason.trim() || null } }).catch(
              () => undefined,
            )
          }
        >
          {cancelling.loading ? 'Cancelling…' : 'Yes, cancel booking'}
        </button>
        <button type="button" className="secondary" onClick={() => setAsking(false)}>
          Keep booking
        </button>
      </div>
      <ErrorNotice error={cancelling.error} />
    </div>
  );
}
