package org.dpn4j.cli;

import picocli.CommandLine.Command;

/** {@code dpn bench ...}: benchmarks anyone can rerun; each prints medians and peak memory. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (medians of repeated runs, peak memory).",
    subcommands = {BenchHeadCommand.class, BenchRefineCommand.class, BenchUnaryCommand.class, BenchFlowCommand.class, BenchServeCommand.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
