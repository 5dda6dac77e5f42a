import { Migration } from '@mikro-orm/migrations';

/** Payments, their refunds and every request made to the provider for them. */
export class Migration20261125010000_payments extends Migration {
  override up(): void {
    // No column can hold a card number or CVC: brand and last four digits are all we keep.
    this.addSql(`
      CREATE TABLE payment (
        id uuid PRIMARY KEY,
        booking_id varchar(100) NOT NULL,
        customer_id varchar(100) NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        request_hash varchar(64) NOT NULL,
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency varchar(3) NOT NULL,
        status text NOT NULL DEFAULT 'PENDING'
          CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED')),
        card_brand varchar(20) NOT NULL,
        card_last4 varchar(4) NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
        attempts integer NOT NULL DEFAULT 0,
        failure_reason varchar(100),
        provider_charge_id varchar(100),
        refunded_minor integer NOT NULL DEFAULT 0
          CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
        charge_lease_until timestamptz NOT NULL,
        needs_reconciliation boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- Keys are scoped per customer: one customer's key can never replay another's payment.
        CONSTRAINT payment_idempotency_unique UNIQUE (customer_id, idempotency_key)
      )`);
    // No double charge, even for two requests racing under different keys: a booking has at
    // most one payment whose money is (being) taken.
    this.addSql(`
      CREATE UNIQUE INDEX payment_booking_active_unique ON payment (booking_id)
        WHERE status IN ('PENDING', 'SUCCEEDED', 'PARTIALLY_REFUNDED')`);
    this.addSql('CREATE INDEX payment_booking_id_index ON payment (booking_id, created_at)');
    // What recovery scans: small partial indexes, however many settled payments there are.
    this.addSql(`
      CREATE INDEX payment_pending_lease_index ON payment (charge_lease_until)
        WHERE status = 'PENDING'`);
    this.addSql(`
      CREATE INDEX payment_reconciliation_index ON payment (updated_at)
        WHERE needs_reconciliation`);
    this.addSql(`
      CREATE TABLE refund (
        id uuid PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payment (id),
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency varchar(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        reason text NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        provider_refund_id varchar(100),
        created_at timestamptz NOT NULL,
        CONSTRAINT refund_idempotency_key_unique UNIQUE (idempotency_key)
      )`);
    this.addSql('CREATE INDEX refund_payment_id_index ON refund (payment_id)');
    this.addSql(`
      CREATE TABLE payment_attempt (
        id bigserial PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payment (id),
        operation text NOT NULL CHECK (operation IN ('CHARGE', 'REFUND', 'LOOKUP')),
        attempt integer NOT NULL,
        outcome varchar(50) NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        started_at timestamptz NOT NULL
      )`);
    this.addSql('CREATE INDEX payment_attempt_payment_id_index ON payment_attempt (payment_id)');
  }
}
