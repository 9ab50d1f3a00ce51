package org.dpn4j.crf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dpn4j.util.Simd;
import org.dpn4j.value.Maps;
import org.dpn4j.io.LabelMaps;

/**
 * Krähenbühl and Koltun's fully connected CRF (NIPS 2011) with mean-field inference, computed as
 * their 2013 densecrf library does (DESIGN.md section 5), with pydensecrf's names:
 *
 * <pre>
 *   DenseCrf crf = new DenseCrf(w, h, labels);
 *   crf.setUnaryFromProbabilities(p);                  // U = -ln(max(p, 1e-8))
 *   crf.addPairwiseGaussian(3, 3);                     // sxy, compat (Potts)
 *   crf.addPairwiseBilateral(80, 13, rgb, 10);         // sxy, srgb, image, compat
 *   Maps q = crf.inference(5);
 * </pre>
 *
 * Inference: {@code Q0 = softmax(-U)}; each iteration, for every pixel in parallel from the previous
 * Q, {@code Q = softmax(-U + sum_k messages_k)} with {@code messages_k = w_k K~_k Q} for Potts and
 * {@code -mu_k K~_k Q} for a matrix (see {@link Compatibility}), no damping. K~_k is the kernel's
 * {@link GaussianKernel} (by default: the {@link PermutohedralLattice}, symmetric normalisation, self
 * term included). Kernels: Gaussian on (x/sxy, y/sxy), bilateral on (x/sxy, y/sxy, R/srgb, G/srgb,
 * B/srgb), x = column, y = row, RGB in 0..255.
 *
 * <p>Internally the marginals are stored pixel-major with the labels padded to a multiple of 8 (the
 * vector width): every lattice operation moves all labels of a pixel at once. Lattices are built
 * when a kernel is added; inference reuses its buffers from call to call. Not thread-safe; the
 * kernels use {@link org.dpn4j.util.Parallel}'s pool.
 */
public final class DenseCrf {
  /** Labels are padded to a multiple of the float vector's lanes ({@link CrfVectors}). */
  private static final int LANES = Simd.FLOAT_LANES;
  private static final int GRAIN = 4096;
  /** Pixels per range of the mean-field update: their messages (96 KB for 21 labels) stay in cache. */
  private static final int RANGE = 1024;
  /** Pixels per block of the layout transposes. */
  private static final int BLOCK = 128;
  /** Probabilities are clipped here before the log, as in pydensecrf's unary_from_softmax. */
  public static final float MIN_PROBABILITY = 1e-8f;

  private final int width;
  private final int height;
  private final int labels;
  private final int n;
  /** Floats per pixel: labels rounded up to the vector width (the padding is -inf in the logits). */
  private final int stride;
  private final List<Pairwise> pairwise = new ArrayList<>();
  /** -U, pixel-major, padded; null until a unary is set. */
  private float[] unaryLogits;
  private float[] q;
  /** Per thread: the messages of one range of pixels and a matrix kernel's K~ Q. */
  private final ThreadLocal<float[][]> scratch;

  private record Pairwise(GaussianKernel kernel, Compatibility compat, Compatibility.Applier applier) {}

