package org.dpn4j.eval;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SampleLoader;
import org.dpn4j.io.AtomicFiles;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.io.OutputGuard;
import org.dpn4j.model.Segmentation;

/**
 * Scores an {@link Ensemble} on samples of a dataset: every image's prediction is reduced to
 * label maps (the arg-max of the probabilities at the image's size) and added to two
 * {@link SegmentationMetrics}, one for the unary alone and one for the whole DPN, with the
 * dataset's ignore value. Images are decoded on a background thread while the models run.
 */
public final class Evaluation {

  /** The metrics of the unary alone and of the DPN over the same images, and the run's wall-clock seconds. */
  public record Result(MetricsResult unary, MetricsResult dpn, double seconds) {}

  /** Told after each image: how many are done of how many, and the seconds since the start. */
  @FunctionalInterface
  public interface Progress {
    void imageDone(int done, int total, double seconds);
  }

  private Evaluation() {}

  /**
   * Evaluates {@code samples} of {@code dataset} in order. With a {@code saveDir} (else null) it
   * writes, for each sample NAME, {@code NAME.png} (the DPN's labels as 8-bit indices with the
   * first model's colours as palette), {@code NAME_unary.png} (the same for the unary) and
   * {@code NAME_overlay.png} (the DPN's colours half over the photo), each atomically.
   *
   * @throws IllegalArgumentException if the models' classes are not the dataset's
   * @throws IOException naming the file of a sample that cannot be read, or an output file
   */
  public static Result run(
      Ensemble ensemble, Dataset dataset, List<Sample> samples, Path saveDir, Progress progress)
      throws IOException {
    long start = System.nanoTime();
    Tallies t = score(ensemble, dataset, samples, saveDir, progress);
    return new Result(t.unary().result(), t.dpn().result(), seconds(start));
  }

  /**
   * The unary's and the DPN's metrics of some images, not yet reduced to a {@link MetricsResult}:
   * tallies of separate runs (Spark partitions) {@link #merge merge} into those of the union.
   */
  public record Tallies(SegmentationMetrics unary, SegmentationMetrics dpn) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Adds {@code other}'s images to these; returns these. */
    public Tallies merge(Tallies other) {
      unary.merge(other.unary);
      dpn.merge(other.dpn);
      return this;
    }
  }

  /** {@link #run}'s scoring without the reduction to results: the tallies to {@link Tallies#merge merge}. */
  public static Tallies score(
      Ensemble ensemble, Dataset dataset, List<Sample> samples, Path saveDir, Progress progress)
      throws IOException {
    LabelSet truth = dataset.labels();
    if (!ensemble.labels().names().equals(truth.names())) {
      throw new IllegalArgumentException(
          "the model's classes " + ensemble.labels().names() + " are not the dataset's " + truth.names());
    }
    if (saveDir != null) {
      AtomicFiles.createFolder(saveDir);
    }
    SegmentationMetrics unary = new SegmentationMetrics(truth.names(), truth.ignore());
    SegmentationMetrics dpn = new SegmentationMetrics(truth.names(), truth.ignore());
    long start = System.nanoTime();
    try (SampleLoader loader =
        new SampleLoader(dataset, samples, (pair, seed) -> pair, SampleLoader.Options.evaluation(1))) {
      int done = 0;
      while (loader.hasNext()) {
        LabelledImage image = loader.next().sample();
        Ensemble.Prediction p = ensemble.predict(image.image());
        Segmentation u = new Segmentation(image.image(), p.unary(), ensemble.labels());
        Segmentation d = new Segmentation(image.image(), p.dpn(), ensemble.labels());
        unary.add(u.labels(), image.labels(), image.w(), image.h());
        dpn.add(d.labels(), image.labels(), image.w(), image.h());
        if (saveDir != null) {
          save(image.name(), u, d, saveDir);
        }
        progress.imageDone(++done, samples.size(), seconds(start));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new Tallies(unary, dpn);
  }

  /**
   * Refuses, before any work, a {@code saveDir} whose outputs would land in the dataset's image or
   * label folders (overwriting the ground truth) or on any other input, or two samples that would
   * write the same file; {@code others} are further inputs (the models). Null {@code saveDir}: nothing to check.
   *
   * @throws IllegalArgumentException naming each refused output and why
   */
  public static void checkOutputs(List<Sample> samples, Path saveDir, List<Path> others) {
    if (saveDir == null) {
      return;
    }
    OutputGuard guard = new OutputGuard();
    others.forEach(guard::input);
    for (Sample s : samples) {
      guard.folder(parent(s.image()), "the dataset's image folder " + parent(s.image()));
      guard.folder(parent(s.label()), "the dataset's label folder " + parent(s.label()));
    }
    for (Sample s : samples) {
      for (String suffix : new String[] {".png", "_unary.png", "_overlay.png"}) {
        guard.output(saveDir.resolve(s.name() + suffix), s.image());
      }
    }
    guard.check();
  }

  private static Path parent(Path file) {
    return file.toAbsolutePath().getParent();
  }

  private static void save(String name, Segmentation unary, Segmentation dpn, Path dir) throws IOException {
    Path labels = dir.resolve(name + ".png");
    LabelMaps.writePng(dpn.labelImage(), labels);
    LabelMaps.writePng(unary.labelImage(), dir.resolve(name + "_unary.png"));
    LabelMaps.writePng(dpn.overlay(), dir.resolve(name + "_overlay.png"));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
