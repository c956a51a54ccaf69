import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setLogLevel } from '../../src/diag/log.js';
import {
  readBool,
  readBoolOrUndefined,
  readDuration,
  readEnum,
  readEnumChain,
  readEnumList,
  readInt,
  readIntChain,
  readKeyValueList,
  readList,
  readNumber,
  readRaw,
  readString,
  trackAcceptedVars,
} from '../../src/config/env-readers.js';

// Values only; what the warnings say is checked on real stderr in warnings.test.ts.
setLogLevel('none');

const V = 'OTEL_TEST_VAR';
const one = (value: string | undefined): Record<string, string | undefined> => ({ [V]: value });

describe('readRaw and readString', () => {
  it('treat unset, empty and blank values as unset', () => {
    assert.equal(readRaw({}, V), undefined);
    assert.equal(readRaw(one(''), V), undefined);
    assert.equal(readRaw(one('  \t'), V), undefined);
    assert.equal(readString(one('   '), V), undefined);
  });
  it('trim the value', () => {
    assert.equal(readString(one('  svc  '), V), 'svc');
  });
});

describe('readBool', () => {
  it('is false when unset or empty', () => {
    assert.equal(readBool({}, V), false);
    assert.equal(readBool(one(''), V), false);
  });
  it('accepts only true and false, in any case', () => {
    assert.equal(readBool(one('true'), V), true);
    assert.equal(readBool(one('TRUE'), V), true);
    assert.equal(readBool(one(' True '), V), true);
    assert.equal(readBool(one('false'), V), false);
    assert.equal(readBool(one('FaLsE'), V), false);
  });
  it('treats anything else as false', () => {
    for (const value of ['1', 'yes', 'on', 't', 'truee', '0']) assert.equal(readBool(one(value), V), false, value);
  });
  it('tells unset apart from false when asked', () => {
    assert.equal(readBoolOrUndefined({}, V), undefined);
    assert.equal(readBoolOrUndefined(one('false'), V), false);
    assert.equal(readBoolOrUndefined(one('garbage'), V), false);
  });
});

describe('readInt', () => {
  it('uses the default when unset or empty', () => {
    assert.equal(readInt({}, V, 2048), 2048);
    assert.equal(readInt(one(''), V, 2048), 2048);
  });
  it('parses non-negative integers, surrounding spaces allowed', () => {
    assert.equal(readInt(one('42'), V, 1), 42);
    assert.equal(readInt(one(' 42 '), V, 1), 42);
    assert.equal(readInt(one('0'), V, 1), 0);
    assert.equal(readInt(one('007'), V, 1), 7);
    assert.equal(readInt(one('2147483647'), V, 1), 2147483647);
  });
  it('ignores garbage, negatives, fractions, exponents and hex', () => {
    for (const value of ['abc', '-1', '1.5', '1e3', '0x10', '12abc', 'Infinity', 'NaN', '+']) {
      assert.equal(readInt(one(value), V, 512), 512, value);
    }
  });
  it('ignores values beyond the 32-bit signed range', () => {
    assert.equal(readInt(one('2147483648'), V, 512), 512);
    assert.equal(readInt(one('99999999999999999999'), V, 512), 512);
  });
  it('honours a minimum and a maximum', () => {
    assert.equal(readInt(one('0'), V, 2048, { min: 1 }), 2048);
    assert.equal(readInt(one('65535'), V, 9464, { max: 65535 }), 65535);
    assert.equal(readInt(one('65536'), V, 9464, { max: 65535 }), 9464);
  });
  it('keeps Infinity as a default meaning no limit', () => {
    assert.equal(readInt({}, V, Infinity), Infinity);
  });
});

describe('readIntChain', () => {
  it('takes the first variable that is set and valid', () => {
    assert.equal(readIntChain({ A: '5', B: '7' }, ['A', 'B'], 1), 5);
    assert.equal(readIntChain({ B: '7' }, ['A', 'B'], 1), 7);
    assert.equal(readIntChain({ A: 'bad', B: '7' }, ['A', 'B'], 1), 7);
    assert.equal(readIntChain({ A: '', B: '' }, ['A', 'B'], 1), 1);
  });
});

describe('readDuration', () => {
  it('reads milliseconds and allows 0 (no limit for timeouts)', () => {
    assert.equal(readDuration(one('250'), V, 5000), 250);
    assert.equal(readDuration(one('0'), V, 5000), 0);
  });
  it('ignores negative and unparsable durations', () => {
    assert.equal(readDuration(one('-5'), V, 5000), 5000);
    assert.equal(readDuration(one('5s'), V, 5000), 5000);
    assert.equal(readDuration(one('1.5'), V, 5000), 5000);
  });
  it('honours a minimum', () => {
    assert.equal(readDuration(one('0'), V, 60000, 1), 60000);
  });
});

describe('readNumber', () => {
  it('reads decimals within the range', () => {
    assert.equal(readNumber(one('0.25'), V, 1, 0, 1), 0.25);
    assert.equal(readNumber(one('.5'), V, 1, 0, 1), 0.5);
    assert.equal(readNumber(one('1e-1'), V, 1, 0, 1), 0.1);
    assert.equal(readNumber(one('0'), V, 1, 0, 1), 0);
    assert.equal(readNumber(one('1'), V, 0.5, 0, 1), 1);
  });
  it('ignores values out of range or not numbers', () => {
    for (const value of ['1.5', '-0.1', 'NaN', 'Infinity', 'half', '0x1', '']) {
      assert.equal(readNumber(one(value), V, 1, 0, 1), 1, value);
    }
  });
});

