import { Migration } from '@mikro-orm/migrations';

/**
 * A declined or failed payment no longer ends the booking: it goes back to HELD with the failure
 * shown, and only the third failure (or one after the hold lapsed) ends it PAYMENT_FAILED.
 */
export class Migration20261215000000_payment_retries extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE booking
        ADD COLUMN payment_failures integer NOT NULL DEFAULT 0 CHECK (payment_failures >= 0),
        ADD COLUMN payment_error_code text
          CHECK (payment_error_code IN ('PAYMENT_DECLINED', 'PAYMENT_UNAVAILABLE')),
        ADD COLUMN payment_error_message varchar(500)`);
    // Failed under the old rule (one failure ended the booking): counted once.
    this.addSql(`UPDATE booking SET payment_failures = 1 WHERE status = 'PAYMENT_FAILED'`);
  }
}
