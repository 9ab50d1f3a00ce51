package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dpn4j.io.OutputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The exit-code rule of {@link ExitCodes} for each type of error, including those no real input
 * provokes (a bug); {@link ExitCodesCommandsTest} checks the real commands.
 */
class ExitCodesTest {

  /** A command that throws what it is given, to check the rule for errors no real input provokes. */
  @Command(name = "throws")
  static final class Throws implements Callable<Integer> {
    final Exception e;

    Throws(Exception e) {
      this.e = e;
    }

    @Override
    public Integer call() throws Exception {
      throw e;
    }
  }

  @Test
  void failuresAndBugsExitOneWithoutAStackTrace() {
    Object[][] cases = {
      {new OutputException(Path.of("out.png"), new IOException("No space left on device")), 1,
          "dpn throws: out.png: cannot write it (No space left on device)"},
      {new IllegalStateException("OpenCV cannot be loaded"), 1, "dpn throws: OpenCV cannot be loaded"},
      {new NullPointerException("x is null"), 1, "dpn throws: internal error: java.lang.NullPointerException: x is null"},
      {new IOException("in.png: not an image"), 2, "dpn throws: in.png: not an image"},
      {new UncheckedIOException(new IOException("in.npy: truncated")), 2, "dpn throws: in.npy: truncated"},
      {new IllegalArgumentException("--size must be HxW"), 2, "dpn throws: --size must be HxW"},
    };
    for (Object[] c : cases) {
      CommandRun run = CommandRun.of(Main.configure(new CommandLine(new Throws((Exception) c[0]))));
      assertEquals((int) c[1], run.exitCode(), run.toString());
      assertTrue(run.err().startsWith((String) c[2]), run.err());
      assertEquals(1, run.err().lines().count(), run.err());
    }
  }
}
