package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.dpn4j.io.OutputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The exit-code rule of every {@code dpn} command (README, "Exit codes"), and the one place that
 * says which errors are which:
 *
 * <ul>
 *   <li>{@value #OK}: all done.
 *   <li>{@value #BAD_INPUT}: bad usage or bad input: picocli's {@link ParameterException}, an
 *       {@link IllegalArgumentException} (a value or a file's content refused), an {@link IOException}
 *       (an input or a path that cannot be used). A batch in which any input was refused exits
 *       {@value #BAD_INPUT} after the rest were processed ({@link ImageBatch}).
 *   <li>{@value #FAILURE}: a failure while running: an output that could not be written
 *       ({@link OutputException}: disk full, an I/O error), a state the run cannot go on from
 *       ({@link IllegalStateException}), and anything else (a bug, the engine, memory).
 * </ul>
 *
 * Every error is one line on standard error, {@code dpn COMMAND: message}, without a stack trace;
 * {@code DPN_DEBUG=1} adds the trace of unexpected ones.
 */
final class ExitCodes implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int BAD_INPUT = 2;

  /** The environment variable that adds stack traces to unexpected errors. */
  static final String DEBUG_ENV = "DPN_DEBUG";

  /** True for bad usage or bad input ({@value #BAD_INPUT}), false for a failure while running. */
  static boolean isBadInput(Throwable e) {
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    return t instanceof ParameterException
        || t instanceof IllegalArgumentException
        || (t instanceof IOException && !(t instanceof OutputException));
  }

  /**
   * Whether {@code e} says what went wrong in its message: bad input, an output, or a state the run
   * cannot go on from ({@link IllegalStateException}: a native library missing, an engine's result
   * out of shape). Anything else is unexpected (a bug) and is shown with its type.
   */
  static boolean isExpected(Throwable e) {
    return isBadInput(e) || e instanceof IOException || e instanceof UncheckedIOException
        || e instanceof IllegalStateException;
  }

  @Override
  public int getExitCode(Throwable e) {
    return isBadInput(e) ? BAD_INPUT : FAILURE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    String name = cmd.getCommandSpec().qualifiedName();
    report(e, name.startsWith("dpn") ? name : "dpn " + name, cmd.getErr());
    return getExitCode(e);
  }

  /** One line naming the command and the problem; the stack trace only for an unexpected error with DPN_DEBUG set. */
  static void report(Throwable e, String command, PrintWriter err) {
    if (isExpected(e)) {
      err.println(command + ": " + message(e));
    } else {
      err.println(command + ": internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": "
          + e.getMessage()) + (debug() ? "" : " (set " + DEBUG_ENV + "=1 for the stack trace)"));
      if (debug()) {
        e.printStackTrace(err);
      }
    }
    err.flush();
  }

  /** The exception's message, or its type where it has none. */
  static String message(Throwable e) {
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static boolean debug() {
    String v = System.getenv(DEBUG_ENV);
    return v != null && !v.isBlank() && !v.equals("0");
  }
}
