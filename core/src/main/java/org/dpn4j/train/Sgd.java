package org.dpn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum and L2 weight decay as PyTorch's {@code torch.optim.SGD} (dampening 0, no
 * Nesterov): {@code d = g + wd p;  v = mu v + d;  p = p - lr v}, v starting at 0 (so v = d on the
 * first step). DESIGN.md's defaults: mu = 0.9, wd = 5e-4.
 */
public final class Sgd extends Optimiser {

  public static final String MOMENTUM = "momentum";

  private final float momentum;
  private final float weightDecay;

  public Sgd(float momentum, float weightDecay) {
    if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "SGD needs momentum in [0, 1) and a finite weight decay >= 0, got " + momentum + ", " + weightDecay);
    }
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  /** mu = 0.9, wd = 5e-4. */
  public static Sgd defaults() {
    return new Sgd(0.9f, 5e-4f);
  }

  public float momentum() {
    return momentum;
  }

  public float weightDecay() {
    return weightDecay;
  }

  @Override
  Map<String, float[]> newBuffers(int n) {
    Map<String, float[]> b = new LinkedHashMap<>();
    b.put(MOMENTUM, new float[n]);
    return b;
  }

  @Override
  void update(float[] p, float[] g, float lr, Map<String, float[]> buffers, long t) {
    float[] v = buffers.get(MOMENTUM);
    for (int i = 0; i < p.length; i++) {
      float d = g[i] + weightDecay * p[i];
      v[i] = momentum * v[i] + d;
      p[i] -= lr * v[i];
    }
  }
}
