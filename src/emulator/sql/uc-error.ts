/** A failure of a Unity Catalog REST operation: HTTP status, error_code, message. */
export class UcError extends Error {
  override readonly name = 'UcError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}
