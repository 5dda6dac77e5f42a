import { errorCodes, subgraphClient, type GraphQLClient } from '@airline/shared/testing';
import { startStack, type TestStack } from '../testkit/stack.ts';

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { token customer { id } } }`;
const ADD = `mutation($input: AddPassengerInput!) { addPassenger(input: $input) { id givenName familyName dateOfBirth } }`;
const REMOVE = `mutation($id: ID!) { removePassenger(id: $id) { id passengers { id } } }`;
const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { name phone } }`;
const ME = `{ me { passengers { givenName dateOfBirth } } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id email passengers { givenName } } } }`;

let stack: TestStack;
let gw: GraphQLClient;
let n = 0;

async function newCustomer(): Promise<{ token: string; id: string }> {
  const { register } = await gw.data<{ register: { token: string; customer: { id: string } } }>(
    REGISTER,
    {
      input: {
        email: `pax${++n}.${Date.now()}@example.com`,
        password: 'correct horse 42',
        name: 'Grace Hopper',
      },
    },
  );
  return { token: register.token, id: register.customer.id };
}

beforeAll(async () => {
  stack = await startStack('passengers');
  gw = stack.gateway;
});
afterAll(() => stack?.stop());

describe('saved passengers and profile', () => {
  test('a customer saves two travellers, removes one, and `me` shows the other', async () => {
    const { token } = await newCustomer();
    const a = await gw.data<{ addPassenger: { id: string } }>(
      ADD,
      { input: { givenName: 'Alan', familyName: 'Turing', dateOfBirth: '1912-06-23' } },
      { token },
    );
    await gw.data(
      ADD,
      { input: { givenName: 'Joan', familyName: 'Clarke', dateOfBirth: '1917-06-24' } },
      { token },
    );
    const { removePassenger } = await gw.data<{
      removePassenger: { passengers: { id: string }[] };
    }>(REMOVE, { id: a.addPassenger.id }, { token });
    expect(removePassenger.passengers).toHaveLength(1);
    expect(await gw.data(ME, {}, { token })).toEqual({
      me: { passengers: [{ givenName: 'Joan', dateOfBirth: '1917-06-24' }] },
    });
  });

  test('anonymous callers are UNAUTHENTICATED', async () => {
    const res = await gw.request(ADD, {
      input: { givenName: 'A', familyName: 'B', dateOfBirth: '1990-01-01' },
    });
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  test("removing someone else's traveller is NOT_FOUND and leaves it in place", async () => {
    const owner = await newCustomer();
    const other = await newCustomer();
    const { addPassenger } = await gw.data<{ addPassenger: { id: string } }>(
      ADD,
      { input: { givenName: 'Ada', familyName: 'L', dateOfBirth: '1990-01-01' } },
      { token: owner.token },
    );
    expect(
      errorCodes(await gw.request(REMOVE, { id: addPassenger.id }, { token: other.token })),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(await gw.request(REMOVE, { id: 'not-a-uuid' }, { token: other.token })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      (await gw.data<{ me: { passengers: unknown[] } }>(ME, {}, { token: owner.token })).me
        .passengers,
    ).toHaveLength(1);
  });

  test.each([
    ['a birth date in the future', { dateOfBirth: '2999-01-01' }],
    ['a date that does not exist', { dateOfBirth: '2001-02-30' }],
    ['an empty name', { givenName: '   ' }],
  ])('%s is BAD_USER_INPUT and saves nothing', async (_label, override) => {
    const { token } = await newCustomer();
    const res = await gw.request(
      ADD,
      { input: { givenName: 'Ada', familyName: 'L', dateOfBirth: '1990-01-01', ...override } },
      { token },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(
      (await gw.data<{ me: { passengers: unknown[] } }>(ME, {}, { token })).me.passengers,
    ).toEqual([]);
  });

  test('profile updates validate the phone number and can clear it', async () => {
    const { token } = await newCustomer();
    expect(
      await gw.data(
        UPDATE,
        { input: { name: 'Grace B. Hopper', phone: '+12025550123' } },
        { token },
      ),
    ).toEqual({
      updateProfile: { name: 'Grace B. Hopper', phone: '+12025550123' },
    });
    expect(
      errorCodes(await gw.request(UPDATE, { input: { phone: 'call me' } }, { token })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await gw.data(UPDATE, { input: { phone: null } }, { token })).toEqual({
      updateProfile: { name: 'Grace B. Hopper', phone: null },
    });
  });
});

describe('Customer @key(fields: "id") entity references', () => {
  test('the customers subgraph resolves a batch of references, in order, for an agent', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const { login } = await gw.data<{ login: { token: string } }>(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
      {
        e: stack.config.agent.email,
        p: stack.config.agent.password,
      },
    );
    const direct = subgraphClient(
      stack.config,
      'customers',
      `${stack.subgraphs.customers!.url}/graphql`,
    );
    const reps = [b, a].map(({ id }) => ({ __typename: 'Customer', id }));
    const { _entities } = await direct.data<{ _entities: { id: string }[] }>(
      ENTITIES,
      { reps },
      { token: login.token },
    );
    expect(_entities.map((e) => e.id)).toEqual([b.id, a.id]);
  });

  test("a customer may not resolve another customer's profile by reference", async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const direct = subgraphClient(
      stack.config,
      'customers',
      `${stack.subgraphs.customers!.url}/graphql`,
    );
    const own = await direct.data<{ _entities: { id: string }[] }>(
      ENTITIES,
      { reps: [{ __typename: 'Customer', id: a.id }] },
      { token: a.token },
    );
    expect(own._entities[0]?.id).toBe(a.id);
    const other = await direct.request(
      ENTITIES,
      { reps: [{ __typename: 'Customer', id: b.id }] },
      { token: a.token },
    );
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
  });
});
