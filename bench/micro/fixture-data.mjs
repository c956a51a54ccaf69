// The resource, scope and routes the encoder microbenchmarks build their batches from: a typical
// service's resource (10 attributes) and the http instrumentation's scope.

export const resource = {
  attributes: {
    'service.name': 'checkout',
    'service.version': '1.4.2',
    'deployment.environment.name': 'production',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': '1.30.1',
    'host.name': 'ip-10-0-12-34',
    'host.arch': 'amd64',
    'os.type': 'linux',
    'process.pid': 12345,
  },
};
export const resourceAttributes = resource.attributes;
export const scope = { name: '@otel-instrument/http', version: '0.1.0' };
export const ROUTES = ['/api/users/:id', '/api/orders', '/api/orders/:id/items', '/health', '/api/cart'];
