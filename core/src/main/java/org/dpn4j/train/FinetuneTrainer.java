package org.dpn4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Normalisation;
import org.dpn4j.head.DpnHead;
import org.dpn4j.value.Maps;
import org.dpn4j.model.DpnModel;
import org.dpn4j.unary.UnaryNetwork;

/**
 * Stage {@code finetune} of the paper's incremental training (Sec. 4.3; DESIGN.md section 1
 * "Training"), and the ablation {@code joint} ({@code --joint-from-start}): b1-b15 learn together
 * with the cross-entropy on b15's output P, one mean over all counted pixels of a batch as in
 * stage unary:
 *
 * <pre>
 *   L = sum_i W_i L_i / sum_i W_i,   L_i = image i's loss on P_i,  W_i = sum_j w_{y_j} over its counted pixels
 * </pre>
 *
 * <p>One {@link #step} per batch of augmented crops:
 *
 * <ol>
 *   <li>the unary's forward in training mode, p = softmax(b11) (N x L x H x W);
 *   <li>per image: b12-b15 forward on (p_i, the crop's RGB), the cross-entropy's gradient scaled by
 *       W_i / sum W, backward: g_i = dL/dp_i (both of the head's paths) and the head parameters'
 *       gradients, summed over the batch;
 *   <li>the unary's gradient by the surrogate {@code gc.backward(sum(p * stopGradient(g)))}, whose
 *       gradient w.r.t. p is g, then {@link UnarySgd}'s update at the unary's lr(iteration);
 *   <li>ONE update of the stage's head parameters with the head's optimiser at the head's
 *       lr(iteration), on the batch's summed gradient.
 * </ol>
 *
 * <p>Why one head update per batch rather than {@link HeadTrainer}'s one per image: then the head and
 * the unary descend the same batch loss L, the step is the gradient step of the whole network (the
 * surrogate's finite-difference test checks exactly that), and the head's learning rate means the
 * same thing as in the head stages (their per-image loss is a mean over pixels, and so is L).
 *
 * <p>Each image's RGB for b12 is its normalised crop un-normalised ({@link Normalisation#undo});
 * padding (ignored labels) gets the mean colour. b12's window is resolved on the crop's size
 * (the head's rule for any input), not on the whole rescaled image that DESIGN.md names.
 * Engine random draws (dropout) are seeded by (seed, iteration), so a resumed run repeats an
 * uninterrupted one.
 */
public final class FinetuneTrainer extends UnarySgdTrainer {

  /** The loss of a batch with its gradients: the unary's by parameter name, the head's by parameter. */
  record Gradients(double loss, Map<String, float[]> unary, Map<HeadParameter, float[]> head) {}

  /** The head's part of a step: the batch loss, dL/dp (N x L x H x W, flat) and the head's gradients. */
  private record HeadPass(double loss, float[] unaryGradient, Map<HeadParameter, float[]> head) {}

  private final Stage stage;
  private final Optimiser headOptimiser;
  private final PolySchedule headSchedule;

  FinetuneTrainer(DpnModel model, Stage stage, Sgd sgd, PolySchedule schedule, Optimiser headOptimiser,
      PolySchedule headSchedule, CrossEntropy loss, long seed, long iteration) {
    super(checked(model, stage, schedule, headOptimiser, headSchedule, iteration), sgd, schedule,
        Objects.requireNonNull(loss, "loss"), seed, iteration);
    this.stage = stage;
    this.headOptimiser = headOptimiser;
    this.headSchedule = headSchedule;
  }

