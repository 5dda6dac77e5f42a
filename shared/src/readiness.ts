import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from './http.ts';
import type { AmqpConnection } from './messaging/amqp.ts';

/** The readiness checks of the dependencies every service has some of. */
export const readinessCheck = {
  /** The service's database answers a query. */
  postgres: (orm: MikroORM, name = 'postgres'): ReadinessCheck => ({
    name,
    check: async () => void (await orm.em.getConnection().execute('SELECT 1')),
  }),
  /** Redis answers PING. */
  redis: (redis: Redis): ReadinessCheck => ({
    name: 'redis',
    check: async () => void (await redis.ping()),
  }),
  /** The RabbitMQ connection is up (it reconnects by itself when it is not). */
  rabbitmq: (amqp: AmqpConnection): ReadinessCheck => ({
    name: 'rabbitmq',
    check: async () => {
      if (!amqp.connected) throw new Error('RabbitMQ connection is down (reconnecting)');
    },
  }),
};
