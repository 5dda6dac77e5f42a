import { Migration } from '@mikro-orm/migrations';

/** The wake-up channel: NOTIFY at commit when there is something to compose or to send. */
export const WORK_NOTIFY_CHANNEL = 'notifications_work';

/** Messages and their delivery state, requests to compose them, and what events told us. */
export class Migration20261210000000_notifications extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
        kind text NOT NULL,
        recipient varchar(320) NOT NULL,
        customer_id uuid,
        booking_id uuid,
        subject varchar(300) NOT NULL,
        body_text text NOT NULL,
        body_html text,
        attachments jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'SENT', 'FAILED', 'DEAD_LETTERED')),
        attempts integer NOT NULL DEFAULT 0,
        retry_base integer NOT NULL DEFAULT 0 CHECK (retry_base <= attempts),
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        provider_message_id varchar(200),
        dedupe_key varchar(200) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        sent_at timestamptz,
        CONSTRAINT notification_dedupe_key_unique UNIQUE (dedupe_key),
        CONSTRAINT notification_sent_at CHECK ((status = 'SENT') = (sent_at IS NOT NULL))
      )`);
    // What the senders scan: only messages still to send, per channel, by due time.
    this.addSql(`
      CREATE INDEX notification_due_index ON notification (channel, next_attempt_at)
        WHERE status IN ('QUEUED', 'FAILED')`);
    this.addSql(
      `CREATE INDEX notification_customer_index ON notification (customer_id, created_at DESC, id DESC)`,
    );
    this.addSql(
      `CREATE INDEX notification_booking_index ON notification (booking_id, created_at DESC, id DESC)`,
    );
    this.addSql(
      `CREATE INDEX notification_status_index ON notification (status, created_at DESC, id DESC)`,
    );

    this.addSql(`
      CREATE TABLE message_request (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        booking_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        flight_id uuid NOT NULL,
        facts jsonb NOT NULL DEFAULT '{}',
        due_at timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'WAITING' CHECK (state IN ('WAITING', 'COMPOSED', 'DROPPED')),
        attempts integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        last_error text,
        dedupe_key varchar(200) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT message_request_dedupe_key_unique UNIQUE (dedupe_key)
      )`);
    // What the composer scans: waiting requests by due time (reminders wait for weeks).
    this.addSql(`
      CREATE INDEX message_request_due_index ON message_request (due_at) WHERE state = 'WAITING'`);
    // Delays move, and cancellations drop, the waiting requests of a flight or a booking.
    this.addSql(`
      CREATE INDEX message_request_flight_index ON message_request (flight_id, kind)
        WHERE state = 'WAITING'`);
    this.addSql(`CREATE INDEX message_request_booking_index ON message_request (booking_id)`);

    this.addSql(`
      CREATE TABLE booking_copy (
        booking_id uuid PRIMARY KEY,
        reference varchar(6) NOT NULL,
        customer_id uuid NOT NULL,
        flight_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
        passengers jsonb NOT NULL DEFAULT '[]',
        total_minor integer,
        currency varchar(3),
        updated_at timestamptz NOT NULL
      )`);
    // Flight changes reach every confirmed booking of the flight.
    this.addSql(`CREATE INDEX booking_copy_flight_index ON booking_copy (flight_id, status)`);

    this.addSql(`
      CREATE TABLE booking_refund (
        refund_id varchar(100) PRIMARY KEY,
        booking_id varchar(100) NOT NULL,
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency varchar(3) NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    this.addSql(`CREATE INDEX booking_refund_booking_index ON booking_refund (booking_id)`);

    this.addSql(`
      CREATE TABLE channel_preference (
        customer_id uuid PRIMARY KEY,
        sms boolean NOT NULL,
        push boolean NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    // Wake-ups: NOTIFY is delivered at commit (never for a rolled-back change) and collapsed per
    // transaction, so the composer and the senders start at once instead of at their next poll.
    // Only for work that is due now: later work is found by the poll when its time comes.
    this.addSql(`
      CREATE FUNCTION notifications_work_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${WORK_NOTIFY_CHANNEL}', TG_ARGV[0]);
        RETURN NULL;
      END $$`);
    this.addSql(`
      CREATE TRIGGER message_request_notify AFTER INSERT OR UPDATE OF due_at ON message_request
      FOR EACH ROW WHEN (NEW.state = 'WAITING' AND NEW.due_at <= now())
      EXECUTE FUNCTION notifications_work_notify('compose')`);
    this.addSql(`
      CREATE TRIGGER notification_notify AFTER INSERT OR UPDATE OF status ON notification
      FOR EACH ROW WHEN (NEW.status = 'QUEUED')
      EXECUTE FUNCTION notifications_work_notify('deliver')`);
  }

  override down(): void {
    this.addSql('DROP TABLE IF EXISTS channel_preference');
    this.addSql('DROP TABLE IF EXISTS booking_refund');
    this.addSql('DROP TABLE IF EXISTS booking_copy');
    this.addSql('DROP TABLE IF EXISTS message_request');
    this.addSql('DROP TABLE IF EXISTS notification');
    this.addSql('DROP FUNCTION IF EXISTS notifications_work_notify()');
  }
}
