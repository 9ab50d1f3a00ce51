package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DPN's VGG-style unary network, b1-b11 of the paper's Table I(b) (DESIGN.md section 2):
 *
 * <pre>
 * b1  2 conv 3x3 + relu      w1      b2  max pool 2x2/2
 * b3  2 conv 3x3 + relu      w2      b4  max pool 2x2/2
 * b5  3 conv 3x3 + relu      w3      b6  max pool 2x2/2
 * b7  3 conv 3x3 + relu      w4
 * b8  3 conv 3x3 dilation 2 + relu   w5   (VGG's conv5 as 5x5 zero-padded filters; pool4 removed)
 * b9  conv k x k dilation d, pad d(k-1)/2, relu, dropout 0.5   fc   (fc6; pool5 removed)
 * b10 conv 1x1, relu, dropout 0.5                                fc   (fc7)
 * b11 conv 1x1 to L, then bilinear x8 and softmax ({@link #logits}, {@link #probabilities})
 * </pre>
 *
 * All convolutions have biases and stride 1 with "same" padding, so b7-b11 run at output stride 8:
 * the stride-8 logits are floor(H/8) x floor(W/8) (the pools round down). {@link Vgg16Dpn} and
 * {@link VggLite} fill in the widths and the fc6 filter.
 */
public abstract class VggNetwork extends UnaryNetwork {

  /**
   * The widths of b1, b3, b5, b7, b8, the width of b9 and b10, and b9's kernel size and dilation.
   */
  record Plan(int[] convWidths, int fcWidth, int fc6Kernel, int fc6Dilation) {
    Plan {
      if (convWidths.length != 5) {
        throw new IllegalArgumentException("a VGG plan has 5 convolution groups, got " + convWidths.length);
      }
    }
  }

  private static final int[] CONVS_PER_GROUP = {2, 2, 3, 3, 3};

  private final List<Block> groups = new ArrayList<>();
  private final Map<String, Parameter> named = new LinkedHashMap<>();
  private final Map<String, Conv2d> convs = new LinkedHashMap<>();

  VggNetwork(Plan plan, int numLabels) {
    super(numLabels);
    int[] w = plan.convWidths();
    addGroup("b1", convGroup("b1", CONVS_PER_GROUP[0], w[0], 1));
    addGroup("b2", maxPool());
    addGroup("b3", convGroup("b3", CONVS_PER_GROUP[1], w[1], 1));
    addGroup("b4", maxPool());
    addGroup("b5", convGroup("b5", CONVS_PER_GROUP[2], w[2], 1));
    addGroup("b6", maxPool());
    addGroup("b7", convGroup("b7", CONVS_PER_GROUP[3], w[3], 1));
    addGroup("b8", convGroup("b8", CONVS_PER_GROUP[4], w[4], 2));
    addGroup("b9", fullyConvolutional("b9", plan.fcWidth(), plan.fc6Kernel(), plan.fc6Dilation()));
    addGroup("b10", fullyConvolutional("b10", plan.fcWidth(), 1, 1));
    Conv2d b11 = conv("b11", numLabels, 1, 1);
    addGroup("b11", b11);
    // He initialisation for training from scratch; b11 as the paper: N(0, 0.01^2), bias 0.
    setInitializer(
        new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
    b11.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
  }

  @Override
  public NDArray logitsStride8(ParameterStore ps, NDArray images, boolean training) {
    checkImages(images);
    NDArray x = images;
    for (Block group : groups) {
      x = step(x, images, training, in -> group.forward(ps, new NDList(in), training).singletonOrThrow());
    }
    return x;
  }

  /**
   * The output of every group b1, ..., b11 as in the paper's table, b11 before its upsampling (the
   * stride-8 logits).
   */
  public List<NDArray> groupOutputs(ParameterStore ps, NDArray images, boolean training) {
    checkImages(images);
    List<NDArray> out = new ArrayList<>(groups.size());
    NDList x = new NDList(images);
    for (Block group : groups) {
      x = group.forward(ps, x, training);
      out.add(x.singletonOrThrow());
    }
    return out;
  }

  @Override
  public Map<String, Parameter> namedParameters() {
    return Collections.unmodifiableMap(named);
  }

  /** The convolution named {@code name} ("b1.conv1", ..., "b8.conv3", "b9", "b10", "b11"). */
  Conv2d conv(String name) {
    Conv2d c = convs.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no convolution named " + name + "; the network has " + convs.keySet());
    }
    return c;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (Block group : groups) {
      group.initialize(manager, dataType, shapes);
      shapes = group.getOutputShapes(shapes);
    }
  }

  private void addGroup(String name, Block group) {
    groups.add(addChildBlock(name, group));
  }

  private SequentialBlock convGroup(String group, int count, int width, int dilation) {
    SequentialBlock block = new SequentialBlock();
    for (int i = 1; i <= count; i++) {
      block.add(conv(group + ".conv" + i, width, 3, dilation)).add(Activation.reluBlock());
    }
    return block;
  }

  private SequentialBlock fullyConvolutional(String name, int width, int kernel, int dilation) {
    return new SequentialBlock()
        .add(conv(name, width, kernel, dilation))
        .add(Activation.reluBlock())
        .add(Dropout.builder().optRate(0.5f).build());
  }

  /** A k x k convolution with bias, stride 1 and the padding that keeps the size. */
  private Conv2d conv(String name, int filters, int kernel, int dilation) {
    int pad = dilation * (kernel - 1) / 2;
    Conv2d c =
        Conv2d.builder()
            .setKernelShape(new Shape(kernel, kernel))
            .setFilters(filters)
            .optPadding(new Shape(pad, pad))
            .optDilation(new Shape(dilation, dilation))
            .build();
    convs.put(name, c);
    named.put(name + ".weight", c.getParameters().get("weight"));
    named.put(name + ".bias", c.getParameters().get("bias"));
    return c;
  }

  private static Block maxPool() {
    return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
  }
}
