// The kinds cluster DNS reads, as KubeObjects (what Lister<T> and Informer<T> accept).
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../api/object.js';

export type DnsServiceObject = Service & KubeObject;
export type DnsEndpointSliceObject = EndpointSlice & KubeObject;
