// What a cancelled booking gave back. Refunds are recorded by the payments service after the
// cancellation (the provider is called outside the booking's path), so this asks again every
// second for a while until the refund shows.
import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import type { PaymentFieldsFragment } from '../__generated__/graphql.ts';
import { money, sumMoney } from '../format/money.ts';
import { BookingPaymentQuery } from '../graphql/bookings.ts';

const WAIT_FOR_REFUND_MS = 60_000;

export function RefundInfo({
  bookingId,
  payment,
}: {
  bookingId: string;
  payment: PaymentFieldsFragment | null;
}) {
  const settled = (p: PaymentFieldsFragment | null | undefined) =>
    !p || p.status === 'FAILED' || p.refunds.some((r) => r.status === 'SUCCEEDED');
  const { data, startPolling, stopPolling } = useQuery(BookingPaymentQuery, {
    variables: { id: bookingId },
    fetchPolicy: 'network-only',
  });
  const latest = data?.booking ? data.booking.payment : payment;
  const done = settled(latest);
  useEffect(() => {
    if (done) return;
    startPolling(1000);
    const giveUp = setTimeout(stopPolling, WAIT_FOR_REFUND_MS);
    return () => {
      clearTimeout(giveUp);
      stopPolling();
    };
  }, [done, startPolling, stopPolling]);

  if (!latest || latest.status === 'FAILED' || latest.status === 'PENDING')
    return <p data-testid="refund">Nothing was charged, so there is nothing to refund.</p>;
  const refunded = sumMoney(
    latest.refunds.filter((r) => r.status === 'SUCCEEDED').map((r) => r.amount),
  );
  const card =
    latest.cardBrand && latest.cardLast4
      ? ` to your ${latest.cardBrand} card ending ${latest.cardLast4}`
      : '';
  return (
    <p data-testid="refund" aria-live="polite">
      {refunded
        ? `Refunded ${money(refunded)}${card}.`
        : `A refund of ${money(latest.amount)}${card} is on its way.`}
    </p>
  );
}
