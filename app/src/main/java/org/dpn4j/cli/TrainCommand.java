package org.dpn4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.dpn4j.data.FolderDataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.head.DpnHead;
import org.dpn4j.value.Maps;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.train.Adam;
import org.dpn4j.train.Checkpoint;
import org.dpn4j.train.CrossEntropy;
import org.dpn4j.train.CsvLog;
import org.dpn4j.train.HeadStageRun;
import org.dpn4j.train.HeadTrainer;
import org.dpn4j.train.Optimiser;
import org.dpn4j.train.Sgd;
import org.dpn4j.train.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpn train --head-only}: learns the DPN head (b12-b15) on top of any network, from that
 * network's probabilities on the training images of a folder dataset (stages {@code triple} and
 * {@code contexts} of the paper's Sec. 4.3; docs/REFINE.md "Learning the head for your own
 * network"). With {@code --config}, the stages from a configuration file ({@link ConfigTraining}).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Trains a DPN stage by stage from a configuration (--config) or the DPN head on another network's"
        + " probabilities (--head-only).",
    sortOptions = false,
    description = {
      "--config CFG.json --stage unary|triple|contexts|finetune|all: the paper's stages as the "
          + "configuration says (docs/TRAINING.md): unary trains b1-b11 on augmented crops; triple (b12's "
          + "weights) and contexts (b13) train the head on the frozen unary's cached logits; finetune trains "
          + "everything; all runs them in turn, skipping a stage whose output exists.",
      "--config CFG.json --joint-from-start: the paper's ablation, everything at once.",
      "--head-only: trains the DPN head (b12-b15) on the probabilities another network gives for the "
          + "training images of a folder dataset. Stages triple (b12's weights) then contexts (b13), each for"
          + " --iterations steps of one image, poly schedule. See docs/REFINE.md."
    })
public final class TrainCommand implements Callable<Integer> {

  /** The stages asked for: one, or both in the paper's order. */
  enum StageOption {
    triple(List.of(Stage.TRIPLE)),
    contexts(List.of(Stage.CONTEXTS)),
    all(List.of(Stage.TRIPLE, Stage.CONTEXTS)),
    unary(List.of(Stage.UNARY)),
    finetune(List.of(Stage.FINETUNE));

    final List<Stage> stages;

    StageOption(List<Stage> stages) {
      this.stages = stages;
    }
  }

  enum OptimiserOption {
    sgd,
    adam
  }

  /** The columns of the head stages' CSV log. */
  static final String HEAD_LOG_HEADER = "iteration,stage,loss,lr";

  /** The log's name inside a model directory (next to a zip: NAME-training-log.csv). */
  static final String LOG = "training-log.csv";

  /** The architecture of the placeholder unary of a new head-only model (untrained; docs/REFINE.md). */
  static final String PLACEHOLDER_UNARY = "vgg-lite";

  private static final long PROGRESS_MS = 2000;

  @Spec CommandSpec spec;

  @Mixin ThreadsOption threads;

  @Option(names = "--head-only", description = "Train the head alone on given probabilities (docs/REFINE.md, section 6).")
  boolean headOnly;

  @Option(names = "--config", paramLabel = "CFG.json",
      description = "Train from a configuration file (docs/TRAINING.md, \"Configuration\").")
  Path config;

  @Option(names = "--data", paramLabel = "DIR",
      description = "A folder dataset: labels.json, SPLIT.txt, images/, labels/ (docs/REFINE.md, section 6).")
  Path data;

