package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.model.DefaultModel;
import org.dpn4j.model.DpnModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --model M}, the model a command runs (a picocli mixin). One rule for every command: the
 * {@code --model} given, else {@code $DPN_MODEL}, else the shipped {@code models/camvid}
 * ({@link DefaultModel}), which is then said on standard error. Only {@code eval} takes it more
 * than once (an ensemble).
 */
final class ModelOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--model", paramLabel = "M",
      description = "A model directory or zip (docs/MODEL_FORMAT.md). Default: $DPN_MODEL when set, else the"
          + " shipped models/camvid.")
  List<Path> given = new ArrayList<>();

  /** The one model to run; more than one --model is a usage error. */
  Path path() throws IOException {
    if (given.size() > 1) {
      throw new ParameterException(command.commandLine(),
          "--model given " + given.size() + " times; " + command.qualifiedName() + " runs one model");
    }
    return paths().get(0);
  }

  /** The models given, or the default one alone, which is then said on standard error. */
  List<Path> paths() throws IOException {
    if (!given.isEmpty()) {
      return List.copyOf(given);
    }
    Path p = DefaultModel.path();
    PrintWriter err = command.commandLine().getErr();
    err.println("model: " + p + " (the default)");
    err.flush();
    return List.of(p);
  }

  /** Loads {@link #path()}. */
  DpnModel load() throws IOException {
    return DpnModel.load(path());
  }
}
