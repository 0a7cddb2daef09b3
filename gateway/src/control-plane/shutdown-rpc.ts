import { invalidArgument, type RpcGroupFactory } from './rpc.js';
import { checkThisInstance } from './deployment-messages.js';

const TIMEOUT_SECONDS = { default: 30, max: 3600 };
/** A non-graceful shutdown still gets this long: enough to answer the RPC and close the listeners. */
const IMMEDIATE_DEADLINE_MS = 1000;

/**
 * Shutdown (instance-local): the same path as SIGTERM — new HTTP requests get 503 `shutting_down`,
 * gRPC stops accepting calls, in-flight requests and jobs finish, connections close, the process
 * exits — bounded by `timeout_seconds` (0: 30 s). `graceful: false` allows 1 s only. The answer is
 * sent before the drain begins; a second call while draining changes nothing.
 */
export const shutdownRpcs: RpcGroupFactory = (app) => ({
  async Shutdown(request) {
    checkThisInstance(app, request.instance_id);
    const seconds = request.timeout_seconds === 0 ? TIMEOUT_SECONDS.default : request.timeout_seconds;
    if (seconds < 0 || seconds > TIMEOUT_SECONDS.max) throw invalidArgument('timeout_seconds', `must be from 0 to ${TIMEOUT_SECONDS.max} (0: the default, ${TIMEOUT_SECONDS.default} s)`);
    if (app.draining) return { success: true, message: 'already shutting down' };
    const deadlineMs = request.graceful ? seconds * 1000 : Math.min(seconds * 1000, IMMEDIATE_DEADLINE_MS);
    // After the answer is on its way: the shutdown closes the gRPC server this call runs on.
    setImmediate(() => app.requestShutdown('gRPC Shutdown', deadlineMs));
    return {
      success: true,
      message: request.graceful
        ? `shutting down: new requests are refused, in-flight work has up to ${seconds} s to finish, then the process exits`
        : `shutting down now: in-flight work has ${deadlineMs / 1000} s, then the process exits`,
    };
  },
});
