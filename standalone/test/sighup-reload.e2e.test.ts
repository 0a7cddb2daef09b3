import { writeFileSync } from 'node:fs';
import { SplitDeployment } from '@ailb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * SIGHUP reloads the configuration of a real gateway process (the built entry point under the shared
 * process lifecycle): the edited file's route is served, the process keeps running, and a file that
 * would need a restart is refused with the running configuration left as it was.
 */
const FILE = (routes: string[]) => `
providers:
  - { id: local, type: openai, base_url: "http://127.0.0.1:9/v1", models: [some-model] }
routes:
${routes.map((name) => `  - { model: ${name}, targets: [{ provider: local, model: some-model }] }`).join('\n')}
`;

describe('SIGHUP', () => {
  const deployment = new SplitDeployment(FILE(['before']));
  let gateway: Awaited<ReturnType<SplitDeployment['startGateway']>>;

  const models = async () => ((await (await fetch(`${gateway.url}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (const deadline = Date.now() + 5000; !(await check()); ) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen:\n${gateway.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    gateway = await deployment.startGateway();
  });
  afterAll(() => deployment.close());

  it('re-reads the file and serves its routes, without restarting the process', async () => {
    expect(await models()).toContain('before');
    writeFileSync(deployment.env.AILB_CONFIG!, FILE(['before', 'after-sighup']));
    gateway.child.kill('SIGHUP');
    await until(async () => (await models()).includes('after-sighup'), 'serving the reloaded route');
    // The log line travels on another pipe than the HTTP answer: it may arrive a moment later.
    await until(async () => /"msg":"reloaded [^"]*ailb\.yaml: 2 configured routes/.test(gateway.output()), 'the reload being logged');
    expect(gateway.child.exitCode).toBeNull();
  });

  it('refuses a file that needs a restart, and keeps serving what it served', async () => {
    writeFileSync(deployment.env.AILB_CONFIG!, `${FILE(['only-this'])}server: { body_limit_bytes: 2048 }\n`);
    gateway.child.kill('SIGHUP');
    await until(async () => gateway.output().includes('reload refused'), 'the refusal being logged');
    expect(gateway.output()).toMatch(/server\.body_limit_bytes: cannot change while running/);
    expect(await models()).toEqual(expect.arrayContaining(['before', 'after-sighup']));
    expect(await models()).not.toContain('only-this');
  });
});
