package org.dpn4j.serve;

/**
 * A request the server refuses, with the HTTP status and the message the client gets as JSON
 * ({@code {"status": 400, "error": "..."}}); never a stack trace.
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final long retryAfterSeconds;

  ApiError(int status, String message) {
    this(status, message, 0);
  }

  /** A refusal that tells the client when to retry (429): the Retry-After header, seconds. */
  ApiError(int status, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError tooLarge(String message) {
    return new ApiError(413, message);
  }

  int status() {
    return status;
  }

  /** Seconds for a Retry-After header; 0 when none is due. */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
