package org.dpn4j.serve;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.dpn4j.bench.Stopwatch;

/**
 * A bounded load test of a running server on loopback: {@code requests} POST /v1/segment from
 * {@code clients} concurrent clients, cycling through the given images, each 200 compared byte for
 * byte with the expected label PNG; it stops by itself when every request is answered. A 429 is
 * legitimate only when the server was full: the clients then had more requests outstanding than
 * its workers and queue hold.
 */
public final class LoadTest {

  /** The outcome: counts, latencies of the 200s, throughput, peak memory of this process. */
  public record Result(
      int requests, int ok, int tooMany, int serverErrors, int otherStatus, int wrongBodies, int earlyRejections,
      int missingRetryAfter, double p50Ms, double p95Ms, double maxMs, double wallSeconds, double peakRssMiB,
      double peakHeapMiB) {

    /** 200 responses per second of wall time. */
    public double throughput() {
      return ok / wallSeconds;
    }

    /** Every acceptance condition: no 5xx or other status, every 200 correct, 429s only beyond the queue, with Retry-After. */
    public boolean passed() {
      return serverErrors == 0 && otherStatus == 0 && wrongBodies == 0 && earlyRejections == 0 && missingRetryAfter == 0
          && ok + tooMany == requests;
    }

    /** A one-paragraph report. */
    public String describe() {
      return String.format(Locale.ROOT,
          "requests %d: 200 x %d, 429 x %d, 5xx x %d, other x %d; wrong 200 bodies %d; 429 below capacity %d;"
              + " 429 without Retry-After %d%nlatency of the 200s: p50 %.0f ms, p95 %.0f ms, max %.0f ms;"
              + " throughput %.2f images/s over %.1f s%npeak memory of this process: RSS %.0f MiB, heap %.0f MiB%n%s",
          requests, ok, tooMany, serverErrors, otherStatus, wrongBodies, earlyRejections, missingRetryAfter,
          p50Ms, p95Ms, maxMs, throughput(), wallSeconds, peakRssMiB, peakHeapMiB,
          passed() ? "PASSED" : "FAILED");
    }
  }

  private LoadTest() {}

  /**
   * Runs the test against {@code base} (e.g. {@code http://127.0.0.1:8080}); {@code capacity} is
   * the server's workers plus queue; request {@code i} sends {@code images.get(i % n)} and expects
   * {@code expected.get(i % n)}.
   */
  public static Result run(String base, String query, List<byte[]> images, List<byte[]> expected, int requests,
      int clients, int capacity) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI uri = URI.create(base + "/v1/segment" + (query.isEmpty() ? "" : "?" + query));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger outstanding = new AtomicInteger();
    int[] counts = new int[7];
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
          int k = i % images.size();
          HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
              .header("Content-Type", "application/octet-stream")
              .POST(HttpRequest.BodyPublishers.ofByteArray(images.get(k))).build();
          outstanding.incrementAndGet();
          long s = System.nanoTime();
          int slot;
          try {
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            slot = classify(res, expected.get(k), outstanding.get(), capacity);
            if (res.statusCode() == 200) {
              latencies.add((System.nanoTime() - s) / 1e6);
            }
          } catch (IOException e) {
            slot = 4;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } finally {
            outstanding.decrementAndGet();
          }
          synchronized (counts) {
            counts[slot]++;
            if (slot == 5 || slot == 6) {
              counts[1]++;
            }
          }
        }
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(60, TimeUnit.MINUTES)) {
      pool.shutdownNow();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int wrong = counts[3];
    return new Result(requests, counts[0] + wrong, counts[1], counts[2], counts[4], wrong, counts[5], counts[6],
        percentile(l, 0.50), percentile(l, 0.95), l.length == 0 ? 0 : l[l.length - 1], wall, Stopwatch.peakRssMiB(), peakHeapMiB());
  }

  /** The first {@code n} images (PNG, JPEG, BMP) of {@code dir} by name. */
  public static List<Path> frames(Path dir, int n) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": no such folder of frames (the CamVid val frames are in ../shared/data/camvid/val)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = s.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png|bmp)$")).sorted().limit(n).toList();
      if (all.isEmpty()) {
        throw new IOException(dir + ": no images (PNG, JPEG, BMP)");
      }
      return all;
    }
  }

  /** 0: correct 200; 1: 429; 2: 5xx; 3: wrong 200 body; 4: other status; 5: 429 below capacity; 6: 429 without Retry-After. */
  private static int classify(HttpResponse<byte[]> res, byte[] expected, int outstanding, int capacity) {
    int s = res.statusCode();
    if (s == 200) {
      return Arrays.equals(res.body(), expected) ? 0 : 3;
    }
    if (s == 429) {
      if (outstanding <= capacity) {
        return 5;
      }
      return res.headers().firstValue("Retry-After").isPresent() ? 1 : 6;
    }
    return s >= 500 ? 2 : 4;
  }

  private static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** The sum of the heap pools' peak usage, MiB. */
  static double peakHeapMiB() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum / 1048576.0;
  }
}
