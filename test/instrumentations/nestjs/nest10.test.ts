// NestJS 10 (CommonJS, express 4, fastify 4), installed beside the project by older-nest.ts, in this
// process on both platforms: the checks of users-app-suite.ts.

import { describe } from 'node:test';
import { instrumentInProcess } from '../../support/in-process-instrumentation.js';
import { olderNest } from './older-nest.js';
import { describeUsersApp } from './users-app-suite.js';

const recorded = instrumentInProcess(['http', 'express', 'fastify', 'nestjs']);
const nest = olderNest(10);

if (typeof nest === 'string') {
  describe('NestJS 10', { skip: nest }, () => undefined);
} else {
  nest.load('reflect-metadata');
  for (const platform of ['express', 'fastify'] as const) describeUsersApp(recorded, () => nest.load, platform, () => nest.version);
}