  @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
      description = "The list of training images, DIR/NAME.txt (default ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--probs", paramLabel = "DIR",
      description = "The network's probabilities, DIR/NAME.npy per image, (L, H, W) or (H, W, L), float32 or float16.")
  Path probs;

  @Option(names = "--logits",
      description = "The --probs files hold logits (scores before the softmax): a softmax over the labels first.")
  boolean logits;

  @Option(names = "--out", paramLabel = "M",
      description = "The model to write (a directory, or a .zip); not overwritten.")
  Path out;

  @Option(names = "--stage", paramLabel = "triple|contexts|all|unary|finetune",
      description = "The stage(s) to run: with --head-only triple, contexts or all (the default: triple then"
          + " contexts); with --config unary, triple, contexts, finetune or all (the four in turn).")
  StageOption stage;

  @Option(names = "--joint-from-start",
      description = "With --config: the paper's ablation, the whole network (b1-b15) from the starting model at once"
          + " (stage joint).")
  boolean jointFromStart;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Steps per stage (--head-only: one image each, default 1000; --config: overrides its iterations).")
  Long iterations;

  @Option(names = "--lr", paramLabel = "X",
      description = "Base learning rate of the poly schedule (default 1 for sgd, 0.01 for adam).")
  Double lr;

  @Option(names = "--optimiser", paramLabel = "sgd|adam", defaultValue = "sgd",
      description = "sgd (momentum 0.9, weight decay 5e-4; the default) or adam.")
  OptimiserOption optimiser;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seeds the image order, the flips and b13's noise (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--from", paramLabel = "M0",
      description = "Start from this model's head (and keep its unary and sizes) instead of a new head.")
  Path from;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint directory (written atomically).")
  Path checkpoint;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
      description = "Also save a checkpoint every N iterations (default ${DEFAULT-VALUE}: only at the end of each stage).")
  long checkpointEvery;

  @Option(names = "--resume", description = "Continue the run saved in --checkpoint (or the config's checkpoint.dir).")
  boolean resume;

  @Override
  public Integer call() throws IOException {
    threads.apply(); // first: a thread count above the processors is refused before anything loads
    if (config != null) {
      if (headOnly) {
        throw new IllegalArgumentException("--config (the unary) and --head-only (the head alone) exclude each other");
      }
      for (Object[] o : new Object[][] {{"--data", data}, {"--probs", probs}, {"--out", out}, {"--from", from},
          {"--checkpoint", checkpoint}, {"--lr", lr}}) {
        if (o[1] != null) {
          throw new IllegalArgumentException(o[0] + " is a --head-only option: with --config, the file says it");
        }
      }
      return new ConfigTraining(spec, config, stage, jointFromStart, iterations, resume, threads).call();
    }
    checkOptions();
    threads.apply();
    FolderDataset dataset = new FolderDataset(data);
    HeadTrainingSet examples = new HeadTrainingSet(dataset, split, probs, logits);
    try (DpnModel model = startingModel(dataset.labels())) {
      CrossEntropy loss = CrossEntropy.unweighted(dataset.labels().ignore());
      Score before = score(model.head(), examples, loss);
      HeadTrainer resumed = resume ? Checkpoint.load(checkpoint, model.head()) : null;
      Path log = logFile();
      try (Progress progress = new Progress(log, resume)) {
        new HeadStageRun(settings(loss), examples, progress).run(model.head(), resumed);
      }
      Score after = score(model.head(), examples, loss);
      markTrained(model);
      model.save(out);
      PrintWriter o = spec.commandLine().getOut();
      o.printf(Locale.ROOT, "training loss (mean over %d images): %.4f before, %.4f after (the unary's own: %.4f)%n",
          examples.size(), before.head.loss, after.head.loss, before.unary.loss);
      o.printf(Locale.ROOT, "pixel accuracy on the training images: unary %.4f, refined %.4f%n",
          before.unary.accuracy, after.head.accuracy);
      o.printf("wrote %s (%s), log %s%n", out, model.config().trained()
          + (model.config().lastStage() == null ? "" : ", last stage " + model.config().lastStage()), log);
    }
    return 0;
  }

  private void checkOptions() {
    if (!headOnly) {
      throw new IllegalArgumentException("give --head-only (the head on a network's probabilities: --head-only --data DIR"
          + " --probs DIR --out M) or --config CFG.json --stage unary|triple|contexts|all");
    }
    for (Object[] o : new Object[][] {{"--data", data}, {"--probs", probs}, {"--out", out}}) {
      if (o[1] == null) {
        throw new IllegalArgumentException("--head-only needs " + o[0]);
      }
    }
    if (jointFromStart) {
      throw new IllegalArgumentException("--joint-from-start trains the whole network: use it with --config");
    }
    if (stage == null) {
      stage = StageOption.all;
    } else if (stage.stages.stream().anyMatch(Stage::trainsUnary)) {
      throw new IllegalArgumentException("--head-only trains the head (--stage triple, contexts or all), not the unary");
    }
    if (iterations == null) {
      iterations = 1000L;
    }
    if ((resume || checkpointEvery > 0) && checkpoint == null) {
      throw new IllegalArgumentException((resume ? "--resume" : "--checkpoint-every") + " needs --checkpoint DIR");
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || Files.exists(out.resolve("config.json")))) {
      throw new IllegalArgumentException(out + " exists and is not overwritten");
    }
    if (checkpoint != null && !resume && Checkpoint.exists(checkpoint)) {
      throw new IllegalArgumentException(
          checkpoint + " already holds a checkpoint: add --resume to continue it, or remove it");
    }
  }

  /**
   * {@code --from}'s model, or a new one: the head at its initial values (DESIGN.md's sizes) on a
   * placeholder unary at random weights, which a head-only model does not train (docs/REFINE.md).
   */
  private DpnModel startingModel(LabelSet labels) throws IOException {
    if (from == null) {
      return DpnModel.create(ModelConfig.defaults(PLACEHOLDER_UNARY, labels));
    }
    DpnModel m = DpnModel.load(from);
    if (!m.config().labels().names().equals(labels.names())) {
      m.close();
      throw new IllegalArgumentException(
          from + " has the labels " + m.config().labels().names() + " but " + data.resolve("labels.json") + " names "
              + labels.names());
    }
    return m;
  }

  private HeadStageRun.Settings settings(CrossEntropy loss) {
    Supplier<Optimiser> opt = optimiser == OptimiserOption.sgd ? Sgd::defaults : Adam::defaults;
    double base = lr != null ? lr : optimiser == OptimiserOption.sgd ? 1 : 0.01;
    return new HeadStageRun.Settings(stage.stages, iterations, base, opt, loss, seed, checkpoint, checkpointEvery);
  }

  /** {@code full} after {@code contexts}; {@code triple} alone does not undo an earlier {@code full}. */
  private void markTrained(DpnModel model) {
    if (stage.stages.contains(Stage.CONTEXTS)) {
      model.setTrained("full", Stage.CONTEXTS.id());
    } else if (!model.config().trained().equals("full")) {
      model.setTrained(Stage.TRIPLE.trained(), null);
    }
  }

  private Path logFile() throws IOException {
    String name = out.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      return out.resolveSibling(name.substring(0, name.length() - 4) + "-" + LOG);
    }
    Files.createDirectories(out);
    return out.resolve(LOG);
  }

  /** Loss (mean of the per-image losses) and pixel accuracy (over all counted pixels). */
  record Measure(double loss, double accuracy) {}

  record Score(Measure unary, Measure head) {}

  /** The unary's and the head's loss and pixel accuracy on every training image (reading each checks it). */
  static Score score(DpnHead head, HeadStageRun.Examples examples, CrossEntropy loss) throws IOException {
    Tally unary = new Tally();
    Tally refined = new Tally();
    for (int i = 0; i < examples.size(); i++) {
      HeadStageRun.Example e = examples.get(i);
      unary.add(e.p(), e.labels(), loss);
      refined.add(head.refine(e.p(), e.image()), e.labels(), loss);
    }
    return new Score(unary.measure(examples.size()), refined.measure(examples.size()));
  }

  private static final class Tally {
    double loss;
    long right;
    long counted;

    void add(Maps q, int[] labels, CrossEntropy ce) {
      loss += ce.ofProbabilities(q, labels).loss();
      int[] best = LabelMaps.argmax(q);
      for (int j = 0; j < labels.length; j++) {
        if (labels[j] != ce.ignore()) {
          counted++;
          right += best[j] == labels[j] ? 1 : 0;
        }
      }
    }

    Measure measure(int images) {
      return new Measure(loss / images, counted == 0 ? Double.NaN : (double) right / counted);
    }
  }

  /** Progress on standard error (every few seconds and at each stage's end) and the CSV log. */
  private final class Progress implements HeadStageRun.Listener, AutoCloseable {
    private final BufferedWriter csv;
    private final long t0 = System.nanoTime();
    /** When the previous step ended: the start of the next one, and of a stage whose first step it is. */
    private long previous = t0;
    private Stage current;
    private long stageStart;
    private long firstIteration;
    private long lastPrint;

    Progress(Path log, boolean append) throws IOException {
      csv = CsvLog.open(log, append, HEAD_LOG_HEADER);
    }

    @Override
    public void step(Stage s, HeadTrainer.Step step, long total) {
      long now = System.nanoTime();
      if (s != current) {
        current = s;
        stageStart = previous;
        firstIteration = step.iteration();
      }
      previous = now;
      try {
        csv.write(String.format(Locale.ROOT, "%d,%s,%.6g,%.6g%n", step.iteration(), s.id(), step.loss(), step.lr()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      boolean last = step.iteration() + 1 == total;
      if (!last && (now - lastPrint) / 1_000_000 < PROGRESS_MS) {
        return;
      }
      lastPrint = now;
      double rate = (step.iteration() + 1 - firstIteration) / Math.max(1e-9, (now - stageStart) / 1e9);
      int later = stage.stages.size() - 1 - stage.stages.indexOf(s);
      double left = (total - step.iteration() - 1 + later * total) / rate;
      spec.commandLine().getErr().printf(Locale.ROOT,
          "%-8s iteration %d/%d  loss %.4f  lr %.4g  %.1f images/s  %s left (%s elapsed)%n",
          s.id(), step.iteration() + 1, total, step.loss(), step.lr(), rate, time(left), time((now - t0) / 1e9));
    }

    @Override
    public void checkpoint(Path dir, Stage s, long iteration) {
      try {
        csv.flush();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      csv.close();
    }
  }

  static String time(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
