package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A unary network, the paper's b1-b11: an image to per-pixel label logits (DESIGN.md section 2).
 *
 * <p>Input: N x 3 x H x W float32, normalised RGB (the normalisation belongs to the network's
 * weights: see each subclass). The network computes logits at output stride 8, {@link
 * #logitsStride8} (what training caches while b1-b11 are frozen), and upsamples them bilinearly to
 * the input's size, {@link #logits} (x8 when H and W are multiples of 8); b11's softmax is {@link
 * #probabilities}. As a DJL block, {@code forward} maps {@code NDList(images)} to {@code
 * NDList(logits)} at the input's size.
 */
public abstract class UnaryNetwork extends AbstractBlock {

  /** The stride of {@link #logitsStride8}'s grid on the input. */
  public static final int OUTPUT_STRIDE = 8;

  /** The names {@link #named} accepts, as the command line spells them. */
  public static final List<String> NAMES = List.of("vgg16", "vgg-lite", "mobilenetv2", "deeplabv3-mnv2");

  private final int numLabels;

  /**
   * A fresh network by name: {@code vgg16} ({@link Vgg16Dpn}), {@code vgg-lite}, {@code mobilenetv2},
   * {@code deeplabv3-mnv2} ({@link DeepLabV3}).
   */
  public static UnaryNetwork named(String name, int numLabels) {
    switch (name) {
      case "vgg16":
        return new Vgg16Dpn(numLabels);
      case "vgg-lite":
        return new VggLite(numLabels);
      case "mobilenetv2":
        return new MobileNetV2(numLabels);
      case "deeplabv3-mnv2":
        return new DeepLabV3(numLabels);
      default:
        throw new IllegalArgumentException("unknown unary network '" + name + "'; choose one of " + NAMES);
    }
  }

  protected UnaryNetwork(int numLabels) {
    if (numLabels < 1) {
      throw new IllegalArgumentException("the number of labels must be positive, got " + numLabels);
    }
    this.numLabels = numLabels;
  }

  /** L, the number of labels (b11's maps). */
  public int numLabels() {
    return numLabels;
  }

  /**
   * b1-b11 before the upsampling: N x L x h x w logits with h, w about H/8, W/8 (each subclass says
   * how it rounds).
   */
  public abstract NDArray logitsStride8(ParameterStore ps, NDArray images, boolean training);

  /**
   * Applies one layer (or group of layers) to {@code x}. In inference the layer runs in an
   * NDManager of its own that is closed when it returns, keeping only the result, and {@code x} is
   * freed unless it is the network's input: DJL frees arrays only when their manager closes, so a
   * whole forward pass would otherwise hold every activation at once (a MobileNetV2 at 2048 x 1024
   * peaked at 8.4 GB). In training everything stays for backward.
   */
  protected static NDArray step(NDArray x, NDArray input, boolean training, UnaryOperator<NDArray> layer) {
    if (training) {
      return layer.apply(x);
    }
    NDManager home = x.getManager();
    NDArray y;
    try (NDManager scope = home.newSubManager()) {
      x.tempAttach(scope);
      y = layer.apply(x);
      y.attach(home);
    }
    if (x != input) {
      x.close();
    }
    return y;
  }

  /** Logits at the input's size: {@link #logitsStride8} upsampled bilinearly (b11's "bilinear x8"). */
  public NDArray logits(ParameterStore ps, NDArray images, boolean training) {
    Shape s = checkImages(images);
    return upsampleLogits(logitsStride8(ps, images, training), s.get(2), s.get(3));
  }

  /**
   * How this network brings {@link #logitsStride8} to the input's size: {@link #upsample} (half-pixel
   * centres) unless a network was trained with another rule.
   */
  public NDArray upsampleLogits(NDArray small, long height, long width) {
    return upsample(small, height, width);
  }

  /**
   * Bilinear resize of N x C x h x w maps to {@code height x width}, with half-pixel centres
   * (PyTorch's align_corners=false, as torchvision's segmentation models upsample).
   */
  public static NDArray upsample(NDArray maps, long height, long width) {
    return maps.getNDArrayInternal().interpolation(new long[] {height, width}, 1, false);
  }

  /** b11's softmax over the label axis (axis 1) of N x L x H x W logits. */
  public static NDArray probabilities(NDArray logits) {
    return logits.softmax(1);
  }

  /**
   * Every parameter under a stable, readable name ({@code "b9.weight"}, {@code
   * "block3.depthwise.bias"}), in network order: the names that weight import and export use.
   * Weights are PyTorch's OIHW layout.
   */
  public abstract Map<String, Parameter> namedParameters();

  /** The number of scalar parameters (the shapes must be known: after {@code initialize}). */
  public long parameterCount() {
    long n = 0;
    for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
      Shape shape = e.getValue().getShape();
      if (shape == null) {
        throw new IllegalStateException("parameter " + e.getKey() + " has no shape yet: initialize the network first");
      }
      n += shape.size();
    }
    return n;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(logits(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), numLabels, in.get(2), in.get(3))};
  }

  /** Checks that {@code images} is N x 3 x H x W and returns its shape. */
  protected static Shape checkImages(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4 || s.get(1) != 3) {
      throw new IllegalArgumentException("images must be N x 3 x H x W (NCHW, RGB), got " + s);
    }
    return s;
  }
}
