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

  /** Applies the thread count to the Java kernels and to the PyTorch engine; returns it. */
  public int apply() {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    Parallel.setThreads(threads);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    return threads;
  }
}
