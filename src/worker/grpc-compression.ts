/**
 * gRPC compression on the worker's connection. The SDK gzips every request to the server and asks
 * for gzipped responses (the server then compresses each poll response, history included). Over a
 * network that saves bandwidth; to a server on the same host it only burns CPU on both sides: in two
 * same-run A/Bs with a local dev server (the throughput benchmark's setup), turning it off took 1.7
 * and 3.1 ms of worker CPU off each pipeline (pipelines/s +3 % in one, unchanged within the host's
 * noise in the other).
 */
export type GrpcCompressionSetting = 'auto' | 'gzip' | 'none';
export type GrpcCompressionCodec = 'gzip' | 'none';

/** `auto`: none for a loopback address (localhost, 127.0.0.0/8, ::1), the SDK's gzip otherwise. */
export function resolveGrpcCompression(setting: GrpcCompressionSetting, address: string): GrpcCompressionCodec {
  if (setting !== 'auto') return setting;
  return isLoopbackAddress(address) ? 'none' : 'gzip';
}

/** Whether `host:port` (or `[v6]:port`, or a bare host) names this machine's loopback interface. */
export function isLoopbackAddress(address: string): boolean {
  const host = hostOf(address.trim()).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostOf(address: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(address);
  if (bracketed) return bracketed[1]!;
  const colons = address.split(':').length - 1;
  // A bare IPv6 address has several colons and no port.
  if (colons > 1) return address;
  return colons === 1 ? address.slice(0, address.lastIndexOf(':')) : address;
}
