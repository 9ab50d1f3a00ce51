package org.dpn4j.train;

/**
 * A run whose numbers went wrong (issue 17): the loss, a parameter or an optimiser buffer became NaN
 * or infinite. The run stops at once; nothing of the diverged state is saved, so the last checkpoint
 * written is a good one and resumes (with a lower learning rate, say).
 */
public final class TrainingDiverged extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public TrainingDiverged(String message) {
    super(message);
  }

  /** "NaN" or "Infinity" (the first non-finite value of {@code v} and its index), or null when all are finite. */
  public static String nonFinite(float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        return v[i] + " (at index " + i + ")";
      }
    }
    return null;
  }

  /**
   * Stops the run when {@code loss} is not finite: the message names the stage, the iteration and
   * the last good checkpoint in {@code checkpoint} (or that there is none).
   */
  public static void checkLoss(double loss, String stage, long iteration, java.nio.file.Path checkpoint) {
    if (!Double.isFinite(loss)) {
      throw new TrainingDiverged("stage " + stage + ": the loss is " + loss + " at iteration " + iteration
          + " (the run diverged; try a lower learning rate); the model is not saved; " + Checkpoint.lastGood(checkpoint));
    }
  }
}
