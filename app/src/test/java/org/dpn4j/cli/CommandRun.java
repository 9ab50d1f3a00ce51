package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.io.AtomicDirectory;
import picocli.CommandLine;

/** One command-line run in the test's JVM: exit code, standard output and error. */
record CommandRun(int exitCode, String out, String err) {

  /** A run of one command with dpn's exit-code rule ({@link Main#configure}). */
  static CommandRun of(Object command, String... args) {
    return of(Main.configure(new CommandLine(command)), args);
  }

  /** A run of a configured command line (e.g. {@link Main#commandLine()} with its error handler). */
  static CommandRun of(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }

  /** {@link #sharedModel()}, once made. */
  private static Path shared;

  /**
   * One random vgg-lite CamVid model made by {@code dpn init} for all the tests of this JVM that only
   * read a model (a temporary folder, removed at exit); made on first use.
   */
  static synchronized Path sharedModel() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("dpn-test-model-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            AtomicDirectory.deleteTree(dir);
          } catch (IOException e) {
            // a temporary folder left behind is harmless
          }
        }));
        shared = initModel(dir.resolve("model"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A random vgg-lite CamVid model made by {@code dpn init} at {@code target}; fails the test if init does. */
  static Path initModel(Path target) {
    CommandRun run = of(new InitCommand(), "--unary", "vgg-lite", "--labels", "camvid", "--out", target.toString());
    if (run.exitCode() != 0) {
      throw new AssertionError("dpn init failed: " + run);
    }
    return target;
  }

  List<String> lines() {
    return out.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nout:\n" + out + "err:\n" + err;
  }
}