  public DenseCrf(int width, int height, int labels) {
    if (width < 1 || height < 1 || labels < 1) {
      throw new IllegalArgumentException(
          "width, height and labels must be positive, got " + width + ", " + height + ", " + labels);
    }
    if ((long) width * height * ((labels + LANES - 1) / LANES * LANES) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(width + "x" + height + "x" + labels + " is too large");
    }
    this.width = width;
    this.height = height;
    this.labels = labels;
    this.n = width * height;
    this.stride = (labels + LANES - 1) / LANES * LANES;
    this.scratch = ThreadLocal.withInitial(() -> new float[2][RANGE * stride]);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int labels() {
    return labels;
  }

  // ---------------------------------------------------------------- unary

  /** Sets U = -ln(max(p, 1e-8)) from probabilities p (labels x height x width, finite, >= 0). */
  public void setUnaryFromProbabilities(Maps p) {
    requireShape(p, "probabilities");
    setUnaryFromProbabilities(p.data);
  }

  /** The same from a label-major array {@code p[l * width * height + y * width + x]}. */
  public void setUnaryFromProbabilities(float[] p) {
    // The padding is 0 and turns into ln 0 = -inf: the padded labels never get any mass.
    unaryLogits = transposeIn(p, "probability", MIN_PROBABILITY, true);
  }

  /** Sets the unary energy U directly (labels x height x width, finite). */
  public void setUnaryEnergy(Maps u) {
    requireShape(u, "unary energy");
    setUnaryEnergy(u.data);
  }

  /** The same from a label-major array {@code u[l * width * height + y * width + x]}. */
  public void setUnaryEnergy(float[] u) {
    float[] logits = transposeIn(u, "unary energy", Float.NEGATIVE_INFINITY, false);
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < stride; l++) {
        logits[i * stride + l] = l < labels ? -logits[i * stride + l] : Float.NEGATIVE_INFINITY;
      }
    }
    unaryLogits = logits;
  }

  /**
   * Label-major L x N to pixel-major N x stride (padding 0), checked finite; with a finite {@code
   * floor}, also checked >= 0 and clipped from below at the floor; then the natural log, if asked,
   * while each range is in cache.
   */
  private float[] transposeIn(float[] src, String what, float floor, boolean log) {
    boolean probabilities = floor != Float.NEGATIVE_INFINITY;
    if (src.length != labels * n) {
      throw new IllegalArgumentException(
          what + " array has " + src.length + " values, " + labels + " labels x " + height + "x" + width
              + " needs " + (long) labels * n);
    }
    float[] dst = new float[n * stride];
    forEachLabelPixel(
        (l, i) -> {
          float v = src[l * n + i];
          if (!Float.isFinite(v) || (probabilities && v < 0)) {
            throw new IllegalArgumentException(
                what + " of label " + l + " at (x=" + i % width + ", y=" + i / width + ") is " + v
                    + (probabilities ? " (must be finite and >= 0)" : " (must be finite)"));
          }
          dst[i * stride + l] = Math.max(v, floor);
        },
        (i0, i1) -> {
          if (log && Simd.VECTOR) {
            CrfVectors.log(dst, i0 * stride, i1 * stride);
          }
          for (int i = i0 * stride; log && !Simd.VECTOR && i < i1 * stride; i++) {
            dst[i] = (float) Math.log(dst[i]);
          }
        });
    return dst;
  }

  // ---------------------------------------------------------------- pairwise kernels

  /** pydensecrf's {@code addPairwiseGaussian(sxy, compat)}: Potts, symmetric normalisation. */
  public void addPairwiseGaussian(float sxy, float compat) {
    addPairwiseGaussian(sxy, Compatibility.potts(compat), Normalisation.SYMMETRIC, true);
  }

  /** A Gaussian kernel on position, features (x/sxy, y/sxy). */
  public void addPairwiseGaussian(float sxy, Compatibility compat, Normalisation normalisation, boolean selfTerm) {
    addPairwiseEnergy(new PermutohedralLattice(gaussianFeatures(sxy), 2), compat, normalisation, selfTerm);
  }

  /**
   * pydensecrf's {@code addPairwiseBilateral(sxy, srgb, rgbim, compat)}: Potts, symmetric
   * normalisation; {@code rgb} interleaved as in a height x width x 3 uint8 array, {@code rgb[(y *
   * width + x) * 3 + c]} (Java bytes read as 0..255).
   */
  public void addPairwiseBilateral(float sxy, float srgb, byte[] rgb, float compat) {
    addPairwiseBilateral(sxy, srgb, rgb, Compatibility.potts(compat), Normalisation.SYMMETRIC, true);
  }

  /** A bilateral kernel, features (x/sxy, y/sxy, R/srgb, G/srgb, B/srgb), RGB in 0..255. */
  public void addPairwiseBilateral(
      float sxy, float srgb, byte[] rgb, Compatibility compat, Normalisation normalisation, boolean selfTerm) {
    addPairwiseEnergy(
        new PermutohedralLattice(bilateralFeatures(sxy, srgb, rgb), 5), compat, normalisation, selfTerm);
  }

  /** The same for an image in this project's convention (3 x height x width, RGB in [0, 1]). */
  public void addPairwiseBilateral(float sxy, float srgb, Maps image, float compat) {
    addPairwiseBilateral(sxy, srgb, image, Compatibility.potts(compat), Normalisation.SYMMETRIC, true);
  }

  /**
   * The bilateral kernel for an image in this project's convention: 3 x height x width, RGB in
   * [0, 1], scaled by 255 to the library's range.
   */
  public void addPairwiseBilateral(
      float sxy, float srgb, Maps image, Compatibility compat, Normalisation normalisation, boolean selfTerm) {
    addPairwiseEnergy(
        new PermutohedralLattice(bilateralFeatures(sxy, srgb, image), 5), compat, normalisation, selfTerm);
  }

  /**
   * A kernel on any features through any filter (for example an {@link ExactGaussianFilter} to get
   * the exact dense CRF).
   */
  public void addPairwiseEnergy(
      GaussianFilter filter, Compatibility compat, Normalisation normalisation, boolean selfTerm) {
    if (filter.points() != n) {
      throw new IllegalArgumentException(
          "the kernel has " + filter.points() + " points but the CRF has " + width + "x" + height + " = " + n);
    }
    if (!compat.isPotts() && compat.labels() != labels) {
      throw new IllegalArgumentException(
          "compatibility matrix is " + compat.labels() + "x" + compat.labels() + " but the CRF has "
              + labels + " labels");
    }
    GaussianKernel kernel = new GaussianKernel(filter, normalisation, selfTerm);
    pairwise.add(new Pairwise(kernel, compat, compat.isPotts() ? null : compat.applier(labels, stride)));
  }

  /** Features (x/sxy, y/sxy) of every pixel, x = column, y = row: float divisions as in the library. */
  public float[] gaussianFeatures(float sxy) {
    return positions(sxy, 2);
  }

  /** Features (x/sxy, y/sxy, R/srgb, G/srgb, B/srgb) from interleaved 8-bit RGB. */
  public float[] bilateralFeatures(float sxy, float srgb, byte[] rgb) {
    if (rgb.length != 3 * n) {
      throw new IllegalArgumentException(
          "image has " + rgb.length + " bytes, " + height + "x" + width + "x3 needs " + 3L * n);
    }
    float[] f = bilateralPositions(sxy, srgb);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        f[5 * i + 2 + c] = (rgb[3 * i + c] & 0xff) / srgb;
      }
    }
    return f;
  }

  /** Features (x/sxy, y/sxy, R/srgb, G/srgb, B/srgb) from a 3 x H x W image with RGB in [0, 1]. */
  public float[] bilateralFeatures(float sxy, float srgb, Maps image) {
    if (image.c != 3) {
      throw new IllegalArgumentException("image must have 3 channels (RGB), got " + image.c);
    }
    requireSize(image, "image");
    float[] f = bilateralPositions(sxy, srgb);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        f[5 * i + 2 + c] = image.data[c * n + i] * 255f / srgb;
      }
    }
    return f;
  }

  private float[] bilateralPositions(float sxy, float srgb) {
    requireDeviation(srgb, "srgb");
    return positions(sxy, 5);
  }

  /** {@code dims} features per pixel, the first two (x/sxy, y/sxy), the others left 0. */
  private float[] positions(float sxy, int dims) {
    requireDeviation(sxy, "sxy");
    float[] f = new float[n * dims];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * dims;
        f[i] = x / sxy;
        f[i + 1] = y / sxy;
      }
    }
    return f;
  }

  private static void requireDeviation(float s, String name) {
    if (!(s > 0) || !Float.isFinite(s)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + s);
    }
  }

  // ---------------------------------------------------------------- inference

  /** Runs {@code iterations} mean-field updates from Q0 = softmax(-U); returns Q (labels x H x W). */
  public Maps inference(int iterations) {
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
    if (unaryLogits == null) {
      throw new IllegalStateException("set the unary (setUnaryFromProbabilities or setUnaryEnergy) first");
    }
    if (q == null) {
      q = new float[n * stride];
    }
    Ranges.forEach(n, RANGE, (i0, i1) -> softmax(null, i0, i1));
    for (int it = 0; it < iterations; it++) {
      for (Pairwise p : pairwise) {
        p.kernel.prepare(q, stride);
      }
      // Messages of a range of pixels go to a small per-thread buffer, and their softmax
      // overwrites that range of Q at once: every kernel has taken Q in prepare, and the self
      // terms read only the range itself.
      Ranges.forEach(
          n,
          RANGE,
          (i0, i1) -> {
            float[][] buffers = scratch.get();
            messages(i0, i1, buffers[0], 0, buffers[1]);
            softmax(buffers[0], i0, i1);
          });
    }
    return transposeOut(q);
  }

  /** The most likely label of every pixel after {@code iterations} updates (row-major). */
  public int[] map(int iterations) {
    return LabelMaps.argmax(inference(iterations));
  }

  /**
   * The messages sum_k (w_k K~_k Q  or  -mu_k K~_k Q) of the pixels [i0, i1) of the prepared
   * kernels, into {@code out} from {@code offset}; {@code work} holds a matrix kernel's K~ Q.
   */
  private void messages(int i0, int i1, float[] out, int offset, float[] work) {
    if (pairwise.isEmpty()) {
      Arrays.fill(out, offset, offset + (i1 - i0) * stride, 0f);
    }
    for (int k = 0; k < pairwise.size(); k++) {
      Pairwise p = pairwise.get(k);
      if (p.compat.isPotts()) {
        p.kernel.slice(out, offset, i0, i1, p.compat.pottsWeight(), k > 0);
      } else {
        p.kernel.slice(work, 0, i0, i1, 1f, false);
        p.applier.addTo(work, 0, out, offset, i1 - i0, k > 0);
      }
    }
  }

  /**
   * Q_i = softmax(-U_i + messages_i) over the labels of the pixels [i0, i1), messages_i at {@code
   * msg[(i - i0) * stride]} (no messages: Q0); the padding's -inf gives exp = 0.
   */
  private void softmax(float[] msg, int i0, int i1) {
    float[] logits = unaryLogits;
    float[] out = q;
    // The intermediate logits and exponentials live in the messages' buffer (in cache): Q is
    // written once. Without messages (Q0), Q itself serves.
    float[] work = msg == null ? q : msg;
    for (int i = i0; i < i1; i++) {
      int row = i * stride;
      int workRow = msg == null ? row : (i - i0) * stride;
      if (Simd.VECTOR) {
        CrfVectors.softmax(logits, msg, work, out, row, workRow, stride);
        continue;
      }
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < stride; c++) {
        float x = msg == null ? logits[row + c] : logits[row + c] + msg[workRow + c];
        work[workRow + c] = x;
        max = Math.max(max, x);
      }
      float sum = 0f;
      for (int c = 0; c < stride; c++) {
        float e = (float) Math.exp(work[workRow + c] - max);
        work[workRow + c] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int c = 0; c < stride; c++) {
        out[row + c] = work[workRow + c] * inv;
      }
    }
  }

  // ---------------------------------------------------------------- objective

  /**
   * The mean-field objective of a Q (labels x H x W), KL(Q || P) up to the constant ln Z:
   *
   * <pre>
   *   F(Q) = sum_i sum_u Q_i(u) (ln Q_i(u) + U_i(u))  -  1/2 sum_k &lt;Q, messages_k(Q)&gt;
   * </pre>
   *
   * The mean-field update is its stationary point, and with a symmetric positive semi-definite K~
   * and Potts weights w >= 0 every parallel update lowers it (Krähenbühl and Koltun, ICML 2013). The
   * reference library's {@code klDivergence} leaves out the 1/2, so its numbers differ.
   */
  public double klDivergence(Maps qMaps) {
    requireShape(qMaps, "Q");
    if (unaryLogits == null) {
      throw new IllegalStateException("set the unary first");
    }
    float[] marginals = transposeIn(qMaps.data, "Q", 0f, false);
    float[] msg = new float[n * stride];
    for (Pairwise p : pairwise) {
      p.kernel.prepare(marginals, stride);
    }
    Ranges.forEach(n, RANGE, (i0, i1) -> messages(i0, i1, msg, i0 * stride, scratch.get()[1]));
    double kl = 0;
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < labels; l++) {
        double ql = qMaps.data[l * n + i];
        int k = i * stride + l;
        kl += ql * (Math.log(Math.max(ql, 1e-20)) - unaryLogits[k] - 0.5 * msg[k]);
      }
    }
    return kl;
  }

  // ---------------------------------------------------------------- layout helpers

  /** Pixel-major padded to labels x H x W. */
  private Maps transposeOut(float[] src) {
    Maps out = new Maps(labels, height, width);
    float[] dst = out.data;
    forEachLabelPixel((l, i) -> dst[l * n + i] = src[i * stride + l], (i0, i1) -> {});
    return out;
  }

  /** A step of a transpose between label-major and pixel-major layouts. */
  @FunctionalInterface
  private interface LabelPixelStep {
    void apply(int label, int pixel);
  }

  /** Work on a whole range of pixels [i0, i1) once its transposed values are written. */
  @FunctionalInterface
  private interface RangeStep {
    void apply(int i0, int i1);
  }

  /**
   * Runs {@code step} on every (label, pixel) over parallel ranges of pixels, then {@code after} on
   * each range. In blocks that stay in L1: one side's accesses stride over the pixels' rows.
   */
  private void forEachLabelPixel(LabelPixelStep step, RangeStep after) {
    Ranges.forEach(
        n,
        GRAIN,
        (i0, i1) -> {
          for (int b0 = i0; b0 < i1; b0 += BLOCK) {
            int b1 = Math.min(i1, b0 + BLOCK);
            for (int l = 0; l < labels; l++) {
              for (int i = b0; i < b1; i++) {
                step.apply(l, i);
              }
            }
          }
          after.apply(i0, i1);
        });
  }

  private void requireShape(Maps m, String what) {
    if (m.c != labels) {
      throw new IllegalArgumentException(what + " has " + m.c + " labels but the CRF has " + labels);
    }
    requireSize(m, what);
  }

  private void requireSize(Maps m, String what) {
    if (m.h != height || m.w != width) {
      throw new IllegalArgumentException(
          what + " is " + m.h + "x" + m.w + " (HxW) but the CRF is " + height + "x" + width);
    }
  }
}
