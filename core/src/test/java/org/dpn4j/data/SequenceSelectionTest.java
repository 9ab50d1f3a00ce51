package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dpn4j.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Frames chosen by CamVid drive on the shared CamVid copy (train: 0001TP 62, 0006R0 101, 0016E5 204; val: 0016E5 101). */
class SequenceSelectionTest {

  private static final Path CAMVID = SharedData.path("camvid");
  private final CamVidDataset camvid = new CamVidDataset(CAMVID);

  @Test
  void theSequenceIsTheFrameNamesPrefix() {
    assertEquals("0006R0", CamVidDataset.sequenceOf("0006R0_f00930"));
    assertEquals("0001TP", CamVidDataset.sequenceOf("0001TP_006690"));
    assertEquals("Seq05VD", CamVidDataset.sequenceOf("Seq05VD_f00210"));
    assertEquals("0016E5", CamVidDataset.sequenceOf("0016E5_07959"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CamVidDataset.sequenceOf("frame"));
    assertTrue(e.getMessage().contains("'frame' is not a CamVid frame name"), e.getMessage());
  }

  @Test
  void trainAndValWithoutTheHeldOutDriveAreThe367FramesOf0001TPAnd0016E5() throws IOException {
    List<Sample> all = Datasets.samples(camvid, List.of("train", "val"));
    assertEquals(468, all.size());
    List<Sample> kept = SequenceSelection.without(List.of("0006R0")).apply(camvid, all);
    assertEquals(367, kept.size());
    assertEquals(Map.of("0001TP", 62, "0016E5", 305), countBySequence(kept));
    // List order is kept: train's frames first, then val's.
    assertEquals("0001TP_006690", kept.get(0).name());
    assertEquals("0016E5_07959", kept.get(266).name());
    assertEquals(all.stream().filter(s -> !s.name().startsWith("0006R0")).toList(), kept);
  }

  @Test
  void onlyTheHeldOutDriveIsThe101FramesOf0006R0InTrain() throws IOException {
    List<Sample> train = camvid.samples("train");
    List<Sample> kept = SequenceSelection.only(List.of("0006R0")).apply(camvid, train);
    assertEquals(101, kept.size());
    assertTrue(kept.stream().allMatch(s -> s.name().startsWith("0006R0_")), kept.toString());
    assertEquals(train.stream().filter(s -> s.name().startsWith("0006R0_")).toList(), kept);
    assertEquals(Map.of("0001TP", 62, "0016E5", 204),
        countBySequence(SequenceSelection.only(List.of("0001TP", "0016E5")).apply(camvid, train)));
  }

  @Test
  void allKeepsTheListItself() throws IOException {
    List<Sample> val = camvid.samples("val");
    assertSame(val, SequenceSelection.ALL.apply(camvid, val));
  }

  @Test
  void anUnknownNameOrAnEmptyResultIsAnErrorListingTheSequencesThere() throws IOException {
    List<Sample> train = camvid.samples("train");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SequenceSelection.without(List.of("0006RO")).apply(camvid, train));
    assertEquals("unknown sequence '0006RO': the frames here are of [0001TP, 0006R0, 0016E5]", e.getMessage());
    List<Sample> val = camvid.samples("val");
    e = assertThrows(IllegalArgumentException.class, () -> SequenceSelection.only(List.of("0006R0")).apply(camvid, val));
    assertEquals("unknown sequence '0006R0': the frames here are of [0016E5]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SequenceSelection.without(List.of("0016E5")).apply(camvid, val));
    assertEquals("leaving out [0016E5] leaves no frame: the frames here are of [0016E5]", e.getMessage());
  }

  @Test
  void keepAndLeaveOutTogetherOrADatasetWithoutSequencesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SequenceSelection(List.of("0001TP"), List.of("0006R0")));
    assertThrows(IllegalArgumentException.class, () -> SequenceSelection.only(List.of(" ")));
    Dataset voc = new VocDataset(SharedData.path("voc"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SequenceSelection.only(List.of("2007")).apply(voc, voc.samples("val")));
    assertTrue(e.getMessage().contains("no sequences to select by"), e.getMessage());
  }

  @Test
  void aSplitNamedTwiceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Datasets.samples(camvid, List.of("train", "train")));
  }

  private static Map<String, Integer> countBySequence(List<Sample> samples) {
    Map<String, Integer> n = new TreeMap<>();
    samples.forEach(s -> n.merge(CamVidDataset.sequenceOf(s.name()), 1, Integer::sum));
    return n;
  }
}
