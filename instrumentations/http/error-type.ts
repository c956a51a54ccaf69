// error.type of an HTTP request (stable HTTP conventions): the exception's type when one was
// raised (src/core/error-type.ts), else the status code as a string when the status is an error
// for that side (server: 5xx; client: 4xx and 5xx), else 'aborted' when the connection closed
// before the response was complete. Shared by the http server and client and by undici.


/** A server answer is an error from 500 on (a 4xx is the client's fault, not the server's). */
export function serverStatusErrorType(status: number): string | undefined {
  return status >= 500 ? String(status) : undefined;
}

/** A client sees every 4xx and 5xx answer as an error. */
export function clientStatusErrorType(status: number): string | undefined {
  return status >= 400 ? String(status) : undefined;
}
