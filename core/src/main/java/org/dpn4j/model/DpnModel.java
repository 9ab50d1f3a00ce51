package org.dpn4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.head.Window;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.unary.NamedTensors;
import org.dpn4j.unary.UnaryNetwork;

/**
 * A whole Deep Parsing Network: a unary network (b1-b11) and the DPN head (b12-b15) with their
 * weights and configuration, stored as docs/MODEL_FORMAT.md describes.
 *
 * <pre>{@code
 * try (DpnModel model = DpnModel.pretrained("camvid")) {     // or DpnModel.load(Path.of("my-model"))
 *   Segmentation s = model.segment(Path.of("street.png"));
 *   LabelMaps.writePng(s.labelImage(), Path.of("street_labels.png"));
 * }
 * }</pre>
 *
 * The unary's parameters live in engine memory owned by the model: close it when done.
 *
 * <p><b>Threads.</b> A model is <em>not</em> safe to share between threads: calls on one instance
 * must not overlap ({@link #segment} and the other inference methods update caches of the head
 * without locks, e.g. b13's FFT plans per image size in a plain map, and the training methods
 * change the weights in place). Give each thread its own model (a pool; each costs the weights'
 * memory, 15 MB for camvid) or serialise the calls (synchronize on the model). A single call
 * already uses several cores: the head's kernels run on {@link org.dpn4j.util.Parallel}'s pool
 * and the unary on the engine's threads.
 */
public final class DpnModel implements AutoCloseable {

  /** The prefix of the unary's tensors in the weights file ({@code unary.b9.weight}). */
  public static final String UNARY_PREFIX = "unary.";

  private ModelConfig config;
  private final NDManager manager;
  private final UnaryNetwork unary;
  private final ParameterStore store;
  private DpnHead head;
  private DpnHead3d temporalHead;

