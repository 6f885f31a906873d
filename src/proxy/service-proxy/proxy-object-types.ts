// The kinds the service proxy reads, as KubeObjects (kubernetes-types interfaces have no index
// signature, so the intersections are what ResourceClient<T>, Lister<T> and Informer<T> accept).
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../api/object.js';

export type ProxyServiceObject = Service & KubeObject;
export type ProxyEndpointSliceObject = EndpointSlice & KubeObject;

/** The label an EndpointSlice names its Service with. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
