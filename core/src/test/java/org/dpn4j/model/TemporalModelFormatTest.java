package org.dpn4j.model;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpn4j.io.Safetensors;
import org.dpn4j.unary.NamedTensors;
import org.dpn4j.head.DpnHead3d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with a spatio-temporal head (docs/MODEL_FORMAT.md, head.temporal): exact round trips, old models. */
@Integration
class TemporalModelFormatTest {

  @TempDir Path dir;

  /** The tiny model of ModelFormatTest with a random 2D head and a random 7 x 7 x 3 temporal head. */
  private static DpnModel withTemporalHead() {
    ModelConfig plain = ModelConfig.defaults("vgg16-dpn", org.dpn4j.data.LabelSet.CAMVID).withWidthDivisor(64);
    DpnModel m = ModelFormatTest.randomHead(plain);
    DpnHead3d h = DpnHead3d.from(m.head(), 7);
    Random r = new Random(11);
    for (float[] a : List.of(h.b12().b12().wRgb(), h.b12().b12().wXy(), h.b13().weights())) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    m.setTemporalHead(h);
    return m;
  }

  @Test
  void temporalHeadRoundTripsExactly() throws IOException {
    Path saved = dir.resolve("m3");
    try (DpnModel original = withTemporalHead()) {
      original.save(saved);
      assertTrue(Files.readString(saved.resolve("config.json")).contains("\"temporal\""));
      try (DpnModel back = DpnModel.load(saved)) {
        assertEquals(original.config().toJson(), back.config().toJson());
        assertEquals(new ModelConfig.Temporal(7), back.config().temporal());
        Map<String, NamedTensors.Tensor> a = original.tensors();
        Map<String, NamedTensors.Tensor> b = back.tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
          assertArrayEquals(a.get(k).shape(), b.get(k).shape(), k);
          assertArrayEquals(a.get(k).values(), b.get(k).values(), k);
        }
        DpnHead3d h = back.temporalHead();
        assertArrayEquals(original.temporalHead().b13().weights(), h.b13().weights());
        assertArrayEquals(original.temporalHead().b12().b12().wRgb(), h.b12().b12().wRgb());
        assertArrayEquals(original.temporalHead().b12().b12().wXy(), h.b12().b12().wXy());
        // The 2D head stays its own: the temporal b12 weights are not the 2D ones.
        assertTrue(back.head().b12().wRgb()[0] != h.b12().b12().wRgb()[0]);
      }
    }
    Safetensors st = Safetensors.open(saved.resolve("weights.safetensors"));
    assertArrayEquals(new long[] {55, 11, 3, 7, 7}, st.info(HeadTensors.TEMPORAL_B13).shape());
    assertArrayEquals(new long[] {1}, st.info(HeadTensors.TEMPORAL_W_RGB).shape());
  }

  @Test
  void aModelWithoutTemporalHeadStillLoadsAndHasNone() throws IOException {
    Path saved = dir.resolve("m2");
    try (DpnModel m = ModelFormatTest.randomHead(ModelConfig.defaults("vgg16-dpn", org.dpn4j.data.LabelSet.CAMVID)
        .withWidthDivisor(64))) {
      m.save(saved);
    }
    assertTrue(!Files.readString(saved.resolve("config.json")).contains("temporal"));
    try (DpnModel back = DpnModel.load(saved)) {
      assertNull(back.temporalHead());
      assertNull(back.config().temporal());
      assertTrue(back.tensors().keySet().stream().noneMatch(k -> k.startsWith("head.temporal.")));
    }
  }

  @Test
  void temporalTensorsMissingOrWrongSizeAreRefused() throws IOException {
    Path saved = dir.resolve("m3");
    try (DpnModel m = withTemporalHead()) {
      m.save(saved);
    }
    // Claim a 5 x 5 x 3 b13: the stored 7 x 7 x 3 tensor no longer fits.
    Path config = saved.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"contextSize\" : 7", "\"contextSize\" : 5"));
    ModelFileException e = assertThrows(ModelFileException.class, () -> DpnModel.load(saved));
    assertTrue(e.getMessage().contains(HeadTensors.TEMPORAL_B13), e.getMessage());
    // Without head.temporal the temporal tensors are extra.
    Files.writeString(config, Files.readString(config).replaceAll(",\\s*\"temporal\" : \\{[^}]*\\}", ""));
    e = assertThrows(ModelFileException.class, () -> DpnModel.load(saved));
    assertTrue(e.getMessage().contains("does not have"), e.getMessage());
  }

  @Test
  void removingTheTemporalHeadDropsItsConfigAndTensors() {
    try (DpnModel m = withTemporalHead()) {
      assertNotNull(m.config().temporal());
      m.setTemporalHead(null);
      assertNull(m.config().temporal());
      assertTrue(m.tensors().keySet().stream().noneMatch(k -> k.startsWith("head.temporal.")));
    }
  }
}