describe('readEnum', () => {
  const protocols = ['grpc', 'http/protobuf', 'http/json'] as const;
  it('is case-insensitive and returns the lower-case value', () => {
    assert.equal(readEnum(one('HTTP/Protobuf'), V, protocols, 'grpc'), 'http/protobuf');
  });
  it('uses the default for unknown values', () => {
    assert.equal(readEnum(one('http'), V, protocols, 'grpc'), 'grpc');
    assert.equal(readEnum(one('toString'), V, protocols, 'grpc'), 'grpc');
  });
  it('falls back along a chain past an invalid value', () => {
    assert.equal(readEnumChain({ A: 'nope', B: 'http/json' }, ['A', 'B'], protocols, 'grpc'), 'http/json');
  });
});

describe('readList', () => {
  it('splits on commas, trims, drops empty items and lower-cases', () => {
    assert.deepEqual(readList(one(' Http, express ,,PG '), V), ['http', 'express', 'pg']);
  });
  it('keeps case when asked', () => {
    assert.deepEqual(readList(one('GET,Post'), V, { lowerCase: false }), ['GET', 'Post']);
  });
  it('is undefined when unset or when nothing remains', () => {
    assert.equal(readList({}, V), undefined);
    assert.equal(readList(one(' , ,'), V), undefined);
  });
});

describe('readEnumList', () => {
  const options = {
    allowed: ['tracecontext', 'baggage', 'b3'] as const,
    fallback: ['tracecontext', 'baggage'] as const,
    none: true,
    unsupported: ['xray'],
  };
  it('uses the fallback when unset', () => {
    assert.deepEqual(readEnumList({}, V, options), ['tracecontext', 'baggage']);
  });
  it('de-duplicates and keeps order, case-insensitively', () => {
    assert.deepEqual(readEnumList(one('B3, baggage,b3,TRACECONTEXT'), V, options), ['b3', 'baggage', 'tracecontext']);
  });
  it('turns none alone into an empty list', () => {
    assert.deepEqual(readEnumList(one('none'), V, options), []);
    assert.deepEqual(readEnumList(one('NONE'), V, options), []);
    assert.deepEqual(readEnumList(one('none,none'), V, options), []);
  });
  it('ignores none mixed with other values', () => {
    assert.deepEqual(readEnumList(one('b3,none'), V, options), ['b3']);
  });
  it('skips unknown and unsupported values', () => {
    assert.deepEqual(readEnumList(one('foo,b3,xray'), V, options), ['b3']);
  });
  it('uses the fallback when no usable value remains', () => {
    assert.deepEqual(readEnumList(one('foo,xray'), V, options), ['tracecontext', 'baggage']);
  });
  it('expands aliases such as all', () => {
    const detectors = { allowed: ['env', 'host', 'os'] as const, fallback: ['env'] as const, expand: { all: ['env', 'host', 'os'] as const } };
    assert.deepEqual(readEnumList(one('os,all'), V, detectors), ['os', 'env', 'host']);
  });
  it('does not treat inherited object keys as aliases', () => {
    const detectors = { allowed: ['env'] as const, fallback: ['env'] as const, expand: { all: ['env'] as const } };
    assert.deepEqual(readEnumList(one('constructor'), V, detectors), ['env']);
  });
});

describe('readKeyValueList', () => {
  const skip = { onError: 'skip' } as const;
  it('parses and percent-decodes keys and values', () => {
    assert.deepEqual(readKeyValueList(one('authorization=Bearer%20secret,x-a%3Db=1%2C2'), V, skip), {
      authorization: 'Bearer secret',
      'x-a=b': '1,2',
    });
  });
  it('keeps = after the first one in the value and trims around keys and values', () => {
    assert.deepEqual(readKeyValueList(one(' k = a=b , k2=v2 ,'), V, skip), { k: 'a=b', k2: 'v2' });
  });
  it('does not turn + into a space', () => {
    assert.deepEqual(readKeyValueList(one('k=a+b'), V, skip), { k: 'a+b' });
  });
  it('skips malformed entries when asked to', () => {
    assert.deepEqual(readKeyValueList(one('a=1,novalue,=2,b=%ZZ,%zz=3,c=4'), V, skip), { a: '1', c: '4' });
  });
  it('discards the whole value on any error when asked to', () => {
    assert.equal(readKeyValueList(one('a=1,b=%E0%A4%A'), V, { onError: 'discard' }), undefined);
    assert.equal(readKeyValueList(one('a=1,b'), V, { onError: 'discard' }), undefined);
  });
  it('is undefined when unset', () => {
    assert.equal(readKeyValueList({}, V, skip), undefined);
  });
  it('lower-cases keys and applies a validator when asked to', () => {
    const parsed = readKeyValueList(one('X-Key=1,bad key=2'), V, {
      onError: 'skip',
      lowerCaseKeys: true,
      validate: (key) => (key.includes(' ') ? 'bad' : undefined),
    });
    assert.deepEqual(parsed, { 'x-key': '1' });
  });
  it('stores a __proto__ key as a plain property', () => {
    const parsed = readKeyValueList(one('__proto__=x'), V, skip);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value, 'x');
  });
});

describe('trackAcceptedVars', () => {
  it('records the variables whose values were used, not the invalid ones', () => {
    const env = { A: '5', B: 'bad', C: 'true', D: '' };
    const accepted = trackAcceptedVars(env);
    readInt(env, 'A', 1);
    readInt(env, 'B', 1);
    readBool(env, 'C');
    readString(env, 'D');
    assert.deepEqual([...accepted].sort(), ['A', 'C']);
  });
});
