package org.dpn4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.data.FolderDataset;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.io.ProbabilityFile;
import org.dpn4j.value.Maps;
import org.dpn4j.io.ProbabilityFile;

/**
 * The training images of a {@link FolderDataset} split with another network's probabilities, one
 * {@code PROBS/NAME.npy} per image, (L, H, W) or (H, W, L) as {@link ProbabilityFile} reads them. A
 * missing file, another label count or another size is refused naming the file.
 */
public final class HeadTrainingSet implements HeadStageRun.Examples {

  private final FolderDataset dataset;
  private final List<Sample> samples;
  private final Path probs;
  private final boolean logits;

  /** {@code logits}: the files hold logits, turned into probabilities by a softmax over the labels. */
  public HeadTrainingSet(FolderDataset dataset, String split, Path probs, boolean logits) throws IOException {
    this.dataset = dataset;
    this.samples = dataset.samples(split);
    this.probs = probs;
    this.logits = logits;
    if (!Files.isDirectory(probs)) {
      throw new IOException(probs + ": no such directory (--probs: one NAME.npy per training image)");
    }
  }

  @Override
  public int size() {
    return samples.size();
  }

  @Override
  public HeadStageRun.Example get(int index) throws IOException {
    Sample s = samples.get(index);
    LabelledImage li = dataset.read(s);
    Path file = probs.resolve(s.name() + ".npy");
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such probabilities file for " + s.image());
    }
    Maps p = ProbabilityFile.read(file, null, s.image(), li.h(), li.w(), logits);
    int labels = dataset.labels().size();
    if (p.c != labels) {
      throw new IllegalArgumentException(
          file + " holds " + p.c + " labels but " + "labels.json names " + labels);
    }
    return new HeadStageRun.Example(p, li.image(), li.labels());
  }
}
