package org.dpn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dpn} command line: one sub-command per file in this package. */
@Command(
    name = "dpn",
    mixinStandardHelpOptions = true,
    version = "dpn4j 0.1.0",
    description = "Deep Parsing Network: MRF-refined semantic segmentation.",
    subcommands = {DemoCommand.class, InitCommand.class, SegmentCommand.class, SegmentVideoCommand.class, RefineCommand.class, TrainCommand.class, TrainTemporalCommand.class, EvalCommand.class, PlotCommand.class, ClassifyCommand.class, InspectCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::reportError);
  }

  /**
   * Bad input (a user's file or value) is reported in one line naming the command and the problem;
   * anything else is a bug and keeps its stack trace.
   */
  private static int reportError(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    if (e instanceof org.dpn4j.io.OutputException) {
      // A result that could not be written is a failure while running, not bad input.
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      return 1;
    }
    if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
        || e instanceof java.io.UncheckedIOException) {
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      return 2;
    }
    e.printStackTrace(cmd.getErr());
    return 1;
  }
}
