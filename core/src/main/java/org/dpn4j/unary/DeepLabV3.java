package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.io.WeightFileException;

/**
 * DeepLabV3 on MobileNetV2 1.0 (Chen et al. 2017; the TF model zoo's {@code mobilenetv2_coco_voc}),
 * as TF's {@code deeplabv3_mnv2_pascal_quant.tflite} holds it, batch norm folded:
 *
 * <pre>
 * backbone           MobileNetV2 stem + blocks 0-16 at output stride 16 (blocks 14-16 dilated by 2)
 * aspp0              conv 1x1, 320 -> 256, relu
 * image_pooling      global average pool, conv 1x1, 320 -> 256, relu, spread over the grid
 * concat_projection  [image_pooling, aspp0] (512 maps), conv 1x1 -> 256, relu
 * logits             conv 1x1, 256 -> L
 * upsampling         bilinear with aligned corners to the input's size
 * </pre>
 *
 * This MobileNetV2 variant of DeepLabV3 has no atrous ASPP branches and no decoder (TF's
 * {@code model_variant=mobilenet_v2} without them, which is what the file's graph shows). Its
 * {@link #logitsStride8} are at output stride 16: ceil(H/16) x ceil(W/16), and {@link #logits}
 * upsamples them as TensorFlow does (aligned corners: a 513 input maps the 33 x 33 grid onto it
 * exactly). Parameter names: the backbone's ({@link MobileNetV2}) and {@code aspp0}, {@code
 * image_pooling}, {@code concat_projection}, {@code logits}, each with {@code .weight} and {@code
 * .bias}. Input: RGB scaled to [-1, 1], (x - 128) / 128 for x in 0..255.
 */
public final class DeepLabV3 extends UnaryNetwork {

  /** The stride of {@link #logitsStride8}'s grid: the file's output stride. */
  public static final int STRIDE = 16;

  private static final int ASPP_WIDTH = 256;

  private final MobileNetV2 backbone = MobileNetV2.backbone();
  private final Map<String, Parameter> named = new LinkedHashMap<>();
  private final FoldedConv aspp0;
  private final FoldedConv imagePooling;
  private final FoldedConv projection;
  private final FoldedConv classes;

  /** A fresh network of {@code numLabels} classes (21 for the PASCAL VOC file). */
  public DeepLabV3(int numLabels) {
    super(numLabels);
    addChildBlock("backbone", backbone);
    named.putAll(backbone.namedParameters());
    aspp0 = conv("aspp0", MobileNetV2.FEATURE_WIDTH, ASPP_WIDTH, TfLiteModel.Activation.RELU);
    imagePooling = conv("image_pooling", MobileNetV2.FEATURE_WIDTH, ASPP_WIDTH, TfLiteModel.Activation.RELU);
    projection = conv("concat_projection", 2 * ASPP_WIDTH, ASPP_WIDTH, TfLiteModel.Activation.RELU);
    classes = conv("logits", ASPP_WIDTH, numLabels, TfLiteModel.Activation.NONE);
    setInitializer(
        new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
    classes.weight().setInitializer(new NormalInitializer(0.01f));
  }

  private FoldedConv conv(String name, int in, int out, TfLiteModel.Activation activation) {
    return FoldedConv.create(name, in, out, 1, 1, 1, activation, p -> {
      named.put(p.getName(), addParameter(p));
      return p;
    });
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    backbone.initialize(manager, dataType, inputShapes);
  }

  /** The MobileNetV2 backbone (its parameters are this network's). */
  public MobileNetV2 backbone() {
    return backbone;
  }

  /** Logits at output stride 16 (not 8: the file's grid): N x L x ceil(H/16) x ceil(W/16). */
  @Override
  public NDArray logitsStride8(ParameterStore ps, NDArray images, boolean training) {
    NDArray f = backbone.features(ps, images, STRIDE, training);
    NDArray y = step(f, images, training, x -> {
      Shape s = x.getShape();
      NDArray pooled = x.mean(new int[] {3}, true).mean(new int[] {2}, true);
      NDArray global = imagePooling.apply(ps, pooled, 1, 1, training).broadcast(s.get(0), ASPP_WIDTH, s.get(2), s.get(3));
      NDArray local = aspp0.apply(ps, x, 1, 1, training);
      return NDArrays.concat(new NDList(global, local), 1);
    });
    y = step(y, images, training, x -> projection.apply(ps, x, 1, 1, training));
    return step(y, images, training, x -> classes.apply(ps, x, 1, 1, training));
  }

  /** Bilinear with aligned corners, as TF's DeepLab upsamples its logits. */
  @Override
  public NDArray upsampleLogits(NDArray small, long height, long width) {
    return small.getNDArrayInternal().interpolation(new long[] {height, width}, 1, true);
  }

  @Override
  public Map<String, Parameter> namedParameters() {
    return Collections.unmodifiableMap(named);
  }

  /**
   * Loads the whole network from a TFLite DeepLabV3 MobileNetV2 file, float or quantised: the
   * backbone ({@link MobileNetV2#loadTfLiteBackbone}), then the four convolutions after it in
   * execution order, aspp0, image_pooling, concat_projection, logits, each checked ({@link
   * FoldedConv#importFrom}). The file's ArgMax and resizes are not taken: the network's output
   * is the logits. The network must be initialised.
   *
   * @throws WeightFileException naming the operator and tensor where the file does not match
   */
  public void loadTfLite(TfLiteModel model) throws IOException {
    List<TfLiteModel.Operator> rest = backbone.loadTfLiteBackbone(model);
    List<FoldedConv> head = List.of(aspp0, imagePooling, projection, classes);
    if (rest.size() != head.size()) {
      throw new WeightFileException(
          model.path(), rest.size() + " convolutions after the MobileNetV2 backbone, DeepLabV3's head has " + head.size());
    }
    for (int i = 0; i < head.size(); i++) {
      // aspp0 and image_pooling have the same shapes: tell them apart by their input, the grid or its 1 x 1 mean.
      boolean pooledInput = model.main().tensor(rest.get(i).inputs()[0]).elements() == MobileNetV2.FEATURE_WIDTH;
      if (i < 2 && pooledInput != (head.get(i) == imagePooling)) {
        throw new WeightFileException(model.path(), "operator " + rest.get(i).index() + " for " + head.get(i).name()
            + ": its input is " + (pooledInput ? "" : "not ") + "the pooled 1 x 1 feature vector");
      }
      head.get(i).importFrom(model, rest.get(i), 1, 1);
    }
  }
}
