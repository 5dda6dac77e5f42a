// `/agent` (airline staff): a day's departures from an airport (today by default), and for each
// one: delay it, change its gate, cancel it. Passengers see the change live.
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { departuresOf, type AgentFlight } from '../agent/todays-flights.ts';
import { useMe } from '../auth/session-context.tsx';
import { FlightStatusBadge } from '../components/FlightSummary.tsx';
import { ErrorNotice, Loading } from '../components/Notices.tsx';
import { localTime, todayOnDevice } from '../format/time.ts';
import {
  AirportsQuery,
  CancelFlightMutation,
  ChangeGateMutation,
  DelayFlightMutation,
} from '../graphql/flights.ts';
import { AirportPicker } from '../search/AirportPicker.tsx';
import { usePageTitle } from './page-title.ts';

export function AgentPage() {
  usePageTitle('Agent: flights');
  const { me, loading } = useMe();
  if (loading) return <Loading label="Checking your account…" />;
  if (!me)
    return (
      <div className="page">
        <h1>Flights</h1>
        <p>
          <Link to="/login?next=%2Fagent">Log in</Link> with an airline staff account.
        </p>
      </div>
    );
  if (me.role !== 'AGENT')
    return (
      <div className="page">
        <h1>Flights</h1>
        <p>This page is for airline staff only.</p>
      </div>
    );
  return <AgentFlights />;
}

function AgentFlights() {
  const client = useApolloClient();
  const airports = useQuery(AirportsQuery);
  const [origin, setOrigin] = useState('');
  const [date, setDate] = useState(todayOnDevice());
  const [flights, setFlights] = useState<AgentFlight[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const load = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!origin) return;
    setBusy(true);
    setError(undefined);
    try {
      setFlights(await departuresOf(client, origin, date));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // The first airport is the default, once the list is in.
  useEffect(() => {
    const first = airports.data?.airports[0]?.code;
    if (!origin && first) setOrigin(first);
  }, [airports.data, origin]);

  return (
    <div className="page page-agent">
      <h1>Departures</h1>
      <form className="card agent-filter" onSubmit={load} aria-label="Choose departures">
        <AirportPicker
          id="agent-origin"
          label="Airport"
          airports={airports.data?.airports ?? []}
          value={origin}
          onChange={setOrigin}
        />
        <div className="field">
          <label htmlFor="agent-date">Date</label>
          <input
            id="agent-date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            required
          />
        </div>
        <button type="submit" className="primary" disabled={busy || !origin}>
          Show departures
        </button>
      </form>
      {busy && <Loading label="Loading departures…" />}
      <ErrorNotice error={error} />
      {flights && !busy && (
        <section aria-labelledby="departures-title">
          <h2 id="departures-title">
            {flights.length} departure{flights.length === 1 ? '' : 's'} from {origin} on {date}
          </h2>
          <ul className="agent-flights">
            {flights.map((f) => (
              <AgentFlightRow
                key={f.id}
                flight={f}
                onChanged={(next) =>
                  setFlights(
                    (list) => list?.map((x) => (x.id === next.id ? { ...x, ...next } : x)) ?? null,
                  )
                }
              />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

const DELAYS = [15, 30, 45, 60, 90, 120, 180];

function AgentFlightRow({
  flight,
  onChanged,
}: {
  flight: AgentFlight;
  onChanged: (flight: Partial<AgentFlight> & { id: string }) => void;
}) {
  const [minutes, setMinutes] = useState(30);
  const [reason, setReason] = useState('');
  const [gate, setGate] = useState(flight.gate ?? '');
  const [cancelReason, setCancelReason] = useState('');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [delay, delaying] = useMutation(DelayFlightMutation);
  const [changeGate, changingGate] = useMutation(ChangeGateMutation);
  const [cancel, cancelling] = useMutation(CancelFlightMutation);
  const tz = flight.origin.timeZone;
  const id = (field: string) => `${flight.id}-${field}`;
  const cancelled = flight.status === 'CANCELLED';

  const submitDelay = async (e: FormEvent) => {
    e.preventDefault();
    const newDepartureTime = new Date(
      Date.parse(flight.departureTime) + minutes * 60_000,
    ).toISOString();
    const { data } = await delay({
      variables: { id: flight.id, newDepartureTime, reason: reason.trim() },
    }).catch(() => ({ data: undefined }));
    if (data) onChanged(data.delayFlight);
  };
  const submitGate = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await changeGate({ variables: { id: flight.id, gate: gate.trim() } }).catch(
      () => ({ data: undefined }),
    );
    if (data) onChanged(data.changeGate);
  };
  const submitCancel = async (e: FormEvent) => {
    e.preventDefault();
    if (!confirmCancel) {
      setConfirmCancel(true);
      return;
    }
    const { data } = await cancel({
      variables: { id: flight.id, reason: cancelReason.trim() },
    }).catch(() => ({ data: undefined }));
    if (data) onChanged(data.cancelFlight);
  };

  return (
    <li className="card agent-flight" aria-labelledby={id('title')}>
      <h3 id={id('title')}>
        {flight.number} to {flight.destination.city} ({flight.destination.code})
      </h3>
      <p className="flight-facts">
        <span>
          Departs <time dateTime={flight.departureTime}>{localTime(flight.departureTime, tz)}</time>
          {flight.departureTime !== flight.scheduledDepartureTime &&
            ` (scheduled ${localTime(flight.scheduledDepartureTime, tz)})`}
        </span>
        <span>Gate {flight.gate ?? '—'}</span>
        <FlightStatusBadge status={flight.status} />
      </p>
      {!cancelled && (
        <div className="agent-actions">
          <form onSubmit={submitDelay} aria-label={`Delay ${flight.number}`}>
            <div className="field">
              <label htmlFor={id('delay')}>Delay by</label>
              <select
                id={id('delay')}
                value={minutes}
                onChange={(e) => setMinutes(Number(e.target.value))}
              >
                {DELAYS.map((m) => (
                  <option key={m} value={m}>
                    {m} minutes
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={id('delay-reason')}>Delay reason</label>
              <input
                id={id('delay-reason')}
                value={reason}
                required
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
            <button type="submit" className="secondary" disabled={delaying.loading}>
              Delay flight
            </button>
            <ErrorNotice error={delaying.error} />
          </form>
          <form onSubmit={submitGate} aria-label={`Change the gate of ${flight.number}`}>
            <div className="field">
              <label htmlFor={id('gate')}>Gate</label>
              <input
                id={id('gate')}
                value={gate}
                required
                onChange={(e) => setGate(e.target.value)}
              />
            </div>
            <button type="submit" className="secondary" disabled={changingGate.loading}>
              Change gate
            </button>
            <ErrorNotice error={changingGate.error} />
          </form>
          <form onSubmit={submitCancel} aria-label={`Cancel ${flight.number}`}>
            <div className="field">
              <label htmlFor={id('cancel-reason')}>Cancellation reason</label>
              <input
                id={id('cancel-reason')}
                value={cancelReason}
                required
                onChange={(e) => setCancelReason(e.target.value)}
              />
            </div>
            <button type="submit" className="secondary danger" disabled={cancelling.loading}>
              {confirmCancel
                ? `Confirm: cancel ${flight.number} and refund everyone`
                : 'Cancel flight'}
            </button>
            <ErrorNotice error={cancelling.error} />
          </form>
        </div>
      )}
    </li>
  );
}
