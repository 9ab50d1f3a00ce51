package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paper's unary network b1-b11 (Table I(b)), VGG16 turned fully convolutional at output stride
 * 8: widths 64, 128, 256, 512, 512; b8 is VGG's conv5 with its 3x3 filters as 5x5 zero-padded ones
 * (dilation 2); b9 is fc6 as 4096 filters 7x7 zero-padded to 25x25 (dilation 4, pad 12); b10 is fc7
 * as 4096 filters 1x1. See {@link VggNetwork} for the layers.
 *
 * <p>Input: RGB normalised as for torchvision's ImageNet models, (x/255 - mean) / std with mean
 * (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225), when the weights come from {@link
 * #loadImageNet}.
 *
 * <p>A width divisor divides every width (64 ... 4096) by one factor, so that tests can build the
 * same network small.
 */
public final class Vgg16Dpn extends VggNetwork {

  private static final int[] VGG16_WIDTHS = {64, 128, 256, 512, 512};
  private static final int FC_WIDTH = 4096;

  /** b9 is fc6's 7x7 filters on every 4th tap: 25 x 25, pad 12. */
  public static final int FC6_KERNEL = 7;

  public static final int FC6_DILATION = 4;

  /**
   * torchvision's vgg16 tensor prefixes and the layers they initialise; classifier.6 (the ImageNet
   * classes) is not used and b11 keeps its random start.
   */
  private static final Map<String, String> TORCHVISION = new LinkedHashMap<>();

  static {
    // features.i counts every layer (conv, relu, pool), so the convolutions sit at these indices.
    String[][] layers = {
      {"features.0", "b1.conv1"}, {"features.2", "b1.conv2"},
      {"features.5", "b3.conv1"}, {"features.7", "b3.conv2"},
      {"features.10", "b5.conv1"}, {"features.12", "b5.conv2"}, {"features.14", "b5.conv3"},
      {"features.17", "b7.conv1"}, {"features.19", "b7.conv2"}, {"features.21", "b7.conv3"},
      {"features.24", "b8.conv1"}, {"features.26", "b8.conv2"}, {"features.28", "b8.conv3"},
      {"classifier.0", "b9"}, {"classifier.3", "b10"}
    };
    for (String[] pair : layers) {
      TORCHVISION.put(pair[0], pair[1]);
    }
  }

  private final int widthDivisor;

  /** The paper's network for {@code numLabels} labels. */
  public Vgg16Dpn(int numLabels) {
    this(numLabels, 1);
  }

  /** The network with every width divided by {@code widthDivisor} (which must divide 64). */
  public Vgg16Dpn(int numLabels, int widthDivisor) {
    super(plan(widthDivisor), numLabels);
    this.widthDivisor = widthDivisor;
  }

  private static Plan plan(int divisor) {
    if (divisor < 1 || VGG16_WIDTHS[0] % divisor != 0) {
      throw new IllegalArgumentException("the width divisor must divide 64 (1, 2, 4, ..., 64), got " + divisor);
    }
    int[] widths = Arrays.stream(VGG16_WIDTHS).map(w -> w / divisor).toArray();
    return new Plan(widths, FC_WIDTH / divisor, FC6_KERNEL, FC6_DILATION);
  }

  public int widthDivisor() {
    return widthDivisor;
  }

  /** The torchvision tensor prefix ("features.24", "classifier.0") of each layer it initialises. */
  public static Map<String, String> torchvisionLayers() {
    return Collections.unmodifiableMap(TORCHVISION);
  }

  /**
   * ImageNet initialisation from torchvision-named vgg16 tensors (at this network's widths): the
   * 13 convolutions go to b1-b8 as they are (b8 then applies them dilated); classifier.0.weight,
   * (fc, w5 * 7 * 7), is reshaped to (fc, w5, 7, 7) for b9 (applied with dilation 4, i.e. as the
   * 25x25 zero-padded filter); classifier.3.weight, (fc, fc), becomes b10's 1x1 filters. Biases
   * are copied. b11 is left as it is. The network must be initialised (shapes known).
   *
   * @throws IllegalArgumentException naming the tensor when one is missing or has the wrong shape
   */
  public void loadImageNet(NamedTensors tensors) {
    for (Map.Entry<String, String> e : TORCHVISION.entrySet()) {
      for (String kind : new String[] {".weight", ".bias"}) {
        Parameter p = namedParameters().get(e.getValue() + kind);
        if (!p.isInitialized()) {
          throw new IllegalStateException("initialize the network before loading weights into it");
        }
        NDArray target = p.getArray();
        String name = e.getKey() + kind;
        long[] expected = torchvisionShape(e.getKey(), target.getShape());
        if (!tensors.names().contains(name)) {
          throw new IllegalArgumentException(
              "tensor " + name + " (for " + e.getValue() + kind + ") is missing; expected shape "
                  + Arrays.toString(expected));
        }
        long[] found = tensors.shape(name);
        if (!Arrays.equals(expected, found)) {
          throw new IllegalArgumentException(
              "tensor " + name + " for " + e.getValue() + kind + ": expected shape " + Arrays.toString(expected)
                  + ", found " + Arrays.toString(found)
                  + (widthDivisor == 1 ? "" : " (network widths divided by " + widthDivisor + ")"));
        }
        target.set(tensors.values(name));
      }
    }
  }

  /** A linear layer's weight is our 4-D filter bank flattened per output (its row-major view). */
  private static long[] torchvisionShape(String layer, Shape ours) {
    if (layer.startsWith("classifier") && ours.dimension() == 4) {
      return new long[] {ours.get(0), ours.size() / ours.get(0)};
    }
    return ours.getShape();
  }

  /**
   * b9's filter in the paper's form: the explicit 25x25 kernel, fc6's 7x7 taps on every 4th tap and
   * zeros between (fc x w5 x 25 x 25; 5.2 GB at full width, so meant for small networks). A
   * convolution with it, pad 12, equals b9's dilated convolution.
   */
  public NDArray b9ZeroPaddedFilter() {
    Parameter w = conv("b9").getParameters().get("weight");
    if (!w.isInitialized()) {
      throw new IllegalStateException("initialize the network first");
    }
    return zeroPadded(w.getArray(), FC6_DILATION);
  }

  /**
   * A dilated filter bank (O x I x k x k) as the equivalent dense one: ((k-1) d + 1) square with the
   * taps on every d-th position and zeros between.
   */
  static NDArray zeroPadded(NDArray filters, int dilation) {
    Shape s = filters.getShape();
    int k = (int) s.get(2);
    int big = (k - 1) * dilation + 1;
    int banks = (int) (s.get(0) * s.get(1));
    float[] src = filters.toFloatArray();
    float[] dst = new float[Math.multiplyExact(banks, big * big)];
    for (int b = 0; b < banks; b++) {
      for (int y = 0; y < k; y++) {
        for (int x = 0; x < k; x++) {
          dst[(b * big + y * dilation) * big + x * dilation] = src[(b * k + y) * k + x];
        }
      }
    }
    return filters.getManager().create(dst, new Shape(s.get(0), s.get(1), big, big));
  }
}
