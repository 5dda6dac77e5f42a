import { Migration } from '@mikro-orm/migrations';

/** Accounts and saved travellers. */
export class Migration20261125000000_customers extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        password_hash varchar(200) NOT NULL,
        name varchar(100) NOT NULL,
        phone varchar(20),
        role text NOT NULL DEFAULT 'CUSTOMER' CHECK (role IN ('CUSTOMER', 'AGENT')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT customer_email_unique UNIQUE (email)
      )`);
    this.addSql(`
      CREATE TABLE passenger_profile (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        given_name varchar(100) NOT NULL,
        family_name varchar(100) NOT NULL,
        date_of_birth date NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    this.addSql(
      'CREATE INDEX passenger_profile_customer_id_index ON passenger_profile (customer_id)',
    );
  }
}
