package org.dpn4j.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The thread pool of the Java kernels (b12's box sums, b13's transforms, ...). One pool for the
 * process, sized by {@code --threads}; work is split into contiguous index ranges.
 */
public final class Parallel {

  private static volatile int threads = Runtime.getRuntime().availableProcessors();
  private static ExecutorService pool;

  private Parallel() {}

  /** Sets the number of threads used by {@link #forEach}. */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + n);
    }
    if (n != threads && pool != null) {
      pool.shutdown();
      pool = null;
    }
    threads = n;
  }

  public static int threads() {
    return threads;
  }

  private static synchronized ExecutorService pool() {
    if (pool == null) {
      pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "dpn-kernel");
                t.setDaemon(true);
                return t;
              });
    }
    return pool;
  }

  /**
   * Runs {@code body.accept(i)} for every i in [0, n), spread over the pool; returns when all are
   * done. Tasks are handed out in order, so neighbouring indices tend to run close in time.
   */
  public static void forEach(int n, IntConsumer body) {
    if (n <= 0) {
      return;
    }
    int t = Math.min(threads, n);
    if (t == 1) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            body.accept(i);
          }
        };
    List<Future<?>> futures = new ArrayList<>(t - 1);
    for (int k = 1; k < t; k++) {
      futures.add(pool().submit(worker));
    }
    worker.run();
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException) {
          throw (RuntimeException) c;
        }
        if (c instanceof Error) {
          throw (Error) c;
        }
        throw new IllegalStateException(c);
      }
    }
  }

  /** A body over the index range [from, to). */
  @FunctionalInterface
  public interface RangeBody {
    /** Runs the body on the indices [from, to). */
    void run(int from, int to);
  }

  /** Runs {@code body} on the ranges [k chunk, (k + 1) chunk) of [0, n), spread over the pool. */
  public static void forRanges(int n, int chunk, RangeBody body) {
    forEach((n + chunk - 1) / chunk, c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
  }
}
