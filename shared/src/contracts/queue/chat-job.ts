import { z } from 'zod';
import { chatCallSchema } from '../spec/chat-call.js';
import { attemptTimeoutsSchema, retryPolicySchema } from '../config/config.schema.js';

/** One place a call can go: a provider deployment and the model name to send it. */
export const routeTargetSchema = z.object({
  /** Provider deployment id from configuration. */
  provider: z.string().min(1),
  /** The upstream model name. */
  model: z.string().min(1),
});
export type RouteTarget = z.infer<typeof routeTargetSchema>;

export const jobPrioritySchema = z.enum(['high', 'normal', 'low']);
export type JobPriority = z.infer<typeof jobPrioritySchema>;

/** A target as the plan carries it: where to send, and the time limits of each attempt there. */
export const plannedTargetSchema = routeTargetSchema.extend({
  /** Attempts allowed in flight on this target across the cluster (`max_concurrency`). */
  maxConcurrency: z.number().int().positive().optional(),
  /** The target is a half-open circuit's single probe, claimed by this request. */
  probe: z.boolean().optional(),
  /**
   * The attempt counts toward the target's in-flight total across the cluster: set when the target
   * has a `maxConcurrency` or its route balances by load. Other attempts skip that bookkeeping.
   */
  countInFlight: z.boolean().optional(),
  timeouts: attemptTimeoutsSchema,
  /** Start the plan's next target in parallel when this one produced no first token within this many ms (`hedge_after_ms`). */
  hedgeAfterMs: z.number().int().positive().optional(),
  /** `supports_prefill` as configured for the target; absent: what the worker's adapter says for the model. */
  supportsPrefill: z.boolean().optional(),
});
export type PlannedTarget = z.infer<typeof plannedTargetSchema>;

/** The gateway's routing decision, carried as data so a worker can execute and a trace can replay it. */
export const routingPlanSchema = z.object({
  /** The public model name the client asked for. */
  requestedModel: z.string(),
  strategy: z.string(),
  /** Targets in the order they should be tried. */
  targets: z.array(plannedTargetSchema).min(1),
  /**
   * Targets of the route's `context_fallback`, tried (once, in order) when a target answers that the
   * request exceeds its context window. Empty or absent: such a verdict is final.
   */
  contextFallback: z.array(plannedTargetSchema).optional(),
  /** Targets of the route left out of this plan, and why (e.g. `circuit_open`); for traces. */
  excluded: z.array(routeTargetSchema.extend({ reason: z.string() })).optional(),
  /** Retries of retryable failures on each target before moving to the next. */
  retries: retryPolicySchema,
  /** A stream that broke after output continues on the next target (`continue_streams`). Absent: true. */
  continueStreams: z.boolean().optional(),
});
export type RoutingPlan = z.infer<typeof routingPlanSchema>;

/** The version of the chat job payload and of its replies. */
export const CHAT_JOB_VERSION = 2;

/**
 * The payload of one chat job: the call in the provider-neutral spec and the routing plan. Validated
 * once, by the worker on receipt; `version` lets a rolling deploy tell a job it can read from one it
 * would misread.
 */
export const chatJobSchema = z.object({
  version: z.literal(CHAT_JOB_VERSION),
  /** Unique per job; also the key for cancellation. */
  jobId: z.string().min(1),
  /** The client-visible request id (x-request-id). */
  requestId: z.string().min(1),
  /** The reply channel of the gateway instance that is waiting for the answer. */
  replyTo: z.string().min(1),
  /** Epoch ms after which the answer is useless; workers drop expired jobs. */
  deadlineAt: z.number().int(),
  /** Epoch ms when the gateway enqueued the job. */
  enqueuedAt: z.number().int(),
  stream: z.boolean(),
  /**
   * Queue priority (`x-ailb-priority`): `high` jumps ahead of waiting jobs, `low` runs only when no
   * other job waits, `normal` is first come, first served.
   */
  priority: jobPrioritySchema,
  call: chatCallSchema,
  plan: routingPlanSchema,
});
export type ChatJob = z.infer<typeof chatJobSchema>;
