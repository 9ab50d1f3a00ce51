package org.dpn4j.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.dpn4j.data.FolderDataset;
import org.dpn4j.data.LabelSet;
import org.dpn4j.head.DpnHead;
import org.dpn4j.io.LabelMaps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.value.Maps;

/**
 * Head training on another network's probabilities ({@code dpn train --head-only}; docs/REFINE.md
 * "Learning the head for your own network"): the DPN head (b12-b15) learns stages {@code triple}
 * and/or {@code contexts} on the probabilities a network gives for the training images of a folder
 * dataset ({@link HeadTrainingSet}), on top of a placeholder unary or {@code from}'s model. Writes
 * the model, its CSV log ({@code training-log.csv} inside it, or NAME-training-log.csv beside a zip)
 * and, with a checkpoint directory, checkpoints.
 */
public final class HeadOnlyTraining {

  /** The log's name inside a model directory (next to a zip: NAME-training-log.csv). */
  public static final String LOG = "training-log.csv";

  /** The architecture of the placeholder unary of a new head-only model (untrained; docs/REFINE.md). */
  public static final String PLACEHOLDER_UNARY = "vgg-lite";

  /**
   * What to train.
   *
   * @param probs the network's probabilities, PROBS/NAME.npy per image
   * @param logits the files hold logits (a softmax over the labels first)
   * @param from the model whose head (and unary and sizes) to start from, or null for a new one
   * @param adam Adam instead of SGD
   * @param lr the base learning rate, or null for the optimiser's default (SGD 1, Adam 0.01)
   * @param checkpoint the checkpoint directory, or null
   */
  public record Request(Path data, String split, Path probs, boolean logits, Path out, List<Stage> stages,
      long iterations, Double lr, boolean adam, long seed, Path from, Path checkpoint, long checkpointEvery,
      boolean resume) {}

  /** Loss (mean of the per-image losses) and pixel accuracy (over all counted pixels). */
  public record Measure(double loss, double accuracy) {}

  /** The unary's and the head's measures on the training images. */
  public record Score(Measure unary, Measure head) {}

  private HeadOnlyTraining() {}

  /** Runs {@code r}, reporting to {@code out} (the result) and {@code err} (progress). */
  public static void run(Request r, PrintWriter out, PrintWriter err) throws IOException {
    FolderDataset dataset = new FolderDataset(r.data());
    HeadTrainingSet examples = new HeadTrainingSet(dataset, r.split(), r.probs(), r.logits());
    try (DpnModel model = startingModel(r, dataset.labels())) {
      CrossEntropy loss = CrossEntropy.unweighted(dataset.labels().ignore());
      Score before = score(model.head(), examples, loss);
      HeadTrainer resumed = r.resume() ? HeadTrainer.resume(r.checkpoint(), model.head()) : null;
      Path log = logFile(r.out());
      CsvLog.Resume from = resumed == null ? null : new CsvLog.Resume(resumed.stage().id(), resumed.iteration());
      try (TrainingLog progress = new TrainingLog(log, TrainingLog.Layout.HEAD, from, r.checkpoint(), err)) {
        new HeadStageRun(settings(r, loss), examples, progress).run(model.head(), resumed);
      }
      Score after = score(model.head(), examples, loss);
      markTrained(model, r.stages());
      model.save(r.out());
      out.printf(Locale.ROOT, "training loss (mean over %d images): %.4f before, %.4f after (the unary's own: %.4f)%n",
          examples.size(), before.head().loss(), after.head().loss(), before.unary().loss());
      out.printf(Locale.ROOT, "pixel accuracy on the training images: unary %.4f, refined %.4f%n",
          before.unary().accuracy(), after.head().accuracy());
      out.printf("wrote %s (%s), log %s%n", r.out(), model.config().trained()
          + (model.config().lastStage() == null ? "" : ", last stage " + model.config().lastStage()), log);
    }
  }

  /**
   * {@code from}'s model, or a new one: the head at its initial values (DESIGN.md's sizes) on a
   * placeholder unary at random weights, which a head-only model does not train (docs/REFINE.md).
   */
  private static DpnModel startingModel(Request r, LabelSet labels) throws IOException {
    if (r.from() == null) {
      return DpnModel.create(ModelConfig.defaults(PLACEHOLDER_UNARY, labels));
    }
    DpnModel m = DpnModel.load(r.from());
    if (!m.config().labels().names().equals(labels.names())) {
      m.close();
      throw new IllegalArgumentException(r.from() + " has the labels " + m.config().labels().names() + " but "
          + r.data().resolve("labels.json") + " names " + labels.names());
    }
    return m;
  }

  private static HeadStageRun.Settings settings(Request r, CrossEntropy loss) {
    Supplier<Optimiser> opt = r.adam() ? Adam::defaults : Sgd::defaults;
    double base = r.lr() != null ? r.lr() : r.adam() ? 0.01 : 1;
    return new HeadStageRun.Settings(r.stages(), r.iterations(), base, opt, loss, r.seed(), r.checkpoint(),
        r.checkpointEvery());
  }

  /** {@code full} after {@code contexts}; {@code triple} alone does not undo an earlier {@code full}. */
  private static void markTrained(DpnModel model, List<Stage> stages) {
    if (stages.contains(Stage.CONTEXTS)) {
      model.setTrained("full", Stage.CONTEXTS.id());
    } else if (!model.config().trained().equals("full")) {
      model.setTrained(Stage.TRIPLE.trained(), null);
    }
  }

  private static Path logFile(Path out) throws IOException {
    String name = out.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      return out.resolveSibling(name.substring(0, name.length() - 4) + "-" + LOG);
    }
    Files.createDirectories(out);
    return out.resolve(LOG);
  }

  /** The unary's and the head's loss and pixel accuracy on every training image (reading each checks it). */
  public static Score score(DpnHead head, HeadStageRun.Examples examples, CrossEntropy loss) throws IOException {
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
}
