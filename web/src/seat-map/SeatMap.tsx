// The seat map: one grid per cabin, every seat a button named by its number, features, status
// and price. One seat is in the tab order at a time; the arrow keys move between seats (Home/End
// along the row, Ctrl+Home/End to the first/last seat), Enter or Space chooses.
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { money } from '../format/money.ts';
import {
  CABIN_NAMES,
  isSelectable,
  layoutSeatMap,
  moveFocus,
  moveForKey,
  seatLabel,
  type CabinLayout,
  type Seat,
} from './seat-layout.ts';
import { passengerOf, type SeatSelection } from './seat-selection.ts';

export function SeatMap({
  seats,
  selection,
  onToggle,
}: {
  seats: readonly Seat[];
  selection: SeatSelection;
  onToggle: (seat: Seat) => void;
}) {
  const cabins = useMemo(() => layoutSeatMap(seats), [seats]);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const firstChoice =
    selection.seats.find((s) => s !== null) ?? seats.find(isSelectable)?.number ?? seats[0]?.number;
  const [focused, setFocused] = useState<string | undefined>(undefined);
  const tabStop = focused ?? firstChoice;
  const [described, setDescribed] = useState<string | undefined>(undefined);
  const describedSeat = seats.find((s) => s.number === (described ?? tabStop));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = moveForKey(event.key, event.ctrlKey || event.metaKey);
    const from = (event.target as HTMLElement).dataset.seat;
    if (!move || !from) return;
    event.preventDefault();
    const next = moveFocus(cabins, from, move);
    if (!next) return;
    setFocused(next);
    setDescribed(next);
    buttons.current.get(next)?.focus();
  };

  return (
    <div className="seat-map" onKeyDown={onKeyDown}>
      <SeatLegend />
      <p className="seat-details" aria-hidden="true">
        {describedSeat ? seatLabel(describedSeat, selectedFor(selection, describedSeat)) : ' '}
      </p>
      <div className="fuselage">
        {cabins.map((cabin) => (
          <CabinGrid
            key={cabin.cabin}
            cabin={cabin}
            selection={selection}
            tabStop={tabStop}
            register={(number, el) => {
              if (el) buttons.current.set(number, el);
              else buttons.current.delete(number);
            }}
            onFocusSeat={(number) => {
              setFocused(number);
              setDescribed(number);
            }}
            onHoverSeat={setDescribed}
            onToggle={onToggle}
          />
        ))}
      </div>
    </div>
  );
}

/** The passenger (1-based) a seat is chosen for in this selection. */
function selectedFor(selection: SeatSelection, seat: Seat): number | undefined {
  const index = passengerOf(selection, seat.number);
  return index === undefined ? undefined : index + 1;
}

function CabinGrid({
  cabin,
  selection,
  tabStop,
  register,
  onFocusSeat,
  onHoverSeat,
  onToggle,
}: {
  cabin: CabinLayout;
  selection: SeatSelection;
  tabStop: string | undefined;
  register: (number: string, el: HTMLButtonElement | null) => void;
  onFocusSeat: (number: string) => void;
  onHoverSeat: (number: string | undefined) => void;
  onToggle: (seat: Seat) => void;
}) {
  const name = CABIN_NAMES[cabin.cabin];
  const title = `${name} cabin${cabin.fromPrice ? `, seats from ${money(cabin.fromPrice)}` : ', no seats available'}`;
  return (
    <section className="cabin" aria-label={title}>
      <h3 className="cabin-title">
        {name}{' '}
        <span className="cabin-price">
          {cabin.fromPrice ? `from ${money(cabin.fromPrice)}` : 'full'}
        </span>
      </h3>
      <div
        role="grid"
        aria-label={`${name} seats`}
        className="cabin-grid"
        style={{ ['--columns' as string]: cabin.columns.length }}
      >
        <div role="row" className="seat-row column-letters">
          <span role="columnheader" className="row-label">
            <span className="visually-hidden">Row</span>
          </span>
          {cabin.columns.map((c) => (
            <span
              key={c.letter}
              role="columnheader"
              className={c.afterAisle ? 'after-aisle' : undefined}
            >
              {c.letter}
            </span>
          ))}
        </div>
        {cabin.rows.map((row) => (
          <div role="row" key={row.row} className={row.exit ? 'seat-row exit-row' : 'seat-row'}>
            <span role="rowheader" className="row-label">
              {row.row}
              {row.exit && (
                <span className="exit-mark">
                  <span aria-hidden="true"> ⇆</span>
                  <span className="visually-hidden">, exit row</span>
                </span>
              )}
            </span>
            {row.seats.map((seat, i) => {
              const slot = cabin.columns[i]!;
              if (!seat)
                return (
                  <span
                    key={slot.letter}
                    role="gridcell"
                    className={slot.afterAisle ? 'after-aisle' : undefined}
                  />
                );
              const passenger = selectedFor(selection, seat);
              const selectable = isSelectable(seat) || passenger !== undefined;
              return (
                <span
                  key={slot.letter}
                  role="gridcell"
                  className={slot.afterAisle ? 'after-aisle' : undefined}
                >
                  <button
                    type="button"
                    ref={(el) => register(seat.number, el)}
                    data-seat={seat.number}
                    className={seatClass(seat, passenger)}
                    tabIndex={seat.number === tabStop ? 0 : -1}
                    aria-label={seatLabel(seat, passenger)}
                    aria-pressed={passenger !== undefined}
                    aria-disabled={!selectable || undefined}
                    onClick={() => selectable && onToggle(seat)}
                    onFocus={() => onFocusSeat(seat.number)}
                    onMouseEnter={() => onHoverSeat(seat.number)}
                    onMouseLeave={() => onHoverSeat(undefined)}
                  >
                    <span aria-hidden="true">{seatGlyph(seat, passenger)}</span>
                  </button>
                </span>
              );
            })}
          </div>
        ))}
      </div>
    </section>
  );
}

function seatClass(seat: Seat, passenger: number | undefined): string {
  const classes = ['seat', `seat-${seat.status.toLowerCase()}`];
  if (passenger !== undefined) classes.push('seat-selected');
  if (seat.features.includes('EXTRA_LEGROOM')) classes.push('seat-legroom');
  return classes.join(' ');
}

/** What a seat shows besides its colour: the passenger's number, ✕ taken, – never sold. */
function seatGlyph(seat: Seat, passenger: number | undefined): string {
  if (passenger !== undefined) return String(passenger);
  if (seat.status === 'HELD' || seat.status === 'BOOKED') return '✕';
  if (seat.status === 'BLOCKED') return '–';
  return seat.column;
}

function SeatLegend() {
  return (
    <ul className="seat-legend" aria-label="Seat map key">
      <li>
        <span className="seat seat-available" aria-hidden="true">
          A
        </span>{' '}
        Available
      </li>
      <li>
        <span className="seat seat-available seat-selected" aria-hidden="true">
          1
        </span>{' '}
        Your choice (passenger number)
      </li>
      <li>
        <span className="seat seat-booked" aria-hidden="true">
          ✕
        </span>{' '}
        Taken
      </li>
      <li>
        <span className="seat seat-blocked" aria-hidden="true">
          –
        </span>{' '}
        Not for sale
      </li>
      <li>
        <span className="seat seat-available seat-legroom" aria-hidden="true">
          A
        </span>{' '}
        Extra legroom
      </li>
      <li>
        <span className="legend-exit" aria-hidden="true">
          ⇆
        </span>{' '}
        Exit row
      </li>
    </ul>
  );
}
