// kubernetes-types kinds as KubeObjects (they lack the index signature the client seam wants).
import type { ConfigMap, Node, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../api/object.js';

export type PodObject = Pod & KubeObject;
export type NodeObject = Node & KubeObject;
export type LeaseObject = Lease & KubeObject;
export type ConfigMapObject = ConfigMap & KubeObject;
export type SecretObject = Secret & KubeObject;
