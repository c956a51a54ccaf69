// fetch and undici name methods by the same list as http (OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS);
// an app may only ever fetch, so undici declares it too. Data only (see ../http/settings.ts).

import { KNOWN_METHODS } from '../http/settings.js';

export { KNOWN_METHODS };
export const UNDICI_SETTINGS = [KNOWN_METHODS];
