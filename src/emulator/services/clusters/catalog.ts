/**
 * What list-node-types and spark-versions answer: a small but real-looking catalog spanning the
 * three clouds (tests and demos use AWS, Azure or GCP names), used to validate create/edit.
 */

export interface NodeType {
  node_type_id: string;
  memory_mb: number;
  num_cores: number;
  num_gpus: number;
  category: string;
  description: string;
  instance_type_id: string;
  is_deprecated: boolean;
  is_hidden: boolean;
  support_port_forwarding: boolean;
  photon_driver_capable: boolean;
  photon_worker_capable: boolean;
  is_io_cache_enabled: boolean;
  node_info: { status: string[] };
  /** What the SDK's selectNodeType({localDisk}) reads. */
  node_instance_type: { instance_type_id: string; local_disks: number; local_disk_size_gb: number; local_nvme_disks: number; local_nvme_disk_size_gb: number };
}

function nodeType(id: string, cores: number, memoryGb: number, category: string, gpus = 0): NodeType {
  // d-suffixed AWS/Azure sizes and the storage-optimised families carry local SSDs.
  const localDisk = /^(i3|m5d|r5d|c5d|g4dn)\./.test(id) || /^Standard_(L|D\d+ds|E\d+ds|DS)/.test(id);
  return {
    node_type_id: id,
    instance_type_id: id,
    memory_mb: memoryGb * 1024,
    num_cores: cores,
    num_gpus: gpus,
    category,
    description: id,
    is_deprecated: false,
    is_hidden: false,
    support_port_forwarding: true,
    photon_driver_capable: gpus === 0,
    photon_worker_capable: gpus === 0,
    is_io_cache_enabled: localDisk,
    node_info: { status: [] },
    node_instance_type: localDisk
      ? { instance_type_id: id, local_disks: 1, local_disk_size_gb: cores * 75, local_nvme_disks: 0, local_nvme_disk_size_gb: 0 }
      : { instance_type_id: id, local_disks: 0, local_disk_size_gb: 0, local_nvme_disks: 0, local_nvme_disk_size_gb: 0 },
  };
}

export const NODE_TYPES: readonly NodeType[] = [
  nodeType('m5d.large', 2, 8, 'General Purpose'),
  nodeType('m5d.xlarge', 4, 16, 'General Purpose'),
  nodeType('m5d.2xlarge', 8, 32, 'General Purpose'),
  nodeType('i3.xlarge', 4, 30.5 as number, 'Storage Optimized'),
  nodeType('i3.2xlarge', 8, 61, 'Storage Optimized'),
  nodeType('r5d.xlarge', 4, 32, 'Memory Optimized'),
  nodeType('c5d.2xlarge', 8, 16, 'Compute Optimized'),
  nodeType('g4dn.xlarge', 4, 16, 'GPU Accelerated', 1),
  nodeType('Standard_DS3_v2', 4, 14, 'General Purpose'),
  nodeType('Standard_DS4_v2', 8, 28, 'General Purpose'),
  nodeType('Standard_D4ds_v5', 4, 16, 'General Purpose'),
  nodeType('Standard_E8ds_v4', 8, 64, 'Memory Optimized'),
  nodeType('Standard_L8s_v3', 8, 64, 'Storage Optimized'),
  nodeType('Standard_NC4as_T4_v3', 4, 28, 'GPU Accelerated', 1),
  nodeType('n2-standard-4', 4, 16, 'General Purpose'),
  nodeType('n2-highmem-4', 4, 32, 'Memory Optimized'),
].map((n) => ({ ...n, memory_mb: Math.round(n.memory_mb) }));

export const SPARK_VERSIONS: readonly { key: string; name: string }[] = [
  { key: '16.4.x-scala2.12', name: '16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)' },
  { key: '16.4.x-scala2.13', name: '16.4 LTS (includes Apache Spark 3.5.2, Scala 2.13)' },
  { key: '15.4.x-scala2.12', name: '15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '15.4.x-photon-scala2.12', name: '15.4 LTS Photon (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '15.4.x-cpu-ml-scala2.12', name: '15.4 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '14.3.x-scala2.12', name: '14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '13.3.x-scala2.12', name: '13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)' },
  { key: '13.3.x-photon-scala2.12', name: '13.3 LTS Photon (includes Apache Spark 3.4.1, Scala 2.12)' },
  { key: '12.2.x-scala2.12', name: '12.2 LTS (includes Apache Spark 3.3.2, Scala 2.12)' },
  { key: '11.3.x-scala2.12', name: '11.3 LTS (includes Apache Spark 3.3.0, Scala 2.12)' },
];

export function findNodeType(id: string): NodeType | undefined {
  return NODE_TYPES.find((n) => n.node_type_id === id);
}

/** Known keys, plus the `custom:` and `client.` forms Databricks accepts for images and serverless. */
export function isKnownSparkVersion(key: string): boolean {
  return SPARK_VERSIONS.some((v) => v.key === key) || key.startsWith('custom:') || /^client\.\d/.test(key);
}
