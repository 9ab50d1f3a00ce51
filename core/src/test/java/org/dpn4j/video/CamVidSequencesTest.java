package org.dpn4j.video;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.util.FileNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamVidSequencesTest {

  private static final Path CAMVID = SharedData.path("camvid");

  private static List<String> stems(List<Path> frames) {
    return frames.stream().map(FileNames::stem).toList();
  }

  private static String stem(Path p) {
    return p == null ? null : FileNames.stem(p);
  }

  @Test
  void trainListGroupsBySequenceAndOrdersByFrameNumber() throws IOException {
    List<CamVidSequences.Sequence> seqs = CamVidSequences.fromList(CAMVID.resolve("train.txt"));
    assertEquals(List.of("0001TP", "0006R0", "0016E5"), seqs.stream().map(CamVidSequences.Sequence::name).toList());
    assertEquals(List.of(62, 101, 204), seqs.stream().map(s -> s.frames().size()).toList());
    CamVidSequences.Sequence tp = seqs.get(0);
    int i = stems(tp.frames()).indexOf("0001TP_006720");
    assertEquals(1, i);
    assertEquals("0001TP_006690", stem(tp.previous(i)));
    assertEquals("0001TP_006750", stem(tp.next(i)));
    // The ends: no neighbour before the first or after the last labelled frame.
    assertNull(tp.previous(0));
    assertNull(tp.next(tp.frames().size() - 1));
    assertTrue(Files.isRegularFile(tp.frames().get(0)), tp.frames().get(0).toString());
  }

  @Test
  void valListAndValFolderGiveTheSameSequence() throws IOException {
    List<CamVidSequences.Sequence> fromList = CamVidSequences.from(CAMVID.resolve("val.txt"));
    List<CamVidSequences.Sequence> fromFolder = CamVidSequences.from(CAMVID.resolve("val"));
    assertEquals(1, fromList.size());
    CamVidSequences.Sequence seq = fromList.get(0);
    assertEquals("0016E5", seq.name());
    assertEquals(101, seq.frames().size());
    assertEquals(stems(seq.frames()), stems(fromFolder.get(0).frames()));
    assertEquals("0016E5_07959", stem(seq.frames().get(0)));
    assertEquals("0016E5_07961", stem(seq.previous(2)));
    assertEquals("0016E5_07963", stem(seq.frames().get(2)));
    assertEquals("0016E5_07965", stem(seq.next(2)));
  }

  @Test
  void frameNumbersOrderNumericallyAndOtherNamesAreRefused(@TempDir Path dir) throws IOException {
    List<Path> frames = List.of(dir.resolve("Seq05VD_f00100.png"), dir.resolve("Seq05VD_f00070.png"),
        dir.resolve("A_10.png"), dir.resolve("A_9.png"));
    List<CamVidSequences.Sequence> seqs = CamVidSequences.group(frames);
    assertEquals(List.of("A_9", "A_10"), stems(seqs.get(0).frames()));
    assertEquals(List.of("Seq05VD_f00070", "Seq05VD_f00100"), stems(seqs.get(1).frames()));
    IOException e = assertThrows(IOException.class, () -> CamVidSequences.group(List.of(dir.resolve("frame.png"))));
    assertTrue(e.getMessage().contains("frame.png"), e.getMessage());
  }
}
