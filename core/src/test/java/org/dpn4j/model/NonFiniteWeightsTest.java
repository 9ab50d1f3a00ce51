package org.dpn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dpn4j.data.LabelSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a model with non-finite weights is neither saved nor loaded, and the tensor is named. */
class NonFiniteWeightsTest {

  @TempDir Path dir;

  @Test
  void aModelWithAnInfiniteWeightIsNotSaved() {
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      Map.Entry<String, Parameter> first = model.unary().namedParameters().entrySet().iterator().next();
      float[] v = first.getValue().getArray().toFloatArray();
      v[2] = Float.POSITIVE_INFINITY;
      v[5] = Float.NaN;
      first.getValue().getArray().set(v);
      Path target = dir.resolve("diverged");
      ModelFileException e = assertThrows(ModelFileException.class, () -> model.save(target));
      assertEquals(target + ": refusing to save a model whose tensor '" + DpnModel.UNARY_PREFIX + first.getKey()
          + "' holds Infinity at index 2 (2 of " + v.length + " values are not finite: a diverged training run?)", e.getMessage());
      assertFalse(Files.exists(target), "nothing written");
    }
  }

  @Test
  void aFiniteModelRoundTrips() throws IOException {
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      model.save(dir.resolve("ok.zip"));
    }
    try (DpnModel back = DpnModel.load(dir.resolve("ok.zip"))) {
      assertEquals(11, back.config().numLabels());
    }
  }
}
