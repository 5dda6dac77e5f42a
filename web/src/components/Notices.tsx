// Loading and error states, announced to screen readers as they appear.
import { describeError } from '../errors/describe-error.ts';

/** A polite "working on it" line. */
export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error sentence (from an operation's error, or given), read out at once. */
export function ErrorNotice({ error, message }: { error?: unknown; message?: string }) {
  if (!error && !message) return null;
  return (
    <p className="notice notice-error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {message ?? describeError(error)}
    </p>
  );
}
