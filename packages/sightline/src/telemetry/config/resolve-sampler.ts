/**
 * The sampler: `options.sampler`, else `OTEL_TRACES_SAMPLER` with
 * `OTEL_TRACES_SAMPLER_ARG`, else the alias `OTEL_SAMPLING_RATE` (a
 * parent-based ratio sampler), else `parentbased_always_on`. Rules of the
 * rule-based sampler come from options only.
 */
import type { Candidate, Env } from './env.ts';
import { firstSet, resolveValue } from './env.ts';
import type { RuleSamplerConfig, SamplerConfig, SamplerOptions, SamplingDecisionRule, SamplingRule, TelemetryOptions } from './types.ts';
import { asBoolean, asEnum, asPlainObject, asRatio, asStringList, reject } from './validate.ts';

const STANDARD_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
const OPTION_SAMPLERS = [...STANDARD_SAMPLERS, 'rules'] as const;
const RATIO_SAMPLERS: readonly string[] = ['traceidratio', 'parentbased_traceidratio'];
const UNSUPPORTED_HINT = 'jaeger_remote, parentbased_jaeger_remote and xray are not supported by Sightline; sample in an OpenTelemetry Collector instead.';

/** The default sampler: follow the parent, keep every root trace. */
export const DEFAULT_SAMPLER: SamplerConfig = { type: 'parentbased_always_on' };

/** Resolves `config.sampler`. */
export function resolveSampler(options: TelemetryOptions, env: Env): SamplerConfig {
  if (options.sampler !== undefined) return resolveSamplerOptions(options.sampler);
  const named = firstSet('sampler.type', undefined, env, ['OTEL_TRACES_SAMPLER']);
  if (named !== undefined) {
    const type = asEnum(named, STANDARD_SAMPLERS, UNSUPPORTED_HINT);
    if (!isRatioType(type)) return { type };
    const ratio = resolveValue(firstSet('sampler.ratio', undefined, env, ['OTEL_TRACES_SAMPLER_ARG']), asRatio, 1);
    return { type, ratio };
  }
  const alias = firstSet('sampler.ratio', undefined, env, ['OTEL_SAMPLING_RATE']);
  if (alias !== undefined) return { type: 'parentbased_traceidratio', ratio: asRatio(alias) };
  return DEFAULT_SAMPLER;
}

function isRatioType(type: string): type is 'traceidratio' | 'parentbased_traceidratio' {
  return RATIO_SAMPLERS.includes(type);
}

/** Validates a sampler given as an option and fills its defaults; throws `InvalidConfigError` on a bad value. */
export function resolveSamplerOptions(value: SamplerOptions): SamplerConfig {
  const sampler = asPlainObject({ setting: 'sampler', source: 'option', value });
  const type = asEnum({ setting: 'sampler.type', source: 'option', value: sampler['type'] }, OPTION_SAMPLERS);
  if (type === 'rules') return rulesFromOption(sampler);
  if (!isRatioType(type)) return { type };
  return { type, ratio: resolveValue(firstSet('sampler.ratio', sampler['ratio'], {}), asRatio, 1) };
}

function rulesFromOption(sampler: Record<string, unknown>): RuleSamplerConfig {
  const option = (key: string): Candidate | undefined => firstSet(`sampler.${key}`, sampler[key], {});
  const rulesCandidate = option('rules');
  let rules: SamplingRule[] = [];
  if (rulesCandidate !== undefined) {
    if (!Array.isArray(rulesCandidate.value)) reject(rulesCandidate, 'an array of sampling rules');
    rules = (rulesCandidate.value as unknown[]).map((rule, index) => ruleFromOption(rule, `sampler.rules[${index}]`));
  }
  return {
    type: 'rules',
    rules,
    defaultRatio: resolveValue(option('defaultRatio'), asRatio, 1),
    alwaysSampleTenants: resolveValue(option('alwaysSampleTenants'), asStringList, []),
    parentBased: resolveValue(option('parentBased'), asBoolean, true),
  };
}

function ruleFromOption(value: unknown, setting: string): SamplingRule {
  const rule = asPlainObject({ setting, source: 'option', value });
  const spanName = matcher(rule['spanName'], `${setting}.spanName`);
  const route = matcher(rule['route'], `${setting}.route`);
  if (spanName === undefined && route === undefined) {
    reject({ setting, source: 'option', value }, 'a rule with a spanName or a route (or both) to match on');
  }
  const ratio = decision(rule['ratio'], `${setting}.ratio`);
  return {
    ...(spanName === undefined ? {} : { spanName }),
    ...(route === undefined ? {} : { route }),
    ratio,
  };
}

/**
 * A string matcher as is, or a RegExp copied without the `g` and `y` flags:
 * those make `test()` stateful (it would write `lastIndex`, which fails on
 * the frozen configuration and makes matches depend on the previous call).
 */
function matcher(value: unknown, setting: string): string | RegExp | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, ''));
  return reject({ setting, source: 'option', value }, 'a string (exact match) or a RegExp');
}

function decision(value: unknown, setting: string): SamplingDecisionRule {
  if (value === 'always' || value === 'never') return value;
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  return reject({ setting, source: 'option', value }, "a number between 0 and 1, 'always' or 'never'");
}
