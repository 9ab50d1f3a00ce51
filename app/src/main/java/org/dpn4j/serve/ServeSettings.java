package org.dpn4j.serve;

import java.nio.file.Path;
import java.util.List;

/**
 * How a {@link DpnServer} runs: what it serves, where it listens and how much work it accepts.
 * Images above the command line's pixel limit ({@code Images.maxPixels()}) get 413.
 *
 * @param models the model directories or zips, each served under its folder name ({@code models/camvid}: "camvid");
 *     the first is the default
 * @param host the address to bind (127.0.0.1: this machine only)
 * @param port the port (0: any free one)
 * @param workers requests computed at the same time; each worker has its own copy of every model
 * @param queue requests waiting for a worker beyond which a request gets 429
 * @param threadsPerWorker engine and Java kernel threads per worker
 * @param maxRequestBytes the largest request body; larger ones get 413
 */
public record ServeSettings(
    List<Path> models, String host, int port, int workers, int queue, int threadsPerWorker,
    long maxRequestBytes) {

  /** The default address: this machine only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /** The default queue length. */
  public static final int DEFAULT_QUEUE = 16;

  /** The default request limit, 128 MiB: a 50-megapixel PNG or 21 x 1024 x 2048 float32 probabilities fit. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 128L << 20;

  /** Checks every value, naming the option in the message. */
  public ServeSettings {
    models = List.copyOf(models);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no model to serve");
    }
    requireAtLeast("--port", port, 0);
    if (port > 65535) {
      throw new IllegalArgumentException("--port must be at most 65535, got " + port);
    }
    requireAtLeast("--workers", workers, 1);
    requireAtLeast("--queue", queue, 0);
    requireAtLeast("threads per worker", threadsPerWorker, 1);
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("the request limit must be positive");
    }
  }

  /** One worker per two cores, at least one (the engine's threads are then split among the workers). */
  public static int defaultWorkers(int cores) {
    return Math.max(1, cores / 2);
  }

  /** The cores split among {@code workers}, at least one thread each. */
  public static int threadsPerWorker(int cores, int workers) {
    requireAtLeast("--workers", workers, 1);
    return Math.max(1, cores / workers);
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }
}
