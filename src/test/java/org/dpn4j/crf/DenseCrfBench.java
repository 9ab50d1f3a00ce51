package org.dpn4j.crf;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dpn4j.head.Maps;
import org.dpn4j.util.Parallel;

/**
 * Timing harness for {@link DenseCrf}, run by hand (not a test):
 *
 * <pre>
 *   mvn -B -q -o test-compile
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     org.dpn4j.crf.DenseCrfBench [image.jpg|synthetic] [size=512 or WxH] [labels=21] [repeats=7] [threads=1,2] [iterations=1,5,10]
 * </pre>
 *
 * The usual settings of DESIGN.md section 5: Potts, Gaussian sxy 3 compat 3, bilateral sxy 80 srgb
 * 13 compat 10, smooth random probabilities. Prints the median (and minimum) over the repeats of the
 * set-up (unary and both lattices) and of the inference, after one untimed warm-up round per thread
 * count. The machine is shared: with one thread, the main thread's CPU time (the whole work, less
 * sensitive to other processes than the wall clock) is printed as well.
 */
public final class DenseCrfBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private DenseCrfBench() {}

  public static void main(String[] args) throws IOException {
    String source = args.length > 0 ? args[0] : "../shared/data/voc/JPEGImages/2007_000129.jpg";
    String[] size = (args.length > 1 ? args[1] : "512").split("x");
    int w = Integer.parseInt(size[0]);
    int h = Integer.parseInt(size[size.length - 1]);
    int labels = args.length > 2 ? Integer.parseInt(args[2]) : 21;
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    int[] threads = ints(args.length > 4 ? args[4] : "1,2");
    int[] iterations = ints(args.length > 5 ? args[5] : "1,5,10");
    byte[] rgb = source.equals("synthetic") ? syntheticImage(w, h) : loadImage(source, w, h);
    Maps p = smoothProbabilities(labels, h, w, 7);
    System.out.printf("image %s resized to %dx%d (WxH), %d labels, %d repeats (median / min ms)%n", source, w, h,
        labels, repeats);
    for (int t : threads) {
      Parallel.setThreads(t);
      run(p, rgb, w, h, labels, iterations, 2);
      for (int it : iterations) {
        double[][] times = run(p, rgb, w, h, labels, new int[] {it}, repeats);
        System.out.printf(
            "threads %d  iterations %2d  set-up %6.1f / %6.1f  inference %6.1f / %6.1f  total %6.1f / %6.1f"
                + "  (main thread CPU %6.1f / %6.1f)%n",
            t, it, median(times[0]), min(times[0]), median(times[1]), min(times[1]), median(times[2]),
            min(times[2]), median(times[3]), min(times[3]));
      }
    }
    System.exit(0);
  }

  private static double[][] run(Maps p, byte[] rgb, int w, int h, int labels, int[] iterations, int repeats) {
    double[][] times = new double[4][repeats * iterations.length];
    int k = 0;
    for (int r = 0; r < repeats; r++) {
      for (int it : iterations) {
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        DenseCrf crf = new DenseCrf(w, h, labels);
        crf.setUnaryFromProbabilities(p);
        crf.addPairwiseGaussian(3, 3);
        crf.addPairwiseBilateral(80, 13, rgb, 10);
        long t1 = System.nanoTime();
        Maps q = crf.inference(it);
        long t2 = System.nanoTime();
        long c2 = CPU.getCurrentThreadCpuTime();
        if (!Float.isFinite(q.data[0])) {
          throw new IllegalStateException("inference gave " + q.data[0]);
        }
        times[0][k] = (t1 - t0) / 1e6;
        times[1][k] = (t2 - t1) / 1e6;
        times[2][k] = (t2 - t0) / 1e6;
        times[3][k] = (c2 - c0) / 1e6;
        k++;
      }
    }
    return times;
  }

  /** Softmax of random logits on a coarse grid (every 32 px), bilinearly upsampled, times sharpness. */
  static Maps smoothProbabilities(int labels, int h, int w, long seed) {
    Random rnd = new Random(seed);
    int gh = h / 32 + 2;
    int gw = w / 32 + 2;
    float[] grid = new float[labels * gh * gw];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (float) rnd.nextGaussian() * 3f;
    }
    Maps p = new Maps(labels, h, w);
    float[] logit = new float[labels];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float gy = y / 32f;
        float gx = x / 32f;
        int y0 = (int) gy;
        int x0 = (int) gx;
        float fy = gy - y0;
        float fx = gx - x0;
        float max = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < labels; l++) {
          int b = l * gh * gw;
          logit[l] = (1 - fy) * ((1 - fx) * grid[b + y0 * gw + x0] + fx * grid[b + y0 * gw + x0 + 1])
              + fy * ((1 - fx) * grid[b + (y0 + 1) * gw + x0] + fx * grid[b + (y0 + 1) * gw + x0 + 1]);
          max = Math.max(max, logit[l]);
        }
        double sum = 0;
        for (int l = 0; l < labels; l++) {
          sum += Math.exp(logit[l] - max);
        }
        for (int l = 0; l < labels; l++) {
          p.set(l, y, x, (float) (Math.exp(logit[l] - max) / sum));
        }
      }
    }
    return p;
  }

  static byte[] loadImage(String path, int w, int h) throws IOException {
    BufferedImage src = ImageIO.read(new File(path));
    if (src == null) {
      throw new IOException("cannot read an image from " + path);
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = img.getRGB(x, y);
        int i = (y * w + x) * 3;
        rgb[i] = (byte) (v >> 16);
        rgb[i + 1] = (byte) (v >> 8);
        rgb[i + 2] = (byte) v;
      }
    }
    return rgb;
  }

  /** Colour gradients with a few discs and noise: a stand-in for a photo. */
  static byte[] syntheticImage(int w, int h) {
    Random rnd = new Random(3);
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean disc = Math.hypot(x - w * 0.3, y - h * 0.4) < w * 0.2 || Math.hypot(x - w * 0.7, y - h * 0.7) < w * 0.15;
        int i = (y * w + x) * 3;
        rgb[i] = (byte) clamp((disc ? 200 : 255 * x / w) + rnd.nextGaussian() * 8);
        rgb[i + 1] = (byte) clamp((disc ? 40 : 255 * y / h) + rnd.nextGaussian() * 8);
        rgb[i + 2] = (byte) clamp((disc ? 90 : 128) + rnd.nextGaussian() * 8);
      }
    }
    return rgb;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }
}
