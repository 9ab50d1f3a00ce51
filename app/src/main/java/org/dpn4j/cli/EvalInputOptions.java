package org.dpn4j.cli;

import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.SequenceSelection;
import org.dpn4j.eval.EvaluationInputs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What an evaluation reads (a picocli mixin), {@link EvaluationInputs}: a dataset's split, optionally
 * only its first images, and the scales and flip whose unary probabilities are averaged. One
 * declaration for {@code dpn eval} and {@code dpn spark eval}, so that the two accept the same inputs.
 */
public final class EvalInputOptions {

  @Option(names = "--dataset", required = true, paramLabel = "KIND",
      description = "The dataset's layout: camvid, voc, cityscapes or folder.")
  String kind;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The dataset's folder.")
  Path root;

  @Option(names = "--split", required = true, paramLabel = "S", description = "The split, e.g. val or test.")
  String split;

  @Mixin TestTimeOptions testTime;

  @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N images of the split.")
  Integer limit;

  @Option(names = "--sequences", split = ",", paramLabel = "SEQ,...",
      description = "Only the split's frames of these sequences (CamVid's drives, the file-name prefix: 0001TP,"
          + " 0006R0, 0016E5, Seq05VD), e.g. a drive held out of training.")
  List<String> sequences = List.of();

  @Option(names = "--exclude-sequences", split = ",", paramLabel = "SEQ,...",
      description = "All the split's frames except those of these sequences.")
  List<String> excludeSequences = List.of();

  /** The inputs given. */
  public EvaluationInputs inputs() {
    if (!sequences.isEmpty() && !excludeSequences.isEmpty()) {
      throw new IllegalArgumentException("give --sequences or --exclude-sequences, not both");
    }
    return new EvaluationInputs(kind, root, split, testTime.scales, testTime.flip, limit,
        new SequenceSelection(sequences, excludeSequences));
  }
}
