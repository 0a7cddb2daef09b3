import { SplitDeployment, startSimulatedProvider, type SimulatedProvider } from '@ailb/testkit';

/** What {@link startSplitCluster} runs. */
export interface SplitCluster {
  simulator: SimulatedProvider;
  deployment: SplitDeployment;
  /** The two gateways, in start order. */
  gateways: Array<Awaited<ReturnType<SplitDeployment['startGateway']>>>;
  close(): Promise<void>;
}

/**
 * AILB as deployed for the cross-gateway tests: two gateway processes and a worker over one Redis, in
 * front of a fresh simulated provider served as deployment `oa` (sim-small, sim-large). `yaml` adds
 * lines to the configuration (rules, keys), `env` variables to every process.
 */
export async function startSplitCluster(yaml: string[], options: { tokensPerSecond: number; env?: Record<string, string> }): Promise<SplitCluster> {
  const simulator = await startSimulatedProvider({ tokensPerSecond: options.tokensPerSecond });
  const deployment = new SplitDeployment(
    ['providers:', `  - { id: oa, type: openai, base_url: "${simulator.url}/v1", api_key: "sk-sim", models: [sim-small, sim-large] }`, ...yaml].join('\n'),
    options.env,
  );
  const close = async () => {
    await deployment.close();
    await simulator.close();
  };
  let started;
  try {
    started = await Promise.all([deployment.startGateway(), deployment.startGateway(), deployment.startWorker()]);
  } catch (error) {
    await close();
    throw error;
  }
  const [first, second] = started;
  return {
    simulator,
    deployment,
    gateways: [first, second],
    close,
  };
}
