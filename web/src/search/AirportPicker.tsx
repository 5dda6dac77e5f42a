// Choosing an airport from the ones the airline serves, by city and IATA code.
import type { AirportFieldsFragment } from '../__generated__/graphql.ts';

export function AirportPicker({
  id,
  label,
  airports,
  value,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  airports: readonly AirportFieldsFragment[];
  value: string;
  onChange: (code: string) => void;
  hint?: string;
}) {
  const sorted = [...airports].sort(
    (a, b) => a.city.localeCompare(b.city) || a.code.localeCompare(b.code),
  );
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        <option value="">Choose an airport</option>
        {sorted.map((a) => (
          <option key={a.code} value={a.code}>
            {a.city} ({a.code}) – {a.name}
          </option>
        ))}
      </select>
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
