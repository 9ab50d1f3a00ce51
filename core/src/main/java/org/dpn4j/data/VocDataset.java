package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.util.FileNames;

/**
 * PASCAL VOC 2012, optionally with the SBD augmentation ("train_aug"). ROOT is the VOC2012 folder:
 *
 * <pre>
 * ROOT/JPEGImages/NAME.jpg
 * ROOT/SegmentationClass/NAME.png             palette PNGs: the palette INDEX is the label, 255 void
 * ROOT/ImageSets/Segmentation/SPLIT.txt       train, val, trainval: one NAME per line
 * ROOT/SegmentationClassAug/NAME.png          SBD labels (grey or palette, same values), optional
 * ROOT/ImageSets/Segmentation/train_aug.txt   optional: NAMEs, or DeepLab's pairs
 *                                             "/JPEGImages/NAME.jpg /SegmentationClassAug/NAME.png"
 * </pre>
 *
 * A split whose name ends in {@code _aug} takes its labels from SegmentationClassAug, the others
 * from SegmentationClass. A line with two paths is resolved by their last two components under ROOT.
 */
public final class VocDataset implements Dataset {

  private final Path root;

  public VocDataset(Path root) {
    this.root = root;
  }

  @Override
  public LabelSet labels() {
    return LabelSet.VOC;
  }

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path list = root.resolve("ImageSets").resolve("Segmentation").resolve(split + ".txt");
    Path labelDir = root.resolve(split.endsWith("_aug") ? "SegmentationClassAug" : "SegmentationClass");
    List<Sample> out = new ArrayList<>();
    for (String[] e : SampleLists.read(list)) {
      if (e.length == 1) {
        Path image = root.resolve("JPEGImages").resolve(e[0] + ".jpg");
        out.add(new Sample(image, labelDir.resolve(e[0] + ".png"), e[0]));
      } else if (e.length == 2) {
        Path image = SampleLists.underRoot(root, e[0], list);
        out.add(new Sample(image, SampleLists.underRoot(root, e[1], list), FileNames.stem(image)));
      } else {
        throw new IOException(list + ": expected 'NAME' or 'IMAGE LABEL' per line, got '" + String.join(" ", e) + "'");
      }
    }
    return out;
  }
}
