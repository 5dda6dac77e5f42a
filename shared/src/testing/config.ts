import { randomBytes } from 'node:crypto';
import { loadConfig, SERVICES, type Config } from '../config.ts';
import { databaseName } from '../config.ts';
import amqp from 'amqplib';
import {
  deleteDeclaredQueues,
  deleteExchanges,
  deleteKeysWithPrefix,
  dropDatabase,
} from './resources.ts';

/**
 * A configuration of its own for one test suite: unique database names, Redis key prefix and
 * AMQP names, so suites run in parallel and never see each other's (or a developer's) data.
 */
export function testConfig(label: string, overrides: Record<string, string> = {}): Config {
  const id = `${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 12)}_${randomBytes(4).toString('hex')}`;
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DB_PREFIX: `t_${id}_`,
    REDIS_PREFIX: `test:${id}:`,
    AMQP_PREFIX: `test.${id}.`,
    // OWASP's scrypt cost (2^17, 128 MiB) per sign-up would dominate the suite's run time.
    PASSWORD_SCRYPT_LOG_N: '12',
    ...overrides,
  });
}

/**
 * Drops the suite's databases, Redis keys, and the AMQP queues and exchanges its in-process
 * services declared. Call it after every service of the suite has stopped.
 */
export async function cleanupTestResources(config: Config): Promise<void> {
  await Promise.all(SERVICES.map((s) => dropDatabase(config, databaseName(config, s))));
  await deleteKeysWithPrefix(config, config.redisPrefix);
  const connection = await amqp.connect(config.amqpUrl);
  try {
    const channel = await connection.createChannel();
    await deleteDeclaredQueues(channel, config.amqpPrefix);
    await deleteExchanges(channel, config.amqpPrefix);
  } finally {
    await connection.close();
  }
}
