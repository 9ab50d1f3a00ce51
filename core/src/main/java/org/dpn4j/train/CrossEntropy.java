package org.dpn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.dpn4j.value.Maps;

/**
 * Pixel-wise softmax cross-entropy with an ignore label and optional class weights (DESIGN.md
 * sections 1 "Training" and 3):
 *
 * <pre>
 *   L = sum_j w_{y_j} (-ln P_j^{y_j}) / sum_j w_{y_j}     over the pixels j with y_j != ignore
 * </pre>
 *
 * <p>Without class weights w = 1 and L is the mean over the non-ignored pixels. A pixel whose label
 * is the ignore value contributes nothing; an image without any counted pixel (or whose counted
 * classes all weigh 0) has L = 0 and a zero gradient, never NaN.
 *
 * <p>Two forms: on the head's {@link Maps} ({@link #ofProbabilities} for b15's output P,
 * {@link #ofLogProbabilities}), with the gradient written by hand; and on the unary's logits as
 * an engine expression ({@link #ofLogits}) that the engine differentiates.
 */
public final class CrossEntropy {

  /**
   * The floor of P before the logarithm: only an underflowed P = 0 is clamped, so that the loss
   * stays finite (at most 87.3) while every representable P keeps its exact gradient -1/P.
   */
  public static final float MIN_PROBABILITY = Float.MIN_NORMAL;

  private final int ignore;
  private final double[] classWeights;

  /**
   * A loss for labels in [0, L) and the {@code ignore} value; {@code classWeights} (length L, each
   * >= 0, e.g. {@code MedianFrequency}'s) or null for the plain mean.
   */
  public CrossEntropy(int ignore, double[] classWeights) {
    if (classWeights != null) {
      for (int c = 0; c < classWeights.length; c++) {
        if (!(classWeights[c] >= 0) || Double.isInfinite(classWeights[c])) {
          throw new IllegalArgumentException("class weight " + c + " is " + classWeights[c] + ", must be finite and >= 0");
        }
      }
    }
    this.ignore = ignore;
    this.classWeights = classWeights == null ? null : classWeights.clone();
  }

  /** The plain mean over the non-ignored pixels. */
  public static CrossEntropy unweighted(int ignore) {
    return new CrossEntropy(ignore, null);
  }

  public int ignore() {
    return ignore;
  }

  /** A copy of the class weights, or null for the plain mean. */
  public double[] classWeights() {
    return classWeights == null ? null : classWeights.clone();
  }

  /**
   * The loss and its gradient w.r.t. the input maps; {@code weight} is sum_j w_{y_j} over the
   * counted pixels (0 when nothing counted).
   */
  public record Result(double loss, Maps gradient, double weight) {}

  /**
   * L on probabilities P (L x H x W, e.g. b15's output) and dL/dP: -w_y / (P_y sum w) at each
   * counted pixel's label, 0 elsewhere. P is floored at {@link #MIN_PROBABILITY}.
   */
  public Result ofProbabilities(Maps p, int[] labels) {
    return evaluate(p, labels, true);
  }

  /** L on log-probabilities ln P (L x H x W) and dL/d(ln P): -w_y / sum w at each counted pixel's label. */
  public Result ofLogProbabilities(Maps logP, int[] labels) {
    return evaluate(logP, labels, false);
  }

  /**
   * sum_j w_{y_j} over the counted pixels of {@code labels} (values in [0, numLabels) or the
   * ignore value): the denominator of L, {@link Result#weight} without the maps. A batch's loss,
   * one mean over all its counted pixels, weighs image i's L_i by its share of the batch's sum.
   */
  public double weight(int[] labels, int numLabels) {
    requireWeightsFor(numLabels);
    double weight = 0;
    for (int j = 0; j < labels.length; j++) {
      int y = checkedLabel(labels[j], numLabels, j);
      weight += y < 0 ? 0 : weightOf(y);
    }
    return weight;
  }

