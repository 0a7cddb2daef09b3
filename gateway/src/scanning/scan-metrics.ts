import { metricNames, type ScanFindingKind, type ScanPolicy } from '@ailb/shared';
import { Counter, type Registry } from 'prom-client';

/** What the scan stage reports for metrics. */
export interface ScanObserver {
  recordFindings(kind: ScanFindingKind, action: Exclude<ScanPolicy, 'off'>, count: number): void;
}

/** `ailb_prompt_scan_findings_total{kind,action}` in the gateway's registry. */
export class ScanMetrics implements ScanObserver {
  private readonly findings: Counter;

  constructor(registry: Registry) {
    const { promptScanFindings } = metricNames;
    this.findings = new Counter({ name: promptScanFindings.name, help: promptScanFindings.help, labelNames: promptScanFindings.labels, registers: [registry] });
  }

  recordFindings(kind: ScanFindingKind, action: Exclude<ScanPolicy, 'off'>, count: number): void {
    this.findings.inc({ kind, action }, count);
  }
}
