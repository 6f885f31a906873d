// `kubernetes-types` interfaces carry no index signature, so they are not KubeObjects as such:
// the intersections are what clients and listers of this controller are typed with.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';

export type NodeObject = Node & KubeObject;
export type PodObject = Pod & KubeObject;
export type LeaseObject = Lease & KubeObject;
