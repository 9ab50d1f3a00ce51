package org.dpn4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that computes: its {@code --threads} ({@link ThreadsOption}) is applied before anything
 * else, so that a thread count above the processors is refused before any engine or model loads.
 */
abstract class ComputeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  private int threadCount;

  @Override
  public final Integer call() throws Exception {
    threadCount = threads.apply();
    return compute();
  }

  /** The command's work, on {@link #threadCount()} threads; returns the exit code. */
  protected abstract Integer compute() throws Exception;

  /** The threads the command computes on. */
  protected final int threadCount() {
    return threadCount;
  }
}
