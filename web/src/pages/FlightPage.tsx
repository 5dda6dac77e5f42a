// `/flights/:flightId`: the flight, live (status, times, gate), its live seat map, the travellers
// and their seats; holding the seats makes the booking and goes to it.
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMe, useSessionContext } from '../auth/session-context.tsx';
import { newIdempotencyKey } from '../booking/idempotency.ts';
import {
  resizeTravellers,
  splitName,
  travellerProblem,
  type Traveller,
} from '../booking/travellers.ts';
import { FlightDisruption, FlightFacts, FlightTimes } from '../components/FlightSummary.tsx';
import { ErrorNotice, Loading } from '../components/Notices.tsx';
import { TravellerFields } from '../components/TravellerFields.tsx';
import {
  describeError,
  errorCode,
  graphQLErrorsOf,
  seatsTakenMessage,
} from '../errors/describe-error.ts';
import { money, sumMoney } from '../format/money.ts';
import { todayOnDevice } from '../format/time.ts';
import { CreateBookingMutation } from '../graphql/bookings.ts';
import { AddPassengerMutation, MeQuery } from '../graphql/customers.ts';
import { FlightQuery } from '../graphql/flights.ts';
import { useLiveFlightStatus, useLiveSeatMap } from '../live/live-hooks.ts';
import type { Seat } from '../seat-map/seat-layout.ts';
import { SeatMap } from '../seat-map/SeatMap.tsx';
import {
  dropUnavailable,
  emptySelection,
  isComplete,
  resizeSelection,
  toggleSeat,
  type SeatSelection,
} from '../seat-map/seat-selection.ts';
import { usePageTitle } from './page-title.ts';

const BOOKABLE = new Set(['SCHEDULED', 'DELAYED']);

export function FlightPage() {
  const { flightId = '' } = useParams();
  const [params] = useSearchParams();
  const { data, loading, error, refetch } = useQuery(FlightQuery, { variables: { id: flightId } });
  const flight = data?.flight;
  usePageTitle(flight ? `Flight ${flight.number}, choose seats` : 'Flight');
  useLiveSeatMap(flightId, !!flight, refetch);
  useLiveFlightStatus(flight?.id);

  if (loading && !flight) return <Loading label="Loading the flight…" />;
  if (error && !flight) return <ErrorNotice error={error} />;
  if (!flight) return <ErrorNotice message="We could not find this flight." />;
  const initialPassengers = Math.min(9, Math.max(1, Number(params.get('passengers')) || 1));
  return (
    <div className="page page-flight">
      <h1>
        {flight.origin.city} to {flight.destination.city}
      </h1>
      <section className="card flight-card" aria-label="Flight">
        <FlightFacts flight={flight} />
        <FlightTimes flight={flight} />
        <FlightDisruption flight={flight} />
      </section>
      {BOOKABLE.has(flight.status) ? (
        <SeatChooser
          flightId={flight.id}
          seats={flight.seats}
          initialPassengers={initialPassengers}
        />
      ) : (
        <p className="notice">This flight can no longer be booked.</p>
      )}
    </div>
  );
}

