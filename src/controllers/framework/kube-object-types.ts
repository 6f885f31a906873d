// kubernetes-types interfaces have no index signature, so they are not KubeObjects by themselves;
// these intersections are what controllers put in ResourceClient<T>, Lister<T> and Informer<T>.
import type { ReplicaSet, Deployment } from 'kubernetes-types/apps/v1.js';
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';

export type PodObject = Pod & KubeObject;
export type ReplicaSetObject = ReplicaSet & KubeObject;
export type DeploymentObject = Deployment & KubeObject;
export type NamespaceObject = Namespace & KubeObject;
export type NodeObject = Node & KubeObject;
