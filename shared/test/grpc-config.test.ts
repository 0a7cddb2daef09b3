import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/runtime/config/load-config.js';

const directory = mkdtempSync(join(tmpdir(), 'ailb-grpc-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('gRPC listener configuration', () => {
  it('listens on loopback (127.0.0.1:50051) in plaintext without a token by default', () => {
    expect(loadConfig({}).grpc).toEqual({ host: '127.0.0.1', port: 50051, tls: undefined, authToken: undefined });
  });

  it('listens on every interface by default once a token protects it', () => {
    expect(loadConfig({ GRPC_AUTH_TOKEN: 'a-long-random-token-42' }).grpc.host).toBe('0.0.0.0');
  });

  it('reads GRPC_HOST, GRPC_PORT, the TLS pair and the token from the environment', () => {
    const config = loadConfig({ GRPC_HOST: '127.0.0.1', GRPC_PORT: '0', GRPC_TLS_CERT: '/etc/ailb/cert.pem', GRPC_TLS_KEY: '/etc/ailb/key.pem', GRPC_AUTH_TOKEN: 'a-long-random-token-42' });
    expect(config.grpc).toEqual({ host: '127.0.0.1', port: 0, tls: { certFile: '/etc/ailb/cert.pem', keyFile: '/etc/ailb/key.pem' }, authToken: 'a-long-random-token-42' });
  });

  it('reads server.grpc_host and server.grpc_port from the file; the environment wins', () => {
    const path = join(directory, 'ailb.yaml');
    writeFileSync(path, 'server:\n  grpc_host: 10.0.0.5\n  grpc_port: 6000\n');
    expect(loadConfig({ AILB_CONFIG: path }).grpc).toMatchObject({ host: '10.0.0.5', port: 6000 });
    expect(loadConfig({ AILB_CONFIG: path, GRPC_HOST: '127.0.0.1' }).grpc).toMatchObject({ host: '127.0.0.1', port: 6000 });
  });

  it.each([
    [{ GRPC_TLS_CERT: '/c.pem' }, /^GRPC_TLS_KEY: required when GRPC_TLS_CERT is set/],
    [{ GRPC_TLS_KEY: '/k.pem' }, /^GRPC_TLS_CERT: required when GRPC_TLS_KEY is set/],
    [{ GRPC_AUTH_TOKEN: 'short' }, /^GRPC_AUTH_TOKEN: must be at least 16 printable characters/],
    [{ GRPC_AUTH_TOKEN: 'has a space in the middle' }, /^GRPC_AUTH_TOKEN: must be at least 16 printable characters/],
    [{ GRPC_HOST: 'two words' }, /^GRPC_HOST: must be a host name or address/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes the token in an error', () => {
    expect(() => loadConfig({ GRPC_AUTH_TOKEN: 'tiny-secret' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('tiny-secret') }));
  });
});
