package org.dpn4j.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.Normalisation;
import org.dpn4j.head.HeadSpec;
import org.dpn4j.io.StrictJson;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.Window;
import org.dpn4j.unary.UnaryNetwork;
import org.dpn4j.unary.Vgg16Dpn;

/**
 * A DPN model's {@code config.json} (docs/MODEL_FORMAT.md): the unary architecture, the labels,
 * the input normalisation and resizing, the head's settings ({@link HeadSpec}: b12's window, b13's
 * size and K; per-label b12 weights) and how far the head is trained.
 *
 * @param architecture one of {@link #ARCHITECTURES}
 * @param widthDivisor {@code vgg16-dpn} only: every width divided by this (1 = the paper's network)
 * @param labels the classes, their colours and the ignore value
 * @param input how an image becomes the unary's input
 * @param head b12's window (and kernel: a model's is linear), b13's size and K
 * @param perLabelWeights b12's weights per label (vectors of length L) instead of one pair
 * @param trained {@code unary} (head at its initial values), {@code triple} or {@code full}
 * @param lastStage for {@code full}: the last training stage, one of {@link #FULL_STAGES}; else null
 * @param temporal the spatio-temporal head's sizes when the model carries one (docs/MODEL_FORMAT.md,
 *     {@code head.temporal}); null for a 2D-only model
 */
