import { defineEntity, p, type EntityManager } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { routeOf, type Message } from './events.ts';
import { traceHeaders } from '../tracing/propagation.ts';

/** AMQP headers an outbox row is published with (string, number and boolean values only). */
export type OutboxHeaders = Record<string, string | number | boolean>;

/**
 * A message waiting to be relayed to RabbitMQ, written in the same transaction as the state
 * change it announces; `id` (bigserial) is the publication order.
 */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    messageId: p.uuid().unique(),
    exchange: p.string(),
    routingKey: p.string(),
    payload: p.json<Message>(),
    headers: p.json<OutboxHeaders>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    publishedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
  },
});

/** The channel the outbox trigger notifies on, so a relay wakes as soon as a row commits. */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox';

/**
 * Creates the `outbox` and `inbox` tables; every service with a database lists it first in its
 * migrations.
 */
export class Migration20261125000000_outbox extends Migration {
  override up(): void {
    // outbox: bigserial id = publication order; the partial index keeps the relay's scan of
    // pending rows cheap however many published rows are kept.
    this.addSql(`
      create table "outbox" (
        "id" bigserial primary key,
        "message_id" uuid not null,
        "exchange" varchar(255) not null,
        "routing_key" varchar(255) not null,
        "payload" jsonb not null,
        "headers" jsonb not null default '{}',
        "created_at" timestamptz not null default now(),
        "published_at" timestamptz null,
        "attempts" int not null default 0,
        "last_error" text null,
        constraint "outbox_message_id_unique" unique ("message_id")
      )`);
    this.addSql(
      `create index "outbox_pending_idx" on "outbox" ("id") where "published_at" is null`,
    );
    this.addSql(`create index "outbox_published_at_idx" on "outbox" ("published_at")`);
    // outbox wake-up: NOTIFY is delivered at commit (never for a rolled-back insert) and
    // collapsed per transaction, so the relay wakes once per committing transaction.
    this.addSql(`
      create function "outbox_notify"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('${OUTBOX_NOTIFY_CHANNEL}', '');
        return null;
      end $$`);
    this.addSql(`
      create trigger "outbox_notify" after insert on "outbox"
      for each statement execute function "outbox_notify"()`);
    // inbox: one row per (consumer, message) applied; the primary key is what makes a
    // redelivered message a no-op.
    this.addSql(`
      create table "inbox" (
        "consumer" varchar(255) not null,
        "message_id" uuid not null,
        "message_type" varchar(255) not null,
        "processed_at" timestamptz not null default now(),
        primary key ("consumer", "message_id")
      )`);
    this.addSql(`create index "inbox_processed_at_idx" on "inbox" ("processed_at")`);
  }

  override down(): void {
    this.addSql(`drop table if exists "inbox"`);
    this.addSql(`drop trigger if exists "outbox_notify" on "outbox"`);
    this.addSql(`drop function if exists "outbox_notify"()`);
    this.addSql(`drop table if exists "outbox"`);
  }
}

/**
 * Adds a message to the caller's unit of work: it is inserted by the caller's next flush or
 * commit, in the same transaction as the state change, and relayed after that commits. Never
 * flushes by itself.
 */
export function enqueue(em: EntityManager, message: Message, headers: OutboxHeaders = {}): void {
  const { exchange, routingKey } = routeOf(message);
  const row = em.create(OutboxMessage, {
    messageId: message.id,
    exchange,
    routingKey,
    payload: message,
    // The trace of the request or message that caused this one, for the relay to continue.
    headers: { ...traceHeaders(), ...headers },
  });
  em.persist(row);
}
