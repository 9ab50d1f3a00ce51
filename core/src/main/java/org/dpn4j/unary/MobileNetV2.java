package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.io.WeightFileException;

/**
 * MobileNetV2 1.0 (Sandler et al. 2018, Table 2) with batch norm folded into the convolutions, as
 * in the TFLite ImageNet file: every convolution has a bias, activations are ReLU6, and all
 * convolutions use TensorFlow's SAME padding ({@link SamePadding}; stride 2 pads bottom/right
 * more).
 *
 * <pre>
 * stem        conv 3x3/2, 3 -> 32, relu6
 * block0..16  inverted residuals (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2)
 *             (6,96,3,1) (6,160,3,2) (6,320,1,1): expand 1x1 to t*in + relu6 (absent when t = 1),
 *             depthwise 3x3/s + relu6, project 1x1 to c (linear), + input when s = 1 and in = c
 * head1280    conv 1x1, 320 -> 1280, relu6
 * classifier  global average pool, conv 1x1 1280 -> 1001 (ImageNet + background)  [output stride 32]
 * seg         conv 1x1 from the 320 maps to L, bilinear x8                       [output stride 8]
 * </pre>
 *
 * One set of weights serves both heads; only the geometry changes. For output stride 8 DeepLab's
 * rule applies ({@link #geometry}): once the stride so far reaches 8, a layer's stride becomes 1,
 * the layer keeps the dilation reached so far and the later layers' dilation is multiplied by the
 * dropped stride. So block6 (first of the 64 stage) runs at stride 1, dilation 1; blocks 7-12 at
 * dilation 2; block13 (first of the 160 stage) at stride 1, dilation 2; blocks 14-16 at dilation 4.
 *
 * <p>Parameter names (see {@link #namedParameters}) follow the TFLite graph: {@code stem} is
 * Conv, {@code block0} is expanded_conv, {@code block{i}} is expanded_conv_{i} with {@code
 * expand}, {@code depthwise}, {@code project}; {@code head1280} is Conv_1, {@code classifier} is
 * Logits/Conv2d_1c_1x1. Each has {@code .weight} (PyTorch OIHW; depthwise C x 1 x 3 x 3) and {@code
 * .bias}. Input: RGB scaled to [-1, 1] as the TFLite file's input quantisation says: (x - 128) / 128
 * for x in 0..255.
 */
public final class MobileNetV2 extends UnaryNetwork {

  /** ImageNet's 1000 classes and TF's background class 0. */
  public static final int IMAGENET_CLASSES = 1001;

