// graphql 15 and 16: parse (graphql/language/parser.js) and validate (graphql/validation/validate.js)
// wrapped on their module's exports, each call in a trace becoming a span of its own (phase-span.ts).

import { wrap } from '../../src/hook/patch.js';
import { endPhase, failPhase, startPhase } from './phase-span.js';
import { PARSE_SPAN_NAME, VALIDATE_SPAN_NAME } from './semconv.js';

type Step = (...args: unknown[]) => unknown;

/** parse returns the document and throws a syntax error; validate returns the list of validation errors. */
function tracedStep(original: Step, spanName: string, returnsErrors: boolean): Step {
  return function step(this: unknown) {
    const span = startPhase(spanName);
    if (span === undefined) return Reflect.apply(original, this, arguments);
    let result: unknown;
    try {
      result = Reflect.apply(original, this, arguments);
    } catch (error) {
      failPhase(span, error);
      throw error;
    }
    endPhase(span, returnsErrors ? result : undefined);
    return result;
  };
}

export function patchParserModule(exports: object): void {
  wrap(exports as Record<string, Step>, 'parse', (original) => tracedStep(original, PARSE_SPAN_NAME, false));
}

export function patchValidateModule(exports: object): void {
  wrap(exports as Record<string, Step>, 'validate', (original) => tracedStep(original, VALIDATE_SPAN_NAME, true));
}
