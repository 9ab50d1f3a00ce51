package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.dpn4j.value.Maps;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

  private static final int IGNORE = 11;

  /** 2 labels, 1 x 3 pixels; labels 0, 1, ignore. */
  private static final Maps P = new Maps(2, 1, 3, new float[] {0.7f, 0.4f, 0.5f, 0.3f, 0.6f, 0.5f});
  private static final int[] Y = {0, 1, IGNORE};

  @Test
  void valueIsTheMeanOverCountedPixels() {
    double expected = (-Math.log(0.7f) - Math.log(0.6f)) / 2;
    CrossEntropy.Result r = CrossEntropy.unweighted(IGNORE).ofProbabilities(P, Y);
    assertEquals(expected, r.loss(), 1e-12);
    assertEquals(2, r.weight());
    assertArrayEquals(new float[] {-0.5f / 0.7f, 0, 0, 0, -0.5f / 0.6f, 0}, r.gradient().data, 1e-7f);
  }

  @Test
  void classWeightsGiveTheWeightedMean() {
    double expected = (2 * -Math.log(0.7f) + 0.5 * -Math.log(0.6f)) / 2.5;
    CrossEntropy.Result r = new CrossEntropy(IGNORE, new double[] {2, 0.5}).ofProbabilities(P, Y);
    assertEquals(expected, r.loss(), 1e-12);
    assertEquals(2.5, r.weight());
  }

  @Test
  void gradientsMatchCentralDifferences() {
    Random rnd = new Random(1);
    int labels = 4;
    int h = 3;
    int w = 5;
    int[] y = new int[h * w];
    for (int j = 0; j < y.length; j++) {
      y[j] = j % 6 == 5 ? IGNORE : rnd.nextInt(labels);
    }
    Maps p = new Maps(labels, h, w);
    for (int i = 0; i < p.data.length; i++) {
      p.data[i] = 0.05f + 0.9f * rnd.nextFloat();
    }
    Maps logP = p.copy();
    for (int i = 0; i < logP.data.length; i++) {
      logP.data[i] = (float) Math.log(p.data[i]);
    }
    for (CrossEntropy ce : new CrossEntropy[] {
        CrossEntropy.unweighted(IGNORE), new CrossEntropy(IGNORE, new double[] {0.3, 2, 1, 0.7})}) {
      checkGradient(ce, p, y, true);
      checkGradient(ce, logP, y, false);
    }
  }

  private static void checkGradient(CrossEntropy ce, Maps in, int[] y, boolean probabilities) {
    Maps g = evaluate(ce, in, y, probabilities).gradient();
    float eps = 1e-3f;
    for (int i = 0; i < in.data.length; i++) {
      Maps plus = in.copy();
      Maps minus = in.copy();
      plus.data[i] += eps;
      minus.data[i] -= eps;
      double fd = (evaluate(ce, plus, y, probabilities).loss() - evaluate(ce, minus, y, probabilities).loss())
          / (plus.data[i] - minus.data[i]);
      assertEquals(fd, g.data[i], 2e-3 * Math.max(1, Math.abs(fd)), "element " + i);
    }
  }

  private static CrossEntropy.Result evaluate(CrossEntropy ce, Maps in, int[] y, boolean probabilities) {
    return probabilities ? ce.ofProbabilities(in, y) : ce.ofLogProbabilities(in, y);
  }

  @Test
  void ignoredPixelsContributeNothing() {
    CrossEntropy ce = new CrossEntropy(IGNORE, new double[] {2, 0.5});
    Maps changed = P.copy();
    changed.set(0, 0, 2, 1e-30f);
    changed.set(1, 0, 2, 0f);
    CrossEntropy.Result a = ce.ofProbabilities(P, Y);
    CrossEntropy.Result b = ce.ofProbabilities(changed, Y);
    assertEquals(a.loss(), b.loss());
    assertArrayEquals(a.gradient().data, b.gradient().data);
    assertEquals(0, b.gradient().get(0, 0, 2));
    assertEquals(0, b.gradient().get(1, 0, 2));
  }

  @Test
  void anAllIgnoredImageHasZeroLossAndGradient() {
    int[] none = {IGNORE, IGNORE, IGNORE};
    for (CrossEntropy ce : new CrossEntropy[] {
        CrossEntropy.unweighted(IGNORE), new CrossEntropy(IGNORE, new double[] {2, 0.5})}) {
      CrossEntropy.Result r = ce.ofProbabilities(P, none);
      assertEquals(0, r.loss());
      assertArrayEquals(new float[6], r.gradient().data);
    }
    // Counted pixels whose classes weigh 0 are no different.
    CrossEntropy.Result r = new CrossEntropy(IGNORE, new double[] {0, 0}).ofProbabilities(P, Y);
    assertEquals(0, r.loss());
    assertArrayEquals(new float[6], r.gradient().data);
  }

  @Test
  void anUnderflowedProbabilityGivesAFiniteLoss() {
    Maps p = new Maps(2, 1, 1, new float[] {0f, 1f});
    CrossEntropy.Result r = CrossEntropy.unweighted(IGNORE).ofProbabilities(p, new int[] {0});
    assertEquals(-Math.log(Float.MIN_NORMAL), r.loss(), 1e-9);
    assertTrue(Float.isFinite(r.gradient().data[0]));
  }

  @Test
  void badLabelsAndWeightsAreNamed() {
    CrossEntropy ce = CrossEntropy.unweighted(IGNORE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ce.ofProbabilities(P, new int[] {0, 2, IGNORE}));
    assertTrue(e.getMessage().contains("label 2 at pixel 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ce.ofProbabilities(P, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("2 labels for 1x3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(IGNORE, new double[] {1, 2, 3}).ofProbabilities(P, Y));
    assertTrue(e.getMessage().contains("3 class weights for 2 labels"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(IGNORE, new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> new CrossEntropy(IGNORE, new double[] {-1, 1}));
  }

  /** The engine form: the same value as on Maps, and the engine's gradient w_y (softmax - onehot) / sum w. */
  @Test
  void logitsFormMatchesTheMapsFormAndItsGradient() {
    int n = 2;
    int labels = 3;
    int h = 2;
    int w = 3;
    Random rnd = new Random(5);
    float[] z = new float[n * labels * h * w];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (2 * rnd.nextGaussian());
    }
    int[] y = {0, 2, IGNORE, 1, 1, 0, IGNORE, 2, 2, 0, 1, IGNORE};
    double[] weights = {0.5, 2, 1.5};
    for (double[] cw : new double[][] {null, weights}) {
      CrossEntropy ce = new CrossEntropy(IGNORE, cw);
      // The reference: the Maps form on the batch's log-softmax laid out as one image of n*h rows.
      Maps logP = new Maps(labels, n * h, w);
      double[] softmax = new double[z.length];
      for (int b = 0; b < n; b++) {
        for (int j = 0; j < h * w; j++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int v = 0; v < labels; v++) {
            max = Math.max(max, z[(b * labels + v) * h * w + j]);
          }
          double sum = 0;
          for (int v = 0; v < labels; v++) {
            sum += Math.exp(z[(b * labels + v) * h * w + j] - max);
          }
          for (int v = 0; v < labels; v++) {
            int i = (b * labels + v) * h * w + j;
            logP.data[v * n * h * w + b * h * w + j] = (float) (z[i] - max - Math.log(sum));
            softmax[i] = Math.exp(z[i] - max) / sum;
          }
        }
      }
      CrossEntropy.Result ref = ce.ofLogProbabilities(logP, y);
      try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
        NDArray logits = m.create(z, new Shape(n, labels, h, w));
        logits.setRequiresGradient(true);
        float loss;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray l = ce.ofLogits(logits, m.create(y, new Shape(n, h, w)));
          loss = l.getFloat();
          gc.backward(l);
        }
        assertEquals(ref.loss(), loss, 1e-5);
        float[] grad = logits.getGradient().toFloatArray();
        for (int b = 0; b < n; b++) {
          for (int v = 0; v < labels; v++) {
            for (int j = 0; j < h * w; j++) {
              int i = (b * labels + v) * h * w + j;
              int label = y[b * h * w + j];
              double expected = label == IGNORE ? 0
                  : (cw == null ? 1 : cw[label]) * (softmax[i] - (label == v ? 1 : 0)) / ref.weight();
              assertEquals(expected, grad[i], 1e-6, "gradient " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void logitsFormOfAnAllIgnoredBatchIsZeroWithZeroGradient() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray logits = m.randomNormal(new Shape(1, 3, 2, 2));
      logits.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray l = new CrossEntropy(255, new double[] {1, 2, 3})
            .ofLogits(logits, m.full(new Shape(1, 2, 2), 255));
        assertEquals(0f, l.getFloat());
        gc.backward(l);
      }
      // Delta 0: +0 and -0 both pass, NaN does not.
      assertArrayEquals(new float[12], logits.getGradient().toFloatArray(), 0f);
    }
  }

  @Test
  void logitsFormRefusesLabelsOutOfRange() {
    try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
      NDArray logits = m.zeros(new Shape(1, 3, 1, 2));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.unweighted(255).ofLogits(logits, m.create(new int[] {0, 3}, new Shape(1, 1, 2))));
      assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> CrossEntropy.unweighted(255).ofLogits(logits, m.create(new int[] {0, 1}, new Shape(1, 2))));
    }
  }

  /** The batch weighting of stage finetune: weight(labels) is the denominator ofProbabilities reports. */
  @Test
  void weightIsTheLossDenominator() {
    int[] labels = {0, 2, 255, 1, 2, 2};
    CrossEntropy ce = new CrossEntropy(255, new double[] {0.5, 1, 2});
    Maps p = new Maps(3, 2, 3);
    java.util.Arrays.fill(p.data, 1f / 3);
    assertEquals(0.5 + 2 + 1 + 2 + 2, ce.weight(labels, 3), 1e-12);
    assertEquals(ce.ofProbabilities(p, labels).weight(), ce.weight(labels, 3), 1e-12);
    assertEquals(5, CrossEntropy.unweighted(255).weight(labels, 3));
    assertThrows(IllegalArgumentException.class, () -> ce.weight(new int[] {3}, 3));
  }
}
