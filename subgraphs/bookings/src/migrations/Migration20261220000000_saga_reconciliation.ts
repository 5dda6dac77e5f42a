import { Migration } from '@mikro-orm/migrations';

/**
 * The saga reconciler's memory: a booking whose money it has checked against payments' records
 * (nothing kept that should have been given back) at a status version, so it is not asked again
 * until its status changes.
 */
export class Migration20261220000000_saga_reconciliation extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE saga_reconciliation (
        booking_id uuid PRIMARY KEY REFERENCES booking (id) ON DELETE CASCADE,
        status_version integer NOT NULL,
        verified_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The reconciler's scans: sagas that stopped moving, and ended bookings to check, by age.
    this.addSql('CREATE INDEX booking_updated_at_index ON booking (updated_at)');
  }
}
