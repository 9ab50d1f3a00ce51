package org.dpn4j.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A choice of samples by the sequence they come from ({@link Dataset#sequence}; for CamVid the drive,
 * the file-name prefix 0001TP, 0006R0, 0016E5 or Seq05VD): only the {@code include}d sequences, or
 * all but the {@code exclude}d ones, or everything when both lists are empty. So a model can be
 * selected on a drive it never trained on (issue 12: train on train + val without 0006R0, evaluate
 * on 0006R0).
 *
 * <p>A name that no sample of the list has is an error (a misspelt drive would otherwise select
 * nothing, or exclude nothing, silently), and so is a selection that leaves no sample; both
 * messages list the sequences there are. Sample order is kept.
 *
 * @param include the sequences kept (empty: no such restriction)
 * @param exclude the sequences left out (empty: none); at most one of the two lists is non-empty
 */
public record SequenceSelection(List<String> include, List<String> exclude) {

  /** Every sample. */
  public static final SequenceSelection ALL = new SequenceSelection(List.of(), List.of());

  public SequenceSelection {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    if (!include.isEmpty() && !exclude.isEmpty()) {
      throw new IllegalArgumentException("give the sequences to keep or those to leave out, not both (keep "
          + include + ", leave out " + exclude + ")");
    }
    for (String n : include.isEmpty() ? exclude : include) {
      if (n.isBlank()) {
        throw new IllegalArgumentException("a sequence name is empty");
      }
    }
  }

  /** Only the samples of {@code names}. */
  public static SequenceSelection only(List<String> names) {
    return new SequenceSelection(names, List.of());
  }

  /** Every sample except those of {@code names}. */
  public static SequenceSelection without(List<String> names) {
    return new SequenceSelection(List.of(), names);
  }

  /** Whether this keeps every sample. */
  public boolean all() {
    return include.isEmpty() && exclude.isEmpty();
  }

  /** Whether this names the sequences to leave out (else those to keep, or none). */
  public boolean excluding() {
    return !exclude.isEmpty();
  }

  /** The names given (those kept, or those left out). */
  public List<String> names() {
    return excluding() ? exclude : include;
  }

  /**
   * The samples of {@code samples} this selection keeps, in their order; {@code samples} itself when
   * it keeps all.
   *
   * @throws IOException where a sample's name has no sequence (it names the file)
   * @throws IllegalArgumentException for a name that no sample has, a dataset without sequences, or
   *     a selection that leaves nothing; the message lists the sequences of {@code samples}
   */
  public List<Sample> apply(Dataset dataset, List<Sample> samples) throws IOException {
    if (all()) {
      return samples;
    }
    Set<String> present = new LinkedHashSet<>();
    List<String> sequenceOf = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      String q;
      try {
        q = dataset.sequence(s);
      } catch (IllegalArgumentException e) {
        throw new IOException(s.image() + ": " + e.getMessage(), e);
      }
      if (q == null) {
        throw new IllegalArgumentException("this dataset's samples have no sequences to select by (CamVid's do:"
            + " the drive, as in 0006R0_f00930)");
      }
      sequenceOf.add(q);
      present.add(q);
    }
    for (String n : names()) {
      if (!present.contains(n)) {
        throw new IllegalArgumentException("unknown sequence '" + n + "': the frames here are of " + new TreeSet<>(present));
      }
    }
    Set<String> named = Set.copyOf(names());
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (named.contains(sequenceOf.get(i)) != excluding()) {
        out.add(samples.get(i));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("leaving out " + names() + " leaves no frame: the frames here are of "
          + new TreeSet<>(present));
    }
    return out;
  }

  /** "all", "only [0006R0]" or "all but [0006R0]", for reports. */
  @Override
  public String toString() {
    return all() ? "all" : (excluding() ? "all but " : "only ") + names();
  }
}
