package org.dpn4j.unary;

/**
 * {@code vgg-lite}, a unary network trainable from scratch on a CPU (DESIGN.md section 2): the plan
 * of {@link Vgg16Dpn} with every convolution width divided by 4 (16, 32, 64, 128, 128) and
 * DeepLab-LargeFOV's fc6 for b9 (1024 filters 3x3, dilation 12, pad 12), b10 1x1 to 1024, b11 1x1
 * to L, bilinear x8. Output stride 8; He-initialised, b11 N(0, 0.01^2).
 */
public final class VggLite extends VggNetwork {

  private static final Plan LITE = new Plan(new int[] {16, 32, 64, 128, 128}, 1024, 3, 12);

  public VggLite(int numLabels) {
    super(LITE, numLabels);
  }
}
