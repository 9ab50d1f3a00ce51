package org.dpn4j.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Sample;
import org.dpn4j.io.TextFiles;

/**
 * A training run's configuration file (docs/TRAINING.md, "Configuration"; example
 * {@code configs/camvid-mobilenetv2.json}). Relative paths are relative to the file's directory.
 * Every problem names the file and the key ({@code dataset.root}); unknown keys are errors too, so
 * that a misspelt optional key is not silently ignored. The head stages' keys ({@code triple},
 * {@code contexts}, {@code cache}) are accepted here and read by {@link HeadStagesConfig}.
 *
 * @param model the starting model (a {@code dpn init} directory or zip)
 * @param datasetKind voc, cityscapes, camvid or folder ({@code Datasets.open})
 * @param samples use only the split's first {@code samples} images (0: all)
 * @param checkpointInterval save every that many iterations (0: only at the end)
 * @param log the CSV log (default: next to {@code output}, {@code OUTPUT-training-log.csv})
 * @param workers threads that decode and augment samples
 */
public record UnaryTrainingConfig(
    Path model, String datasetKind, Path datasetRoot, String split, int samples, int cropHeight, int cropWidth,
    int batchSize, double baseLr, long iterations, long seed, boolean classWeights, Path checkpointDir,
    long checkpointInterval, Path output, Path log, int workers) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Reads and checks {@code file}. */
  public static UnaryTrainingConfig read(Path file) throws IOException {
    JsonNode root = parse(file);
    Keys k = new Keys(file, file.toAbsolutePath().getParent());
    Set<String> known = new TreeSet<>(Set.of("model", "dataset", "crop", "batchSize", "baseLr", "iterations", "seed",
        "classWeights", "checkpoint", "output", "log", "workers", FinetuneConfig.FINETUNE_KEY, FinetuneConfig.JOINT_KEY));
    known.addAll(HeadStagesConfig.KEYS);
    k.only(root, "", known);
    JsonNode dataset = k.object(root, "", "dataset");
    k.only(dataset, "dataset.", Set.of("kind", "root", "split", "samples"));
    JsonNode crop = k.object(root, "", "crop");
    k.only(crop, "crop.", Set.of("height", "width"));
    JsonNode ckpt = k.object(root, "", "checkpoint");
    k.only(ckpt, "checkpoint.", Set.of("dir", "interval"));
    Path output = k.path(root, "", "output");
    Path log = root.has("log") ? k.path(root, "", "log")
        : output.resolveSibling(output.getFileName() + "-training-log.csv");
    double baseLr = k.number(root, "", "baseLr");
    if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
      throw new IOException(file + ": 'baseLr' must be a positive number, got " + baseLr);
    }
    return new UnaryTrainingConfig(
        k.path(root, "", "model"),
        k.text(dataset, "dataset.", "kind"),
        k.path(dataset, "dataset.", "root"),
        k.text(dataset, "dataset.", "split"),
        dataset.has("samples") ? k.smallInteger(dataset, "dataset.", "samples", 0) : 0,
        k.smallInteger(crop, "crop.", "height", 1),
        k.smallInteger(crop, "crop.", "width", 1),
        k.smallInteger(root, "", "batchSize", 1),
        baseLr,
        k.integer(root, "", "iterations", 1),
        k.integer(root, "", "seed", Long.MIN_VALUE),
        k.bool(root, "", "classWeights"),
        k.path(ckpt, "checkpoint.", "dir"),
        k.integer(ckpt, "checkpoint.", "interval", 0),
        output,
        log,
        root.has("workers") ? k.smallInteger(root, "", "workers", 1) : 2);
  }

  /** The samples the run trains on: the split's, only its first {@code samples} when that is set. */
  public List<Sample> samplesOf(Dataset dataset) throws IOException {
    List<Sample> all = dataset.samples(split);
    return samples > 0 ? all.subList(0, Math.min(samples, all.size())) : all;
  }

  /** The file's JSON; a missing file or bad JSON is an error naming the file. */
  static JsonNode parse(Path file) throws IOException {
    try {
      return JSON.readTree(TextFiles.read(file));
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such configuration file", e);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The keys of one file, named with their path ({@code dataset.root}) in every error. */
  record Keys(Path file, Path dir) {

    void only(JsonNode node, String prefix, Set<String> known) throws IOException {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!known.contains(key)) {
          throw new IOException(file + ": unknown key '" + prefix + key + "' (known: " + known + ")");
        }
      }
    }

    JsonNode get(JsonNode node, String prefix, String key) throws IOException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        throw new IOException(file + ": missing key '" + prefix + key + "'");
      }
      return v;
    }

    JsonNode object(JsonNode node, String prefix, String key) throws IOException {
      JsonNode v = get(node, prefix, key);
      if (!v.isObject()) {
        throw new IOException(file + ": '" + prefix + key + "' must be an object");
      }
      return v;
    }

    String text(JsonNode node, String prefix, String key) throws IOException {
      JsonNode v = get(node, prefix, key);
      if (!v.isTextual() || v.asText().isEmpty()) {
        throw new IOException(file + ": '" + prefix + key + "' must be a non-empty string");
      }
      return v.asText();
    }

    Path path(JsonNode node, String prefix, String key) throws IOException {
      return dir.resolve(text(node, prefix, key)).normalize();
    }

    long integer(JsonNode node, String prefix, String key, long min) throws IOException {
      JsonNode v = get(node, prefix, key);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min) {
        throw new IOException(file + ": '" + prefix + key + "' must be an integer"
            + (min > Long.MIN_VALUE ? " >= " + min : "") + ", got " + v);
      }
      return v.asLong();
    }

    int smallInteger(JsonNode node, String prefix, String key, int min) throws IOException {
      long v = integer(node, prefix, key, min);
      if (v > Integer.MAX_VALUE) {
        throw new IOException(file + ": '" + prefix + key + "' is too large, got " + v);
      }
      return (int) v;
    }

    double number(JsonNode node, String prefix, String key) throws IOException {
      JsonNode v = get(node, prefix, key);
      if (!v.isNumber()) {
        throw new IOException(file + ": '" + prefix + key + "' must be a number, got " + v);
      }
      return v.asDouble();
    }

    boolean bool(JsonNode node, String prefix, String key) throws IOException {
      JsonNode v = get(node, prefix, key);
      if (!v.isBoolean()) {
        throw new IOException(file + ": '" + prefix + key + "' must be true or false, got " + v);
      }
      return v.asBoolean();
    }
  }
}
