import { describe, expect, test } from 'vitest';
import { readSession, SESSION_KEY, writeSession } from './session.ts';

/** A Storage stand-in. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

describe('the stored session', () => {
  test('is read back as written, and forgotten on sign-out', () => {
    const storage = memoryStorage();
    writeSession(storage, { token: 't', expiresAt: '2030-01-01T00:00:00Z' });
    expect(readSession(storage, Date.parse('2029-12-31T00:00:00Z'))).toEqual({
      token: 't',
      expiresAt: '2030-01-01T00:00:00Z',
    });
    writeSession(storage, null);
    expect(readSession(storage)).toBeNull();
  });

  test('an expired or unreadable one is no session', () => {
    const storage = memoryStorage();
    writeSession(storage, { token: 't', expiresAt: '2030-01-01T00:00:00Z' });
    expect(readSession(storage, Date.parse('2030-01-01T00:00:01Z'))).toBeNull();
    storage.setItem(SESSION_KEY, '{not json');
    expect(readSession(storage)).toBeNull();
  });
});
