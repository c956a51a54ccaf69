// NestJS 12 (the version installed at the root, ES modules only, loaded here with require(esm)) in
// this process, on its express and fastify platforms, patched through the module hooks as the
// bootstrap does: the checks of users-app-suite.ts.

import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { describeUsersApp } from './users-app-suite.js';

const recorded = instrumentInProcess(['http', 'express', 'fastify', 'nestjs']);
require('reflect-metadata');
const version = (require('@nestjs/core/package.json') as { version: string }).version;

for (const platform of ['express', 'fastify'] as const) describeUsersApp(recorded, () => require, platform, () => version);
