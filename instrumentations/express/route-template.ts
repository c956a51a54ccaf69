// Route templates: what a `use`/`route` path argument contributes to http.route, and how the
// templates of nested routers compose. Pure functions, run at registration time or once per
// matched router/route, never per middleware.

/** The template text of a path argument: strings as written, regexes by their source, arrays joined by ','. */
export function pathTemplate(path: unknown): string {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return path.source;
  if (Array.isArray(path)) {
    let joined = '';
    for (let i = 0; i < path.length; i++) joined += (i === 0 ? '' : ',') + pathTemplate(path[i]);
    return joined;
  }
  return String(path);
}

/** What a mount path adds to the prefix of everything below it: '/' adds nothing, a trailing '/' is dropped. */
export function mountSegment(template: string): string {
  if (template === '/' || template === '') return '';
  return template.endsWith('/') ? template.slice(0, -1) : template;
}

/** What a route path adds to its router's prefix: '/' adds nothing (so '/api' + '/' is '/api'). */
export function routeSegment(template: string): string {
  return template === '/' ? '' : template;
}

/** prefix + segment with exactly one '/' between them; the empty template is '/'. */
export function joinTemplate(prefix: string, segment: string): string {
  if (segment === '') return prefix === '' ? '/' : prefix;
  if (prefix === '') return segment;
  return segment.charCodeAt(0) === 47 /* '/' */ ? prefix + segment : `${prefix}/${segment}`;
}

/**
 * The path argument of Router#use(path?, ...handlers): present when the first argument, or the
 * first leaf of nested arrays, is not a function (the rule express and router apply).
 */
export function usePathArgument(first: unknown): { readonly present: boolean; readonly path: unknown } {
  if (typeof first === 'function') return NO_PATH;
  let leaf = first;
  while (Array.isArray(leaf) && leaf.length !== 0) leaf = leaf[0];
  return typeof leaf === 'function' ? NO_PATH : { present: true, path: first };
}

const NO_PATH = Object.freeze({ present: false, path: '/' });
