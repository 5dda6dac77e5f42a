import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters: N (CPU and memory), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
// A stored hash is data, not code: parameters past these bounds are refused rather than run, so a
// corrupted row cannot make one login allocate gigabytes.
const MAX_LOG_N = 20;
const MAX_R = 32;
const MAX_P = 16;

/** OWASP's recommendation for scrypt at a given log2(N): r = 8, p = 1 (N = 2^17 uses 128 MiB). */
export function scryptParams(logN: number): ScryptParams {
  return { N: 2 ** logN, r: 8, p: 1 };
}

/**
 * What OpenSSL allocates for these parameters (its own check: 128·r·(N + 2) for V plus 128·r·p
 * for B); Node refuses to run when this exceeds `maxmem`, whose default (32 MiB) is below 2^17.
 */
function memoryOf({ N, r, p }: ScryptParams): number {
  return 128 * r * (N + 2 + p);
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...params, maxmem: memoryOf(params) },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/** A stored hash taken apart; undefined when it is not a well-formed scrypt hash. */
interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
const inRange = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!isPowerOfTwo(N) || N > 2 ** MAX_LOG_N || !inRange(r, MAX_R) || !inRange(p, MAX_P))
    return undefined;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || key.length === 0) return undefined;
  return { params: { N, r, p }, salt, key };
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64), self-describing so parameters can grow. */
export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** Checks a password against a stored hash (with the parameters it was made with) in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.params);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/**
 * True when a stored hash is weaker than `target` in any parameter, so it should be replaced on
 * the next successful login. A stronger hash is kept: lowering the configured cost never weakens
 * stored passwords. A malformed hash never verifies, so there is nothing to upgrade.
 */
export function needsUpgrade(stored: string, target: ScryptParams): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { N, r, p } = parsed.params;
  return N < target.N || r < target.r || p < target.p || parsed.key.length < KEY_LENGTH;
}
