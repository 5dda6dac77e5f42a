// One traveller of the booking being made: saved travellers offered, name and date of birth, and
// the seat chosen for them.
import type { CustomerFieldsFragment } from '../__generated__/graphql.ts';
import type { Traveller } from '../booking/travellers.ts';

type SavedTraveller = CustomerFieldsFragment['passengers'][number];

export function TravellerFields({
  index,
  traveller,
  seat,
  choosing,
  saved,
  onChange,
  onChooseSeat,
}: {
  index: number;
  traveller: Traveller;
  seat: string | null;
  choosing: boolean;
  saved: readonly SavedTraveller[];
  onChange: (traveller: Traveller) => void;
  onChooseSeat: () => void;
}) {
  const id = (field: string) => `traveller-${index}-${field}`;
  return (
    <fieldset className={choosing ? 'traveller choosing' : 'traveller'}>
      <legend>
        Passenger {index + 1}
        <span className="traveller-seat" data-testid={`passenger-${index + 1}-seat`}>
          {seat ? `Seat ${seat}` : 'No seat yet'}
        </span>
      </legend>
      {saved.length > 0 && (
        <div className="field">
          <label htmlFor={id('saved')}>Saved traveller</label>
          <select
            id={id('saved')}
            value={traveller.savedId ?? ''}
            onChange={(e) => {
              const pick = saved.find((p) => p.id === e.target.value);
              onChange(
                pick
                  ? {
                      givenName: pick.givenName,
                      familyName: pick.familyName,
                      dateOfBirth: pick.dateOfBirth,
                      savedId: pick.id,
                    }
                  : { ...traveller, savedId: undefined },
              );
            }}
          >
            <option value="">Someone else</option>
            {saved.map((p) => (
              <option key={p.id} value={p.id}>
                {p.givenName} {p.familyName}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('given')}>Given name</label>
          <input
            id={id('given')}
            autoComplete={index === 0 ? 'given-name' : 'off'}
            value={traveller.givenName}
            onChange={(e) =>
              onChange({ ...traveller, givenName: e.target.value, savedId: undefined })
            }
          />
        </div>
        <div className="field">
          <label htmlFor={id('family')}>Family name</label>
          <input
            id={id('family')}
            autoComplete={index === 0 ? 'family-name' : 'off'}
            value={traveller.familyName}
            onChange={(e) =>
              onChange({ ...traveller, familyName: e.target.value, savedId: undefined })
            }
          />
        </div>
        <div className="field">
          <label htmlFor={id('dob')}>Date of birth</label>
          <input
            id={id('dob')}
            type="date"
            value={traveller.dateOfBirth}
            onChange={(e) =>
              onChange({ ...traveller, dateOfBirth: e.target.value, savedId: undefined })
            }
          />
        </div>
      </div>
      <button type="button" className="secondary" aria-pressed={choosing} onClick={onChooseSeat}>
        Choose seat for passenger {index + 1}
      </button>
    </fieldset>
  );
}
