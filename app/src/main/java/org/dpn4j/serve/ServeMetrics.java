package org.dpn4j.serve;

import io.javalin.http.Context;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.IntSupplier;

/**
 * The server's {@code /metrics} in the Prometheus text format (the Prometheus Java client writes
 * it): requests by endpoint and status, their latency, and the pool's queue and busy workers.
 */
final class ServeMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram latency;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  ServeMetrics(WorkerPool pool) {
    requests = Counter.builder()
        .name("dpn_http_requests_total")
        .help("HTTP requests answered, by endpoint and status code")
        .labelNames("endpoint", "status")
        .register(registry);
    latency = Histogram.builder()
        .name("dpn_http_request_duration_seconds")
        .help("Time from request to response, by endpoint")
        .labelNames("endpoint")
        .classicOnly()
        .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64)
        .register(registry);
    gauge("dpn_queue_length", "Requests waiting for a worker", pool::queued);
    gauge("dpn_queue_capacity", "Requests that may wait for a worker; beyond them a request gets 429", pool::capacity);
    gauge("dpn_workers_busy", "Workers computing a request", pool::active);
    gauge("dpn_workers", "Workers (requests computed at the same time)", pool::workers);
  }

  /** A gauge read when scraped. */
  private void gauge(String name, String help, IntSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsInt())).register(registry);
  }

  /** Counts one answered request; {@code millis} is Javalin's time for it. */
  void observe(Context ctx, float millis) {
    String endpoint = endpoint(ctx);
    requests.labelValues(endpoint, Integer.toString(ctx.statusCode())).inc();
    latency.labelValues(endpoint).observe(millis / 1000.0);
  }

  /** The route's path, or "other" (404s, static files): a bounded set of label values. */
  private static String endpoint(Context ctx) {
    String p = ctx.path();
    return switch (p) {
      case "/v1/segment", "/v1/refine", "/v1/models", "/health", "/metrics", "/" -> p;
      default -> "other";
    };
  }

  /** GET /metrics. */
  void write(Context ctx) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    ctx.contentType(writer.getContentType()).result(out.toByteArray());
  }
}
