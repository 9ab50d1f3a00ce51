package org.dpn4j.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dpn4j.data.CamVidDataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.MedianFrequency;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.model.DpnModel;
import org.dpn4j.util.Progress;
import org.dpn4j.video.FlowMethod;

/**
 * The spatio-temporal head's training ({@code dpn train-video}; DESIGN.md section 1,
 * "Spatio-temporal DPN"): the 3D head starts as {@code DpnHead3d.from(model.head(), context)}; the
 * unary is frozen (its probabilities and the flows between neighbours are computed once, cached
 * under {@code WORK/cache}); {@link TemporalHeadTrainer} trains the 3D head's b12 weights and 3D b13
 * with the cross-entropy on frame t, with a checkpoint in {@code WORK/checkpoint} and the log
 * {@code WORK/training-log.csv}. The output is the model with its spatio-temporal head.
 */
public final class TemporalTraining {

  /** Opens the trained 2D model (once the request's checks have passed). */
  @FunctionalInterface
  public interface ModelSource {
    DpnModel open() throws IOException;
  }

  /**
   * What to train.
   *
   * @param splits the CamVid splits whose labelled frames train the head, as one set (e.g. train and val)
   * @param lr the base learning rate, or null for the optimiser's default (SGD 1, Adam 0.01)
   * @param context the 3D b13's size m (m x m x 3)
   */
  public record Request(Path root, List<String> splits, Path out, Path work, int context, long iterations, Double lr,
      boolean adam, long seed, String flow, long checkpointEvery, boolean temporalTapsOnly, boolean classWeights,
      boolean resume) {

    double baseLr() {
      return lr != null ? lr : adam ? 0.01 : 1;
    }

    Optimiser newOptimiser() {
      return adam ? Adam.defaults() : Sgd.defaults();
    }
  }

  private TemporalTraining() {}

  /** Runs {@code r} on the model {@code source} opens; progress on {@code err}. */
  public static void run(Request r, ModelSource source, PrintWriter err) throws IOException {
    if (r.iterations() < 1) {
      throw new IllegalArgumentException("--iterations must be >= 1, got " + r.iterations());
    }
    if (Files.exists(r.out())) {
      throw new IllegalArgumentException("--out " + r.out() + " exists; remove it or choose another name");
    }
    Path checkpoint = r.work().resolve("checkpoint");
    if (Files.exists(checkpoint) && !r.resume()) {
      throw new IllegalArgumentException(
          checkpoint + " already holds a checkpoint: add --resume to continue it, or remove it");
    }
    try (DpnModel model = source.open()) {
      long t0 = System.nanoTime();
      // The head trains where the labels are, at the frames' own size; the model keeps its input size.
      int longSide = model.config().input().longSide();
      model.setLongSide(0);
      CamVidTemporalSet frames = CamVidTemporalSet.open(model, r.root(), r.splits(), FlowMethod.parse(r.flow()),
          r.work().resolve("cache"), cacheProgress(err));
      DpnHead3d head = DpnHead3d.from(model.head(), r.context());
      TemporalHeadTrainer trainer = r.resume() ? resumed(r, checkpoint, head)
          : new TemporalHeadTrainer(head, r.newOptimiser(), new PolySchedule(r.baseLr(), r.iterations()),
              loss(r, model), r.seed(), r.temporalTapsOnly());
      CsvLog.Resume from = r.resume() ? new CsvLog.Resume(null, trainer.iteration()) : null;
      try (TrainingLog log = new TrainingLog(r.work().resolve("training-log.csv"), TrainingLog.Layout.TEMPORAL, from,
          checkpoint, err)) {
        trainer.run(frames, checkpoint, r.checkpointEvery(), log);
      }
      model.setTemporalHead(head);
      model.setLongSide(longSide);
      model.save(r.out());
      err.printf(Locale.ROOT, "wrote %s (%d frames, %d iterations, %.0f s)%n", r.out(), frames.size(), r.iterations(),
          (System.nanoTime() - t0) / 1e9);
      err.flush();
    }
  }

  /**
   * The cache's two phases (probabilities, then flows) on the one {@link Progress} display each, a
   * phase's rate counted from the end of the one before.
   */
  private static CamVidTemporalSet.Progress cacheProgress(PrintWriter err) {
    String[] phase = {null};
    long[] start = {System.nanoTime()};
    Progress[] line = {null};
    return (what, done, total) -> {
      if (!what.equals(phase[0])) {
        phase[0] = what;
        line[0] = Progress.onStderr(err, "cache " + what, total, "frames", start[0]);
      }
      line[0].step(done);
      if (done == total) {
        start[0] = System.nanoTime();
      }
    };
  }

  private static CrossEntropy loss(Request r, DpnModel model) throws IOException {
    CamVidDataset d = new CamVidDataset(r.root());
    return new CrossEntropy(model.config().labels().ignore(),
        r.classWeights() ? MedianFrequency.weights(d, Datasets.samples(d, r.splits())) : null);
  }

  private static TemporalHeadTrainer resumed(Request r, Path checkpoint, DpnHead3d head) throws IOException {
    TemporalHeadTrainer t = TemporalHeadTrainer.resume(checkpoint, head);
    PolySchedule s = t.schedule();
    if (s.maxIterations() != r.iterations() || s.base() != r.baseLr() || t.seed() != r.seed()
        || t.optimiser().getClass() != r.newOptimiser().getClass() || t.temporalTapsOnly() != r.temporalTapsOnly()
        || (t.lossFunction().classWeights() != null) != r.classWeights()) {
      throw new IllegalArgumentException("the checkpoint " + checkpoint + " was made with --iterations "
          + s.maxIterations() + " --lr " + s.base() + " --seed " + t.seed()
          + (t.temporalTapsOnly() ? " --temporal-taps-only" : "")
          + (t.lossFunction().classWeights() != null ? " --class-weights" : "")
          + " and the optimiser " + t.optimiser().getClass().getSimpleName().toLowerCase(Locale.ROOT)
          + ": resume with the same options");
    }
    return t;
  }
}
