package org.dpn4j.head;

import java.util.Arrays;
import java.util.Random;
import org.dpn4j.util.Parallel;

/**
 * A timing harness for b12 (not a test): {@code java ... TriplePenaltyTiming H W L m [reps] [ref]}.
 * Prints medians of the fast forward, forward + backward and (with "ref") one reference forward,
 * and the fast-vs-reference errors of the colour and position parts.
 */
public final class TriplePenaltyTiming {
  public static void main(String[] args) {
    int h = Integer.parseInt(args[0]);
    int w = Integer.parseInt(args[1]);
    int labels = Integer.parseInt(args[2]);
    int m = Integer.parseInt(args[3]);
    int reps = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    boolean ref = args.length > 5 && args[5].equals("ref");
    if (System.getProperty("threads") != null) {
      Parallel.setThreads(Integer.getInteger("threads"));
    }
    Random rnd = new Random(1);
    Maps q = TriplePenaltyTest.smoothProbabilities(labels, h, w, rnd);
    Maps image = TriplePenaltyTest.photoLike(h, w, rnd);
    Maps g = TriplePenaltyTest.random(labels, h, w, rnd);
    TriplePenalty b12 = new TriplePenalty(labels, TriplePenalty.Options.defaults().withWindow(Window.of(m)));
    double[] fwd = new double[reps];
    double[] both = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      b12.forward(q, image);
      long t1 = System.nanoTime();
      b12.forward(q, image);
      b12.backward(q, image, g);
      long t2 = System.nanoTime();
      fwd[i] = (t1 - t0) / 1e6;
      both[i] = (t2 - t1) / 1e6;
    }
    System.out.printf("%dx%dx%d window %d, %d threads: fast forward median %.2f ms (min %.2f), forward+backward median %.2f ms (min %.2f)%n",
        h, w, labels, m, Parallel.threads(), median(fwd), Arrays.stream(fwd).min().getAsDouble(), median(both), Arrays.stream(both).min().getAsDouble());
    if (ref) {
      long t0 = System.nanoTime();
      TriplePenalty.Parts r = b12.partsReference(q, image);
      double tr = (System.nanoTime() - t0) / 1e6;
      TriplePenalty.Parts f = b12.parts(q, image);
      System.out.printf("reference parts %.0f ms (ratio %.0fx); rel err colour %.3g position %.3g%n", tr, tr / median(fwd),
          TriplePenaltyTest.relErr(f.colour(), r.colour()), TriplePenaltyTest.relErr(f.position(), r.position()));
    }
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
