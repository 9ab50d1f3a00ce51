package org.dpn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code dpn} command line: one sub-command per file in this package. */
@Command(
    name = "dpn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Deep Parsing Network: MRF-refined semantic segmentation.",
    subcommands = {DemoCommand.class, InitCommand.class, SegmentCommand.class, ServeCommand.class, SegmentVideoCommand.class, RefineCommand.class, TrainCommand.class, TrainTemporalCommand.class, EvalCommand.class, PlotCommand.class, ClassifyCommand.class, InspectCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code;
    try {
      code = commandLine().execute(args);
    } catch (OutOfMemoryError e) {
      // Errors pass picocli's handlers; memory is a failure while running, said in one line.
      System.err.println("dpn: out of memory (" + e.getMessage() + "); give Java more with DPN_JAVA_OPTS=-Xmx..., or use"
          + " smaller inputs");
      code = ExitCodes.FAILURE;
    }
    System.exit(code);
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new Main()));
  }

  /** Any command line of dpn's commands with the exit-code rule of {@link ExitCodes}. */
  static CommandLine configure(CommandLine cl) {
    ExitCodes rule = new ExitCodes();
    return cl.setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(rule)
        .setExitCodeExceptionMapper(rule);
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
