import { EventQueue } from './event-queue.ts';

const queue = (capacity: number, onClose?: () => void) =>
  new EventQueue<number[]>({ capacity, merge: (a, b) => [...a, ...b], onClose });

test('a reader that keeps up gets every event in order', async () => {
  const q = queue(2);
  const got: number[][] = [];
  const reading = (async () => {
    for await (const e of q) got.push(e);
  })();
  for (let i = 0; i < 5; i++) {
    q.push([i]);
    await Promise.resolve();
  }
  q.end();
  await reading;
  expect(got).toEqual([[0], [1], [2], [3], [4]]);
});

test('past its capacity the queue merges into the last waiting event instead of growing', async () => {
  const q = queue(3);
  for (let i = 0; i < 100; i++) q.push([i]);
  expect(q.size).toBe(3);
  expect(q.merged).toBe(97);
  expect((await q.next()).value).toEqual([0]);
  expect((await q.next()).value).toEqual([1]);
  expect(((await q.next()).value as number[]).length).toBe(98);
});

test('end delivers what is waiting, then an error or the end; return drops it and runs onClose once', async () => {
  const q = queue(5);
  q.push([1]);
  q.end(new Error('gone'));
  q.push([2]);
  expect((await q.next()).value).toEqual([1]);
  await expect(q.next()).rejects.toThrow('gone');

  let closed = 0;
  const r = queue(5, () => closed++);
  r.push([1]);
  const pending = queue(5, () => closed++);
  const waiting = pending.next();
  await r.return();
  await pending.return();
  expect(await waiting).toEqual({ value: undefined, done: true });
  expect(r.size).toBe(0);
  expect(closed).toBe(2);
});