  private Result evaluate(Maps in, int[] labels, boolean probabilities) {
    int plane = in.plane();
    if (labels.length != plane) {
      throw new IllegalArgumentException(labels.length + " labels for " + in.h + "x" + in.w + " maps");
    }
    requireWeightsFor(in.c);
    double sum = 0;
    double weight = 0;
    for (int j = 0; j < plane; j++) {
      int y = checkedLabel(labels[j], in.c, j);
      if (y < 0) {
        continue;
      }
      double wy = weightOf(y);
      float v = in.data[y * plane + j];
      sum += wy * -(probabilities ? Math.log(Math.max(v, MIN_PROBABILITY)) : v);
      weight += wy;
    }
    Maps grad = in.zerosLike();
    if (weight == 0) {
      return new Result(0, grad, 0);
    }
    for (int j = 0; j < plane; j++) {
      int y = labels[j];
      if (y == ignore) {
        continue;
      }
      int i = y * plane + j;
      double g = -weightOf(y) / weight;
      grad.data[i] = (float) (probabilities ? g / Math.max(in.data[i], MIN_PROBABILITY) : g);
    }
    return new Result(sum / weight, grad, weight);
  }

  /** The label at pixel j, or -1 for the ignore value. */
  private int checkedLabel(int y, int numLabels, int j) {
    if (y == ignore) {
      return -1;
    }
    if (y < 0 || y >= numLabels) {
      throw new IllegalArgumentException(
          "label " + y + " at pixel " + j + " is neither in [0, " + numLabels + ") nor the ignore value " + ignore);
    }
    return y;
  }

  private void requireWeightsFor(int numLabels) {
    if (classWeights != null && classWeights.length != numLabels) {
      throw new IllegalArgumentException(classWeights.length + " class weights for " + numLabels + " labels");
    }
  }

  private double weightOf(int y) {
    return classWeights == null ? 1 : classWeights[y];
  }

  /**
   * L as an engine expression, differentiable by the engine: {@code logits} N x L x H x W (float),
   * {@code labels} N x H x W (integers; the ignore value may lie outside [0, L)). The result is a
   * scalar; the sum runs over the whole batch (one mean over all its counted pixels).
   */
  public NDArray ofLogits(NDArray logits, NDArray labels) {
    if (logits.getShape().dimension() != 4 || labels.getShape().dimension() != 3
        || logits.getShape().get(0) != labels.getShape().get(0)
        || logits.getShape().get(2) != labels.getShape().get(1)
        || logits.getShape().get(3) != labels.getShape().get(2)) {
      throw new IllegalArgumentException(
          "logits must be N x L x H x W and labels N x H x W, got " + logits.getShape() + " and " + labels.getShape());
    }
    int numLabels = (int) logits.getShape().get(1);
    requireWeightsFor(numLabels);
    NDArray y = labels.toType(DataType.INT64, false);
    NDArray counted = y.neq(ignore);
    NDArray outside = counted.logicalAnd(y.lt(0).logicalOr(y.gte(numLabels)));
    if (outside.any().getBoolean()) {
      throw new IllegalArgumentException(
          "labels must lie in [0, " + numLabels + ") or be the ignore value " + ignore);
    }
    // Each pixel's log-probability of its label, picked by index (label 0 at ignored pixels, whose
    // weight is 0): no L-fold one-hot tensor to build, multiply and differentiate through.
    NDArray index = y.mul(counted.toType(DataType.INT64, false));
    NDArray picked = logits.logSoftmax(1).gather(index.expandDims(1), 1).squeeze(1);
    NDArray countedWeight = counted.toType(logits.getDataType(), false);
    NDArray pixelWeight = classWeights == null
        ? countedWeight
        : logits.getManager().create(toFloats(classWeights)).take(index).mul(countedWeight);
    NDArray nll = picked.neg().mul(pixelWeight).sum();
    // When nothing counts the numerator is exactly 0: 0 / 1 rather than 0 / 0.
    NDArray total = pixelWeight.sum();
    return nll.div(total.eq(0).toType(total.getDataType(), false).add(total));
  }

  private static float[] toFloats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
