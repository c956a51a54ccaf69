// The resource: service.*, telemetry.sdk.*, and what the env/host/os/process detectors find.
// No detector makes a network call (cloud metadata is never probed unless asked for).

import { randomUUID } from 'node:crypto';
import { arch, hostname, release, type as osType } from 'node:os';
import { basename } from 'node:path';
import type { Config } from '../config/types.js';
import { diag } from '../diag/log.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info.js';
import type { Attributes, Resource } from '../core/types.js';
import { findAppPackage } from './app-package.js';

// Semantic conventions name architectures and OS types differently from Node.
const HOST_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: 'x86',
  arm: 'arm32',
  ppc: 'ppc32',
  ppc64: 'ppc64',
  s390x: 's390x',
};
const OS_TYPE: Record<string, string> = {
  Linux: 'linux',
  Darwin: 'darwin',
  Windows_NT: 'windows',
  FreeBSD: 'freebsd',
  OpenBSD: 'openbsd',
  NetBSD: 'netbsd',
  SunOS: 'solaris',
  AIX: 'aix',
};

type Detector = (attributes: Attributes, config: Config) => void;

const DETECTORS: Record<string, Detector> = {
  env(attributes, config) {
    Object.assign(attributes, config.resourceAttributes);
  },
  host(attributes) {
    attributes['host.name'] = hostname();
    attributes['host.arch'] = HOST_ARCH[arch()] ?? arch();
  },
  os(attributes) {
    attributes['os.type'] = OS_TYPE[osType()] ?? osType().toLowerCase();
    attributes['os.version'] = release();
  },
  process(attributes) {
    attributes['process.pid'] = process.pid;
    attributes['process.executable.name'] = basename(process.execPath);
    attributes['process.executable.path'] = process.execPath;
    if (process.argv[1] !== undefined) attributes['process.command'] = process.argv[1];
    attributes['process.runtime.name'] = 'nodejs';
    attributes['process.runtime.version'] = process.versions.node;
    attributes['process.runtime.description'] = 'Node.js';
  },
  package(attributes) {
    // A name of the app's own: better than unknown_service when nothing configured one.
    const app = findAppPackage();
    if (app === undefined) return;
    attributes['service.name'] ??= app.name;
    if (app.version !== undefined) attributes['service.version'] ??= app.version;
  },
  container(attributes) {
    // The cgroup v1 path carries the container id; v2 has it in mountinfo. Both are local files.
    const id = readContainerId();
    if (id !== undefined) attributes['container.id'] = id;
  },
};

function readContainerId(): string | undefined {
  const fs = require('node:fs') as typeof import('node:fs');
  const ID = /[0-9a-f]{64}/;
  for (const file of ['/proc/self/cgroup', '/proc/self/mountinfo']) {
    try {
      const match = ID.exec(fs.readFileSync(file, 'utf8'));
      if (match !== null) return match[0];
    } catch {
      // Not on Linux, or not readable: no container id.
    }
  }
  return undefined;
}

export function detectResource(config: Config): Resource {
  const attributes: Attributes = {};
  for (const name of config.resourceDetectors) {
    const detector = DETECTORS[name];
    if (detector === undefined) continue;
    try {
      detector(attributes, config);
    } catch (error) {
      diag.debug(`resource detector ${name} failed: ${String(error)}`);
    }
  }
  // service.name: OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then the app's package.json (the
  // package detector), then the spec fallback.
  const detectedName = attributes['service.name'];
  const serviceName =
    config.serviceName ??
    config.resourceAttributes['service.name'] ??
    (typeof detectedName === 'string' ? detectedName : undefined) ??
    `unknown_service:${basename(process.execPath)}`;
  attributes['service.name'] = serviceName;
  // service.instance.id (stable; semantic-conventions docs/resource/service.md): the SDK makes a random
  // UUID v4 when none is given, here, once per process (detectResource runs once), and never hands it
  // on through the environment, so the launcher, the app and each child process are instances of their
  // own. Always set, so the 'serviceinstance' detector name is accepted but adds nothing.
  attributes['service.instance.id'] = config.resourceAttributes['service.instance.id'] ?? randomUUID();
  attributes['telemetry.sdk.name'] = PACKAGE_NAME;
  attributes['telemetry.sdk.language'] = 'nodejs';
  attributes['telemetry.sdk.version'] = PACKAGE_VERSION;
  return Object.freeze({ attributes: Object.freeze(attributes) });
}
