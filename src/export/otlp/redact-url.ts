// otlp-exporter.ts (reworked by another change) still imports this name: the rule itself is
// redactEndpointUrl in src/diag/redact.ts. Remove once it imports that directly.
export { redactEndpointUrl as redactUrl } from '../../diag/redact.js';
