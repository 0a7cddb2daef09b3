/** CPU and memory of this process, for the gRPC stats (Prometheus has the raw process_* series). */
export class ProcessUsage {
  private previous = { at: performance.now(), cpu: process.cpuUsage() };
  private lastPercent: number;

  constructor() {
    // Until a first interval has passed: the average since the process started.
    const { user, system } = process.cpuUsage();
    this.lastPercent = ((user + system) / 1000 / (process.uptime() * 1000)) * 100;
  }

  /**
   * CPU used over the interval since the previous reading (at least one second; a reading sooner
   * repeats the last value), in percent of one core: 200 means two cores busy.
   */
  cpuPercent(): number {
    const now = performance.now();
    const elapsedMs = now - this.previous.at;
    if (elapsedMs >= 1000) {
      const used = process.cpuUsage(this.previous.cpu);
      this.lastPercent = ((used.user + used.system) / 1000 / elapsedMs) * 100;
      this.previous = { at: now, cpu: process.cpuUsage() };
    }
    return this.lastPercent;
  }

  /** Resident set size in MiB. */
  memoryMb(): number {
    return process.memoryUsage.rss() / (1024 * 1024);
  }
}
