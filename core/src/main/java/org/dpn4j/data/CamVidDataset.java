package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * CamVid in the SegNet tutorial's layout:
 *
 * <pre>
 * ROOT/train.txt, val.txt, test.txt   one "IMAGE LABEL" pair per line
 * ROOT/train/, val/, test/            frames (.png in SegNet's copy, .jpg in ours: the list decides)
 * ROOT/trainannot/, valannot/, ...    8-bit grey labels, 0..10 the classes, 11 void
 * </pre>
 *
 * The lists carry absolute paths of SegNet's machine ({@code /SegNet/CamVid/train/X.png}); each is
 * resolved by its last two path components under ROOT.
 *
 * @param root the dataset's folder
 */
public record CamVidDataset(Path root) implements Dataset {

  @Override
  public LabelSet labels() {
    return LabelSet.CAMVID;
  }

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path list = root.resolve(split + ".txt");
    return SampleLists.samples(list, "'IMAGE LABEL'", e -> e.length == 2 ? SampleLists.pair(root, e, list) : null);
  }
}