  private DpnModel(ModelConfig config) {
    this.config = config;
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    try {
      this.unary = config.newUnary();
      // Any size will do: the parameters' shapes do not depend on it.
      unary.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.store = new ParameterStore(manager, false);
    this.head = HeadTensors.initial(config);
    this.temporalHead = HeadTensors.initialTemporal(config);
  }

  /**
   * A new model: the unary with its random initialisation (the engine's random seed decides it),
   * the head at its initial values (w_rgb = w_xy = 1, b13 identity contexts). ImageNet weights can then be
   * loaded into {@link #unary()}.
   */
  public static DpnModel create(ModelConfig config) {
    return new DpnModel(config);
  }

  /**
   * Loads the model called {@code name}: {@code "camvid"} (11 CamVid street classes) or {@code "voc"}
   * (21 PASCAL VOC classes), from the {@code org.dpn4j:dpn4j-models} jar on the class path, a
   * folder named by the environment variable {@code DPN_MODELS}, or a dpn4j checkout
   * ({@link Models#resolve}: an existing directory or zip of that name wins).
   *
   * @throws IOException when there is no such model (the message says where it was looked for) or
   *     it cannot be read
   */
  public static DpnModel pretrained(String name) throws IOException {
    return load(Models.resolve(name));
  }

  /**
   * Loads a model directory or zip. Every problem (a missing or extra tensor, a wrong shape, a
   * label count that differs from the configuration's, a truncated weights file, bad JSON, an
   * unknown architecture) is a {@link ModelFileException} naming the file.
   */
  public static DpnModel load(Path source) throws IOException {
    // The configuration decides the network; the network's parameters give the expected shapes.
    DpnModel[] made = new DpnModel[1];
    try {
      ModelFiles.Content content = ModelFiles.read(source, config -> (made[0] = new DpnModel(config)).shapes());
      DpnModel model = made[0];
      for (Map.Entry<String, Parameter> e : model.unary.namedParameters().entrySet()) {
        e.getValue().getArray().set(content.tensors().get(UNARY_PREFIX + e.getKey()).values());
      }
      HeadTensors.load(model.head, model.temporalHead, content.tensors());
      return model;
    } catch (IOException | RuntimeException e) {
      if (made[0] != null) {
        made[0].close();
      }
      throw e;
    }
  }

  /** Saves the model as a directory, or as a zip when {@code target}'s name ends in {@code .zip}. */
  public void save(Path target) throws IOException {
    ModelFiles.write(target, new ModelFiles.Content(config, tensors()));
  }

  /** Every tensor of the model by its name in the weights file, copied out of the engine. */
  public Map<String, NamedTensors.Tensor> tensors() {
    Map<String, NamedTensors.Tensor> t = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : unary.namedParameters().entrySet()) {
      NDArray a = e.getValue().getArray();
      t.put(UNARY_PREFIX + e.getKey(), new NamedTensors.Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
    t.putAll(HeadTensors.of(head, temporalHead, config));
    return t;
  }

  /** The shape of every tensor of this model, by name. */
  private Map<String, long[]> shapes() {
    Map<String, long[]> s = new LinkedHashMap<>();
    unary.namedParameters().forEach((n, p) -> s.put(UNARY_PREFIX + n, p.getArray().getShape().getShape()));
    s.putAll(HeadTensors.shapes(config));
    return s;
  }

  public ModelConfig config() {
    return config;
  }

  /**
   * Records how far the head is trained ({@link ModelConfig#withTrained}), after training it in
   * place; nothing else of the configuration can change, so the weights still fit it.
   */
  public void setTrained(String trained, String lastStage) {
    config = config.withTrained(trained, lastStage);
  }

  /** The unary network (b1-b11), initialised; its parameters are the model's. */
  public UnaryNetwork unary() {
    return unary;
  }

  /** The DPN head, b12-b15; its layers' weight arrays are the model's (live). */
  public DpnHead head() {
    return head;
  }

  /**
   * The spatio-temporal head (DESIGN.md "Spatio-temporal DPN") when the model carries one
   * ({@code head.temporal} in its configuration), else null; its layers' weight arrays are the
   * model's (live).
   */
  public DpnHead3d temporalHead() {
    return temporalHead;
  }

  /**
   * Gives the model the spatio-temporal head {@code h} (null removes it): the configuration then
   * records its b13 size as {@code head.temporal}. Its b12 must have the 2D b12's options (window,
   * per-label weights) and its b13 the 2D b13's K, since the format stores only their weights.
   */
  public void setTemporalHead(DpnHead3d h) {
    if (h != null) {
      if (!h.b12().b12().options().equals(head.b12().options()) || h.b13().components() != head.b13().components()
          || h.b13().labels() != head.labels()) {
        throw new IllegalArgumentException("the spatio-temporal head's b12 options, labels or K differ from the 2D head's");
      }
    }
    temporalHead = h;
    config = config.withTemporal(h == null ? null : new ModelConfig.Temporal(h.b13().size()));
  }

  /**
   * Overrides b12's window (a {@code --window}, DESIGN.md section 1): the 2D head, the spatio-temporal
   * head and the configuration take {@code window}, with the same weights (live, shared with the heads
   * returned before). Affects this loaded model only, and what {@link #save} writes.
   */
  public void setWindow(Window window) {
    config = config.withWindow(window);
    head = head.withWindow(window);
    if (temporalHead != null) {
      temporalHead = temporalHead.withWindow(window);
    }
  }

  /**
   * Overrides {@code input.longSide} (a {@code --long-side}): {@link #unaryInput} resizes images so
   * that their longer side is {@code longSide}, 0 keeps their size. Affects this loaded model only,
   * and what {@link #save} writes.
   */
  public void setLongSide(int longSide) {
    config = config.withLongSide(longSide);
  }

  /** {@link #segment(BufferedImage, boolean)} with the head. */
  public Segmentation segment(BufferedImage image) {
    return segment(image, true);
  }

  /** Reads an image file (a clear error names an unreadable one) and segments it with the head. */
  public Segmentation segment(Path image) throws IOException {
    return segment(Images.read(image));
  }

  /**
   * Segments an image of any size; grey-scale and palette images are read as RGB, alpha is
   * dropped. The image is resized and padded as {@link ModelConfig.Input} says, the unary gives
   * logits on the (resized) image, and with {@code withHead} b12-b15 refine its probabilities
   * there; the probabilities are then resized bilinearly to the image's size.
   */
  public Segmentation segment(BufferedImage image, boolean withHead) {
    Maps rgb = Images.toRgb(image);
    Maps work = unaryInput(rgb);
    Maps probabilities = unaryProbabilities(work);
    if (withHead) {
      probabilities = head.refine(probabilities, work);
    }
    return atImageSize(rgb, work, probabilities);
  }

  /**
   * The segmentation of {@code rgb} given by {@code probabilities} computed on {@code work} (its
   * {@link #unaryInput}): resized bilinearly to the image's size when the two differ.
   */
  public Segmentation atImageSize(Maps rgb, Maps work, Maps probabilities) {
    Maps p = work == rgb ? probabilities : Images.resizeBilinear(probabilities, rgb.h, rgb.w);
    return new Segmentation(rgb, p, config.labels());
  }

  /**
   * The image (3 x H x W, RGB in [0, 1]) at the size the unary sees: resized bilinearly so that
   * its longer side is {@code input.longSide}, or the image itself when that is 0 or already so.
   * {@link #segment} runs the unary and the head at this size.
   */
  public Maps unaryInput(Maps rgb) {
    int side = config.input().longSide();
    int longer = Math.max(rgb.h, rgb.w);
    if (side == 0 || side == longer) {
      return rgb;
    }
    double s = (double) side / longer;
    return Images.resizeBilinear(rgb, Math.max(1, (int) Math.round(rgb.h * s)), Math.max(1, (int) Math.round(rgb.w * s)));
  }

  /**
   * The unary's probabilities p = softmax(b11), L x h x w, on {@code rgb} (3 x h x w, RGB in
   * [0, 1]) as given: normalised and padded as {@code input} says, the padding cut off again, no
   * resizing ({@link #unaryInput} does that). The head refines them with
   * {@code head().refine(p, rgb)}.
   */
  public Maps unaryProbabilities(Maps rgb) {
    try (NDManager m = manager.newSubManager()) {
      return toMaps(unaryLogits(m, rgb).softmax(0), rgb);
    }
  }

  /**
   * b11's logits before the x8 upsampling (b1-b11 in evaluation mode), L x h8 x w8, on {@code rgb}
   * normalised and padded as {@link #unaryProbabilities} does: what the head stages cache
   * (DESIGN.md section 1 "Training"). {@link #unaryProbabilitiesFromStride8} turns them into the
   * probabilities {@link #unaryProbabilities} gives on the same image.
   */
  public Maps unaryLogitsStride8(Maps rgb) {
    try (NDManager m = manager.newSubManager()) {
      NDArray logits = unary.logitsStride8(store, paddedInput(m, rgb), false);
      Shape s = logits.getShape();
      return new Maps((int) s.get(1), (int) s.get(2), (int) s.get(3), logits.toFloatArray());
    }
  }

  /**
   * p = softmax(b11) on an h x w image from its {@link #unaryLogitsStride8}: the same bilinear x8
   * upsampling to the padded size as the unary's own, the padding cut off, the softmax.
   */
  public Maps unaryProbabilitiesFromStride8(Maps logits8, int h, int w) {
    try (NDManager m = manager.newSubManager()) {
      NDArray small = m.create(logits8.data, new Shape(1, logits8.c, logits8.h, logits8.w));
      NDArray logits = unary.upsampleLogits(small, padded(h), padded(w));
      return new Maps(config.numLabels(), h, w,
          logits.get(new NDIndex("0, :, :{}, :{}", h, w)).softmax(0).toFloatArray());
    }
  }

  /** b1-b11 on the normalised, padded image; L x h x w logits with the padding cut off. */
  private NDArray unaryLogits(NDManager m, Maps rgb) {
    NDArray logits = unary.logits(store, paddedInput(m, rgb), false);
    return logits.get(new NDIndex("0, :, :{}, :{}", rgb.h, rgb.w));
  }

  /** The normalised image padded at the bottom and right to the input's multiple, 1 x 3 x hp x wp. */
  private NDArray paddedInput(NDManager m, Maps rgb) {
    int hp = padded(rgb.h);
    int wp = padded(rgb.w);
    Maps normalised = config.input().normalisation().apply(rgb);
    // Zeros after normalisation: the padding has the mean colour.
    float[] x = new float[3 * hp * wp];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < rgb.h; y++) {
        System.arraycopy(normalised.data, normalised.offset(c) + y * rgb.w, x, (c * hp + y) * wp, rgb.w);
      }
    }
    return m.create(x, new Shape(1, 3, hp, wp));
  }

  private int padded(int size) {
    int pad = config.input().padMultiple();
    return (size + pad - 1) / pad * pad;
  }

  private Maps toMaps(NDArray maps, Maps like) {
    return new Maps(config.numLabels(), like.h, like.w, maps.toFloatArray());
  }

  @Override
  public void close() {
    manager.close();
  }
}
