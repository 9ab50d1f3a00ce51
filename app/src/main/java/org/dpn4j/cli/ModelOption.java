package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.model.DefaultModel;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.Models;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --model M}, the model a command runs (a picocli mixin). One rule for every command: the
 * {@code --model} given (a path, or a pretrained model's name: {@link Models#resolve}), else
 * {@code $DPN_MODEL}, else the pretrained {@code camvid} ({@link DefaultModel}); a model found by
 * name and the default are said on standard error. Only {@code eval} takes it more
 * than once (an ensemble).
 */
final class ModelOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--model", paramLabel = "M",
      description = "A model directory or zip (docs/MODEL_FORMAT.md), or a pretrained model's name: camvid (11"
          + " street classes) or voc (21 PASCAL VOC classes); an existing path wins. Default: $DPN_MODEL when set,"
          + " else camvid.")
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
    PrintWriter err = command.commandLine().getErr();
    if (!given.isEmpty()) {
      List<Path> p = new ArrayList<>();
      for (Path m : given) {
        Path resolved = Models.resolve(m.toString());
        if (!resolved.equals(m)) {
          err.println("model: " + resolved + " (" + m + ")");
        }
        p.add(resolved);
      }
      err.flush();
      return p;
    }
    Path p = DefaultModel.path();
    err.println("model: " + p + " (the default)");
    err.flush();
    return List.of(p);
  }

  /** Loads {@link #path()}. */
  DpnModel load() throws IOException {
    return DpnModel.load(path());
  }
}
