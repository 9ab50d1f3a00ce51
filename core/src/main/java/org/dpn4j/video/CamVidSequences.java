package org.dpn4j.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.dpn4j.data.CamVidDataset;
import org.dpn4j.data.Sample;
import org.dpn4j.util.FileNames;

/**
 * CamVid's labelled frames as sequences (DESIGN.md "Spatio-temporal DPN"; data README): a frame
 * named {@code PREFIX_NUMBER} (0001TP_006690, 0016E5_07959, Seq05VD_f00210) belongs to sequence
 * PREFIX at frame index NUMBER (the digits at its end, 30 fps). Each sequence's frames are ordered by
 * that index, so the neighbours t-1, t+1 of a labelled frame are the previous and next labelled frames
 * of its sequence (1 s apart in CamVid), missing at the sequence's ends.
 */
public final class CamVidSequences {

  private CamVidSequences() {}

  /** One sequence's frames in time order. */
  public record Sequence(String name, List<Path> frames) {
    public Sequence {
      frames = List.copyOf(frames);
    }

    /** Frame i's previous labelled frame, or null for the first. */
    public Path previous(int i) {
      return i > 0 ? frames.get(i - 1) : null;
    }

    /** Frame i's next labelled frame, or null for the last. */
    public Path next(int i) {
      return i + 1 < frames.size() ? frames.get(i + 1) : null;
    }

    /** The frames to read one at a time. */
    public FileSequence open() {
      return new FileSequence(name, frames);
    }
  }

  /**
   * The sequences of a CamVid split list ({@code ROOT/train.txt} or {@code val.txt}, SegNet's layout:
   * entries resolved under the list's folder), in sequence-name order.
   */
  public static List<Sequence> fromList(Path list) throws IOException {
    String file = list.getFileName().toString();
    if (!file.endsWith(".txt")) {
      throw new IOException(list + ": expected a CamVid split list (train.txt, val.txt, test.txt)");
    }
    Path root = list.toAbsolutePath().getParent();
    List<Path> frames = new ArrayList<>();
    for (Sample s : new CamVidDataset(root).samples(file.substring(0, file.length() - 4))) {
      frames.add(s.image());
    }
    return group(frames);
  }

  /** The sequences of a folder of CamVid frames (e.g. {@code camvid/val}). */
  public static List<Sequence> fromFolder(Path dir) throws IOException {
    return group(FileSequence.folder(dir).files());
  }

  /** {@link #fromList} for a {@code .txt} file, {@link #fromFolder} for a folder. */
  public static List<Sequence> from(Path listOrFolder) throws IOException {
    return Files.isDirectory(listOrFolder) ? fromFolder(listOrFolder) : fromList(listOrFolder);
  }

  /** Groups frames by sequence prefix and orders each sequence by frame index; a name not PREFIX_NUMBER is an error. */
  public static List<Sequence> group(List<Path> frames) throws IOException {
    Map<String, List<Path>> bySequence = new TreeMap<>();
    for (Path f : frames) {
      bySequence.computeIfAbsent(prefix(f), k -> new ArrayList<>()).add(f);
    }
    List<Sequence> out = new ArrayList<>();
    for (Map.Entry<String, List<Path>> e : bySequence.entrySet()) {
      List<Path> sorted = new ArrayList<>(e.getValue());
      sorted.sort(Comparator.comparingLong(CamVidSequences::index));
      out.add(new Sequence(e.getKey(), sorted));
    }
    return out;
  }

  private static Matcher match(Path frame) {
    Matcher m = CamVidDataset.FRAME_NAME.matcher(FileNames.stem(frame));
    if (!m.matches()) {
      throw new IllegalArgumentException(frame + ": not a CamVid frame name PREFIX_NUMBER (e.g. 0016E5_07959)");
    }
    return m;
  }

  private static String prefix(Path frame) throws IOException {
    try {
      return match(frame).group(1);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static long index(Path frame) {
    return Long.parseLong(match(frame).group(2));
  }
}
