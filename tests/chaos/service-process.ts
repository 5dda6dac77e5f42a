// One process of the stack, run as `npm start` runs it (`node <entry>` from the repository root),
// with its output in a log file: it can be killed with a real SIGKILL and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How a process is started and how to tell it is ready. */
export interface ProcessSpec {
  /** Unique in the stack, e.g. `bookings#2`; also the log file's name. */
  name: string;
  /** The entry point, relative to the repository root. */
  entry: string;
  env: Record<string, string>;
  /** Polled until it answers 200 (`/health/ready`); undefined: the port accepting is enough. */
  readyUrl?: string;
  port: number;
}

/** A child process of the chaos stack. */
export class ServiceProcess {
  readonly spec: ProcessSpec;
  readonly logFile: string;
  #child: ChildProcess | undefined;
  #log: WriteStream | undefined;
  #exited: Promise<void> = Promise.resolve();
  /** SIGKILLs this process has had. */
  kills = 0;

  constructor(spec: ProcessSpec, logDir: string) {
    this.spec = spec;
    this.logFile = join(logDir, `${spec.name.replace(/[^\w.-]/g, '_')}.log`);
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && !this.#child.killed;
  }

  /** Spawns it and waits (up to `timeoutMs`) until it is ready; fails loudly with its log's tail. */
  async start(timeoutMs = 90_000): Promise<void> {
    this.#log ??= createWriteStream(this.logFile, { flags: 'a' });
    this.#log.write(`\n--- start ${new Date().toISOString()} ---\n`);
    // The parent's NODE_OPTIONS (jest's --experimental-vm-modules) is not the service's business.
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    const child = spawn(process.execPath, [this.spec.entry], {
      cwd: ROOT,
      env: { ...inherited, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.pipe(this.#log, { end: false });
    child.stderr?.pipe(this.#log, { end: false });
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (!(await this.#ready())) {
      if (child.exitCode !== null)
        throw new Error(`${this.spec.name} exited with ${child.exitCode}:\n${await this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.spec.name} not ready after ${timeoutMs} ms:\n${await this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGKILL: no handler runs, nothing is flushed, sockets are closed by the kernel. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.kills++;
    this.#log?.write(`\n--- SIGKILL ${new Date().toISOString()} ---\n`);
    this.#child!.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGKILL without waiting (the harness itself is exiting: no child may outlive it). */
  killNow(): void {
    if (this.running) this.#child!.kill('SIGKILL');
  }

  /** SIGTERM, and SIGKILL if it has not exited after `graceMs`; resolves with how it ended. */
  async stop(graceMs = 15_000): Promise<'exited' | 'killed'> {
    if (!this.running) return 'exited';
    this.#child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.#exited.then(() => 'exited' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs))),
    ]);
    clearTimeout(timer);
    if (ended === 'exited') return 'exited';
    await this.kill();
    return 'killed';
  }

  /** Closes the log file (after the process has ended). */
  async closeLog(): Promise<void> {
    const log = this.#log;
    this.#log = undefined;
    if (log) await new Promise<void>((resolve) => log.end(() => resolve()));
  }

  /**
   * Whether this process's outbox relay is the active one, from its log since it last started
   * (`outbox relay is active` with no `stepped down` after it).
   */
  async holdsRelay(): Promise<boolean> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    const run = text.slice(text.lastIndexOf('--- start'));
    return (
      run.lastIndexOf('"msg":"outbox relay is active"') >
      run.lastIndexOf('"msg":"outbox relay stepped down"')
    );
  }

  /** The last lines of its log, for failure messages. */
  async tail(lines = 40): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-lines).join('\n');
  }

  async #ready(): Promise<boolean> {
    const url = this.spec.readyUrl ?? `http://127.0.0.1:${this.spec.port}/`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      return this.spec.readyUrl ? res.ok : true;
    } catch {
      return false;
    }
  }
}
