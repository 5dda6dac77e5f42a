// The card form. Each attempt gets its own idempotency key: a declined card leaves the booking
// HELD and payable, and the next attempt (another card) is a new payment.
import { useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent, type InputHTMLAttributes } from 'react';
import { groupCardNumber, parseCard, TEST_CARDS, type CardForm } from '../booking/card.ts';
import { newIdempotencyKey } from '../booking/idempotency.ts';
import { money, type Money } from '../format/money.ts';
import { PayBookingMutation } from '../graphql/bookings.ts';
import { ErrorNotice } from './Notices.tsx';

const EMPTY: CardForm = { number: '', expiry: '', cvc: '', holderName: '' };

export function PaymentForm({
  bookingId,
  total,
  showTestCards,
}: {
  bookingId: string;
  total: Money;
  showTestCards: boolean;
}) {
  const [form, setForm] = useState<CardForm>(EMPTY);
  const [problems, setProblems] = useState<Partial<Record<keyof CardForm, string>>>({});
  const [payBooking, paying] = useMutation(PayBookingMutation);
  const numberField = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCard(form, new Date());
    if ('problems' in parsed) {
      setProblems(parsed.problems);
      return;
    }
    setProblems({});
    try {
      await payBooking({
        variables: { input: { bookingId, card: parsed.card, idempotencyKey: newIdempotencyKey() } },
      });
      // The card's number and CVC are not kept once sent.
      setForm((f) => ({ ...EMPTY, holderName: f.holderName }));
    } catch {
      numberField.current?.focus();
    }
  };

  const field = (
    name: keyof CardForm,
    label: string,
    props: InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <div className="field">
      <label htmlFor={`card-${name}`}>{label}</label>
      <input
        id={`card-${name}`}
        name={name}
        value={form[name]}
        aria-invalid={problems[name] ? true : undefined}
        aria-describedby={problems[name] ? `card-${name}-problem` : undefined}
        onChange={(e) =>
          setForm({
            ...form,
            [name]: name === 'number' ? groupCardNumber(e.target.value) : e.target.value,
          })
        }
        {...props}
        ref={name === 'number' ? numberField : undefined}
      />
      {problems[name] && (
        <small id={`card-${name}-problem`} className="field-problem">
          {problems[name]}
        </small>
      )}
    </div>
  );

  return (
    <form className="payment-form" onSubmit={submit} aria-labelledby="payment-title" noValidate>
      <h2 id="payment-title">Pay by card</h2>
      {field('number', 'Card number', {
        inputMode: 'numeric',
        autoComplete: 'cc-number',
        placeholder: '1234 5678 9012 3456',
      })}
      <div className="field-row">
        {field('expiry', 'Expiry (MM/YY)', {
          inputMode: 'numeric',
          autoComplete: 'cc-exp',
          placeholder: 'MM/YY',
        })}
        {field('cvc', 'Security code', {
          inputMode: 'numeric',
          autoComplete: 'cc-csc',
          maxLength: 4,
        })}
      </div>
      {field('holderName', 'Name on card', { autoComplete: 'cc-name' })}
      <button type="submit" className="primary" disabled={paying.loading}>
        {paying.loading ? 'Paying…' : `Pay ${money(total)}`}
      </button>
      <ErrorNotice error={paying.error} />
      {showTestCards && <TestCards />}
    </form>
  );
}

/** The provider simulator's cards (development only): any future expiry, any 3-digit code. */
function TestCards() {
  return (
    <aside className="test-cards" aria-labelledby="test-cards-title">
      <h3 id="test-cards-title">Test cards (development)</h3>
      <p>Any future expiry date and any 3-digit security code.</p>
      <ul>
        {TEST_CARDS.map((c) => (
          <li key={c.number}>
            <code>{c.number}</code> {c.outcome}
          </li>
        ))}
      </ul>
    </aside>
  );
}
