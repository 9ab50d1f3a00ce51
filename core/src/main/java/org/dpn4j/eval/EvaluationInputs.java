package org.dpn4j.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Sample;
import org.dpn4j.data.SequenceSelection;
import org.dpn4j.model.DpnModel;

/**
 * What an evaluation reads, as {@code dpn eval} and {@code dpn spark eval} are given it.
 *
 * @param kind the dataset's layout (camvid, voc, cityscapes, folder)
 * @param root the dataset's folder
 * @param split the split evaluated
 * @param scales the unary's input scales whose probabilities are averaged
 * @param flip whether the mirrored image's probabilities are averaged too
 * @param limit the most images evaluated, the split's first; null for all of them
 * @param sequences the split's frames kept by sequence ({@code --sequences}, {@code --exclude-sequences})
 */
public record EvaluationInputs(String kind, Path root, String split, List<Double> scales, boolean flip,
    Integer limit, SequenceSelection sequences) {

  public EvaluationInputs {
    scales = List.copyOf(scales);
  }

  /** Opens the dataset. */
  public Dataset open() throws IOException {
    return Datasets.open(kind, root);
  }

  /**
   * The split's samples of {@code dataset} that {@code sequences} keeps, the first {@code limit} of
   * them when a limit is given. A sequence the split lacks, or a selection that leaves nothing, is
   * an error naming the option and the split's sequences.
   */
  public List<Sample> samples(Dataset dataset) throws IOException {
    List<Sample> samples;
    try {
      samples = sequences.apply(dataset, dataset.samples(split));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException((sequences.excluding() ? "--exclude-sequences " : "--sequences ")
          + String.join(",", sequences.names()) + ": " + e.getMessage() + " (split " + split + ")", e);
    }
    return limit != null && limit < samples.size() ? samples.subList(0, limit) : samples;
  }

  /** The ensemble of {@code models} over these scales and flip. */
  public Ensemble ensemble(List<DpnModel> models) {
    return new Ensemble(models, scales, flip);
  }

  /** The report of {@code result}, the evaluation of {@code models} on these inputs. */
  public EvaluationReport report(List<Path> models, Evaluation.Result result) {
    return new EvaluationReport(models, kind, root, split, scales, flip, result);
  }
}
