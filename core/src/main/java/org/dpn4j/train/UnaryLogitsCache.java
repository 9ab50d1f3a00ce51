package org.dpn4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.value.Maps;
import org.dpn4j.io.DType;
import org.dpn4j.io.Half;
import org.dpn4j.io.Images;
import org.dpn4j.io.Safetensors;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.unary.NamedTensors;

/**
 * The frozen unary's output for the head stages {@code triple} and {@code contexts} (DESIGN.md
 * section 1 "Training"): b1-b11 run in evaluation mode, so their output on a training image depends
 * only on the image, and b11's logits at output stride 8 (before the x8 upsampling) are computed
 * once per image, per scale s of a fixed list and for the image and its mirror, and kept as float16.
 *
 * <p>Image i at scale s is the dataset's photo as the model sees it ({@link DpnModel#unaryInput}),
 * resized by s (bilinear photo, nearest labels, {@link Augmentation#scale}); its example for
 * {@link HeadStageRun} is p = softmax(upsample x8 (cached logits)) at that size
 * ({@link DpnModel#unaryProbabilitiesFromStride8}, the unary's own upsampling), with the photo and
 * labels read again from the dataset. The mirrored example takes the unary's logits on the mirrored
 * photo, not the mirrored probabilities. Example index = image * scales + scale index.
 *
 * <p>With a directory, each image's logits are also stored there ({@code NNNNNN.safetensors}, F16,
 * with the unary's fingerprint, the sample's name and the scales as metadata) and read back instead
 * of recomputed when they match, so a resumed run or the next head stage skips the unary.
 */
public final class UnaryLogitsCache implements HeadStageRun.Examples {

  public static final String FORMAT = "dpn4j-logits-cache";

  /** Told after each image: how many are done, of how many, and how many came from the directory. */
  @FunctionalInterface
  public interface Progress {
    void imageDone(int done, int total, int fromDisk);
  }

  /** One image's logits at one scale, L x h8 x w8, as float16 bits. */
  private record Entry(int labels, int h8, int w8, short[] values) {
    static Entry of(Maps m) {
      short[] v = new short[m.data.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = Half.fromFloat(m.data[i]);
      }
      return new Entry(m.c, m.h, m.w, v);
    }

    Maps maps() {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = Half.toFloat(values[i]);
      }
      return new Maps(labels, h8, w8, f);
    }

    Safetensors.Tensor tensor(String name) {
      ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asShortBuffer().put(values);
      return new Safetensors.Tensor(name, DType.F16, new long[] {labels, h8, w8}, b);
    }

