package org.dpn4j.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.io.WeightFileException;

/**
 * A convolution with its batch norm folded in (weights and bias, TensorFlow's SAME padding) and its
 * fused activation, as TFLite files hold them: the building block of the TFLite-imported networks
 * ({@link MobileNetV2}, {@link DeepLabV3}). {@code stride} is the stride in TF's graph at its
 * native output stride; callers may run it with another stride and dilation.
 */
record FoldedConv(String name, Parameter weight, Parameter bias, int groups, int stride,
    TfLiteModel.Activation activation) {

  /**
   * A new convolution {@code in -> out} of a square {@code kernel}; its parameters {@code
   * name.weight} (OIHW) and {@code name.bias} are handed to {@code register} (the owning block's
   * {@code addParameter}).
   */
  static FoldedConv create(String name, int in, int out, int kernel, int groups, int stride,
      TfLiteModel.Activation activation, UnaryOperator<Parameter> register) {
    Parameter weight =
        Parameter.builder()
            .setName(name + ".weight")
            .setType(Parameter.Type.WEIGHT)
            .optShape(new Shape(out, in / groups, kernel, kernel))
            .build();
    Parameter bias =
        Parameter.builder().setName(name + ".bias").setType(Parameter.Type.BIAS).optShape(new Shape(out)).build();
    register.apply(weight);
    register.apply(bias);
    return new FoldedConv(name, weight, bias, groups, stride, activation);
  }

  NDArray apply(ParameterStore ps, NDArray x, int stride, int dilation, boolean training) {
    NDArray w = ps.getValue(weight, x.getDevice(), training);
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    NDArray y = SamePadding.conv2d(x, w, b, stride, dilation, groups);
    return switch (activation) {
      case RELU6 -> Activation.relu6(y);
      case RELU -> Activation.relu(y);
      case NONE -> y;
      default -> throw new IllegalStateException(name + ": activation " + activation + " is not implemented");
    };
  }

  boolean depthwise() {
    return groups > 1;
  }

  /**
   * Takes this convolution's weights from TFLite operator {@code op}, dequantised (real = scale *
   * (q - zero_point), per tensor or per output channel), after checking the operator's kind,
   * shapes, SAME padding, activation and its {@code stride} and {@code dilation} (the geometry the
   * file was converted at). TFLite weights are OHWI (depthwise 1HWC) and become OIHW (C x 1 x k x k).
   *
   * @throws WeightFileException naming the operator and tensor where the file does not match
   */
  void importFrom(TfLiteModel model, TfLiteModel.Operator op, int stride, int dilation) throws IOException {
    if (!weight.isInitialized()) {
      throw new IllegalStateException("initialize the network before loading weights into it");
    }
    String where = "operator " + op.index() + " (" + op.name() + ") for " + name + ": ";
    String kind = depthwise() ? "DEPTHWISE_CONV_2D" : "CONV_2D";
    if (!op.name().equals(kind)
        || op.padding() != TfLiteModel.Padding.SAME
        || op.strideH() != stride
        || op.strideW() != stride
        || op.dilationH() != dilation
        || op.dilationW() != dilation
        || op.activation() != activation
        || (depthwise() && op.depthMultiplier() != 1)) {
      throw new WeightFileException(
          model.path(),
          where + "expected " + kind + " SAME stride " + stride + " dilation " + dilation + " " + activation
              + ", found " + op.name() + " " + op.options());
    }
    Shape ours = weight.getShape();
    int out = (int) ours.get(0);
    int in = (int) ours.get(1);
    int k = (int) ours.get(2);
    TfLiteModel.Tensor w = model.main().tensor(op.inputs()[1]);
    TfLiteModel.Tensor b = model.main().tensor(op.inputs()[2]);
    int[] wantW = depthwise() ? new int[] {1, k, k, out} : new int[] {out, k, k, in};
    if (!Arrays.equals(w.shape(), wantW) || !Arrays.equals(b.shape(), new int[] {out})) {
      throw new WeightFileException(
          model.path(),
          where + "weight '" + w.name() + "' " + w.shapeString() + " and bias '" + b.name() + "' " + b.shapeString()
              + ", expected " + Arrays.toString(wantW) + " and [" + out + "]");
    }
    float[] src = w.dequantize();
    float[] dst = new float[src.length];
    for (int u = 0; u < out; u++) {
      for (int v = 0; v < in; v++) {
        for (int y = 0; y < k; y++) {
          for (int x = 0; x < k; x++) {
            // OHWI, or 1HWC for a depthwise filter (one input map per output: v = 0).
            int from = depthwise() ? (y * k + x) * out + u : ((u * k + y) * k + x) * in + v;
            dst[((u * in + v) * k + y) * k + x] = src[from];
          }
        }
      }
    }
    weight.getArray().set(dst);
    bias.getArray().set(b.dequantize());
  }
}
