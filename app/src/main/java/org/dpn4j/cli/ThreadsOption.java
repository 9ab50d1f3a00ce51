package org.dpn4j.cli;

import org.dpn4j.util.Parallel;
import picocli.CommandLine.Option;

/** The {@code --threads N} option shared by every command that computes (a picocli mixin). */
public final class ThreadsOption {

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads for the Java kernels and the engine (default: all cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  /**
   * Applies the thread count to the Java kernels and to the PyTorch engine; returns it. Called first
   * thing in a command, so that a count above the available processors is refused before any engine
   * or model loads.
   */
  public int apply() {
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads < 1 || threads > cores) {
      // More threads than processors only adds switching; far more starts a storm of native threads.
      throw new IllegalArgumentException("--threads must be between 1 and " + cores
          + " (the processors available to this process), got " + threads);
    }
    Parallel.setThreads(threads);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    return threads;
  }
}
