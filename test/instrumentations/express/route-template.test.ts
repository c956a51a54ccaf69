import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  joinTemplate,
  mountSegment,
  pathTemplate,
  routeSegment,
  usePathArgument,
} from '../../../instrumentations/express/route-template.js';

test('string paths are kept as written, regex paths become their source, arrays are joined by commas', () => {
  assert.equal(pathTemplate('/users/:id'), '/users/:id');
  assert.equal(pathTemplate(/^\/items\/(\d+)$/), '^\\/items\\/(\\d+)$');
  assert.equal(pathTemplate(['/a', '/b/:id', /\/c/]), '/a,/b/:id,\\/c');
  assert.equal(pathTemplate([]), '');
});

test('a mount at the root adds nothing and a trailing slash on a mount path is dropped', () => {
  assert.equal(mountSegment('/'), '');
  assert.equal(mountSegment(''), '');
  assert.equal(mountSegment('/api/'), '/api');
  assert.equal(mountSegment('/api'), '/api');
});

test('nested mount and route templates compose with exactly one slash between them', () => {
  let prefix = joinTemplate('', mountSegment('/api'));
  assert.equal(prefix, '/api');
  prefix = joinTemplate(prefix, mountSegment('/v1/'));
  assert.equal(prefix, '/api/v1');
  assert.equal(joinTemplate(prefix, routeSegment('/users/:id')), '/api/v1/users/:id');
  assert.equal(joinTemplate('/api', 'items'), '/api/items');
});

test('the root route is "/" and a root route under a mount is the mount path', () => {
  assert.equal(joinTemplate('', routeSegment('/')), '/');
  assert.equal(joinTemplate('/api', routeSegment('/')), '/api');
  assert.equal(joinTemplate('', ''), '/');
});

test('Router#use takes a path only when the first argument or its first array leaf is not a function', () => {
  const fn = (): void => undefined;
  assert.equal(usePathArgument(fn).present, false);
  assert.equal(usePathArgument([[fn], fn]).present, false);
  assert.deepEqual(usePathArgument('/api'), { present: true, path: '/api' });
  const paths = ['/a', '/b'];
  assert.deepEqual(usePathArgument(paths), { present: true, path: paths });
  const regex = /x/;
  assert.deepEqual(usePathArgument(regex), { present: true, path: regex });
});
