package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.util.FileNames;

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
 */
public final class CamVidDataset implements Dataset {

  private final Path root;

  public CamVidDataset(Path root) {
    this.root = root;
  }

  @Override
  public LabelSet labels() {
    return LabelSet.CAMVID;
  }

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path list = root.resolve(split + ".txt");
    List<Sample> out = new ArrayList<>();
    for (String[] e : SampleLists.read(list)) {
      if (e.length != 2) {
        throw new IOException(list + ": expected 'IMAGE LABEL' per line, got '" + String.join(" ", e) + "'");
      }
      Path image = SampleLists.underRoot(root, e[0], list);
      out.add(new Sample(image, SampleLists.underRoot(root, e[1], list), FileNames.stem(image)));
    }
    return out;
  }
}
