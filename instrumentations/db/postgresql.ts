// What the PostgreSQL drivers (pg, postgres.js) share: the server's default port, and the SQLSTATE of
// an error as db.response.status_code (semantic-conventions docs/db/postgresql.md).

export const POSTGRESQL_DEFAULT_PORT = 5432;

// SQLSTATE: a two-character class (digits, or PostgreSQL's F0, HV, P0 and XX) and three characters of
// subclass (PostgreSQL docs, appendix A). A Node error code of five letters (EPIPE, EPERM) is not one.
const SQLSTATE = /^(?:[0-9]{2}|F0|HV|P0|XX)[0-9A-Z]{3}$/;

/** The error's SQLSTATE (`42P01`, `57014`), or undefined when it carries none (a socket error, our own). */
export function sqlStateOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}
