// The time left to pay before the held seats are released.
import { useEffect, useState } from 'react';
import { formatCountdown, secondsLeft } from '../booking/hold-countdown.ts';

export function HoldCountdown({ expiresAt }: { expiresAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = secondsLeft(expiresAt, now);
  return (
    <p className={left < 60 ? 'countdown countdown-low' : 'countdown'}>
      {left > 0 ? (
        <>
          Seats held for {/* Read out on request, not every second. */}
          <time dateTime={expiresAt} data-testid="hold-countdown">
            {formatCountdown(left)}
          </time>
          : pay before then to keep them.
        </>
      ) : (
        'Your hold has run out; the seats are being released.'
      )}
    </p>
  );
}
