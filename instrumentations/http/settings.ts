// The http instrumentation's settings, which the official Node SDK only offers in code: excluded URLs
// (health checks), captured headers, the known-method list. Data only: the settings table
// (src/config) takes them in through the registry without loading the instrumentation.

import { defineSetting } from '../../src/config/setting.js';
import { names } from '../../src/config/setting-types.js';
import { namesOrPatterns, patternList } from '../../src/config/setting-types-patterns.js';

export const EXCLUDED_URLS = defineSetting({
  env: 'OTEL_NODE_EXCLUDED_URLS',
  group: 'instrumentations',
  // Python's OTEL_PYTHON_EXCLUDED_URLS shape: comma-separated regular expressions, searched in the full URL.
  help: 'regular expressions (comma list) searched in the full URL of incoming requests; matching requests (health checks) are not traced at all',
  type: patternList,
  default: [],
});

export const HTTP_EXCLUDED_URLS = defineSetting({
  env: 'OTEL_NODE_HTTP_EXCLUDED_URLS',
  group: 'instrumentations',
  help: 'the same, for http only',
  type: patternList,
  default: [],
  fallsBackTo: [EXCLUDED_URLS.env],
});

const capture = (what: string, suffix: string) =>
  defineSetting({
    env: `OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_${suffix}`,
    group: 'instrumentations',
    help: `${what} headers recorded as span attributes (comma list of names or regular expressions)`,
    type: namesOrPatterns,
    default: undefined,
  });

export const CAPTURE_SERVER_REQUEST = capture('server request', 'SERVER_REQUEST');
export const CAPTURE_SERVER_RESPONSE = capture('server response', 'SERVER_RESPONSE');
export const CAPTURE_CLIENT_REQUEST = capture('client request', 'CLIENT_REQUEST');
export const CAPTURE_CLIENT_RESPONSE = capture('client response', 'CLIENT_RESPONSE');

export const SANITIZE_FIELDS = defineSetting({
  env: 'OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS',
  group: 'instrumentations',
  help: 'captured headers whose values are replaced by [REDACTED]',
  type: namesOrPatterns,
  default: undefined,
});

export const KNOWN_METHODS = defineSetting({
  env: 'OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS',
  group: 'instrumentations',
  // Case-sensitive, and a full replacement of the default set (semantic conventions).
  help: "replaces the semantic conventions' known HTTP methods (others are reported as _OTHER)",
  type: names({ lowerCase: false }),
  default: undefined,
});

export const HTTP_SETTINGS = [
  EXCLUDED_URLS,
  HTTP_EXCLUDED_URLS,
  CAPTURE_SERVER_REQUEST,
  CAPTURE_SERVER_RESPONSE,
  CAPTURE_CLIENT_REQUEST,
  CAPTURE_CLIENT_RESPONSE,
  SANITIZE_FIELDS,
  KNOWN_METHODS,
];
