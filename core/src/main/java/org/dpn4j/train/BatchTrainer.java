package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.model.DpnModel;

/**
 * A stage that trains the unary on batches of augmented crops ({@code unary}: {@link UnaryTrainer};
 * {@code finetune}, {@code joint}: {@link FinetuneTrainer}), as {@link UnaryStageRun} drives it.
 */
public interface BatchTrainer extends AutoCloseable {

  /** The stage it trains: unary, finetune or joint. */
  Stage stage();

  /** One update on {@code batch} at the schedule's lr(iteration); the iteration then advances. */
  UnaryTrainer.StepResult step(List<LabelledImage> batch);

  /** The next step's iteration (= steps done). */
  long iteration();

  /** The run's seed (its data order, crops and dropout derive from it and the iteration). */
  long seed();

  /** The unary's learning-rate schedule; its length is the run's. */
  PolySchedule schedule();

  /** Saves the run as checkpoint {@code dir}, atomically replacing one there. */
  void saveCheckpoint(Path dir) throws IOException;

  /** The model it trains (its caller's to close). */
  DpnModel model();

  /** Frees the trainer's own state (momentum); the model stays open. */
  @Override
  void close();
}
