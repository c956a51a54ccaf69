// The User-Agent our OTLP exporters send: the distro token first, then the exporter token the spec asks for
// (`OTel-OTLP-Exporter-JavaScript/x.y.z`). The version is our package.json's, read once by package-info.

import { PACKAGE_NAME, PACKAGE_VERSION } from '../../package-info.js';

const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION} OTel-OTLP-Exporter-JavaScript/${PACKAGE_VERSION}`;

export function userAgent(): string {
  return USER_AGENT;
}
