// `/bookings/:bookingId`: the booking, following bookingStatusChanged live (HELD with its
// countdown and card form, PAYMENT_PENDING, CONFIRMED with e-tickets, back to HELD with the
// payment's error) and its flight's status; cancel with the refund shown.
import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import type { BookingStatus, PaymentFieldsFragment } from '../__generated__/graphql.ts';
import { useSessionContext } from '../auth/session-context.tsx';
import { CancelBooking } from '../components/CancelBooking.tsx';
import { FlightDisruption, FlightFacts, FlightTimes } from '../components/FlightSummary.tsx';
import { HoldCountdown } from '../components/HoldCountdown.tsx';
import { ErrorNotice, Loading } from '../components/Notices.tsx';
import { PaymentForm } from '../components/PaymentForm.tsx';
import { RefundInfo } from '../components/RefundInfo.tsx';
import { money } from '../format/money.ts';
import { BookingQuery } from '../graphql/bookings.ts';
import { useLiveBookingStatus, useLiveFlightStatus } from '../live/live-hooks.ts';
import { usePageTitle } from './page-title.ts';

const STATUS_TEXT: Record<BookingStatus, string> = {
  HELD: 'Seats held, waiting for payment',
  PAYMENT_PENDING: 'Processing your payment…',
  CONFIRMED: 'Confirmed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired: the hold ran out before payment',
  PAYMENT_FAILED: 'Payment failed',
};
const CANCELLABLE = new Set<BookingStatus>(['HELD', 'PAYMENT_PENDING', 'CONFIRMED']);

export function BookingPage() {
  const { bookingId = '' } = useParams();
  const { session, config } = useSessionContext();
  const { data, loading, error } = useQuery(BookingQuery, {
    variables: { id: bookingId },
    skip: !session,
  });
  const booking = data?.booking;
  usePageTitle(booking ? `Booking ${booking.reference}` : 'Booking');
  useLiveBookingStatus(bookingId, !!session);
  useLiveFlightStatus(booking?.flight?.id);

  if (!session)
    return (
      <div className="page">
        <h1>Booking</h1>
        <p>
          <Link to={`/login?next=${encodeURIComponent(`/bookings/${bookingId}`)}`}>Log in</Link> to
          see this booking.
        </p>
      </div>
    );
  if (loading && !booking) return <Loading label="Loading the booking…" />;
  if (!booking)
    return (
      <ErrorNotice error={error} message={error ? undefined : 'We could not find this booking.'} />
    );
  const flight = booking.flight;
  return (
    <div className="page page-booking">
      <h1>
        Booking <span className="reference">{booking.reference}</span>
      </h1>
      <section
        className={`card status-panel status-${booking.status.toLowerCase()}`}
        aria-labelledby="status-title"
      >
        <h2 id="status-title" className="visually-hidden">
          Status
        </h2>
        <p
          className="booking-status"
          role="status"
          data-testid="booking-status"
          data-status={booking.status}
        >
          <span aria-hidden="true">{statusGlyph(booking.status)}</span>
          {STATUS_TEXT[booking.status]}
        </p>
        {booking.status === 'PAYMENT_PENDING' && <span className="spinner" aria-hidden="true" />}
        {booking.statusReason && booking.status !== 'HELD' && <p>{booking.statusReason}</p>}
        {booking.status === 'CONFIRMED' && <PaidWith payment={data?.booking?.payment ?? null} />}
        {booking.status === 'HELD' && booking.holdExpiresAt && (
          <HoldCountdown expiresAt={booking.holdExpiresAt} />
        )}
        {booking.status === 'HELD' && booking.paymentError && (
          <p className="notice notice-error" role="alert" data-testid="payment-error">
            <span aria-hidden="true">⚠ </span>
            Payment failed: {booking.paymentError.message.replace(/\.$/, '')}.{' '}
            {booking.paymentError.code === 'PAYMENT_DECLINED'
              ? 'Your seats are still held: try another card.'
              : 'Nothing was charged and your seats are still held: please try again in a minute.'}
          </p>
        )}
      </section>
      {flight ? (
        <section className="card flight-card" aria-label="Flight">
          <FlightFacts flight={flight} />
          <FlightTimes flight={flight} />
          <FlightDisruption flight={flight} />
        </section>
      ) : (
        <ErrorNotice message="The flight's details are unavailable right now." />
      )}
      <section className="card" aria-labelledby="passengers-title">
        <h2 id="passengers-title">Passengers</h2>
        <table className="passengers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Seat</th>
              <th scope="col">Price</th>
              <th scope="col">E-ticket</th>
            </tr>
          </thead>
          <tbody>
            {booking.passengers.map((p) => (
              <tr key={p.seat}>
                <td>
                  {p.givenName} {p.familyName}
                </td>
                <td>{p.seat}</td>
                <td>{money(p.price)}</td>
                <td
                  data-testid={`ticket-${p.seat}`}
                  className={p.ticketNumber ? 'ticket-number' : undefined}
                >
                  {p.ticketNumber ?? (booking.status === 'CANCELLED' ? '—' : 'issued once paid')}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td colSpan={2}>
                <strong data-testid="booking-total">{money(booking.totalPrice)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
      {booking.status === 'HELD' && (
        <section className="card">
          <PaymentForm
            bookingId={booking.id}
            total={booking.totalPrice}
            showTestCards={config.testCards}
          />
        </section>
      )}
      {booking.status === 'CANCELLED' && (
        <section className="card" aria-labelledby="refund-title">
          <h2 id="refund-title">Refund</h2>
          <RefundInfo bookingId={booking.id} payment={data?.booking?.payment ?? null} />
        </section>
      )}
      {CANCELLABLE.has(booking.status) && (
        <CancelBooking bookingId={booking.id} status={booking.status} />
      )}
      {(booking.status === 'EXPIRED' || booking.status === 'PAYMENT_FAILED') && flight && (
        <p>
          <Link to={`/flights/${flight.id}?passengers=${booking.passengers.length}`}>
            Choose seats on {flight.number} again
          </Link>
        </p>
      )}
    </div>
  );
}

/** A glyph beside the status word for the statuses that end a booking's journey. */
function statusGlyph(status: BookingStatus): string {
  switch (status) {
    case 'CONFIRMED':
      return '✓ ';
    case 'CANCELLED':
    case 'EXPIRED':
    case 'PAYMENT_FAILED':
      return '✕ ';
    default:
      return '';
  }
}

/** How a confirmed booking was paid (brand and last four digits only: all that is kept). */
function PaidWith({ payment }: { payment: PaymentFieldsFragment | null }) {
  if (!payment) return null;
  const card =
    payment.cardBrand && payment.cardLast4
      ? ` with your ${payment.cardBrand} card ending ${payment.cardLast4}`
      : '';
  return (
    <p>
      Paid {money(payment.amount)}
      {card}. Your e-tickets are below.
    </p>
  );
}
