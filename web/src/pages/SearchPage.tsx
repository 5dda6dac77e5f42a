// `/`: search flights by route, day, travellers and cabin; results with local times, duration,
// fare and seats left.
import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CabinClass } from '../__generated__/graphql.ts';
import { ErrorNotice, Loading } from '../components/Notices.tsx';
import { FlightDisruption, FlightFacts, FlightTimes } from '../components/FlightSummary.tsx';
import { money } from '../format/money.ts';
import { todayOnDevice } from '../format/time.ts';
import { AirportsQuery, DestinationsQuery, SearchFlightsQuery } from '../graphql/flights.ts';
import { AirportPicker } from '../search/AirportPicker.tsx';
import {
  isComplete,
  paramsFromSearch,
  searchFromParams,
  type FlightSearch,
} from '../search/search-params.ts';
import { CABIN_NAMES } from '../seat-map/seat-layout.ts';
import { usePageTitle } from './page-title.ts';

export function SearchPage() {
  usePageTitle('Search flights');
  const [params] = useSearchParams();
  const today = todayOnDevice();
  const submitted = searchFromParams(params, today);
  return (
    <div className="page page-search">
      <h1>Where to?</h1>
      {/* Remounted per URL so the form shows the search the results are for. */}
      <SearchForm key={params.toString()} initial={submitted} today={today} />
      {isComplete(submitted) && <SearchResults search={submitted} />}
    </div>
  );
}

function SearchForm({ initial, today }: { initial: FlightSearch; today: string }) {
  const navigate = useNavigate();
  const [search, setSearch] = useState(initial);
  const airports = useQuery(AirportsQuery);
  const destinations = useQuery(DestinationsQuery, {
    variables: { origin: search.origin },
    skip: !search.origin,
  });
  const direct = destinations.data?.airport?.destinations ?? [];
  const all = airports.data?.airports ?? [];
  const [problem, setProblem] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (search.origin === search.destination) {
      setProblem('Choose a destination other than where you fly from.');
      return;
    }
    setProblem(undefined);
    void navigate(`/?${paramsFromSearch(search).toString()}`);
  };

  if (airports.loading) return <Loading label="Loading airports…" />;
  if (airports.error) return <ErrorNotice error={airports.error} />;
  return (
    <form className="search-form card" onSubmit={submit} aria-label="Search flights">
      <AirportPicker
        id="origin"
        label="From"
        airports={all}
        value={search.origin}
        onChange={(origin) => setSearch({ ...search, origin })}
      />
      <AirportPicker
        id="destination"
        label="To"
        // Destinations flown non-stop from the origin when it has any, else every airport.
        airports={direct.length > 0 ? direct : all}
        value={search.destination}
        onChange={(destination) => setSearch({ ...search, destination })}
        hint={
          direct.length > 0
            ? `${direct.length} non-stop destination${direct.length === 1 ? '' : 's'}`
            : undefined
        }
      />
      <div className="field">
        <label htmlFor="date">Date</label>
        <input
          id="date"
          name="date"
          type="date"
          min={today}
          value={search.date}
          required
          onChange={(e) => setSearch({ ...search, date: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="passengers">Passengers</label>
        <select
          id="passengers"
          name="passengers"
          value={search.passengers}
          onChange={(e) => setSearch({ ...search, passengers: Number(e.target.value) })}
        >
          {Array.from({ length: 9 }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="cabin">Cabin</label>
        <select
          id="cabin"
          name="cabin"
          value={search.cabin}
          onChange={(e) => setSearch({ ...search, cabin: e.target.value as CabinClass | '' })}
        >
          <option value="">Any cabin</option>
          {(Object.keys(CABIN_NAMES) as CabinClass[]).map((c) => (
            <option key={c} value={c}>
              {CABIN_NAMES[c]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary">
        Search flights
      </button>
      <ErrorNotice message={problem} />
    </form>
  );
}

function SearchResults({ search }: { search: FlightSearch }) {
  const { data, loading, error } = useQuery(SearchFlightsQuery, {
    variables: {
      input: {
        origin: search.origin,
        destination: search.destination,
        date: search.date,
        passengers: search.passengers,
        ...(search.cabin ? { cabin: search.cabin } : {}),
      },
      cabin: search.cabin || null,
    },
    // Seats left and fares move with every booking: always ask.
    fetchPolicy: 'network-only',
  });
  if (loading) return <Loading label="Searching flights…" />;
  if (error) return <ErrorNotice error={error} />;
  const flights = data?.searchFlights ?? [];
  const query = new URLSearchParams({
    passengers: String(search.passengers),
    ...(search.cabin ? { cabin: search.cabin } : {}),
  });
  return (
    <section aria-labelledby="results-title" className="results">
      <h2 id="results-title">
        {flights.length === 0
          ? 'No flights with enough free seats that day'
          : `${flights.length} flight${flights.length === 1 ? '' : 's'} from ${search.origin} to ${search.destination}`}
      </h2>
      <ol className="flight-list">
        {flights.map((flight) => (
          <li key={flight.id} className="card flight-card">
            <FlightFacts flight={flight} />
            <FlightTimes flight={flight} />
            <FlightDisruption flight={flight} />
            <div className="flight-offer">
              <p className="fare">
                {flight.fare ? (
                  <>
                    <span className="from">from</span> <strong>{money(flight.fare)}</strong>
                  </>
                ) : (
                  'Sold out'
                )}
              </p>
              <p className="seats-left">
                {flight.availableSeats} seat{flight.availableSeats === 1 ? '' : 's'} left
              </p>
              <Link
                className="button primary"
                to={`/flights/${flight.id}?${query.toString()}`}
                aria-label={`Choose seats on ${flight.number}`}
              >
                Choose seats
              </Link>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
