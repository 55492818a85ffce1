/**
 * Sightline's rule-based sampler, for root spans (or every span when not
 * parent-based). In order:
 *
 * 1. a trace whose tenant (the `tenant.id` baggage entry of the parent
 *    context) is in `alwaysSampleTenants` is kept;
 * 2. the first rule whose span name and/or route matches decides: a ratio,
 *    `'always'` or `'never'`;
 * 3. otherwise `defaultRatio` decides.
 *
 * Ratios use the SDK's trace-id-ratio sampler, so a decision depends only on
 * the trace id and the ratio: every span of a trace that reaches the same
 * ratio agrees, and a trace kept at a lower ratio is also kept at any higher
 * one.
 */
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { propagation } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { AlwaysOffSampler, AlwaysOnSampler, SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { TENANT_ID_KEY } from '../../context/keys.ts';
import type { RuleSamplerConfig, SamplingDecisionRule, SamplingRule } from '../config/types.ts';

interface CompiledRule {
  readonly rule: SamplingRule;
  readonly sampler: Sampler;
}

const KEEP: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });

/** The rule sampler without the parent-based wrapper; `createSampler` adds it when `parentBased` is true. */
export class RuleSampler implements Sampler {
  readonly #rules: readonly CompiledRule[];
  readonly #defaultSampler: Sampler;
  readonly #tenants: ReadonlySet<string>;
  readonly #description: string;

  constructor(config: RuleSamplerConfig) {
    this.#rules = config.rules.map((rule) => ({ rule, sampler: samplerFor(rule.ratio) }));
    this.#defaultSampler = samplerFor(config.defaultRatio);
    this.#tenants = new Set(config.alwaysSampleTenants);
    this.#description = describe(config);
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const tenant = propagation.getBaggage(context)?.getEntry(TENANT_ID_KEY)?.value;
    if (tenant !== undefined && this.#tenants.has(tenant)) return KEEP;
    const route = routeOf(attributes);
    const match = this.#rules.find(({ rule }) => matchesRule(rule, spanName, route));
    const sampler = match?.sampler ?? this.#defaultSampler;
    return sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return this.#description;
  }
}

function samplerFor(decision: SamplingDecisionRule): Sampler {
  if (decision === 'always') return new AlwaysOnSampler();
  if (decision === 'never') return new AlwaysOffSampler();
  return new TraceIdRatioBasedSampler(decision);
}

/** The route of a span at start: `http.route` when set, else `url.path`. */
function routeOf(attributes: Attributes): string | undefined {
  const route = attributes[ATTR_HTTP_ROUTE] ?? attributes[ATTR_URL_PATH];
  return typeof route === 'string' ? route : undefined;
}

function matchesRule(rule: SamplingRule, spanName: string, route: string | undefined): boolean {
  if (rule.spanName !== undefined && !matches(rule.spanName, spanName)) return false;
  if (rule.route !== undefined && (route === undefined || !matches(rule.route, route))) return false;
  return true;
}

function matches(matcher: string | RegExp, value: string): boolean {
  return typeof matcher === 'string' ? matcher === value : matcher.test(value);
}

function describe(config: RuleSamplerConfig): string {
  const rules = config.rules.map((rule) => {
    const parts = [
      ...(rule.spanName === undefined ? [] : [`spanName=${String(rule.spanName)}`]),
      ...(rule.route === undefined ? [] : [`route=${String(rule.route)}`]),
    ];
    return `${parts.join(' ')} -> ${String(rule.ratio)}`;
  });
  return `RuleSampler{rules=[${rules.join(', ')}], defaultRatio=${config.defaultRatio}, alwaysSampleTenants=[${config.alwaysSampleTenants.join(', ')}]}`;
}
