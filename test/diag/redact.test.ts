import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isSecretLookingQueryKey,
  maskHeaderValues,
  redactEndpointUrl,
  redactSensitiveQueryValues,
  redactUrlCredentials,
  redactUrlSecrets,
} from '../../src/diag/redact.js';

test('header values are masked and their names shown', () => {
  assert.equal(maskHeaderValues({ authorization: 'Bearer secret', 'x-a': '1' }), 'authorization=****,x-a=****');
});

test('URL credentials become REDACTED:REDACTED@, in URLs and in values that are not URLs', () => {
  assert.equal(redactUrlCredentials('http://user:pass@host:4318/v1/traces'), 'http://REDACTED:REDACTED@host:4318/v1/traces');
  assert.equal(redactUrlCredentials('https://token@host'), 'https://REDACTED:REDACTED@host');
  assert.equal(redactUrlCredentials('user:pass@host:4317'), 'REDACTED:REDACTED@host:4317');
  assert.equal(redactUrlCredentials('http://host/a@b'), 'http://host/a@b');
});

test('the conventions\' sensitive query values are redacted in telemetry, keys and other values kept', () => {
  assert.equal(
    redactSensitiveQueryValues('a=1&sig=abc&X-Amz-Signature=s&X-Goog-Signature=g&b'),
    'a=1&sig=REDACTED&X-Amz-Signature=REDACTED&X-Goog-Signature=REDACTED&b',
  );
  assert.equal(redactSensitiveQueryValues('AWSAccessKeyId=k&Signature=s'), 'AWSAccessKeyId=REDACTED&Signature=REDACTED');
  assert.equal(redactSensitiveQueryValues('X-Amz-Credential=c&X-Amz-Security-Token=t'), 'X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED');
  assert.equal(redactSensitiveQueryValues('X%2DAmz%2DSignature=s'), 'X%2DAmz%2DSignature=REDACTED');
  // Keys match case-sensitively, as the conventions say; the app's own parameters are its data.
  assert.equal(redactSensitiveQueryValues('SIG=1&token=t'), 'SIG=1&token=t');
  assert.equal(redactSensitiveQueryValues(''), '');
});

test('configuration shown in diagnostics loses credentials and secret-looking query values', () => {
  assert.equal(redactUrlSecrets('https://h/p?sig=abc&x=1&api_key=k#f'), 'https://h/p?sig=REDACTED&x=1&api_key=REDACTED#f');
  assert.equal(redactUrlSecrets('http://u:p@localhost:4318/v1/traces?x=1'), 'http://REDACTED:REDACTED@localhost:4318/v1/traces?x=1');
  assert.equal(redactUrlSecrets('http://localhost:4318/v1/traces?x=1'), 'http://localhost:4318/v1/traces?x=1');
  assert.equal(isSecretLookingQueryKey('Access_Token'), true);
  assert.equal(isSecretLookingQueryKey('page'), false);
});

test('endpoint URLs in exporter diagnostics lose userinfo, fragment and every query value', () => {
  assert.equal(redactEndpointUrl('https://user:pass@collector:4318/v1/traces?api_key=s&x=1#f'), 'https://collector:4318/v1/traces?api_key=REDACTED&x=REDACTED');
  assert.equal(redactEndpointUrl('http://collector:4317'), 'http://collector:4317/');
  assert.equal(redactEndpointUrl('not a url'), '<invalid url>');
});
