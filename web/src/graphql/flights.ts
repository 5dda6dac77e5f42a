// Operations on airports and flights (the flights subgraph), typed by graphql-codegen's client
// preset from the composed supergraph.
import { graphql } from '../__generated__/index.ts';

export const AirportFields = graphql(`
  fragment AirportFields on Airport {
    code
    name
    city
    country
    timeZone
  }
`);

/** What every page shows of a flight (times, status, gate): one shape, so live updates fit. */
export const FlightFields = graphql(`
  fragment FlightFields on Flight {
    id
    number
    origin {
      ...AirportFields
    }
    destination {
      ...AirportFields
    }
    departureTime
    arrivalTime
    scheduledDepartureTime
    durationMinutes
    status
    gate
    delayReason
    cancellationReason
    aircraft {
      code
      name
    }
  }
`);

export const SeatFields = graphql(`
  fragment SeatFields on Seat {
    number
    row
    column
    cabin
    status
    features
    price {
      amount
      currency
    }
  }
`);

export const AirportsQuery = graphql(`
  query Airports {
    airports {
      ...AirportFields
    }
  }
`);

export const DestinationsQuery = graphql(`
  query Destinations($origin: String!) {
    airport(code: $origin) {
      code
      destinations {
        ...AirportFields
      }
    }
  }
`);

export const SearchFlightsQuery = graphql(`
  query SearchFlights($input: FlightSearchInput!, $cabin: CabinClass) {
    searchFlights(input: $input) {
      ...FlightFields
      fare(cabin: $cabin) {
        amount
        currency
      }
      availableSeats(cabin: $cabin)
    }
  }
`);

export const FlightQuery = graphql(`
  query Flight($id: ID!) {
    flight(id: $id) {
      ...FlightFields
      seats {
        ...SeatFields
      }
    }
  }
`);

export const SeatMapChangedSubscription = graphql(`
  subscription SeatMapChanged($flightId: ID!) {
    seatMapChanged(flightId: $flightId) {
      version
      occurredAt
      seats {
        ...SeatFields
      }
    }
  }
`);

export const FlightStatusChangedSubscription = graphql(`
  subscription FlightStatusChanged($flightId: ID!) {
    flightStatusChanged(flightId: $flightId) {
      ...FlightFields
    }
  }
`);

export const DelayFlightMutation = graphql(`
  mutation DelayFlight($id: ID!, $newDepartureTime: DateTime!, $reason: String!) {
    delayFlight(id: $id, newDepartureTime: $newDepartureTime, reason: $reason) {
      ...FlightFields
    }
  }
`);

export const ChangeGateMutation = graphql(`
  mutation ChangeGate($id: ID!, $gate: String!) {
    changeGate(id: $id, gate: $gate) {
      ...FlightFields
    }
  }
`);

export const CancelFlightMutation = graphql(`
  mutation CancelFlight($id: ID!, $reason: String!) {
    cancelFlight(id: $id, reason: $reason) {
      ...FlightFields
    }
  }
`);
