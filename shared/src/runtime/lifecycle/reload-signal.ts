/** Where SIGHUP comes from (the process; an emitter in tests). */
export interface SignalSource {
  on(signal: 'SIGHUP', listener: () => void): unknown;
  removeListener(signal: 'SIGHUP', listener: () => void): unknown;
}

/** What the reload signal logs to (pino's shape). */
export interface ReloadLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * SIGHUP for a service, from the moment the process starts: Node's default for SIGHUP is to exit, so a
 * SIGHUP that arrives while the service is still starting (an operator, or a supervisor, asking for
 * a reload right after a deploy) would kill it. While starting, SIGHUP is held and one reload runs
 * once the service is up; then each SIGHUP reloads. A service that does not reload (workers,
 * embedders) gets Node's default behaviour back once started.
 */
export class ReloadSignal {
  private state: 'starting' | 'running' | 'closed' = 'starting';
  private requestedWhileStarting = false;
  private reload: (() => Promise<string>) | undefined;

  constructor(
    private readonly logger: ReloadLogger,
    private readonly signals: SignalSource = process,
  ) {
    signals.on('SIGHUP', this.onSignal);
  }

  /**
   * The service is up. With `reload`, SIGHUP calls it from now on, and a SIGHUP received while
   * starting reloads now (the returned promise settles when that reload has). Without, the
   * handler is removed: the process has Node's default SIGHUP behaviour again.
   */
  started(reload: (() => Promise<string>) | undefined): Promise<void> {
    if (this.state !== 'starting') return Promise.resolve();
    if (!reload) {
      if (this.requestedWhileStarting) this.logger.warn({ signal: 'SIGHUP' }, 'SIGHUP received while starting: ignored (this service does not reload its configuration)');
      this.close();
      return Promise.resolve();
    }
    this.state = 'running';
    this.reload = reload;
    return this.requestedWhileStarting ? this.run() : Promise.resolve();
  }

  /** Stops handling SIGHUP. Idempotent. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.signals.removeListener('SIGHUP', this.onSignal);
  }

  private readonly onSignal = (): void => {
    if (this.state === 'starting') {
      if (!this.requestedWhileStarting) this.logger.info({ signal: 'SIGHUP' }, 'reload requested while starting: reloading once started');
      this.requestedWhileStarting = true;
      return;
    }
    if (this.state === 'running') void this.run();
  };

  private async run(): Promise<void> {
    this.logger.info({ signal: 'SIGHUP' }, 'reloading the configuration');
    try {
      this.logger.info({ signal: 'SIGHUP' }, await this.reload!());
    } catch (error) {
      this.logger.error({ signal: 'SIGHUP', err: error }, 'reload refused: the running configuration is unchanged');
    }
  }
}
