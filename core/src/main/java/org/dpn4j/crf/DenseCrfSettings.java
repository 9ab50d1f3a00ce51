package org.dpn4j.crf;

import org.dpn4j.value.Maps;

/**
 * The dense CRF as pydensecrf users run it on a network's probabilities: the unary from P, a
 * Gaussian (smoothness) and a bilateral (appearance) Potts kernel, mean field. One place for the
 * parameters and their defaults, shared by {@code dpn refine} and {@code dpn serve}.
 *
 * @param gaussSxy the Gaussian kernel's spatial standard deviation, pixels
 * @param gaussCompat its Potts weight
 * @param bilateralSxy the bilateral kernel's spatial standard deviation, pixels
 * @param bilateralSrgb its colour standard deviation, colours 0..255
 * @param bilateralCompat its Potts weight
 * @param iterations mean-field iterations (0 gives the unary's labels)
 */
public record DenseCrfSettings(
    float gaussSxy, float gaussCompat, float bilateralSxy, float bilateralSrgb, float bilateralCompat, int iterations) {

  /** The defaults of pydensecrf's README example: sxy 3, compat 3; sxy 80, srgb 13, compat 10; 5 iterations. */
  public static final DenseCrfSettings DEFAULT = new DenseCrfSettings(3, 3, 80, 13, 10, 5);

  /** Checks the values: positive standard deviations, finite weights, iterations >= 0. */
  public DenseCrfSettings {
    requirePositive("gauss-sxy", gaussSxy);
    requirePositive("bilateral-sxy", bilateralSxy);
    requirePositive("bilateral-srgb", bilateralSrgb);
    requireFinite("gauss-compat", gaussCompat);
    requireFinite("bilateral-compat", bilateralCompat);
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
  }

  /** The refined probabilities of {@code p} (L x H x W) on the photo {@code rgb} (3 x H x W, RGB in [0, 1]). */
  public Maps refine(Maps p, Maps rgb) {
    DenseCrf crf = new DenseCrf(p.w, p.h, p.c);
    crf.setUnaryFromProbabilities(p);
    crf.addPairwiseGaussian(gaussSxy, gaussCompat);
    crf.addPairwiseBilateral(bilateralSxy, bilateralSrgb, rgb, bilateralCompat);
    return crf.inference(iterations);
  }

  private static void requirePositive(String name, float v) {
    if (!(v > 0) || !Float.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + v);
    }
  }

  private static void requireFinite(String name, float v) {
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite, got " + v);
    }
  }
}
