package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnaryTrainingConfigTest {

  @TempDir Path dir;

  @Test
  void theExampleConfigurationReadsWithPathsRelativeToItsFolder() throws IOException {
    Path file = Path.of("configs/camvid-mobilenetv2.json");
    UnaryTrainingConfig c = UnaryTrainingConfig.read(file);
    Path configs = file.toAbsolutePath().getParent();
    assertEquals(configs.resolve("../../dpn-runs/camvid-mobilenetv2/init").normalize(), c.model());
    assertEquals(configs.resolve("../../shared/data/camvid").normalize(), c.datasetRoot());
    assertTrue(Files.isDirectory(c.datasetRoot()), c.datasetRoot() + " should be the shared CamVid folder");
    assertEquals("camvid", c.datasetKind());
    assertEquals(240, c.cropHeight());
    assertEquals(320, c.cropWidth());
    assertEquals(8, c.batchSize());
    assertEquals(0, c.samples());
    assertEquals(100, c.checkpointInterval());
    assertEquals(configs.resolve("../../dpn-runs/camvid-mobilenetv2/unary-training-log.csv").normalize(), c.log());
  }

  @Test
  void errorsNameTheFileAndTheKey() throws IOException {
    Path f = dir.resolve("c.json");
    Files.writeString(f, "{\"model\": 3}");
    IOException e = assertThrows(IOException.class, () -> UnaryTrainingConfig.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("missing key 'dataset'"), e.getMessage());
    Files.writeString(f, "{\"model\": 1,");
    e = assertThrows(IOException.class, () -> UnaryTrainingConfig.read(f));
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
    e = assertThrows(IOException.class, () -> UnaryTrainingConfig.read(dir.resolve("none.json")));
    assertTrue(e.getMessage().contains("no such configuration file"), e.getMessage());
  }
}
