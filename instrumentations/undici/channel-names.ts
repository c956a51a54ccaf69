// undici's diagnostics channels we listen on (payloads: see channels.ts).

export const CHANNEL_CREATE = 'undici:request:create';
export const CHANNEL_SEND_HEADERS = 'undici:client:sendHeaders';
export const CHANNEL_HEADERS = 'undici:request:headers';
export const CHANNEL_TRAILERS = 'undici:request:trailers';
export const CHANNEL_ERROR = 'undici:request:error';

export const UNDICI_CHANNELS: readonly string[] = [CHANNEL_CREATE, CHANNEL_SEND_HEADERS, CHANNEL_HEADERS, CHANNEL_TRAILERS, CHANNEL_ERROR];
