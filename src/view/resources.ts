// Resources and scopes are shared by every record of a batch, and by most batches: one object each,
// interned by content, so 10,000 spans of one service hold one resource.

import { attributesOf, type Attributes, type ResourceInfo, type ScopeInfo } from './records.js';

export class Interned {
  readonly #resources = new Map<string, ResourceInfo>();
  readonly #scopes = new Map<string, ScopeInfo>();

  resource(resource: any): ResourceInfo {
    return this.resourceOf(attributesOf(resource?.attributes));
  }

  resourceOf(attributes: Attributes): ResourceInfo {
    const key = JSON.stringify(attributes);
    let found = this.#resources.get(key);
    if (found === undefined) {
      const name = attributes['service.name'];
      found = { id: this.#resources.size + 1, service: typeof name === 'string' && name !== '' ? name : 'unknown_service', attributes };
      this.#resources.set(key, found);
    }
    return found;
  }

  scope(scope: any): ScopeInfo {
    const name = typeof scope?.name === 'string' ? scope.name : '';
    const version = typeof scope?.version === 'string' && scope.version !== '' ? scope.version : undefined;
    const key = `${name}\0${version ?? ''}`;
    let found = this.#scopes.get(key);
    if (found === undefined) {
      found = version === undefined ? { name } : { name, version };
      this.#scopes.set(key, found);
    }
    return found;
  }
}
