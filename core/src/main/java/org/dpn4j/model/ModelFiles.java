package org.dpn4j.model;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.Safetensors;
import org.dpn4j.io.TextFiles;
import org.dpn4j.io.WeightFileException;
import org.dpn4j.unary.NamedTensors;

/**
 * Reading and writing the model format of docs/MODEL_FORMAT.md: a directory with {@code
 * config.json} and {@code weights.safetensors}, or a zip of such a directory (the two entries at
 * its root or in one folder).
 */
final class ModelFiles {

  static final String CONFIG = "config.json";
  static final String WEIGHTS = "weights.safetensors";

  private ModelFiles() {}

  /** What a model consists of: its configuration and every tensor by name. */
  record Content(ModelConfig config, Map<String, NamedTensors.Tensor> tensors) {}

  /** Writes a directory, or a zip when the name ends in {@code .zip}; each file atomically. */
  static void write(Path target, Content content) throws IOException {
    for (Map.Entry<String, NamedTensors.Tensor> t : content.tensors().entrySet()) {
      String bad = nonFinite(t.getKey(), t.getValue().values());
      if (bad != null) {
        throw new ModelFileException(target.toString(), "refusing to save a model whose " + bad);
      }
    }
    byte[] config = content.config().toJson().getBytes(StandardCharsets.UTF_8);
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    content.tensors().forEach((name, t) -> tensors.add(Safetensors.Tensor.ofFloats(name, t.shape(), t.values())));
    Map<String, String> meta = Map.of("format", ModelConfig.FORMAT, "formatVersion", "" + ModelConfig.FORMAT_VERSION);
    if (!isZip(target)) {
      Files.createDirectories(target);
      Safetensors.write(target.resolve(WEIGHTS), tensors, meta);
      AtomicFiles.write(target.resolve(CONFIG), config);
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path weights = AtomicFiles.tempFile(dir.resolve(WEIGHTS));
    try {
      Safetensors.write(weights, tensors, meta);
      AtomicFiles.writeStream(
          target,
          out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry(CONFIG));
            zip.write(config);
            zip.putNextEntry(new ZipEntry(WEIGHTS));
            Files.copy(weights, zip);
            zip.closeEntry();
            zip.finish(); // not close(): AtomicFiles forces the file before closing it
          });
    } finally {
      Files.deleteIfExists(weights);
    }
  }

  static boolean isZip(Path p) {
    return p.getFileName() != null && p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
  }

  /**
   * Reads a model directory or zip and checks its tensors against the shapes that its
   * configuration implies ({@code expected}, from the configuration); every problem is a {@link
   * ModelFileException} naming the file.
   */
  static Content read(Path source, ExpectedShapes expected) throws IOException {
    if (Files.isDirectory(source)) {
      Path configFile = source.resolve(CONFIG);
      Path weightsFile = source.resolve(WEIGHTS);
      for (Path p : new Path[] {configFile, weightsFile}) {
        if (!Files.isRegularFile(p)) {
          throw new ModelFileException(source.toString(), "not a model directory: " + p.getFileName() + " is missing");
        }
      }
      ModelConfig config = parseConfig(configFile.toString(), TextFiles.read(configFile));
      return new Content(config, readWeights(weightsFile, weightsFile.toString(), config, expected));
    }
    if (!Files.isRegularFile(source)) {
      throw new ModelFileException(source.toString(), "no such model (a directory or a .zip)");
    }
    try (ZipFile zip = new ZipFile(source.toFile())) {
      ZipEntry configEntry = entry(zip, source, CONFIG);
      ZipEntry weightsEntry = entry(zip, source, WEIGHTS);
      ModelConfig config;
      ByteArrayOutputStream configBytes = new ByteArrayOutputStream();
      copyChecked(zip, configEntry, source, configBytes);
      config = parseConfig(source + "!/" + configEntry.getName(), configBytes.toString(StandardCharsets.UTF_8));
      Path tmp = Files.createTempFile("dpn4j-model", ".safetensors");
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          copyChecked(zip, weightsEntry, source, out);
        }
        return new Content(config, readWeights(tmp, source + "!/" + weightsEntry.getName(), config, expected));
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (ZipException e) {
      throw new ModelFileException(source.toString(), "neither a model directory nor a readable zip (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Copies a zip entry to {@code out}, checking its CRC-32: ZipFile inflates without checking, so a
   * damaged entry would otherwise be read as wrong bytes (and blamed on the safetensors layout).
   */
  private static void copyChecked(ZipFile zip, ZipEntry entry, Path source, OutputStream out) throws IOException {
    String name = source + "!/" + entry.getName();
    CheckedInputStream in;
    try (CheckedInputStream checked = new CheckedInputStream(zip.getInputStream(entry), new CRC32())) {
      in = checked;
      checked.transferTo(out);
    } catch (ZipException | java.io.EOFException e) {
      throw new ModelFileException(name, "damaged zip entry, its compressed data cannot be inflated (" + e.getMessage() + ")", e);
    }
    long crc = in.getChecksum().getValue();
    if (entry.getCrc() != -1 && crc != entry.getCrc()) {
      throw new ModelFileException(name, String.format(java.util.Locale.ROOT,
          "damaged zip entry: CRC-32 %08x, the zip records %08x (a corrupt copy or download?)", crc, entry.getCrc()));
    }
  }

  /** "tensor 'name' holds NaN at index i (n non-finite values)", or null when every value is finite. */
  static String nonFinite(String name, float[] values) {
    int first = -1;
    int count = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        count++;
        first = first < 0 ? i : first;
      }
    }
    return count == 0 ? null : "tensor '" + name + "' holds " + values[first] + " at index " + first + " ("
        + count + " of " + values.length + " values are not finite: a diverged training run?)";
  }

  /** The shapes of every tensor that a model with this configuration holds. */
  @FunctionalInterface
  interface ExpectedShapes {
    Map<String, long[]> of(ModelConfig config);
  }

  private static ZipEntry entry(ZipFile zip, Path source, String name) throws ModelFileException {
    List<ZipEntry> found = new ArrayList<>();
    zip.stream()
        .filter(e -> !e.isDirectory() && (e.getName().equals(name) || e.getName().matches("[^/]+/" + name.replace(".", "\\."))))
        .forEach(found::add);
    if (found.size() != 1) {
      throw new ModelFileException(source.toString(), found.isEmpty()
          ? "not a model zip: no " + name + " at its root or in one folder"
          : "more than one " + name + " in the zip");
    }
    return found.get(0);
  }

  private static ModelConfig parseConfig(String name, String text) throws ModelFileException {
    try {
      return ModelConfig.fromJson(text);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(name, e.getMessage(), e);
    }
  }

  private static Map<String, NamedTensors.Tensor> readWeights(
      Path file, String name, ModelConfig config, ExpectedShapes expectedShapes) throws IOException {
    Safetensors st;
    try {
      st = Safetensors.open(file);
    } catch (WeightFileException e) {
      throw new ModelFileException(name, e.getMessage().substring(file.toString().length() + 2), e);
    }
    NamedTensors tensors = NamedTensors.of(st);
    Map<String, long[]> expected = expectedShapes.of(config);
    checkNames(name, tensors.names(), expected.keySet());
    checkLabelCount(name, tensors, config);
    Map<String, NamedTensors.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      long[] found = tensors.shape(e.getKey());
      if (!Arrays.equals(found, e.getValue())) {
        throw new ModelFileException(name, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(found)
            + ", config.json implies " + Arrays.toString(e.getValue()) + " (" + config.architecture() + ", "
            + config.numLabels() + " labels)");
      }
      float[] values = tensors.values(e.getKey());
      String bad = nonFinite(e.getKey(), values);
      if (bad != null) {
        throw new ModelFileException(name, "refusing the weights: " + bad);
      }
      out.put(e.getKey(), new NamedTensors.Tensor(found, values));
    }
    return out;
  }

  private static void checkNames(String name, Set<String> found, Set<String> expected) throws ModelFileException {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(found);
    Set<String> extra = new TreeSet<>(found);
    extra.removeAll(expected);
    if (!missing.isEmpty()) {
      throw new ModelFileException(name, missing.size() + " tensor(s) missing: " + brief(missing));
    }
    if (!extra.isEmpty()) {
      throw new ModelFileException(name, extra.size() + " tensor(s) that the configuration does not have: " + brief(extra));
    }
  }

  /** b13's input maps are the labels: the clearest sign of weights made for another label set. */
  private static void checkLabelCount(String name, NamedTensors tensors, ModelConfig config) throws ModelFileException {
    long[] b13 = tensors.shape(HeadTensors.B13);
    if (b13.length == 4 && b13[1] != config.numLabels()) {
      throw new ModelFileException(name, "the weights are for " + b13[1] + " labels, config.json names "
          + config.numLabels());
    }
  }

  private static String brief(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    return list.size() <= 5 ? String.join(", ", list) : String.join(", ", list.subList(0, 5)) + ", ...";
  }
}
