import * as ACData from 'adaptivecards-templating';

/** The library's warning for a `$when` that did not come out true (it says "Unable to parse" even for a plain false). */
const WHEN_WARNING = /^WARN: Unable to parse the Adaptive Expression .* The \$when condition has been set to false by default\.$/;
const UNRESOLVED = /\$\{[^}]*\}/g;

interface Evaluation {
  value?: unknown;
  error?: unknown;
}
type Evaluator = (expression: { toString(): string }, context: unknown, allowSubstitutions: boolean) => Evaluation;
type TemplateStatics = { internalTryEvaluateExpression: Evaluator };

export interface StrictExpansion {
  card: Record<string, unknown>;
  /** Everything wrong with the expansion; empty means clean. */
  problems: string[];
}

/**
 * Expands a card template as cards.ts does (`new Template(json).expand({ $root: data })`) and reports every problem:
 * a `${…}` left in the output, an expansion warning, a `$when` that failed or was not a boolean, and anything the
 * templating library or adaptive-expressions wrote to the console.
 *
 * Why it watches the evaluator: adaptivecards-templating 2.3 warns "Unable to parse" for every `$when` that is not
 * true, a legitimate false included, so its warning list alone cannot tell a hidden block from a broken condition.
 * It evaluates `$when` (and only `$when`) without substitutions; recording those results tells the two apart.
 */
export function expandStrict(template: object, data: object): StrictExpansion {
  const problems: string[] = [];
  const statics = ACData.Template as unknown as TemplateStatics;
  const evaluate = statics.internalTryEvaluateExpression;
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void problems.push(`console.${m}: ${args.map(String).join(' ')}`);
  statics.internalTryEvaluateExpression = (expression, context, allowSubstitutions) => {
    const result = evaluate(expression, context, allowSubstitutions);
    if (!allowSubstitutions && (result.error || typeof result.value !== 'boolean'))
      problems.push(`$when ${expression.toString()} ${result.error ? `failed: ${String(result.error)}` : `is ${JSON.stringify(result.value) ?? 'undefined'}, not a boolean`}`);
    return result;
  };
  try {
    const engine = new ACData.Template(template);
    const card = engine.expand({ $root: data }) as Record<string, unknown>;
    problems.push(...engine.getLastTemplateExpansionWarnings().filter((w) => !WHEN_WARNING.test(w)));
    problems.push(...[...JSON.stringify(card).matchAll(UNRESOLVED)].map((m) => `unresolved ${m[0]}`));
    return { card, problems };
  } finally {
    statics.internalTryEvaluateExpression = evaluate;
    methods.forEach((m, i) => (console[m] = saved[i]));
  }
}
