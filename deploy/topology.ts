// The deployment's one rule of who may call whom, which the Kubernetes NetworkPolicies
// (deploy/k8s) and the AWS security groups (deploy/terraform) each implement; the tests hold
// both to it. Paths on a port (GraphQL, /internal/*, /metrics) are the services' own business:
// GraphQL admits the gateway's credential only, each internal endpoint the services it names.

/** The six processes every environment runs, and their ports. */
export const PORTS = {
  gateway: 4000,
  customers: 4001,
  flights: 4002,
  bookings: 4003,
  payments: 4004,
  notifications: 4005,
} as const;

export type Service = keyof typeof PORTS;
export const SERVICES = Object.keys(PORTS) as Service[];
export const SUBGRAPHS = SERVICES.filter((s) => s !== 'gateway');

/**
 * The services that may open a connection to each subgraph: the gateway (GraphQL), bookings
 * (flights' seat quotes, payments' charges and records), notifications (customers' contacts,
 * flights' details). The gateway itself is public.
 */
export const CALLERS: Record<Exclude<Service, 'gateway'>, Service[]> = {
  customers: ['gateway', 'notifications'],
  flights: ['gateway', 'bookings', 'notifications'],
  bookings: ['gateway'],
  payments: ['gateway', 'bookings'],
  notifications: ['gateway'],
};
