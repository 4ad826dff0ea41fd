/**
 * Shapes shared by several services. Response types are written once as interfaces with optional
 * fields (the API omits empty ones) and tolerant enums (`(string & {})` accepts values added later).
 */

/** A string enum that also accepts values the client does not know yet. */
export type OpenEnum<T extends string> = T | (string & {});

export type Empty = Record<string, never>;

export interface ListRequest {
  /** Total cap across pages. */
  limit?: number;
}