public record ModelConfig(
    String architecture,
    int widthDivisor,
    LabelSet labels,
    Input input,
    HeadSpec head,
    boolean perLabelWeights,
    String trained,
    String lastStage,
    Temporal temporal) {

  /** The version written and the only one read. */
  public static final int FORMAT_VERSION = 1;
  /** The value of the {@code "format"} key. */
  public static final String FORMAT = "dpn4j-model";

  public static final List<String> ARCHITECTURES = List.of("vgg16-dpn", "vgg-lite", "mobilenetv2", "deeplabv3-mnv2");
  /** The input size of TF's DeepLabV3 MobileNetV2 files (their crop size), the default longer side. */
  public static final int DEEPLAB_SIDE = 513;
  public static final List<String> TRAINED = List.of("unary", "triple", "full");
  /** The stages after which a head counts as {@code full} (DESIGN.md section 1, training). */
  public static final List<String> FULL_STAGES = List.of("contexts", "finetune", "joint");

  /**
   * Input to the unary: the image is resized so that its longer side is {@code longSide} (0: kept
   * at its size), normalised per channel, x = (rgb - mean) / std with rgb in [0, 1], and padded at
   * the bottom and right with zeros (the mean colour) to a multiple of {@code padMultiple}; the
   * padding is cut off the logits again.
   */
  public record Input(Normalisation normalisation, int longSide, int padMultiple) {
    public Input {
      if (longSide < 0 || padMultiple < 1) {
        throw new IllegalArgumentException("input.longSide must be >= 0 and input.padMultiple >= 1");
      }
    }

    /**
     * torchvision's ImageNet statistics for the VGG networks; for MobileNetV2 the TFLite file's
     * input quantisation, x/128 - 1 for x in 0..255, i.e. mean = std = 128/255. DeepLabV3 takes
     * photos at its training crop's size (longer side 513) and needs no padding (SAME convolutions,
     * logits upsampled with aligned corners), as TensorFlow ran it.
     */
    public static Input defaultFor(String architecture) {
      float half = 128f / 255f;
      Normalisation tfLite = new Normalisation(new float[] {half, half, half}, new float[] {half, half, half});
      if (architecture.equals("mobilenetv2")) {
        return new Input(tfLite, 0, 8);
      }
      if (architecture.equals("deeplabv3-mnv2")) {
        return new Input(tfLite, DEEPLAB_SIDE, 1);
      }
      return new Input(Normalisation.IMAGENET, 0, 8);
    }
  }

  /**
   * The spatio-temporal head (DESIGN.md section 1, "Spatio-temporal DPN"): its 3D b13 is
   * {@code contextSize} x {@code contextSize} x 3 with the 2D b13's K; its b12 has the 2D b12's
   * window and its own weights.
   */
  public record Temporal(int contextSize) {
    public Temporal {
      if (contextSize < 1) {
        throw new IllegalArgumentException("head.temporal.contextSize must be positive, got " + contextSize);
      }
    }
  }

  /** A model without a spatio-temporal head. */
  public ModelConfig(String architecture, int widthDivisor, LabelSet labels, Input input, HeadSpec head,
      boolean perLabelWeights, String trained, String lastStage) {
    this(architecture, widthDivisor, labels, input, head, perLabelWeights, trained, lastStage, null);
  }

  public ModelConfig {
    if (!ARCHITECTURES.contains(architecture)) {
      throw new IllegalArgumentException(
          "unknown architecture '" + architecture + "'; known: " + String.join(", ", ARCHITECTURES));
    }
    if (widthDivisor != 1 && !(architecture.equals("vgg16-dpn") && widthDivisor > 0 && 64 % widthDivisor == 0)) {
      throw new IllegalArgumentException(
          "widthDivisor " + widthDivisor + ": only vgg16-dpn takes one, and it must divide 64");
    }
    Objects.requireNonNull(head, "head");
    if (head.kernel() != TriplePenalty.Kernel.LINEAR) {
      throw new IllegalArgumentException("a model's b12 uses the linear kernel (its weights are w_rgb and w_xy), got "
          + head.kernel());
    }
    if (!TRAINED.contains(trained)) {
      throw new IllegalArgumentException("head.trained must be one of " + TRAINED + ", got '" + trained + "'");
    }
    if (trained.equals("full") != (lastStage != null)) {
      throw new IllegalArgumentException("head.lastStage is required with trained = full and only then");
    }
    if (lastStage != null && !FULL_STAGES.contains(lastStage)) {
      throw new IllegalArgumentException("head.lastStage must be one of " + FULL_STAGES + ", got '" + lastStage + "'");
    }
  }

  /** A new model's configuration: {@link HeadSpec#DEFAULT} (m = 50 at 512, b13 9 x 9 with K = 5), head untrained. */
  public static ModelConfig defaults(String architecture, LabelSet labels) {
    return new ModelConfig(architecture, 1, labels, Input.defaultFor(architecture), HeadSpec.DEFAULT, false,
        "unary", null);
  }

  public ModelConfig withWidthDivisor(int d) {
    return new ModelConfig(architecture, d, labels, input, head, perLabelWeights, trained, lastStage, temporal);
  }

  /** The same model with its head trained as far as {@code trained} ({@code lastStage} for {@code full}). */
  public ModelConfig withTrained(String trained, String lastStage) {
    return new ModelConfig(architecture, widthDivisor, labels, input, head, perLabelWeights, trained, lastStage, temporal);
  }

  /**
   * The same model with b12's window {@code window} (a {@code --window} override): the weights fit any
   * window.
   */
  public ModelConfig withWindow(Window window) {
    return new ModelConfig(architecture, widthDivisor, labels, input, head.withWindow(window), perLabelWeights,
        trained, lastStage, temporal);
  }

  /**
   * The same model with its unary seeing images whose longer side is {@code longSide} (0: the image's
   * own size; a {@code --long-side} override). A size is a test-time choice: the weights fit any.
   */
  public ModelConfig withLongSide(int longSide) {
    Input in = new Input(input.normalisation(), longSide, input.padMultiple());
    return new ModelConfig(architecture, widthDivisor, labels, in, head, perLabelWeights, trained, lastStage, temporal);
  }

  /** The same model with a spatio-temporal head of these sizes (null: without one). */
  public ModelConfig withTemporal(Temporal temporal) {
    return new ModelConfig(architecture, widthDivisor, labels, input, head, perLabelWeights, trained, lastStage, temporal);
  }

  /** L, the number of labels. */
  public int numLabels() {
    return labels.size();
  }

  /** A fresh, uninitialised unary network of this architecture and label count. */
  public UnaryNetwork newUnary() {
    return architecture.equals("vgg16-dpn")
        ? new Vgg16Dpn(numLabels(), widthDivisor)
        : UnaryNetwork.named(architecture, numLabels());
  }

  // ---- JSON ----

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The JSON form, pretty-printed. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    ObjectNode unary = root.putObject("unary");
    unary.put("architecture", architecture);
    if (widthDivisor != 1) {
      unary.put("widthDivisor", widthDivisor);
    }
    try {
      root.set("labels", JSON.readTree(labels.toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode in = root.putObject("input");
    floats(in.putArray("mean"), input.normalisation().mean());
    floats(in.putArray("std"), input.normalisation().std());
    in.put("longSide", input.longSide);
    in.put("padMultiple", input.padMultiple);
    ObjectNode headn = root.putObject("head");
    ObjectNode b12n = headn.putObject("b12");
    b12n.put("window", head.window().spec());
    b12n.put("perLabelWeights", perLabelWeights);
    ObjectNode b13n = headn.putObject("b13");
    b13n.put("size", head.size());
    b13n.put("components", head.components());
    headn.put("trained", trained);
    if (lastStage != null) {
      headn.put("lastStage", lastStage);
    }
    if (temporal != null) {
      headn.putObject("temporal").put("contextSize", temporal.contextSize);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses the JSON form. Unknown keys, missing keys and wrong types are errors naming the key
   * ({@link IllegalArgumentException}); optional keys: {@code unary.widthDivisor} (1),
   * {@code input.longSide} (0), {@code input.padMultiple} (8), {@code head.lastStage}, {@code head.temporal}.
   */
  public static ModelConfig fromJson(String text) {
    try {
      return fromJson(StrictJson.of(StrictJson.parse(text), StrictJson.Quote.DOUBLE));
    } catch (StrictJson.Invalid e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static ModelConfig fromJson(StrictJson.Obj r) throws StrictJson.Invalid {
    r.only("format", "formatVersion", "unary", "labels", "input", "head");
    if (!FORMAT.equals(r.string("format"))) {
      throw new IllegalArgumentException("\"format\" must be \"" + FORMAT + "\"");
    }
    int version = r.int32("formatVersion");
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException("format version " + version + " is not supported (this is version "
          + FORMAT_VERSION + ")");
    }
    StrictJson.Obj unary = r.object("unary").only("architecture", "widthDivisor");
    LabelSet labels;
    try {
      labels = LabelSet.fromJson(r.get("labels").toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("labels: " + e.getMessage(), e);
    }
    StrictJson.Obj in = r.object("input").only("mean", "std", "longSide", "padMultiple");
    StrictJson.Obj head = r.object("head").only("b12", "b13", "trained", "lastStage", "temporal");
    StrictJson.Obj b12 = head.object("b12").only("window", "referenceSize", "perLabelWeights");
    StrictJson.Obj b13 = head.object("b13").only("size", "components");
    return new ModelConfig(
        unary.string("architecture"),
        unary.has("widthDivisor") ? unary.int32("widthDivisor") : 1,
        labels,
        new Input(normalisation(in), in.has("longSide") ? in.int32("longSide") : 0,
            in.has("padMultiple") ? in.int32("padMultiple") : 8),
        new HeadSpec(window(b12), TriplePenalty.Kernel.LINEAR, b13.int32("size"), b13.int32("components")),
        b12.bool("perLabelWeights"),
        head.string("trained"),
        head.has("lastStage") ? head.string("lastStage") : null,
        head.has("temporal") ? new Temporal(head.object("temporal").only("contextSize").int32("contextSize")) : null);
  }

  /**
   * {@code head.b12.window}: the written form of {@link Window#parse} ({@code "50@512"}, {@code "47"},
   * {@code "6x9"}, {@code "all"}); or, as files written before it, an integer m with
   * {@code referenceSize} S, which means m at S ({@code "m@S"}).
   */
  private static Window window(StrictJson.Obj b12) throws StrictJson.Invalid {
    JsonNode w = b12.get("window");
    if (!w.isTextual()) {
      return Window.scaled(positive(b12, "window"), positive(b12, "referenceSize"));
    }
    if (b12.node().has("referenceSize")) {
      throw new IllegalArgumentException("\"head.b12.referenceSize\" goes only with an integer window (the older form);"
          + " with a written window give the size in it, e.g. \"50@512\"");
    }
    try {
      return Window.parse(w.textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"head.b12.window\": " + e.getMessage(), e);
    }
  }

  private static int positive(StrictJson.Obj o, String k) throws StrictJson.Invalid {
    int v = o.int32(k);
    if (v < 1) {
      throw new IllegalArgumentException("head.b12.window and head.b12.referenceSize must be positive");
    }
    return v;
  }

  private static Normalisation normalisation(StrictJson.Obj in) throws StrictJson.Invalid {
    try {
      return new Normalisation(floats(in.numbers("mean")), floats(in.numbers("std")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("input: " + e.getMessage(), e);
    }
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static void floats(ArrayNode a, float[] v) {
    for (float f : v) {
      a.add(f);
    }
  }
}
