// @watchparty/client: the typed REST client and the realtime helper (docs/client.md).
export * from "./api-client.js";
export * from "./realtime.js";
export { CHANNELS, type ChannelFrames } from "./channels.js";
export type { components, operations, paths } from "./types.js";
export type { components as frames } from "./frames.js";
