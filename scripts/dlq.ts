// `npm run dlq -- <command>`: the operator's view of the dead-letter queue of the running stack
// (the RabbitMQ of AMQP_URL, names under AMQP_PREFIX, as the services see them).
//
//   count [--json]       messages waiting (what the `messaging_dead_letters` alert counts)
//   list [--json]        every dead letter: id, type, consumer, reason, when, error
//   show ID              one dead letter in full: headers and message
//   replay ID [ID...]    sends them back to their consumers (fresh retry budget)
//   replay --all         sends every dead letter back
//
// Replay is idempotent: a message keeps its id, so a consumer that applied it already skips it,
// and an id that is no longer dead-lettered is reported and changes nothing.
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../shared/src/config.ts';
import { AmqpConnection, AmqpUnavailableError } from '../shared/src/messaging/amqp.ts';
import { DeadLetterQueue, type DeadLetter } from '../shared/src/messaging/dead-letters.ts';

const USAGE = 'usage: npm run dlq -- count | list [--json] | show ID | replay ID... | replay --all';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const [command, ...args] = argv.filter((a) => a !== '--json');
  if (!command || !['count', 'list', 'show', 'replay'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const logger = pino({ level: 'silent' });
  const amqp = await AmqpConnection.connect(config, logger, { name: 'dlq' });
  try {
    const dlq = new DeadLetterQueue(amqp);
    switch (command) {
      case 'count': {
        const count = await dlq.count();
        console.log(json ? JSON.stringify({ queue: dlq.name, count }) : String(count));
        return 0;
      }
      case 'list': {
        const letters = await dlq.list();
        if (json) console.log(JSON.stringify(letters.map(summary), null, 2));
        else printTable(dlq.name, letters);
        return 0;
      }
      case 'show': {
        const id = args[0];
        if (!id) return usage();
        const letter = await dlq.show(id);
        if (!letter) {
          console.error(`dlq: no dead letter ${id} in ${dlq.name}`);
          return 1;
        }
        console.log(JSON.stringify({ ...letter, body: parseBody(letter.body) }, null, 2));
        return 0;
      }
      case 'replay': {
        const all = args.includes('--all');
        const ids = args.filter((a) => a !== '--all');
        if (!all && !ids.length) return usage();
        const report = await dlq.replay(all ? 'all' : ids);
        const missing = ids.filter(
          (id) => !report.replayed.includes(id) && !report.failed.some((f) => f.id === id),
        );
        for (const id of report.replayed) console.log(`replayed ${id}`);
        for (const { id, why } of report.failed) console.error(`not replayed ${id}: ${why}`);
        for (const id of missing) console.log(`not dead-lettered (already replayed?): ${id}`);
        if (all && !report.replayed.length && !report.failed.length)
          console.log('nothing to replay');
        return report.failed.length ? 1 : 0;
      }
    }
    return usage();
  } finally {
    await amqp.close();
  }
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

function summary(letter: DeadLetter) {
  const { id, type, consumer, reason, error, failedAt, retries, replays } = letter;
  return { id, type, consumer, reason, error, failedAt, retries, replays };
}

function printTable(queue: string, letters: DeadLetter[]): void {
  console.log(`${letters.length} dead letter${letters.length === 1 ? '' : 's'} in ${queue}`);
  if (!letters.length) return;
  const rows = letters.map((l) => [
    l.id,
    l.type,
    l.consumer,
    l.reason,
    l.failedAt,
    l.error.replace(/\s+/g, ' ').slice(0, 80),
  ]);
  const header = ['ID', 'TYPE', 'CONSUMER', 'REASON', 'FAILED AT', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError || err instanceof AmqpUnavailableError) {
    console.error(`dlq: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
}
