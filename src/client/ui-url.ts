/**
 * The Temporal UI page of a workflow: $TEMPORAL_UI_URL when set, else the dev server's UI (port
 * 8233) for a local address; undefined when it cannot be known (a remote cluster without the env).
 */
export function temporalUiUrl(address: string, namespace: string, workflowId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let base = env.TEMPORAL_UI_URL?.replace(/\/+$/, '');
  if (!base) {
    const m = /^(localhost|127\.0\.0\.1)(?::(\d+))?$/.exec(address);
    if (!m || (m[2] !== undefined && m[2] !== '7233')) return undefined;
    base = `http://${m[1]}:8233`;
  }
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
