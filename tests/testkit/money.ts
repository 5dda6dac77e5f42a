import pg from 'pg';
import { databaseName, type Config } from '@airline/shared';

interface BookingRow {
  id: string;
  status: string;
  total_minor: number;
  currency: string;
}
interface PaymentRow {
  id: string;
  booking_id: string;
}
interface Charge {
  status: 'succeeded' | 'declined';
  amount: number;
  currency: string;
  amountRefunded: number;
}

// A saga still on its way: its money may legitimately be in flight.
const UNSETTLED = new Set(['PAYMENT_PENDING']);

async function rows<T>(config: Config, service: 'bookings' | 'payments', sql: string) {
  const client = new pg.Client({
    connectionString: `${config.postgresUrl}/${databaseName(config, service)}`,
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } catch (err) {
    // A suite that never started this service has no such database or table: nothing to check.
    if ((err as { code?: string }).code === '42P01') return [];
    throw err;
  } finally {
    await client.end();
  }
}

async function provider<T>(config: Config, path: string): Promise<T> {
  const res = await fetch(new URL(path, config.paymentProviderUrl));
  if (!res.ok) throw new Error(`payment provider ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Every way the stack's bookings and the provider simulator's own records disagree about money:
 * a CONFIRMED booking has exactly one successful charge, at its amount, not refunded; any other
 * booking has every successful charge fully refunded; the provider holds no successful charge
 * that no payment of ours references.
 */
export async function moneyViolations(config: Config): Promise<string[]> {
  const bookings = await rows<BookingRow>(
    config,
    'bookings',
    'SELECT id, status, total_minor, currency FROM booking',
  );
  const payments = await rows<PaymentRow>(config, 'payments', 'SELECT id, booking_id FROM payment');
  const stats = await provider<{ succeededByReference: Record<string, number> }>(
    config,
    '/v1/stats',
  );
  const known = new Set(payments.map((p) => p.id));
  const problems = Object.keys(stats.succeededByReference)
    .filter((reference) => !known.has(reference))
    .map((reference) => `provider charged reference ${reference}, which no payment records`);
  for (const booking of bookings) {
    const charges: Charge[] = [];
    for (const payment of payments.filter((p) => p.booking_id === booking.id)) {
      const list = await provider<{ data: Charge[] }>(
        config,
        `/v1/charges?reference=${encodeURIComponent(payment.id)}`,
      );
      charges.push(...list.data.filter((c) => c.status === 'succeeded'));
    }
    const what = `booking ${booking.id} (${booking.status})`;
    if (UNSETTLED.has(booking.status)) {
      problems.push(`${what} has not settled yet`);
    } else if (booking.status === 'CONFIRMED') {
      const [charge, ...more] = charges;
      if (!charge || more.length)
        problems.push(`${what} has ${charges.length} successful charges, not 1`);
      else if (charge.amount !== booking.total_minor || charge.currency !== booking.currency)
        problems.push(
          `${what} was charged ${charge.amount} ${charge.currency}, not ${booking.total_minor} ${booking.currency}`,
        );
      else if (charge.amountRefunded !== 0)
        problems.push(`${what} was refunded ${charge.amountRefunded}`);
    } else {
      for (const charge of charges.filter((c) => c.amountRefunded !== c.amount))
        problems.push(`${what} kept ${charge.amount - charge.amountRefunded} of a charge`);
    }
  }
  return problems;
}

/**
 * Waits (sagas settle asynchronously: refunds, late confirmations) until the money invariant
 * holds, and fails loudly with every violation when it still does not after `timeoutMs`.
 */
export async function assertMoneyInvariant(config: Config, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let problems = await moneyViolations(config);
  while (problems.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    problems = await moneyViolations(config);
  }
  if (problems.length) throw new Error(`money invariant violated:\n- ${problems.join('\n- ')}`);
}
