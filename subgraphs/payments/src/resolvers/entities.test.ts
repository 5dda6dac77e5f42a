import { errorCodes } from '@airline/shared/testing';
import {
  Cards,
  createPaymentsTestEnv,
  waitFor,
  type Caller,
  type PaymentsTestEnv,
} from '../testing/payments-test-env.ts';

let env: PaymentsTestEnv;
let owner: Caller;
let stranger: Caller;
let paid: { paymentId: string; bookingId: string };
let declined: { paymentId: string; bookingId: string };

const PAYMENT_FIELDS = `id status amount { amount currency } attempts failureReason cardBrand cardLast4
  refunds { id amount { amount currency } status reason createdAt }
  attemptLog { operation attempt outcome statusCode error durationMs startedAt }
  booking { id } createdAt updatedAt`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Payment { ${PAYMENT_FIELDS} }
  ... on Booking { id payment { id status amount { amount } } payments { id status } } } }`;

async function pay(card: string, amountMinor = 12_900) {
  const body = env.body(owner, card, { amount: { amountMinor, currency: 'USD' } });
  const reply = await env.pay(body, owner);
  await env.settled(reply.body.paymentId!);
  return { paymentId: reply.body.paymentId!, bookingId: body.bookingId };
}

beforeAll(async () => {
  env = await createPaymentsTestEnv('entities');
  owner = await env.customer();
  stranger = await env.customer();
  paid = await pay(Cards.approved, 12_905);
  declined = await pay(Cards.declined);
});
afterAll(() => env?.dispose());

type Entities = { _entities: (Record<string, unknown> | null)[] };

describe('Payment @key(fields: "id")', () => {
  test('its customer resolves it with money as a decimal string and the attempt log', async () => {
    const data = await env.graphql.data<Entities>(
      ENTITIES,
      { reps: [{ __typename: 'Payment', id: paid.paymentId }] },
      { token: owner.token },
    );
    expect(data._entities).toEqual([
      {
        id: paid.paymentId,
        status: 'SUCCEEDED',
        amount: { amount: '129.05', currency: 'USD' },
        attempts: 1,
        failureReason: null,
        cardBrand: 'visa',
        cardLast4: '4242',
        refunds: [],
        attemptLog: [
          {
            operation: 'CHARGE',
            attempt: 1,
            outcome: 'approved',
            statusCode: 201,
            error: null,
            durationMs: expect.any(Number),
            startedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          },
        ],
        booking: { id: paid.bookingId },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
  });

  test('another customer and an anonymous caller get null; an agent sees it', async () => {
    const reps = [
      { __typename: 'Payment', id: paid.paymentId },
      { __typename: 'Payment', id: declined.paymentId },
    ];
    const asStranger = await env.graphql.data<Entities>(
      ENTITIES,
      { reps },
      { token: stranger.token },
    );
    expect(asStranger._entities).toEqual([null, null]);
    expect((await env.graphql.data<Entities>(ENTITIES, { reps }))._entities).toEqual([null, null]);

    const asAgent = await env.graphql.data<Entities>(
      ENTITIES,
      { reps },
      { token: env.agent.token },
    );
    expect(asAgent._entities.map((p) => [p?.id, p?.status, p?.failureReason])).toEqual([
      [paid.paymentId, 'SUCCEEDED', null],
      [declined.paymentId, 'FAILED', 'card_declined'],
    ]);
  });

  test('an unknown or malformed id resolves to null, not an error', async () => {
    const res = await env.graphql.request<Entities>(
      ENTITIES,
      {
        reps: [
          { __typename: 'Payment', id: '00000000-0000-4000-8000-000000000000' },
          { __typename: 'Payment', id: 'not-a-uuid' },
        ],
      },
      { token: env.agent.token },
    );
    expect(errorCodes(res)).toEqual([]);
    expect(res.data?._entities).toEqual([null, null]);
  });

  test('refunds show on the payment', async () => {
    const payment = await pay(Cards.approved);
    await env.refund({
      paymentId: payment.paymentId,
      bookingId: payment.bookingId,
      customerId: owner.id,
      amount: { amountMinor: 2_550, currency: 'USD' },
      reason: 'Seat downgrade',
    });
    await waitFor(
      'the refund',
      async () => (await env.payment(payment.paymentId))?.status === 'PARTIALLY_REFUNDED',
    );
    const data = await env.graphql.data<Entities>(
      ENTITIES,
      { reps: [{ __typename: 'Payment', id: payment.paymentId }] },
      { token: owner.token },
    );
    expect(data._entities[0]).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refunds: [
        {
          amount: { amount: '25.50', currency: 'USD' },
          status: 'SUCCEEDED',
          reason: 'Seat downgrade',
        },
      ],
    });
  });
});

describe('Booking @key(fields: "id") { payment }', () => {
  test("resolves each booking's latest payment in one request, for its customer only", async () => {
    // The declined booking is paid again: its latest payment is the new one.
    const retry = await env.pay(
      env.body(owner, Cards.approved, { bookingId: declined.bookingId }),
      owner,
    );
    await env.settled(retry.body.paymentId!);
    const reps = [
      { __typename: 'Booking', id: paid.bookingId },
      { __typename: 'Booking', id: declined.bookingId },
      { __typename: 'Booking', id: 'booking-without-payment' },
    ];

    const asOwner = await env.graphql.data<Entities>(ENTITIES, { reps }, { token: owner.token });
    expect(asOwner._entities).toEqual([
      {
        id: paid.bookingId,
        payment: { id: paid.paymentId, status: 'SUCCEEDED', amount: { amount: '129.05' } },
        payments: [{ id: paid.paymentId, status: 'SUCCEEDED' }],
      },
      {
        id: declined.bookingId,
        payment: { id: retry.body.paymentId, status: 'SUCCEEDED', amount: { amount: '129.00' } },
        // Every attempt, newest first: the card that paid, then the declined one.
        payments: [
          { id: retry.body.paymentId, status: 'SUCCEEDED' },
          { id: declined.paymentId, status: 'FAILED' },
        ],
      },
      { id: 'booking-without-payment', payment: null, payments: [] },
    ]);

    const asStranger = await env.graphql.data<Entities>(
      ENTITIES,
      { reps },
      { token: stranger.token },
    );
    expect(asStranger._entities.map((b) => b?.payment)).toEqual([null, null, null]);
    expect(asStranger._entities.map((b) => b?.payments)).toEqual([[], [], []]);
    const asAgent = await env.graphql.data<Entities>(
      ENTITIES,
      { reps },
      { token: env.agent.token },
    );
    expect(asAgent._entities.map((b) => (b?.payment as { id: string } | null)?.id)).toEqual([
      paid.paymentId,
      retry.body.paymentId,
      undefined,
    ]);
  });
});

describe('Query.payment', () => {
  test('returns the caller’s own payment and null for anyone else’s', async () => {
    const query = 'query($id: ID!) { payment(id: $id) { id status } }';
    const mine = await env.graphql.data<{ payment: unknown }>(
      query,
      { id: paid.paymentId },
      { token: owner.token },
    );
    expect(mine.payment).toEqual({ id: paid.paymentId, status: 'SUCCEEDED' });
    const theirs = await env.graphql.data<{ payment: unknown }>(
      query,
      { id: paid.paymentId },
      { token: stranger.token },
    );
    expect(theirs.payment).toBeNull();
  });
});
