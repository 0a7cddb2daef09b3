import { invalidArgument, type RpcGroupFactory } from './rpc.js';
import { checkThisInstance } from './deployment-messages.js';

const TIMEOUT_SECONDS = { default: 30, max: 3600 };
/** A non-graceful shutdown with no timeout still gets this long: enough to answer the RPC and close the listeners. */
const IMMEDIATE_DEADLINE_MS = 1000;

/**
 * How long the drain may take. An explicit `timeout_seconds` always bounds a drain, whatever
 * `graceful` says: proto3 cannot tell an unset `graceful` from false, so `{timeout_seconds: 60}` alone
 * must not turn into a 1 s stop. Without a timeout, `graceful: true` gets the default and
 * `graceful: false` gets 1 s.
 */
function drainDeadline(timeoutSeconds: number, graceful: boolean): { deadlineMs: number; why: string } {
  if (timeoutSeconds > 0) return { deadlineMs: timeoutSeconds * 1000, why: 'timeout_seconds' };
  if (graceful) return { deadlineMs: TIMEOUT_SECONDS.default * 1000, why: `the default for graceful=true (timeout_seconds=0)` };
  return { deadlineMs: IMMEDIATE_DEADLINE_MS, why: 'graceful=false without timeout_seconds' };
}

/**
 * Shutdown (instance-local): the same path as SIGTERM — new HTTP requests get 503 `shutting_down`,
 * gRPC stops accepting calls, in-flight requests and jobs finish, connections close, the process
 * exits — bounded by {@link drainDeadline}. The answer is sent before the drain begins and says which
 * bound applied; a second call while draining changes nothing.
 */
export const shutdownRpcs: RpcGroupFactory = (app) => ({
  async Shutdown(request) {
    checkThisInstance(app, request.instance_id);
    const seconds = request.timeout_seconds;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > TIMEOUT_SECONDS.max) {
      throw invalidArgument('timeout_seconds', `must be from 0 to ${TIMEOUT_SECONDS.max} (0: ${TIMEOUT_SECONDS.default} s when graceful, else 1 s)`);
    }
    if (app.draining) return { success: true, message: 'already shutting down' };
    const { deadlineMs, why } = drainDeadline(seconds, request.graceful);
    // After the answer is on its way: the shutdown closes the gRPC server this call runs on.
    setImmediate(() => app.requestShutdown('gRPC Shutdown', deadlineMs));
    return {
      success: true,
      message: `shutting down: new requests are refused, in-flight work has up to ${deadlineMs / 1000} s to finish (${why}), then the process exits`,
    };
  },
});
