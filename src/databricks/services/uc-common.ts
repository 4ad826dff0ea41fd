/** What the Unity Catalog services share: the base path and path segments (lists page by `byPageToken`). */

export const BASE = '/api/2.1/unity-catalog';
export const seg = (s: string): string => encodeURIComponent(s);