function SeatChooser({
  flightId,
  seats,
  initialPassengers,
}: {
  flightId: string;
  seats: readonly Seat[];
  initialPassengers: number;
}) {
  const { session } = useSessionContext();
  const { me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const today = todayOnDevice();
  const [selection, setSelection] = useState<SeatSelection>(() =>
    emptySelection(initialPassengers),
  );
  const [travellers, setTravellers] = useState<Traveller[]>(() =>
    resizeTravellers([], initialPassengers),
  );
  const [saveTravellers, setSaveTravellers] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [createBooking, creating] = useMutation(CreateBookingMutation);
  const [addPassenger] = useMutation(AddPassengerMutation);
  const client = useApolloClient();
  const count = selection.seats.length;

  // The account holder is usually the first traveller.
  useEffect(() => {
    if (!me) return;
    setTravellers((list) => {
      const first = list[0];
      if (!first || first.givenName || first.familyName) return list;
      return [{ ...first, ...splitName(me.name) }, ...list.slice(1)];
    });
  }, [me]);

  // A seat chosen here that someone else took meanwhile is given up, and the page says so.
  useEffect(() => {
    const { selection: kept, lost } = dropUnavailable(selection, seats);
    if (lost.length > 0) {
      setSelection(kept);
      setNotice(seatsTakenMessage(lost));
    }
  }, [seats, selection]);

  const chosen = selection.seats.flatMap((number) => seats.filter((s) => s.number === number));
  const total = sumMoney(chosen.flatMap((s) => (s.price ? [s.price] : [])));

  const setCount = (n: number) => {
    setSelection((s) => resizeSelection(s, n));
    setTravellers((t) => resizeTravellers(t, n));
  };

  const hold = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(undefined);
    if (!isComplete(selection)) {
      setProblem(
        `Choose a seat for every passenger (${selection.seats.filter(Boolean).length} of ${count} chosen).`,
      );
      return;
    }
    const missing = travellers.map((t) => travellerProblem(t, today)).findIndex((p) => p !== null);
    if (missing >= 0) {
      setProblem(`Passenger ${missing + 1}: ${travellerProblem(travellers[missing]!, today)}`);
      return;
    }
    setProblem(undefined);
    try {
      const { data } = await createBooking({
        variables: {
          input: {
            flightId,
            idempotencyKey: newIdempotencyKey(),
            passengers: travellers.map((t, i) => ({
              givenName: t.givenName.trim(),
              familyName: t.familyName.trim(),
              dateOfBirth: t.dateOfBirth,
              seat: selection.seats[i]!,
            })),
          },
        },
      });
      const booking = data?.createBooking;
      if (!booking) return;
      if (saveTravellers) {
        // Best effort: the booking is made either way.
        await Promise.allSettled(
          travellers
            .filter((t) => !t.savedId)
            .map((t) =>
              addPassenger({
                variables: {
                  input: {
                    givenName: t.givenName.trim(),
                    familyName: t.familyName.trim(),
                    dateOfBirth: t.dateOfBirth,
                  },
                },
              }),
            ),
        );
        // The account's traveller list, as the next booking will offer it.
        void client.refetchQueries({ include: [MeQuery] });
      }
      void navigate(`/bookings/${booking.id}`);
    } catch (err) {
      if (errorCode(err) === 'SEAT_UNAVAILABLE') {
        const taken = graphQLErrorsOf(err)[0]?.extensions?.seats;
        const lost = Array.isArray(taken) ? taken.map(String) : [];
        setSelection((s) => {
          const seatsKept = s.seats.map((n) => (n !== null && lost.includes(n) ? null : n));
          const first = seatsKept.indexOf(null);
          return { seats: seatsKept, active: first < 0 ? s.active : first };
        });
        setNotice(seatsTakenMessage(lost));
      } else {
        setProblem(describeError(err));
      }
    }
  };

  return (
    <form className="seat-chooser" onSubmit={hold} aria-label="Choose seats and travellers">
      <section className="card seat-section" aria-labelledby="seat-map-title">
        <div className="section-head">
          <h2 id="seat-map-title">Choose {count === 1 ? 'a seat' : `${count} seats`}</h2>
          <div className="field inline">
            <label htmlFor="passenger-count">Passengers</label>
            <select
              id="passenger-count"
              value={count}
              onChange={(e) => setCount(Number(e.target.value))}
            >
              {Array.from({ length: 9 }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="choosing" aria-live="polite">
          {isComplete(selection)
            ? `Every passenger has a seat. Press another seat to change passenger ${selection.active + 1}'s.`
            : `Choosing a seat for passenger ${selection.active + 1}.`}
        </p>
        {notice && (
          <p className="notice notice-warning" role="alert" data-testid="seat-notice">
            <span aria-hidden="true">⚠ </span>
            {notice}
          </p>
        )}
        <SeatMap
          seats={seats}
          selection={selection}
          onToggle={(seat) => setSelection((s) => toggleSeat(s, seat))}
        />
      </section>
      <section className="card travellers" aria-labelledby="travellers-title">
        <h2 id="travellers-title">Travellers</h2>
        {travellers.map((t, i) => (
          <TravellerFields
            key={i}
            index={i}
            traveller={t}
            seat={selection.seats[i] ?? null}
            choosing={selection.active === i}
            saved={me?.passengers ?? []}
            onChange={(next) => setTravellers((list) => list.map((x, j) => (j === i ? next : x)))}
            onChooseSeat={() => setSelection((s) => ({ ...s, active: i }))}
          />
        ))}
        {session && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={saveTravellers}
              onChange={(e) => setSaveTravellers(e.target.checked)}
            />{' '}
            Save new travellers to my account
          </label>
        )}
        <div className="hold-bar">
          <p className="total">
            Total <strong data-testid="selection-total">{total ? money(total) : '—'}</strong>
          </p>
          {session ? (
            <button type="submit" className="primary" disabled={creating.loading}>
              {creating.loading
                ? 'Holding seats…'
                : `Hold ${count === 1 ? 'seat' : `${count} seats`}`}
            </button>
          ) : (
            <Link
              className="button primary"
              to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}
            >
              Log in to hold seats
            </Link>
          )}
        </div>
        <ErrorNotice message={problem} />
      </section>
    </form>
  );
}
