package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.dpn4j.io.StrictJson;

/**
 * The head stages' part of a training configuration (docs/TRAINING.md, "Configuration"), all of it
 * optional, read from the same file as {@link UnaryTrainingConfig}:
 *
 * <pre>
 *   "triple":   {"iterations": 1000, "lr": 1, "optimiser": "sgd", "classWeights": false},
 *   "contexts": {"iterations": 1000, "lr": 1, "optimiser": "sgd"},
 *   "cache":    {"scales": [1.0], "dir": "run/logits"}
 * </pre>
 *
 * Defaults as {@code dpn train --head-only}: 1000 iterations of one image, SGD (momentum 0.9,
 * weight decay 5e-4) at base lr 1, or Adam at 0.01; class weights as the file's {@code classWeights}
 * unless the stage says otherwise. The cache's scales (default [1.0]; DESIGN.md's
 * list is 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2) are those of {@link UnaryLogitsCache}; its directory
 * (default: {@code checkpoint.dir} + {@code -logits}) keeps the logits between runs.
 *
 * @param cacheDir the logits cache's directory, or null for the default ({@link StageFiles#logitsCache})
 */
public record HeadStagesConfig(StageSettings triple, StageSettings contexts, List<Double> cacheScales, Path cacheDir) {

  /** The top-level keys this part reads. */
  public static final Set<String> KEYS = Set.of("triple", "contexts", "cache");

  /**
   * One head stage's schedule and optimiser ({@code sgd} or {@code adam}).
   *
   * @param classWeights the stage's own choice of median-frequency class weights, or null for the file's
   */
  public record StageSettings(long iterations, double lr, String optimiser, Boolean classWeights) {

    /** Whether the stage's loss weights the classes, given the file's top-level choice. */
    public boolean weighted(boolean fileDefault) {
      return classWeights != null ? classWeights : fileDefault;
    }

    /** A fresh optimiser of the configured kind, with its defaults. */
    public Supplier<Optimiser> optimiserFactory() {
      return optimiser.equals("adam") ? Adam::defaults : Sgd::defaults;
    }
  }

  public HeadStagesConfig {
    cacheScales = List.copyOf(cacheScales);
  }

  /** Reads and checks the head stages' keys of {@code file}; every error names the file and the key. */
  public static HeadStagesConfig read(Path file) throws IOException {
    return RunConfig.read(file).heads();
  }

  /** The head stages' part of the run file's top object {@code root}. */
  static HeadStagesConfig of(StrictJson.Obj root) throws IOException {
    List<Double> scales = List.of(1.0);
    Path dir = null;
    if (root.has("cache")) {
      StrictJson.Obj cache = root.object("cache").only("scales", "dir");
      if (cache.has("scales")) {
        scales = scales(cache);
      }
      if (cache.has("dir")) {
        dir = cache.path("dir");
      }
    }
    return new HeadStagesConfig(stage(root, "triple"), stage(root, "contexts"), scales, dir);
  }

  /** The settings of stage {@code triple} or {@code contexts}. */
  public StageSettings of(Stage stage) {
    return switch (stage) {
      case TRIPLE -> triple;
      case CONTEXTS -> contexts;
      default -> throw new IllegalArgumentException("stage " + stage.id() + " is not a head stage");
    };
  }

  private static StageSettings stage(StrictJson.Obj root, String name) throws IOException {
    if (!root.has(name)) {
      return new StageSettings(1000, 1, "sgd", null);
    }
    StrictJson.Obj s = root.object(name).only("iterations", "lr", "optimiser", "classWeights");
    String optimiser = s.has("optimiser") ? s.text("optimiser") : "sgd";
    if (!optimiser.equals("sgd") && !optimiser.equals("adam")) {
      throw s.invalid(s.name("optimiser") + " must be sgd or adam, got '" + optimiser + "'");
    }
    double lr = s.has("lr") ? s.positive("lr") : optimiser.equals("sgd") ? 1 : 0.01;
    long iterations = s.has("iterations") ? s.integer("iterations", 1) : 1000;
    Boolean weights = s.has("classWeights") ? s.bool("classWeights") : null;
    return new StageSettings(iterations, lr, optimiser, weights);
  }

  private static List<Double> scales(StrictJson.Obj cache) throws IOException {
    double[] a;
    try {
      a = cache.numbers("scales");
    } catch (StrictJson.Invalid e) {
      a = new double[0];
    }
    List<Double> scales = new ArrayList<>();
    for (double x : a) {
      scales.add(x);
    }
    if (scales.isEmpty() || scales.stream().anyMatch(x -> !(x > 0) || Double.isInfinite(x))) {
      throw cache.invalid(cache.name("scales") + " must be a non-empty array of positive numbers, got "
          + cache.get("scales"));
    }
    return scales;
  }
}
