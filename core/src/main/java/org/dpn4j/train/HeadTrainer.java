package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.dpn4j.head.DpnHead;
import org.dpn4j.value.Maps;

/**
 * Trains the DPN head (b12-b15) in one of the stages {@code triple}, {@code contexts},
 * {@code finetune}, {@code joint} on the unary's probabilities, which the caller supplies (the
 * frozen unary's cached output in stages 2 and 3). One {@link #step}: b12-b15 forward, the
 * cross-entropy on b15's output P, backward, and an optimiser update of the stage's parameters at
 * the poly schedule's learning rate; every other parameter stays bit for bit as it was.
 */
public final class HeadTrainer {

  private final DpnHead head;
  private final Stage stage;
  private final Optimiser optimiser;
  private final PolySchedule schedule;
  private final CrossEntropy loss;
  private final long seed;
  private long iteration;

  HeadTrainer(DpnHead head, Stage stage, Optimiser optimiser, PolySchedule schedule, CrossEntropy loss,
      long seed, long iteration) {
    this.head = Objects.requireNonNull(head, "head");
    this.stage = Objects.requireNonNull(stage, "stage");
    this.optimiser = Objects.requireNonNull(optimiser, "optimiser");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.loss = Objects.requireNonNull(loss, "loss");
    if (stage.headParameters().isEmpty()) {
      throw new IllegalArgumentException("stage " + stage.id() + " trains no head parameter");
    }
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    this.seed = seed;
    this.iteration = iteration;
  }

  /**
   * Begins {@code stage} on {@code head} at iteration 0, applying what the stage does when it
   * starts ({@link Stage#start}: b13's seeded noise for {@code contexts} and {@code joint}).
   */
  public static HeadTrainer start(DpnHead head, Stage stage, Optimiser optimiser, PolySchedule schedule,
      CrossEntropy loss, long seed) {
    HeadTrainer t = new HeadTrainer(head, stage, optimiser, schedule, loss, seed, 0);
    stage.start(head, seed);
    return t;
  }

  /**
   * What one step did: its iteration number, learning rate, loss (before the update), and dL/dp
   * for the unary's probabilities (both paths, b12's q and b15's ln p), which a {@code finetune}
   * loop passes on to b1-b11 with the surrogate {@code gc.backward(p.mul(g.stopGradient()).sum())}.
   */
  public record Step(long iteration, double lr, double loss, Maps unaryGradient) {}

  /**
   * One training step on one image: {@code p} the unary's probabilities (L x H x W), {@code image}
   * RGB in [0, 1] (3 x H x W), {@code labels} H*W values in [0, L) or the loss's ignore value.
   */
  public Step step(Maps p, Maps image, int[] labels) {
    DpnHead.Stages stages = head.forward(p, image);
    CrossEntropy.Result r = loss.ofProbabilities(stages.b15(), labels);
    DpnHead.Gradients g = head.backward(p, image, stages, r.gradient());
    float lr = (float) schedule.lr(iteration);
    for (HeadParameter hp : stage.headParameters()) {
      optimiser.step(hp.values(head), hp.gradient(g), lr);
    }
    return new Step(iteration++, lr, r.loss(), g.p());
  }

  public DpnHead head() {
    return head;
  }

  public Stage stage() {
    return stage;
  }

  public Optimiser optimiser() {
    return optimiser;
  }

  public PolySchedule schedule() {
    return schedule;
  }

  public CrossEntropy loss() {
    return loss;
  }

  /** The run's seed (b13's noise at the stage's start; callers derive their sampling from it and the iteration). */
  public long seed() {
    return seed;
  }

  /** The number of steps taken so far (the next step's iteration). */
  public long iteration() {
    return iteration;
  }

  /**
   * Saves the run as checkpoint {@code dir} ({@link Checkpoint}): every head parameter (frozen ones
   * too), the optimiser's state, the stage, schedule, loss, seed and iteration.
   */
  public void saveCheckpoint(Path dir) throws IOException {
    Map<String, float[]> named = HeadParameter.named(head);
    new Checkpoint.Writer(Checkpoint.FORMAT, stage, iteration, seed)
        .schedule("schedule", schedule).loss(loss).optimiser("optimiser", optimiser)
        .optimiserState("optimiserSteps", named, optimiser).parameters(named).save(dir);
  }

  /**
   * Restores a run saved by {@link #saveCheckpoint}: copies the head parameters into {@code head}
   * (built with the same labels, b12 options and b13 sizes as the saved one) and returns a trainer
   * at the saved iteration with the saved stage, seed, schedule, loss and optimiser state. The
   * stage's start (b13's noise) is not applied again.
   */
  public static HeadTrainer resume(Path dir, DpnHead head) throws IOException {
    Checkpoint.Reader r = Checkpoint.Reader.open(dir, Checkpoint.FORMAT);
    Stage stage = r.stage(Stage.values());
    PolySchedule schedule = r.schedule("schedule");
    CrossEntropy loss = r.loss();
    Optimiser optimiser = r.optimiser("optimiser");
    Map<String, float[]> named = HeadParameter.named(head);
    r.parameters(named);
    r.optimiserState("optimiserSteps", named, optimiser);
    return new HeadTrainer(head, stage, optimiser, schedule, loss, r.seed(), r.iteration());
  }
}
