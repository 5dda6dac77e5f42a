import { Migration } from '@mikro-orm/migrations';

/** Bookings, their passengers, ticket serials and the due-time index of hold expiry. */
export class Migration20261125000100_bookings extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE booking (
        id uuid PRIMARY KEY,
        reference char(6) NOT NULL CONSTRAINT booking_reference_unique UNIQUE,
        customer_id uuid NOT NULL,
        flight_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('HELD','PAYMENT_PENDING','CONFIRMED','CANCELLED','EXPIRED','PAYMENT_FAILED')),
        saga_step text CHECK (saga_step IN ('AWAITING_PAYMENT','CONFIRMING_SEATS')),
        total_minor integer NOT NULL CHECK (total_minor >= 0),
        currency char(3) NOT NULL,
        hold_expires_at timestamptz,
        idempotency_key varchar(100),
        request_hash varchar(64),
        payment_id uuid,
        payment_idempotency_key varchar(100),
        status_reason varchar(500),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    this.addSql('CREATE INDEX booking_customer_id_index ON booking (customer_id, created_at DESC)');
    this.addSql('CREATE INDEX booking_flight_id_index ON booking (flight_id)');
    // A retried createBooking finds its first attempt through this; one key per customer.
    this.addSql(
      'CREATE UNIQUE INDEX booking_idempotency_unique ON booking (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL',
    );
    // Due-time index of hold expiry: the sweeper reads only holds that are due, never every row.
    this.addSql(
      `CREATE INDEX booking_hold_due_index ON booking (hold_expires_at) WHERE status = 'HELD'`,
    );
    this.addSql(`
      CREATE TABLE booking_passenger (
        id uuid PRIMARY KEY,
        -- Deferred: the unit of work may insert passengers before their booking in one flush.
        booking_id uuid NOT NULL REFERENCES booking (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        given_name varchar(100) NOT NULL,
        family_name varchar(100) NOT NULL,
        date_of_birth date NOT NULL,
        seat varchar(4) NOT NULL,
        price_minor integer NOT NULL CHECK (price_minor >= 0),
        ticket_number char(13) UNIQUE,
        position integer NOT NULL,
        CONSTRAINT booking_passenger_seat_unique UNIQUE (booking_id, seat)
      )`);
    this.addSql(
      'CREATE INDEX booking_passenger_booking_id_index ON booking_passenger (booking_id)',
    );
    this.addSql('CREATE SEQUENCE ticket_serial START 1000000');
  }
}
