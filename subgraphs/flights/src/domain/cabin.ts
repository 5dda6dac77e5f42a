// The wire values of the flights subgraph's enumerations (DESIGN §2). They are plain strings so
// the same values travel unchanged through GraphQL, PostgreSQL and RabbitMQ payloads.

/** Travel class of a seat; the GraphQL `CabinClass` enum. */
export const CabinClass = {
  ECONOMY: 'ECONOMY',
  PREMIUM_ECONOMY: 'PREMIUM_ECONOMY',
  BUSINESS: 'BUSINESS',
  FIRST: 'FIRST',
} as const;
/** One of the cabin classes. */
export type CabinClass = (typeof CabinClass)[keyof typeof CabinClass];

/** Every cabin class, front of the aircraft first (the order seat maps and fare lists use). */
export const CABIN_CLASSES: readonly CabinClass[] = [
  CabinClass.FIRST,
  CabinClass.BUSINESS,
  CabinClass.PREMIUM_ECONOMY,
  CabinClass.ECONOMY,
];

/** Narrows an untrusted string (GraphQL input, database column) to a cabin class. */
export function isCabinClass(value: unknown): value is CabinClass {
  return typeof value === 'string' && (CABIN_CLASSES as readonly string[]).includes(value);
}

/** A property of a seat that customers choose by and that may cost extra. */
export const SeatFeature = {
  WINDOW: 'WINDOW',
  AISLE: 'AISLE',
  MIDDLE: 'MIDDLE',
  EXIT_ROW: 'EXIT_ROW',
  EXTRA_LEGROOM: 'EXTRA_LEGROOM',
} as const;
/** One of the seat features. */
export type SeatFeature = (typeof SeatFeature)[keyof typeof SeatFeature];

/** Every seat feature, in the order a seat's `features` list is written. */
export const SEAT_FEATURES: readonly SeatFeature[] = [
  SeatFeature.WINDOW,
  SeatFeature.AISLE,
  SeatFeature.MIDDLE,
  SeatFeature.EXIT_ROW,
  SeatFeature.EXTRA_LEGROOM,
];

/** Inventory state of one seat on one flight. */
export const SeatStatus = {
  AVAILABLE: 'AVAILABLE',
  HELD: 'HELD',
  BOOKED: 'BOOKED',
  BLOCKED: 'BLOCKED',
} as const;
/** One of the seat statuses. */
export type SeatStatus = (typeof SeatStatus)[keyof typeof SeatStatus];

/** Operational state of a flight. */
export const FlightStatus = {
  SCHEDULED: 'SCHEDULED',
  DELAYED: 'DELAYED',
  BOARDING: 'BOARDING',
  DEPARTED: 'DEPARTED',
  ARRIVED: 'ARRIVED',
  CANCELLED: 'CANCELLED',
} as const;
/** One of the flight statuses. */
export type FlightStatus = (typeof FlightStatus)[keyof typeof FlightStatus];
