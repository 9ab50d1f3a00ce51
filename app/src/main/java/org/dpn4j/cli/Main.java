package org.dpn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dpn} command line: one sub-command per file in this package. */
@Command(
    name = "dpn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
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

  /** The environment variable that asks for the stack trace of an unexpected error. */
  static final String STACK_TRACES = "DPN_STACK_TRACES";

  /**
   * Bad input (a user's file or value) is reported in one line naming the command and the problem
   * (exit code 2). Anything else is a bug: one line names the exception and asks for a report; its
   * stack trace only when {@value #STACK_TRACES} is set, so a user never gets a screen of Java.
   */
  private static int reportError(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    String command = cmd.getCommandSpec().qualifiedName();
    if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
        || e instanceof java.io.UncheckedIOException) {
      cmd.getErr().println(command + ": " + e.getMessage());
      return 2;
    }
    cmd.getErr().println(command + ": internal error, " + e
        + " (please report it; " + STACK_TRACES + "=1 prints the stack trace)");
    if (System.getenv(STACK_TRACES) != null) {
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }

  /** {@code dpn --version}: the build's version, from version.properties that Maven fills in. */
  static final class Version implements CommandLine.IVersionProvider {

    /** The version this build was made from, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String number() {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (java.io.IOException e) {
        // an unreadable resource reads as an unknown version
      }
      return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
      return new String[] {"dpn4j " + number()};
    }
  }
}