  private static final int[][] STAGES = {
    {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
  };
  private static final int STEM_WIDTH = 32;
  /** The number of maps {@link #features} gives. */
  public static final int FEATURE_WIDTH = 320;
  private static final int HEAD_WIDTH = 1280;

  private final Map<String, Parameter> named = new LinkedHashMap<>();
  /** Every convolution in graph order (the TFLite file's order), seg last (when present). */
  private final List<FoldedConv> convs = new ArrayList<>();
  private final FoldedConv stem;
  private final List<InvertedResidual> blocks = new ArrayList<>();
  private final FoldedConv head1280;
  private final FoldedConv classifier;
  private final FoldedConv seg;
  /** How many of {@link #convs} are the backbone's (stem and blocks). */
  private final int backboneConvs;

  /** The whole network: backbone, ImageNet classifier and a segmentation head of {@code numLabels}. */
  public MobileNetV2(int numLabels) {
    this(numLabels, true);
  }

  private MobileNetV2(int numLabels, boolean heads) {
    super(numLabels);
    stem = conv("stem", 3, STEM_WIDTH, 3, 1, 2, true);
    int in = STEM_WIDTH;
    for (int[] stage : STAGES) {
      for (int r = 0; r < stage[2]; r++) {
        blocks.add(new InvertedResidual(blocks.size(), in, stage[1], stage[0], r == 0 ? stage[3] : 1));
        in = stage[1];
      }
    }
    backboneConvs = convs.size();
    head1280 = heads ? conv("head1280", FEATURE_WIDTH, HEAD_WIDTH, 1, 1, 1, true) : null;
    classifier = heads ? conv("classifier", HEAD_WIDTH, IMAGENET_CLASSES, 1, 1, 1, false) : null;
    seg = heads ? conv("seg", FEATURE_WIDTH, numLabels, 1, 1, 1, false) : null;
    setInitializer(
        new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
    if (heads) {
      classifier.weight().setInitializer(new NormalInitializer(0.01f));
      seg.weight().setInitializer(new NormalInitializer(0.01f));
    }
  }

  /**
   * The backbone alone (stem and blocks 0-16, {@link #FEATURE_WIDTH} maps out of {@link #features}),
   * without head1280, the classifier or a segmentation head: what networks built on MobileNetV2
   * ({@link DeepLabV3}) contain. Its {@link #logitsStride8} and {@link #classify} refuse to run.
   */
  public static MobileNetV2 backbone() {
    return new MobileNetV2(1, false);
  }

  /** The segmentation head at output stride 8: ceil(H/8) x ceil(W/8) logits (SAME rounds up). */
  @Override
  public NDArray logitsStride8(ParameterStore ps, NDArray images, boolean training) {
    requireHeads();
    return seg.apply(ps, features(ps, images, OUTPUT_STRIDE, training), 1, 1, training);
  }

  /** The ImageNet classifier, N x 1001 logits (class 0 is background), at output stride 32. */
  public NDArray classify(ParameterStore ps, NDArray images, boolean training) {
    requireHeads();
    NDArray h = head1280.apply(ps, features(ps, images, 32, training), 1, 1, training);
    // The PyTorch engine's mean takes one axis at a time.
    NDArray pooled = h.mean(new int[] {3}, true).mean(new int[] {2}, true);
    NDArray logits = classifier.apply(ps, pooled, 1, 1, training);
    return logits.reshape(logits.getShape().get(0), IMAGENET_CLASSES);
  }

  private void requireHeads() {
    if (seg == null) {
      throw new IllegalStateException("a backbone-only MobileNetV2 has no classifier or segmentation head");
    }
  }

  /** The 320 maps after block16 at output stride 8, 16 or 32. */
  public NDArray features(ParameterStore ps, NDArray images, int outputStride, boolean training) {
    checkImages(images);
    int[][] g = geometry(outputStride);
    NDArray h = step(images, images, training, x -> stem.apply(ps, x, g[0][0], g[0][1], training));
    for (int i = 0; i < blocks.size(); i++) {
      int[] gi = g[i + 1];
      InvertedResidual block = blocks.get(i);
      h = step(h, images, training, x -> block.apply(ps, x, gi[0], gi[1], training));
    }
    return h;
  }

  /**
   * {stride, dilation} of the stem (row 0) and of block i's depthwise convolution (row i + 1) for
   * an output stride of 8, 16 or 32 (DeepLab's rule, as in TF-slim's mobilenet_base).
   */
  int[][] geometry(int outputStride) {
    if (outputStride != 8 && outputStride != 16 && outputStride != 32) {
      throw new IllegalArgumentException("output stride must be 8, 16 or 32, got " + outputStride);
    }
    int[] strides = new int[1 + blocks.size()];
    strides[0] = stem.stride();
    for (int i = 0; i < blocks.size(); i++) {
      strides[i + 1] = blocks.get(i).depthwise.stride();
    }
    int[][] g = new int[strides.length][];
    int current = 1;
    int rate = 1;
    for (int l = 0; l < strides.length; l++) {
      if (current == outputStride) {
        g[l] = new int[] {1, rate};
        rate *= strides[l];
      } else {
        g[l] = new int[] {strides[l], 1};
        current *= strides[l];
      }
    }
    return g;
  }

  @Override
  public Map<String, Parameter> namedParameters() {
    return Collections.unmodifiableMap(named);
  }

  /**
   * Loads TF's MobileNetV2 1.0 ImageNet weights from a TFLite file, float or quantised (the int32
   * biases carry scale = input scale * weight scale in the file). The file's CONV_2D and
   * DEPTHWISE_CONV_2D operators, in execution order, are stem, block0.depthwise, block0.project,
   * block1.expand, ..., head1280, classifier; each is checked ({@link FoldedConv#importFrom}) before
   * its weights are taken. {@code seg} is left as it is. The network must be initialised.
   *
   * @throws WeightFileException naming the operator and tensor where the file does not match
   */
  public void loadTfLite(TfLiteModel model) throws IOException {
    requireHeads();
    List<TfLiteModel.Operator> ops = convolutions(model);
    List<FoldedConv> targets = convs.subList(0, convs.indexOf(seg));
    if (ops.size() != targets.size()) {
      throw new WeightFileException(
          model.path(), ops.size() + " convolutions, MobileNetV2 1.0 has " + targets.size() + " (and no seg head)");
    }
    List<TfLiteModel.Operator> rest = loadTfLiteBackbone(model);
    head1280.importFrom(model, rest.get(0), 1, 1);
    classifier.importFrom(model, rest.get(1), 1, 1);
  }

  /**
   * Loads the backbone (stem and blocks 0-16) from any TFLite file built on MobileNetV2 1.0: the
   * ImageNet classifier, or a segmentation network such as DeepLabV3 (whose backbone runs at output
   * stride 16, its last blocks dilated). The first 52 convolutions of the file are taken in
   * execution order; the file's output stride is the product of their strides and every stride
   * and dilation is checked against {@link #geometry} at that stride. head1280, classifier and seg
   * are left as they are. Returns the file's convolutions after the backbone, in order.
   *
   * @throws WeightFileException naming the operator and tensor where the file does not match
   */
  public List<TfLiteModel.Operator> loadTfLiteBackbone(TfLiteModel model) throws IOException {
    List<TfLiteModel.Operator> ops = convolutions(model);
    List<FoldedConv> targets = convs.subList(0, backboneConvs);
    if (ops.size() < targets.size()) {
      throw new WeightFileException(
          model.path(), ops.size() + " convolutions, a MobileNetV2 1.0 backbone alone has " + targets.size());
    }
    int outputStride = 1;
    for (int i = 0; i < targets.size(); i++) {
      outputStride *= ops.get(i).strideH();
    }
    if (outputStride != 8 && outputStride != 16 && outputStride != 32) {
      throw new WeightFileException(
          model.path(), "the backbone's strides multiply to " + outputStride + ": not a MobileNetV2 at output stride 8, 16 or 32");
    }
    int[][] g = geometry(outputStride);
    int block = 0;
    for (int i = 0; i < targets.size(); i++) {
      FoldedConv c = targets.get(i);
      boolean spatial = c == stem || c.depthwise();
      int[] sd = spatial ? g[c == stem ? 0 : 1 + block++] : new int[] {1, 1};
      c.importFrom(model, ops.get(i), sd[0], sd[1]);
    }
    return ops.subList(targets.size(), ops.size());
  }

  /** The file's CONV_2D and DEPTHWISE_CONV_2D operators in execution order. */
  static List<TfLiteModel.Operator> convolutions(TfLiteModel model) {
    return model.operators().stream()
        .filter(op -> op.name().equals("CONV_2D") || op.name().equals("DEPTHWISE_CONV_2D"))
        .collect(Collectors.toList());
  }

  /** Block {@code index} (0-16) on its own, with the given depthwise stride and dilation. */
  NDArray block(ParameterStore ps, int index, NDArray x, int stride, int dilation, boolean training) {
    return blocks.get(index).apply(ps, x, stride, dilation, training);
  }

  /** A folded convolution registered as this block's; {@code stride} is its stride at output stride 32. */
  private FoldedConv conv(String name, int in, int out, int kernel, int groups, int stride, boolean relu6) {
    FoldedConv c = FoldedConv.create(name, in, out, kernel, groups, stride,
        relu6 ? TfLiteModel.Activation.RELU6 : TfLiteModel.Activation.NONE, p -> {
          named.put(p.getName(), addParameter(p));
          return p;
        });
    convs.add(c);
    return c;
  }

  /** expand (1x1, relu6) -> depthwise (3x3, relu6) -> project (1x1, linear), + input. */
  private final class InvertedResidual {
    final FoldedConv expand;
    final FoldedConv depthwise;
    final FoldedConv project;
    final boolean residual;

    InvertedResidual(int index, int in, int out, int expansion, int stride) {
      String name = "block" + index;
      int hidden = in * expansion;
      expand = expansion == 1 ? null : conv(name + ".expand", in, hidden, 1, 1, 1, true);
      depthwise = conv(name + ".depthwise", hidden, hidden, 3, hidden, stride, true);
      project = conv(name + ".project", hidden, out, 1, 1, 1, false);
      residual = stride == 1 && in == out;
    }

    NDArray apply(ParameterStore ps, NDArray x, int stride, int dilation, boolean training) {
      NDArray h = expand == null ? x : expand.apply(ps, x, 1, 1, training);
      h = depthwise.apply(ps, h, stride, dilation, training);
      h = project.apply(ps, h, 1, 1, training);
      return residual ? h.add(x) : h;
    }
  }
}
