import { Migration } from '@mikro-orm/migrations';

/**
 * What the saga needs to check a payment result against the request it made, what the customer
 * actually paid, and the per-booking version of its status for live views.
 */
export class Migration20261201000000_booking_money_checks extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE booking
        ADD COLUMN status_version integer NOT NULL DEFAULT 0 CHECK (status_version >= 0),
        ADD COLUMN payment_request_key varchar(100),
        ADD COLUMN payment_requested_at timestamptz,
        ADD COLUMN paid_minor integer CHECK (paid_minor >= 0),
        ADD COLUMN paid_currency char(3)`);
    // Rows from before: created once, and their payment was requested under the customer's key.
    this.addSql('UPDATE booking SET status_version = 1');
    this.addSql(
      'UPDATE booking SET payment_request_key = payment_idempotency_key WHERE payment_idempotency_key IS NOT NULL',
    );
    // The old saga recorded no paid amount: what it confirmed was the booking's total.
    this.addSql(`
      UPDATE booking SET paid_minor = total_minor, paid_currency = currency
        WHERE status = 'CONFIRMED' OR saga_step = 'CONFIRMING_SEATS'`);
    // The live-hold cap counts these for one customer on every createBooking.
    this.addSql(`
      CREATE INDEX booking_live_hold_index ON booking (customer_id)
        WHERE status IN ('HELD', 'PAYMENT_PENDING')`);
  }
}
