import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadHealthDefinition, protoLoaderOptions } from '@ailb/proto';
import { credentials, loadPackageDefinition, type ChannelCredentials, type ChannelOptions, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/*
 * Clients of the standard services (health, reflection) built from their .proto files, as a
 * Kubernetes probe or grpcurl would use them, and a throwaway TLS certificate made with openssl.
 */

type HealthStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
interface HealthClient extends Client {
  Check(request: { service: string }, callback: (error: ServiceError | null, response?: { status: HealthStatus }) => void): void;
  Watch(request: { service: string }): ClientReadableStream<{ status: HealthStatus }>;
}

export function healthClient(address: string, channelCredentials: ChannelCredentials = credentials.createInsecure(), options: ChannelOptions = {}): HealthClient {
  const pkg = loadPackageDefinition(loadHealthDefinition()) as unknown as { grpc: { health: { v1: { Health: new (address: string, credentials: ChannelCredentials, options: ChannelOptions) => HealthClient } } } };
  return new pkg.grpc.health.v1.Health(address, channelCredentials, options);
}

export function checkHealth(client: HealthClient, service: string): Promise<HealthStatus> {
  return new Promise((resolve, reject) => client.Check({ service }, (error, response) => (error ? reject(error) : resolve(response!.status))));
}

/** The service names server reflection (v1) lists. */
export function reflectedServices(address: string): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto');
  const definition = loadSync('grpc/reflection/v1/reflection.proto', { ...protoLoaderOptions, includeDirs: [root] });
  type ReflectionClient = Client & {
    ServerReflectionInfo(): import('@grpc/grpc-js').ClientDuplexStream<{ list_services: string }, { list_services_response: { service: { name: string }[] } | null }>;
  };
  const pkg = loadPackageDefinition(definition) as unknown as { grpc: { reflection: { v1: { ServerReflection: new (address: string, credentials: ChannelCredentials) => ReflectionClient } } } };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (response) => {
      resolve((response.list_services_response?.service ?? []).map((service: { name: string }) => service.name));
      call.end();
    });
    call.on('error', reject);
    call.on('end', () => client.close());
    call.write({ list_services: '' });
  });
}

/** A self-signed certificate for `localhost` (PEM files in a temporary directory). */
export function selfSignedCertificate(): { certFile: string; keyFile: string; cert: Buffer; cleanup(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'ailb-grpc-tls-'));
  const certFile = join(directory, 'cert.pem');
  const keyFile = join(directory, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { certFile, keyFile, cert: readFileSync(certFile), cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}
