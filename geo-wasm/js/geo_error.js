// The package's one error class, shared by its two wasm modules (both glue files import it), so
// `instanceof GeoError` holds for every failure of either.
export class GeoError extends Error {
  constructor(code, message, retryable, status, problem) {
    super(message);
    this.name = 'GeoError';
    this.code = code;
    this.retryable = retryable;
    this.status = status === undefined ? null : status;
    this.problem = problem === undefined ? null : problem;
  }
}

export function makeError(code, message, retryable, status, problem) {
  let doc = null;
  if (problem) { try { doc = JSON.parse(problem); } catch (_) { doc = null; } }
  return new GeoError(code, message, retryable, status, doc);
}
