package org.dpn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Medians of repeated timings, and the process's peak resident memory. */
public final class Stopwatch {

  private Stopwatch() {}

  /** Something to time; may throw. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  /** Runs {@code task} {@code warmup} times untimed, then {@code runs} times; returns the median in ms. */
  public static double medianMs(int warmup, int runs, Task task) throws Exception {
    for (int i = 0; i < warmup; i++) {
      task.run();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      task.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
  }

  /** {@code v} rounded to two decimals, for reports. */
  public static double round2(double v) {
    // Math.round(NaN) is 0: an undefined figure must stay NaN, not read as a perfect score.
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v;
  }

  /**
   * Peak resident set size of this process in MiB (VmHWM from /proc: Java heap, engine tensors and
   * native buffers together), or -1 where /proc is not available.
   */
  public static double peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
