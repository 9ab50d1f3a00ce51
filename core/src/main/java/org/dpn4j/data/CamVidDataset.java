package org.dpn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p>A frame's name is {@code SEQUENCE_NUMBER} ({@link #FRAME_NAME}: 0001TP_006690, 0006R0_f00930,
 * 0016E5_07959, Seq05VD_f00210): the drive it was filmed on, then its frame index at 30 fps. The drive
 * is the frame's {@link #sequence}, by which {@link SequenceSelection} chooses frames.
 *
 * @param root the dataset's folder
 */
public record CamVidDataset(Path root) implements Dataset {

  /** A CamVid frame's name: group 1 the sequence (drive), group 2 the frame index. */
  public static final Pattern FRAME_NAME = Pattern.compile("(.+)_\\D*(\\d+)");

  @Override
  public LabelSet labels() {
    return LabelSet.CAMVID;
  }

  @Override
  public List<Sample> samples(String split) throws IOException {
    Path list = root.resolve(split + ".txt");
    return SampleLists.samples(list, "'IMAGE LABEL'", e -> e.length == 2 ? SampleLists.pair(root, e, list) : null);
  }

  /** The drive of {@code s}: its name's prefix before the frame number; an error for another name. */
  @Override
  public String sequence(Sample s) {
    return sequenceOf(s.name());
  }

  /** The sequence (drive) of a frame named {@code name} ("0006R0_f00930" -> "0006R0"). */
  public static String sequenceOf(String name) {
    Matcher m = FRAME_NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a CamVid frame name SEQUENCE_NUMBER (e.g. 0016E5_07959): no sequence to select by");
    }
    return m.group(1);
  }
}
