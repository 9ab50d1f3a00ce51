package org.dpn4j.serve;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded pool that computes requests: a fixed number of workers and a queue of fixed length.
 * A job that finds the queue full is refused at once ({@link ApiError} 429 with a Retry-After
 * estimate) instead of waiting without bound, so memory and latency stay bounded under load.
 */
final class WorkerPool implements AutoCloseable {

  private final ThreadPoolExecutor executor;
  private final int workers;
  private final int queue;
  /** Mean job time, exponentially weighted (nanoseconds), for Retry-After. */
  private final AtomicLong meanNanos = new AtomicLong(1_000_000_000L);

  WorkerPool(int workers, int queue) {
    this.workers = workers;
    this.queue = queue;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(
        workers, workers, 0, TimeUnit.MILLISECONDS,
        // A queue of length 0 is a hand-over: a job runs only when a worker is free.
        queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, "dpn-serve-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.AbortPolicy());
    executor.prestartAllCoreThreads();
  }

  /** Runs {@code job} on a worker; refused with 429 when every worker is busy and the queue is full. */
  <T> CompletableFuture<T> submit(Callable<T> job) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        long t0 = System.nanoTime();
        try {
          result.complete(job.call());
        } catch (Throwable e) {
          result.completeExceptionally(e);
        } finally {
          long took = System.nanoTime() - t0;
          meanNanos.updateAndGet(m -> (m * 7 + took) / 8);
        }
      });
    } catch (RejectedExecutionException e) {
      throw new ApiError(429, executor.isShutdown()
          ? "the server is shutting down"
          : "busy: " + workers + " worker(s) computing and " + queue + " request(s) queued; retry later",
          retryAfterSeconds());
    }
    return result;
  }

  /** Requests waiting for a worker. */
  int queued() {
    return executor.getQueue().size();
  }

  /** Requests being computed. */
  int active() {
    return executor.getActiveCount();
  }

  int workers() {
    return workers;
  }

  int capacity() {
    return queue;
  }

  /** When a full pool will likely have room again: the queued and running jobs over the workers, in whole seconds. */
  private long retryAfterSeconds() {
    double seconds = (queued() + active()) * (meanNanos.get() / 1e9) / workers;
    return Math.max(1, (long) Math.ceil(seconds));
  }

  /** Stops taking jobs and waits up to {@code timeoutMillis} for the running and queued ones to finish. */
  boolean drain(long timeoutMillis) throws InterruptedException {
    executor.shutdown();
    return executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
