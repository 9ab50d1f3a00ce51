package org.dpn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.model.DpnModel;

/**
 * Stage {@code unary} of the paper's incremental training (Sec. 4.3; DESIGN.md section 1
 * "Training"): b1-b11 learn with the cross-entropy on softmax(b11), the head is not touched.
 *
 * <p>One {@link #step} per batch: the unary's forward in training mode, {@link CrossEntropy#ofLogits}
 * (one mean over the batch's counted pixels), the engine's backward, then PyTorch's SGD on every
 * trainable unary parameter at lr = poly(iteration) ({@link UnarySgd}).
 *
 * <p>Every engine random draw of a step (dropout) comes from a seed fixed by (seed, iteration), so
 * a resumed run draws what an uninterrupted one would have.
 */
public final class UnaryTrainer extends UnarySgdTrainer {

  /** The step's outcome: the iteration it ran as (0-based), its (unary) learning rate and loss. */
  public record StepResult(long iteration, double lr, double loss) {}

  UnaryTrainer(DpnModel model, Sgd sgd, PolySchedule schedule, CrossEntropy loss, long seed, long iteration) {
    super(model, sgd, schedule, loss, seed, iteration);
  }

  /** A new run of stage {@code unary} on {@code model}'s unary, from iteration 0 with zero momentum. */
  public static UnaryTrainer start(DpnModel model, Sgd sgd, PolySchedule schedule, CrossEntropy loss, long seed) {
    return new UnaryTrainer(model, sgd, schedule, loss, seed, 0);
  }

  /**
   * One SGD step on {@code batch} (augmented, normalised crops of one size) at lr(iteration); the
   * iteration then advances.
   */
  @Override
  public StepResult step(List<LabelledImage> batch) {
    double lr = schedule.lr(iteration);
    UnarySgd.seedStep(seed, iteration);
    double value;
    try (NDManager m = manager.newSubManager()) {
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray l = lossOf(m, batch, true);
        gc.backward(l);
        value = l.getFloat();
      }
      sgd.update(m, (float) lr);
    }
    return new StepResult(iteration++, lr, value);
  }

  /** The loss on {@code batch} with the unary in evaluation mode (no dropout, batch norm frozen), no update. */
  public double evaluate(List<LabelledImage> batch) {
    try (NDManager m = manager.newSubManager()) {
      return lossOf(m, batch, false).getFloat();
    }
  }

  private NDArray lossOf(NDManager m, List<LabelledImage> batch, boolean training) {
    NDArray x = Batches.images(m, batch);
    return loss.ofLogits(model.unary().logits(store, x, training), Batches.labels(m, batch));
  }

  @Override
  public void saveCheckpoint(Path dir) throws IOException {
    new Checkpoint.Writer(Checkpoint.FORMAT, Stage.UNARY, iteration, seed)
        .schedule("schedule", schedule).loss(loss).optimiser("optimiser", sgd.sgd())
        .buffers(sgd.momentumTensors()).model(model).save(dir);
  }

  /**
   * The model saved in checkpoint {@code dir} ({@link #saveCheckpoint}) and a trainer at the saved
   * iteration with the saved schedule, loss, seed and momentum. The caller closes both (the
   * trainer first).
   */
  public static UnaryTrainer resume(Path dir) throws IOException {
    Checkpoint.Reader r = Checkpoint.Reader.open(dir, Checkpoint.FORMAT);
    r.stage(Stage.UNARY);
    PolySchedule schedule = r.schedule("schedule");
    CrossEntropy loss = r.loss();
    Sgd sgd = r.sgd("optimiser");
    DpnModel model = r.model();
    return Checkpoint.resumeOn(model, x -> new UnaryTrainer(model, sgd, schedule, loss, r.seed(), r.iteration()),
        t -> {
          t.sgd.restoreMomentum(r);
          return t;
        });
  }

  @Override
  public Stage stage() {
    return Stage.UNARY;
  }
}
