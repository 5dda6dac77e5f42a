// Accounts and saved travellers (customers subgraph).
import { graphql } from '../__generated__/index.ts';

export const CustomerFields = graphql(`
  fragment CustomerFields on Customer {
    id
    email
    name
    role
    passengers {
      id
      givenName
      familyName
      dateOfBirth
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      ...CustomerFields
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      expiresAt
      customer {
        ...CustomerFields
      }
    }
  }
`);

export const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      expiresAt
      customer {
        ...CustomerFields
      }
    }
  }
`);

export const AddPassengerMutation = graphql(`
  mutation AddPassenger($input: AddPassengerInput!) {
    addPassenger(input: $input) {
      id
      givenName
      familyName
      dateOfBirth
    }
  }
`);
