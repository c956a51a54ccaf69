// The bench's one Next.js route, the other rows' twin: GET /api/users/[id] logs one line and makes one
// outgoing GET to the bench's downstream server (get-json.js, node:http), a JSON response.
import getJson from '../../../../../get-json.js';

export const dynamic = 'force-dynamic';

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;
let nextId = 0;

export async function GET(request, { params }) {
  const { id } = await params;
  const requestId = request.headers.get('x-request-id') || String(++nextId);
  console.log('user %s requested (request %s)', id, requestId);
  return Response.json({ id, requestId, profile: await getJson(downstream) });
}
