// The Gateway API kinds (gateway.networking.k8s.io/v1) as k8ts serves them. Component boundary:
// import from here, not from the files under v1/.
export type * from './v1/shared-types.js';
export type * from './v1/gateway-class.js';
export type * from './v1/gateway.js';
export type * from './v1/http-route.js';
export type * from './v1/reference-grant.js';
export * from './well-known.js';