  /** {@code model}, once the arguments are checked (before the base class opens an engine manager). */
  private static DpnModel checked(DpnModel model, Stage stage, PolySchedule schedule, Optimiser headOptimiser,
      PolySchedule headSchedule, long iteration) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(stage, "stage");
    if (stage != Stage.FINETUNE && stage != Stage.JOINT) {
      throw new IllegalArgumentException("the whole network trains in stages finetune and joint, not " + stage.id());
    }
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(headOptimiser, "headOptimiser");
    Objects.requireNonNull(headSchedule, "headSchedule");
    if (headSchedule.maxIterations() != schedule.maxIterations()) {
      throw new IllegalArgumentException("the unary's and the head's schedules must be equally long, got "
          + schedule.maxIterations() + " and " + headSchedule.maxIterations());
    }
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    return model;
  }

  /**
   * Begins {@code stage} ({@code finetune} or {@code joint}) on {@code model} at iteration 0 with
   * zero momentum, applying what the stage does when it starts ({@link Stage#start}: b13's seeded
   * noise for {@code joint}).
   */
  public static FinetuneTrainer start(DpnModel model, Stage stage, Sgd sgd, PolySchedule schedule,
      Optimiser headOptimiser, PolySchedule headSchedule, CrossEntropy loss, long seed) {
    FinetuneTrainer t = new FinetuneTrainer(model, stage, sgd, schedule, headOptimiser, headSchedule, loss, seed, 0);
    stage.start(model.head(), seed);
    return t;
  }

  /**
   * One step on {@code batch} (augmented, normalised crops of one size); the result's lr is the
   * unary's (the head's is {@code headSchedule().lr(iteration)}).
   */
  @Override
  public UnaryTrainer.StepResult step(List<LabelledImage> batch) {
    double lr = schedule.lr(iteration);
    UnarySgd.seedStep(seed, iteration);
    HeadPass pass;
    try (NDManager m = manager.newSubManager()) {
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        pass = backward(m, gc, batch, true);
      }
      sgd.update(m, (float) lr);
    }
    float headLr = (float) headSchedule.lr(iteration);
    for (HeadParameter hp : stage.headParameters()) {
      headOptimiser.step(hp.values(model.head()), pass.head().get(hp), headLr);
    }
    return new UnaryTrainer.StepResult(iteration++, lr, pass.loss());
  }

  /** L on {@code batch} with the unary in evaluation mode (no dropout), no update. */
  public double evaluate(List<LabelledImage> batch) {
    try (NDManager m = manager.newSubManager()) {
      NDArray p = UnaryNetwork.probabilities(model.unary().logits(store, Batches.images(m, batch), false));
      return headPass(p.toFloatArray(), batch, false).loss();
    }
  }

  /** L and every gradient on {@code batch}, without an update (the engine's gradients are cleared again). */
  Gradients gradients(List<LabelledImage> batch, boolean training) {
    try (NDManager m = manager.newSubManager()) {
      HeadPass pass;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        pass = backward(m, gc, batch, training);
      }
      return new Gradients(pass.loss(), sgd.takeGradients(m), pass.head());
    }
  }

  /** The forward, the head's pass, and the unary's backward through the surrogate; the gradients stay on the parameters. */
  private HeadPass backward(NDManager m, GradientCollector gc, List<LabelledImage> batch, boolean training) {
    NDArray p = UnaryNetwork.probabilities(model.unary().logits(store, Batches.images(m, batch), training));
    HeadPass pass = headPass(p.toFloatArray(), batch, true);
    // d/dp sum(p * g) = g: the engine carries the head's dL/dp on through b1-b11.
    NDArray g = m.create(pass.unaryGradient(), p.getShape()).stopGradient();
    gc.backward(p.mul(g).sum());
    return pass;
  }

  /** b12-b15 and the loss on each image of the batch, with the backward if {@code backward}. */
  private HeadPass headPass(float[] p, List<LabelledImage> batch, boolean backward) {
    DpnHead head = model.head();
    Normalisation norm = model.config().input().normalisation();
    int labels = head.labels();
    int h = batch.get(0).h();
    int w = batch.get(0).w();
    int size = labels * h * w;
    double total = 0;
    for (LabelledImage s : batch) {
      total += loss.weight(s.labels(), labels);
    }
    float[] unaryGradient = new float[backward ? p.length : 0];
    Map<HeadParameter, float[]> headGradient = new EnumMap<>(HeadParameter.class);
    for (HeadParameter hp : HeadParameter.values()) {
      headGradient.put(hp, new float[hp.values(head).length]);
    }
    double value = 0;
    for (int i = 0; i < batch.size(); i++) {
      LabelledImage s = batch.get(i);
      Maps pi = new Maps(labels, h, w, Arrays.copyOfRange(p, i * size, (i + 1) * size));
      Maps rgb = norm.undo(s.image());
      DpnHead.Stages stages = backward ? head.forward(pi, rgb) : null;
      CrossEntropy.Result r = loss.ofProbabilities(backward ? stages.b15() : head.refine(pi, rgb), s.labels());
      if (r.weight() == 0) {
        continue;
      }
      double share = r.weight() / total;
      value += share * r.loss();
      if (backward) {
        Maps dP = r.gradient();
        float f = (float) share;
        for (int k = 0; k < dP.data.length; k++) {
          dP.data[k] *= f;
        }
        DpnHead.Gradients dg = head.backward(pi, rgb, stages, dP);
        System.arraycopy(dg.p().data, 0, unaryGradient, i * size, size);
        for (HeadParameter hp : HeadParameter.values()) {
          add(headGradient.get(hp), hp.gradient(dg));
        }
      }
    }
    return new HeadPass(value, unaryGradient, headGradient);
  }

  private static void add(float[] into, float[] a) {
    for (int k = 0; k < into.length; k++) {
      into[k] += a[k];
    }
  }

  @Override
  public void saveCheckpoint(Path dir) throws IOException {
    new Checkpoint.Writer(Checkpoint.FORMAT, stage, iteration, seed)
        .schedule("schedule", schedule).loss(loss).optimiser("optimiser", sgd.sgd())
        .schedule("headSchedule", headSchedule).optimiser("headOptimiser", headOptimiser)
        .optimiserState("headOptimiserSteps", HeadParameter.named(model.head()), headOptimiser)
        .buffers(sgd.momentumTensors()).model(model).save(dir);
  }

  /**
   * The model saved in checkpoint {@code dir} ({@link #saveCheckpoint}) and a trainer at the saved
   * iteration with the saved stage, schedules, loss, seed and optimiser state; the stage's start
   * (b13's noise) is not applied again. The caller closes both (the trainer first).
   */
  public static FinetuneTrainer resume(Path dir) throws IOException {
    Checkpoint.Reader r = Checkpoint.Reader.open(dir, Checkpoint.FORMAT);
    Stage stage = r.stage(Stage.FINETUNE, Stage.JOINT);
    PolySchedule schedule = r.schedule("schedule");
    CrossEntropy loss = r.loss();
    Sgd sgd = r.sgd("optimiser");
    PolySchedule headSchedule = r.schedule("headSchedule");
    Optimiser headOptimiser = r.optimiser("headOptimiser");
    DpnModel model = r.model();
    return Checkpoint.resumeOn(model,
        x -> new FinetuneTrainer(model, stage, sgd, schedule, headOptimiser, headSchedule, loss, r.seed(), r.iteration()),
        t -> {
          t.sgd.restoreMomentum(r);
          r.optimiserState("headOptimiserSteps", HeadParameter.named(model.head()), headOptimiser);
          return t;
        });
  }

  public Stage stage() {
    return stage;
  }

  public Optimiser headOptimiser() {
    return headOptimiser;
  }

  public PolySchedule headSchedule() {
    return headSchedule;
  }
}
