import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** An airport the airline serves, mirrored from the domain's reference data at every boot. */
export const Airport = defineEntity({
  name: 'Airport',
  tableName: 'airport',
  properties: {
    code: p.string().length(3).primary(),
    name: p.string().length(120),
    city: p.string().length(80),
    country: p.string().length(2),
    timeZone: p.string().length(64),
    latitude: p.double(),
    longitude: p.double(),
  },
});
/** A loaded airport row. */
export type AirportEntity = InferEntity<typeof Airport>;
