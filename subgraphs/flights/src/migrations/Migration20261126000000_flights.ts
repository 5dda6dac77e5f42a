import { Migration } from '@mikro-orm/migrations';

const CABINS = `('ECONOMY', 'PREMIUM_ECONOMY', 'BUSINESS', 'FIRST')`;

/**
 * Reference data (airports, aircraft layouts, routes and their base fares), flights, the seat
 * inventory and the search read model.
 */
export class Migration20261126000000_flights extends Migration {
  override up(): void {
    // Reference data: mirrored from the domain module at every boot (upserts), so that flights
    // and seats can reference it with foreign keys and SQL can join it.
    this.addSql(`
      CREATE TABLE airport (
        code varchar(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
        name varchar(120) NOT NULL,
        city varchar(80) NOT NULL,
        country varchar(2) NOT NULL,
        time_zone varchar(64) NOT NULL,
        latitude double precision NOT NULL,
        longitude double precision NOT NULL
      )`);
    this.addSql(`
      CREATE TABLE aircraft_type (
        code varchar(4) PRIMARY KEY,
        name varchar(80) NOT NULL,
        body_type varchar(6) NOT NULL CHECK (body_type IN ('NARROW', 'WIDE'))
      )`);
    this.addSql(`
      CREATE TABLE aircraft_seat (
        aircraft_code varchar(4) NOT NULL REFERENCES aircraft_type (code),
        seat_number varchar(4) NOT NULL,
        seat_row smallint NOT NULL,
        seat_column varchar(1) NOT NULL,
        cabin text NOT NULL CHECK (cabin IN ${CABINS}),
        features text[] NOT NULL,
        blocked boolean NOT NULL,
        blocked_reason varchar(100),
        PRIMARY KEY (aircraft_code, seat_number)
      )`);
    this.addSql(`
      CREATE TABLE route (
        id varchar(7) PRIMARY KEY,
        origin varchar(3) NOT NULL REFERENCES airport (code),
        destination varchar(3) NOT NULL REFERENCES airport (code),
        distance_km integer NOT NULL CHECK (distance_km > 0),
        block_minutes integer NOT NULL CHECK (block_minutes > 0),
        aircraft_code varchar(4) NOT NULL REFERENCES aircraft_type (code),
        CONSTRAINT route_distinct_airports CHECK (origin <> destination),
        CONSTRAINT route_origin_destination_unique UNIQUE (origin, destination)
      )`);
    this.addSql(`
      CREATE TABLE route_fare (
        route_id varchar(7) NOT NULL REFERENCES route (id),
        cabin text NOT NULL CHECK (cabin IN ${CABINS}),
        base_fare_minor integer NOT NULL CHECK (base_fare_minor > 0),
        currency varchar(3) NOT NULL,
        PRIMARY KEY (route_id, cabin)
      )`);

    // Flights: the natural key (number, local departure date) makes seeding idempotent.
    this.addSql(`
      CREATE TABLE flight (
        id uuid PRIMARY KEY,
        number varchar(8) NOT NULL,
        departure_date date NOT NULL,
        route_id varchar(7) NOT NULL REFERENCES route (id),
        origin varchar(3) NOT NULL REFERENCES airport (code),
        destination varchar(3) NOT NULL REFERENCES airport (code),
        aircraft_code varchar(4) NOT NULL REFERENCES aircraft_type (code),
        scheduled_departure_time timestamptz NOT NULL,
        departure_time timestamptz NOT NULL,
        arrival_time timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'SCHEDULED'
          CHECK (status IN ('SCHEDULED', 'DELAYED', 'BOARDING', 'DEPARTED', 'ARRIVED', 'CANCELLED')),
        gate varchar(8),
        delay_reason varchar(500),
        cancellation_reason varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT flight_number_date_unique UNIQUE (number, departure_date),
        -- Target of flight_seat's foreign key: a seat row names the aircraft of its flight.
        CONSTRAINT flight_id_aircraft_unique UNIQUE (id, aircraft_code),
        CONSTRAINT flight_distinct_airports CHECK (origin <> destination),
        CONSTRAINT flight_arrives_after_departure CHECK (arrival_time > departure_time)
      )`);
    this.addSql('CREATE INDEX flight_origin_departure_index ON flight (origin, departure_time)');

    // Seat inventory: one row per seat that is NOT free on a flight; a seat without a row is
    // AVAILABLE (holds live in Redis). The primary key is what makes a double booking
    // impossible: a seat of a flight can have one row, so one booking, whatever the code does.
    this.addSql(`
      CREATE TABLE flight_seat (
        flight_id uuid NOT NULL,
        aircraft_code varchar(4) NOT NULL,
        seat_number varchar(4) NOT NULL,
        status text NOT NULL CHECK (status IN ('BOOKED', 'BLOCKED')),
        booking_id varchar(64),
        blocked_reason varchar(100),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flight_id, seat_number),
        CONSTRAINT flight_seat_flight_fk FOREIGN KEY (flight_id, aircraft_code)
          REFERENCES flight (id, aircraft_code) ON DELETE CASCADE,
        CONSTRAINT flight_seat_in_layout_fk FOREIGN KEY (aircraft_code, seat_number)
          REFERENCES aircraft_seat (aircraft_code, seat_number),
        CONSTRAINT flight_seat_booked_iff_booking
          CHECK ((status = 'BOOKED') = (booking_id IS NOT NULL))
      )`);
    this.addSql(
      'CREATE INDEX flight_seat_booking_index ON flight_seat (booking_id) WHERE booking_id IS NOT NULL',
    );
    // A booked seat changes hands only by being released (row deleted) and booked again (row
    // inserted, where the primary key arbitrates): an UPDATE can never move it to another booking.
    this.addSql(`
      CREATE FUNCTION flight_seat_keeps_its_booking() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.booking_id IS NOT NULL AND NEW.booking_id IS DISTINCT FROM OLD.booking_id THEN
          RAISE EXCEPTION 'seat % of flight % is booked by %', OLD.seat_number, OLD.flight_id, OLD.booking_id
            USING ERRCODE = 'unique_violation';
        END IF;
        RETURN NEW;
      END $$`);
    this.addSql(`
      CREATE TRIGGER flight_seat_keeps_its_booking BEFORE UPDATE ON flight_seat
      FOR EACH ROW EXECUTE FUNCTION flight_seat_keeps_its_booking()`);
    // Bookings that were cancelled or expired: a ConfirmSeats that arrives after the booking
    // ended (the two travel on different queues) must not book seats nobody will pay for.
    this.addSql(`
      CREATE TABLE ended_booking (
        booking_id varchar(64) PRIMARY KEY,
        flight_id uuid NOT NULL,
        ended_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Search read model: derived from flight + flight_seat after each change, read by search
    // only, rebuilt at boot. No foreign keys: it never takes a lock on the booking path's rows.
    this.addSql(`
      CREATE TABLE search_flight (
        flight_id uuid PRIMARY KEY,
        origin varchar(3) NOT NULL,
        destination varchar(3) NOT NULL,
        departure_time timestamptz NOT NULL,
        status text NOT NULL,
        aircraft_code varchar(4) NOT NULL,
        taken_seats text[] NOT NULL,
        refreshed_at timestamptz NOT NULL
      )`);
    this.addSql(
      'CREATE INDEX search_flight_route_departure_index ON search_flight (origin, destination, departure_time)',
    );
    // Flights whose search row is out of date: appended by the writers in their own transaction
    // (an insert, never a contended update), consumed by the projector, so a change committed
    // just before a crash is still projected after it.
    this.addSql(`
      CREATE TABLE search_change (
        id bigserial PRIMARY KEY,
        flight_id uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  override down(): void {
    this.addSql('DROP TRIGGER IF EXISTS flight_seat_keeps_its_booking ON flight_seat');
    this.addSql('DROP FUNCTION IF EXISTS flight_seat_keeps_its_booking()');
    for (const table of [
      'search_change',
      'search_flight',
      'ended_booking',
      'flight_seat',
      'flight',
      'route_fare',
      'route',
      'aircraft_seat',
      'aircraft_type',
      'airport',
    ])
      this.addSql(`DROP TABLE IF EXISTS ${table}`);
  }
}
