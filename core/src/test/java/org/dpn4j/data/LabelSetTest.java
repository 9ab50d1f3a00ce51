package org.dpn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpn4j.io.LabelMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetTest {

  @TempDir Path dir;

  @Test
  void builtInSetsHaveTheStandardClassesColoursAndIgnore() {
    assertEquals(11, LabelSet.CAMVID.size());
    assertEquals(11, LabelSet.CAMVID.ignore());
    assertEquals("Bicyclist", LabelSet.CAMVID.names().get(10));
    assertEquals(0x804080, LabelSet.CAMVID.colours()[3]); // Road (128, 64, 128)
    assertEquals(0x3C28DE, LabelSet.CAMVID.colours()[4]); // Pavement (60, 40, 222)

    assertEquals(21, LabelSet.VOC.size());
    assertEquals(255, LabelSet.VOC.ignore());
    assertEquals("person", LabelSet.VOC.names().get(15));
    assertArrayEquals(LabelMaps.vocPalette(21), LabelSet.VOC.colours());

    assertEquals(19, LabelSet.CITYSCAPES.size());
    assertEquals(255, LabelSet.CITYSCAPES.ignore());
    assertEquals("traffic sign", LabelSet.CITYSCAPES.names().get(7));
    assertEquals(0x4682B4, LabelSet.CITYSCAPES.colours()[10]); // sky (70, 130, 180)
    assertEquals(0x770B20, LabelSet.CITYSCAPES.colours()[18]); // bicycle (119, 11, 32)
  }

  @Test
  void builtInByNameAndResolveFallsBackToAFile() throws IOException {
    assertSame(LabelSet.CAMVID, LabelSet.builtIn("CamVid"));
    assertSame(LabelSet.CITYSCAPES, LabelSet.resolve("cityscapes"));
    Path f = dir.resolve("mine.json");
    LabelSet.VOC.write(f);
    assertEquals(LabelSet.VOC, LabelSet.resolve(f.toString()));
    assertThrows(IllegalArgumentException.class, () -> LabelSet.builtIn("kitti"));
  }

  @Test
  void jsonRoundTripsEveryBuiltInSet() throws IOException {
    for (LabelSet s : List.of(LabelSet.CAMVID, LabelSet.VOC, LabelSet.CITYSCAPES)) {
      Path f = dir.resolve("labels.json");
      s.write(f);
      assertEquals(s, LabelSet.read(f));
    }
    String json = LabelSet.CAMVID.toJson();
    assertTrue(json.contains("\"#3C28DE\""), json);
    assertTrue(json.contains("\"ignore\" : 11"), json);
  }

  @Test
  void coloursAreOptionalAndDefaultToTheVocMap() {
    LabelSet s = LabelSet.fromJson("{\"names\": [\"ground\", \"crop\", \"weed\"], \"ignore\": 255}");
    assertArrayEquals(LabelMaps.vocPalette(3), s.colours());
    assertEquals(List.of("ground", "crop", "weed"), s.names());
    assertEquals(255, s.palette().length - 1);
  }

  @Test
  void badJsonIsAnErrorNamingTheFileAndTheProblem() throws IOException {
    assertError("{\"names\": [\"a\"], \"ignore\": 0}", "ignore value 0");
    assertError("{\"names\": [\"a\", \"b\"], \"colours\": [\"#000000\"], \"ignore\": 255}", "2 class names but 1 colours");
    assertError("{\"names\": [\"a\"], \"colours\": [\"red\"], \"ignore\": 255}", "\"red\" is not \"#RRGGBB\"");
    assertError("{\"names\": [\"a\"], \"ignore\": 255, \"colors\": []}", "unknown key \"colors\"");
    assertError("{\"names\": [\"a\"]}", "\"ignore\" must be an integer");
    assertError("{\"names\": \"a\", \"ignore\": 255}", "\"names\" must be an array");
    assertError("{\"names\": [\"a\"], \"ignore\": 255", "not valid JSON");
    IOException missing = assertThrows(IOException.class, () -> LabelSet.read(dir.resolve("none.json")));
    assertTrue(missing.getMessage().contains("none.json: no such labels file"), missing.getMessage());
  }

  private void assertError(String json, String expected) throws IOException {
    Path f = Files.writeString(dir.resolve("bad.json"), json);
    IOException e = assertThrows(IOException.class, () -> LabelSet.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
