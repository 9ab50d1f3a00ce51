package org.dpn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Decodes and augments samples on background threads while the caller trains on earlier ones.
 *
 * <p>The loader walks {@code epochs} passes over the samples; in each pass the order is the list
 * order or, with {@code shuffle}, a permutation drawn from (seed, epoch). Items come out IN THAT
 * ORDER: the caller holds a queue of at most {@code prefetch} pending results, the oldest first,
 * which {@code workers} threads fill in any order. The content of an item depends only on (seed,
 * epoch, sample index) through {@link #sampleSeed}, never on thread timing, so a run is repeatable
 * with any number of workers. At most {@code prefetch} decoded samples wait in memory.
 *
 * <p>A worker's failure surfaces in {@link #next} as an {@link UncheckedIOException} whose message
 * names the file (every task's error is converted to one naming the sample's photo if it does not
 * already); the loader then closes itself. {@link #close} cancels what is pending and stops the
 * threads (they are daemons, so a forgotten close does not keep the JVM alive).
 */
public final class SampleLoader implements Iterator<SampleLoader.Item>, AutoCloseable {

  /** One loaded sample: the pass it belongs to, its index in the sample list, the pair. */
  public record Item(long epoch, int index, LabelledImage sample) {}

  /**
   * @param seed fixes shuffles and augmentations
   * @param shuffle a fresh permutation per epoch, else list order
   * @param epochs passes over the samples
   * @param workers background threads
   * @param prefetch results queued ahead of the caller (>= 1)
   */
  public record Options(long seed, boolean shuffle, long epochs, int workers, int prefetch) {

    public Options {
      if (epochs < 1 || workers < 1 || prefetch < 1) {
        throw new IllegalArgumentException(
            "epochs, workers and prefetch must be >= 1, got " + epochs + ", " + workers + ", " + prefetch);
      }
    }

    /** Shuffled passes, two samples queued per worker. */
    public static Options training(long seed, long epochs, int workers) {
      return new Options(seed, true, epochs, workers, 2 * workers);
    }

    /** One pass in list order. */
    public static Options evaluation(int workers) {
      return new Options(0, false, 1, workers, 2 * workers);
    }
  }

  private final Dataset dataset;
  private final List<Sample> samples;
  private final PairTransform transform;
  private final Options opts;
  private final ExecutorService pool;
  private final ArrayDeque<Future<Item>> pending = new ArrayDeque<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final long total;
  private long submitted;
  private long permEpoch = -1;
  private int[] perm;
  private boolean closed;

  public SampleLoader(Dataset dataset, List<Sample> samples, PairTransform transform, Options opts) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples to load");
    }
    this.dataset = dataset;
    this.samples = List.copyOf(samples);
    this.transform = transform;
    this.opts = opts;
    this.total = Math.multiplyExact(opts.epochs(), (long) samples.size());
    this.pool =
        Executors.newFixedThreadPool(
            opts.workers(),
            r -> {
              Thread t = new Thread(r, "dpn-loader-" + threads.size());
              t.setDaemon(true);
              threads.add(t);
              return t;
            });
    while (pending.size() < opts.prefetch() && submitted < total) {
      submitNext();
    }
  }

  /** The seed of sample {@code index}'s augmentation in pass {@code epoch} (index -1: the pass's shuffle). */
  public static long sampleSeed(long seed, long epoch, long index) {
    return mix(mix(mix(seed) + epoch) + index);
  }

  /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The sample indices of pass {@code epoch}, in the order the loader delivers them. */
  public int[] order(long epoch) {
    int n = samples.size();
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    if (opts.shuffle()) {
      SplittableRandom rnd = new SplittableRandom(sampleSeed(opts.seed(), epoch, -1));
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
    }
    return p;
  }

  private void submitNext() {
    long epoch = submitted / samples.size();
    if (epoch != permEpoch) {
      perm = order(epoch);
      permEpoch = epoch;
    }
    int index = perm[(int) (submitted % samples.size())];
    submitted++;
    Sample s = samples.get(index);
    long seed = sampleSeed(opts.seed(), epoch, index);
    pending.add(pool.submit(() -> new Item(epoch, index, load(s, seed))));
  }

  private LabelledImage load(Sample s, long seed) throws IOException {
    try {
      return transform.apply(dataset.read(s), seed);
    } catch (RuntimeException e) {
      throw new IOException(s.image() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized boolean hasNext() {
    return !closed && !pending.isEmpty();
  }

  /** The next item in order, waiting for a worker if needed. */
  @Override
  public synchronized Item next() {
    if (closed) {
      throw new IllegalStateException("the loader is closed");
    }
    Future<Item> f = pending.poll();
    if (f == null) {
      throw new NoSuchElementException("all " + total + " samples were delivered");
    }
    if (submitted < total) {
      submitNext();
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for a sample", e);
    } catch (ExecutionException | CancellationException e) {
      close();
      Throwable c = e.getCause() != null ? e.getCause() : e;
      if (c instanceof Error err) {
        throw err;
      }
      IOException io = c instanceof IOException i ? i : new IOException(c.getMessage(), c);
      throw new UncheckedIOException(io.getMessage(), io);
    }
  }

  /**
   * Cancels pending work and stops the worker threads, waiting for them to end (at most a few
   * seconds: a worker inside a decode finishes that file first).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    pending.forEach(f -> f.cancel(true));
    pending.clear();
    pool.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
