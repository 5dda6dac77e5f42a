// Operations on bookings and their payments (bookings and payments subgraphs).
import { graphql } from '../__generated__/index.ts';

export const BookingFields = graphql(`
  fragment BookingFields on Booking {
    id
    reference
    status
    holdExpiresAt
    statusReason
    paymentError {
      code
      message
    }
    totalPrice {
      amount
      currency
    }
    passengers {
      givenName
      familyName
      seat
      ticketNumber
      price {
        amount
        currency
      }
    }
    flight {
      ...FlightFields
    }
    createdAt
  }
`);

/** The latest payment of a booking, with its refunds (what a cancellation gives back). */
export const PaymentFields = graphql(`
  fragment PaymentFields on Payment {
    id
    status
    cardBrand
    cardLast4
    amount {
      amount
      currency
    }
    refunds {
      id
      status
      amount {
        amount
        currency
      }
    }
  }
`);

export const BookingQuery = graphql(`
  query Booking($id: ID!) {
    booking(id: $id) {
      ...BookingFields
      payment {
        ...PaymentFields
      }
    }
  }
`);

export const BookingPaymentQuery = graphql(`
  query BookingPayment($id: ID!) {
    booking(id: $id) {
      id
      payment {
        ...PaymentFields
      }
    }
  }
`);

export const MyBookingsQuery = graphql(`
  query MyBookings {
    me {
      id
      bookings {
        id
        reference
        status
        createdAt
        totalPrice {
          amount
          currency
        }
        passengers {
          seat
        }
        flight {
          ...FlightFields
        }
      }
    }
  }
`);

export const CreateBookingMutation = graphql(`
  mutation CreateBooking($input: CreateBookingInput!) {
    createBooking(input: $input) {
      ...BookingFields
    }
  }
`);

export const PayBookingMutation = graphql(`
  mutation PayBooking($input: PayBookingInput!) {
    payBooking(input: $input) {
      ...BookingFields
    }
  }
`);

export const CancelBookingMutation = graphql(`
  mutation CancelBooking($id: ID!, $reason: String) {
    cancelBooking(id: $id, reason: $reason) {
      ...BookingFields
    }
  }
`);

export const BookingStatusChangedSubscription = graphql(`
  subscription BookingStatusChanged($bookingId: ID!) {
    bookingStatusChanged(bookingId: $bookingId) {
      ...BookingFields
      payment {
        ...PaymentFields
      }
    }
  }
`);
