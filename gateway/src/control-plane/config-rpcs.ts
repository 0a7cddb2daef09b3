import { createHash } from 'node:crypto';
import { timestampFromDate } from '@ailb/proto';
import { status } from '@grpc/grpc-js';
import { configFromText, configToText } from '@ailb/shared/runtime';
import { ConfigRefused } from '../config-control/config-update.js';
import { RUNTIME_KEYS } from '../config-control/runtime-sections.js';
import { checkThisInstance } from './deployment-messages.js';
import { checkClusterWideInstance } from './instance-scope.js';
import { invalidArgument, RpcFailure, type RpcGroupFactory } from './rpc.js';

/*
 * GetConfig, UpdateConfig (cluster-wide) and Reload (this instance): the running configuration in the
 * config file's shape, changes to what a running gateway can change, and re-reading AILB_CONFIG.
 * UpdateConfig's `config_data` is a JSON Merge Patch (RFC 7386) of the document GetConfig returns, in
 * YAML or JSON; see config-control/runtime-sections.ts for what may change while running.
 */

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** `config_type`: `yaml` (also empty) or `json`. */
function format(value: string, field: string): 'yaml' | 'json' {
  const type = value.trim().toLowerCase();
  if (type === '' || type === 'yaml' || type === 'yml') return 'yaml';
  if (type === 'json') return 'json';
  throw invalidArgument(field, `must be yaml or json, got "${value}"`);
}

/** The config RPCs of the ModuleService. */
export const configRpcs: RpcGroupFactory = (app) => ({
  async GetConfig(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const type = format(request.config_type, 'config_type');
    const control = app.configControl;
    const document = control.redactedDocument();
    const text = configToText(document, type);
    const data = Buffer.from(text, 'utf8');
    const origin = control.describe;
    const updatedAt = timestampFromDate(new Date(origin.updatedAt));
    return {
      configs: [
        {
          config_id: origin.configId,
          config_type: type,
          config_data: data,
          checksum: sha256(data),
          updated_at: updatedAt,
          metadata: {
            source: origin.kind,
            revision: String(origin.revision),
            // The stored revision this gateway runs on; with `refused`, why it does not run the newest one.
            applied_revision: String(origin.appliedRevision),
            ...(origin.refused ? { refused: origin.refused } : {}),
            instance_id: app.instanceId,
            ...(origin.file ? { file: origin.file } : {}),
            changeable: RUNTIME_KEYS.join(','),
            route_overrides: String(control.overrides.length),
          },
        },
      ],
      last_updated: updatedAt,
    };
  },

  async UpdateConfig(request) {
    await checkClusterWideInstance(app, request.instance_id);
    const config = request.config;
    if (config === null) throw invalidArgument('config', 'required: a ConfigUpdate whose config_data is a YAML or JSON merge patch of the configuration');
    const control = app.configControl;
    if (config.metadata.reset !== undefined) {
      if (config.metadata.reset !== 'file') throw invalidArgument('config.metadata.reset', `must be "file" (return every gateway to its own file's changeable sections), got "${config.metadata.reset}"`);
      if (config.config_data.length > 0) throw invalidArgument('config.config_data', 'must be empty with metadata reset=file');
      if (request.validate_only) return { success: true, message: 'reset=file is valid', validation_passed: true, validation_errors: [] };
      const { revision } = await control.reset();
      return { success: true, message: `Every gateway returns to its own file's ${RUNTIME_KEYS.join(', ')} (revision ${revision}).`, validation_passed: true, validation_errors: [] };
    }
    const type = format(config.config_type, 'config.config_type');
    if (config.checksum !== '' && config.checksum.toLowerCase() !== sha256(config.config_data)) {
      throw invalidArgument('config.checksum', 'is not the SHA-256 (hex) of config_data; leave it empty or send the digest of the bytes sent');
    }
    const text = config.config_data.toString('utf8');
    let patch: unknown;
    let problems: string[] = [];
    if (text.trim() === '') problems = ['config_data: empty: send the keys to change, e.g. {"routing": {"strategy": "failover"}}'];
    else {
      try {
        patch = configFromText(text, type);
      } catch (error) {
        problems = [`config_data: not valid ${type.toUpperCase()}: ${(error as Error).message}`];
      }
    }
    try {
      if (problems.length > 0) throw new ConfigRefused(problems, 'UpdateConfig refused');
      const outcome = await control.update(patch, { validateOnly: request.validate_only, ...(config.config_id ? { configId: config.config_id } : {}) });
      if ('validated' in outcome) return { success: true, message: 'The configuration is valid; nothing was changed (validate_only).', validation_passed: true, validation_errors: [] };
      return {
        success: true,
        message: `Applied as ${outcome.configId} (revision ${outcome.revision}); every gateway applies it within a second (GetConfig on a gateway: metadata.applied_revision, and refused when it cannot).`,
        validation_passed: true,
        validation_errors: [],
      };
    } catch (error) {
      if (!(error instanceof ConfigRefused)) throw error;
      // A validation request is answered; a refused change is an error status, listing every problem.
      if (request.validate_only) {
        return { success: false, message: `The configuration is invalid (${error.problems.length} problems); nothing was changed.`, validation_passed: false, validation_errors: error.problems };
      }
      throw new RpcFailure(status.INVALID_ARGUMENT, error.message, 'config.config_data');
    }
  },

  async Reload(request) {
    checkThisInstance(app, request.instance_id);
    if (request.timeout_seconds < 0) throw invalidArgument('timeout_seconds', 'must be 0 or more');
    try {
      // Requests in flight keep the plan they have; a reload never waits for them, whatever `graceful` says.
      return { success: true, message: await app.configControl.reload() };
    } catch (error) {
      if (error instanceof ConfigRefused) throw new RpcFailure(status.FAILED_PRECONDITION, error.message);
      throw error;
    }
  },
});
