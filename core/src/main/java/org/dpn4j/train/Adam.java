package org.dpn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (L2 weight decay added to the gradient, not AdamW):
 *
 * <pre>
 *   d = g + wd p;  m = b1 m + (1 - b1) d;  v = b2 v + (1 - b2) d^2
 *   p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * with t the array's step number (1-based), m and v starting at 0.
 */
public final class Adam extends Optimiser {

  public static final String FIRST_MOMENT = "m";
  public static final String SECOND_MOMENT = "v";

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final float weightDecay;

  public Adam(double beta1, double beta2, double eps, float weightDecay) {
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && weightDecay >= 0)
        || Float.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("Adam needs betas in [0, 1), eps > 0 and a finite weight decay >= 0, got "
          + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** PyTorch's defaults b1 = 0.9, b2 = 0.999, eps = 1e-8, with DESIGN.md's weight decay 5e-4. */
  public static Adam defaults() {
    return new Adam(0.9, 0.999, 1e-8, 5e-4f);
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double eps() {
    return eps;
  }

  public float weightDecay() {
    return weightDecay;
  }

  @Override
  Map<String, float[]> newBuffers(int n) {
    Map<String, float[]> b = new LinkedHashMap<>();
    b.put(FIRST_MOMENT, new float[n]);
    b.put(SECOND_MOMENT, new float[n]);
    return b;
  }

  @Override
  void update(float[] p, float[] g, float lr, Map<String, float[]> buffers, long t) {
    float[] m = buffers.get(FIRST_MOMENT);
    float[] v = buffers.get(SECOND_MOMENT);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
    float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
    for (int i = 0; i < p.length; i++) {
      float d = g[i] + weightDecay * p[i];
      m[i] = b1 * m[i] + (1 - b1) * d;
      v[i] = b2 * v[i] + (1 - b2) * d * d;
      p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / correction2 + (float) eps);
    }
  }
}
