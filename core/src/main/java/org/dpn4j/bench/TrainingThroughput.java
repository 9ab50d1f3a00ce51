package org.dpn4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Photometric;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SampleLoader;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.PolySchedule;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.UnaryTrainer;

/**
 * Images per second of stage {@code unary}'s training step as {@code dpn train} runs it (issue 12):
 * a fresh model of the named unary (its random initialisation costs what ImageNet weights do),
 * batches of augmented crops from a {@link SampleLoader} on background threads, {@link
 * UnaryTrainer#step} (forward, cross-entropy, backward, SGD). Each step's wall time counts the wait
 * for the loader too, as training does; the median over the timed steps gives the rate.
 */
public final class TrainingThroughput {

  private TrainingThroughput() {}

  /**
   * What to time.
   *
   * @param net the unary's architecture (mobilenetv2, vgg-lite, ...)
   * @param warmup untimed steps first (the first steps allocate and tune kernels)
   * @param steps timed steps
   * @param workers the loader's threads
   */
  public record Settings(String net, int cropH, int cropW, int batch, int warmup, int steps, int workers,
      Photometric photometric, long seed) {

    public Settings {
      if (batch < 1 || warmup < 0 || steps < 1 || workers < 1) {
        throw new IllegalArgumentException("batch, steps and workers must be >= 1 and warmup >= 0, got " + batch
            + ", " + steps + ", " + workers + ", " + warmup);
      }
    }
  }

  /**
   * The figures: step times in ms (median, minimum, maximum of the timed steps), the median time a
   * step waited for the loader, the images per second of the median step, the process's peak
   * resident memory (MiB) and the last step's loss.
   */
  public record Result(double medianMs, double minMs, double maxMs, double medianWaitMs, double imagesPerSecond,
      double peakRssMiB, double lastLoss) {}

  /** Times {@code s.steps()} training steps on {@code samples} of {@code dataset} after the warm-up. */
  public static Result run(Dataset dataset, List<Sample> samples, Settings s) throws IOException {
    ModelConfig config = ModelConfig.defaults(s.net(), dataset.labels());
    int total = s.warmup() + s.steps();
    long epochs = ((long) total * s.batch() + samples.size() - 1) / samples.size();
    try (DpnModel model = DpnModel.create(config);
        UnaryTrainer trainer = UnaryTrainer.start(model, Sgd.defaults(), new PolySchedule(0.002, total),
            CrossEntropy.unweighted(dataset.labels().ignore()), s.seed());
        SampleLoader loader = new SampleLoader(dataset, samples,
            Augmentation.training(s.cropH(), s.cropW(), config.input().normalisation(), dataset.labels().ignore())
                .withPhotometric(s.photometric()),
            SampleLoader.Options.training(s.seed(), epochs, s.workers()))) {
      double[] step = new double[s.steps()];
      double[] wait = new double[s.steps()];
      double loss = Double.NaN;
      for (int i = 0; i < total; i++) {
        long t0 = System.nanoTime();
        List<LabelledImage> batch = new ArrayList<>(s.batch());
        for (int b = 0; b < s.batch(); b++) {
          batch.add(loader.next().sample());
        }
        long t1 = System.nanoTime();
        loss = trainer.step(batch).loss();
        long t2 = System.nanoTime();
        if (i >= s.warmup()) {
          step[i - s.warmup()] = (t2 - t0) / 1e6;
          wait[i - s.warmup()] = (t1 - t0) / 1e6;
        }
      }
      double median = median(step);
      return new Result(median, Arrays.stream(step).min().orElseThrow(), Arrays.stream(step).max().orElseThrow(),
          median(wait), s.batch() / (median / 1e3), Stopwatch.peakRssMiB(), loss);
    }
  }

  static double median(double[] v) {
    double[] a = v.clone();
    Arrays.sort(a);
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }
}
