package org.dpn4j.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.PrintStream;
import javax.imageio.ImageIO;
import org.dpn4j.util.Parallel;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The {@code dpn serve} HTTP server: the API of docs/SERVE.md and the web page at {@code /}, on
 * Javalin (Jetty 12). Requests are parsed and checked on Jetty's threads, then computed on a
 * bounded {@link WorkerPool}; every refusal is JSON ({@code {"status": ..., "error": ...}}), never
 * a stack trace. {@link #stop} is graceful: no new connections, in-flight requests finish.
 */
public final class DpnServer implements AutoCloseable {

  /** How long {@link #stop} waits for in-flight requests. */
  static final long STOP_TIMEOUT_MILLIS = 120_000;

  private final ServeSettings settings;
  private final ServedModels models;
  private final WorkerPool pool;
  private final ServeMetrics metrics;
  private final Api api;
  private final Javalin app;
  private final PrintStream log;
  private boolean stopped;

  private DpnServer(ServeSettings settings, ServedModels models, PrintStream log) {
    this.settings = settings;
    this.models = models;
    this.log = log;
    this.pool = new WorkerPool(settings.workers(), settings.queue());
    this.metrics = new ServeMetrics(pool);
    this.api = new Api(settings, models, pool);
    this.app = Javalin.create(this::configure);
  }

  /**
   * Loads the models (one copy per worker), sets the engine's and the Java kernels' threads per
   * worker, and starts listening; {@code log} gets the startup line and unexpected errors.
   */
  public static DpnServer start(ServeSettings settings, PrintStream log) throws IOException {
    // Before the engine starts: each worker's share of the cores (a running engine keeps its own).
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.threadsPerWorker()));
    Parallel.setThreads(settings.threadsPerWorker());
    // Uploads are decoded from memory: no ImageIO cache files in /tmp.
    ImageIO.setUseCache(false);
    ServedModels models = ServedModels.load(settings.models(), settings.workers());
    DpnServer server = new DpnServer(settings, models, log);
    try {
      server.app.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      server.close();
      throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + rootMessage(e), e);
    }
    return server;
  }

  private void configure(io.javalin.config.JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = settings.maxRequestBytes();
    config.jetty.multipartConfig.maxTotalRequestSize(settings.maxRequestBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxFileSize(settings.maxRequestBytes(), SizeUnit.BYTES);
    config.jetty.multipartConfig.maxInMemoryFileSize(
        (int) Math.min(Integer.MAX_VALUE, settings.maxRequestBytes()), SizeUnit.BYTES);
    config.jetty.modifyServer(server -> {
      // Stop: refuse new connections, let the requests in flight finish (up to the timeout).
      server.insertHandler(new GracefulHandler());
      server.setStopTimeout(STOP_TIMEOUT_MILLIS);
    });
    config.staticFiles.add(files -> {
      files.hostedPath = "/";
      files.directory = "/org/dpn4j/serve/web";
      files.location = Location.CLASSPATH;
    });
    config.routes.before(api::checkLength);
    config.routes.post("/v1/segment", api::segment);
    config.routes.post("/v1/refine", api::refine);
    config.routes.get("/v1/models", api::models);
    config.routes.get("/health", api::health);
    config.routes.get("/metrics", metrics::write);
    config.routes.exception(ApiError.class, (e, ctx) -> Api.error(ctx, e.status(), e.getMessage(), e.retryAfterSeconds()));
    config.routes.exception(HttpResponseException.class, (e, ctx) -> Api.error(ctx, e.getStatus(), describe(e, ctx), 0));
    config.routes.exception(Exception.class, this::unexpected);
    config.routes.error(404, ctx -> {
      if (!Api.isJson(ctx)) {
        Api.error(ctx, 404, "no such path: " + ctx.path(), 0);
      }
    });
    config.requestLogger.http((ctx, ms) -> metrics.observe(ctx, ms));
  }

  /** Javalin's own refusals (404, 405, 413 of the body reader) in the API's words. */
  private static String describe(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> "no such path: " + ctx.path();
      case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
      case 413 -> "the request is larger than this server's limit";
      default -> e.getMessage();
    };
  }

  /** A bug or an engine failure: the client gets a 500 without details, the log gets the trace. */
  private void unexpected(Exception e, Context ctx) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ApiError a) {
      Api.error(ctx, a.status(), a.getMessage(), a.retryAfterSeconds());
      return;
    }
    synchronized (log) {
      log.println("dpn serve: " + ctx.method() + " " + ctx.path() + " failed:");
      cause.printStackTrace(log);
    }
    Api.error(ctx, 500, "internal error while computing the request (the server's log has the details)", 0);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The pixel limit of uploaded images (width x height): the command line's, {@link org.dpn4j.io.Images#maxPixels()}. */
  public static long maxPixels() {
    return org.dpn4j.io.Images.maxPixels();
  }

  /** The port listened on (the chosen one when the settings said 0). */
  public int port() {
    return app.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + host + ":" + port();
  }

  /** A line that says what is served where, for the log. */
  public String describe() {
    return "dpn serve: " + url() + "  models: " + String.join(", ", models.all().stream().map(ServedModels.Served::name).toList())
        + "  workers: " + settings.workers() + " x " + settings.threadsPerWorker() + " threads  queue: " + settings.queue();
  }

  /** Stops gracefully: new connections refused, in-flight requests finished, then the models closed. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      app.stop();
      pool.drain(STOP_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.close();
      models.close();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
