// socket.io has no conventions of its own: its events are described with the messaging conventions
// (semantic-conventions v1.44, docs/messaging/messaging-spans.md, Development, so this is the version
// we follow), as @opentelemetry/instrumentation-socket.io does, with the current names where that one
// still uses the deprecated ones (messaging.destination, messaging.operation). messaging.system
// 'socket.io' is a custom value (none of the well-known ones applies); system-specific attributes
// live in the messaging.socket.io namespace, as the conventions require ("Messaging system-specific
// attributes MUST be defined in the corresponding messaging.{system} namespace"), with the names the
// official instrumentation gave them.
//
// - An emit is a send (PRODUCER), messaging.operation.name 'emit'; a received event is a process
//   (CONSUMER), operation name 'process': socket.io pushes events to listeners (no pull).
// - The destination is the namespace ('/', '/chat'): low cardinality, the entity events go through.
//   Rooms are not: a socket's own id is a room. They stay off the name, in messaging.socket.io.rooms.

export const SOCKET_IO_SYSTEM = 'socket.io';
export const OPERATION_EMIT = 'emit';
export const OPERATION_PROCESS = 'process';

export const ATTR_SOCKET_IO_EVENT_NAME = 'messaging.socket.io.event_name';
export const ATTR_SOCKET_IO_ROOMS = 'messaging.socket.io.rooms';