    static Entry read(Safetensors st, String name) throws IOException {
      Safetensors.Tensor t = st.read(name);
      long[] s = t.shape();
      if (t.dtype() != DType.F16 || s.length != 3) {
        throw new IOException(st.path() + ": tensor '" + name + "' is not an F16 L x h x w array");
      }
      short[] v = new short[(int) t.elements()];
      t.data().asShortBuffer().get(v);
      return new Entry((int) s[0], (int) s[1], (int) s[2], v);
    }
  }

  private final DpnModel model;
  private final Dataset dataset;
  private final List<Sample> samples;
  private final List<Double> scales;
  private final Entry[] plain;
  private final Entry[] mirrored;

  private UnaryLogitsCache(DpnModel model, Dataset dataset, List<Sample> samples, List<Double> scales) {
    this.model = model;
    this.dataset = dataset;
    this.samples = List.copyOf(samples);
    this.scales = List.copyOf(scales);
    this.plain = new Entry[samples.size() * scales.size()];
    this.mirrored = new Entry[plain.length];
  }

  /**
   * Runs {@code model}'s unary (evaluation mode) on every sample at every scale and mirrored, or
   * reads what {@code dir} (null: none) holds for this unary; stores new entries in {@code dir}.
   */
  public static UnaryLogitsCache build(DpnModel model, Dataset dataset, List<Sample> samples, List<Double> scales,
      Path dir, Progress progress) throws IOException {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no training images");
    }
    checkScales(scales);
    UnaryLogitsCache cache = new UnaryLogitsCache(model, dataset, samples, scales);
    Map<String, String> meta = dir == null ? null : Map.of("format", FORMAT, "unary", fingerprint(model),
        "scales", scales.stream().map(String::valueOf).collect(Collectors.joining(",")));
    if (dir != null) {
      Files.createDirectories(dir);
    }
    int fromDisk = 0;
    for (int i = 0; i < samples.size(); i++) {
      Path file = dir == null ? null : dir.resolve(String.format(Locale.ROOT, "%06d.safetensors", i));
      if (file != null && cache.readImage(i, file, meta)) {
        fromDisk++;
      } else {
        cache.computeImage(i);
        if (file != null) {
          cache.writeImage(i, file, meta);
        }
      }
      progress.imageDone(i + 1, samples.size(), fromDisk);
    }
    return cache;
  }

  /** Positive, finite scales, at least one. */
  static void checkScales(List<Double> scales) {
    if (scales.isEmpty() || scales.stream().anyMatch(s -> !(s > 0) || Double.isInfinite(s))) {
      throw new IllegalArgumentException("the cache's scales must be positive numbers, at least one, got " + scales);
    }
  }

  @Override
  public int size() {
    return plain.length;
  }

  @Override
  public HeadStageRun.Example get(int index) throws IOException {
    LabelledImage pair = scaledImage(index);
    return example(plain[index], pair);
  }

  @Override
  public HeadStageRun.Example getMirrored(int index) throws IOException {
    return example(mirrored[index], Augmentation.flip(scaledImage(index)));
  }

  /** The bytes the cached logits take in memory. */
  public long bytes() {
    long n = 0;
    for (int i = 0; i < plain.length; i++) {
      n += 2L * (plain[i].values.length + mirrored[i].values.length);
    }
    return n;
  }

  private HeadStageRun.Example example(Entry e, LabelledImage pair) {
    Maps p = model.unaryProbabilitiesFromStride8(e.maps(), pair.h(), pair.w());
    return new HeadStageRun.Example(p, pair.image(), pair.labels());
  }

  /** Sample index / scales at scale index % scales, as the unary sees it. */
  private LabelledImage scaledImage(int index) throws IOException {
    int n = scales.size();
    return atScale(dataset.read(samples.get(index / n)), scales.get(index % n));
  }

  /** The photo and labels at the unary's input size ({@link DpnModel#unaryInput}) times {@code s}. */
  private LabelledImage atScale(LabelledImage pair, double s) {
    int side = model.config().input().longSide();
    int longer = Math.max(pair.h(), pair.w());
    LabelledImage work = side == 0 ? pair : Augmentation.scale(pair, (double) side / longer);
    return Augmentation.scale(work, s);
  }

  private void computeImage(int i) throws IOException {
    LabelledImage pair = dataset.read(samples.get(i));
    for (int k = 0; k < scales.size(); k++) {
      Maps image = atScale(pair, scales.get(k)).image();
      plain[i * scales.size() + k] = Entry.of(model.unaryLogitsStride8(image));
      mirrored[i * scales.size() + k] = Entry.of(model.unaryLogitsStride8(Images.mirror(image)));
    }
  }

  private void writeImage(int i, Path file, Map<String, String> meta) throws IOException {
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (int k = 0; k < scales.size(); k++) {
      tensors.add(plain[i * scales.size() + k].tensor("scale" + k));
      tensors.add(mirrored[i * scales.size() + k].tensor("scale" + k + ".mirrored"));
    }
    Safetensors.write(file, tensors, withName(meta, i));
  }

  /** Reads image i's entries from {@code file} if it exists and was made for this unary, sample and scales. */
  private boolean readImage(int i, Path file, Map<String, String> meta) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    Safetensors st = Safetensors.open(file);
    if (!st.metadata().equals(withName(meta, i))) {
      return false;
    }
    for (int k = 0; k < scales.size(); k++) {
      plain[i * scales.size() + k] = Entry.read(st, "scale" + k);
      mirrored[i * scales.size() + k] = Entry.read(st, "scale" + k + ".mirrored");
    }
    return true;
  }

  private Map<String, String> withName(Map<String, String> meta, int i) {
    Map<String, String> m = new TreeMap<>(meta);
    m.put("sample", samples.get(i).name());
    return m;
  }

  /**
   * SHA-256 of what decides the unary's output: architecture, input settings and every unary
   * tensor's shape and values (so a cache made by another unary is not reused).
   */
  static String fingerprint(DpnModel model) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ModelConfig c = model.config();
    md.update((c.architecture() + "/" + c.widthDivisor() + "/" + c.input().longSide() + "/" + c.input().padMultiple()
        + "/" + Arrays.toString(c.input().normalisation().mean()) + Arrays.toString(c.input().normalisation().std()))
        .getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, NamedTensors.Tensor> e : model.tensors().entrySet()) {
      if (!e.getKey().startsWith(DpnModel.UNARY_PREFIX)) {
        continue;
      }
      md.update((e.getKey() + Arrays.toString(e.getValue().shape())).getBytes(StandardCharsets.UTF_8));
      float[] v = e.getValue().values();
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      md.update(b);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
