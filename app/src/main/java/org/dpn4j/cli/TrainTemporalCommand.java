package org.dpn4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpn4j.data.CamVidDataset;
import org.dpn4j.data.MedianFrequency;
import org.dpn4j.model.DpnModel;
import org.dpn4j.train.Adam;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.CsvLog;
import org.dpn4j.train.Optimiser;
import org.dpn4j.train.PolySchedule;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.TemporalCheckpoint;
import org.dpn4j.train.TemporalHeadTrainer;
import org.dpn4j.train.CamVidTemporalSet;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.video.FlowMethod;
import org.dpn4j.head.LabelContexts3d;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dpn train-video}: learns the spatio-temporal head (DESIGN.md section 1, "Spatio-temporal
 * DPN") of a trained 2D model on CamVid's labelled frames and their labelled neighbours. The head
 * starts as {@code DpnHead3d.from(model.head(), --context)}; the unary is frozen (its probabilities
 * and the flows between neighbours are computed once, cached under {@code --work}); the 3D head's
 * b12 weights and 3D b13 are trained with the cross-entropy on frame t ({@link TemporalHeadTrainer}).
 * The output is the model with its spatio-temporal head (docs/MODEL_FORMAT.md, head.temporal).
 */
@Command(
    name = "train-video",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    header = "Trains the spatio-temporal head of a trained model on CamVid sequences (frozen unary).",
    description = {
      "Starts the 3D head from the model's 2D head (b13 on tau = 0, zero on tau = +-1) and trains its "
          + "b12 weights and 3D b13 on frame t with its neighbouring labelled frames t-1, t+1 warped along "
          + "the optical flow. Unary probabilities and flows are cached under --work (cache/), with the "
          + "checkpoint (checkpoint/) and the log (training-log.csv). Writes the model with its temporal "
          + "head."
    })
public final class TrainTemporalCommand implements Callable<Integer> {

  private static final long PROGRESS_MS = 5000;

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  /** The trained 2D model. */
  @Mixin ModelOption modelOption;

  @Option(names = "--dataset", defaultValue = "camvid", paramLabel = "camvid",
      description = "The dataset's layout; only camvid has labelled neighbouring frames (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The CamVid folder (train.txt, val.txt, ...).")
  Path root;

  @Option(names = "--split", defaultValue = "train", paramLabel = "S", description = "The split (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--out", required = true, paramLabel = "M3", description = "The model written, with its temporal head.")
  Path out;

  @Option(names = "--work", required = true, paramLabel = "DIR",
      description = "The run directory: cache/ (probabilities, flows), checkpoint/, training-log.csv.")
  Path work;

  @Option(names = "--context", defaultValue = "" + LabelContexts3d.DEFAULT_SIZE, paramLabel = "M",
      description = "The 3D b13's size m x m x 3 (default ${DEFAULT-VALUE}, the paper's; the 2D b13's size starts the 3D head"
          + " exactly equal to the 2D head).")
  int context;

  @Option(names = "--iterations", defaultValue = "800", paramLabel = "N", description = "Steps of one frame (default: ${DEFAULT-VALUE}).")
  long iterations;

  @Option(names = "--lr", paramLabel = "X", description = "Base learning rate of the poly schedule (default: 1 for sgd, 0.01 for adam).")
  Double lr;

  @Option(names = "--optimiser", defaultValue = "sgd", paramLabel = "sgd|adam", description = "Default: ${DEFAULT-VALUE}.")
  TrainCommand.OptimiserOption optimiser;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the frame order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--flow", defaultValue = "dis-fast", paramLabel = "METHOD",
      description = "Optical flow: dis-ultrafast, dis-fast (default), dis-medium or farneback.")
  String flow;

  @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
      description = "Save a checkpoint every N steps, and at the end (default: ${DEFAULT-VALUE}).")
  long checkpointEvery;

  @Option(names = "--temporal-taps-only",
      description = "Train only b13's taps on the neighbouring frames (tau = +-1); b12's weights and the tau = 0 taps"
          + " (the 2D head's) stay as they start.")
  boolean temporalTapsOnly;

  @Option(names = "--class-weights",
      description = "Weigh the cross-entropy by median frequency balancing over the split's labels (DESIGN.md section 3).")
  boolean classWeights;

  @Option(names = "--resume", description = "Continue the run saved in WORK/checkpoint.")
  boolean resume;

  @Override
  public Integer call() throws IOException {
    threads.apply();
    PrintWriter err = spec.commandLine().getErr();
    if (!dataset.equalsIgnoreCase("camvid")) {
      throw new ParameterException(spec.commandLine(), "--dataset " + dataset
          + ": only camvid is supported (the labelled frames must form sequences with labelled neighbours)");
    }
    if (iterations < 1) {
      throw new ParameterException(spec.commandLine(), "--iterations must be >= 1, got " + iterations);
    }
    if (Files.exists(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " exists; remove it or choose another name");
    }
    Path checkpoint = work.resolve("checkpoint");
    if (Files.exists(checkpoint) && !resume) {
      throw new ParameterException(spec.commandLine(),
          checkpoint + " already holds a checkpoint: add --resume to continue it, or remove it");
    }
    double base = lr != null ? lr : optimiser == TrainCommand.OptimiserOption.sgd ? 1 : 0.01;
    try (DpnModel model = modelOption.load()) {
      long t0 = System.nanoTime();
      CamVidTemporalSet frames = CamVidTemporalSet.open(model, root, split, FlowMethod.parse(flow),
          work.resolve("cache"), cacheProgress(err));
      DpnHead3d head = DpnHead3d.from(model.head(), context);
      TemporalHeadTrainer trainer = resume ? resumed(checkpoint, head, base) : new TemporalHeadTrainer(head,
          newOptimiser(), new PolySchedule(base, iterations), loss(model), seed, temporalTapsOnly);
      try (Progress progress = new Progress(work.resolve("training-log.csv"), resume, err)) {
        trainer.run(frames, checkpoint, checkpointEvery, progress);
      }
      model.setTemporalHead(head);
      model.save(out);
      err.printf(Locale.ROOT, "wrote %s (%d frames, %d iterations, %.0f s)%n", out, frames.size(), iterations,
          (System.nanoTime() - t0) / 1e9);
      err.flush();
      return 0;
    }
  }

  private CrossEntropy loss(DpnModel model) throws IOException {
    CamVidDataset d = new CamVidDataset(root);
    return new CrossEntropy(model.config().labels().ignore(),
        classWeights ? MedianFrequency.weights(d, d.samples(split)) : null);
  }

  private Optimiser newOptimiser() {
    return optimiser == TrainCommand.OptimiserOption.sgd ? Sgd.defaults() : Adam.defaults();
  }

  private TemporalHeadTrainer resumed(Path checkpoint, DpnHead3d head, double base) throws IOException {
    TemporalHeadTrainer t = TemporalCheckpoint.load(checkpoint, head);
    PolySchedule s = t.schedule();
    if (s.maxIterations() != iterations || s.base() != base || t.seed() != seed
        || t.optimiser().getClass() != newOptimiser().getClass() || t.temporalTapsOnly() != temporalTapsOnly
        || (t.lossFunction().classWeights() != null) != classWeights) {
      throw new IllegalArgumentException("the checkpoint " + checkpoint + " was made with --iterations " + s.maxIterations()
          + " --lr " + s.base() + " --seed " + t.seed() + (t.temporalTapsOnly() ? " --temporal-taps-only" : "")
          + (t.lossFunction().classWeights() != null ? " --class-weights" : "")
          + " and the optimiser " + t.optimiser().getClass().getSimpleName().toLowerCase(Locale.ROOT)
          + ": resume with the same options");
    }
    return t;
  }

  /** The log (iteration, loss, lr per step) and a progress line every few seconds. */
  /**
   * The cache's two phases (probabilities, then flows) on the one {@link org.dpn4j.util.Progress}
   * display each, a phase's rate counted from the end of the one before.
   */
  private static CamVidTemporalSet.Progress cacheProgress(PrintWriter err) {
    String[] phase = {null};
    long[] start = {System.nanoTime()};
    org.dpn4j.util.Progress[] line = {null};
    return (what, done, total) -> {
      if (!what.equals(phase[0])) {
        phase[0] = what;
        line[0] = org.dpn4j.util.Progress.onStderr(err, "cache " + what, total, "frames", start[0]);
      }
      line[0].step(done);
      if (done == total) {
        start[0] = System.nanoTime();
      }
    };
  }

  private static final class Progress implements TemporalHeadTrainer.Listener, AutoCloseable {
    private final BufferedWriter csv;
    private final PrintWriter err;
    private final ProgressLine line = new ProgressLine(PROGRESS_MS);

    Progress(Path log, boolean append, PrintWriter err) throws IOException {
      this.csv = CsvLog.open(log, append, "iteration,loss,lr");
      this.err = err;
    }

    @Override
    public void step(TemporalHeadTrainer.Step step, long total) {
      try {
        csv.write(String.format(Locale.ROOT, "%d,%.6g,%.6g%n", step.iteration(), step.loss(), step.lr()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String speed = line.after(step.iteration(), total, "frames");
      if (speed != null) {
        err.printf(Locale.ROOT, "temporal iteration %d/%d  loss %.4f  lr %.4g  %s%n",
            step.iteration() + 1, total, step.loss(), step.lr(), speed);
        err.flush();
      }
    }

    @Override
    public void checkpoint(Path dir, long iteration) {
      try {
        csv.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      csv.close();
    }
  }
}
