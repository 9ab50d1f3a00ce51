package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Photometric;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SequenceSelection;
import org.dpn4j.io.StrictJson;

/**
 * The run-wide part of a training configuration (docs/TRAINING.md, "Configuration"; example
 * {@code configs/camvid-mobilenetv2.json}), which is also stage {@code unary}'s settings: the
 * starting model, the data, the crop, the batch, the schedule and the files. Relative paths are
 * relative to the file's directory. Read as part of a {@link RunConfig}; every problem names the
 * file and the key ({@code dataset.root}).
 *
 * @param model the starting model (a {@code dpn init} directory or zip)
 * @param datasetKind voc, cityscapes, camvid or folder ({@code Datasets.open})
 * @param splits the splits trained on, one after the other ({@code dataset.split}: a name or a list)
 * @param sequences the frames kept by sequence ({@code dataset.sequences} or {@code
 *     dataset.excludeSequences}; default all)
 * @param samples use only the first {@code samples} images of the selection (0: all)
 * @param checkpointInterval save every that many iterations (0: only at the end)
 * @param log the CSV log (default: next to {@code output}, {@code OUTPUT-training-log.csv})
 * @param workers threads that decode and augment samples
 * @param photometric the photometric augmentation of every batch stage ({@code photometric}; default none)
 */
public record UnaryTrainingConfig(
    Path model, String datasetKind, Path datasetRoot, List<String> splits, SequenceSelection sequences, int samples,
    int cropHeight, int cropWidth, int batchSize, double baseLr, long iterations, long seed, boolean classWeights,
    Path checkpointDir, long checkpointInterval, Path output, Path log, int workers, Photometric photometric) {

  /** The keys of this part of the file (the stages' own objects are read by {@link RunConfig}). */
  static final Set<String> KEYS = Set.of("model", "dataset", "crop", "batchSize", "baseLr", "iterations", "seed",
      "classWeights", "checkpoint", "output", "log", "workers", "photometric");

  public UnaryTrainingConfig {
    splits = List.copyOf(splits);
  }

  /** Reads and checks {@code file} (the whole run file; {@link RunConfig#read} for every stage's part). */
  public static UnaryTrainingConfig read(Path file) throws IOException {
    return RunConfig.read(file).unary();
  }

  /** This part of a run file's top object {@code root}. */
  static UnaryTrainingConfig of(StrictJson.Obj root) throws IOException {
    StrictJson.Obj dataset =
        root.object("dataset").only("kind", "root", "split", "samples", "sequences", "excludeSequences");
    StrictJson.Obj crop = root.object("crop").only("height", "width");
    StrictJson.Obj ckpt = root.object("checkpoint").only("dir", "interval");
    Path output = root.path("output");
    Path log = root.has("log") ? root.path("log") : output.resolveSibling(output.getFileName() + "-training-log.csv");
    double baseLr = root.positive("baseLr");
    return new UnaryTrainingConfig(
        root.path("model"),
        dataset.text("kind"),
        dataset.path("root"),
        dataset.get("split").isArray() ? dataset.strings("split") : List.of(dataset.text("split")),
        sequences(dataset),
        dataset.has("samples") ? dataset.smallInteger("samples", 0) : 0,
        crop.smallInteger("height", 1),
        crop.smallInteger("width", 1),
        root.smallInteger("batchSize", 1),
        baseLr,
        root.integer("iterations", 1),
        root.integer("seed"),
        root.bool("classWeights"),
        ckpt.path("dir"),
        ckpt.integer("interval", 0),
        output,
        log,
        root.has("workers") ? root.smallInteger("workers", 1) : 2,
        photometric(root));
  }

  private static SequenceSelection sequences(StrictJson.Obj dataset) throws IOException {
    boolean only = dataset.has("sequences");
    boolean without = dataset.has("excludeSequences");
    if (only && without) {
      throw dataset.invalid("give " + dataset.name("sequences") + " or " + dataset.name("excludeSequences")
          + ", not both");
    }
    return only ? SequenceSelection.only(dataset.strings("sequences"))
        : without ? SequenceSelection.without(dataset.strings("excludeSequences")) : SequenceSelection.ALL;
  }

  private static Photometric photometric(StrictJson.Obj root) throws IOException {
    if (!root.has("photometric")) {
      return Photometric.NONE;
    }
    StrictJson.Obj p = root.object("photometric").only("brightness", "contrast", "saturation", "hue", "blur");
    try {
      return new Photometric(number(p, "brightness"), number(p, "contrast"), number(p, "saturation"),
          number(p, "hue"), number(p, "blur"));
    } catch (IllegalArgumentException e) {
      throw root.invalid(root.name("photometric") + ": " + e.getMessage());
    }
  }

  private static double number(StrictJson.Obj o, String key) throws IOException {
    return o.has(key) ? o.number(key) : 0;
  }

  /**
   * The samples the run trains on: the splits' in turn, those of the selected sequences, only the
   * first {@code samples} of them when that is set. A sequence that none of the splits' frames has,
   * or a selection that leaves no frame, is an error naming the key.
   */
  public List<Sample> samplesOf(Dataset dataset) throws IOException {
    List<Sample> all;
    try {
      all = sequences.apply(dataset, Datasets.samples(dataset, splits));
    } catch (IllegalArgumentException e) {
      String key = sequences.all() ? "'dataset.split'"
          : "'dataset." + (sequences.excluding() ? "excludeSequences" : "sequences") + "' " + sequences.names();
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
    return samples > 0 ? all.subList(0, Math.min(samples, all.size())) : all;
  }
}
